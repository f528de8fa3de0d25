//! The agency's directory of external case managers: profiles, portal
//! invitations and portal access.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::agency::AccessStatus;
use crate::clients::Relationship;
use crate::error::AppError;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// A directory row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseManagerRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub employer: String,
    pub access: AccessStatus,
    /// Has an account (accepted an invitation).
    pub has_account: bool,
}

/// The editable part of a profile.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseManagerInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub employer: String,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessChangeRow {
    pub from: AccessStatus,
    pub to: AccessStatus,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationState {
    pub sent_at: String,
    pub expires_at: String,
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedClientRow {
    pub client_id: i32,
    pub client_name: String,
    pub relationship: Relationship,
    pub archived: bool,
}

/// A profile with its tabs: details, portal access, clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseManagerProfile {
    pub row: CaseManagerRow,
    pub details: CaseManagerInput,
    pub access_reason: String,
    pub history: Vec<AccessChangeRow>,
    pub invitation: Option<InvitationState>,
    pub clients: Vec<AssignedClientRow>,
}

/// What the invitation page shows before the password is chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub name: String,
    pub email: String,
    pub agency: String,
    pub password_min_length: i32,
    pub password_require_classes: bool,
}

/// The agency's admins and staff: the directory, filtered by name, e-mail
/// or employer.
#[server(endpoint = "case-managers", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_case_managers(query: String) -> Result<Vec<CaseManagerRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::list(&ctx.db, &user.actor(), &query).await
    })
    .await
}

#[server(endpoint = "case-managers/profile", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_case_manager(id: i32) -> Result<CaseManagerProfile, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::profile(&ctx.db, &user.actor(), id).await
    })
    .await
}

/// The agency's admins: add a case manager to the directory. Returns the
/// new profile's id.
#[server(endpoint = "case-managers/add", input = leptos::server_fn::codec::Json)]
pub async fn add_case_manager(input: CaseManagerInput) -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::add(&ctx.db, &user.actor(), input, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "case-managers/update", input = leptos::server_fn::codec::Json)]
pub async fn update_case_manager(id: i32, input: CaseManagerInput) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::update(&ctx.db, &user.actor(), id, input, sc::client_ip()).await
    })
    .await
}

/// The agency's admins: e-mail a portal invitation (voids any earlier
/// link).
#[server(endpoint = "case-managers/invite", input = leptos::server_fn::codec::Json)]
pub async fn invite_case_manager(id: i32, message: String) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::invite(&ctx, &user.actor(), id, &message, sc::client_ip()).await
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
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::set_access(&ctx.db, &user.actor(), id, status, &reason, sc::client_ip()).await
    })
    .await
}

/// Anyone holding the link: who the invitation is for.
#[server(endpoint = "invitation", input = leptos::server_fn::codec::GetUrl)]
pub async fn invitation(token: String) -> Result<InvitationView, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        service::invitation(&ctx.db, &token).await
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
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        service::accept(&ctx.db, &token, password, &confirm, sc::client_ip()).await
    })
    .await
}
