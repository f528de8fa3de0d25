//! The frame around every page: header with "who am I", sign-out, and the
//! not-found page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::Me;

/// Who is signed in, as the server saw it when it rendered the page. The
/// server writes it into the page head ([`PageUser::meta`]) and the browser
/// reads it back while hydrating, so the header renders the same on both
/// sides at once. A header that waited on a resource would sit in a
/// suspense boundary outside the routes, and such a boundary breaks the
/// hydration of pages loaded directly. Signing in or out reloads the page,
/// so this value never goes stale.
#[derive(Clone, Debug)]
pub struct PageUser(pub Option<Me>);

/// The `<meta>` name that carries the page's user.
const PAGE_USER_META: &str = "caseport-user";

impl PageUser {
    pub fn provide() {
        provide_context(PageUser(Self::read()));
    }

    pub fn get() -> Option<Me> {
        use_context::<PageUser>().and_then(|p| p.0)
    }

    #[cfg(feature = "ssr")]
    fn read() -> Option<Me> {
        crate::server_context::current_user().as_ref().map(Me::from)
    }

    #[cfg(not(feature = "ssr"))]
    fn read() -> Option<Me> {
        let meta = document()
            .query_selector(&format!("meta[name='{PAGE_USER_META}']"))
            .ok()
            .flatten()?;
        // `from_slice`, as server functions' replies are read: one copy of
        // the JSON reader in the wasm instead of two.
        serde_json::from_slice(meta.get_attribute("content")?.as_bytes()).ok()
    }

    /// The tag for the page head (rendered on the server only).
    pub fn meta() -> impl IntoView {
        let json = serde_json::to_string(&Self::read()).unwrap_or_else(|_| "null".into());
        view! { <meta name=PAGE_USER_META content=json /> }
    }
}

/// "Messages" with the unread count, while the agency takes messages.
/// Filled in by the browser after hydration (the server renders nothing
/// here): a resource in the header would be created at a different point
/// on the server than during hydration and shift the page's resources.
#[component]
fn MessagesLink() -> impl IntoView {
    let tick = crate::ui::polling();
    let unread = RwSignal::new(None::<i64>);
    // Effects run in the browser only.
    Effect::new(move |_| {
        tick.track();
        leptos::task::spawn_local(async move {
            if let Ok(n) = crate::messages::api::unread_messages().await {
                unread.set(n);
            }
        });
    });
    move || {
        unread.get().map(|n| {
            view! {
                <A href="/messages">
                    {if n > 0 { format!("Messages ({n} unread)") } else { "Messages".to_string() }}
                </A>
            }
        })
    }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let logout_url = <crate::auth::api::Logout as leptos::server_fn::ServerFn>::url();
    let signed_in = match PageUser::get() {
        Some(me) => view! {
            <crate::auth::idle::IdleWatch
                minutes=me.idle_timeout_minutes
                portal_slug=me.nav.portal.then(|| me.organisation_slug.clone())
            />
            <div class="who">
                <PrimaryNav me=me.clone() />
                <div class="user" role="group" aria-label="Signed-in user">
                    <span class="identity" data-testid="who-am-i">
                        <span class="name">{me.display_name.clone()}</span>
                        <span class="org">
                            <span class="visually-hidden">" · "</span>
                            {me.role.label()} " · " {me.organisation_name.clone()}
                        </span>
                    </span>
                    {me.nav.notifications.then(|| view! { <crate::notifications::bell::NotificationBell /> })}
                    <A href="/account">"Account"</A>
                    // A plain form: the server answers it with the sign-in
                    // page, a full load, so nothing of the old user's pages
                    // survives in the browser.
                    <form method="post" action=logout_url>
                        <button type="submit" class="secondary">"Sign out"</button>
                    </form>
                </div>
            </div>
        }
        .into_any(),
        None => {
            view! { <div class="who"><span></span><A href="/login">"Sign in"</A></div> }.into_any()
        }
    };
    view! {
        <a class="skip-link" href="#main-content" on:click=|ev| {
            ev.prevent_default();
            crate::ui::focus_by_id("main-content");
        }>"Skip to main content"</a>
        <header class="site-header">
            <div class="bar">
                <a href="/" class="brand">"Caseport"</a>
                {signed_in}
            </div>
        </header>
    }
}

/// The links of the signed-in user's role, as the policy decided them
/// (`Me.nav`). `A` marks the current one with `aria-current="page"`.
#[component]
fn PrimaryNav(me: Me) -> impl IntoView {
    if me.nav.agency_desk {
        view! {
            <nav aria-label="Agency">
                <ul>
                    <li><A href="/clients">"Clients"</A></li>
                    <li><A href="/case-managers">"Case managers"</A></li>
                    <li><MessagesLink /></li>
                    {me.nav.agency_settings.then(|| view! {
                        <li><A href="/settings">"Settings"</A></li>
                        <li><A href="/activity">"Activity log"</A></li>
                    })}
                </ul>
            </nav>
        }
        .into_any()
    } else if me.nav.portal {
        let slug = me.organisation_slug.clone();
        view! {
            <nav aria-label="Main">
                <ul>
                    <li><A href=format!("/portal/{slug}") exact=true>"My clients"</A></li>
                    <li><A href=format!("/portal/{slug}/reports")>"My reports"</A></li>
                </ul>
            </nav>
        }
        .into_any()
    } else if me.role == crate::auth::Role::Admin {
        view! {
            <nav aria-label="Main">
                <ul>
                    <li><A href="/" exact=true>"Administration"</A></li>
                </ul>
            </nav>
        }
        .into_any()
    } else {
        view! {
            <nav aria-label="Main">
                <ul>
                    <li><A href="/" exact=true>"Cases"</A></li>
                    {(me.role != crate::auth::Role::Staff).then(|| view! {
                        <li><A href="/cases/new">"New referral"</A></li>
                    })}
                </ul>
            </nav>
        }
        .into_any()
    }
}
