//! The bell's server functions: a user's own notifications only.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::error::AppError;
use crate::notifications::Notifications;

/// The signed-in user's newest notifications and unread count.
#[server(endpoint = "notifications/list", input = GetUrl)]
pub async fn my_notifications() -> Result<Notifications, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::notifications::service::list(&ctx.db, caller).await
    })
    .await
}

/// Marks one notification read, or all of them when `id` is `None`.
#[server(endpoint = "notifications/read", input = Json)]
pub async fn mark_notifications_read(id: Option<i32>) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::notifications::service::mark_read(&ctx.db, caller, id).await
    })
    .await
}
