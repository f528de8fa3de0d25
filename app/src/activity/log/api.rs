//! The server functions of `activity::log`.

use leptos::prelude::*;

use crate::activity::log::LogPage;
use crate::error::AppError;

/// Admins: their organisation's activity log; `before` is a row id from
/// the previous page.
#[server(endpoint = "activity", input = leptos::server_fn::codec::GetUrl)]
pub async fn activity_log(
    action: String,
    text: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    before: Option<i64>,
) -> Result<LogPage, AppError> {
    use crate::activity::log::LogFilter;
    crate::server_context::signed_in(async move |ctx, caller| {
        let filter = LogFilter {
            action,
            text,
            from,
            to,
        };
        super::service::page(&ctx.db, caller, &filter, before).await
    })
    .await
}
