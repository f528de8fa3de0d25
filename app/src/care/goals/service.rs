//! Goals and progress entries: each read and write asks the policy about
//! the client first.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::{GoalRow, ProgressRow};
use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor};
use crate::care::MAX_TEXT;
use crate::care::service::{parse_date, required, staff_client};
use crate::db::begin_write;
use crate::entities::{goal, goal_progress};
use crate::error::AppError;

pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    client_id: i32,
) -> Result<Vec<GoalRow>, AppError> {
    let c =
        crate::agency::clients::service::authorised_client(db, actor, client_id, Action::Modify)
            .await?;
    let goals = goal::Entity::find()
        .filter(goal::Column::ClientId.eq(c.id))
        .order_by_asc(goal::Column::Id)
        .all(db)
        .await?;
    let entries = goal_progress::Entity::find()
        .filter(goal_progress::Column::GoalId.is_in(goals.iter().map(|g| g.id)))
        .order_by_asc(goal_progress::Column::RecordedOn)
        .order_by_asc(goal_progress::Column::Id)
        .all(db)
        .await?;
    Ok(goals
        .into_iter()
        .map(|g| {
            let mine: Vec<ProgressRow> = entries
                .iter()
                .filter(|e| e.goal_id == g.id)
                .map(|e| ProgressRow {
                    recorded_on: e.recorded_on.to_string(),
                    percent: e.percent,
                    note: e.note.clone(),
                })
                .collect();
            GoalRow {
                id: g.id,
                title: g.title,
                description: g.description,
                target_date: g.target_date.map(|d| d.to_string()),
                status: g.status,
                latest_percent: mine.last().map(|e| e.percent),
                entries: mine,
            }
        })
        .collect())
}

pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    title: &str,
    description: &str,
    target_date: &str,
) -> Result<i32, AppError> {
    let title = required("title", title, 200, "a goal")?;
    let description = description.trim();
    if description.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(
            "description",
            format!("Use at most {MAX_TEXT} characters."),
        ));
    }
    let target = match target_date.trim() {
        "" => None,
        s => Some(parse_date("target_date", s)?),
    };
    let txn = begin_write(db).await?;
    let c = staff_client(&txn, caller, client_id).await?;
    let saved = goal::ActiveModel {
        organisation_id: Set(c.organisation_id),
        client_id: Set(c.id),
        title: Set(title.clone()),
        description: Set(description.to_string()),
        target_date: Set(target),
        status: Set("active".into()),
        created_by: Set(caller.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Entry::new(ActivityAction::GoalAdded, Subject::Goal(saved.id))
            .by_caller(caller)
            .detail(json!({ "client": c.id, "client_name": c.full_name, "title": title })),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

pub async fn progress(
    db: &DatabaseConnection,
    caller: &Caller,
    goal_id: i32,
    recorded_on: &str,
    percent: i32,
    note: &str,
) -> Result<(), AppError> {
    let on = parse_date("recorded_on", recorded_on)?;
    if !(0..=100).contains(&percent) {
        return Err(AppError::invalid(
            "percent",
            "Progress is a percentage from 0 to 100.",
        ));
    }
    let note = note.trim();
    if note.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(
            "note",
            format!("Use at most {MAX_TEXT} characters."),
        ));
    }
    let txn = begin_write(db).await?;
    let g = goal::Entity::find_by_id(goal_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = staff_client(&txn, caller, g.client_id).await?;
    goal_progress::ActiveModel {
        goal_id: Set(g.id),
        recorded_on: Set(on),
        percent: Set(percent),
        note: Set(note.to_string()),
        recorded_by: Set(caller.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if percent == 100 && g.status == "active" {
        let mut am: goal::ActiveModel = g.clone().into();
        am.status = Set("achieved".into());
        am.update(&txn).await?;
    }
    record(
        &txn,
        Entry::new(ActivityAction::GoalProgressRecorded, Subject::Goal(g.id))
            .by_caller(caller)
            .detail(json!({
                "client": c.id,
                "client_name": c.full_name,
                "goal": g.title,
                "percent": percent,
                "recorded_on": on.to_string(),
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
