//! The portal's routes: its front page (sign-in or "My clients" under the
//! agency's branding), the invitation page, a client's page and "My
//! reports". Each reads the agency's face and who is signed in, then
//! hands over to `pages`.

use leptos::prelude::*;

use crate::ui::{ErrorSummary, FieldError, FormErrors, PageTitle};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::agency::case_managers::api::{AcceptInvitation, invitation};
use crate::agency::settings::PortalFace;
use crate::agency::settings::api::get_portal_face;
use crate::layout::PageUser;
use crate::portal::pages::{PortalClientList, PortalClientPage, TermsGate};
use crate::ui::ErrorNotice;

fn slug() -> impl Fn() -> String + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get("slug").unwrap_or_default())
}

#[component]
fn Branding(face: PortalFace) -> impl IntoView {
    // The agency's colour fills the bar; its text is black or white,
    // whichever reads better on it.
    let style = format!(
        "--brand: {}; --brand-ink: {}",
        face.brand_colour,
        crate::ui::ink_on(&face.brand_colour)
    );
    let logo = face
        .has_logo
        .then(|| view! { <img src=format!("/portal/{}/logo", face.slug) alt=format!("{} logo", face.brand_name) height="48" /> });
    view! {
        <div class="portal-brand" style=style>
            {logo}
            <p class="portal-name">{face.brand_name}</p>
        </div>
    }
}

/// `/portal/<slug>`: the portal's home when signed in, its sign-in page
/// otherwise.
#[component]
pub fn PortalPage() -> impl IntoView {
    let slug = slug();
    let face = Resource::new(slug, get_portal_face);
    let login = ServerAction::<crate::auth::api::Login>::new();
    let user = PageUser::get();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || { let user = user.clone(); Suspend::new(async move {
                let face = match face.await {
                    Ok(f) => f,
                    Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                };
                if !face.enabled {
                    return view! {
                        <Branding face=face.clone() />
                        <PageTitle text="The Case Manager Portal is turned off" />
                        <h1>"The Case Manager Portal is turned off"</h1>
                        <p>{format!("{} has turned its Case Manager Portal off. Please contact the agency.", face.brand_name)}</p>
                        <p>{face.contact_details.clone()}</p>
                    }.into_any();
                }
                if let Some(me) = user.filter(|m| m.nav.portal) {
                    if me.terms_pending {
                        return view! { <Branding face=face.clone() /><TermsGate /> }.into_any();
                    }
                    return view! {
                        <Branding face=face.clone() />
                        <PageTitle text=format!("My clients · {} portal", face.brand_name) />
                        <h1>"My clients"</h1>
                        <p>{format!("Signed in as {}", me.display_name)}</p>
                        <nav aria-label="Portal"><a href=format!("/portal/{}/reports", face.slug)>"Reports"</a></nav>
                        <PortalClientList slug=face.slug.clone() />
                    }.into_any();
                }
                let error = move || match login.value().get() {
                    Some(Err(e)) => Some(view! { <p role="alert" class="error">{e.to_string()}</p> }),
                    _ => None,
                };
                view! {
                    <section class="login portal-sign-in">
                    <Branding face=face.clone() />
                    <PageTitle text={format!("{} Case Manager Portal", face.brand_name)} />
                    <h1>{format!("{} Case Manager Portal", face.brand_name)}</h1>
                    <crate::auth::idle::TimedOutNotice />
                    {(!face.welcome_message.is_empty()).then(|| view! { <p class="welcome">{face.welcome_message.clone()}</p> })}
                    <crate::auth::pages::SignInFlow login done_href=format!("/portal/{}", face.slug)>
                        <ActionForm action=login attr:aria-label="Sign in to the portal">
                            <label for="portal-email">"E-mail"</label>
                            <input id="portal-email" type="email" name="email" autocomplete="username" required />
                            <label for="portal-password">"Password"</label>
                            <input id="portal-password" type="password" name="password" autocomplete="current-password" required />
                            {error}
                            <button type="submit">"Sign in"</button>
                        </ActionForm>
                        <p><a href="/password-reset">"Forgot your password?"</a></p>
                    </crate::auth::pages::SignInFlow>
                    {(!face.contact_details.is_empty()).then(|| view! { <p class="contact">{face.contact_details.clone()}</p> })}
                    </section>
                }.into_any()
            })}}
        </Suspense>
    }
}

/// `/portal/<slug>/invitation?token=…`: choose a password.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let slug = slug();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let info = Resource::new(token, invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let errors = FormErrors::of(move || accept.value().get());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(Ok(_)) = accept.value().get() {
                    return view! {
                        <PageTitle text="Your account is ready" />
                        <h1>"Your account is ready"</h1>
                        <p role="status">"You can now sign in with your e-mail address and the password you chose."</p>
                        <a href=format!("/portal/{}", slug())>"Go to the sign-in page"</a>
                    }.into_any();
                }
                match info.await {
                    Ok(i) => view! {
                        <PageTitle text={format!("Join the {} Case Manager Portal", i.agency)} />
                        <h1>{format!("Join the {} Case Manager Portal", i.agency)}</h1>
                        <p>{format!("Welcome, {}. Choose a password for {}.", i.name, i.email)}</p>
                        <p class="hint">{format!("At least {} characters{}; common passwords are refused.", i.password_min_length,
                            if i.password_require_classes { ", with upper- and lower-case letters and a digit" } else { "" })}</p>
                        <ErrorSummary error=errors.signal() fields=&[
                            ("password", "new-password"),
                            ("confirm", "confirm-password"),
                        ] />
                        <ActionForm action=accept attr:aria-label="Create your account">
                            <input type="hidden" name="token" value=token() />
                            <label for="new-password">"Password"</label>
                            <input id="new-password" type="password" name="password" autocomplete="new-password" aria-invalid=errors.invalid("password") aria-describedby="new-password-error" required />
                            <FieldError errors field="password" id="new-password-error" />
                            <label for="confirm-password">"Repeat the password"</label>
                            <input id="confirm-password" type="password" name="confirm" autocomplete="new-password" aria-invalid=errors.invalid("confirm") aria-describedby="confirm-password-error" required />
                            <FieldError errors field="confirm" id="confirm-password-error" />
                            <button type="submit">"Create account"</button>
                        </ActionForm>
                    }.into_any(),
                    Err(e) => view! {
                        <PageTitle text="Invitation" />
                        <h1>"Invitation"</h1>
                        <p role="alert">{e.to_string()}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/portal/<slug>/clients/<id>`: a client's page, for a signed-in case
/// manager who has accepted the terms; everyone else goes to the portal's
/// front page.
#[component]
pub fn PortalClientRoute() -> impl IntoView {
    let slug = slug();
    let face = Resource::new(slug, get_portal_face);
    // Known at once from the page (no resource): one suspense level less,
    // and the client's resource is made before anything is awaited.
    let signed_in =
        crate::layout::PageUser::get().is_some_and(|me| me.nav.portal && !me.terms_pending);
    view! {
        <PortalClientPage face signed_in branding=|face| view! { <Branding face /> }.into_any() />
    }
}

/// `/portal/<slug>/reports`: the reports sent to or made by the signed-in
/// case manager.
#[component]
pub fn PortalReportsRoute() -> impl IntoView {
    let slug = slug();
    let face = Resource::new(slug, get_portal_face);
    // Made here, before any suspense: a resource made inside a suspended
    // view can leave the server's render waiting for good.
    let rows = Resource::new(|| (), |_| crate::reports::api::my_reports());
    let user = PageUser::get();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || { let user = user.clone(); Suspend::new(async move {
                let face = match face.await {
                    Ok(f) => f,
                    Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                };
                match user {
                    Some(me) if me.nav.portal && !me.terms_pending && face.enabled => view! {
                        <Branding face=face.clone() />
                        <p><a href=format!("/portal/{}", face.slug)>"← My clients"</a></p>
                        <crate::reports::pages::MyReports rows />
                    }.into_any(),
                    _ => view! { <leptos_router::components::Redirect path=format!("/portal/{}", face.slug) /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}
