//! The server functions of `agency::documents`: each authenticates, asks the policy
//! (in the service) and maps the result.

use leptos::prelude::*;

use crate::agency::Sharing;
use crate::agency::documents::{CategoryRow, DocumentRow};
use crate::error::AppError;

/// Staff: a client's documents.
#[server(endpoint = "agency/documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn client_documents(client_id: i32) -> Result<Vec<DocumentRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::list(&ctx.db, caller, client_id).await
    })
    .await
}

/// The agency's staff: the largest file a document upload may carry, in
/// bytes (the upload form checks it before sending anything).
#[server(endpoint = "agency/documents/limit", input = leptos::server_fn::codec::GetUrl)]
pub async fn upload_limit() -> Result<u64, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::upload_limit(ctx, caller)
    })
    .await
}

/// Staff: mark a document shared with case managers or not.
#[server(endpoint = "agency/documents/share", input = leptos::server_fn::codec::Json)]
pub async fn set_document_shared(document_id: i32, shared: bool) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::set_shared(&ctx.db, caller, document_id, shared).await
    })
    .await
}

/// The agency's staff: the document categories (admins change them).
#[server(endpoint = "agency/categories", input = leptos::server_fn::codec::GetUrl)]
pub async fn document_categories() -> Result<Vec<CategoryRow>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::categories(&ctx.db, caller).await
    })
    .await
}

/// The agency's admins: a category's default sharing.
#[server(endpoint = "agency/categories/sharing", input = leptos::server_fn::codec::Json)]
pub async fn set_category_sharing(category_id: i32, sharing: Sharing) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::set_category_sharing(&ctx.db, caller, category_id, sharing).await
    })
    .await
}
