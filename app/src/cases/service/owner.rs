//! Case owners: who on the receiving side answers for a case. Choosing one
//! is a change like any other: versioned, logged, and told to the new
//! owner in the same transaction.

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::activity::ActivityAction;
use crate::activity::service::record;
use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, CaseFacts, Participant, Resource, can, may_own};
use crate::cases::audit;
use crate::cases::service::changes::{conflict, entry, load, save_versioned};
use crate::cases::service::links;
use crate::cases::{OwnerChoice, Urgency};
use crate::db::begin_write;
use crate::entities::{case, user};
use crate::error::AppError;
use crate::notifications::NotificationKind;
use crate::notifications::service::{CaseEvent, case_event};
use crate::server_context::ServerContext;

/// The people who may own the case, by name.
pub async fn choices(
    conn: &impl ConnectionTrait,
    facts: &CaseFacts,
) -> Result<Vec<OwnerChoice>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::OrganisationId.eq(facts.referred_to.organisation_id))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in([Role::Doctor, Role::PracticeCaseManager]))
        .order_by_asc(user::Column::DisplayName)
        .all(conn)
        .await?
        .into_iter()
        .filter(|u| may_own(&participant(u), u.role, u.active, facts))
        .map(|u| OwnerChoice {
            user_id: u.id,
            name: u.display_name,
        })
        .collect())
}

fn participant(u: &user::Model) -> Participant {
    Participant {
        user_id: u.id,
        organisation_id: u.organisation_id,
        is_doctor: u.role == Role::Doctor,
    }
}

/// Makes `owner` the case's owner, or leaves it unowned with `None`.
/// The receiving side decides (the policy's `Assign`); the owner must be
/// someone [`may_own`] allows. Choosing the present owner changes nothing.
#[tracing::instrument(skip_all, fields(case_id = id, user_id = caller.user_id))]
pub async fn assign(
    ctx: &ServerContext,
    caller: &Caller,
    id: i32,
    version: i32,
    owner: Option<i32>,
) -> Result<(), AppError> {
    let txn = begin_write(&ctx.db).await?;
    let (c, facts) = load(&txn, id).await?;
    let grant = can(caller, Action::Assign, &Resource::Case(&facts))?;
    if c.version != version {
        return Err(conflict(&txn, id).await);
    }
    if !c.status.is_open() {
        return Err(AppError::Conflict(format!(
            "A {} case has no owner to choose.",
            c.status.label().to_lowercase()
        )));
    }
    let new_owner = match owner {
        Some(user_id) => {
            let u = user::Entity::find_by_id(user_id)
                .one(&txn)
                .await?
                .filter(|u| may_own(&participant(u), u.role, u.active, &facts))
                .ok_or_else(|| {
                    AppError::invalid(
                        "owner",
                        "Choose a case manager of the receiving practice, or one of its doctors on this case.",
                    )
                })?;
            Some(u)
        }
        None => None,
    };
    if c.owner_user_id == owner {
        return Ok(());
    }
    let now = Utc::now();
    save_versioned(
        &txn,
        id,
        version,
        case::ActiveModel {
            owner_user_id: Set(owner),
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    links::set_owner(&txn, id, owner, now).await?;
    record(
        &txn,
        entry(ActivityAction::CaseAssigned, id, caller, grant).detail(audit::stored(
            &audit::Assigned {
                owner: new_owner.as_ref().map(|u| u.display_name.clone()),
            },
        )),
    )
    .await?;
    if new_owner.is_some() {
        let event = CaseEvent {
            kind: NotificationKind::Assigned,
            case_id: id,
            on_behalf_of: grant.on_behalf_of,
            detail: None,
            urgent: c.urgency != Urgency::Routine,
        };
        case_event(&txn, caller, &ctx.config.public_url, event).await?;
    }
    txn.commit().await?;
    crate::mail::outbox::send_soon(ctx);
    Ok(())
}
