//! The server functions of `agency::case_managers`: each authenticates, asks the policy
//! (in the service) and maps the result.

use leptos::prelude::*;

use crate::agency::AccessStatus;
use crate::agency::case_managers::{
    CaseManagerInput, CaseManagerProfile, CaseManagerRow, InvitationView,
};
use crate::error::AppError;

/// The agency's admins and staff: the directory, filtered by name, e-mail
/// or employer.
#[server(endpoint = "case-managers", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_case_managers(query: String) -> Result<Vec<CaseManagerRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::list(&ctx.db, caller, &query).await
    })
    .await
}

#[server(endpoint = "case-managers/profile", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_case_manager(id: i32) -> Result<CaseManagerProfile, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::profile(&ctx.db, caller, id).await
    })
    .await
}

/// The agency's admins: add a case manager to the directory. Returns the
/// new profile's id.
#[server(endpoint = "case-managers/add", input = leptos::server_fn::codec::Json)]
pub async fn add_case_manager(input: CaseManagerInput) -> Result<i32, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::add(&ctx.db, caller, input).await
    })
    .await
}

#[server(endpoint = "case-managers/update", input = leptos::server_fn::codec::Json)]
pub async fn update_case_manager(id: i32, input: CaseManagerInput) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::update(&ctx.db, caller, id, input).await
    })
    .await
}

/// The agency's admins: e-mail a portal invitation (voids any earlier
/// link).
#[server(endpoint = "case-managers/invite", input = leptos::server_fn::codec::Json)]
pub async fn invite_case_manager(id: i32, message: String) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::invite(ctx, caller, id, &message).await
    })
    .await
}

/// The agency's admins: Active / Suspended / Revoked. Ends the person's
/// sessions at once.
#[server(endpoint = "case-managers/access", input = leptos::server_fn::codec::Json)]
pub async fn set_case_manager_access(
    id: i32,
    status: AccessStatus,
    reason: String,
) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::set_access(&ctx.db, caller, id, status, &reason).await
    })
    .await
}

/// Anyone holding the link: who the invitation is for.
#[server(endpoint = "invitation", input = leptos::server_fn::codec::GetUrl)]
pub async fn invitation(token: String) -> Result<InvitationView, AppError> {
    crate::server_context::anyone(async move |ctx, _ip| {
        super::service::invitation(&ctx.db, &token).await
    })
    .await
}

/// Anyone holding the link: choose a password and create the account.
/// Works once. Returns the portal's slug, for its sign-in page.
#[server(endpoint = "invitation/accept")]
pub async fn accept_invitation(
    token: String,
    password: String,
    confirm: String,
) -> Result<String, AppError> {
    crate::server_context::anyone(async move |ctx, ip| {
        super::service::accept(&ctx.db, &token, password, &confirm, ip).await
    })
    .await
}
