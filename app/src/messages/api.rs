//! Messaging's server functions. Reading a conversation marks the other
//! side's messages read, so it is a POST like every other change.

use leptos::prelude::*;

use crate::error::AppError;
use crate::messages::{MessageRow, MessagingView, StaffMember, ThreadRow};

#[cfg(feature = "ssr")]
use crate::messages::{Routing, service};

/// Sends a message about a client. A case manager writes in their own
/// conversation; staff name the case manager they answer.
#[server(endpoint = "messages/send")]
pub async fn send_message(
    client_id: i32,
    case_manager_id: Option<i32>,
    body: String,
) -> Result<MessageRow, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::send(ctx, caller, client_id, case_manager_id, &body).await
    })
    .await
}

/// One conversation, oldest first; marks the other side's messages read.
#[server(endpoint = "messages/conversation")]
pub async fn conversation(
    client_id: i32,
    case_manager_id: Option<i32>,
) -> Result<Vec<MessageRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::conversation(&ctx.db, caller, client_id, case_manager_id).await
    })
    .await
}

/// The staff inbox: conversations routed to the signed-in staff member,
/// narrowed by client and case manager (0 for any).
#[server(endpoint = "messages/inbox", input = leptos::server_fn::codec::GetUrl)]
pub async fn inbox(client_id: i32, case_manager_id: i32) -> Result<Vec<ThreadRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        let pick = |id: i32| (id > 0).then_some(id);
        service::inbox(
            &ctx.db,
            caller,
            pick(client_id),
            pick(case_manager_id),
            true,
        )
        .await
    })
    .await
}

/// Every conversation about one client, for its record.
#[server(endpoint = "messages/of-client", input = leptos::server_fn::codec::GetUrl)]
pub async fn client_conversations(client_id: i32) -> Result<Vec<ThreadRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::inbox(&ctx.db, caller, Some(client_id), None, false).await
    })
    .await
}

/// Unread messages for the signed-in user; `None` when messaging is off
/// or not for them.
#[server(endpoint = "messages/unread", input = leptos::server_fn::codec::GetUrl)]
pub async fn unread_messages() -> Result<Option<i64>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::unread(&ctx.db, caller).await
    })
    .await
}

#[server(endpoint = "messages/settings", input = leptos::server_fn::codec::GetUrl)]
pub async fn messaging_settings() -> Result<MessagingView, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::settings(&ctx.db, caller).await
    })
    .await
}

#[server(endpoint = "messages/settings/update")]
pub async fn update_messaging(
    enabled: bool,
    routing: String,
    #[server(default)] staff: Vec<i32>,
) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        let routing = Routing::from_key(routing.trim())
            .ok_or_else(|| AppError::invalid("routing", "Choose who receives messages."))?;
        service::update_settings(&ctx.db, caller, enabled, routing, &staff).await
    })
    .await
}

/// The agency's staff, with the client's team lead marked.
#[server(endpoint = "messages/team-lead", input = leptos::server_fn::codec::GetUrl)]
pub async fn team_lead_choices(client_id: i32) -> Result<Vec<StaffMember>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::team_lead_choices(&ctx.db, caller, client_id).await
    })
    .await
}

/// Sets (or with 0 clears) a client's team lead.
#[server(endpoint = "messages/team-lead/set")]
pub async fn set_team_lead(client_id: i32, user_id: i32) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        service::set_team_lead(&ctx.db, caller, client_id, (user_id > 0).then_some(user_id)).await
    })
    .await
}
