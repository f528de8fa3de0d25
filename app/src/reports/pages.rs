//! Report screens: the maker (portal and staff), "Send to Case Manager",
//! the report lists, the portal's Reports page and the Automated Reports
//! settings.

use leptos::prelude::*;

use crate::ui::{PageTitle, TableScroll};

use crate::reports::api::{
    AddReportSchedule, GenerateReport, SendReport, StopReportSchedule, client_reports,
    report_schedules,
};
use crate::reports::{ReportKind, ReportRow, ScheduleClient, WEEKDAYS};
use crate::ui::ErrorNotice;

fn download_links(id: i32) -> impl IntoView {
    view! {
        <a href=format!("/reports/{id}/download?format=pdf") download="">"Download PDF"</a>
        " · "
        <a href=format!("/reports/{id}/download?format=csv") download="">"Download CSV"</a>
    }
}

/// Stored reports with their downloads.
#[component]
pub fn ReportTable(rows: Vec<ReportRow>, #[prop(optional)] staff: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"No reports yet."</p> }.into_any();
    }
    view! {
        <TableScroll label="Reports"><table aria-label="Reports">
            <thead><tr>
                <th scope="col">"Report"</th>
                <th scope="col">"Client"</th>
                <th scope="col">"Period"</th>
                <th scope="col">"Made"</th>
                <th scope="col">"How"</th>
                {staff.then(|| view! { <th scope="col">"For"</th> })}
                <th scope="col">"Download"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td>{r.kind.label()}</td>
                        <td>{r.client_name}</td>
                        <td>{format!("{} to {}", r.from, r.to)}</td>
                        <td>{r.created_at}</td>
                        <td>{r.origin}</td>
                        {staff.then(|| view! { <td>{r.prepared_for.unwrap_or_else(|| "Staff copy".into())}</td> })}
                        <td>{download_links(r.id)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></TableScroll>
    }
    .into_any()
}

/// Type and date range, shared by the forms below.
#[component]
fn ReportFields(
    prefix: &'static str,
    kinds: Vec<ReportKind>,
    kind: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label for=format!("{prefix}-kind")>"Report type"</label>
        <select id=format!("{prefix}-kind") on:change:target=move |ev| kind.set(ev.target().value())>
            {kinds.into_iter().map(|k| view! {
                <option value=k.key() selected=move || kind.get() == k.key()>{k.label()}</option>
            }).collect_view()}
        </select>
        <label for=format!("{prefix}-from")>"From"</label>
        <input id=format!("{prefix}-from") type="date" required bind:value=from />
        <label for=format!("{prefix}-to")>"To"</label>
        <input id=format!("{prefix}-to") type="date" required bind:value=to />
    }
}

/// While a report is being made: a progress bar screen readers announce.
fn making(pending: bool) -> impl IntoView {
    pending.then(|| {
        view! {
            <p role="status" aria-live="polite">
                <progress aria-label="Making the report"></progress>
                " Making the report…"
            </p>
        }
    })
}

/// The portal's "make a report" for one client: only the types whose data
/// the agency shares.
#[component]
pub fn ReportMaker(client_id: i32, kinds: Vec<ReportKind>) -> impl IntoView {
    let first = kinds.first().map(|k| k.key()).unwrap_or_default();
    let kind = RwSignal::new(first.to_string());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let make = ServerAction::<GenerateReport>::new();
    view! {
        <section aria-labelledby="make-report-heading">
            <h2 id="make-report-heading">"Reports"</h2>
            {if kinds.is_empty() {
                view! { <p>"The agency shares no data of this client that a report could hold."</p> }.into_any()
            } else {
                view! {
                    <form aria-label="Make a report" on:submit=move |ev| {
                        ev.prevent_default();
                        make.dispatch(GenerateReport { client_id, kind: kind.get(), from: from.get(), to: to.get() });
                    }>
                        <ReportFields prefix="make" kinds=kinds.clone() kind from to />
                        <button type="submit" disabled=move || make.pending().get()>"Make report"</button>
                    </form>
                }.into_any()
            }}
            {move || making(make.pending().get())}
            {move || make.value().get().map(|result| match result {
                Ok(r) => view! {
                    <p role="status">{format!("Your {} for {} to {} is ready: ", r.kind.label(), r.from, r.to)}{download_links(r.id)}</p>
                }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </section>
    }
}

/// A case manager of the client, as "Send to" lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub id: i32,
    pub name: String,
}

/// Staff: client profile → Reports → type → dates → Send to Case Manager.
#[component]
pub fn ClientReportsSection(client_id: i32, recipients: Vec<Recipient>) -> impl IntoView {
    let kind = RwSignal::new(ReportKind::MonthlySummary.key().to_string());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<i32>::new());
    let send = ServerAction::<SendReport>::new();
    let make = ServerAction::<GenerateReport>::new();
    let rows = Resource::new(
        move || (send.version().get(), make.version().get()),
        move |_| client_reports(client_id),
    );
    let boxes = recipients
        .into_iter()
        .map(|r| {
            let id = r.id;
            view! {
                <label>
                    <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id) } });
                        } />
                    {r.name}
                </label>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="reports-heading">
            <h2 id="reports-heading">"Reports"</h2>
            <form aria-label="Send a report" on:submit=move |ev| {
                ev.prevent_default();
                send.dispatch(SendReport { client_id, kind: kind.get(), from: from.get(), to: to.get(), recipients: chosen.get() });
            }>
                <ReportFields prefix="send" kinds=ReportKind::ALL.to_vec() kind from to />
                <fieldset>
                    <legend>"Send to"</legend>
                    {boxes}
                </fieldset>
                <button type="submit" disabled=move || send.pending().get() || make.pending().get()>"Send to Case Manager"</button>
                <button type="button" disabled=move || send.pending().get() || make.pending().get() on:click=move |_| {
                    make.dispatch(GenerateReport { client_id, kind: kind.get(), from: from.get(), to: to.get() });
                }>"Make a staff copy"</button>
            </form>
            {move || making(send.pending().get() || make.pending().get())}
            {move || send.value().get().map(|result| match result {
                Ok(n) => view! { <p role="status">{format!("Report sent to {n} case manager{}; it is in their portal under Reports.", if n == 1 { "" } else { "s" })}</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
            {move || make.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <ReportTable rows staff=true /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The portal's Reports page body: everything sent to or made by the case
/// manager.
#[component]
pub fn MyReports(rows: Resource<Result<Vec<ReportRow>, crate::error::AppError>>) -> impl IntoView {
    view! {
        <PageTitle text="Reports" />
        <h1>"Reports"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! { <ReportTable rows /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Settings → Case Manager Portal → Automated Reports.
#[component]
fn AutomatedReports(
    clients: Vec<ScheduleClient>,
    add: ServerAction<AddReportSchedule>,
    stop: ServerAction<StopReportSchedule>,
    rows: Resource<Result<Vec<crate::reports::ScheduleRow>, crate::error::AppError>>,
) -> impl IntoView {
    let client = RwSignal::new(clients.first().map(|c| c.id).unwrap_or(0));
    let kind = RwSignal::new(ReportKind::MonthlySummary.key().to_string());
    let frequency = RwSignal::new("monthly".to_string());
    let day = RwSignal::new(1i32);
    let chosen = RwSignal::new(Vec::<i32>::new());
    let all = StoredValue::new(clients.clone());
    let recipients = move || {
        let cid = client.get();
        all.with_value(|cs| {
            cs.iter()
                .find(|c| c.id == cid)
                .map(|c| c.case_managers.clone())
        })
        .unwrap_or_default()
        .into_iter()
        .map(|(id, name)| {
            view! {
                <label>
                    <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&id))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id) } });
                        } />
                    {name}
                </label>
            }
        })
        .collect_view()
    };
    let days = move || {
        if frequency.get() == "weekly" {
            WEEKDAYS
                .iter()
                .enumerate()
                .map(|(i, d)| view! { <option value=(i + 1).to_string()>{*d}</option> })
                .collect_view()
                .into_any()
        } else {
            (1..=28)
                .map(|d| view! { <option value=d.to_string()>{d.to_string()}</option> })
                .collect_view()
                .into_any()
        }
    };
    view! {
        <section aria-labelledby="automated-heading">
            <h3 id="automated-heading">"Automated Reports"</h3>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! { <p>"No automated reports yet."</p> }.into_any(),
                        Ok(rows) => view! {
                            <TableScroll label="Automated reports"><table aria-label="Automated reports">
                                <thead><tr>
                                    <th scope="col">"Client"</th><th scope="col">"Report"</th><th scope="col">"When"</th>
                                    <th scope="col">"To"</th><th scope="col">"Next run"</th><th scope="col">"Last sent"</th><th scope="col">"Stop"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|s| {
                                        let id = s.id;
                                        let label = format!("Stop the {} of {}", s.kind.label(), s.client_name);
                                        view! {
                                            <tr>
                                                <td>{s.client_name.clone()}</td>
                                                <td>{s.kind.label()}</td>
                                                <td>{s.when}</td>
                                                <td>{s.recipients.join(", ")}</td>
                                                <td>{s.next_run_at}</td>
                                                <td>{s.last_delivered_at.unwrap_or_else(|| "Not yet".into())}</td>
                                                <td><button type="button" aria-label=label on:click=move |_| {
                                                    stop.dispatch(StopReportSchedule { schedule_id: id });
                                                }>"Stop"</button></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
            <form aria-label="Add an automated report" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddReportSchedule {
                    client_id: client.get(), kind: kind.get(), frequency: frequency.get(),
                    day: day.get(), recipients: chosen.get(),
                });
            }>
                <label for="schedule-client">"Client"</label>
                <select id="schedule-client" on:change:target=move |ev| {
                    client.set(ev.target().value().parse().unwrap_or(0));
                    chosen.set(Vec::new());
                }>
                    {clients.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                </select>
                <label for="schedule-kind">"Report type"</label>
                <select id="schedule-kind" on:change:target=move |ev| kind.set(ev.target().value())>
                    {ReportKind::ALL.into_iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                </select>
                <label for="schedule-frequency">"Frequency"</label>
                <select id="schedule-frequency" on:change:target=move |ev| { frequency.set(ev.target().value()); day.set(1); }>
                    <option value="monthly">"Monthly"</option>
                    <option value="weekly">"Weekly"</option>
                </select>
                <label for="schedule-day">{move || if frequency.get() == "weekly" { "Day of the week" } else { "Day of the month" }}</label>
                <select id="schedule-day" on:change:target=move |ev| day.set(ev.target().value().parse().unwrap_or(1))>
                    {days}
                </select>
                <fieldset>
                    <legend>"Send to"</legend>
                    {recipients}
                </fieldset>
                <button type="submit" disabled=move || add.pending().get()>"Add automated report"</button>
            </form>
            {move || add.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            {move || stop.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}

/// [`AutomatedReports`] with the agency's clients loaded. Every resource
/// is made here, before anything is awaited: a resource made after an
/// await would get its id in a different order on the server than in the
/// browser, and hydration would hand it another resource's data.
#[component]
pub fn AutomatedReportsSection() -> impl IntoView {
    let add = ServerAction::<AddReportSchedule>::new();
    let stop = ServerAction::<StopReportSchedule>::new();
    let rows = Resource::new(
        move || (add.version().get(), stop.version().get()),
        |_| report_schedules(),
    );
    let clients = Resource::new(|| (), |_| crate::reports::api::schedule_clients());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match clients.await {
                    Ok(clients) => view! { <AutomatedReports clients add stop rows /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
