use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::policy::{Action, Actor, ClientFacts, Resource, can};
use crate::clients::AssignedClient;
use crate::entities::{client, client_assignment};
use crate::error::AppError;

/// The actor's assigned clients, each also passed through the policy.
#[tracing::instrument(skip_all)]
pub async fn list_assigned(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Vec<AssignedClient>, AppError> {
    let rows = client_assignment::Entity::find()
        .filter(client_assignment::Column::CaseManagerUserId.eq(actor.user_id))
        .find_also_related(client::Entity)
        .filter(client::Column::ArchivedAt.is_null())
        .order_by_asc(client::Column::FullName)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(assignment, client)| {
            let client = client?;
            let facts = ClientFacts {
                organisation_id: client.organisation_id,
                archived: client.archived_at.is_some(),
                assigned_case_managers: vec![assignment.case_manager_user_id],
                visible: crate::agency::Visibility::default(),
            };
            can(actor, Action::View, &Resource::Client(&facts)).ok()?;
            Some(AssignedClient {
                id: client.id,
                full_name: client.full_name,
                relationship: assignment.relationship,
            })
        })
        .collect())
}

/// Everything the policy needs to know about a client.
pub async fn facts(
    conn: &impl sea_orm::ConnectionTrait,
    client: &client::Model,
) -> Result<ClientFacts, sea_orm::DbErr> {
    let assigned = client_assignment::Entity::find()
        .filter(client_assignment::Column::ClientId.eq(client.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.case_manager_user_id)
        .collect();
    Ok(ClientFacts {
        organisation_id: client.organisation_id,
        archived: client.archived_at.is_some(),
        assigned_case_managers: assigned,
        visible: crate::agency::settings::service::visibility(conn, client.organisation_id).await?,
    })
}

/// A client by id with the facts the policy needs; `NotFound` if none.
pub async fn client_and_facts(
    conn: &impl sea_orm::ConnectionTrait,
    client_id: i32,
) -> Result<(client::Model, ClientFacts), crate::error::AppError> {
    let c = client::Entity::find_by_id(client_id)
        .one(conn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let f = facts(conn, &c).await?;
    Ok((c, f))
}
