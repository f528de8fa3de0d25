//! The server functions of `agency::settings`: each authenticates, asks the policy
//! (in the service) and maps the result.

use leptos::prelude::*;

use crate::agency::settings::{PortalFace, PortalSettings, SettingsChange};
use crate::error::AppError;

/// An agency's admins: the portal settings.
#[server(endpoint = "settings/portal", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_portal_settings() -> Result<PortalSettings, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::view(&ctx.db, caller).await
    })
    .await
}

/// An agency's admins: change one section of the settings. Logged with the
/// values before and after.
#[server(endpoint = "settings/portal/update", input = leptos::server_fn::codec::Json)]
pub async fn update_portal_settings(change: SettingsChange) -> Result<PortalSettings, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::update(&ctx.db, caller, change).await
    })
    .await
}

/// Anyone: a portal's public face, for its sign-in page.
#[server(endpoint = "portal/face", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_portal_face(slug: String) -> Result<PortalFace, AppError> {
    crate::server_context::anyone(async move |ctx, _ip| super::service::face(&ctx.db, &slug).await)
        .await
}
