//! The frame around every page: header with "who am I", sign-out, and the
//! not-found page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::api::{Login, Logout, Me, who_am_i};
use crate::error::AppError;

/// The signed-in user, refetched whenever someone signs in or out.
#[derive(Clone, Copy)]
pub struct SessionState {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub me: Resource<Result<Option<Me>, AppError>>,
}

impl SessionState {
    pub fn provide() {
        let login = ServerAction::<Login>::new();
        let logout = ServerAction::<Logout>::new();
        let me = Resource::new(
            move || (login.version().get(), logout.version().get()),
            |_| who_am_i(),
        );
        provide_context(SessionState { login, logout, me });
    }

    pub fn get() -> SessionState {
        expect_context::<SessionState>()
    }
}

/// "Messages" with the unread count, while the agency takes messages.
/// Filled in by the browser after hydration (the server renders nothing
/// here): a resource in the header would be created at a different point
/// on the server than during hydration and shift the page's resources.
#[component]
fn MessagesLink() -> impl IntoView {
    let tick = crate::messages::pages::polling();
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
    let session = SessionState::get();
    let logout = session.logout;
    // After signing out, go to the sign-in page with a full load, so no
    // client-side state of the old user survives.
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            let _ = window().location().set_href("/login");
        }
    });
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">"Caseport"</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match session.me.await {
                        Ok(Some(me)) => view! {
                            <crate::auth::idle::IdleWatch
                                minutes=me.idle_timeout_minutes
                                portal_slug=(me.role == crate::auth::Role::ExternalCaseManager).then(|| me.organisation_slug.clone())
                            />
                            <div class="who" aria-label="Signed-in user">
                                <span data-testid="who-am-i">
                                    {me.display_name.clone()} " · " {me.role.label()} " · "
                                    {me.organisation_name.clone()}
                                </span>
                                {(me.organisation_kind == crate::orgs::OrgKind::Agency
                                    && matches!(me.role, crate::auth::Role::Admin | crate::auth::Role::Staff))
                                    .then(|| view! {
                                        <nav aria-label="Agency">
                                            <A href="/clients">"Clients"</A>
                                            <A href="/case-managers">"Case managers"</A>
                                            <MessagesLink />
                                            {(me.role == crate::auth::Role::Admin).then(|| view! {
                                                <A href="/settings">"Settings"</A>
                                                <A href="/activity">"Activity log"</A>
                                            })}
                                        </nav>
                                    })}
                                <A href="/account">"Account"</A>
                                <ActionForm action=logout>
                                    <button type="submit">"Sign out"</button>
                                </ActionForm>
                            </div>
                        }.into_any(),
                        _ => view! { <A href="/login">"Sign in"</A> }.into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

/// Shown for unknown pages and for records the user may not see: the same
/// page either way, so it reveals nothing about what exists.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server_context::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing here, or you do not have access to it."</p>
            <A href="/">"Back to the start page"</A>
        </section>
    }
}

/// Renders an API error as an alert.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound | AppError::Forbidden => view! { <NotFound /> }.into_any(),
        other => view! { <p role="alert" class="error">{other.to_string()}</p> }.into_any(),
    }
}
