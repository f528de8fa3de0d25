use leptos::prelude::*;

use crate::clients::api::list_my_clients;
use crate::layout::ErrorNotice;

#[component]
pub fn MyClients() -> impl IntoView {
    let clients = Resource::new(|| (), |_| list_my_clients());
    view! {
        <Suspense fallback=|| view! { <p>"Loading clients…"</p> }>
            {move || Suspend::new(async move {
                match clients.await {
                    Ok(rows) if rows.is_empty() => view! { <p>"No clients are assigned to you."</p> }.into_any(),
                    Ok(rows) => view! {
                        <table aria-label="My clients">
                            <thead><tr><th scope="col">"Client"</th><th scope="col">"Relationship"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| view! {
                                    <tr><td>{c.full_name}</td><td>{c.relationship.label()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
