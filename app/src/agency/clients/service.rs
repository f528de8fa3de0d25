use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::clients::{AssignmentRow, ClientProfile, ClientRow};
use crate::assignments::Relationship;
use crate::assignments::service::facts;
use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::db::{begin_write, contains_pattern};
use crate::entities::{case_manager_profile, client, client_assignment, user};
use crate::error::AppError;

/// A client the actor may act on in `action`'s way, or the policy's error.
pub async fn authorised_client(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
    action: Action,
) -> Result<client::Model, AppError> {
    let c = client::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = facts(conn, &c).await?;
    can(actor, action, &Resource::Client(&f))?;
    Ok(c)
}

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    query: &str,
    include_archived: bool,
) -> Result<Vec<ClientRow>, AppError> {
    crate::auth::policy::works_at_own_desk(actor)?;
    let mut find = client::Entity::find()
        .filter(client::Column::OrganisationId.eq(actor.organisation_id))
        .order_by_asc(client::Column::FullName);
    if !include_archived {
        find = find.filter(client::Column::ArchivedAt.is_null());
    }
    let query = query.trim();
    if query.chars().count() > 200 {
        return Err(AppError::invalid(
            "query",
            "Search for at most 200 characters.",
        ));
    }
    if !query.is_empty() {
        find = find.filter(crate::db::lower_like(
            (client::Entity, client::Column::FullName),
            contains_pattern(query),
        ));
    }
    let clients = find.all(db).await?;
    let mut rows = Vec::with_capacity(clients.len());
    for c in clients {
        let n = client_assignment::Entity::find()
            .filter(client_assignment::Column::ClientId.eq(c.id))
            .all(db)
            .await?
            .len();
        rows.push(ClientRow {
            id: c.id,
            full_name: c.full_name,
            archived: c.archived_at.is_some(),
            case_managers: n,
        });
    }
    Ok(rows)
}

#[tracing::instrument(skip_all)]
pub async fn profile(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
) -> Result<ClientProfile, AppError> {
    crate::auth::policy::works_at_own_desk(caller)?;
    let c = authorised_client(db, caller, id, Action::Modify).await?;
    crate::activity::service::client_viewed(
        db,
        caller,
        &c,
        "client record (staff)",
        caller.ip.clone(),
    )
    .await?;
    let mut assignments = Vec::new();
    for a in client_assignment::Entity::find()
        .filter(client_assignment::Column::ClientId.eq(c.id))
        .order_by_asc(client_assignment::Column::Id)
        .all(db)
        .await?
    {
        let Some((u, Some(p))) = user::Entity::find_by_id(a.case_manager_user_id)
            .find_also_related(case_manager_profile::Entity)
            .one(db)
            .await?
        else {
            continue;
        };
        assignments.push(AssignmentRow {
            case_manager_id: u.id,
            name: u.display_name,
            email: u.email,
            relationship: a.relationship,
            access: p.access_status,
        });
    }
    Ok(ClientProfile {
        id: c.id,
        full_name: c.full_name,
        date_of_birth: c.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        phone: c.phone.unwrap_or_default(),
        email: c.email.unwrap_or_default(),
        address: c.address.unwrap_or_default(),
        authorised_hours_per_month: c.authorised_hours_per_month,
        archived: c.archived_at.is_some(),
        assignments,
    })
}

#[tracing::instrument(skip_all)]
pub async fn assign(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    case_manager_id: i32,
    relationship: Relationship,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let c = authorised_client(&txn, caller, client_id, Action::Modify).await?;
    let cm = user::Entity::find_by_id(case_manager_id)
        .filter(user::Column::OrganisationId.eq(c.organisation_id))
        .filter(user::Column::Role.eq(Role::ExternalCaseManager))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            AppError::invalid("case_manager", "Choose a case manager from the directory.")
        })?;
    let existing = client_assignment::Entity::find()
        .filter(client_assignment::Column::ClientId.eq(c.id))
        .all(&txn)
        .await?;
    if relationship == Relationship::Primary
        && let Some(primary) = existing
            .iter()
            .find(|a| a.relationship == Relationship::Primary && a.case_manager_user_id != cm.id)
    {
        let name = user::Entity::find_by_id(primary.case_manager_user_id)
            .one(&txn)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default();
        return Err(AppError::Conflict(format!(
            "{} already has a Primary case manager ({name}). A client has at most one: \
             unassign them first, or choose Secondary or Supervisor.",
            c.full_name
        )));
    }
    let before = existing
        .iter()
        .find(|a| a.case_manager_user_id == cm.id)
        .cloned();
    match before.clone() {
        Some(a) if a.relationship == relationship => {
            return Err(AppError::Conflict(format!(
                "{} is already {} case manager of {}.",
                cm.display_name,
                relationship.label(),
                c.full_name
            )));
        }
        Some(a) => {
            let mut am: client_assignment::ActiveModel = a.into();
            am.relationship = Set(relationship);
            am.update(&txn).await?;
        }
        None => {
            client_assignment::ActiveModel {
                client_id: Set(c.id),
                case_manager_user_id: Set(cm.id),
                relationship: Set(relationship),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    record(
        &txn,
        Entry::new(ActivityAction::ClientAssigned, Subject::Client(c.id))
            .by_caller(caller)
            .detail(json!({ "case_manager": cm.id, "name": cm.display_name,
                            "before": before.map(|a| a.relationship.label()),
                            "after": relationship.label() })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn unassign(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    case_manager_id: i32,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let c = authorised_client(&txn, caller, client_id, Action::Modify).await?;
    let a = client_assignment::Entity::find()
        .filter(client_assignment::Column::ClientId.eq(c.id))
        .filter(client_assignment::Column::CaseManagerUserId.eq(case_manager_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    client_assignment::Entity::delete_by_id(a.id)
        .exec(&txn)
        .await?;
    record(
        &txn,
        Entry::new(ActivityAction::ClientUnassigned, Subject::Client(c.id))
            .by_caller(caller)
            .detail(json!({ "case_manager": case_manager_id,
                            "before": a.relationship.label() })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn set_archived(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    archived: bool,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let c = authorised_client(&txn, caller, client_id, Action::Modify).await?;
    if c.archived_at.is_some() == archived {
        return Err(AppError::Conflict(if archived {
            "The client is archived already.".into()
        } else {
            "The client is not archived.".into()
        }));
    }
    let mut cm: client::ActiveModel = c.clone().into();
    cm.archived_at = Set(archived.then(Utc::now));
    cm.update(&txn).await?;
    let action = if archived {
        ActivityAction::ClientArchived
    } else {
        ActivityAction::ClientRestored
    };
    record(
        &txn,
        Entry::new(action, Subject::Client(c.id))
            .by_caller(caller)
            .detail(
                json!({ "before": { "archived": !archived }, "after": { "archived": archived } }),
            ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
