//! The account page's notification settings: which kinds of event also
//! come by e-mail. Everything is always in the app.

use leptos::prelude::*;

use crate::notifications::api::{
    SaveDeliverySettings, SaveNotificationPreferences, delivery_settings, notification_preferences,
};
use crate::notifications::{Delivery, DeliverySettings, NotificationKind, Preference};
use crate::ui::{ErrorSummary, FormErrors};

fn select_id(kind: NotificationKind) -> String {
    format!("notify-{}", kind.label().to_lowercase().replace(' ', "-"))
}

#[component]
pub fn NotificationSettings() -> impl IntoView {
    let save = ServerAction::<SaveNotificationPreferences>::new();
    let prefs = Resource::new(|| (), |_| notification_preferences());
    let errors = FormErrors::of(move || save.value().get());
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            .then(|| view! { <p role="status">"Notification settings saved."</p> })
    };
    view! {
        <section aria-labelledby="notification-settings-heading">
            <h2 id="notification-settings-heading">"Notifications"</h2>
            <p>"Every notification shows under Notifications at the top of the page. Choose which also come by e-mail, at once or gathered in one daily digest. An e-mail says what happened and links to it; it never names a patient or a client."</p>
            <ErrorSummary error=errors.signal() fields=&[("delivery", "notification-settings")] />
            <Suspense fallback=|| view! { <p>"Loading notification settings…"</p> }>
                {move || Suspend::new(async move {
                    match prefs.await {
                        Ok(rows) => view! { <PreferenceForm rows save /> }.into_any(),
                        Err(e) => view! { <crate::ui::ErrorNotice error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            {saved}
            <DeliveryForm />
        </section>
    }
}

/// When the digest leaves, and a doctor's choice to hand their
/// notifications to their practice's case managers.
#[component]
fn DeliveryForm() -> impl IntoView {
    let save = ServerAction::<SaveDeliverySettings>::new();
    let current = Resource::new(|| (), |_| delivery_settings());
    let errors = FormErrors::of(move || save.value().get());
    let saved = move || {
        matches!(save.value().get(), Some(Ok(())))
            .then(|| view! { <p role="status">"Delivery settings saved."</p> })
    };
    view! {
        <ErrorSummary error=errors.signal() fields=&[("digest_hour", "digest-hour"), ("hand_on", "hand-on")] />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match current.await {
                    Ok(settings) => view! { <DeliveryFields settings save /> }.into_any(),
                    Err(e) => view! { <crate::ui::ErrorNotice error=e /> }.into_any(),
                }
            })}
        </Suspense>
        {saved}
    }
}

#[component]
fn DeliveryFields(
    settings: DeliverySettings,
    save: ServerAction<SaveDeliverySettings>,
) -> impl IntoView {
    let hour = RwSignal::new(settings.digest_hour);
    let hand_on = RwSignal::new(settings.hand_on);
    let who = if settings.case_managers.is_empty() {
        "Your practice has no case manager yet: until it has, they keep coming to you.".to_string()
    } else {
        format!(
            "{} will receive them, marked as yours; you will no longer be told yourself.",
            settings.case_managers.join(", ")
        )
    };
    view! {
        <h3 id="delivery-heading">{if settings.may_hand_on { "Digest and hand-on" } else { "Daily digest" }}</h3>
        <form class="delivery-settings" aria-labelledby="delivery-heading" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(SaveDeliverySettings { digest_hour: hour.get_untracked(), hand_on: hand_on.get_untracked() });
        }>
            <div class="field">
                <label for="digest-hour">"Daily digest time"</label>
                <select id="digest-hour" aria-describedby="digest-hour-hint" on:change:target=move |ev| {
                    if let Ok(h) = ev.target().value().parse() { hour.set(h); }
                }>
                    {(0..24).map(|h| view! {
                        <option value=h.to_string() selected=move || hour.get() == h>{format!("{h:02}:00")}</option>
                    }).collect_view()}
                </select>
                <p class="hint" id="digest-hour-hint">"On your organisation's clock. Kinds set to the daily digest arrive in one e-mail at this hour."</p>
            </div>
            {settings.may_hand_on.then(|| view! {
                <div class="field">
                    <label for="hand-on">
                        <input id="hand-on" type="checkbox" aria-describedby="hand-on-hint"
                            prop:checked=move || hand_on.get()
                            on:change:target=move |ev| hand_on.set(ev.target().checked()) />
                        "Send my notifications to my practice's case managers instead of me"
                    </label>
                    <p class="hint" id="hand-on-hint">{who}</p>
                </div>
            })}
            <button type="submit" disabled=move || save.pending().get()>"Save delivery settings"</button>
        </form>
    }
}

#[component]
fn PreferenceForm(
    rows: Vec<Preference>,
    save: ServerAction<SaveNotificationPreferences>,
) -> impl IntoView {
    let chosen: Vec<(NotificationKind, RwSignal<Delivery>)> = rows
        .iter()
        .filter(|p| !p.locked)
        .map(|p| (p.kind, RwSignal::new(p.delivery)))
        .collect();
    let choices = StoredValue::new(chosen.clone());
    let lines = rows.into_iter().map(move |p| {
        let id = select_id(p.kind);
        let signal = chosen.iter().find(|(k, _)| *k == p.kind).map(|(_, s)| *s);
        match signal {
            None => view! {
                <div class="field">
                    <span class="label">{p.kind.label()}</span>
                    <p class="hint">"Always by e-mail: a rejected referral needs another doctor found soon."</p>
                </div>
            }
            .into_any(),
            Some(delivery) => {
                let hint = (p.kind == NotificationKind::Referred)
                    .then(|| view! { <p class="hint" id="notify-referred-hint">"Urgent and emergency referrals always come by e-mail."</p> });
                view! {
                    <div class="field">
                        <label for=id.clone()>{p.kind.label()}</label>
                        <select
                            id=id
                            aria-describedby=(p.kind == NotificationKind::Referred).then_some("notify-referred-hint")
                            on:change:target=move |ev| {
                                if let Some(d) = Delivery::from_key(&ev.target().value()) {
                                    delivery.set(d);
                                }
                            }
                        >
                            {Delivery::ALL.into_iter().map(|d| view! {
                                <option value=d.key() selected=move || delivery.get() == d>{d.label()}</option>
                            }).collect_view()}
                        </select>
                        {hint}
                    </div>
                }
                .into_any()
            }
        }
    }).collect_view();
    view! {
        <form
            id="notification-settings"
            class="notification-settings"
            aria-label="Notification settings"
            on:submit=move |ev| {
                ev.prevent_default();
                let picked = choices.with_value(|c| {
                    c.iter().map(|(k, s)| (*k, s.get_untracked())).collect()
                });
                save.dispatch(SaveNotificationPreferences { choices: picked });
            }
        >
            {lines}
            <button type="submit" disabled=move || save.pending().get()>"Save notification settings"</button>
        </form>
    }
}
