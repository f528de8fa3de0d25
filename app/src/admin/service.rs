use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::admin::api::OrgUser;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::entities::user;
use crate::error::AppError;

#[tracing::instrument(skip(db))]
pub async fn list_users(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<OrgUser>, AppError> {
    can(
        actor,
        Action::Administer,
        &Resource::Organisation {
            id: actor.organisation_id,
        },
    )?;
    Ok(user::Entity::find()
        .filter(user::Column::OrganisationId.eq(actor.organisation_id))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|u| OrgUser {
            id: u.id,
            display_name: u.display_name,
            email: u.email,
            role: u.role,
            active: u.active,
        })
        .collect())
}
