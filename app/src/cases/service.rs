//! Case queries, always scoped by the actor and checked by the policy.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::auth::Role;
use crate::auth::policy::{Action, Actor, CaseFacts, Participant, Resource, can};
use crate::cases::api::{CaseDetail, CaseRow};
use crate::entities::{case, case_associate, doctor, user};
use crate::error::AppError;

/// Lists stop here until keyset pagination arrives with the case dashboard.
const LIST_LIMIT: u64 = 200;

/// The condition selecting exactly the cases `actor` may see, or `None`
/// when they may see none.
async fn visibility_condition(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Option<Condition>, AppError> {
    let doctor_ids: Vec<i32> = match actor.role {
        Role::Doctor => doctor::Entity::find()
            .filter(doctor::Column::UserId.eq(actor.user_id))
            .all(db)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect(),
        Role::PracticeCaseManager => doctor::Entity::find()
            .inner_join(user::Entity)
            .filter(user::Column::OrganisationId.eq(actor.organisation_id))
            .all(db)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect(),
        Role::Staff => Vec::new(),
        Role::Admin | Role::ExternalCaseManager => return Ok(None),
    };
    // Associated users: the doctor themself, every doctor of the practice,
    // or the staff member themself.
    let associate_users = match actor.role {
        Role::PracticeCaseManager => Query::select()
            .column(case_associate::Column::CaseId)
            .from(case_associate::Entity)
            .inner_join(
                user::Entity,
                ExprTrait::eq(
                    Expr::col((user::Entity, user::Column::Id)),
                    Expr::col((case_associate::Entity, case_associate::Column::UserId)),
                ),
            )
            .and_where(user::Column::OrganisationId.eq(actor.organisation_id))
            .and_where(user::Column::Role.eq(Role::Doctor))
            .to_owned(),
        _ => Query::select()
            .column(case_associate::Column::CaseId)
            .from(case_associate::Entity)
            .and_where(case_associate::Column::UserId.eq(actor.user_id))
            .to_owned(),
    };
    let mut cond = Condition::any().add(case::Column::Id.in_subquery(associate_users));
    if !doctor_ids.is_empty() {
        cond = cond
            .add(case::Column::ReferredToDoctorId.is_in(doctor_ids.clone()))
            .add(case::Column::ReferredByDoctorId.is_in(doctor_ids));
    }
    Ok(Some(cond))
}

#[tracing::instrument(skip(db))]
pub async fn list_visible(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Vec<CaseRow>, AppError> {
    let Some(cond) = visibility_condition(db, actor).await? else {
        return Ok(Vec::new());
    };
    let cases = case::Entity::find()
        .filter(cond)
        .order_by_desc(case::Column::UpdatedAt)
        .order_by_desc(case::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let names = doctor_names(
        db,
        cases
            .iter()
            .flat_map(|c| [c.referred_by_doctor_id, c.referred_to_doctor_id]),
    )
    .await?;
    Ok(cases
        .into_iter()
        .map(|c| CaseRow {
            id: c.id,
            referred_by: names
                .get(&c.referred_by_doctor_id)
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            referred_to: names
                .get(&c.referred_to_doctor_id)
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            patient_name: c.patient_name,
            reason: c.reason,
            status: c.status,
            urgency: c.urgency,
            updated_at: c.updated_at.format("%Y-%m-%d %H:%M").to_string(),
        })
        .collect())
}

/// Doctor id → (name, user).
async fn doctor_names(
    db: &DatabaseConnection,
    ids: impl Iterator<Item = i32>,
) -> Result<HashMap<i32, (String, user::Model)>, AppError> {
    let mut ids: Vec<i32> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = doctor::Entity::find()
        .filter(doctor::Column::Id.is_in(ids))
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, u)| u.map(|u| (d.id, (u.display_name.clone(), u))))
        .collect())
}

/// Loads a case with the facts the policy needs.
pub async fn load_facts(
    db: &DatabaseConnection,
    case_id: i32,
) -> Result<
    Option<(
        case::Model,
        CaseFacts,
        HashMap<i32, (String, user::Model)>,
        Vec<user::Model>,
    )>,
    AppError,
> {
    let Some(c) = case::Entity::find_by_id(case_id).one(db).await? else {
        return Ok(None);
    };
    let names = doctor_names(
        db,
        [c.referred_by_doctor_id, c.referred_to_doctor_id].into_iter(),
    )
    .await?;
    let associate_ids = case_associate::Entity::find()
        .filter(case_associate::Column::CaseId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.user_id)
        .collect();
    let associates = users_by_ids(db, associate_ids).await?;
    let participant = |doctor_id: i32| -> Result<Participant, AppError> {
        let (_, u) = names.get(&doctor_id).ok_or(AppError::Internal)?;
        Ok(Participant {
            user_id: u.id,
            organisation_id: u.organisation_id,
            is_doctor: true,
        })
    };
    let facts = CaseFacts {
        referred_by: participant(c.referred_by_doctor_id)?,
        referred_to: participant(c.referred_to_doctor_id)?,
        associates: associates
            .iter()
            .map(|u| Participant {
                user_id: u.id,
                organisation_id: u.organisation_id,
                is_doctor: u.role == Role::Doctor,
            })
            .collect(),
    };
    Ok(Some((c, facts, names, associates)))
}

async fn users_by_ids(
    db: &DatabaseConnection,
    ids: Vec<i32>,
) -> Result<Vec<user::Model>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?)
}

#[tracing::instrument(skip(db))]
pub async fn get_visible(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
) -> Result<CaseDetail, AppError> {
    let Some((c, facts, names, associates)) = load_facts(db, id).await? else {
        return Err(AppError::NotFound);
    };
    can(actor, Action::View, &Resource::Case(&facts))?;
    let name = |id: i32| names.get(&id).map(|d| d.0.clone()).unwrap_or_default();
    Ok(CaseDetail {
        id: c.id,
        referred_by: name(c.referred_by_doctor_id),
        referred_to: name(c.referred_to_doctor_id),
        associates: associates.into_iter().map(|u| u.display_name).collect(),
        patient_name: c.patient_name,
        reason: c.reason,
        notes: c.notes,
        status: c.status,
        urgency: c.urgency,
        version: c.version,
    })
}
