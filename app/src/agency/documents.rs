//! Client documents and their sharing with case managers. Upload and
//! download are plain HTTP routes in the server (multipart in, bytes out);
//! both go through the services here.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::agency::Sharing;
use crate::error::AppError;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i32,
    pub name: String,
    pub category: String,
    pub category_sharing: Sharing,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: String,
    /// Marked for sharing by staff.
    pub marked: bool,
    /// What case managers actually get, after the category rule.
    pub shared: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub id: i32,
    pub name: String,
    pub sharing: Sharing,
}

/// Staff: a client's documents.
#[server(endpoint = "agency/documents", input = leptos::server_fn::codec::GetUrl)]
pub async fn client_documents(client_id: i32) -> Result<Vec<DocumentRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::list(&ctx.db, &user.actor(), client_id).await
    })
    .await
}

/// Staff: mark a document shared with case managers or not.
#[server(endpoint = "agency/documents/share", input = leptos::server_fn::codec::Json)]
pub async fn set_document_shared(document_id: i32, shared: bool) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::set_shared(&ctx.db, &user.actor(), document_id, shared, sc::client_ip()).await
    })
    .await
}

/// The agency's staff: the document categories (admins change them).
#[server(endpoint = "agency/categories", input = leptos::server_fn::codec::GetUrl)]
pub async fn document_categories() -> Result<Vec<CategoryRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::categories(&ctx.db, &user.actor()).await
    })
    .await
}

/// The agency's admins: a category's default sharing.
#[server(endpoint = "agency/categories/sharing", input = leptos::server_fn::codec::Json)]
pub async fn set_category_sharing(category_id: i32, sharing: Sharing) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::set_category_sharing(
            &ctx.db,
            &user.actor(),
            category_id,
            sharing,
            sc::client_ip(),
        )
        .await
    })
    .await
}
