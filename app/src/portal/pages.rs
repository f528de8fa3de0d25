//! The case manager's pages: the terms gate, "My clients" with live
//! filters, and a client's page with one tab per data kind the agency
//! shows.

use leptos::prelude::*;

use crate::ui::{Breadcrumbs, PageTitle, TableScroll};
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::agency::DataKind;
use crate::agency::settings::PortalFace;
use crate::assignments::Relationship;
use crate::care::AppointmentStatus;
use crate::care::hours::{HoursChart, hours};
use crate::care::pages::{AppointmentTable, AssessmentList, HoursTable};
use crate::error::AppError;
use crate::messages::pages::Conversation;
use crate::portal::ClientsFilter;
use crate::portal::api::{
    AcceptTerms, my_clients, portal_assessments, portal_client, portal_documents, portal_hours,
    portal_notes, portal_schedule, portal_terms,
};
use crate::reports::ReportKind;
use crate::reports::pages::ReportMaker;
use crate::ui::ErrorNotice;
use crate::ui::{debounced, replace_query};

/// The terms of use, shown before anything else until accepted.
#[component]
pub fn TermsGate() -> impl IntoView {
    let terms = Resource::new(|| (), |_| portal_terms());
    let accept = ServerAction::<AcceptTerms>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = accept.value().get() {
            let _ = window().location().reload();
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match terms.await {
                    Ok(t) => view! {
                        <PageTitle text="Terms of use" />
                        <h1>"Terms of use"</h1>
                        <p>"Please read and accept the agency's terms of use before you continue."</p>
                        <div class="terms" role="document" aria-label="Terms of use">{t.text}</div>
                        {move || accept.value().get().and_then(Result::err).map(|e| view! { <p role="alert">{e.to_string()}</p> })}
                        <ActionForm action=accept attr:aria-label="Accept the terms of use">
                            <input type="hidden" name="version" value=t.version.to_string() />
                            <button type="submit">"I accept the terms of use"</button>
                        </ActionForm>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "My clients" with filters that live in the URL.
#[component]
pub fn PortalClientList(slug: String) -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| ClientsFilter {
            name: q.get("name").unwrap_or_default(),
            relationship: q.get("relationship").unwrap_or_default(),
            upcoming: q.get("upcoming").is_some_and(|v| v == "1"),
        })
    });
    let rows = Resource::new(move || filter.get(), my_clients);
    let base = format!("/portal/{slug}");
    let go = {
        let base = base.clone();
        move |f: ClientsFilter| {
            replace_query(
                base.clone(),
                vec![
                    ("name", f.name),
                    ("relationship", f.relationship),
                    (
                        "upcoming",
                        if f.upcoming {
                            "1".into()
                        } else {
                            String::new()
                        },
                    ),
                ],
            )
        }
    };
    let name = RwSignal::new(filter.get_untracked().name);
    let typed = RwSignal::new(0u64);
    let go_name = go.clone();
    let go_rel = go.clone();
    let go_up = go;
    let slug_for_rows = slug.clone();
    view! {
        <form class="filters" aria-label="Filter my clients" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="filter-name">"Client name"</label>
                <input id="filter-name" type="search" prop:value=move || name.get()
                    on:input:target=move |ev| {
                        name.set(ev.target().value());
                        let go = go_name.clone();
                        debounced(typed, move || {
                            let mut f = filter.get_untracked();
                            f.name = name.get_untracked();
                            go(f);
                        });
                    } />
            </div>
            <div class="field">
                <label for="filter-relationship">"Relationship"</label>
                <select id="filter-relationship" on:change:target=move |ev| {
                    let mut f = filter.get_untracked();
                    f.relationship = ev.target().value();
                    go_rel(f);
                }>
                    <option value="" selected=move || filter.read().relationship.is_empty()>"Any"</option>
                    {Relationship::ALL.into_iter().map(|r| view! {
                        <option value=r.key() selected=move || filter.read().relationship == r.key()>{r.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-upcoming">
                    <input id="filter-upcoming" type="checkbox" prop:checked=move || filter.read().upcoming
                        on:change:target=move |ev| {
                            let mut f = filter.get_untracked();
                            f.upcoming = ev.target().checked();
                            go_up(f);
                        } />
                    "Has upcoming appointments"
                </label>
            </div>
        </form>
        <Transition fallback=|| view! { <p>"Loading clients…"</p> }>
            {move || {
                let slug = slug_for_rows.clone();
                Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() && filter.get_untracked() == ClientsFilter::default() => {
                            view! { <p>"No clients are assigned to you."</p> }.into_any()
                        }
                        Ok(rows) if rows.is_empty() => view! { <p>"No clients match these filters."</p> }.into_any(),
                        Ok(rows) => view! {
                            <TableScroll label="My clients"><table aria-label="My clients">
                                <thead><tr>
                                    <th scope="col">"Client"</th><th scope="col">"Relationship"</th>
                                    <th scope="col">"Next appointment"</th><th scope="col">"Hours this month"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|c| view! {
                                        <tr>
                                            <td><a href=format!("/portal/{slug}/clients/{}", c.id)>{c.full_name}</a></td>
                                            <td>{c.relationship.label()}</td>
                                            <td>{c.next_appointment.unwrap_or_else(|| "—".into())}</td>
                                            <td>{c.hours_this_month.map(|h| format!("{} of {} h completed", hours(h.completed_minutes), hours(h.authorised_minutes))).unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// `/portal/<slug>/clients/<id>?tab=…`: one client, one tab at a time.
/// Everything it loads is made before the one suspense awaits it: a
/// resource made after an `await` inside nested suspense broke the
/// hydration of a directly loaded tab.
#[component]
pub fn PortalClientPage(
    face: Resource<Result<PortalFace, AppError>>,
    /// A case manager who has accepted the terms is signed in.
    signed_in: bool,
    /// The agency's branding bar.
    branding: fn(PortalFace) -> AnyView,
) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0));
    let tab = Memo::new(move |_| query.with(|q| q.get("tab").and_then(|t| DataKind::from_key(&t))));
    let reports_tab =
        Memo::new(move |_| query.with(|q| q.get("tab").as_deref() == Some("reports")));
    let messages_tab =
        Memo::new(move |_| query.with(|q| q.get("tab").as_deref() == Some("messages")));
    let client = Resource::new(id, portal_client);
    view! {
        <Suspense fallback=|| view! { <p>"Loading client…"</p> }>
            // The tab is read here, outside the async part: a tab change
            // redraws the page from the loaded client. Inside, the view is
            // fixed; a reactive tab switch wrapped around the tabs' own
            // suspense did not hydrate from the server's HTML.
            {move || {
                let (tab_now, reports_now, messages_now) =
                    (tab.get(), reports_tab.get(), messages_tab.get());
                Suspend::new(async move {
                    let face = match face.await {
                        Ok(f) => f,
                        Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    let slug = face.slug.clone();
                    if !(signed_in && face.enabled) {
                        return view! { <Redirect path=format!("/portal/{slug}") /> }.into_any();
                    }
                    let c = match client.await {
                        Ok(c) => c,
                        Err(error) => return view! { {branding(face)}<ErrorNotice error /> }.into_any(),
                    };
                    let cid = c.id;
                    let current = if reports_now || messages_now {
                        None
                    } else {
                        tab_now.filter(|t| c.tabs.contains(t)).or(c.tabs.first().copied())
                    };
                    let report_kinds: Vec<ReportKind> = ReportKind::ALL.into_iter().filter(|k| c.tabs.contains(&k.needs())).collect();
                    let links = c.tabs.iter().map(|k| {
                        let k = *k;
                        view! {
                            <a href=format!("/portal/{slug}/clients/{cid}?tab={}", k.key())
                                aria-current=(current == Some(k)).then_some("page")>{k.label()}</a>
                        }
                    }).collect_view();
                    let reports_link = (!report_kinds.is_empty()).then(|| view! {
                        <a href=format!("/portal/{slug}/clients/{cid}?tab=reports")
                            aria-current=reports_now.then_some("page")>"Reports"</a>
                    });
                    let messaging = c.messaging;
                    let title = format!("{} · {} portal", c.full_name, face.brand_name);
                    let messages_link = messaging.then(|| view! {
                        <a href=format!("/portal/{slug}/clients/{cid}?tab=messages")
                            aria-current=messages_now.then_some("page")>"Messages"</a>
                    });
                    view! {
                        {branding(face)}
                        <Breadcrumbs trail=vec![("My clients", format!("/portal/{slug}"))] current=c.full_name.clone() />
                        <PageTitle text=title />
                        <h1>{c.full_name.clone()}</h1>
                        <p>{format!("You are this client's {} case manager.", c.relationship.label())}</p>
                        <p class="zone-note">{c.zone.clone()}</p>
                        {c.contact.clone().map(|ct| view! {
                            <section aria-labelledby="contact-heading">
                                <h2 id="contact-heading">"Contact info"</h2>
                                <dl>
                                    <dt>"Phone"</dt><dd>{ct.phone}</dd>
                                    <dt>"E-mail"</dt><dd>{ct.email}</dd>
                                    <dt>"Address"</dt><dd>{ct.address}</dd>
                                </dl>
                            </section>
                        })}
                        <nav aria-label="Client record" class="tabs">{links}{reports_link}{messages_link}</nav>
                        {match current {
                            _ if messages_now && messaging => view! {
                                <section aria-labelledby="messages-heading">
                                    <h2 id="messages-heading">"Messages"</h2>
                                    <p>"Messages go to the agency's staff; please keep them about this client."</p>
                                    <Conversation client_id=cid case_manager_id=None write_label="Message to the agency" />
                                </section>
                            }.into_any(),
                            _ if reports_now => view! { <ReportMaker client_id=cid kinds=report_kinds /> }.into_any(),
                            Some(DataKind::Schedules) => view! { <ScheduleTab client_id=cid /> }.into_any(),
                            Some(DataKind::Notes) => view! { <NotesTab client_id=cid /> }.into_any(),
                            Some(DataKind::HoursSummary) => view! { <HoursTab client_id=cid /> }.into_any(),
                            Some(DataKind::Assessments) => view! { <AssessmentsTab client_id=cid /> }.into_any(),
                            Some(DataKind::Documents) => view! { <DocumentsTab client_id=cid /> }.into_any(),
                            _ => view! { <p>"The agency shares no records of this client in the portal."</p> }.into_any(),
                        }}
                    }.into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn ScheduleTab(client_id: i32) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let rows = Resource::new(
        move || (from.get(), to.get(), status.get()),
        move |(f, t, s)| portal_schedule(client_id, f, t, s),
    );
    view! {
        <section aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">"Schedule"</h2>
            <form class="filters" aria-label="Filter the schedule" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="schedule-from">"From"</label>
                    <input id="schedule-from" type="date" bind:value=from />
                </div>
                <div class="field">
                    <label for="schedule-to">"To"</label>
                    <input id="schedule-to" type="date" bind:value=to />
                </div>
                <div class="field">
                    <label for="schedule-status">"Status"</label>
                    <select id="schedule-status" on:change:target=move |ev| status.set(ev.target().value())>
                        <option value="">"Any"</option>
                        {AppointmentStatus::ALL.into_iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
            </form>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <AppointmentTable rows /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotesTab(client_id: i32) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let typed = RwSignal::new(0u64);
    let rows = Resource::new(move || search.get(), move |q| portal_notes(client_id, q));
    view! {
        <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Service notes"</h2>
            <label for="notes-search">"Search notes"</label>
            <input id="notes-search" type="search" prop:value=move || text.get()
                on:input:target=move |ev| {
                    text.set(ev.target().value());
                    debounced(typed, move || search.set(text.get_untracked()));
                } />
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! { <p>"No service notes."</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul aria-label="Service notes">
                                {rows.into_iter().map(|n| view! {
                                    <li>
                                        <p class="meta">{n.written_at}{n.author.map(|a| format!(" · {a}"))}</p>
                                        <p>{n.content}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn HoursTab(client_id: i32) -> impl IntoView {
    let rows = Resource::new(|| (), move |_| portal_hours(client_id));
    view! {
        <section aria-labelledby="hours-heading">
            <h2 id="hours-heading">"Hours"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(months) => view! {
                            <HoursChart months=months.clone() />
                            <HoursTable months />
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AssessmentsTab(client_id: i32) -> impl IntoView {
    let rows = Resource::new(|| (), move |_| portal_assessments(client_id));
    view! {
        <section aria-labelledby="assessments-heading">
            <h2 id="assessments-heading">"Assessments"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) => view! { <AssessmentList rows /> }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DocumentsTab(client_id: i32) -> impl IntoView {
    let rows = Resource::new(|| (), move |_| portal_documents(client_id));
    view! {
        <section aria-labelledby="documents-heading">
            <h2 id="documents-heading">"Documents"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Ok(rows) if rows.is_empty() => view! { <p>"No documents are shared with you."</p> }.into_any(),
                        Ok(rows) => view! {
                            <TableScroll label="Shared documents"><table aria-label="Shared documents">
                                <thead><tr><th scope="col">"Document"</th><th scope="col">"Category"</th><th scope="col">"Added"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|d| view! {
                                        <tr>
                                            <td><a href=format!("/documents/{}/download", d.id) download="">{format!("Download {}", d.name)}</a></td>
                                            <td>{d.category}</td>
                                            <td>{d.uploaded_at}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></TableScroll>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
