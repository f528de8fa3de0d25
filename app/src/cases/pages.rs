use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::cases::api::{CaseRow, get_case, list_cases};
use crate::layout::{ErrorNotice, NotFound};

/// A table of cases with links to each.
#[component]
pub fn CaseTable(rows: Vec<CaseRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"No cases yet."</p> }.into_any();
    }
    view! {
        <table aria-label="Cases">
            <thead>
                <tr>
                    <th scope="col">"Patient"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Urgency"</th>
                    <th scope="col">"Referred by"</th>
                    <th scope="col">"Referred to"</th>
                    <th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <td><A href=format!("/cases/{}", r.id)>{r.patient_name}</A></td>
                                <td>{r.reason}</td>
                                <td>{r.status.label()}</td>
                                <td>{r.urgency.label()}</td>
                                <td>{r.referred_by}</td>
                                <td>{r.referred_to}</td>
                                <td>{r.updated_at}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The cases the signed-in user may see.
#[component]
pub fn CaseList() -> impl IntoView {
    let cases = Resource::new(|| (), |_| list_cases());
    view! {
        <Suspense fallback=|| view! { <p>"Loading cases…"</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(rows) => view! { <CaseTable rows /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok());
    let case = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_case(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading case…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(Some(c)) => view! {
                        <article class="case">
                            <h1>{c.patient_name.clone()}</h1>
                            <dl>
                                <dt>"Status"</dt><dd data-test="case-status">{c.status.label()}</dd>
                                <dt>"Urgency"</dt><dd>{c.urgency.label()}</dd>
                                <dt>"Reason"</dt><dd>{c.reason.clone()}</dd>
                                <dt>"Referred by"</dt><dd>{c.referred_by.clone()}</dd>
                                <dt>"Referred to"</dt><dd>{c.referred_to.clone()}</dd>
                                <dt>"Associated"</dt><dd>{c.associates.join(", ")}</dd>
                                <dt>"Notes"</dt><dd>{c.notes.clone().unwrap_or_default()}</dd>
                            </dl>
                        </article>
                    }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
