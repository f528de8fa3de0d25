use leptos::prelude::*;

use crate::ui::TableScroll;

use crate::agency::Sharing;
use crate::agency::documents::api::{
    SetCategorySharing, SetDocumentShared, client_documents, document_categories,
};
use crate::ui::ErrorNotice;

/// Settings → Documents → Categories: each category's default sharing.
#[component]
pub fn CategorySettings() -> impl IntoView {
    let set = ServerAction::<SetCategorySharing>::new();
    let cats = Resource::new(move || set.version().get(), |_| document_categories());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match cats.await {
                    Ok(rows) => view! {
                        <TableScroll label="Document categories"><table aria-label="Document categories">
                            <thead><tr><th scope="col">"Category"</th><th scope="col">"Shared with case managers"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| {
                                    let id = c.id;
                                    let label = format!("Sharing of {}", c.name);
                                    view! {
                                        <tr>
                                            <td>{c.name.clone()}</td>
                                            <td>
                                                <select aria-label=label on:change=move |ev| {
                                                    if let Some(sharing) = Sharing::from_key(&event_target_value(&ev)) {
                                                        set.dispatch(SetCategorySharing { category_id: id, sharing });
                                                    }
                                                }>
                                                    {Sharing::ALL.into_iter().map(|s| view! {
                                                        <option value=s.key() selected=s == c.sharing>{s.label()}</option>
                                                    }).collect_view()}
                                                </select>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                        <p class="hint">"Never: always private, even if a document is marked. Always: shared automatically. Manual: per document."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Client → Documents: upload, list, download, share.
#[component]
pub fn ClientDocuments(client_id: i32, client_name: String) -> impl IntoView {
    let share = ServerAction::<SetDocumentShared>::new();
    let docs = Resource::new(
        move || share.version().get(),
        move |_| client_documents(client_id),
    );
    let cats = Resource::new(|| (), |_| document_categories());
    let action = format!("/clients/{client_id}/documents");
    view! {
        <section aria-labelledby="documents-heading">
            <h2 id="documents-heading">"Documents"</h2>
            {move || share.value().get().and_then(Result::err).map(|e| view! { <p role="alert">{e.to_string()}</p> })}
            <form aria-label="Upload a document" method="post" action=action enctype="multipart/form-data">
                <label for="doc-file">"File"</label>
                <p class="hint" id="doc-file-hint">"PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or plain text. Caseport checks what the file really is, whatever its name says."</p>
                <input id="doc-file" name="file" type="file" required aria-describedby="doc-file-hint"
                    accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg,.txt,.csv,.md,.log" />
                <label for="doc-category">"Category"</label>
                <select id="doc-category" name="category_id">
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            cats.await.unwrap_or_default().into_iter().map(|c| view! {
                                <option value=c.id.to_string()>{format!("{} ({})", c.name, c.sharing.label())}</option>
                            }).collect_view()
                        })}
                    </Suspense>
                </select>
                <label for="doc-share">
                    <input id="doc-share" name="shared" type="checkbox" value="on" />
                    "Share with Case Managers"
                </label>
                <button type="submit">"Upload"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading documents…"</p> }>
                {move || {
                let client_name = client_name.clone();
                Suspend::new(async move {
                    match docs.await {
                        Ok(rows) if rows.is_empty() => view! { <p>"No documents yet."</p> }.into_any(),
                        Ok(rows) => view! {
                            <TableScroll label={format!("Documents of {client_name}")}><table aria-label=format!("Documents of {client_name}")>
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Category"</th>
                                    <th scope="col">"Uploaded"</th><th scope="col">"Case managers"</th>
                                    <th scope="col">"Actions"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|d| {
                                        let id = d.id;
                                        let marked = d.marked;
                                        let name = d.name.clone();
                                        let state = if d.shared { "Shared" } else { "Private" };
                                        let why = match d.category_sharing {
                                            Sharing::Never => " (category: never shared)",
                                            Sharing::Always => " (category: always shared)",
                                            Sharing::Manual => "",
                                        };
                                        let toggle = (d.category_sharing == Sharing::Manual).then(|| {
                                            let (label, question) = if marked {
                                                (format!("Stop sharing {name}"), format!("Stop sharing {name} with case managers?"))
                                            } else {
                                                (format!("Share {name} with Case Managers"), format!("Share {name} with the client's case managers?"))
                                            };
                                            let aria = label.clone();
                                            view! {
                                                <button type="button" aria-label=aria on:click=move |_| {
                                                    if window().confirm_with_message(&question).unwrap_or(false) {
                                                        share.dispatch(SetDocumentShared { document_id: id, shared: !marked });
                                                    }
                                                }>{label}</button>
                                            }
                                        });
                                        view! {
                                            <tr>
                                                <td><a href=format!("/documents/{id}/download") rel="external" download="">{d.name}</a></td>
                                                <td>{d.category}</td>
                                                <td>{d.uploaded_at}</td>
                                                <td>{state}{why}</td>
                                                <td>{toggle}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}}
            </Suspense>
        </section>
    }
}
