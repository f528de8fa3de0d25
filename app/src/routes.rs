//! Every page as a lazily loaded route. The browser's first download holds
//! the router, the header and what all pages share; the pages' code (their
//! views and the client side of their server functions) comes in wasm
//! chunks, fetched when a page of the group is first opened and cached for
//! good after that (chunks are named by their content). On a page loaded
//! from the server, the server names the page's chunks in the HTML head,
//! so the browser fetches them beside the main bundle, before it hydrates.
//!
//! Pages are split by audience, not one chunk set per page: so a doctor
//! never downloads the agency's desk or the portal, and a page needs a
//! handful of files rather than hundreds (each split point multiplies the
//! shared chunks the splitter has to cut).
//!
//! A route's data is loaded by the page itself (its resources), not by
//! `LazyRoute::data`: the pages were written that way, and the server
//! renders the first page with its data in it anyway.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::ui::NotFound;

/// Every page, for the group functions below.
#[derive(Clone, Copy, Debug)]
pub enum Page {
    Login,
    PasswordReset,
    Invitation,
    Home,
    Account,
    NewCase,
    Case,
    Admin,
    Settings,
    Activity,
    Messages,
    CaseManagers,
    CaseManager,
    Clients,
    Client,
    Portal,
    PortalClient,
    PortalReports,
}

/// Pages for whoever is not signed in.
#[lazy]
fn signed_out_pages(page: Page) -> AnyView {
    use crate::auth::pages::LoginPage;
    use crate::auth::reset::pages::PasswordResetPage;
    use crate::portal::routes::InvitationPage;
    match page {
        Page::Login => view! { <LoginPage /> }.into_any(),
        Page::PasswordReset => view! { <PasswordResetPage /> }.into_any(),
        Page::Invitation => view! { <InvitationPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// Every signed-in role's start page, and the account page.
#[lazy]
fn start_pages(page: Page) -> AnyView {
    use crate::auth::pages::AccountPage;
    use crate::home::HomePage;
    match page {
        Page::Home => view! { <HomePage /> }.into_any(),
        Page::Account => view! { <AccountPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// A referral case and a new referral.
#[lazy]
fn case_pages(page: Page) -> AnyView {
    use crate::cases::pages::{CasePage, NewCasePage};
    match page {
        Page::NewCase => view! { <NewCasePage /> }.into_any(),
        Page::Case => view! { <CasePage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// Administration: a practice's members, and the agency's desk.
#[lazy]
fn admin_pages(page: Page) -> AnyView {
    use crate::activity::log::pages::ActivityLogPage;
    use crate::admin::pages::AdminPage;
    use crate::agency::case_managers::pages::{CaseManagerDirectoryPage, CaseManagerPage};
    use crate::agency::clients::pages::{AgencyClientPage, AgencyClientsPage};
    use crate::agency::settings::pages::SettingsPage;
    use crate::messages::pages::MessagesPage;
    match page {
        Page::Admin => view! { <AdminPage /> }.into_any(),
        Page::Settings => view! { <SettingsPage /> }.into_any(),
        Page::Activity => view! { <ActivityLogPage /> }.into_any(),
        Page::Messages => view! { <MessagesPage /> }.into_any(),
        Page::CaseManagers => view! { <CaseManagerDirectoryPage /> }.into_any(),
        Page::CaseManager => view! { <CaseManagerPage /> }.into_any(),
        Page::Clients => view! { <AgencyClientsPage /> }.into_any(),
        Page::Client => view! { <AgencyClientPage /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// The external case manager's portal.
#[lazy]
fn portal_pages(page: Page) -> AnyView {
    use crate::portal::routes::{PortalClientRoute, PortalPage, PortalReportsRoute};
    match page {
        Page::Portal => view! { <PortalPage /> }.into_any(),
        Page::PortalClient => view! { <PortalClientRoute /> }.into_any(),
        Page::PortalReports => view! { <PortalReportsRoute /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}

/// `route!(Route => group(Page))`: a route type whose view is that page
/// of that group. `preload` fetches the group's chunk: while hydrating, the
/// router awaits it before it renders the route, so the page's code is
/// there when the server's HTML is matched (without it, the route would
/// render as still loading and not match the HTML).
macro_rules! route {
    ($route:ident => $group:ident($page:ident), $preload:ident) => {
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $group(Page::$page).await
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

route!(LoginRoute => signed_out_pages(Login), __preload_signed_out_pages);
route!(PasswordResetRoute => signed_out_pages(PasswordReset), __preload_signed_out_pages);
route!(InvitationRoute => signed_out_pages(Invitation), __preload_signed_out_pages);
route!(HomeRoute => start_pages(Home), __preload_start_pages);
route!(AccountRoute => start_pages(Account), __preload_start_pages);
route!(NewCaseRoute => case_pages(NewCase), __preload_case_pages);
route!(CaseRoute => case_pages(Case), __preload_case_pages);
route!(AdminRoute => admin_pages(Admin), __preload_admin_pages);
route!(SettingsRoute => admin_pages(Settings), __preload_admin_pages);
route!(ActivityRoute => admin_pages(Activity), __preload_admin_pages);
route!(MessagesRoute => admin_pages(Messages), __preload_admin_pages);
route!(CaseManagersRoute => admin_pages(CaseManagers), __preload_admin_pages);
route!(CaseManagerRoute => admin_pages(CaseManager), __preload_admin_pages);
route!(ClientsRoute => admin_pages(Clients), __preload_admin_pages);
route!(ClientRoute => admin_pages(Client), __preload_admin_pages);
route!(PortalRoute => portal_pages(Portal), __preload_portal_pages);
route!(PortalClientPageRoute => portal_pages(PortalClient), __preload_portal_pages);
route!(PortalReportsPageRoute => portal_pages(PortalReports), __preload_portal_pages);
