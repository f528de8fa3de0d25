//! One case: what its participants see, and its history timeline.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::cases::CaseStatus;
use crate::cases::audit::CaseEvent;
use crate::cases::service::changes::{StatusChange, policy_action, transition};
use crate::cases::service::links::facts;
use crate::cases::service::listing::doctor_names;
use crate::cases::workflow::{RejectionReason, Transition};
use crate::cases::{CaseDetail, HistoryEntry, OwnerChoice};
use crate::entities::{activity_log, case, case_associate, user};
use crate::error::AppError;
use crate::zone::Zone;

/// Shows a case to someone the policy lets see it. Reading changes
/// nothing: receipt is recorded by [`acknowledge`], which the page calls
/// with a POST once it has loaded (a GET can be triggered from another site).
#[tracing::instrument(skip_all, fields(case_id = id, user_id = actor.user_id))]
pub async fn open_case(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
) -> Result<CaseDetail, AppError> {
    let (c, facts) = visible_case(db, actor, id).await?;
    let names = doctor_names(db, vec![c.referred_by_doctor_id, c.referred_to_doctor_id]).await?;
    let associate_ids: Vec<i32> = case_associate::Entity::find()
        .filter(case_associate::Column::CaseId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.user_id)
        .collect();
    let associates = user::Entity::find()
        .filter(user::Column::Id.is_in(associate_ids))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.display_name)
        .collect();
    let resource = Resource::Case(&facts);
    let allowed = Transition::ALL
        .into_iter()
        .filter(|t| *t != Transition::Receive)
        .filter(|t| t.target(c.status, c.status_before_hold).is_ok())
        .filter(|t| can(actor, policy_action(*t), &resource).is_ok())
        .collect();
    let rejection = c
        .rejection_code
        .as_deref()
        .and_then(RejectionReason::from_key)
        .map(
            |r| match c.rejection_note.as_deref().filter(|n| !n.is_empty()) {
                Some(note) => format!("{}: {note}", r.label()),
                None => r.label().to_string(),
            },
        );
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    let can_assign = c.status.is_open() && can(actor, Action::Assign, &resource).is_ok();
    let owner_choices = if can_assign {
        crate::cases::service::owner::choices(db, &facts).await?
    } else {
        Vec::new()
    };
    let owner = match c.owner_user_id {
        Some(id) => user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| OwnerChoice {
                user_id: u.id,
                name: u.display_name,
            }),
        None => None,
    };
    let take_as = (owner_choices.iter().any(|o| o.user_id == actor.user_id)
        && c.owner_user_id != Some(actor.user_id))
    .then_some(actor.user_id);
    let due = crate::cases::deadlines::due(c.respond_by, c.status, chrono::Utc::now(), actor.zone);
    Ok(CaseDetail {
        due,
        owner,
        can_assign,
        owner_choices,
        take_as,
        id: c.id,
        version: c.version,
        referred_by: name(c.referred_by_doctor_id),
        referred_to: name(c.referred_to_doctor_id),
        patient_date_of_birth: c
            .patient_date_of_birth
            .map(|d| d.format("%Y-%m-%d").to_string()),
        associates,
        rejection,
        allowed,
        can_modify: can(actor, Action::Modify, &resource).is_ok(),
        can_receive: c.status == CaseStatus::Requested
            && can(actor, Action::Progress, &resource).is_ok(),
        can_refer: c.status.is_open() && can(actor, Action::Refer, &resource).is_ok(),
        history: history(db, actor.zone, id).await?,
        patient_name: c.patient_name,
        patient_contact: c.patient_contact,
        reason: c.reason,
        notes: c.notes,
        status: c.status,
        urgency: c.urgency,
        parent_case_id: c.parent_case_id,
    })
}

/// The case and its facts, when the policy lets `actor` see it; otherwise
/// `NotFound`, like a case that does not exist.
async fn visible_case(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
) -> Result<(case::Model, crate::auth::policy::CaseFacts), AppError> {
    let facts = facts(db, id).await?.ok_or(AppError::NotFound)?;
    can(actor, Action::View, &Resource::Case(&facts))?;
    let c = case::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, facts))
}

/// The referred-to side has seen a new case: Requested becomes Received.
/// Anyone else, or a case past Requested, changes nothing (opening a case
/// twice, or two people opening it at once, is not an error).
#[tracing::instrument(skip_all, fields(case_id = id, user_id = caller.user_id))]
pub async fn acknowledge(
    ctx: &crate::server_context::ServerContext,
    caller: &Caller,
    id: i32,
) -> Result<(), AppError> {
    let (c, facts) = visible_case(&ctx.db, caller, id).await?;
    if c.status != CaseStatus::Requested
        || can(caller, Action::Progress, &Resource::Case(&facts)).is_err()
    {
        return Ok(());
    }
    match transition(ctx, caller, id, c.version, StatusChange::Receive).await {
        Ok(()) | Err(AppError::Conflict(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The case's history, oldest first, each line naming who acted and for
/// whom: "Accepted by Casey Staff (case manager) for Dr. Ana Ortiz".
pub async fn history(
    db: &DatabaseConnection,
    zone: Zone,
    case_id: i32,
) -> Result<Vec<HistoryEntry>, AppError> {
    let rows = activity_log::Entity::find()
        .filter(activity_log::Column::SubjectType.eq("case"))
        .filter(activity_log::Column::SubjectId.eq(case_id))
        .order_by_asc(activity_log::Column::Id)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = rows
        .iter()
        .flat_map(|r| [r.actor_user_id, r.on_behalf_of_user_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let what = CaseEvent::read(r.action, &r.detail)?.describe();
            let actor = r.actor_user_id.and_then(|id| people.get(&id));
            let by = match actor {
                Some(u) if u.role == Role::PracticeCaseManager => {
                    format!(" by {} (case manager)", u.display_name)
                }
                Some(u) => format!(" by {}", u.display_name),
                None => String::new(),
            };
            let for_whom = r
                .on_behalf_of_user_id
                .and_then(|id| people.get(&id))
                .map(|u| format!(" for {}", u.display_name))
                .unwrap_or_default();
            Some(HistoryEntry {
                at: zone.show(r.created_at),
                text: format!("{what}{by}{for_whom}"),
            })
        })
        .collect())
}
