use leptos::prelude::*;

use crate::layout::SessionState;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = SessionState::get();
    let login = session.login;
    let (show_password, set_show_password) = signal(false);
    // A full page load after signing in: the start page is rendered on the
    // server for the new session, and nothing of the signed-out page stays.
    Effect::new(move |_| {
        if let Some(Ok(())) = login.value().get() {
            let _ = window().location().set_href("/");
        }
    });
    let error = move || match login.value().get() {
        Some(Err(e)) => Some(view! { <p role="alert" class="error">{e.to_string()}</p> }),
        _ => None,
    };
    view! {
        <section class="login">
            <h1>"Sign in to Caseport"</h1>
            <crate::auth::idle::TimedOutNotice />
            <ActionForm action=login>
                <label for="login-email">"E-mail"</label>
                <input id="login-email" type="email" name="email" autocomplete="username" required />
                <label for="login-password">"Password"</label>
                <input
                    id="login-password"
                    name="password"
                    autocomplete="current-password"
                    required
                    type=move || if show_password.get() { "text" } else { "password" }
                />
                // Works only once the page has hydrated: a plain button with
                // no form action.
                <button
                    type="button"
                    aria-pressed=move || show_password.get().to_string()
                    on:click=move |_| set_show_password.update(|s| *s = !*s)
                >
                    {move || if show_password.get() { "Hide password" } else { "Show password" }}
                </button>
                {error}
                <button type="submit" disabled=move || login.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
            <p><a href="/password-reset">"Forgot your password?"</a></p>
        </section>
    }
}

/// Shown instead of everything else while a user still has the initial
/// password an admin gave them.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let change = ServerAction::<crate::auth::api::ChangePassword>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            let _ = window().location().set_href("/");
        }
    });
    let field = move |name: &'static str| {
        move || match change.value().get() {
            Some(Err(e)) => e.field_messages(name).join(" "),
            _ => String::new(),
        }
    };
    view! {
        <h1>"Choose your password"</h1>
        <p>"Your account was set up with a temporary password. Choose your own to continue: at least 12 characters."</p>
        <ActionForm action=change attr:aria-label="Change password">
            <label for="pw-current">"Current password"</label>
            <input id="pw-current" name="current" type="password" autocomplete="current-password" required />
            <span class="field-error">{field("current")}</span>
            <label for="pw-new">"New password"</label>
            <input id="pw-new" name="new" type="password" autocomplete="new-password" required />
            <span class="field-error">{field("new")}</span>
            <label for="pw-confirm">"Repeat new password"</label>
            <input id="pw-confirm" name="confirm" type="password" autocomplete="new-password" required />
            <span class="field-error">{field("confirm")}</span>
            <button type="submit">"Save password"</button>
        </ActionForm>
    }
}

/// The signed-in user's sessions, with a way to end the others.
#[component]
pub fn AccountPage() -> impl IntoView {
    use crate::auth::api::{EndSessions, list_sessions};
    let end = ServerAction::<EndSessions>::new();
    let sessions = Resource::new(move || end.version().get(), |_| list_sessions());
    view! {
        <h1>"Your account"</h1>
        <h2>"Where you are signed in"</h2>
        <Suspense fallback=|| view! { <p>"Loading sessions…"</p> }>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(rows) => view! {
                        <table aria-label="Sessions">
                            <thead><tr>
                                <th scope="col">"Started"</th><th scope="col">"Last active"</th>
                                <th scope="col">"Address"</th><th scope="col">"Browser"</th><th scope="col">""</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|s| {
                                    let id = s.id.clone();
                                    let label = format!("End the session started {}", s.started);
                                    view! {
                                        <tr>
                                            <td>{s.started}</td><td>{s.last_seen}</td>
                                            <td>{s.ip.unwrap_or_default()}</td><td>{s.user_agent.unwrap_or_default()}</td>
                                            <td>{if s.current {
                                                view! { "This session" }.into_any()
                                            } else {
                                                view! { <button type="button" aria-label=label on:click=move |_| {
                                                    end.dispatch(EndSessions { id: Some(id.clone()) });
                                                }>"End"</button> }.into_any()
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <crate::layout::ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <button type="button" on:click=move |_| { end.dispatch(EndSessions { id: None }); }>
            "Sign out everywhere else"
        </button>
    }
}
