//! Organisation administration: the typed API.

use leptos::prelude::*;

use crate::admin::{DeadlineSetting, OrgUser, TimeZoneSetting};
use crate::error::AppError;

/// An organisation's admins only: its users.
#[server(endpoint = "admin/users", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_org_users() -> Result<Vec<OrgUser>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::service::list_users(&ctx.db, caller).await
    })
    .await
}

/// A practice's admins: add a doctor or staff member with an initial
/// password they must change at first sign-in.
#[server(endpoint = "admin/users/add")]
pub async fn add_user(
    name: String,
    email: String,
    role: String,
    specialty: String,
    initial_password: String,
) -> Result<OrgUser, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        let rules = crate::auth::password_rules::load(&ctx.db, caller.user.organisation_id).await?;
        let input = crate::admin::service::NewMember::parse(
            name,
            email,
            &role,
            specialty,
            initial_password,
            rules,
        )?;
        crate::admin::service::add_user(&ctx.db, caller, input).await
    })
    .await
}

/// An organisation's admins: deactivate (ends their sessions at once) or
/// reactivate one of its users. Admins cannot deactivate themselves.
#[server(endpoint = "admin/users/active")]
pub async fn set_user_active(user_id: i32, active: bool) -> Result<OrgUser, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::service::set_active(&ctx.db, caller, user_id, active).await
    })
    .await
}

/// A practice's admins: grant or remove the Case Manager role of a staff
/// member. Logged with the role before and after.
#[server(endpoint = "admin/users/case-manager")]
pub async fn set_case_manager(user_id: i32, grant: bool) -> Result<OrgUser, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::service::set_case_manager(&ctx.db, caller, user_id, grant).await
    })
    .await
}

/// An organisation's admins: the zone its times are entered and shown in.
#[server(endpoint = "admin/time-zone", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_time_zone() -> Result<TimeZoneSetting, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::service::time_zone(&ctx.db, caller).await
    })
    .await
}

#[server(endpoint = "admin/time-zone/update")]
pub async fn set_time_zone(time_zone: String) -> Result<TimeZoneSetting, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::service::set_time_zone(&ctx.db, caller, &time_zone).await
    })
    .await
}

/// A practice's admins: response deadlines and holidays.
#[server(endpoint = "admin/deadlines", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_deadlines() -> Result<Option<DeadlineSetting>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::calendar::deadlines(&ctx.db, caller).await
    })
    .await
}

#[server(endpoint = "admin/deadlines/update")]
pub async fn set_deadlines(
    routine: i32,
    urgent: i32,
    emergency: i32,
) -> Result<DeadlineSetting, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::calendar::set_deadlines(&ctx.db, caller, routine, urgent, emergency).await
    })
    .await
}

#[server(endpoint = "admin/holidays/add")]
pub async fn add_holiday(day: String, name: String) -> Result<DeadlineSetting, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::calendar::add_holiday(&ctx.db, caller, &day, &name).await
    })
    .await
}

#[server(endpoint = "admin/holidays/remove")]
pub async fn remove_holiday(id: i32) -> Result<DeadlineSetting, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::admin::calendar::remove_holiday(&ctx.db, caller, id).await
    })
    .await
}
