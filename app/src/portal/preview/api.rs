//! The server functions of `portal::preview`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::portal::preview::PortalPreview;

/// Agency admins: preview one case manager's portal.
#[server(endpoint = "case-managers/preview", input = leptos::server_fn::codec::GetUrl)]
pub async fn preview_portal(case_manager_id: i32) -> Result<PortalPreview, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::preview(&ctx.db, caller, case_manager_id).await
    })
    .await
}
