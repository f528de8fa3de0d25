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
        </section>
    }
}
