use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::AppError;

/// A user as an administrator sees them. No credentials, ever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUser {
    pub id: i32,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}

/// An organisation's admins only: its users.
#[server(endpoint = "admin/users", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_org_users() -> Result<Vec<OrgUser>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::admin::service::list_users(&ctx.db, &user.actor()).await
    })
    .await
}
