//! The portal's server functions. All of them read; a case manager has no
//! server function that changes agency data.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::agency::DataKind;
use crate::care::hours::MonthHours;
use crate::care::{AppointmentRow, AssessmentRow, NoteRow};
use crate::clients::Relationship;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::portal::service;

/// The live filters of "My clients", as they appear in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientsFilter {
    pub name: String,
    /// A relationship key, or empty for any.
    pub relationship: String,
    /// Only clients with an appointment still to come.
    pub upcoming: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalClientRow {
    pub id: i32,
    pub full_name: String,
    pub relationship: Relationship,
    /// Only when the agency shows schedules.
    pub next_appointment: Option<String>,
    /// Only when the agency shows the hours summary.
    pub hours_this_month: Option<MonthHours>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: String,
    pub email: String,
    pub address: String,
}

/// A client's portal page: the tabs are the data kinds the agency shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalClientView {
    pub id: i32,
    pub full_name: String,
    pub relationship: Relationship,
    pub tabs: Vec<DataKind>,
    pub contact: Option<Contact>,
    /// The agency takes messages through the portal.
    pub messaging: bool,
}

/// A shared document as the portal lists it: no sharing internals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalDocument {
    pub id: i32,
    pub name: String,
    pub category: String,
    pub size_bytes: i64,
    pub uploaded_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsView {
    pub text: String,
    pub version: i32,
    /// The case manager has not accepted this version yet.
    pub pending: bool,
}

#[server(endpoint = "portal/my-clients", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_clients(filter: ClientsFilter) -> Result<Vec<PortalClientRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::my_clients(&ctx.db, &user.actor(), &filter).await
    })
    .await
}

#[server(endpoint = "portal/client", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_client(client_id: i32) -> Result<PortalClientView, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::client_page(&ctx.db, &user.actor(), client_id, sc::client_ip()).await
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
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        let filter = crate::care::service::ScheduleFilter::parse(&from, &to, &status)?;
        service::schedule(&ctx.db, &user.actor(), client_id, &filter, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "portal/notes", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_notes(client_id: i32, query: String) -> Result<Vec<NoteRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::notes(&ctx.db, &user.actor(), client_id, &query, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "portal/hours", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_hours(client_id: i32) -> Result<Vec<MonthHours>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::hours(&ctx.db, &user.actor(), client_id, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "portal/assessments", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_assessments(client_id: i32) -> Result<Vec<AssessmentRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::assessments(&ctx.db, &user.actor(), client_id, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "portal/documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_documents(client_id: i32) -> Result<Vec<PortalDocument>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::documents(&ctx.db, &user.actor(), client_id, sc::client_ip()).await
    })
    .await
}

/// The terms of use; reachable before they are accepted.
#[server(endpoint = "portal/terms", input = leptos::server_fn::codec::GetUrl)]
pub async fn portal_terms() -> Result<TermsView, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user_before_terms()?;
        service::terms(&ctx.db, &user.actor()).await
    })
    .await
}

#[server(endpoint = "portal/terms/accept")]
pub async fn accept_terms(version: i32) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user_before_terms()?;
        service::accept_terms(&ctx.db, &user.actor(), version, sc::client_ip()).await
    })
    .await
}
