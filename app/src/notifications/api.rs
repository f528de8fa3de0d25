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

/// The signed-in user's digest hour and, for a doctor, whether their
/// practice's case managers receive their notifications.
#[server(endpoint = "notifications/delivery", input = GetUrl)]
pub async fn delivery_settings() -> Result<crate::notifications::DeliverySettings, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::notifications::service::delivery_settings(&ctx.db, caller).await
    })
    .await
}

/// Saves the digest hour and, for a doctor, the hand-on choice.
#[server(endpoint = "notifications/delivery/save", input = Json)]
pub async fn save_delivery_settings(digest_hour: i32, hand_on: bool) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::notifications::service::save_delivery_settings(&ctx.db, caller, digest_hour, hand_on)
            .await
    })
    .await
}
