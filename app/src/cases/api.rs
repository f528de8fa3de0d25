//! Referral cases: the typed API both sides share. Every function
//! authenticates, then hands over to `cases::service`, which scopes each
//! query by the actor and asks the policy before it changes anything.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use serde::{Deserialize, Serialize};

use crate::cases::filters::CaseFilter;
use crate::cases::workflow::{RejectionReason, Transition};
use crate::cases::{CaseStatus, Urgency};
use crate::error::AppError;

/// Rows per page of a case list.
pub const PAGE_SIZE: u64 = 50;

/// One line of a case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i32,
    pub version: i32,
    pub patient_name: String,
    pub reason: String,
    pub status: CaseStatus,
    pub urgency: Urgency,
    pub referred_by: String,
    pub referred_to: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    /// Cursor for the next page, when there is one.
    pub next: Option<String>,
    /// Cases matching the filter, all pages together.
    pub total: u64,
}

/// One line of a case's history timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: String,
    pub text: String,
}

/// A case as its participants see it, with what the viewer may do to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub id: i32,
    pub version: i32,
    pub patient_name: String,
    pub patient_date_of_birth: Option<String>,
    pub patient_contact: Option<String>,
    pub reason: String,
    pub notes: Option<String>,
    pub status: CaseStatus,
    pub urgency: Urgency,
    pub referred_by: String,
    pub referred_to: String,
    pub associates: Vec<String>,
    pub rejection: Option<String>,
    pub parent_case_id: Option<i32>,
    /// Status changes the viewer may make now.
    pub allowed: Vec<Transition>,
    pub can_modify: bool,
    /// A new case the viewer's side has just opened: the page records
    /// receipt with [`acknowledge_case`].
    pub can_receive: bool,
    pub can_refer: bool,
    pub history: Vec<HistoryEntry>,
}

/// A doctor in the cross-practice directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorEntry {
    pub user_id: i32,
    pub name: String,
    pub practice: String,
    pub specialty: String,
}

/// The editable fields of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseChanges {
    pub patient_contact: Option<String>,
    pub reason: String,
    pub urgency: Urgency,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCase {
    pub patient_name: String,
    /// `YYYY-MM-DD`
    pub patient_date_of_birth: Option<String>,
    pub patient_contact: Option<String>,
    pub reason: String,
    pub urgency: Urgency,
    pub notes: Option<String>,
    /// The referring doctor (a case manager picks one of their practice's).
    pub referred_by_user_id: i32,
    pub referred_to_user_id: i32,
    pub associated_user_ids: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub id: i32,
    pub ok: bool,
    pub message: String,
}

/// Any signed-in user: one page of the cases they may see, filtered.
/// Doctors see the cases they are on; practice case managers every case a
/// doctor of their practice is on; staff the cases they are associated
/// with; everyone else none. A read, sent as POST only because the filter
/// is structured.
#[server(endpoint = "cases/list", input = Json)]
pub async fn list_cases(filter: CaseFilter, after: Option<String>) -> Result<CasePage, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::list_page(
            &ctx.db,
            &user.actor(),
            &filter,
            after.as_deref(),
            PAGE_SIZE,
        )
        .await
    })
    .await
}

/// Anyone the policy lets view the case; everyone else gets `NotFound`.
/// Changes nothing (see [`acknowledge_case`]).
#[server(endpoint = "cases/get", input = GetUrl)]
pub async fn get_case(id: i32) -> Result<CaseDetail, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::open_case(&ctx.db, &user.actor(), id).await
    })
    .await
}

/// The case page calls this once it has loaded a Requested case the viewer
/// may progress: the case becomes Received. A POST, so no link or image
/// from another site can do it.
#[server(endpoint = "cases/received", input = Json)]
pub async fn acknowledge_case(id: i32) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::acknowledge(&ctx.db, &user.actor(), id, sc::client_ip()).await
    })
    .await
}

/// The side of the case the transition belongs to (see the policy): the
/// referred-to doctor or their practice's case manager accepts, rejects and
/// progresses; the referring side cancels. `version` is the version the
/// caller saw: if someone changed the case since, nothing happens and the
/// caller is told who.
#[server(endpoint = "cases/transition", input = Json)]
pub async fn transition_case(
    id: i32,
    version: i32,
    transition: Transition,
    reason: Option<RejectionReason>,
    note: Option<String>,
) -> Result<CaseDetail, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        let change = crate::cases::service::StatusChange::parse(transition, reason, note)?;
        crate::cases::service::transition(
            &ctx.db,
            &user.actor(),
            id,
            version,
            change,
            sc::client_ip(),
        )
        .await?;
        crate::cases::service::open_case(&ctx.db, &user.actor(), id).await
    })
    .await
}

/// Doctors on the case and their practices' case managers: edit the
/// case's details, with the same version check as transitions.
#[server(endpoint = "cases/modify", input = Json)]
pub async fn modify_case(
    id: i32,
    version: i32,
    changes: CaseChanges,
) -> Result<CaseDetail, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::modify(
            &ctx.db,
            &user.actor(),
            id,
            version,
            changes,
            sc::client_ip(),
        )
        .await?;
        crate::cases::service::open_case(&ctx.db, &user.actor(), id).await
    })
    .await
}

/// The referred-to side: forward the case to another doctor. Creates a new
/// referral linked to this one and records the hand-off on both. Returns
/// the new case's id.
#[server(endpoint = "cases/refer", input = Json)]
pub async fn refer_case(
    id: i32,
    version: i32,
    to_doctor: i32,
    note: String,
) -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::refer(
            &ctx.db,
            &user.actor(),
            id,
            version,
            to_doctor,
            note,
            sc::client_ip(),
        )
        .await
    })
    .await
}

/// Doctors (referring as themselves) and practice case managers (for one
/// of their practice's doctors): start a referral. Returns its id.
#[server(endpoint = "cases/create", input = Json)]
pub async fn create_case(case: NewCase) -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::create(&ctx.db, &user.actor(), case, sc::client_ip()).await
    })
    .await
}

/// As `transition_case`, for several cases at once; each case is checked
/// and saved on its own and reported back.
#[server(endpoint = "cases/bulk", input = Json)]
pub async fn bulk_transition(
    items: Vec<(i32, i32)>,
    transition: Transition,
    reason: Option<RejectionReason>,
    note: Option<String>,
) -> Result<Vec<BulkOutcome>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        if items.len() > PAGE_SIZE as usize {
            return Err(AppError::invalid(
                "items",
                format!("Select at most {PAGE_SIZE} cases."),
            ));
        }
        let change = crate::cases::service::StatusChange::parse(transition, reason, note)?;
        Ok(
            crate::cases::service::bulk(&ctx.db, &user.actor(), &items, change, sc::client_ip())
                .await,
        )
    })
    .await
}

/// Practice users (doctors, staff, case managers, admins): doctors across
/// all practices, for the referred-to and associated pickers.
#[server(endpoint = "doctors/directory", input = GetUrl)]
pub async fn doctor_directory(q: String) -> Result<Vec<DoctorEntry>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::directory(&ctx.db, &user.actor(), &q, false).await
    })
    .await
}

/// Practice users: the doctors of their own practice (the "All doctors"
/// filter and the referring-doctor picker).
#[server(endpoint = "doctors/practice", input = GetUrl)]
pub async fn practice_doctors() -> Result<Vec<DoctorEntry>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::cases::service::directory(&ctx.db, &user.actor(), "", true).await
    })
    .await
}
