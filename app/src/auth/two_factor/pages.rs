//! Two-factor on screen: the set-up guide (QR code and key), recovery
//! codes, and the account page's section.

use leptos::prelude::*;

use crate::auth::two_factor::Enrolment;
use crate::auth::two_factor::api::{
    BeginTwoFactor, ConfirmTwoFactor, RenewRecoveryCodes, TurnOffTwoFactor, two_factor_status,
};
use crate::error::AppError;
use crate::ui::error_for;

/// How to add the account to an authenticator app.
#[component]
pub fn EnrolmentGuide(enrolment: Enrolment) -> impl IntoView {
    view! {
        <ol class="enrolment">
            <li>"Open an authenticator app on your phone and add an account."</li>
            <li>
                "Scan this QR code with it:"
                <div class="qr" role="img" aria-label="QR code for your authenticator app" inner_html=enrolment.qr_svg></div>
                "Or type this key into the app: "
                <code data-testid="totp-secret">{enrolment.secret}</code>
            </li>
            <li>"Enter the 6-digit code the app shows."</li>
        </ol>
    }
}

/// Recovery codes, shown once.
#[component]
pub fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    view! {
        <section class="recovery-codes" aria-labelledby="recovery-codes-heading">
            <h2 id="recovery-codes-heading">"Your recovery codes"</h2>
            <p>
                "Each code signs you in once if you lose your phone. Print them or keep them in a
                password manager: they are not shown again."
            </p>
            <ul aria-label="Recovery codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        </section>
    }
}

/// The account page's two-factor section.
#[component]
pub fn TwoFactorSection() -> impl IntoView {
    let begin = ServerAction::<BeginTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let renew = ServerAction::<RenewRecoveryCodes>::new();
    let off = ServerAction::<TurnOffTwoFactor>::new();
    let status = Resource::new(
        move || {
            (
                confirm.version().get(),
                renew.version().get(),
                off.version().get(),
            )
        },
        |_| two_factor_status(),
    );
    // New codes to show: from turning it on or renewing them; gone once
    // two-factor is off, as they no longer work.
    let fresh_codes = RwSignal::new(None::<Vec<String>>);
    Effect::new(move |_| {
        if let Some(Ok(codes)) = confirm.value().get() {
            fresh_codes.set(Some(codes));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(codes)) = renew.value().get() {
            fresh_codes.set(Some(codes));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = off.value().get() {
            fresh_codes.set(None);
        }
    });
    let error = move |result: Option<Result<_, AppError>>, field: &'static str| {
        result.and_then(|r| r.err()).map(|e| {
            view! { <p role="alert" class="error">{error_for(&e, field)}</p> }
        })
    };
    let setting_up = move || {
        begin
            .value()
            .get()
            .and_then(Result::ok)
            .filter(|_| !matches!(confirm.value().get(), Some(Ok(_))))
    };
    view! {
        <section aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading">"Two-factor sign-in"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(e) => view! { <crate::ui::ErrorNotice error=e /> }.into_any(),
                        Ok(s) if s.enabled => view! {
                            <p data-testid="two-factor-status">
                                {format!(
                                    "Two-factor sign-in is on. {} recovery code{} left.",
                                    s.recovery_codes_left,
                                    if s.recovery_codes_left == 1 { "" } else { "s" }
                                )}
                            </p>
                            <ActionForm action=renew attr:aria-label="New recovery codes">
                                <label for="renew-password">"Password, to make new recovery codes"</label>
                                <input id="renew-password" name="password" type="password" autocomplete="current-password" required />
                                <button type="submit">"Make new recovery codes"</button>
                            </ActionForm>
                            {move || error(renew.value().get().map(|r| r.map(|_| ())), "password")}
                            {if s.required {
                                view! { <p>"Your organisation requires two-factor sign-in, so it cannot be turned off."</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=off attr:aria-label="Turn off two-factor sign-in">
                                        <label for="off-password">"Password, to turn two-factor off"</label>
                                        <input id="off-password" name="password" type="password" autocomplete="current-password" required />
                                        <button type="submit">"Turn off two-factor sign-in"</button>
                                    </ActionForm>
                                    {move || error(off.value().get(), "password")}
                                }.into_any()
                            }}
                        }.into_any(),
                        Ok(_) => view! {
                            <p data-testid="two-factor-status">
                                "Two-factor sign-in is off. With it on, signing in needs a code from an
                                authenticator app on your phone as well as your password."
                            </p>
                            {move || match setting_up() {
                                None => view! {
                                    <ActionForm action=begin attr:aria-label="Set up two-factor sign-in">
                                        <label for="begin-password">"Password, to set up two-factor"</label>
                                        <input id="begin-password" name="password" type="password" autocomplete="current-password" required />
                                        <button type="submit">"Set up two-factor sign-in"</button>
                                    </ActionForm>
                                    {move || error(begin.value().get().map(|r| r.map(|_| ())), "password")}
                                }.into_any(),
                                Some(enrolment) => view! {
                                    <EnrolmentGuide enrolment />
                                    <ActionForm action=confirm attr:aria-label="Turn on two-factor sign-in">
                                        <label for="confirm-code">"Code from your app"</label>
                                        <input id="confirm-code" name="code" inputmode="numeric" autocomplete="one-time-code" required />
                                        <button type="submit">"Turn on two-factor sign-in"</button>
                                    </ActionForm>
                                    {move || error(confirm.value().get().map(|r| r.map(|_| ())), "code")}
                                }.into_any(),
                            }}
                        }.into_any(),
                    }
                })}
            </Transition>
            {move || fresh_codes.get().map(|codes| view! { <RecoveryCodes codes /> })}
        </section>
    }
}

/// An admin's button: clear someone's two-factor after a lost phone.
#[component]
pub fn ResetTwoFactorButton(user_id: i32, name: String) -> impl IntoView {
    use crate::auth::two_factor::api::ResetTwoFactor;
    let reset = ServerAction::<ResetTwoFactor>::new();
    let question = format!(
        "Reset {name}'s two-factor sign-in? They will be signed out and sign in with their password alone (or set two-factor up again where it is required)."
    );
    view! {
        <button type="button" disabled=move || reset.pending().get()
            on:click=move |_| {
                if window().confirm_with_message(&question).unwrap_or(false) {
                    reset.dispatch(ResetTwoFactor { user_id });
                }
            }>
            {format!("Reset {name}'s two-factor sign-in")}
        </button>
        {move || match reset.value().get() {
            Some(Ok(())) => Some(view! { <p role="status">"Two-factor sign-in reset."</p> }.into_any()),
            Some(Err(e)) => Some(view! { <p role="alert">{e.to_string()}</p> }.into_any()),
            None => None,
        }}
    }
}
