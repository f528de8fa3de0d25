use leptos::prelude::*;

use crate::ui::{Breadcrumbs, PageTitle, TableScroll};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::agency::AccessStatus;
use crate::agency::case_managers::api::list_case_managers;
use crate::agency::clients::api::{
    AssignCaseManager, SetClientArchived, UnassignCaseManager, agency_client, list_agency_clients,
};
use crate::agency::documents::pages::ClientDocuments;
use crate::assignments::Relationship;
use crate::care::goals::pages::GoalsSection;
use crate::care::pages::CareRecordSection;
use crate::messages::pages::{ClientMessagesSection, TeamLeadPicker};
use crate::reports::pages::{ClientReportsSection, Recipient};
use crate::ui::ErrorNotice;

/// The agency's clients.
#[component]
pub fn AgencyClientsPage() -> impl IntoView {
    let query = use_query_map();
    let initial = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let text = RwSignal::new(initial);
    let archived = RwSignal::new(false);
    let rows = Resource::new(
        move || (text.get(), archived.get()),
        |(q, a)| list_agency_clients(q, a),
    );
    view! {
        <PageTitle text="Clients" />
        <h1>"Clients"</h1>
        <label for="client-search">"Search clients"</label>
        <input id="client-search" type="search" bind:value=text />
        <label for="show-archived">
            <input id="show-archived" type="checkbox" bind:checked=archived />
            "Show archived clients"
        </label>
        <Transition fallback=|| view! { <p>"Loading clients…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! {
                        <TableScroll label="Clients"><table aria-label="Clients">
                            <thead><tr><th scope="col">"Client"</th><th scope="col">"Case managers"</th><th scope="col">"Status"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|c| view! {
                                    <tr>
                                        <td><a href=format!("/clients/{}", c.id)>{c.full_name}</a></td>
                                        <td>{c.case_managers}</td>
                                        <td>{if c.archived { "Archived" } else { "Active" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A client's profile: details, Case Managers, Documents, archiving.
#[component]
pub fn AgencyClientPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0));
    let assign = ServerAction::<AssignCaseManager>::new();
    let unassign = ServerAction::<UnassignCaseManager>::new();
    let archive = ServerAction::<SetClientArchived>::new();
    let profile = Resource::new(
        move || {
            (
                id(),
                assign.version().get(),
                unassign.version().get(),
                archive.version().get(),
            )
        },
        |(id, ..)| agency_client(id),
    );
    let directory = Resource::new(|| (), |_| list_case_managers(String::new()));
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            q.get("uploaded")
                .map(|_| view! { <p role="status">"Document uploaded."</p> }.into_any())
                .or_else(|| {
                    q.get("upload_error")
                        .map(|e| view! { <p role="alert">{e}</p> }.into_any())
                })
        })
    };
    let problem = move || {
        assign
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| unassign.value().get().and_then(Result::err))
            .or_else(|| archive.value().get().and_then(Result::err))
            .map(|e| view! { <p role="alert" class="error">{e.to_string()}</p> })
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading client…"</p> }>
            {move || Suspend::new(async move {
                let c = match profile.await {
                    Ok(c) => c,
                    Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                };
                let cid = c.id;
                let archived = c.archived;
                let recipients: Vec<Recipient> = c.assignments.iter()
                    .filter(|a| a.access == AccessStatus::Active)
                    .map(|a| Recipient { id: a.case_manager_id, name: a.name.clone() })
                    .collect();
                let cms = directory.await.unwrap_or_default();
                let chosen_cm = RwSignal::new(cms.first().map(|m| m.id).unwrap_or(0));
                let chosen_rel = RwSignal::new(Relationship::Primary);
                view! {
                    <PageTitle text={c.full_name.clone()} />
                    <Breadcrumbs trail=vec![("Clients", "/clients".to_string())] current=c.full_name.clone() />
                    <h1>{c.full_name.clone()}</h1>
                    {notice}
                    {problem}
                    <p>{if archived { "Archived: hidden from every case manager." } else { "Active client." }}</p>
                    <button type="button" on:click=move |_| {
                        archive.dispatch(SetClientArchived { client_id: cid, archived: !archived });
                    }>{if archived { "Restore client" } else { "Archive client" }}</button>
                    <dl>
                        <dt>"Phone"</dt><dd>{c.phone.clone()}</dd>
                        <dt>"Address"</dt><dd>{c.address.clone()}</dd>
                        <dt>"Authorised hours per month"</dt><dd>{c.authorised_hours_per_month}</dd>
                    </dl>
                    <TeamLeadPicker client_id=cid />
                    <section aria-labelledby="cms-heading">
                        <h2 id="cms-heading">"Case Managers"</h2>
                        <TableScroll label="Assigned case managers"><table aria-label="Assigned case managers">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Relationship"</th><th scope="col">"Portal access"</th><th scope="col">"Actions"</th></tr></thead>
                            <tbody>
                                {c.assignments.into_iter().map(|a| {
                                    let cm = a.case_manager_id;
                                    let label = format!("Unassign {}", a.name);
                                    view! {
                                        <tr>
                                            <td><a href=format!("/case-managers/{cm}")>{a.name.clone()}</a></td>
                                            <td>{a.relationship.label()}</td>
                                            <td>{a.access.label()}</td>
                                            <td><button type="button" aria-label=label on:click=move |_| {
                                                unassign.dispatch(UnassignCaseManager { client_id: cid, case_manager_id: cm });
                                            }>"Unassign"</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                        <form aria-label="Assign a case manager" on:submit=move |ev| {
                            ev.prevent_default();
                            assign.dispatch(AssignCaseManager { client_id: cid, case_manager_id: chosen_cm.get(), relationship: chosen_rel.get() });
                        }>
                            <label for="assign-cm">"Case manager"</label>
                            <select id="assign-cm" on:change=move |ev| {
                                chosen_cm.set(event_target_value(&ev).parse().unwrap_or(0));
                            }>
                                {cms.into_iter().map(|m| view! {
                                    <option value=m.id.to_string()>{format!("{} ({})", m.name, m.email)}</option>
                                }).collect_view()}
                            </select>
                            <label for="assign-rel">"Relationship"</label>
                            <select id="assign-rel" on:change=move |ev| {
                                chosen_rel.set(match event_target_value(&ev).as_str() {
                                    "secondary" => Relationship::Secondary,
                                    "supervisor" => Relationship::Supervisor,
                                    _ => Relationship::Primary,
                                });
                            }>
                                <option value="primary">"Primary"</option>
                                <option value="secondary">"Secondary"</option>
                                <option value="supervisor">"Supervisor"</option>
                            </select>
                            <button type="submit">"Assign"</button>
                        </form>
                    </section>
                    <ClientDocuments client_id=cid client_name=c.full_name />
                    <CareRecordSection client_id=cid />
                    <GoalsSection client_id=cid />
                    <ClientMessagesSection client_id=cid />
                    <ClientReportsSection client_id=cid recipients />
                }.into_any()
            })}
        </Suspense>
    }
}
