//! `case_links`: who is on a case, kept in step with `cases`.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::auth::Role;
use crate::auth::policy::{CaseFacts, Participant};
use crate::cases::{CaseSide, CaseStatus};
use crate::entities::{case, case_associate, case_link, doctor, user};
use crate::error::AppError;

/// Rebuilds the links of a case from its doctors and associates.
pub async fn rebuild(conn: &impl ConnectionTrait, c: &case::Model) -> Result<(), AppError> {
    case_link::Entity::delete_many()
        .filter(case_link::Column::CaseId.eq(c.id))
        .exec(conn)
        .await?;
    let mut people: Vec<(i32, CaseSide)> = Vec::new();
    for (doctor_id, side) in [
        (c.referred_by_doctor_id, CaseSide::ReferredBy),
        (c.referred_to_doctor_id, CaseSide::ReferredTo),
    ] {
        let d = doctor::Entity::find_by_id(doctor_id)
            .one(conn)
            .await?
            .ok_or(AppError::Internal)?;
        people.push((d.user_id, side));
    }
    for a in case_associate::Entity::find()
        .filter(case_associate::Column::CaseId.eq(c.id))
        .all(conn)
        .await?
    {
        people.push((a.user_id, CaseSide::Associated));
    }
    for (user_id, side) in people {
        let u = user::Entity::find_by_id(user_id)
            .one(conn)
            .await?
            .ok_or(AppError::Internal)?;
        case_link::ActiveModel {
            case_id: Set(c.id),
            user_id: Set(u.id),
            organisation_id: Set(u.organisation_id),
            side: Set(side),
            is_doctor: Set(u.role == Role::Doctor),
            status: Set(c.status),
            updated_at: Set(c.updated_at),
            search_text: Set(c.search_text.clone()),
            owner_user_id: Set(c.owner_user_id),
            respond_by: Set(c.respond_by),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// Copies a case's new status and time into its links.
pub async fn touch(
    conn: &impl ConnectionTrait,
    case_id: i32,
    status: CaseStatus,
    updated_at: DateTime<Utc>,
) -> Result<(), AppError> {
    case_link::Entity::update_many()
        .col_expr(case_link::Column::Status, Expr::value(status))
        .col_expr(case_link::Column::UpdatedAt, Expr::value(updated_at))
        .filter(case_link::Column::CaseId.eq(case_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// What the policy needs to know about a case: who is on it, where.
pub async fn facts(
    conn: &impl ConnectionTrait,
    case_id: i32,
) -> Result<Option<CaseFacts>, AppError> {
    let links = case_link::Entity::find()
        .filter(case_link::Column::CaseId.eq(case_id))
        .all(conn)
        .await?;
    let participant = |l: &case_link::Model| Participant {
        user_id: l.user_id,
        organisation_id: l.organisation_id,
        is_doctor: l.is_doctor,
    };
    let by = links.iter().find(|l| l.side == CaseSide::ReferredBy);
    let to = links.iter().find(|l| l.side == CaseSide::ReferredTo);
    let (Some(by), Some(to)) = (by, to) else {
        return Ok(None);
    };
    Ok(Some(CaseFacts {
        referred_by: participant(by),
        referred_to: participant(to),
        associates: links
            .iter()
            .filter(|l| l.side == CaseSide::Associated)
            .map(participant)
            .collect(),
    }))
}

/// Copies a case's new search text into its links.
pub async fn set_search_text(
    conn: &impl ConnectionTrait,
    case_id: i32,
    text: &str,
) -> Result<(), AppError> {
    case_link::Entity::update_many()
        .col_expr(case_link::Column::SearchText, Expr::value(text))
        .filter(case_link::Column::CaseId.eq(case_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Copies a case's new owner and time into its links.
pub async fn set_owner(
    conn: &impl ConnectionTrait,
    case_id: i32,
    owner: Option<i32>,
    updated_at: DateTime<Utc>,
) -> Result<(), AppError> {
    case_link::Entity::update_many()
        .col_expr(case_link::Column::OwnerUserId, Expr::value(owner))
        .col_expr(case_link::Column::UpdatedAt, Expr::value(updated_at))
        .filter(case_link::Column::CaseId.eq(case_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Copies a case's new response deadline into its links.
pub async fn set_respond_by(
    conn: &impl ConnectionTrait,
    case_id: i32,
    respond_by: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    case_link::Entity::update_many()
        .col_expr(case_link::Column::RespondBy, Expr::value(respond_by))
        .filter(case_link::Column::CaseId.eq(case_id))
        .exec(conn)
        .await?;
    Ok(())
}
