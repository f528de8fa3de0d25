//! The agency's clients as staff see them: the list, the profile, its
//! case managers, archiving.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::agency::AccessStatus;
use crate::clients::Relationship;
use crate::error::AppError;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: i32,
    pub full_name: String,
    pub archived: bool,
    pub case_managers: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRow {
    pub case_manager_id: i32,
    pub name: String,
    pub email: String,
    pub relationship: Relationship,
    pub access: AccessStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientProfile {
    pub id: i32,
    pub full_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub authorised_hours_per_month: i32,
    pub archived: bool,
    pub assignments: Vec<AssignmentRow>,
}

/// The agency's staff: its clients, by name.
#[server(endpoint = "agency/clients", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_agency_clients(
    query: String,
    include_archived: bool,
) -> Result<Vec<ClientRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::list(&ctx.db, &user.actor(), &query, include_archived).await
    })
    .await
}

#[server(endpoint = "agency/clients/profile", input = leptos::server_fn::codec::GetUrl)]
pub async fn agency_client(id: i32) -> Result<ClientProfile, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::profile(&ctx.db, &user.actor(), id, sc::client_ip()).await
    })
    .await
}

/// Assign a case manager (or change their relationship). At most one
/// Primary per client.
#[server(endpoint = "agency/clients/assign", input = leptos::server_fn::codec::Json)]
pub async fn assign_case_manager(
    client_id: i32,
    case_manager_id: i32,
    relationship: Relationship,
) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::assign(
            &ctx.db,
            &user.actor(),
            client_id,
            case_manager_id,
            relationship,
            sc::client_ip(),
        )
        .await
    })
    .await
}

#[server(endpoint = "agency/clients/unassign", input = leptos::server_fn::codec::Json)]
pub async fn unassign_case_manager(client_id: i32, case_manager_id: i32) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::unassign(
            &ctx.db,
            &user.actor(),
            client_id,
            case_manager_id,
            sc::client_ip(),
        )
        .await
    })
    .await
}

/// Archive (hidden from every case manager, assignments kept) or restore.
#[server(endpoint = "agency/clients/archive", input = leptos::server_fn::codec::Json)]
pub async fn set_client_archived(client_id: i32, archived: bool) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::set_archived(&ctx.db, &user.actor(), client_id, archived, sc::client_ip()).await
    })
    .await
}
