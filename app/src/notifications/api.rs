//! The bell's server functions: a user's own notifications only.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::error::AppError;
use crate::notifications::{Delivery, NotificationKind, Notifications, Preference};

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

/// The signed-in user's notification settings.
#[server(endpoint = "notifications/preferences", input = GetUrl)]
pub async fn notification_preferences() -> Result<Vec<Preference>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::notifications::service::preferences(&ctx.db, caller).await
    })
    .await
}

/// Saves how the signed-in user hears of each kind of event.
#[server(endpoint = "notifications/preferences/save", input = Json)]
pub async fn save_notification_preferences(
    choices: Vec<(NotificationKind, Delivery)>,
) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        if choices.len() > NotificationKind::ALL.len() {
            return Err(AppError::invalid("delivery", "Too many settings."));
        }
        crate::notifications::service::save_preferences(&ctx.db, caller, &choices).await
    })
    .await
}
