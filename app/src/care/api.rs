//! The staff app's server functions for the care record. Every one goes
//! through the policy as "modify this client" — the portal never reaches
//! them.

use leptos::prelude::*;

use crate::care::CareRecordView;
use crate::care::{
    AppointmentInput, AppointmentSaved, AppointmentStatus, AssessmentInput, NoteInput,
};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::care::service;

#[server(endpoint = "care/record", input = leptos::server_fn::codec::GetUrl)]
pub async fn care_record(client_id: i32) -> Result<CareRecordView, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::staff_record(&ctx.db, caller, client_id).await
    })
    .await
}

#[server(endpoint = "care/appointments/add", input = leptos::server_fn::codec::Json)]
pub async fn add_appointment(
    client_id: i32,
    input: AppointmentInput,
) -> Result<AppointmentSaved, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::add_appointment(&ctx.db, caller, client_id, input).await
    })
    .await
}

#[server(endpoint = "care/appointments/update", input = leptos::server_fn::codec::Json)]
pub async fn update_appointment(
    appointment_id: i32,
    input: AppointmentInput,
) -> Result<AppointmentSaved, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::update_appointment(&ctx.db, caller, appointment_id, input).await
    })
    .await
}

#[server(endpoint = "care/appointments/status", input = leptos::server_fn::codec::Json)]
pub async fn set_appointment_status(
    appointment_id: i32,
    status: AppointmentStatus,
) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::set_appointment_status(&ctx.db, caller, appointment_id, status).await
    })
    .await
}

#[server(endpoint = "care/notes/add", input = leptos::server_fn::codec::Json)]
pub async fn add_note(client_id: i32, input: NoteInput) -> Result<i32, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::add_note(&ctx.db, caller, client_id, input).await
    })
    .await
}

#[server(endpoint = "care/assessments/add", input = leptos::server_fn::codec::Json)]
pub async fn add_assessment(client_id: i32, input: AssessmentInput) -> Result<i32, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::add_assessment(&ctx.db, caller, client_id, input).await
    })
    .await
}
