//! Changing cases: status transitions, edits, referring on, new referrals.
//! Each change runs in one write transaction that re-reads the case, asks
//! the policy, checks the version the caller saw, and logs who acted and
//! for whom.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, CaseFacts, Grant, Participant, Resource, can};
use crate::cases::audit;
use crate::cases::deadlines::{Step, awaits_response};
use crate::cases::service::{deadlines, links};
use crate::cases::workflow::{RejectionReason, Transition};
use crate::cases::{BulkOutcome, CaseChanges, NewCase};
use crate::cases::{CaseStatus, Urgency};
use crate::db::begin_write;
use crate::entities::{activity_log, case, case_associate, doctor, user};
use crate::error::AppError;
use crate::notifications::NotificationKind;
use crate::notifications::service::{CaseEvent, case_event};
use crate::server_context::ServerContext;

const MAX_NOTE: usize = 2000;
const MAX_TEXT: usize = 5000;

/// A requested status change, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusChange {
    Receive,
    Accept,
    Reject {
        reason: RejectionReason,
        note: Option<String>,
    },
    Start,
    Complete,
    Hold,
    Resume,
    Cancel,
}

impl StatusChange {
    pub fn parse(
        transition: Transition,
        reason: Option<RejectionReason>,
        note: Option<String>,
    ) -> Result<Self, AppError> {
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
            return Err(AppError::invalid(
                "note",
                format!("Keep the note under {MAX_NOTE} characters."),
            ));
        }
        Ok(match transition {
            Transition::Receive => StatusChange::Receive,
            Transition::Accept => StatusChange::Accept,
            Transition::Reject => StatusChange::Reject {
                reason: reason
                    .ok_or_else(|| AppError::invalid("reason", "Choose a reason for rejecting."))?,
                note,
            },
            Transition::Start => StatusChange::Start,
            Transition::Complete => StatusChange::Complete,
            Transition::Hold => StatusChange::Hold,
            Transition::Resume => StatusChange::Resume,
            Transition::Cancel => StatusChange::Cancel,
        })
    }

    pub fn transition(&self) -> Transition {
        match self {
            StatusChange::Receive => Transition::Receive,
            StatusChange::Accept => Transition::Accept,
            StatusChange::Reject { .. } => Transition::Reject,
            StatusChange::Start => Transition::Start,
            StatusChange::Complete => Transition::Complete,
            StatusChange::Hold => Transition::Hold,
            StatusChange::Resume => Transition::Resume,
            StatusChange::Cancel => Transition::Cancel,
        }
    }
}

/// The policy action a transition needs.
pub fn policy_action(t: Transition) -> Action {
    match t {
        Transition::Accept => Action::Accept,
        Transition::Reject => Action::Reject,
        Transition::Cancel => Action::Cancel,
        Transition::Receive
        | Transition::Start
        | Transition::Complete
        | Transition::Hold
        | Transition::Resume => Action::Progress,
    }
}

/// "Changed by X meanwhile": names whoever last changed the case.
pub(super) async fn conflict(conn: &impl ConnectionTrait, case_id: i32) -> AppError {
    let last = activity_log::Entity::find()
        .filter(activity_log::Column::SubjectType.eq("case"))
        .filter(activity_log::Column::SubjectId.eq(case_id))
        // Only what changes the case's version; a post (maybe another
        // practice's internal note) or a download must not be named here.
        .filter(activity_log::Column::Action.is_not_in([
            ActivityAction::CasePostAdded,
            ActivityAction::CaseFileAttached,
            ActivityAction::CaseFileDownloaded,
            ActivityAction::CaseViewed,
            ActivityAction::CaseEscalated,
            ActivityAction::ApiRead,
        ]))
        .order_by_desc(activity_log::Column::Id)
        .one(conn)
        .await
        .ok()
        .flatten();
    let name = match last.and_then(|l| l.actor_user_id) {
        Some(id) => user::Entity::find_by_id(id)
            .one(conn)
            .await
            .ok()
            .flatten()
            .map(|u| u.display_name),
        None => None,
    };
    AppError::Conflict(format!(
        "This case was changed by {} meanwhile. Nothing was saved: reload it to see the change.",
        name.unwrap_or_else(|| "someone else".into())
    ))
}

/// Loads a case and its facts inside the transaction, or `NotFound`.
pub(super) async fn load(
    conn: &impl ConnectionTrait,
    id: i32,
) -> Result<(case::Model, CaseFacts), AppError> {
    let c = case::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = links::facts(conn, id).await?.ok_or(AppError::NotFound)?;
    Ok((c, f))
}

/// A log entry about a case, by the caller and for whom the grant says
/// they acted.
pub(super) fn entry(action: ActivityAction, case_id: i32, caller: &Caller, grant: Grant) -> Entry {
    Entry::new(action, Subject::Case(case_id))
        .by_caller(caller)
        .on_behalf_of(grant.on_behalf_of)
}

/// Saves `active` only if the case is still at `version`; bumps it.
pub(super) async fn save_versioned(
    conn: &impl ConnectionTrait,
    id: i32,
    version: i32,
    mut active: case::ActiveModel,
) -> Result<(), AppError> {
    active.version = Set(version + 1);
    let res = case::Entity::update_many()
        .set(active)
        .filter(case::Column::Id.eq(id))
        .filter(case::Column::Version.eq(version))
        .exec(conn)
        .await?;
    if res.rows_affected == 0 {
        return Err(conflict(conn, id).await);
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(case_id = id, user_id = caller.user_id))]
pub async fn transition(
    ctx: &ServerContext,
    caller: &Caller,
    id: i32,
    version: i32,
    change: StatusChange,
) -> Result<(), AppError> {
    change_status(ctx, caller, id, version, change).await?;
    crate::mail::outbox::send_soon(ctx);
    Ok(())
}

/// [`transition`] up to the commit: the mail it queued is still queued.
async fn change_status(
    ctx: &ServerContext,
    caller: &Caller,
    id: i32,
    version: i32,
    change: StatusChange,
) -> Result<(), AppError> {
    let t = change.transition();
    let txn = begin_write(&ctx.db).await?;
    let (c, facts) = load(&txn, id).await?;
    let grant = can(caller, policy_action(t), &Resource::Case(&facts))?;
    if c.version != version {
        return Err(conflict(&txn, id).await);
    }
    let to = t
        .target(c.status, c.status_before_hold)
        .map_err(AppError::Conflict)?;
    let now = Utc::now();
    let mut active = case::ActiveModel {
        status: Set(to),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut told = None;
    let mut detail = audit::StatusChanged {
        transition: t.past_tense().to_string(),
        from: c.status.key().to_string(),
        to: to.key().to_string(),
        reason: None,
        with_note: None,
    };
    match &change {
        StatusChange::Hold => active.status_before_hold = Set(Some(c.status)),
        StatusChange::Resume => active.status_before_hold = Set(None),
        StatusChange::Reject { reason, note } => {
            active.rejection_code = Set(Some(reason.key().to_string()));
            active.rejection_note = Set(note.clone());
            // The reason's label only: the note is clinical text, kept on
            // the case for its participants, not in the admin-readable log.
            detail.reason = Some(reason.label().to_string());
            detail.with_note = Some(note.is_some());
            told = Some(reason.label().to_string());
        }
        _ => {}
    }
    if t == Transition::Receive {
        // Receipt is recorded by the receiving side's page as it loads, not
        // decided by anyone: it keeps the version, so what the viewer does
        // next (on the case as they saw it) is not refused as a conflict.
        let res = case::Entity::update_many()
            .set(active)
            .filter(case::Column::Id.eq(id))
            .filter(case::Column::Status.eq(c.status))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(conflict(&txn, id).await);
        }
    } else {
        save_versioned(&txn, id, version, active).await?;
    }
    links::touch(&txn, id, to, now).await?;
    record(
        &txn,
        entry(ActivityAction::CaseStatusChanged, id, caller, grant).detail(audit::stored(&detail)),
    )
    .await?;
    if let Some(kind) = NotificationKind::of_transition(t) {
        let event = CaseEvent {
            kind,
            case_id: id,
            on_behalf_of: grant.on_behalf_of,
            detail: told,
            urgent: c.urgency != Urgency::Routine,
        };
        case_event(&txn, caller, &ctx.config.public_url, event).await?;
    }
    txn.commit().await?;
    Ok(())
}

fn clean(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, AppError> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        return Err(AppError::invalid(
            field,
            format!("Keep this under {max} characters."),
        ));
    }
    Ok(value)
}

fn required(field: &str, value: String, max: usize, message: &str) -> Result<String, AppError> {
    clean(field, Some(value), max)?.ok_or_else(|| AppError::invalid(field, message))
}

fn search_text(patient: &str, reason: &str) -> String {
    let mut s = format!("{patient} {reason}").to_lowercase();
    if s.len() > 800 {
        let mut cut = 800;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

#[tracing::instrument(skip_all, fields(case_id = id, user_id = caller.user_id))]
pub async fn modify(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    version: i32,
    changes: CaseChanges,
) -> Result<(), AppError> {
    let reason = required(
        "reason",
        changes.reason,
        MAX_TEXT,
        "Say why the patient is referred.",
    )?;
    let contact = clean("patient_contact", changes.patient_contact, 200)?;
    let notes = clean("notes", changes.notes, MAX_TEXT)?;
    let txn = begin_write(db).await?;
    let (c, facts) = load(&txn, id).await?;
    let grant = can(caller, Action::Modify, &Resource::Case(&facts))?;
    if c.version != version {
        return Err(conflict(&txn, id).await);
    }
    // The activity log says which fields changed, never their values: it is
    // read by admins and exported, and the values are clinical text that
    // only the case's participants may see.
    let mut fields: Vec<&str> = Vec::new();
    if c.reason != reason {
        fields.push("reason");
    }
    if c.urgency != changes.urgency {
        fields.push("urgency");
    }
    if c.patient_contact != contact {
        fields.push("patient_contact");
    }
    if c.notes != notes {
        fields.push("notes");
    }
    if fields.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let text = search_text(&c.patient_name, &reason);
    links::set_search_text(&txn, id, &text).await?;
    let mut active = case::ActiveModel {
        search_text: Set(text),
        reason: Set(reason),
        urgency: Set(changes.urgency),
        patient_contact: Set(contact),
        notes: Set(notes),
        updated_at: Set(now),
        ..Default::default()
    };
    // A referral made more (or less) urgent while it waits for an answer
    // gets the deadline of its new urgency, counted from its arrival. One
    // from before deadlines existed keeps having none: counted from an
    // arrival weeks ago it would escalate at once.
    if c.urgency != changes.urgency && awaits_response(c.status) && c.respond_by.is_some() {
        let by = deadlines::respond_by(
            &txn,
            facts.referred_to.organisation_id,
            changes.urgency,
            c.created_at,
        )
        .await?;
        active.respond_by = Set(Some(by));
        if by > now {
            active.escalation_step = Set(Step::NotYet as i32);
        }
        links::set_respond_by(&txn, id, Some(by)).await?;
    }
    save_versioned(&txn, id, version, active).await?;
    links::touch(&txn, id, c.status, now).await?;
    record(
        &txn,
        entry(ActivityAction::CaseModified, id, caller, grant).detail(audit::stored(
            &audit::Modified {
                fields: fields.iter().map(|f| f.to_string()).collect(),
            },
        )),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An active doctor by user id, or a validation error on `field`.
async fn doctor_by_user(
    conn: &impl ConnectionTrait,
    user_id: i32,
    field: &str,
) -> Result<(doctor::Model, user::Model), AppError> {
    let bad = || AppError::invalid(field, "Choose a doctor from the directory.");
    let u = user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or_else(bad)?;
    if u.role != Role::Doctor || !u.active {
        return Err(bad());
    }
    let d = doctor::Entity::find()
        .filter(doctor::Column::UserId.eq(u.id))
        .one(conn)
        .await?
        .ok_or_else(bad)?;
    Ok((d, u))
}

#[tracing::instrument(skip_all, fields(case_id = id, user_id = caller.user_id))]
pub async fn refer(
    ctx: &ServerContext,
    caller: &Caller,
    id: i32,
    version: i32,
    to_doctor: i32,
    note: String,
) -> Result<i32, AppError> {
    let note = clean("note", Some(note), MAX_NOTE)?;
    let txn = begin_write(&ctx.db).await?;
    let (c, facts) = load(&txn, id).await?;
    let grant = can(caller, Action::Refer, &Resource::Case(&facts))?;
    if c.version != version {
        return Err(conflict(&txn, id).await);
    }
    if !c.status.is_open() {
        return Err(AppError::Conflict(format!(
            "A case that is {} cannot be referred on.",
            c.status.label().to_lowercase()
        )));
    }
    let (target, target_user) = doctor_by_user(&txn, to_doctor, "to_doctor").await?;
    if target.id == c.referred_to_doctor_id {
        return Err(AppError::invalid(
            "to_doctor",
            "The case is already with this doctor.",
        ));
    }
    let now = Utc::now();
    let respond_by =
        deadlines::respond_by(&txn, target_user.organisation_id, c.urgency, now).await?;
    let child = case::ActiveModel {
        respond_by: Set(Some(respond_by)),
        patient_name: Set(c.patient_name.clone()),
        patient_date_of_birth: Set(c.patient_date_of_birth),
        patient_contact: Set(c.patient_contact.clone()),
        reason: Set(c.reason.clone()),
        urgency: Set(c.urgency),
        notes: Set(note),
        referred_by_doctor_id: Set(c.referred_to_doctor_id),
        referred_to_doctor_id: Set(target.id),
        status: Set(CaseStatus::Requested),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        parent_case_id: Set(Some(c.id)),
        rejection_code: Set(None),
        rejection_note: Set(None),
        status_before_hold: Set(None),
        search_text: Set(c.search_text.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    links::rebuild(&txn, &child).await?;
    save_versioned(
        &txn,
        id,
        version,
        case::ActiveModel {
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    links::touch(&txn, id, c.status, now).await?;
    record(
        &txn,
        entry(ActivityAction::CaseReferredOn, id, caller, grant).detail(audit::stored(
            &audit::ReferredOn {
                new_case: child.id,
                to_doctor: target_user.display_name.clone(),
            },
        )),
    )
    .await?;
    record(
        &txn,
        entry(ActivityAction::CaseCreated, child.id, caller, grant).detail(audit::stored(
            &audit::Created {
                referred_from: Some(c.id),
                ..Default::default()
            },
        )),
    )
    .await?;
    for (kind, case_id) in [
        (NotificationKind::ReferredOn, c.id),
        (NotificationKind::Referred, child.id),
    ] {
        let event = CaseEvent {
            kind,
            case_id,
            on_behalf_of: grant.on_behalf_of,
            detail: None,
            urgent: c.urgency != Urgency::Routine,
        };
        case_event(&txn, caller, &ctx.config.public_url, event).await?;
    }
    txn.commit().await?;
    crate::mail::outbox::send_soon(ctx);
    Ok(child.id)
}

#[tracing::instrument(skip_all, fields(user_id = caller.user_id))]
pub async fn create(ctx: &ServerContext, caller: &Caller, input: NewCase) -> Result<i32, AppError> {
    let patient = required(
        "patient_name",
        input.patient_name,
        200,
        "Enter the patient's name.",
    )?;
    let reason = required(
        "reason",
        input.reason,
        MAX_TEXT,
        "Say why the patient is referred.",
    )?;
    let contact = clean("patient_contact", input.patient_contact, 200)?;
    let notes = clean("notes", input.notes, MAX_TEXT)?;
    let dob = match clean("patient_date_of_birth", input.patient_date_of_birth, 10)? {
        None => None,
        Some(d) => Some(
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .ok()
                .filter(|d| *d <= caller.zone.date_of(Utc::now()))
                .ok_or_else(|| {
                    AppError::invalid("patient_date_of_birth", "Enter a past date as YYYY-MM-DD.")
                })?,
        ),
    };
    if input.associated_user_ids.len() > 20 {
        return Err(AppError::invalid(
            "associated",
            "Associate at most 20 people.",
        ));
    }
    let txn = begin_write(&ctx.db).await?;
    let (by, by_user) = doctor_by_user(&txn, input.referred_by_user_id, "referred_by").await?;
    let (to, to_user) = doctor_by_user(&txn, input.referred_to_user_id, "referred_to").await?;
    if by.id == to.id {
        return Err(AppError::invalid(
            "referred_to",
            "A doctor cannot refer a case to themself.",
        ));
    }
    let mut associates = Vec::new();
    for uid in input.associated_user_ids {
        let u = user::Entity::find_by_id(uid)
            .one(&txn)
            .await?
            .filter(|u| {
                u.active
                    && matches!(
                        u.role,
                        Role::Doctor | Role::Staff | Role::PracticeCaseManager
                    )
            })
            .ok_or_else(|| {
                AppError::invalid("associated", "Choose associates from the directory.")
            })?;
        if u.id != by_user.id
            && u.id != to_user.id
            && !associates.iter().any(|a: &user::Model| a.id == u.id)
        {
            associates.push(u);
        }
    }
    let participant = |u: &user::Model| Participant {
        user_id: u.id,
        organisation_id: u.organisation_id,
        is_doctor: u.role == Role::Doctor,
    };
    let facts = CaseFacts {
        referred_by: participant(&by_user),
        referred_to: participant(&to_user),
        associates: associates.iter().map(participant).collect(),
    };
    let grant = can(caller, Action::Create, &Resource::Case(&facts))?;
    let now = Utc::now();
    let respond_by =
        deadlines::respond_by(&txn, to_user.organisation_id, input.urgency, now).await?;
    let c = case::ActiveModel {
        respond_by: Set(Some(respond_by)),
        search_text: Set(search_text(&patient, &reason)),
        patient_name: Set(patient),
        patient_date_of_birth: Set(dob),
        patient_contact: Set(contact),
        reason: Set(reason),
        urgency: Set(input.urgency),
        notes: Set(notes),
        referred_by_doctor_id: Set(by.id),
        referred_to_doctor_id: Set(to.id),
        status: Set(CaseStatus::Requested),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        parent_case_id: Set(None),
        rejection_code: Set(None),
        rejection_note: Set(None),
        status_before_hold: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for a in &associates {
        case_associate::ActiveModel {
            case_id: Set(c.id),
            user_id: Set(a.id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    links::rebuild(&txn, &c).await?;
    record(
        &txn,
        entry(ActivityAction::CaseCreated, c.id, caller, grant).detail(audit::stored(
            &audit::Created {
                referred_to: Some(to_user.display_name.clone()),
                urgency: Some(Urgency::key(input.urgency).to_string()),
                ..Default::default()
            },
        )),
    )
    .await?;
    let event = CaseEvent {
        kind: NotificationKind::Referred,
        case_id: c.id,
        on_behalf_of: grant.on_behalf_of,
        detail: None,
        urgent: input.urgency != Urgency::Routine,
    };
    case_event(&txn, caller, &ctx.config.public_url, event).await?;
    txn.commit().await?;
    crate::mail::outbox::send_soon(ctx);
    Ok(c.id)
}

/// Applies one change to several cases, each in its own transaction.
pub async fn bulk(
    ctx: &ServerContext,
    caller: &Caller,
    items: &[(i32, i32)],
    change: StatusChange,
) -> Vec<BulkOutcome> {
    let mut out = Vec::with_capacity(items.len());
    for (id, version) in items {
        let result = change_status(ctx, caller, *id, *version, change.clone()).await;
        out.push(match result {
            Ok(()) => BulkOutcome {
                id: *id,
                ok: true,
                message: change.transition().past_tense().to_string(),
            },
            Err(e) => BulkOutcome {
                id: *id,
                ok: false,
                message: e.to_string(),
            },
        });
    }
    crate::mail::outbox::send_soon(ctx);
    out
}
