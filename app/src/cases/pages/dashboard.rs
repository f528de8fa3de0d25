use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::auth::Role;
use crate::cases::CaseRow;
use crate::cases::api::{BulkTransition, case_queues, list_cases, practice_doctors};
use crate::cases::filters::CaseFilter;
use crate::cases::queues::Queue;
use crate::cases::workflow::{RejectionReason, Transition};
use crate::cases::{CaseSide, CaseStatus};
use crate::ui::encode;
use crate::ui::{ConfirmDialog, ErrorNotice, TableScroll};

/// How long typing must pause before the list follows.
const DEBOUNCE_MS: u32 = 300;

/// The case list with filters that live in the URL: reload, back and a
/// shared link all keep them, and the server renders the first page.
#[component]
pub fn CaseDashboard(role: Role) -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| CaseFilter::from_pairs(|k| query.read().get(k)));
    let after = Memo::new(move |_| query.read().get("after"));
    let bulk = ServerAction::<BulkTransition>::new();
    let cases = Resource::new(
        move || (filter.get(), after.get(), bulk.version().get()),
        |(f, a, _)| list_cases(f, a),
    );
    let navigate = use_navigate();
    let go = move |f: CaseFilter| {
        let qs = f.to_query_string();
        let url = if qs.is_empty() {
            "/".to_string()
        } else {
            format!("/?{qs}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };

    // The search box keeps its own text and follows the URL only when the
    // user pauses typing.
    let text = RwSignal::new(filter.get_untracked().q.unwrap_or_default());
    let typed = RwSignal::new(0u64);
    let on_type = {
        let go = go.clone();
        move |value: String| {
            text.set(value);
            typed.update(|n| *n += 1);
            let generation = typed.get_untracked();
            let go = go.clone();
            let apply = move || {
                if typed.get_untracked() == generation {
                    let mut f = filter.get_untracked();
                    let q = text.get_untracked();
                    f.q = if q.trim().is_empty() { None } else { Some(q) };
                    go(f);
                }
            };
            #[cfg(feature = "hydrate")]
            gloo_timers::callback::Timeout::new(DEBOUNCE_MS, apply).forget();
            #[cfg(not(feature = "hydrate"))]
            let _ = (apply, DEBOUNCE_MS);
        }
    };

    let set = {
        let go = go.clone();
        move |change: &dyn Fn(&mut CaseFilter)| {
            let mut f = filter.get_untracked();
            change(&mut f);
            go(f);
        }
    };
    let set_doctor = set.clone();
    let set_status = set.clone();
    let set_side = set.clone();
    let set_from = set.clone();
    let set_to = set.clone();

    let doctors = Resource::new(
        || (),
        move |_| async move {
            if role == Role::PracticeCaseManager {
                practice_doctors().await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );

    // Only those who receive and own cases have queues.
    let has_queues = matches!(role, Role::Doctor | Role::PracticeCaseManager);
    // Fetched again with every change of the filter, not only the doctor:
    // the Overdue count moves with the clock, and should agree with the
    // list it sits above.
    let queues = Resource::new(
        move || (filter.get(), bulk.version().get()),
        move |(filter, _)| async move {
            if has_queues {
                case_queues(filter.doctor)
                    .await
                    .map(|q| q.counts)
                    .unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );

    view! {
        <section class="case-dashboard">
            {has_queues.then(|| view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        view! { <QueueNav counts=queues.await filter /> }
                    })}
                </Suspense>
            })}
            <super::saved_views::SavedViewsBar filter />
            <form class="filters" aria-label="Filter cases" on:submit=|ev| ev.prevent_default()>
                {(role == Role::PracticeCaseManager).then(|| view! {
                    <div class="field">
                        <label for="filter-doctor">"Doctor"</label>
                        <Suspense fallback=|| ()>
                            <select id="filter-doctor"
                                on:change:target=move |ev| {
                                    let v = ev.target().value();
                                    set_doctor(&|f| f.doctor = v.parse().ok());
                                }
                            >
                                <option value="" selected=move || filter.read().doctor.is_none()>"All doctors"</option>
                                {move || Suspend::new(async move {
                                    doctors.await.into_iter().map(|d| {
                                        let id = d.user_id;
                                        view! {
                                            <option value=id.to_string() selected=move || filter.read().doctor == Some(id)>
                                                {d.name}
                                            </option>
                                        }
                                    }).collect_view()
                                })}
                            </select>
                        </Suspense>
                    </div>
                })}
                <div class="field">
                    <label for="filter-status">"Status"</label>
                    // The property, not only the options' attributes: once a
                    // select has been used, a link that changes the filter
                    // (a queue, a saved view) must still move it.
                    <select id="filter-status"
                        prop:value=move || filter.read().status.map(|s| s.key()).unwrap_or_default()
                        on:change:target=move |ev| {
                        let v = ev.target().value();
                        set_status(&|f| f.status = CaseStatus::from_key(&v));
                    }>
                        <option value="" selected=move || filter.read().status.is_none()>"Any status"</option>
                        {CaseStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=move || filter.read().status == Some(s)>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-side">"Role on the case"</label>
                    <select id="filter-side"
                        prop:value=move || filter.read().side.map(|s| s.key()).unwrap_or_default()
                        on:change:target=move |ev| {
                        let v = ev.target().value();
                        set_side(&|f| f.side = CaseSide::from_key(&v));
                    }>
                        <option value="" selected=move || filter.read().side.is_none()>"Any role"</option>
                        {CaseSide::ALL.into_iter().map(|s| view! {
                            <option value=s.key() selected=move || filter.read().side == Some(s)>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-from">"Updated from"</label>
                    <input id="filter-from" type="date"
                        prop:value=move || filter.read().from.map(|d| d.to_string()).unwrap_or_default()
                        on:change:target=move |ev| {
                            let v = ev.target().value();
                            set_from(&|f| f.from = v.parse().ok());
                        }
                    />
                </div>
                <div class="field">
                    <label for="filter-to">"Updated to"</label>
                    <input id="filter-to" type="date"
                        prop:value=move || filter.read().to.map(|d| d.to_string()).unwrap_or_default()
                        on:change:target=move |ev| {
                            let v = ev.target().value();
                            set_to(&|f| f.to = v.parse().ok());
                        }
                    />
                </div>
                <div class="field wide">
                    <label for="filter-q">"Search patient or reason"</label>
                    <input id="filter-q" type="search" autocomplete="off"
                        prop:value=move || text.get()
                        on:input:target=move |ev| on_type(ev.target().value())
                    />
                </div>
            </form>
            <Transition fallback=|| view! { <LoadingRows /> }>
                {move || Suspend::new(async move {
                    match cases.await {
                        Ok(page) => {
                            let next = page.next.clone().map(|cursor| {
                                let qs = filter.get_untracked().to_query_string();
                                let sep = if qs.is_empty() { "" } else { "&" };
                                format!("/?{qs}{sep}after={}", encode(&cursor))
                            });
                            view! {
                                <StatusSummary counts=page.by_status.clone() filter=filter.get_untracked() />
                                <div class="toolbar">
                                    <p data-testid="case-count" aria-live="polite">{format!("{} cases", page.total)}</p>
                                    <span class="spacer"></span>
                                    <A href="/cases/new" attr:class="button">"New referral"</A>
                                    <a class="button secondary" href=move || format!("/cases/export.csv?{}", filter.get().to_query_string()) download="cases.csv">
                                        "Export CSV"
                                    </a>
                                </div>
                                <CaseTable rows=page.rows bulk selectable=role != Role::Staff />
                                <p class="actions">
                                    {after.get_untracked().map(|_| view! {
                                        <a class="button secondary" href=move || format!("/?{}", filter.get().to_query_string())>"First page"</a>
                                    })}
                                    {next.map(|href| view! { <A href=href attr:class="button secondary">"Next page"</A> })}
                                </p>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A count per status for the current filters; each one is a link that
/// applies that status (and "All" drops it).
#[component]
fn StatusSummary(counts: Vec<(CaseStatus, u64)>, filter: CaseFilter) -> impl IntoView {
    if counts.is_empty() {
        return ().into_any();
    }
    let all: u64 = counts.iter().map(|(_, n)| n).sum();
    let current = filter.status;
    let href = move |status: Option<CaseStatus>| {
        let qs = CaseFilter {
            status,
            ..filter.clone()
        }
        .to_query_string();
        if qs.is_empty() {
            "/".to_string()
        } else {
            format!("/?{qs}")
        }
    };
    let item = move |status: Option<CaseStatus>, label: &'static str, n: u64| {
        // A plain link: `A` would mark every one of them current, as they
        // share the path and differ only in the query.
        let here = (current == status).then_some("true");
        view! {
            <li>
                <a href=href(status) aria-current=here>
                    <span class="count">{n}</span>
                    <span class="label">{label}</span>
                </a>
            </li>
        }
    };
    view! {
        <nav aria-label="Cases by status">
            <ul class="status-summary">
                {item(None, "All statuses", all)}
                {counts.into_iter().map(|(s, n)| item(Some(s), s.label(), n)).collect_view()}
            </ul>
        </nav>
    }
    .into_any()
}

/// The work queues with their counts. A queue link keeps only the doctor
/// filter: each count is exactly what its link lists.
#[component]
fn QueueNav(counts: Vec<(Queue, u64)>, filter: Memo<CaseFilter>) -> impl IntoView {
    let href = move |queue: Option<Queue>| {
        let qs = CaseFilter {
            queue,
            doctor: filter.read_untracked().doctor,
            ..Default::default()
        }
        .to_query_string();
        if qs.is_empty() {
            "/".to_string()
        } else {
            format!("/?{qs}")
        }
    };
    let current =
        move |queue: Option<Queue>| move || (filter.read().queue == queue).then_some("true");
    view! {
        <nav aria-label="Work queues">
            <ul class="queues">
                <li><a href=href(None) aria-current=current(None)>"All cases"</a></li>
                {counts.into_iter().map(|(q, n)| view! {
                    <li>
                        <a href=href(Some(q)) aria-current=current(Some(q))>
                            <span class="label">{q.label()}</span>
                            " "
                            <span class="count">{n}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// Placeholder rows while the first page loads.
#[component]
fn LoadingRows() -> impl IntoView {
    view! {
        <div class="skeleton" role="status" aria-label="Loading cases">
            <span></span><span></span><span></span><span></span><span></span><span></span>
        </div>
    }
}

/// A table of cases; with `selectable`, rows can be picked for a bulk
/// accept or reject (a reject asks first).
#[component]
pub fn CaseTable(
    rows: Vec<CaseRow>,
    bulk: ServerAction<BulkTransition>,
    selectable: bool,
) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <div class="empty">
                <strong>"No cases match"</strong>
                "Clear a filter or choose another status above. New referrals appear here as soon as they are sent."
            </div>
        }
        .into_any();
    }
    let selected: RwSignal<Vec<(i32, i32)>> = RwSignal::new(Vec::new());
    let reason = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let run = move |transition: Transition| {
        let items = selected.get_untracked();
        let reason = RejectionReason::from_key(&reason.get_untracked());
        bulk.dispatch(BulkTransition {
            items,
            transition,
            reason,
            note: None,
        });
    };
    let count = move || selected.read().len();
    let cases_word = move || {
        let n = count();
        if n == 1 {
            "1 case".to_string()
        } else {
            format!("{n} cases")
        }
    };
    let outcomes = move || {
        bulk.value().get().map(|r| match r {
            Ok(list) => view! {
                <ul aria-label="Bulk results" role="status">
                    {list.into_iter().map(|o| view! {
                        <li class=if o.ok { "ok" } else { "error" }>{format!("Case #{}: {}", o.id, o.message)}</li>
                    }).collect_view()}
                </ul>
            }.into_any(),
            Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        {selectable.then(|| view! {
            <div class="bulk actions" role="group" aria-label="Selected cases" hidden=move || count() == 0>
                <strong>{move || format!("{} selected", cases_word())}</strong>
                <button type="button" on:click=move |_| run(Transition::Accept)>"Accept selected"</button>
                <label for="bulk-reason">"Rejection reason"</label>
                <select id="bulk-reason" on:change:target=move |ev| reason.set(ev.target().value())>
                    <option value="">"Choose a reason"</option>
                    {RejectionReason::ALL.into_iter().map(|r| view! { <option value=r.key()>{r.label()}</option> }).collect_view()}
                </select>
                <button type="button" class="danger" on:click=move |_| confirming.set(true)>"Reject selected"</button>
            </div>
            <ConfirmDialog
                open=confirming
                title=Signal::derive(move || format!("Reject {}?", cases_word()))
                body=Signal::derive(move || "The referring doctors see the rejection and its reason on the case.".to_string())
                confirm=Signal::derive(move || format!("Reject {}", cases_word()))
                on_confirm=Callback::new(move |_| run(Transition::Reject))
            />
            {outcomes}
        })}
        <TableScroll label="Cases">
        <table aria-label="Cases">
            <thead>
                <tr>
                    {selectable.then(|| view! { <th scope="col"><span class="visually-hidden">"Select"</span></th> })}
                    <th scope="col">"Patient"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Urgency"</th>
                    <th scope="col">"Referred by"</th>
                    <th scope="col">"Referred to"</th>
                    <th scope="col">"Owner"</th>
                    <th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let key = (r.id, r.version);
                    let label = format!("Select {}", r.patient_name);
                    let row_class = if r.urgency == crate::cases::Urgency::Routine { "" } else { "urgent-row" };
                    view! {
                        <tr class=row_class>
                            {selectable.then(|| view! {
                                <td>
                                    <input type="checkbox" aria-label=label
                                        on:change:target=move |ev| {
                                            let on = ev.target().checked();
                                            selected.update(|s| {
                                                s.retain(|k| k.0 != key.0);
                                                if on { s.push(key); }
                                            });
                                        }
                                    />
                                </td>
                            })}
                            <td><A href=format!("/cases/{}", r.id)>{r.patient_name}</A></td>
                            <td>{r.reason}</td>
                            <td>
                                <span class=format!("badge {}", r.status.tone())>{r.status.label()}</span>
                                {r.due.map(|d| view! { <DueNote d /> })}
                            </td>
                            <td><span class=r.urgency.badge()>{r.urgency.label()}</span></td>
                            <td>{r.referred_by}</td>
                            <td>{r.referred_to}</td>
                            <td>{r.owner.unwrap_or_else(|| "—".to_string())}</td>
                            <td><time>{r.updated_at}</time></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </TableScroll>
    }
    .into_any()
}

/// A waiting case's deadline under its status: a red badge once missed.
#[component]
fn DueNote(d: crate::cases::Due) -> impl IntoView {
    let class = if d.is_overdue() {
        "due badge danger"
    } else {
        "due"
    };
    view! { <span class=class>{d.label()}</span> }
}
