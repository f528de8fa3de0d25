use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cases::{CaseStatus, Urgency};
use crate::error::AppError;

/// One line of a case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i32,
    pub patient_name: String,
    pub reason: String,
    pub status: CaseStatus,
    pub urgency: Urgency,
    pub referred_by: String,
    pub referred_to: String,
    pub updated_at: String,
}

/// A case as its participants see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub id: i32,
    pub patient_name: String,
    pub reason: String,
    pub notes: Option<String>,
    pub status: CaseStatus,
    pub urgency: Urgency,
    pub referred_by: String,
    pub referred_to: String,
    pub associates: Vec<String>,
    pub version: i32,
}

/// Any signed-in user: the cases they may see (a doctor's own, a practice
/// case manager's practice's, a staff member's associated ones; none for
/// others). Newest first.
#[server(endpoint = "cases/list", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_cases() -> Result<Vec<CaseRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::list_visible(&ctx.db, &user.actor()).await
    })
    .await
}

/// Anyone the policy lets view the case; everyone else gets `NotFound`.
#[server(endpoint = "cases/get", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_case(id: i32) -> Result<CaseDetail, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::get_visible(&ctx.db, &user.actor(), id).await
    })
    .await
}
