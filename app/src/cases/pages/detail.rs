use leptos::prelude::*;

use crate::ui::{Breadcrumbs, PageTitle};
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::cases::Urgency;
use crate::cases::api::{
    AcknowledgeCase, AssignCase, ModifyCase, ReferCase, TransitionCase, doctor_directory, get_case,
};
use crate::cases::pages::conversation::CaseConversation;
use crate::cases::workflow::{RejectionReason, Transition};
use crate::cases::{CaseChanges, CaseDetail};
use crate::ui::{ErrorNotice, NotFound};
use crate::ui::{ErrorSummary, FieldError, FormErrors, reload_unless_invalid};

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok());
    let transition = ServerAction::<TransitionCase>::new();
    let modify = ServerAction::<ModifyCase>::new();
    let refer = ServerAction::<ReferCase>::new();
    let acknowledge = ServerAction::<AcknowledgeCase>::new();
    let assign = ServerAction::<AssignCase>::new();
    // Any finished action (also a refused one) shows the case as it is now,
    // except an edit refused as invalid: the form keeps what was typed.
    let modified = reload_unless_invalid(modify);
    let case = Resource::new(
        move || {
            (
                id(),
                transition.version().get(),
                modified.get(),
                acknowledge.version().get(),
                assign.version().get(),
            )
        },
        |(id, _, _, _, _)| async move {
            match id {
                Some(id) => get_case(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // Receipt is a change, so it is a POST made from the browser once the
    // page has loaded, never a side effect of reading the page.
    Effect::new(move |_| {
        if let Some(Ok(Some(c))) = case.get()
            && c.can_receive
            && acknowledge.version().get_untracked() == 0
            && !acknowledge.pending().get_untracked()
        {
            acknowledge.dispatch(AcknowledgeCase { id: c.id });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = refer.value().get() {
            let _ = window().location().set_href(&format!("/cases/{new_id}"));
        }
    });
    // The edit and refer forms show their own errors in a summary.
    let problem = move || {
        transition
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| assign.value().get().and_then(Result::err))
            .map(|e| view! { <p role="alert" class="error">{e.to_string()}</p> })
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading case…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(Some(c)) => view! {
                        {problem}
                        <CaseView c transition modify refer assign />
                    }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseView(
    c: CaseDetail,
    transition: ServerAction<TransitionCase>,
    modify: ServerAction<ModifyCase>,
    refer: ServerAction<ReferCase>,
    assign: ServerAction<AssignCase>,
) -> impl IntoView {
    let (id, version) = (c.id, c.version);
    let reason = RwSignal::new(String::new());
    let reject_note = RwSignal::new(String::new());
    let buttons = c
        .allowed
        .iter()
        .copied()
        .filter(|t| *t != Transition::Reject)
        .map(|t| {
            view! {
                <button type="button" on:click=move |_| {
                    transition.dispatch(TransitionCase { id, version, transition: t, reason: None, note: None });
                }>{t.label()}</button>
            }
        })
        .collect_view();
    let can_reject = c.allowed.contains(&Transition::Reject);
    let has_actions = !c.allowed.is_empty();
    view! {
        <article class="case">
            <Breadcrumbs trail=vec![("Cases", "/".to_string())] current=format!("Case #{id}") />
            <div class="headline">
                <PageTitle text={c.patient_name.clone()} />
                <h1>{c.patient_name.clone()}</h1>
                <span class=format!("badge {}", c.status.tone())>{c.status.label()}</span>
                <span class=c.urgency.badge()>{c.urgency.label()}</span>
                {c.due.clone().filter(|d| d.is_overdue()).map(|d| view! { <span class="badge danger">{d.label()}</span> })}
            </div>
            <div class="case-layout">
                <div>
                    {view! { <section class="panel" aria-labelledby="details-heading">
                        <h2 id="details-heading">"Details"</h2>
                        <dl>
                            <dt>"Status"</dt><dd data-testid="case-status">{c.status.label()}</dd>
                            {c.rejection.clone().map(|r| view! { <dt>"Rejection reason"</dt><dd>{r}</dd> })}
                            <dt>"Urgency"</dt><dd>{c.urgency.label()}</dd>
                            {c.due.clone().map(|d| view! { <dt>"Response"</dt><dd data-testid="case-due">{d.label()}</dd> })}
                            <dt>"Reason"</dt><dd>{c.reason.clone()}</dd>
                            <dt>"Referred by"</dt><dd>{c.referred_by.clone()}</dd>
                            <dt>"Referred to"</dt><dd>{c.referred_to.clone()}</dd>
                            <dt>"Owner"</dt><dd data-testid="case-owner">{c.owner.clone().map(|o| o.name).unwrap_or_else(|| "Unassigned".to_string())}</dd>
                            <dt>"Associated"</dt><dd>{c.associates.join(", ")}</dd>
                            <dt>"Date of birth"</dt><dd>{c.patient_date_of_birth.clone().unwrap_or_default()}</dd>
                            <dt>"Contact"</dt><dd>{c.patient_contact.clone().unwrap_or_default()}</dd>
                            <dt>"Notes"</dt><dd>{c.notes.clone().unwrap_or_default()}</dd>
                            {c.parent_case_id.map(|p| view! {
                                <dt>"Referred on from"</dt><dd><A href=format!("/cases/{p}")>{format!("Case #{p}")}</A></dd>
                            })}
                        </dl>
                    </section> }.into_any()}
                    {has_actions.then(|| view! {
                        <section class="panel" aria-labelledby="decide-heading">
                            <h2 id="decide-heading">"Decide"</h2>
                            <div role="group" aria-label="Case actions">{buttons}</div>
                            {can_reject.then(|| view! {
                                <fieldset>
                                    <legend>"Reject"</legend>
                                    <label for="reject-reason">"Reason"</label>
                                    <select id="reject-reason" on:change:target=move |ev| reason.set(ev.target().value())>
                                        <option value="">"Choose a reason"</option>
                                        {RejectionReason::ALL.into_iter().map(|r| view! { <option value=r.key()>{r.label()}</option> }).collect_view()}
                                    </select>
                                    <label for="reject-note">"Note for the referring doctor"</label>
                                    <input id="reject-note" on:input:target=move |ev| reject_note.set(ev.target().value()) />
                                    <button type="button" class="danger" on:click=move |_| {
                                        transition.dispatch(TransitionCase {
                                            id,
                                            version,
                                            transition: Transition::Reject,
                                            reason: RejectionReason::from_key(&reason.get_untracked()),
                                            note: Some(reject_note.get_untracked()),
                                        });
                                    }>"Reject case"</button>
                                </fieldset>
                            })}
                        </section>
                    }.into_any())}
                    {c.can_assign.then(|| view! { <section class="panel"><ChooseOwner c=c.clone() assign /></section> }.into_any())}
                    {c.can_modify.then(|| view! { <section class="panel"><EditCase c=c.clone() modify /></section> }.into_any())}
                    {c.can_refer.then(|| view! { <section class="panel"><ReferOn id version refer /></section> }.into_any())}
                </div>
                <div>
                <CaseConversation id />
                {view! { <section class="panel" aria-labelledby="history-heading">
                    <h2 id="history-heading">"History"</h2>
                    {c.history.is_empty().then(|| view! { <p class="muted">"No changes yet."</p> })}
                    <ol aria-label="History" class="history">
                        {c.history.into_iter().map(|h| view! { <li>{h.text}<span class="visually-hidden">", "</span><time>{h.at}</time></li> }).collect_view()}
                    </ol>
                </section> }.into_any()}
                </div>
            </div>
        </article>
    }
}

/// Who on the receiving side answers for the case: take it, hand it to
/// someone, or leave it unowned.
#[component]
fn ChooseOwner(c: CaseDetail, assign: ServerAction<AssignCase>) -> impl IntoView {
    let (id, version) = (c.id, c.version);
    let current = c.owner.as_ref().map(|o| o.user_id);
    let chosen = RwSignal::new(current.map(|u| u.to_string()).unwrap_or_default());
    view! {
        <form class="owner" aria-label="Case owner" on:submit=move |ev| {
            ev.prevent_default();
            assign.dispatch(AssignCase { id, version, owner: chosen.get_untracked().parse().ok() });
        }>
            <h2>"Owner"</h2>
            {c.take_as.map(|me| view! {
                <p>
                    <button type="button" on:click=move |_| {
                        assign.dispatch(AssignCase { id, version, owner: Some(me) });
                    }>"Assign to me"</button>
                </p>
            })}
            <label for="owner-select">"Owner of this case"</label>
            <select id="owner-select" on:change:target=move |ev| chosen.set(ev.target().value())>
                <option value="" selected=current.is_none()>"Nobody (unassigned)"</option>
                {c.owner_choices.into_iter().map(|o| view! {
                    <option value=o.user_id.to_string() selected=current == Some(o.user_id)>{o.name}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="secondary">"Save owner"</button>
        </form>
    }
}

#[component]
fn EditCase(c: CaseDetail, modify: ServerAction<ModifyCase>) -> impl IntoView {
    let reason = RwSignal::new(c.reason.clone());
    let urgency = RwSignal::new(c.urgency);
    let contact = RwSignal::new(c.patient_contact.clone().unwrap_or_default());
    let notes = RwSignal::new(c.notes.clone().unwrap_or_default());
    let (id, version) = (c.id, c.version);
    let errors = FormErrors::of(move || modify.value().get());
    view! {
        <ErrorSummary error=errors.signal() fields=&[
            ("reason", "edit-reason"),
            ("patient_contact", "edit-contact"),
            ("notes", "edit-notes"),
        ] />
        <form class="edit-case" aria-label="Edit case" on:submit=move |ev| {
            ev.prevent_default();
            modify.dispatch(ModifyCase {
                id,
                version,
                changes: CaseChanges {
                    reason: reason.get_untracked(),
                    urgency: urgency.get_untracked(),
                    patient_contact: Some(contact.get_untracked()),
                    notes: Some(notes.get_untracked()),
                },
            });
        }>
            <h2>"Edit"</h2>
            <label for="edit-reason">"Reason for referral"</label>
            <textarea id="edit-reason" aria-invalid=errors.invalid("reason") aria-describedby="edit-reason-error"
                prop:value=move || reason.get()
                on:input:target=move |ev| reason.set(ev.target().value())></textarea>
            <FieldError errors field="reason" id="edit-reason-error" />
            <label for="edit-urgency">"Urgency"</label>
            <select id="edit-urgency" on:change:target=move |ev| {
                if let Some(u) = Urgency::from_key(&ev.target().value()) { urgency.set(u); }
            }>
                {Urgency::ALL.into_iter().map(|u| view! {
                    <option value=u.key() selected=move || urgency.get() == u>{u.label()}</option>
                }).collect_view()}
            </select>
            <label for="edit-contact">"Patient contact"</label>
            <input id="edit-contact" aria-invalid=errors.invalid("patient_contact") aria-describedby="edit-contact-error"
                prop:value=move || contact.get()
                on:input:target=move |ev| contact.set(ev.target().value()) />
            <FieldError errors field="patient_contact" id="edit-contact-error" />
            <label for="edit-notes">"Notes"</label>
            <textarea id="edit-notes" aria-invalid=errors.invalid("notes") aria-describedby="edit-notes-error"
                prop:value=move || notes.get()
                on:input:target=move |ev| notes.set(ev.target().value())></textarea>
            <FieldError errors field="notes" id="edit-notes-error" />
            <button type="submit">"Save changes"</button>
        </form>
    }
}

#[component]
fn ReferOn(id: i32, version: i32, refer: ServerAction<ReferCase>) -> impl IntoView {
    let doctors = Resource::new(|| (), |_| doctor_directory(String::new()));
    let to = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = FormErrors::of(move || refer.value().get());
    view! {
        <ErrorSummary error=errors.signal() fields=&[
            ("to_doctor", "refer-to"),
            ("note", "refer-note"),
        ] />
        <form class="refer" aria-label="Refer on" on:submit=move |ev| {
            ev.prevent_default();
            if let Ok(to_doctor) = to.get_untracked().parse() {
                refer.dispatch(ReferCase { id, version, to_doctor, note: note.get_untracked() });
            }
        }>
            <h2>"Refer on"</h2>
            <label for="refer-to">"Refer to doctor"</label>
            <select id="refer-to" aria-invalid=errors.invalid("to_doctor") aria-describedby="refer-to-error" on:change:target=move |ev| to.set(ev.target().value())>
                <option value="">"Choose a doctor"</option>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        doctors.await.unwrap_or_default().into_iter().map(|d| view! {
                            <option value=d.user_id.to_string()>{format!("{} ({}, {})", d.name, d.specialty, d.practice)}</option>
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            <FieldError errors field="to_doctor" id="refer-to-error" />
            <label for="refer-note">"Note for the new doctor"</label>
            <input id="refer-note" aria-invalid=errors.invalid("note") aria-describedby="refer-note-error" on:input:target=move |ev| note.set(ev.target().value()) />
            <FieldError errors field="note" id="refer-note-error" />
            <button type="submit">"Refer"</button>
        </form>
    }
}
