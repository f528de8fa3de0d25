//! The portal's server functions. All of them read; a case manager has no
//! server function that changes agency data.

use leptos::prelude::*;

use crate::care::MonthHours;
use crate::care::{AppointmentRow, AssessmentRow, NoteRow};
use crate::error::AppError;
use crate::portal::{ClientsFilter, PortalClientRow, PortalClientView, PortalDocument, TermsView};

#[cfg(feature = "ssr")]
use crate::portal::service;

#[server(endpoint = "portal/my-clients", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_clients(filter: ClientsFilter) -> Result<Vec<PortalClientRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::my_clients(&ctx.db, caller, &filter).await
    })
    .await
}

#[server(endpoint = "portal/client", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_client(client_id: i32) -> Result<PortalClientView, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::client_page(&ctx.db, caller, client_id).await
    })
    .await
}

#[server(endpoint = "portal/schedule", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_schedule(
    client_id: i32,
    from: String,
    to: String,
    status: String,
) -> Result<Vec<AppointmentRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        let filter = crate::care::service::ScheduleFilter::parse(&from, &to, &status)?;
        service::schedule(&ctx.db, caller, client_id, &filter).await
    })
    .await
}

#[server(endpoint = "portal/notes", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_notes(client_id: i32, query: String) -> Result<Vec<NoteRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::notes(&ctx.db, caller, client_id, &query).await
    })
    .await
}

#[server(endpoint = "portal/hours", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_hours(client_id: i32) -> Result<Vec<MonthHours>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::hours(&ctx.db, caller, client_id).await
    })
    .await
}

#[server(endpoint = "portal/assessments", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_assessments(client_id: i32) -> Result<Vec<AssessmentRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::assessments(&ctx.db, caller, client_id).await
    })
    .await
}

#[server(endpoint = "portal/documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_documents(client_id: i32) -> Result<Vec<PortalDocument>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::documents(&ctx.db, caller, client_id).await
    })
    .await
}

/// The terms of use; reachable before they are accepted.
#[server(endpoint = "portal/terms", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_terms() -> Result<TermsView, AppError> {
    crate::server_context::signed_in_before_terms(async move |ctx, caller| {
        service::terms(&ctx.db, caller).await
    })
    .await
}

#[server(endpoint = "portal/terms/accept")]
pub async fn accept_terms(version: i32) -> Result<(), AppError> {
    crate::server_context::signed_in_before_terms(async move |ctx, caller| {
        service::accept_terms(&ctx.db, caller, version).await
    })
    .await
}
