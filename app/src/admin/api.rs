//! Organisation administration: the typed API.

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

/// A practice's admins: add a doctor or staff member with an initial
/// password they must change at first sign-in.
#[server(endpoint = "admin/users/add")]
pub async fn add_user(
    name: String,
    email: String,
    role: String,
    specialty: String,
    initial_password: String,
) -> Result<OrgUser, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        let rules =
            crate::agency::settings::service::password_rules(&ctx.db, user.organisation_id).await?;
        let input = crate::admin::service::NewMember::parse(
            name,
            email,
            &role,
            specialty,
            initial_password,
            rules,
        )?;
        crate::admin::service::add_user(&ctx.db, &user.actor(), input, sc::client_ip()).await
    })
    .await
}

/// An organisation's admins: deactivate (ends their sessions at once) or
/// reactivate one of its users. Admins cannot deactivate themselves.
#[server(endpoint = "admin/users/active")]
pub async fn set_user_active(user_id: i32, active: bool) -> Result<OrgUser, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::admin::service::set_active(&ctx.db, &user.actor(), user_id, active, sc::client_ip())
            .await
    })
    .await
}

/// A practice's admins: grant or remove the Case Manager role of a staff
/// member. Logged with the role before and after.
#[server(endpoint = "admin/users/case-manager")]
pub async fn set_case_manager(user_id: i32, grant: bool) -> Result<OrgUser, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::admin::service::set_case_manager(
            &ctx.db,
            &user.actor(),
            user_id,
            grant,
            sc::client_ip(),
        )
        .await
    })
    .await
}
