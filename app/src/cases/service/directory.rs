//! The doctor directory across practices.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::auth::Role;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::cases::DoctorEntry;
use crate::db::contains_pattern;
use crate::entities::{doctor, organisation, user};
use crate::error::AppError;
use crate::orgs::OrgKind;

const DIRECTORY_LIMIT: u64 = 100;

/// Active doctors matching `q` (name, specialty); only those of the
/// actor's own practice when `own_practice`. Practice users only.
pub async fn directory(
    db: &DatabaseConnection,
    actor: &Actor,
    q: &str,
    own_practice: bool,
) -> Result<Vec<DoctorEntry>, AppError> {
    can(actor, Action::View, &Resource::DoctorDirectory)?;
    let mut query = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Doctor))
        .filter(user::Column::Active.eq(true))
        .find_also_related(organisation::Entity)
        .filter(organisation::Column::Kind.eq(OrgKind::Practice));
    if own_practice {
        query = query.filter(user::Column::OrganisationId.eq(actor.organisation_id));
    }
    let q = q.trim().to_lowercase();
    if !q.is_empty() {
        query = query.filter(crate::db::lower_like(
            (user::Entity, user::Column::DisplayName),
            contains_pattern(&q),
        ));
    }
    let rows = query
        .order_by_asc(user::Column::DisplayName)
        .limit(DIRECTORY_LIMIT)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|(u, _)| u.id).collect();
    let specialties: std::collections::HashMap<i32, String> = doctor::Entity::find()
        .filter(doctor::Column::UserId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.user_id, d.specialty))
        .collect();
    Ok(rows
        .into_iter()
        .map(|(u, org)| DoctorEntry {
            specialty: specialties.get(&u.id).cloned().unwrap_or_default(),
            user_id: u.id,
            name: u.display_name,
            practice: org.map(|o| o.name).unwrap_or_default(),
        })
        .collect())
}
