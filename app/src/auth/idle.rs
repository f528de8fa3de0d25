//! Automatic log-off in the browser. The server ends a session after the
//! organisation's idle timeout whatever the page does; this component
//! makes that visible: a "Stay signed in?" dialog counts down the last
//! minute, and at zero the page signs out and says why.
//!
//! Only the user's own input keeps the session alive (a keep-alive at
//! most every 30 seconds while they are active): background polling does
//! not touch the session on the server. Before warning, the page asks the
//! server how long is left, so activity in another tab counts.

use leptos::prelude::*;

use crate::auth::api::Logout;
use leptos::server_fn::ServerFn;

/// Where the page goes when the session ran out.
pub fn timed_out_path(portal_slug: Option<&str>) -> String {
    match portal_slug {
        Some(slug) => format!("/portal/{slug}?reason=idle"),
        None => "/login?reason=idle".to_string(),
    }
}

/// The sign-in pages' notice after an automatic log-off.
#[component]
pub fn TimedOutNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        query
            .with(|q| q.get("reason").as_deref() == Some("idle"))
            .then(|| {
                view! {
                    <p role="status" class="notice">
                        "You were signed out because you were inactive for too long. Please sign in again."
                    </p>
                }
            })
    }
}

/// Milliseconds since the epoch, in the browser.
#[cfg(feature = "hydrate")]
fn now() -> f64 {
    js_sys::Date::now()
}

#[component]
pub fn IdleWatch(
    /// The organisation's idle timeout.
    minutes: i32,
    /// A case manager's portal, to return to its sign-in page.
    portal_slug: Option<String>,
) -> impl IntoView {
    let warning = RwSignal::new(None::<i64>);
    // When the server will end the session, in browser milliseconds.
    let deadline = StoredValue::new(f64::MAX);
    #[cfg(feature = "hydrate")]
    watch(minutes, portal_slug, warning, deadline);
    #[cfg(not(feature = "hydrate"))]
    let _ = (minutes, portal_slug, deadline);
    let stay = move |_: ()| {
        warning.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(minutes) = crate::auth::api::keep_alive().await {
                deadline.set_value(now() + f64::from(minutes) * 60_000.0);
            }
        });
    };
    // Focus moves into the dialog when it opens and back where it was when
    // it closes; Tab stays inside it and Escape answers "stay".
    let stay_button = NodeRef::<leptos::html::Button>::new();
    let leave_button = NodeRef::<leptos::html::Button>::new();
    #[cfg(feature = "hydrate")]
    {
        let open = Memo::new(move |_| warning.get().is_some());
        let before = StoredValue::new_local(None::<leptos::web_sys::Element>);
        Effect::new(move |_| {
            if open.get() {
                before.set_value(document().active_element());
                // The dialog is drawn in this same turn: focus it next.
                leptos::task::spawn_local(async move {
                    if let Some(b) = stay_button.get_untracked() {
                        let _ = b.focus();
                    }
                });
            } else if let Some(el) = before.get_value() {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<leptos::web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
                before.set_value(None);
            }
        });
    }
    let keys = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            stay(());
        }
        "Tab" => {
            ev.prevent_default();
            let (Some(a), Some(b)) = (stay_button.get_untracked(), leave_button.get_untracked())
            else {
                return;
            };
            let on_first = document()
                .active_element()
                .is_some_and(|e| e.id() == "idle-stay");
            if on_first {
                let _ = b.focus();
            } else {
                let _ = a.focus();
            }
        }
        _ => {}
    };
    move || {
        warning.get().map(|secs| {
            view! {
                <div class="idle-dialog" role="alertdialog" aria-modal="true"
                    aria-labelledby="idle-title" aria-describedby="idle-text" on:keydown=keys>
                    <h2 id="idle-title">"Stay signed in?"</h2>
                    <p id="idle-text">{format!(
                        "You have been inactive for a while. For your clients' privacy you will be signed out in {secs} second{}.",
                        if secs == 1 { "" } else { "s" }
                    )}</p>
                    <div class="actions">
                        <button type="button" id="idle-stay" node_ref=stay_button on:click=move |_| stay(())>"Stay signed in"</button>
                        // The header's plain sign-out form: the server
                        // answers it with the sign-in page.
                        <form method="post" action=Logout::url()>
                            <button type="submit" class="secondary" node_ref=leave_button>"Sign out now"</button>
                        </form>
                    </div>
                </div>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
fn watch(
    minutes: i32,
    portal_slug: Option<String>,
    warning: RwSignal<Option<i64>>,
    deadline: StoredValue<f64>,
) {
    use crate::auth::api::{idle_remaining, keep_alive};
    use leptos::ev;

    let timeout_ms = f64::from(minutes.max(1)) * 60_000.0;
    // The last minute, or the last half of a very short timeout.
    let warn_ms = (timeout_ms / 2.0).min(60_000.0);
    deadline.set_value(now() + timeout_ms);
    let last_ping = StoredValue::new(now());
    let last_check = StoredValue::new(0.0f64);
    let leaving = StoredValue::new(false);

    // The server's clock decides how long the session really has left.
    let sync = move || {
        leptos::task::spawn_local(async move {
            if let Ok(Some(secs)) = idle_remaining().await {
                deadline.set_value(now() + secs as f64 * 1000.0);
            }
        });
    };
    sync();

    let active = move || {
        if warning.get_untracked().is_some() || now() - last_ping.get_value() < 30_000.0 {
            return;
        }
        last_ping.set_value(now());
        leptos::task::spawn_local(async move {
            if let Ok(minutes) = keep_alive().await {
                deadline.set_value(now() + f64::from(minutes) * 60_000.0);
            }
        });
    };
    let handles = [
        window_event_listener(ev::keydown, move |_| active()),
        window_event_listener(ev::pointerdown, move |_| active()),
        window_event_listener(ev::wheel, move |_| active()),
    ];

    let tick = gloo_timers::callback::Interval::new(1_000, move || {
        if leaving.get_value() {
            return;
        }
        let left = deadline.get_value() - now();
        if left <= 0.0 {
            leaving.set_value(true);
            let to = timed_out_path(portal_slug.as_deref());
            leptos::task::spawn_local(async move {
                // Ends the session and logs the timeout, unless the server
                // already has.
                let _ = crate::auth::api::idle_sign_out().await;
                let _ = window().location().set_href(&to);
            });
        } else if left <= warn_ms {
            // Before warning, make sure no other tab kept the session up.
            if now() - last_check.get_value() > 10_000.0 {
                last_check.set_value(now());
                sync();
            }
            warning.set(Some((left / 1000.0).ceil() as i64));
        } else if warning.get_untracked().is_some() {
            warning.set(None);
        }
    });
    let held = StoredValue::new_local(Some(tick));
    on_cleanup(move || {
        held.update_value(|t| drop(t.take()));
        for h in handles {
            h.remove();
        }
    });
}
