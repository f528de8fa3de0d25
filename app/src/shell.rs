//! The HTML document and the router: every page hangs off [`App`].

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::admin::pages::AdminPage;
use crate::auth::pages::{AccountPage, LoginPage};
use crate::cases::pages::{CasePage, NewCasePage};
use crate::home::HomePage;
use crate::layout::{NotFound, SessionState, SiteHeader};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
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
    // Runs only in the browser: end-to-end tests wait for this before they
    // click, since server-rendered HTML is clickable before the wasm loads.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/caseport.css" />
        <Title text="Caseport" />
        <Router>
            <SiteHeader />
            <main id="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/account") view=AccountPage />
                    <Route path=path!("/cases/new") view=NewCasePage />
                    <Route path=path!("/cases/:id") view=CasePage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
