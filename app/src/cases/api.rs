//! Referral cases: the typed API both sides share. Every function
//! authenticates, then hands over to `cases::service`, which scopes each
//! query by the actor and asks the policy before it changes anything.

use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

use crate::cases::filters::CaseFilter;
use crate::cases::queues::QueueCounts;
use crate::cases::workflow::{RejectionReason, Transition};
use crate::cases::{BulkOutcome, CaseChanges, CaseDetail, CasePage, DoctorEntry, NewCase};
use crate::error::AppError;

/// Any signed-in user: one page of the cases they may see, filtered.
/// Doctors see the cases they are on; practice case managers every case a
/// doctor of their practice is on; staff the cases they are associated
/// with; everyone else none. A read, sent as POST only because the filter
/// is structured.
#[server(endpoint = "cases/list", input = Json)]
pub async fn list_cases(filter: CaseFilter, after: Option<String>) -> Result<CasePage, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::list_page(
            &ctx.db,
            caller,
            &filter,
            after.as_deref(),
            crate::cases::PAGE_SIZE,
        )
        .await
    })
    .await
}

/// Any signed-in user: how many cases each work queue holds for them
/// (for a practice case manager, narrowed to `doctor` when given). Zero
/// counts for those who own and receive no cases.
#[server(endpoint = "cases/queues", input = GetUrl)]
pub async fn case_queues(doctor: Option<i32>) -> Result<QueueCounts, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::queue_counts(&ctx.db, caller, doctor).await
    })
    .await
}

/// The receiving side (the referred-to doctor, their practice's case
/// managers): make someone the case's owner, or nobody with `None`. Same
/// version check as every change.
#[server(endpoint = "cases/assign", input = Json)]
pub async fn assign_case(
    id: i32,
    version: i32,
    owner: Option<i32>,
) -> Result<CaseDetail, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::assign(ctx, caller, id, version, owner).await?;
        crate::cases::service::open_case(&ctx.db, caller, id).await
    })
    .await
}

/// Anyone the policy lets view the case; everyone else gets `NotFound`.
/// Changes nothing (see [`acknowledge_case`]).
#[server(endpoint = "cases/get", input = GetUrl)]
pub async fn get_case(id: i32) -> Result<CaseDetail, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::open_case(&ctx.db, caller, id).await
    })
    .await
}

/// The case page calls this once it has loaded a Requested case the viewer
/// may progress: the case becomes Received. A POST, so no link or image
/// from another site can do it.
#[server(endpoint = "cases/received", input = Json)]
pub async fn acknowledge_case(id: i32) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::acknowledge(ctx, caller, id).await
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
    crate::server_context::signed_in(async move |ctx, caller| {
        let change = crate::cases::service::StatusChange::parse(transition, reason, note)?;
        crate::cases::service::transition(ctx, caller, id, version, change).await?;
        crate::cases::service::open_case(&ctx.db, caller, id).await
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
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::modify(&ctx.db, caller, id, version, changes).await?;
        crate::cases::service::open_case(&ctx.db, caller, id).await
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
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::refer(ctx, caller, id, version, to_doctor, note).await
    })
    .await
}

/// Doctors (referring as themselves) and practice case managers (for one
/// of their practice's doctors): start a referral. Returns its id.
#[server(endpoint = "cases/create", input = Json)]
pub async fn create_case(case: NewCase) -> Result<i32, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::create(ctx, caller, case).await
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
    crate::server_context::signed_in(async move |ctx, caller| {
        if items.len() > crate::cases::PAGE_SIZE as usize {
            return Err(AppError::invalid(
                "items",
                format!("Select at most {} cases.", crate::cases::PAGE_SIZE),
            ));
        }
        let change = crate::cases::service::StatusChange::parse(transition, reason, note)?;
        Ok(crate::cases::service::bulk(ctx, caller, &items, change).await)
    })
    .await
}

/// Practice users (doctors, staff, case managers, admins): doctors across
/// all practices, for the referred-to and associated pickers.
#[server(endpoint = "doctors/directory", input = GetUrl)]
pub async fn doctor_directory(q: String) -> Result<Vec<DoctorEntry>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::directory(&ctx.db, caller, &q, false).await
    })
    .await
}

/// Practice users: the doctors of their own practice (the "All doctors"
/// filter and the referring-doctor picker).
#[server(endpoint = "doctors/practice", input = GetUrl)]
pub async fn practice_doctors() -> Result<Vec<DoctorEntry>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::directory(&ctx.db, caller, "", true).await
    })
    .await
}

/// The caller's saved views of the case list.
#[server(endpoint = "cases/views", input = leptos::server_fn::codec::GetUrl)]
pub async fn saved_views() -> Result<Vec<crate::cases::views::SavedView>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::views::list(&ctx.db, caller).await
    })
    .await
}

/// Saves the list's current filter under a name of the caller's.
#[server(endpoint = "cases/views/save", input = Json)]
pub async fn save_view(
    name: String,
    filter: CaseFilter,
) -> Result<Vec<crate::cases::views::SavedView>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::views::save(&ctx.db, caller, &name, &filter).await
    })
    .await
}

#[server(endpoint = "cases/views/delete", input = Json)]
pub async fn delete_view(id: i32) -> Result<Vec<crate::cases::views::SavedView>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::views::delete(&ctx.db, caller, id).await
    })
    .await
}

/// Everyone who may see the case: its conversation (with their own
/// practice's internal notes) and its attachments.
#[server(endpoint = "cases/conversation", input = GetUrl)]
pub async fn case_conversation(
    id: i32,
) -> Result<crate::cases::conversation::Conversation, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::conversation::conversation(ctx, caller, id).await
    })
    .await
}

/// Whoever may change the case: a post to both sides, or with `internal`
/// a note only the caller's practice reads.
#[server(endpoint = "cases/post", input = Json)]
pub async fn post_to_case(id: i32, body: String, internal: bool) -> Result<i32, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::cases::service::conversation::post(ctx, caller, id, &body, internal).await
    })
    .await
}
