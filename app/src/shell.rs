//! The HTML document and the router: every page hangs off [`App`].

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::activity::log::pages::ActivityLogPage;
use crate::admin::pages::AdminPage;
use crate::agency::case_managers::pages::{CaseManagerDirectoryPage, CaseManagerPage};
use crate::agency::clients::pages::{AgencyClientPage, AgencyClientsPage};
use crate::agency::settings::pages::SettingsPage;
use crate::auth::pages::SessionState;
use crate::auth::pages::{AccountPage, LoginPage};
use crate::auth::reset::pages::PasswordResetPage;
use crate::cases::pages::{CasePage, NewCasePage};
use crate::home::HomePage;
use crate::layout::{PageUser, SiteHeader};
use crate::portal::routes::{InvitationPage, PortalClientRoute, PortalPage, PortalReportsRoute};
use crate::ui::{FocusOnNavigate, NotFound};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
                {crate::layout::PageUser::meta()}
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    SessionState::provide();
    PageUser::provide();
    // Runs only in the browser: end-to-end tests wait for this before they
    // click, since server-rendered HTML is clickable before the wasm loads.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title text="Caseport" />
        <Router>
            <SiteHeader />
            <FocusOnNavigate />
            <main id="main-content" tabindex="-1">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/password-reset") view=PasswordResetPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage />
                    <Route path=path!("/cases/new") view=NewCasePage />
                    <Route path=path!("/cases/:id") view=CasePage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/activity") view=ActivityLogPage ssr=SsrMode::Async />
                    <Route path=path!("/messages") view=crate::messages::pages::MessagesPage ssr=SsrMode::Async />
                    <Route path=path!("/case-managers") view=CaseManagerDirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("/case-managers/:id") view=CaseManagerPage ssr=SsrMode::Async />
                    <Route path=path!("/clients") view=AgencyClientsPage ssr=SsrMode::Async />
                    <Route path=path!("/clients/:id") view=AgencyClientPage ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug") view=PortalPage ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug/invitation") view=InvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug/clients/:id") view=PortalClientRoute ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug/reports") view=PortalReportsRoute ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
