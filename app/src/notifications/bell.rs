//! The header's notification centre: a button with the unread count that
//! opens the newest notifications. It asks again every few seconds while
//! the page is open, so news arrives without a reload.

use leptos::prelude::*;

use crate::notifications::Notifications;
use crate::notifications::api::{mark_notifications_read, my_notifications};

const PANEL_ID: &str = "notification-panel";

/// Renders the same closed, count-less button on the server and while
/// hydrating; the browser fills it in afterwards (see `MessagesLink` for
/// why the header holds no resources).
#[component]
pub fn NotificationBell() -> impl IntoView {
    let tick = crate::ui::polling();
    let shown = RwSignal::new(None::<Notifications>);
    let open = RwSignal::new(false);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(n) = my_notifications().await {
                shown.set(Some(n));
            }
        });
    };
    // Effects run in the browser only.
    Effect::new(move |_| {
        tick.track();
        refresh();
    });
    let mark = move |id: Option<i32>| {
        leptos::task::spawn_local(async move {
            if mark_notifications_read(id).await.is_ok() {
                refresh();
            }
        });
    };
    let unread = move || shown.with(|s| s.as_ref().map_or(0, |s| s.unread));
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if open.get_untracked() {
            refresh();
        }
    };
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            crate::ui::focus_by_id("notification-toggle");
        }
    };
    view! {
        <div class="notifications" on:keydown=close_on_escape>
            <button
                type="button"
                id="notification-toggle"
                class="bell"
                aria-expanded=move || open.get().to_string()
                aria-controls=PANEL_ID
                on:click=toggle
            >
                "Notifications"
                {move || (unread() > 0).then(|| view! {
                    <span class="count"><span class="visually-hidden">", "</span>{unread()}<span class="visually-hidden">" unread"</span></span>
                })}
            </button>
            // Screen readers hear of news as it arrives, without focus moving.
            <span class="visually-hidden" role="status">
                {move || match unread() {
                    0 => String::new(),
                    1 => "1 unread notification".to_string(),
                    n => format!("{n} unread notifications"),
                }}
            </span>
            <section
                id=PANEL_ID
                class="notification-panel"
                aria-labelledby="notification-heading"
                hidden=move || !open.get()
            >
                <div class="panel-head">
                    <h2 id="notification-heading">"Notifications"</h2>
                    <button
                        type="button"
                        class="secondary"
                        disabled=move || unread() == 0
                        on:click=move |_| {
                            mark(None);
                            // The button disables itself: keep focus in the
                            // panel's control, so Escape still closes it.
                            crate::ui::focus_by_id("notification-toggle");
                        }
                    >
                        "Mark all as read"
                    </button>
                </div>
                {move || {
                    let items = shown.with(|s| s.as_ref().map(|s| s.items.clone()).unwrap_or_default());
                    if items.is_empty() {
                        return view! { <p class="empty">"Nothing yet. You will hear here when something happens on your cases."</p> }.into_any();
                    }
                    view! {
                        <ul>
                            {items.into_iter().map(|n| {
                                let id = n.id;
                                let text = n.text.clone();
                                let body = match n.href {
                                    // A full load after the mark is saved: the page
                                    // shows the case as it is now, even when it is
                                    // the page already open.
                                    Some(href) => {
                                        let to = href.clone();
                                        view! {
                                            <a href=href on:click=move |ev| {
                                                ev.prevent_default();
                                                let to = to.clone();
                                                leptos::task::spawn_local(async move {
                                                    let _ = mark_notifications_read(Some(id)).await;
                                                    let _ = window().location().set_href(&to);
                                                });
                                            }>{text}</a>
                                        }.into_any()
                                    }
                                    None => view! { <span>{text}</span> }.into_any(),
                                };
                                view! {
                                    <li class:unread=n.unread>
                                        {n.unread.then(|| view! { <span class="visually-hidden">"Unread: "</span> })}
                                        {body}
                                        <time>{n.at}</time>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}
