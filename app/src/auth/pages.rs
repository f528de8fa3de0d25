use leptos::prelude::*;

use crate::ui::{ErrorSummary, FieldError, FormErrors, PageTitle, TableScroll};

use crate::auth::api::Login;

/// Signing in, from the password to the session: shows `children` (the
/// password form) until the password is right, then the two-factor step
/// where one is needed, and goes to `done_href` with a full page load once
/// signed in, so the page is rendered afresh for the new session.
#[component]
pub fn SignInFlow(
    /// The password form's action (`children` holds the form).
    login: ServerAction<Login>,
    #[prop(into)] done_href: String,
    children: ChildrenFn,
) -> impl IntoView {
    use crate::auth::LoginStep;
    use crate::auth::api::LoginCode;
    use crate::auth::two_factor::pages::{EnrolmentGuide, RecoveryCodes};
    use crate::ui::error_for;
    let code = ServerAction::<LoginCode>::new();
    let go = {
        let done_href = done_href.clone();
        move || {
            let _ = window().location().set_href(&done_href);
        }
    };
    Effect::new({
        let go = go.clone();
        move |_| {
            if let Some(Ok(LoginStep::SignedIn)) = login.value().get() {
                go();
            }
        }
    });
    Effect::new(move |_| {
        // Recovery codes from a set-up during sign-in are shown first.
        if let Some(Ok(codes)) = code.value().get()
            && codes.is_empty()
        {
            go();
        }
    });
    let code_error = move || match code.value().get() {
        Some(Err(e)) => Some(view! { <p role="alert" class="error">{error_for(&e, "code")}</p> }),
        _ => None,
    };
    let code_form = move |challenge: String, hint: &'static str| {
        view! {
            <ActionForm action=code attr:aria-label="Two-factor code">
                <input type="hidden" name="challenge" value=challenge />
                <label for="login-code">"Authentication code"</label>
                <input id="login-code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
                <p class="hint">{hint}</p>
                {code_error}
                <button type="submit" disabled=move || code.pending().get()>"Continue"</button>
            </ActionForm>
        }
    };
    move || {
        if let Some(Ok(codes)) = code.value().get()
            && !codes.is_empty()
        {
            return view! {
                <p role="status">"Two-factor sign-in is on, and you are signed in."</p>
                <RecoveryCodes codes />
                // A full page load: the page is rendered afresh for the new session.
                <a href=done_href.clone() rel="external">"I have saved my recovery codes: continue"</a>
            }
            .into_any();
        }
        match login.value().get() {
            Some(Ok(LoginStep::CodeNeeded { challenge })) => view! {
                <h2>"Two-factor sign-in"</h2>
                {code_form(challenge, "Enter the 6-digit code from your authenticator app, or one of your recovery codes.")}
            }
            .into_any(),
            Some(Ok(LoginStep::SetUpNeeded { challenge, enrolment })) => view! {
                <h2>"Set up two-factor sign-in"</h2>
                <p>"Your organisation requires two-factor sign-in. Set it up now to continue."</p>
                <EnrolmentGuide enrolment />
                {code_form(challenge, "The code changes every 30 seconds.")}
            }
            .into_any(),
            _ => children().into_any(),
        }
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let (show_password, set_show_password) = signal(false);
    let error = move || match login.value().get() {
        Some(Err(e)) => Some(view! { <p role="alert" class="error">{e.to_string()}</p> }),
        _ => None,
    };
    view! {
        <section class="login">
            <PageTitle text="Sign in to Caseport" />
            <h1>"Sign in to Caseport"</h1>
            <crate::auth::idle::TimedOutNotice />
            <SignInFlow login done_href="/">
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
            </SignInFlow>
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
    let errors = FormErrors::of(move || change.value().get());
    view! {
        <PageTitle text="Choose your password" />
        <h1>"Choose your password"</h1>
        <p>"Your account was set up with a temporary password. Choose your own to continue: at least 12 characters."</p>
        <ErrorSummary error=errors.signal() fields=&[
            ("current", "pw-current"),
            ("new", "pw-new"),
            ("confirm", "pw-confirm"),
        ] />
        <ActionForm action=change attr:aria-label="Change password">
            <label for="pw-current">"Current password"</label>
            <input id="pw-current" name="current" type="password" autocomplete="current-password" aria-invalid=errors.invalid("current") aria-describedby="pw-current-error" required />
            <FieldError errors field="current" id="pw-current-error" />
            <label for="pw-new">"New password"</label>
            <input id="pw-new" name="new" type="password" autocomplete="new-password" aria-invalid=errors.invalid("new") aria-describedby="pw-new-error" required />
            <FieldError errors field="new" id="pw-new-error" />
            <label for="pw-confirm">"Repeat new password"</label>
            <input id="pw-confirm" name="confirm" type="password" autocomplete="new-password" aria-invalid=errors.invalid("confirm") aria-describedby="pw-confirm-error" required />
            <FieldError errors field="confirm" id="pw-confirm-error" />
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
        <PageTitle text="Your account" />
        <h1>"Your account"</h1>
        <ChangeEmailSection />
        {crate::layout::PageUser::get().is_some_and(|me| me.nav.notifications).then(|| view! {
            <crate::notifications::settings::NotificationSettings />
        })}
        <crate::auth::two_factor::pages::TwoFactorSection />
        <crate::api_tokens::pages::ApiTokensSection />
        <h2>"Where you are signed in"</h2>
        <Suspense fallback=|| view! { <p>"Loading sessions…"</p> }>
            {move || Suspend::new(async move {
                match sessions.await {
                    Ok(rows) => view! {
                        <TableScroll label="Sessions"><table aria-label="Sessions">
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
                        </table></TableScroll>
                    }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <button type="button" on:click=move |_| { end.dispatch(EndSessions { id: None }); }>
            "Sign out everywhere else"
        </button>
    }
}

/// A new sign-in e-mail, after the password proves it is the holder.
#[component]
fn ChangeEmailSection() -> impl IntoView {
    use crate::auth::api::ChangeEmail;
    let change = ServerAction::<ChangeEmail>::new();
    let errors = FormErrors::of(move || change.value().get());
    // A failure shows in the summary above the form.
    let outcome = move || {
        matches!(change.value().get(), Some(Ok(()))).then(|| view! {
            <p role="status">"Your e-mail address is changed. Sign in with the new one from now on."</p>
        })
    };
    view! {
        <section aria-labelledby="email-heading">
            <h2 id="email-heading">"E-mail address"</h2>
            <ErrorSummary error=errors.signal() fields=&[
                ("email", "new-email"),
                ("password", "email-password"),
            ] />
            <ActionForm action=change attr:aria-label="Change e-mail address">
                <label for="new-email">"New e-mail address"</label>
                <input id="new-email" name="email" type="email" autocomplete="email" aria-invalid=errors.invalid("email") aria-describedby="new-email-error" required />
                <FieldError errors field="email" id="new-email-error" />
                <label for="email-password">"Password, to change your e-mail"</label>
                <input id="email-password" name="password" type="password" autocomplete="current-password" aria-invalid=errors.invalid("password") aria-describedby="email-password-error" required />
                <FieldError errors field="password" id="email-password-error" />
                <button type="submit">"Change e-mail address"</button>
            </ActionForm>
            {outcome}
        </section>
    }
}

/// An admin's button: sign someone out everywhere.
#[component]
pub fn EndUserSessionsButton(user_id: i32, name: String) -> impl IntoView {
    use crate::auth::api::EndUserSessions;
    let end = ServerAction::<EndUserSessions>::new();
    view! {
        <button type="button" disabled=move || end.pending().get()
            on:click=move |_| { end.dispatch(EndUserSessions { user_id }); }>
            {format!("Sign {name} out everywhere")}
        </button>
        {move || match end.value().get() {
            Some(Ok(n)) => Some(view! {
                <p role="status">{format!("{n} session{} ended.", if n == 1 { "" } else { "s" })}</p>
            }.into_any()),
            Some(Err(e)) => Some(view! { <p role="alert">{e.to_string()}</p> }.into_any()),
            None => None,
        }}
    }
}
