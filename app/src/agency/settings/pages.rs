use leptos::prelude::*;

use crate::ui::PageTitle;

use crate::agency::documents::pages::CategorySettings;
use crate::agency::settings::api::{UpdatePortalSettings, get_portal_settings};
use crate::agency::settings::{PortalSettings, SettingsChange};
use crate::agency::{DataKind, Visibility};
use crate::messages::pages::CommunicationSettings;
use crate::reports::pages::AutomatedReportsSection;
use crate::ui::ErrorNotice;
use crate::ui::{ErrorSummary, FieldError, FormErrors, reload_unless_invalid};

/// Settings → Features, Case Manager Portal, Documents.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let update = ServerAction::<UpdatePortalSettings>::new();
    // The Security form has its own action, so its failures show in its
    // own summary, and one refused as invalid keeps what was typed.
    let security = ServerAction::<UpdatePortalSettings>::new();
    let secured = reload_unless_invalid(security);
    let settings = Resource::new(
        move || (update.version().get(), secured.get()),
        |_| get_portal_settings(),
    );
    let outcome = move || match update.value().get() {
        Some(Ok(_)) => Some(view! { <p role="status">"Settings saved."</p> }.into_any()),
        Some(Err(e)) => {
            Some(view! { <p role="alert" class="error">{e.to_string()}</p> }.into_any())
        }
        None => None,
    };
    view! {
        <PageTitle text="Settings" />
        <h1>"Settings"</h1>
        {outcome}
        <Suspense fallback=|| view! { <p>"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => view! {
                        <FeatureSettings s=s.clone() update />
                        <h2>"Case Manager Portal"</h2>
                        <VisibilitySettings v=s.visibility update />
                        <AppearanceSettings s=s.clone() update />
                        <TermsSettings s=s.clone() update />
                        <SecuritySettings s security />
                        <CommunicationSettings />
                        <AutomatedReportsSection />
                        <h2>"Documents"</h2>
                        <CategorySettings />
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <crate::admin::pages::TimeZoneSection />
    }
}

#[component]
fn FeatureSettings(s: PortalSettings, update: ServerAction<UpdatePortalSettings>) -> impl IntoView {
    let on = s.portal_enabled;
    let path = s.portal_path();
    view! {
        <section aria-labelledby="features-heading">
            <h2 id="features-heading">"Features"</h2>
            <p>
                "Case Manager Portal: "
                <strong data-testid="portal-state">{if on { "On" } else { "Off" }}</strong>
            </p>
            <button type="button" on:click=move |_| {
                update.dispatch(UpdatePortalSettings { change: SettingsChange::Enabled(!on) });
            }>{if on { "Turn the Case Manager Portal off" } else { "Turn the Case Manager Portal on" }}</button>
            <p>
                <label for="portal-url">"Case managers sign in at"</label>
                <input id="portal-url" readonly value=path />
            </p>
            <p class="hint">"Turning the portal off refuses every case-manager sign-in and page; nothing is deleted."</p>
        </section>
    }
}

#[component]
fn VisibilitySettings(v: Visibility, update: ServerAction<UpdatePortalSettings>) -> impl IntoView {
    let state = RwSignal::new(v);
    view! {
        <form aria-label="Visibility" on:submit=move |ev| {
            ev.prevent_default();
            update.dispatch(UpdatePortalSettings { change: SettingsChange::Visibility(state.get()) });
        }>
            <fieldset>
                <legend>"Visibility: what case managers see"</legend>
                {DataKind::ALL.into_iter().map(|kind| {
                    let id = format!("visible-{}", kind.key());
                    let for_id = id.clone();
                    view! {
                        <label for=for_id>
                            <input id=id type="checkbox"
                                prop:checked=move || state.get().allows(kind)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    state.update(|v| v.set(kind, on));
                                } />
                            {kind.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit">"Save visibility"</button>
        </form>
    }
}

#[component]
fn AppearanceSettings(
    s: PortalSettings,
    update: ServerAction<UpdatePortalSettings>,
) -> impl IntoView {
    let name = RwSignal::new(s.brand_name.clone());
    let colour = RwSignal::new(s.brand_colour.clone());
    let welcome = RwSignal::new(s.welcome_message.clone());
    let contact = RwSignal::new(s.contact_details.clone());
    let errors = FormErrors::of(move || update.value().get());
    view! {
        <form aria-label="Appearance" on:submit=move |ev| {
            ev.prevent_default();
            update.dispatch(UpdatePortalSettings { change: SettingsChange::Appearance {
                brand_name: name.get(), brand_colour: colour.get(),
                welcome_message: welcome.get(), contact_details: contact.get(),
            }});
        }>
            <fieldset>
                <legend>"Appearance"</legend>
                <label for="brand-name">"Organisation name shown in the portal"</label>
                <input id="brand-name" bind:value=name required
                    aria-invalid=errors.invalid("brand_name") aria-describedby="brand-name-error" />
                <FieldError errors field="brand_name" id="brand-name-error" />
                <label for="brand-colour">"Primary colour"</label>
                <input id="brand-colour" type="color" bind:value=colour
                    aria-invalid=errors.invalid("brand_colour") aria-describedby="brand-colour-error" />
                <FieldError errors field="brand_colour" id="brand-colour-error" />
                <label for="welcome">"Welcome message on the portal's sign-in page"</label>
                <textarea id="welcome" bind:value=welcome></textarea>
                <label for="contact">"Contact details (in invitations and on the sign-in page)"</label>
                <textarea id="contact" bind:value=contact></textarea>
            </fieldset>
            <button type="submit">"Save appearance"</button>
        </form>
        <form aria-label="Logo" method="post" action="/settings/logo" enctype="multipart/form-data">
            <label for="logo">{if s.has_logo { "Replace the logo (PNG or JPEG)" } else { "Upload a logo (PNG or JPEG)" }}</label>
            <input id="logo" name="logo" type="file" accept="image/png,image/jpeg" required />
            <button type="submit">"Upload logo"</button>
        </form>
    }
}

#[component]
fn TermsSettings(s: PortalSettings, update: ServerAction<UpdatePortalSettings>) -> impl IntoView {
    let text = RwSignal::new(s.terms_text.clone());
    let require = RwSignal::new(s.terms_require_acceptance);
    let errors = FormErrors::of(move || update.value().get());
    view! {
        <form aria-label="Terms of use" on:submit=move |ev| {
            ev.prevent_default();
            update.dispatch(UpdatePortalSettings { change: SettingsChange::Terms {
                text: text.get(), require_acceptance: require.get(),
            }});
        }>
            <fieldset>
                <legend>"Terms of use (version " {s.terms_version} ")"</legend>
                <label for="terms-text">"Terms of use text"</label>
                <textarea id="terms-text" rows="6" bind:value=text
                    aria-invalid=errors.invalid("terms_text") aria-describedby="terms-text-error"></textarea>
                <FieldError errors field="terms_text" id="terms-text-error" />
                <label for="terms-require">
                    <input id="terms-require" type="checkbox" bind:checked=require />
                    "Require acceptance on first sign-in (changing the text asks again)"
                </label>
            </fieldset>
            <button type="submit">"Save terms"</button>
        </form>
    }
}

#[component]
fn SecuritySettings(
    s: PortalSettings,
    security: ServerAction<UpdatePortalSettings>,
) -> impl IntoView {
    let idle = RwSignal::new(s.idle_timeout_minutes.to_string());
    let min = RwSignal::new(s.password_min_length.to_string());
    let classes = RwSignal::new(s.password_require_classes);
    let staff_2fa = RwSignal::new(s.require_two_factor_staff);
    let cm_2fa = RwSignal::new(s.require_two_factor_case_managers);
    let days = RwSignal::new(s.invitation_valid_days.to_string());
    let number = |s: RwSignal<String>| s.get().trim().parse::<i32>().unwrap_or(-1);
    let errors = FormErrors::of(move || security.value().get());
    let saved = move || {
        matches!(security.value().get(), Some(Ok(_)))
            .then(|| view! { <p role="status">"Settings saved."</p> })
    };
    view! {
        <ErrorSummary error=errors.signal() fields=&[
            ("idle_timeout_minutes", "idle"),
            ("password_min_length", "min-length"),
            ("invitation_valid_days", "invite-days"),
        ] />
        <form aria-label="Security" on:submit=move |ev| {
            ev.prevent_default();
            security.dispatch(UpdatePortalSettings { change: SettingsChange::Security {
                idle_timeout_minutes: number(idle),
                password_min_length: number(min),
                password_require_classes: classes.get(),
                require_two_factor_staff: staff_2fa.get(),
                require_two_factor_case_managers: cm_2fa.get(),
                invitation_valid_days: number(days),
            }});
        }>
            <fieldset>
                <legend>"Security"</legend>
                <label for="idle">"Session timeout (minutes of inactivity)"</label>
                <input id="idle" type="number" min="1" max="480" bind:value=idle
                    aria-invalid=errors.invalid("idle_timeout_minutes") aria-describedby="idle-error" />
                <FieldError errors field="idle_timeout_minutes" id="idle-error" />
                <label for="min-length">"Minimum password length"</label>
                <input id="min-length" type="number" min="8" max="128" bind:value=min
                    aria-invalid=errors.invalid("password_min_length") aria-describedby="min-length-error" />
                <FieldError errors field="password_min_length" id="min-length-error" />
                <label for="classes">
                    <input id="classes" type="checkbox" bind:checked=classes />
                    "Require upper-case and lower-case letters and a digit"
                </label>
                <label for="staff-2fa">
                    <input id="staff-2fa" type="checkbox" bind:checked=staff_2fa />
                    "Require two-factor sign-in for staff"
                </label>
                <label for="cm-2fa">
                    <input id="cm-2fa" type="checkbox" bind:checked=cm_2fa />
                    "Require two-factor sign-in for case managers"
                </label>
                <label for="invite-days">"Invitations expire after (days)"</label>
                <input id="invite-days" type="number" min="1" max="30" bind:value=days
                    aria-invalid=errors.invalid("invitation_valid_days") aria-describedby="invite-days-error" />
                <FieldError errors field="invitation_valid_days" id="invite-days-error" />
            </fieldset>
            {saved}
            <button type="submit">"Save security settings"</button>
        </form>
    }
}
