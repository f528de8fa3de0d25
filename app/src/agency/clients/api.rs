//! The server functions of `agency::clients`: each authenticates, asks the policy
//! (in the service) and maps the result.

use leptos::prelude::*;

use crate::agency::clients::{ClientProfile, ClientRow};
use crate::assignments::Relationship;
use crate::error::AppError;

/// The agency's staff: its clients, by name.
#[server(endpoint = "agency/clients", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_agency_clients(
    query: String,
    include_archived: bool,
) -> Result<Vec<ClientRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::list(&ctx.db, caller, &query, include_archived).await
    })
    .await
}

#[server(endpoint = "agency/clients/profile", input = leptos::server_fn::codec::GetUrl)]
pub async fn agency_client(id: i32) -> Result<ClientProfile, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::profile(&ctx.db, caller, id).await
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
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::assign(&ctx.db, caller, client_id, case_manager_id, relationship).await
    })
    .await
}

#[server(endpoint = "agency/clients/unassign", input = leptos::server_fn::codec::Json)]
pub async fn unassign_case_manager(client_id: i32, case_manager_id: i32) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::unassign(&ctx.db, caller, client_id, case_manager_id).await
    })
    .await
}

/// Archive (hidden from every case manager, assignments kept) or restore.
#[server(endpoint = "agency/clients/archive", input = leptos::server_fn::codec::Json)]
pub async fn set_client_archived(client_id: i32, archived: bool) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::set_archived(&ctx.db, caller, client_id, archived).await
    })
    .await
}
