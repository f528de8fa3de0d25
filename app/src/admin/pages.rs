use leptos::prelude::*;

use crate::ui::{PageTitle, TableScroll};

use crate::admin::OrgUser;
use crate::admin::api::{
    AddUser, SetCaseManager, SetTimeZone, SetUserActive, get_time_zone, list_org_users,
};
use crate::auth::Role;
use crate::error::AppError;
use crate::ui::ErrorNotice;
use crate::ui::{ErrorSummary, FieldError, FormErrors};

/// The organisation's users, for its admins, with role and access changes.
#[component]
pub fn UserDirectory() -> impl IntoView {
    let add = ServerAction::<AddUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let set_cm = ServerAction::<SetCaseManager>::new();
    let users = Resource::new(
        move || {
            (
                add.version().get(),
                set_active.version().get(),
                set_cm.version().get(),
            )
        },
        |_| list_org_users(),
    );
    let problem = move || {
        set_active
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| set_cm.value().get().and_then(Result::err))
            .map(|e| view! { <p role="alert">{e.to_string()}</p> })
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading users…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(rows) => view! {
                        <h2>"Users"</h2>
                        {problem}
                        <TableScroll label="Users"><table aria-label="Users">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"E-mail"</th>
                                <th scope="col">"Role"</th><th scope="col">"Status"</th>
                                <th scope="col">"Actions"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|u| view! { <UserRow u set_active set_cm /> }).collect_view()}
                            </tbody>
                        </table></TableScroll>
                        <AddUserForm add />
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserRow(
    u: OrgUser,
    set_active: ServerAction<SetUserActive>,
    set_cm: ServerAction<SetCaseManager>,
) -> impl IntoView {
    let id = u.id;
    let name = u.display_name.clone();
    let cm_button = match u.role {
        Role::Staff => Some((
            true,
            format!("Grant Case Manager role to {name}"),
            "Grant Case Manager role",
        )),
        Role::PracticeCaseManager => Some((
            false,
            format!("Remove Case Manager role from {name}"),
            "Remove Case Manager role",
        )),
        _ => None,
    }
    .map(|(grant, label, text)| {
        view! {
            <button type="button" aria-label=label on:click=move |_| {
                set_cm.dispatch(SetCaseManager { user_id: id, grant });
            }>{text}</button>
        }
    });
    let (active_label, active_text) = if u.active {
        (format!("Deactivate {name}"), "Deactivate")
    } else {
        (format!("Reactivate {name}"), "Reactivate")
    };
    let activate = !u.active;
    view! {
        <tr>
            <td>{u.display_name}</td>
            <td>{u.email}</td>
            <td>{u.role.label()}</td>
            <td>{if u.active { "Active" } else { "Deactivated" }}</td>
            <td>
                {cm_button}
                <button type="button" aria-label=active_label on:click=move |_| {
                    set_active.dispatch(SetUserActive { user_id: id, active: activate });
                }>{active_text}</button>
                <crate::auth::pages::EndUserSessionsButton user_id=id name=name.clone() />
                <crate::auth::two_factor::pages::ResetTwoFactorButton user_id=id name=name />
            </td>
        </tr>
    }
}

#[component]
fn AddUserForm(add: ServerAction<AddUser>) -> impl IntoView {
    let errors = FormErrors::of(move || add.value().get());
    // A failure shows in the summary below.
    let added = move || {
        add.value().get().and_then(Result::ok).map(|u| view! {
            <p role="status">{format!("Added {}. They choose their own password at first sign-in.", u.display_name)}</p>
        })
    };
    view! {
        <h2>"Add a person"</h2>
        {added}
        <ErrorSummary error=errors.signal() fields=&[
            ("name", "add-name"),
            ("email", "add-email"),
            ("role", "add-role"),
            ("initial_password", "add-password"),
        ] />
        <ActionForm action=add attr:aria-label="Add a person">
            <label for="add-name">"Full name"</label>
            <input id="add-name" name="name" aria-invalid=errors.invalid("name") aria-describedby="add-name-error" required />
            <FieldError errors field="name" id="add-name-error" />
            <label for="add-email">"E-mail"</label>
            <input id="add-email" name="email" type="email" aria-invalid=errors.invalid("email") aria-describedby="add-email-error" required />
            <FieldError errors field="email" id="add-email-error" />
            <label for="add-role">"Role"</label>
            <select id="add-role" name="role" aria-invalid=errors.invalid("role") aria-describedby="add-role-error">
                <option value="doctor">"Doctor"</option>
                <option value="staff">"Staff"</option>
            </select>
            <FieldError errors field="role" id="add-role-error" />
            <label for="add-specialty">"Specialty (doctors)"</label>
            <input id="add-specialty" name="specialty" />
            <label for="add-password">"Initial password"</label>
            <input id="add-password" name="initial_password" type="password" autocomplete="new-password" aria-invalid=errors.invalid("initial_password") aria-describedby="add-password-error" required />
            <FieldError errors field="initial_password" id="add-password-error" />
            <button type="submit">"Add person"</button>
        </ActionForm>
    }
}

/// The organisation's time zone: every time its people enter or read is
/// on this clock.
#[component]
pub fn TimeZoneSection() -> impl IntoView {
    let save = ServerAction::<SetTimeZone>::new();
    let setting = Resource::new(move || save.version().get(), |_| get_time_zone());
    let outcome = move || match save.value().get() {
        Some(Ok(s)) => {
            Some(view! { <p role="status">{format!("Saved. {}", s.statement)}</p> }.into_any())
        }
        Some(Err(AppError::Validation(_))) | None => None,
        Some(Err(e)) => Some(view! { <p role="alert">{e.to_string()}</p> }.into_any()),
    };
    let field = move || match save.value().get() {
        Some(Err(e)) => e.field_messages("time_zone").join(" "),
        _ => String::new(),
    };
    // Shown only to those who may read it: for anyone else the page
    // around it already says why, once.
    view! {
        <Suspense fallback=|| view! { <p>"Loading the time zone…"</p> }>
            {move || Suspend::new(async move {
                match setting.await {
                    Ok(s) => view! {
                        <section aria-labelledby="time-zone-heading">
                            <h2 id="time-zone-heading">"Time zone"</h2>
                            <p>{s.statement.clone()}</p>
                            <ActionForm action=save attr:aria-label="Time zone">
                                <label for="time-zone">"Time zone"</label>
                                <select id="time-zone" name="time_zone" aria-describedby="time-zone-hint">
                                    {s.choices.into_iter().map(|name| {
                                        let selected = name == s.time_zone;
                                        view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                                    }).collect_view()}
                                </select>
                                <p id="time-zone-hint" class="hint">
                                    "Appointments are entered and every time is shown on this clock. \
                                     Times already saved keep their moment."
                                </p>
                                <span class="field-error">{field}</span>
                                <button type="submit">"Save time zone"</button>
                            </ActionForm>
                            {outcome}
                        </section>
                    }.into_any(),
                    Err(AppError::NotFound) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What an admin administers, on their home page and on `/admin`.
#[component]
pub fn AdminSections() -> impl IntoView {
    view! {
        <UserDirectory />
        <TimeZoneSection />
        <crate::admin::deadlines_section::DeadlinesSection />
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <PageTitle text="Administration" />
        <h1>"Administration"</h1>
        <AdminSections />
    }
}
