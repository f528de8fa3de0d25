//! The server functions of `auth::reset`.

use leptos::prelude::*;

use crate::auth::reset::ResetView;
use crate::error::AppError;

/// Anyone: asks for a link. The answer is the same whether or not the
/// address has an account, and the mail goes out after the answer, so
/// neither the reply nor its timing tells who has one.
#[server(endpoint = "auth/reset/request")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::server_context::anyone(async move |ctx, ip| {
        super::service::request(ctx, &email, ip).await
    })
    .await
}

/// Admins: send a reset link to one of their organisation's users or
/// case managers.
#[server(endpoint = "auth/reset/send", input = leptos::server_fn::codec::Json)]
pub async fn send_password_reset(user_id: i32) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::send_by_admin(ctx, caller, user_id).await
    })
    .await
}

#[server(endpoint = "auth/reset/check", input = leptos::server_fn::codec::GetUrl)]
pub async fn check_password_reset(token: String) -> Result<ResetView, AppError> {
    crate::server_context::anyone(async move |ctx, _ip| {
        super::service::check(&ctx.db, &token).await
    })
    .await
}

#[server(endpoint = "auth/reset")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::server_context::anyone(async move |ctx, ip| {
        super::service::reset(&ctx.db, &token, password, &confirm, ip).await
    })
    .await
}
