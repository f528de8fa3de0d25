//! The account page's notification settings: which kinds of event also
//! come by e-mail. Everything is always in the app.

use leptos::prelude::*;

use crate::notifications::api::{SaveNotificationPreferences, notification_preferences};
use crate::notifications::{Delivery, NotificationKind, Preference};
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
            <p>"Every notification shows under Notifications at the top of the page. Choose which also come by e-mail. An e-mail names the case and who acted, never the patient."</p>
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
        </section>
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
