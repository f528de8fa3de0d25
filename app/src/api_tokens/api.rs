//! The account page's token server functions: a user's own tokens only.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::api_tokens::{NewToken, Scope, TokenSettings};
use crate::error::AppError;

/// The signed-in user's tokens and the scopes they may give one.
#[server(endpoint = "api-tokens", input = GetUrl)]
pub async fn api_tokens() -> Result<TokenSettings, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::api_tokens::service::settings(&ctx.db, caller).await
    })
    .await
}

/// Makes a token once the password is right; the answer holds its value,
/// which is never shown again.
#[server(endpoint = "api-tokens/create", input = Json)]
pub async fn create_api_token(
    name: String,
    scopes: Vec<Scope>,
    days: i32,
    password: String,
) -> Result<NewToken, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        use crate::api_tokens::service::{NewTokenRequest, create};
        let new = NewTokenRequest {
            name: &name,
            scopes: &scopes,
            days,
            password,
        };
        create(&ctx.db, caller, new).await
    })
    .await
}

/// Revokes one of the signed-in user's tokens at once.
#[server(endpoint = "api-tokens/revoke", input = Json)]
pub async fn revoke_api_token(id: i32) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::api_tokens::service::revoke(&ctx.db, caller, id).await
    })
    .await
}
