use leptos::prelude::*;

use crate::ui::{Breadcrumbs, PageTitle, TableScroll};
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::agency::AccessStatus;
use crate::agency::case_managers::CaseManagerInput;
use crate::agency::case_managers::api::{
    AddCaseManager, InviteCaseManager, SetCaseManagerAccess, UpdateCaseManager, get_case_manager,
    list_case_managers,
};
use crate::error::AppError;
use crate::ui::ErrorNotice;
use crate::ui::{ErrorSummary, FieldError, FormErrors, reload_unless_invalid};

/// Server field → input id, for the summary of each details form. The
/// ids are `DetailsFields`' `{prefix}-{field}`.
const ADD_FIELDS: &[(&str, &str)] = &[
    ("name", "add-name"),
    ("email", "add-email"),
    ("phone", "add-phone"),
    ("employer", "add-employer"),
    ("notes", "add-notes"),
];
const EDIT_FIELDS: &[(&str, &str)] = &[
    ("name", "edit-name"),
    ("email", "edit-email"),
    ("phone", "edit-phone"),
    ("employer", "edit-employer"),
    ("notes", "edit-notes"),
];

/// The directory: a live filter and the add form.
#[component]
pub fn CaseManagerDirectoryPage() -> impl IntoView {
    let text = RwSignal::new(String::new());
    // The list follows the search box after a pause in typing.
    let query = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let pending: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage> =
            StoredValue::new_local(None);
        Effect::new(move |_| {
            let t = text.get();
            pending.set_value(Some(gloo_timers::callback::Timeout::new(300, move || {
                query.set(t)
            })));
        });
    }
    let rows = Resource::new(move || query.get(), list_case_managers);
    view! {
        <PageTitle text="Case managers" />
        <h1>"Case managers"</h1>
        <label for="cm-search">"Search case managers"</label>
        <input id="cm-search" type="search" bind:value=text />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! {
                        <TableScroll label="Case managers"><table aria-label="Case managers">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"E-mail"</th>
                                <th scope="col">"Organisation"</th><th scope="col">"Portal access"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td><a href=format!("/case-managers/{}", r.id)>{r.name}</a></td>
                                        <td>{r.email}</td>
                                        <td>{r.employer}</td>
                                        <td>{r.access.label()}{if r.has_account { "" } else { " (not signed up yet)" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
        <AddCaseManagerForm />
    }
}

#[component]
fn DetailsFields(
    state: RwSignal<CaseManagerInput>,
    errors: FormErrors,
    prefix: &'static str,
) -> impl IntoView {
    let input = move |f: &'static str, label: &'static str, kind: &'static str| {
        let id = format!("{prefix}-{f}");
        let error_id = format!("{id}-error");
        let get = move || {
            state.with(|s| match f {
                "name" => s.name.clone(),
                "email" => s.email.clone(),
                "phone" => s.phone.clone(),
                "employer" => s.employer.clone(),
                _ => s.notes.clone(),
            })
        };
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id type=kind aria-invalid=errors.invalid(f) aria-describedby=error_id.clone()
                prop:value=get on:input=move |ev| {
                let v = event_target_value(&ev);
                state.update(|s| match f {
                    "name" => s.name = v,
                    "email" => s.email = v,
                    "phone" => s.phone = v,
                    "employer" => s.employer = v,
                    _ => s.notes = v,
                });
            } />
            <FieldError errors field=f id=error_id />
        }
    };
    view! {
        {input("name", "Full name", "text")}
        {input("email", "E-mail", "email")}
        {input("phone", "Phone", "tel")}
        {input("employer", "Organisation (their agency or employer)", "text")}
        {input("notes", "Notes", "text")}
    }
}

#[component]
fn AddCaseManagerForm() -> impl IntoView {
    let add = ServerAction::<AddCaseManager>::new();
    let state = RwSignal::new(CaseManagerInput::default());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = add.value().get() {
            navigate(&format!("/case-managers/{id}"), Default::default());
        }
    });
    let errors = FormErrors::of(move || add.value().get());
    view! {
        <h2>"Add a case manager"</h2>
        <ErrorSummary error=errors.signal() fields=ADD_FIELDS />
        <form aria-label="Add a case manager" on:submit=move |ev| {
            ev.prevent_default();
            add.dispatch(AddCaseManager { input: state.get() });
        }>
            <DetailsFields state errors prefix="add" />
            <button type="submit">"Add case manager"</button>
        </form>
    }
}

/// A profile: details, invitation, Portal Access, clients.
#[component]
pub fn CaseManagerPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0));
    let update = ServerAction::<UpdateCaseManager>::new();
    let invite = ServerAction::<InviteCaseManager>::new();
    let access = ServerAction::<SetCaseManagerAccess>::new();
    let updated = reload_unless_invalid(update);
    let profile = Resource::new(
        move || {
            (
                id(),
                // Details refused as invalid stay as typed.
                updated.get(),
                invite.version().get(),
                access.version().get(),
            )
        },
        |(id, ..)| get_case_manager(id),
    );
    let outcome = move || {
        let ok = |m: &'static str| Some(view! { <p role="status">{m}</p> }.into_any());
        let bad = |e: AppError| {
            Some(view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any())
        };
        match (
            invite.value().get(),
            access.value().get(),
            update.value().get(),
        ) {
            (Some(Err(e)), _, _) | (_, Some(Err(e)), _) => bad(e),
            // A failed save of the details shows in their summary.
            (Some(Ok(())), _, _) => ok("Invitation sent."),
            (_, Some(Ok(())), _) => ok("Portal access changed."),
            (_, _, Some(Ok(()))) => ok("Details saved."),
            _ => None,
        }
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let p = match profile.await {
                    Ok(p) => p,
                    Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                };
                let cm = p.row.id;
                let state = RwSignal::new(p.details.clone());
                let message = RwSignal::new(String::new());
                let status = RwSignal::new(p.row.access);
                let reason = RwSignal::new(String::new());
                let errors = FormErrors::of(move || update.value().get());
                let revoked = p.row.access == AccessStatus::Revoked;
                view! {
                    <PageTitle text={p.row.name.clone()} />
                    <Breadcrumbs trail=vec![("Case managers", "/case-managers".to_string())] current=p.row.name.clone() />
                    <h1>{p.row.name.clone()}</h1>
                    {outcome}
                    <section aria-labelledby="details-heading">
                        <h2 id="details-heading">"Details"</h2>
                        <ErrorSummary error=errors.signal() fields=EDIT_FIELDS />
                        <form aria-label="Details" on:submit=move |ev| {
                            ev.prevent_default();
                            update.dispatch(UpdateCaseManager { id: cm, input: state.get() });
                        }>
                            <DetailsFields state errors prefix="edit" />
                            <button type="submit">"Save details"</button>
                        </form>
                    </section>
                    <section aria-labelledby="invite-heading">
                        <h2 id="invite-heading">"Invite to portal"</h2>
                        {p.invitation.clone().map(|i| view! {
                            <p data-testid="invitation-state">{format!("Last invitation: {} (sent {}, expires {})", i.state, i.sent_at, i.expires_at)}</p>
                        })}
                        <form aria-label="Invite to portal" on:submit=move |ev| {
                            ev.prevent_default();
                            invite.dispatch(InviteCaseManager { id: cm, message: message.get() });
                        }>
                            <label for="invite-message">"Personal message (optional)"</label>
                            <textarea id="invite-message" bind:value=message></textarea>
                            <button type="submit" disabled=move || invite.pending().get()>
                                {if p.invitation.is_some() { "Re-send invitation" } else { "Send invitation" }}
                            </button>
                        </form>
                    </section>
                    <crate::portal::preview::pages::PortalPreviewSection case_manager_id=cm />
                    {(p.row.has_account && !revoked).then(|| view! {
                        <section aria-labelledby="reset-heading">
                            <h2 id="reset-heading">"Sign-in"</h2>
                            <crate::auth::reset::pages::SendResetLink user_id=cm name=p.row.name.clone() />
                            <crate::auth::two_factor::pages::ResetTwoFactorButton user_id=cm name=p.row.name.clone() />
                            <crate::auth::pages::EndUserSessionsButton user_id=cm name=p.row.name.clone() />
                        </section>
                    })}
                    <section aria-labelledby="access-heading">
                        <h2 id="access-heading">"Portal Access"</h2>
                        <p>"Status: " <strong data-testid="access-status">{p.row.access.label()}</strong>
                            {(!p.access_reason.is_empty()).then(|| format!(" — {}", p.access_reason))}</p>
                        {(!revoked).then(|| view! {
                            <form aria-label="Change portal access" on:submit=move |ev| {
                                ev.prevent_default();
                                access.dispatch(SetCaseManagerAccess { id: cm, status: status.get(), reason: reason.get() });
                            }>
                                <label for="access-status">"New status"</label>
                                <select id="access-status" on:change=move |ev| {
                                    if let Some(s) = AccessStatus::from_key(&event_target_value(&ev)) { status.set(s); }
                                }>
                                    {AccessStatus::ALL.into_iter().map(|s| view! {
                                        <option value=s.key() selected=s == p.row.access>{s.label()}</option>
                                    }).collect_view()}
                                </select>
                                <label for="access-reason">"Reason (optional)"</label>
                                <input id="access-reason" bind:value=reason />
                                <button type="submit">"Change access"</button>
                            </form>
                            <p class="hint">"Suspended: cannot sign in, can be re-activated. Revoked: permanent; only a new invitation lets them back in. A change ends their open sessions at once."</p>
                        })}
                        <TableScroll label="Access history"><table aria-label="Access history">
                            <thead><tr><th scope="col">"When"</th><th scope="col">"Change"</th><th scope="col">"Reason"</th><th scope="col">"By"</th></tr></thead>
                            <tbody>
                                {p.history.into_iter().map(|h| view! {
                                    <tr><td>{h.at}</td><td>{format!("{} → {}", h.from.label(), h.to.label())}</td><td>{h.reason}</td><td>{h.by}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                    </section>
                    <section aria-labelledby="clients-heading">
                        <h2 id="clients-heading">"Clients"</h2>
                        <ul>
                            {p.clients.into_iter().map(|c| view! {
                                <li><a href=format!("/clients/{}", c.client_id)>{c.client_name}</a>
                                    {format!(" — {}{}", c.relationship.label(), if c.archived { " (archived)" } else { "" })}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
