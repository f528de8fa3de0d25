//! The HTML document and the router: every page hangs off [`App`].

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::Lazy;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::layout::{PageUser, SiteHeader};
use crate::routes::*;
use crate::ui::{FocusOnNavigate, NotFound};

/// The brand mark of the header, as the tab's icon: inline, so no page
/// load asks for a `/favicon.ico` that is not there.
const FAVICON: &str = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>\
<linearGradient id='g' x2='1' y2='1'><stop offset='.55' stop-color='%231f5fa8'/>\
<stop offset='.55' stop-color='%237aa7d9'/></linearGradient>\
<rect width='16' height='16' rx='4' fill='url(%23g)'/></svg>";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href=FAVICON />
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
    PageUser::provide();
    // While a link's page loads (and, the first time, its group's code:
    // see `routes`), a bar runs along the top and the main region is busy.
    let (routing, set_routing) = signal(false);
    view! {
        <Title text="Caseport" />
        <Router set_is_routing=set_routing>
            <div class="route-progress" class:active=move || routing.get() aria-hidden="true"></div>
            <SiteHeader />
            <FocusOnNavigate />
            <main id="main-content" tabindex="-1" aria-busy=move || routing.get().then_some("true")>
                // Every page renders whole on the server (`Async`): the
                // out-of-order streaming default sends its late parts with
                // scripts that look for markers a lazily loaded route does
                // not leave, and they failed in the browser.
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/password-reset") view={Lazy::<PasswordResetRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases/new") view={Lazy::<NewCaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cases/:id") view={Lazy::<CaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/activity") view={Lazy::<ActivityRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/messages") view={Lazy::<MessagesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/case-managers") view={Lazy::<CaseManagersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/case-managers/:id") view={Lazy::<CaseManagerRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/clients") view={Lazy::<ClientsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/clients/:id") view={Lazy::<ClientRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug") view={Lazy::<PortalRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug/invitation") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug/clients/:id") view={Lazy::<PortalClientPageRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/portal/:slug/reports") view={Lazy::<PortalReportsPageRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
