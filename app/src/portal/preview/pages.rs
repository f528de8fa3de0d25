//! The screens of `portal::preview`.

use leptos::prelude::*;

use crate::ui::TableScroll;

use crate::portal::preview::api::preview_portal;
use crate::ui::ErrorNotice;

#[component]
pub fn PortalPreviewSection(case_manager_id: i32) -> impl IntoView {
    let shown = RwSignal::new(false);
    let preview = Resource::new(
        move || shown.get(),
        move |on| async move {
            if on {
                preview_portal(case_manager_id).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">"Portal preview"</h2>
            <button type="button" on:click=move |_| shown.set(true)>"Preview what they see"</button>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(Some(p)) => view! {
                            <p data-testid="preview-sign-in">{p.sign_in}</p>
                            {p.terms_pending.then(|| view! { <p>"They will be asked to accept the terms of use first."</p> })}
                            <TableScroll label="What they see"><table aria-label="What they see">
                                <thead><tr>
                                    <th scope="col">"Client"</th><th scope="col">"Relationship"</th>
                                    <th scope="col">"Visible"</th><th scope="col">"Tabs"</th><th scope="col">"Documents"</th>
                                </tr></thead>
                                <tbody>
                                    {p.clients.into_iter().map(|c| view! {
                                        <tr>
                                            <td>{c.full_name}</td>
                                            <td>{c.relationship.label()}</td>
                                            <td>{c.hidden_because.unwrap_or_else(|| "Yes".into())}</td>
                                            <td>{c.tabs.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")}</td>
                                            <td>{format!("{} shared, {} private", c.shared_documents, c.private_documents)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
