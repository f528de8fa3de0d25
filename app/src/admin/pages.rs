use leptos::prelude::*;

use crate::admin::api::list_org_users;
use crate::layout::ErrorNotice;

/// The organisation's users, for its admins.
#[component]
pub fn UserDirectory() -> impl IntoView {
    let users = Resource::new(|| (), |_| list_org_users());
    view! {
        <Suspense fallback=|| view! { <p>"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(rows) => view! {
                        <h2>"Users"</h2>
                        <table aria-label="Users">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"E-mail"</th>
                                <th scope="col">"Role"</th><th scope="col">"Status"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|u| view! {
                                    <tr>
                                        <td>{u.display_name}</td><td>{u.email}</td>
                                        <td>{u.role.label()}</td>
                                        <td>{if u.active { "Active" } else { "Deactivated" }}</td>
                                    </tr>
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

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <h1>"Administration"</h1>
        <UserDirectory />
    }
}
