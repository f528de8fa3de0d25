//! The server functions of `care::goals`.

use leptos::prelude::*;

use crate::care::goals::GoalRow;
use crate::error::AppError;

#[server(endpoint = "care/goals", input = leptos::server_fn::codec::GetUrl)]
pub async fn client_goals(client_id: i32) -> Result<Vec<GoalRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::list(&ctx.db, caller, client_id).await
    })
    .await
}

#[server(endpoint = "care/goals/add")]
pub async fn add_goal(
    client_id: i32,
    title: String,
    description: String,
    target_date: String,
) -> Result<i32, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::add(
            &ctx.db,
            caller,
            client_id,
            &title,
            &description,
            &target_date,
        )
        .await
    })
    .await
}

#[server(endpoint = "care/goals/progress")]
pub async fn record_progress(
    goal_id: i32,
    recorded_on: String,
    percent: i32,
    note: String,
) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::progress(&ctx.db, caller, goal_id, &recorded_on, percent, &note).await
    })
    .await
}
