//! The reports' server functions: the portal's "make a report", staff's
//! "send to case manager", both lists, and the automated schedules.

use leptos::prelude::*;

use crate::error::AppError;
use crate::reports::{ReportRow, ScheduleRow};

#[cfg(feature = "ssr")]
use crate::reports::{Frequency, ReportKind, content::Period, schedule, service};

/// Makes a report of one client for the signed-in user. In the portal it
/// is saved under the case manager's Reports.
#[server(endpoint = "reports/generate")]
pub async fn generate_report(
    client_id: i32,
    kind: String,
    from: String,
    to: String,
) -> Result<ReportRow, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        let kind = self::kind(&kind)?;
        let period = Period::parse(&from, &to)?;
        service::generate(&ctx.db, caller, client_id, kind, period).await
    })
    .await
}

/// Staff send a report to case managers of the client; returns how many
/// copies went out.
#[server(endpoint = "reports/send")]
pub async fn send_report(
    client_id: i32,
    kind: String,
    from: String,
    to: String,
    #[server(default)] recipients: Vec<i32>,
) -> Result<usize, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        let kind = self::kind(&kind)?;
        let period = Period::parse(&from, &to)?;
        service::send(ctx, caller, client_id, kind, period, &recipients).await
    })
    .await
}

/// The reports in the signed-in case manager's portal.
#[server(endpoint = "reports/mine", input = leptos::server_fn::codec::GetUrl)]
pub async fn my_reports() -> Result<Vec<ReportRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| service::mine(&ctx.db, caller).await)
        .await
}

/// The reports made about one client, for staff.
#[server(endpoint = "reports/of-client", input = leptos::server_fn::codec::GetUrl)]
pub async fn client_reports(client_id: i32) -> Result<Vec<ReportRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::of_client(&ctx.db, caller, client_id).await
    })
    .await
}

#[server(endpoint = "reports/schedules", input = leptos::server_fn::codec::GetUrl)]
pub async fn report_schedules() -> Result<Vec<ScheduleRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| schedule::list(&ctx.db, caller).await)
        .await
}

#[server(endpoint = "reports/schedules/add")]
pub async fn add_report_schedule(
    client_id: i32,
    kind: String,
    frequency: String,
    day: i32,
    #[server(default)] recipients: Vec<i32>,
) -> Result<i32, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        let kind = self::kind(&kind)?;
        let frequency = Frequency::from_key(frequency.trim())
            .ok_or_else(|| AppError::invalid("frequency", "Choose weekly or monthly."))?;
        schedule::add(
            &ctx.db,
            caller,
            client_id,
            kind,
            frequency,
            day,
            &recipients,
        )
        .await
    })
    .await
}

#[server(endpoint = "reports/schedules/stop")]
pub async fn stop_report_schedule(schedule_id: i32) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        schedule::stop(&ctx.db, caller, schedule_id).await
    })
    .await
}

/// The agency's active clients with their case managers, for the schedule
/// form.
#[server(endpoint = "reports/schedule-clients", input = leptos::server_fn::codec::GetUrl)]
pub async fn schedule_clients() -> Result<Vec<crate::reports::ScheduleClient>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        schedule::clients(&ctx.db, caller).await
    })
    .await
}

#[cfg(feature = "ssr")]
fn kind(key: &str) -> Result<ReportKind, AppError> {
    ReportKind::from_key(key.trim())
        .ok_or_else(|| AppError::invalid("kind", "Choose a report type from the list."))
}
