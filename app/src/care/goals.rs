//! Care-plan goals and their progress entries, kept by staff on the
//! client's page; the Progress Report is drawn from them. Like notes, a
//! progress entry is never rewritten: a correction is a new entry.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::layout::ErrorNotice;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalRow {
    pub id: i32,
    pub title: String,
    pub description: String,
    pub target_date: Option<String>,
    pub status: String,
    /// The newest progress entry's percentage.
    pub latest_percent: Option<i32>,
    pub entries: Vec<ProgressRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressRow {
    pub recorded_on: String,
    pub percent: i32,
    pub note: String,
}

#[server(endpoint = "care/goals", input = leptos::server_fn::codec::GetUrl)]
pub async fn client_goals(client_id: i32) -> Result<Vec<GoalRow>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::list(&ctx.db, &user.actor(), client_id).await
    })
    .await
}

#[server(endpoint = "care/goals/add")]
pub async fn add_goal(
    client_id: i32,
    title: String,
    description: String,
    target_date: String,
) -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::add(
            &ctx.db,
            &user.actor(),
            client_id,
            &title,
            &description,
            &target_date,
            sc::client_ip(),
        )
        .await
    })
    .await
}

#[server(endpoint = "care/goals/progress")]
pub async fn record_progress(
    goal_id: i32,
    recorded_on: String,
    percent: i32,
    note: String,
) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::progress(
            &ctx.db,
            &user.actor(),
            goal_id,
            &recorded_on,
            percent,
            &note,
            sc::client_ip(),
        )
        .await
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod service {
    use chrono::Utc;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
        Set,
    };
    use serde_json::json;

    use super::{GoalRow, ProgressRow};
    use crate::activity::ActivityAction;
    use crate::activity::service::{Entry, record};
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
        let c = crate::agency::clients::service::authorised_client(
            db,
            actor,
            client_id,
            Action::Modify,
        )
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
        actor: &Actor,
        client_id: i32,
        title: &str,
        description: &str,
        target_date: &str,
        ip: Option<String>,
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
        let c = staff_client(&txn, actor, client_id).await?;
        let saved = goal::ActiveModel {
            organisation_id: Set(c.organisation_id),
            client_id: Set(c.id),
            title: Set(title.clone()),
            description: Set(description.to_string()),
            target_date: Set(target),
            status: Set("active".into()),
            created_by: Set(actor.user_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            Entry::new(ActivityAction::GoalAdded, "goal", Some(saved.id))
                .by(actor.user_id, actor.organisation_id)
                .detail(json!({ "client": c.id, "client_name": c.full_name, "title": title }))
                .from_ip(ip),
        )
        .await?;
        txn.commit().await?;
        Ok(saved.id)
    }

    pub async fn progress(
        db: &DatabaseConnection,
        actor: &Actor,
        goal_id: i32,
        recorded_on: &str,
        percent: i32,
        note: &str,
        ip: Option<String>,
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
        let c = staff_client(&txn, actor, g.client_id).await?;
        goal_progress::ActiveModel {
            goal_id: Set(g.id),
            recorded_on: Set(on),
            percent: Set(percent),
            note: Set(note.to_string()),
            recorded_by: Set(actor.user_id),
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
            Entry::new(ActivityAction::GoalProgressRecorded, "goal", Some(g.id))
                .by(actor.user_id, actor.organisation_id)
                .detail(json!({
                    "client": c.id,
                    "client_name": c.full_name,
                    "goal": g.title,
                    "percent": percent,
                    "recorded_on": on.to_string(),
                }))
                .from_ip(ip),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Staff: the client's goals, a form for a new goal and one for progress.
#[component]
pub fn GoalsSection(client_id: i32) -> impl IntoView {
    let add = ServerAction::<AddGoal>::new();
    let step = ServerAction::<RecordProgress>::new();
    let goals = Resource::new(
        move || (add.version().get(), step.version().get()),
        move |_| client_goals(client_id),
    );
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let goal = RwSignal::new(0i32);
    let on = RwSignal::new(String::new());
    let percent = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    view! {
        <section aria-labelledby="goals-heading">
            <h2 id="goals-heading">"Goals"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let rows = match goals.await {
                        Ok(rows) => rows,
                        Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    };
                    if goal.get_untracked() == 0 && let Some(first) = rows.first() {
                        goal.set(first.id);
                    }
                    let options = rows.iter().map(|g| view! {
                        <option value=g.id.to_string()>{g.title.clone()}</option>
                    }).collect_view();
                    view! {
                        {if rows.is_empty() { Some(view! { <p>"No goals yet."</p> }) } else { None }}
                        <ul aria-label="Goals">
                            {rows.iter().map(|g| view! {
                                <li>
                                    <strong>{g.title.clone()}</strong>
                                    {format!(" — {}{}, {}", g.status,
                                        g.target_date.as_ref().map(|d| format!(", target {d}")).unwrap_or_default(),
                                        g.latest_percent.map(|p| format!("{p}% so far")).unwrap_or_else(|| "not yet measured".into()))}
                                </li>
                            }).collect_view()}
                        </ul>
                        {(!rows.is_empty()).then(|| view! {
                            <form aria-label="Record progress" on:submit=move |ev| {
                                ev.prevent_default();
                                step.dispatch(RecordProgress {
                                    goal_id: goal.get(), recorded_on: on.get(),
                                    percent: percent.get().trim().parse().unwrap_or(-1), note: note.get(),
                                });
                            }>
                                <label for="progress-goal">"Goal"</label>
                                <select id="progress-goal" on:change:target=move |ev| goal.set(ev.target().value().parse().unwrap_or(0))>{options}</select>
                                <label for="progress-date">"Date"</label>
                                <input id="progress-date" type="date" required bind:value=on />
                                <label for="progress-percent">"Progress (%)"</label>
                                <input id="progress-percent" type="number" min="0" max="100" required bind:value=percent />
                                <label for="progress-note">"Progress note"</label>
                                <textarea id="progress-note" bind:value=note></textarea>
                                <button type="submit">"Record progress"</button>
                            </form>
                        })}
                    }.into_any()
                })}
            </Transition>
            {move || step.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <form aria-label="Add a goal" on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddGoal { client_id, title: title.get(), description: description.get(), target_date: target.get() });
            }>
                <label for="goal-title">"Goal"</label>
                <input id="goal-title" required bind:value=title />
                <label for="goal-description">"Description"</label>
                <textarea id="goal-description" bind:value=description></textarea>
                <label for="goal-target">"Target date"</label>
                <input id="goal-target" type="date" bind:value=target />
                <button type="submit">"Add goal"</button>
            </form>
            {move || add.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}
