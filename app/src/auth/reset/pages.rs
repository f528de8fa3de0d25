//! The screens of `auth::reset`.

use crate::auth::reset::api::{
    RequestPasswordReset, ResetPassword, SendPasswordReset, check_password_reset,
};
use leptos::prelude::*;

use crate::ui::{ErrorSummary, FieldError, FormErrors, PageTitle};
use leptos_router::hooks::use_query_map;

/// `/password-reset`: ask for a link; with `?token=…`, choose the new
/// password.
#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        {move || if token().is_empty() {
            view! { <RequestForm /> }.into_any()
        } else {
            view! { <NewPasswordForm token=token() /> }.into_any()
        }}
    }
}

#[component]
fn RequestForm() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    view! {
        <PageTitle text="Reset your password" />
        <h1>"Reset your password"</h1>
        {move || match request.value().get() {
            Some(Ok(())) => Some(view! {
                <p role="status">"If that address has an account, we have sent it a link. It works for an hour."</p>
            }.into_any()),
            Some(Err(e)) => Some(view! { <p role="alert">{e.to_string()}</p> }.into_any()),
            None => None,
        }}
        <ActionForm action=request attr:aria-label="Ask for a reset link">
            <label for="reset-email">"E-mail"</label>
            <input id="reset-email" type="email" name="email" autocomplete="username" required />
            <button type="submit">"Send me a link"</button>
        </ActionForm>
    }
}

#[component]
fn NewPasswordForm(token: String) -> impl IntoView {
    let info = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        check_password_reset,
    );
    let reset = ServerAction::<ResetPassword>::new();
    let errors = FormErrors::of(move || reset.value().get());
    view! {
        <PageTitle text="Choose a new password" />
        <h1>"Choose a new password"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    if let Some(Ok(())) = reset.value().get() {
                        return view! {
                            <p role="status">"Your password is changed, and every session of your account has ended. Sign in with the new password."</p>
                            <a href="/login">"Go to sign-in"</a>
                        }.into_any();
                    }
                    match info.await {
                        Ok(i) => view! {
                            <p>{format!("For {}. At least {} characters{}; common passwords are refused.", i.email, i.password_min_length,
                                if i.password_require_classes { ", with upper- and lower-case letters and a digit" } else { "" })}</p>
                            <ErrorSummary error=errors.signal() fields=&[
                                ("password", "reset-password"),
                                ("confirm", "reset-confirm"),
                            ] />
                            <ActionForm action=reset attr:aria-label="Choose a new password">
                                <input type="hidden" name="token" value=token.clone() />
                                <label for="reset-password">"New password"</label>
                                <input id="reset-password" type="password" name="password" autocomplete="new-password" aria-invalid=errors.invalid("password") aria-describedby="reset-password-error" required />
                                <FieldError errors field="password" id="reset-password-error" />
                                <label for="reset-confirm">"Repeat the new password"</label>
                                <input id="reset-confirm" type="password" name="confirm" autocomplete="new-password" aria-invalid=errors.invalid("confirm") aria-describedby="reset-confirm-error" required />
                                <FieldError errors field="confirm" id="reset-confirm-error" />
                                <button type="submit">"Change password"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// An admin's button: e-mail someone a reset link.
#[component]
pub fn SendResetLink(user_id: i32, name: String) -> impl IntoView {
    let send = ServerAction::<SendPasswordReset>::new();
    view! {
        <button type="button" disabled=move || send.pending().get()
            on:click=move |_| { send.dispatch(SendPasswordReset { user_id }); }>
            {format!("Send {name} a password-reset link")}
        </button>
        {move || match send.value().get() {
            Some(Ok(())) => Some(view! { <p role="status">"Password-reset link sent."</p> }.into_any()),
            Some(Err(e)) => Some(view! { <p role="alert">{e.to_string()}</p> }.into_any()),
            None => None,
        }}
    }
}
