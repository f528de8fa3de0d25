//! The start page: what a signed-in user sees first depends on their role.

use leptos::prelude::*;

use crate::ui::PageTitle;
use leptos_router::components::Redirect;

use crate::admin::pages::AdminSections;
use crate::auth::Role;
use crate::auth::pages::ChangePasswordPage;
use crate::auth::pages::SessionState;
use crate::cases::pages::CaseDashboard;
use crate::ui::ErrorNotice;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = SessionState::get();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.me.await {
                    Ok(Some(me)) if me.must_change_password => view! { <ChangePasswordPage /> }.into_any(),
                    Ok(Some(me)) => {
                        let (heading, body) = match me.role {
                            Role::Doctor => ("My cases", view! { <CaseDashboard role=me.role /> }.into_any()),
                            Role::PracticeCaseManager => {
                                ("Practice cases", view! { <CaseDashboard role=me.role /> }.into_any())
                            }
                            Role::Staff => {
                                ("Cases I am associated with", view! { <CaseDashboard role=me.role /> }.into_any())
                            }
                            Role::Admin => (
                                "Administration",
                                view! { <AdminSections /> }.into_any(),
                            ),
                            // Case managers live in their agency's branded portal.
                            Role::ExternalCaseManager => (
                                "My clients",
                                view! { <Redirect path=format!("/portal/{}", me.organisation_slug) /> }.into_any(),
                            ),
                        };
                        view! {
                            <PageTitle text={heading} />
                            <h1>{heading}</h1>
                            {body}
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
