//! The staff app's server functions for the care record. Every one goes
//! through the policy as "modify this client" — the portal never reaches
//! them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::care::hours::MonthHours;
#[cfg(feature = "ssr")]
use crate::care::service;
use crate::care::{
    AppointmentInput, AppointmentRow, AppointmentStatus, AssessmentInput, AssessmentRow, NoteInput,
    NoteRow,
};
use crate::error::AppError;

/// A client's care record as agency staff see it, internal notes included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareRecordView {
    pub appointments: Vec<AppointmentRow>,
    pub notes: Vec<NoteRow>,
    pub assessments: Vec<AssessmentRow>,
    pub hours: Vec<MonthHours>,
}

#[server(endpoint = "care/record", input = leptos::server_fn::codec::GetUrl)]
pub async fn care_record(client_id: i32) -> Result<CareRecordView, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::staff_record(&ctx.db, &user.actor(), client_id).await
    })
    .await
}

#[server(endpoint = "care/appointments/add", input = leptos::server_fn::codec::Json)]
pub async fn add_appointment(client_id: i32, input: AppointmentInput) -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::add_appointment(&ctx.db, &user.actor(), client_id, input, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "care/appointments/update", input = leptos::server_fn::codec::Json)]
pub async fn update_appointment(
    appointment_id: i32,
    input: AppointmentInput,
) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::update_appointment(
            &ctx.db,
            &user.actor(),
            appointment_id,
            input,
            sc::client_ip(),
        )
        .await
    })
    .await
}

#[server(endpoint = "care/appointments/status", input = leptos::server_fn::codec::Json)]
pub async fn set_appointment_status(
    appointment_id: i32,
    status: AppointmentStatus,
) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::set_appointment_status(
            &ctx.db,
            &user.actor(),
            appointment_id,
            status,
            sc::client_ip(),
        )
        .await
    })
    .await
}

#[server(endpoint = "care/notes/add", input = leptos::server_fn::codec::Json)]
pub async fn add_note(client_id: i32, input: NoteInput) -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::add_note(&ctx.db, &user.actor(), client_id, input, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "care/assessments/add", input = leptos::server_fn::codec::Json)]
pub async fn add_assessment(client_id: i32, input: AssessmentInput) -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::add_assessment(&ctx.db, &user.actor(), client_id, input, sc::client_ip()).await
    })
    .await
}
