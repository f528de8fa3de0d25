//! Saving, listing and deleting a person's views of the case list. Views
//! are their owner's alone (the policy's `Resource::SavedViews`); changes
//! are logged as settings of the user.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::cases::filters::CaseFilter;
use crate::cases::views::{MAX_NAME_CHARS, MAX_VIEWS, SavedView};
use crate::db::begin_write;
use crate::entities::saved_view;
use crate::error::{AppError, ResultExt};

fn mine(actor: &Actor, action: Action) -> Result<(), AppError> {
    can(
        actor,
        action,
        &Resource::SavedViews {
            owner: actor.user_id,
        },
    )
    .map(|_| ())
}

async fn of(conn: &impl ConnectionTrait, user_id: i32) -> Result<Vec<SavedView>, AppError> {
    Ok(saved_view::Entity::find()
        .filter(saved_view::Column::UserId.eq(user_id))
        .order_by_asc(saved_view::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|v| SavedView {
            id: v.id,
            href: format!("/?{}", v.query),
            name: v.name,
        })
        .collect())
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<SavedView>, AppError> {
    mine(actor, Action::View)?;
    of(db, actor.user_id).await
}

fn logged(caller: &Caller, detail: serde_json::Value) -> Entry {
    Entry::new(
        ActivityAction::SettingsChanged,
        Subject::User(caller.user_id),
    )
    .by_caller(caller)
    .detail(json!({ "saved_views": detail }))
}

/// Saves `filter` under `name`. The filter is stored as the list writes it
/// to the URL, so what was odd or unknown in it is gone.
pub async fn save(
    db: &DatabaseConnection,
    caller: &Caller,
    name: &str,
    filter: &CaseFilter,
) -> Result<Vec<SavedView>, AppError> {
    mine(caller, Action::Create)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "Name the view."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(
            "name",
            format!("Keep the name under {MAX_NAME_CHARS} characters."),
        ));
    }
    let query = filter.to_query_string();
    if query.is_empty() {
        return Err(AppError::invalid(
            "name",
            "Choose a queue or a filter first: the whole list is \"All cases\".",
        ));
    }
    if query.len() > 500 {
        return Err(AppError::invalid(
            "name",
            "This filter is too long to save.",
        ));
    }
    let txn = begin_write(db).await?;
    let existing = saved_view::Entity::find()
        .filter(saved_view::Column::UserId.eq(caller.user_id))
        .count(&txn)
        .await?;
    if existing >= MAX_VIEWS as u64 {
        return Err(AppError::invalid(
            "name",
            format!("You have {MAX_VIEWS} views; delete one first."),
        ));
    }
    let taken = saved_view::Entity::find()
        .filter(saved_view::Column::UserId.eq(caller.user_id))
        .filter(saved_view::Column::Name.eq(name))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::invalid(
            "name",
            format!("You already have a view named \"{name}\"."),
        ));
    }
    saved_view::ActiveModel {
        user_id: Set(caller.user_id),
        name: Set(name.to_string()),
        query: Set(query.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // Two saves of one name at once: the index decides, the loser is told.
    .on_unique(|| {
        AppError::invalid("name", format!("You already have a view named \"{name}\"."))
    })?;
    record(
        &txn,
        logged(caller, json!({ "added": name, "query": query })),
    )
    .await?;
    let out = of(&txn, caller.user_id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Deletes one of the caller's views; anyone else's is NotFound.
pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
) -> Result<Vec<SavedView>, AppError> {
    let txn = begin_write(db).await?;
    let view = saved_view::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    can(
        caller,
        Action::Modify,
        &Resource::SavedViews {
            owner: view.user_id,
        },
    )?;
    saved_view::Entity::delete_by_id(view.id).exec(&txn).await?;
    record(&txn, logged(caller, json!({ "removed": view.name }))).await?;
    let out = of(&txn, caller.user_id).await?;
    txn.commit().await?;
    Ok(out)
}
