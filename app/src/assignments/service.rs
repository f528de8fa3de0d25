use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::agency::settings::service::visibility;
use crate::assignments::AssignedClient;
use crate::auth::grants::Visibility;
use crate::auth::policy::{Action, Actor, ClientFacts, Resource, can};
use crate::entities::{client, client_assignment};
use crate::error::AppError;

/// The actor's assigned clients, each also passed through the policy with
/// the client's real facts (its whole team, the agency's visibility), so the
/// list can never hold a client the client's own page would refuse.
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
    let ids: Vec<i32> = rows.iter().map(|(a, _)| a.client_id).collect();
    let mut teams: HashMap<i32, Vec<i32>> = HashMap::new();
    for a in client_assignment::Entity::find()
        .filter(client_assignment::Column::ClientId.is_in(ids))
        .all(db)
        .await?
    {
        teams
            .entry(a.client_id)
            .or_default()
            .push(a.case_manager_user_id);
    }
    let mut shown: HashMap<i32, Visibility> = HashMap::new();
    let mut out = Vec::new();
    for (assignment, client) in rows {
        let Some(client) = client else { continue };
        let visible = match shown.get(&client.organisation_id) {
            Some(v) => *v,
            None => {
                let v = visibility(db, client.organisation_id).await?;
                shown.insert(client.organisation_id, v);
                v
            }
        };
        let facts = ClientFacts {
            organisation_id: client.organisation_id,
            archived: client.archived_at.is_some(),
            assigned_case_managers: teams.remove(&client.id).unwrap_or_default(),
            visible,
        };
        if can(actor, Action::View, &Resource::Client(&facts)).is_ok() {
            out.push(AssignedClient {
                id: client.id,
                full_name: client.full_name,
                relationship: assignment.relationship,
            });
        }
    }
    Ok(out)
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
        visible: visibility(conn, client.organisation_id).await?,
    })
}

/// Many clients with the facts the policy needs, in a fixed number of
/// queries however many there are (lists that decide per client: inboxes,
/// unread counts). Ids that name no client are left out.
pub async fn clients_and_facts(
    conn: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, (client::Model, ClientFacts)>, sea_orm::DbErr> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let clients = client::Entity::find()
        .filter(client::Column::Id.is_in(ids.clone()))
        .all(conn)
        .await?;
    let mut assigned: HashMap<i32, Vec<i32>> = HashMap::new();
    for a in client_assignment::Entity::find()
        .filter(client_assignment::Column::ClientId.is_in(ids))
        .all(conn)
        .await?
    {
        assigned
            .entry(a.client_id)
            .or_default()
            .push(a.case_manager_user_id);
    }
    let mut visible: HashMap<i32, Visibility> = HashMap::new();
    for c in &clients {
        if let std::collections::hash_map::Entry::Vacant(slot) = visible.entry(c.organisation_id) {
            slot.insert(visibility(conn, c.organisation_id).await?);
        }
    }
    Ok(clients
        .into_iter()
        .filter_map(|c| {
            let f = ClientFacts {
                organisation_id: c.organisation_id,
                archived: c.archived_at.is_some(),
                assigned_case_managers: assigned.remove(&c.id).unwrap_or_default(),
                visible: *visible.get(&c.organisation_id)?,
            };
            Some((c.id, (c, f)))
        })
        .collect())
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
