//! The start page: what a signed-in user sees first depends on their role.

use leptos::prelude::*;

use crate::ui::PageTitle;
use leptos_router::components::Redirect;

use crate::admin::pages::AdminSections;
use crate::auth::Role;
use crate::auth::pages::ChangePasswordPage;
use crate::cases::pages::CaseDashboard;
use crate::layout::PageUser;

#[component]
pub fn HomePage() -> impl IntoView {
    // Who is signed in comes with the page (see `PageUser`): signing in or
    // out reloads it.
    match PageUser::get() {
        Some(me) if me.must_change_password => view! { <ChangePasswordPage /> }.into_any(),
        Some(me) => {
            let (heading, body) = match me.role {
                Role::Doctor => (
                    "My cases",
                    view! { <CaseDashboard role=me.role /> }.into_any(),
                ),
                Role::PracticeCaseManager => (
                    "Practice cases",
                    view! { <CaseDashboard role=me.role /> }.into_any(),
                ),
                Role::Staff => (
                    "Cases I am associated with",
                    view! { <CaseDashboard role=me.role /> }.into_any(),
                ),
                Role::Admin => ("Administration", view! { <AdminSections /> }.into_any()),
                // Case managers live in their agency's branded portal.
                Role::ExternalCaseManager => (
                    "My clients",
                    view! { <Redirect path=format!("/portal/{}", me.organisation_slug) /> }
                        .into_any(),
                ),
            };
            view! {
                <PageTitle text={heading} />
                <h1>{heading}</h1>
                {body}
            }
            .into_any()
        }
        None => view! { <Redirect path="/login" /> }.into_any(),
    }
}
