//! The activity log as its admins read it: filtered pages and the CSV
//! export, both scoped to their own organisation.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use super::{LogFilter, LogPage, LogRow, PAGE};
use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::db::{begin_write, contains_pattern, lower_like};
use crate::entities::{activity_log, user};
use crate::error::AppError;

/// Most rows one export holds; narrow the filter for more.
pub const EXPORT_LIMIT: u64 = 100_000;

/// The query for rows matching `filter`, newest first, older than
/// `before`, at most `limit`.
async fn matching(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &LogFilter,
    before: Option<i64>,
    limit: u64,
) -> Result<Select<activity_log::Entity>, AppError> {
    can(
        actor,
        Action::Administer,
        &Resource::Organisation {
            id: actor.organisation_id,
        },
    )?;
    let mut find = activity_log::Entity::find()
        .filter(activity_log::Column::OrganisationId.eq(actor.organisation_id))
        .order_by_desc(activity_log::Column::Id)
        .limit(limit);
    if !filter.action.trim().is_empty() {
        let a = ActivityAction::from_key(filter.action.trim())
            .ok_or_else(|| AppError::invalid("action", "Choose an action from the list."))?;
        find = find.filter(activity_log::Column::Action.eq(a));
    }
    let day = |field: &str, s: &str| -> Result<Option<NaiveDate>, AppError> {
        match s.trim() {
            "" => Ok(None),
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid(field, "Enter a date as YYYY-MM-DD.")),
        }
    };
    let (from, to) = (day("from", &filter.from)?, day("to", &filter.to)?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(AppError::invalid(
            "to",
            "The end date is before the start date.",
        ));
    }
    // Days of the organisation's calendar.
    let (from, to) = actor.zone.days(from, to);
    if let Some(f) = from {
        find = find.filter(activity_log::Column::CreatedAt.gte(f));
    }
    if let Some(t) = to {
        find = find.filter(activity_log::Column::CreatedAt.lt(t));
    }
    if let Some(b) = before {
        find = find.filter(activity_log::Column::Id.lt(b));
    }
    let text = filter.text.trim();
    if text.chars().count() > 200 {
        return Err(AppError::invalid("q", "Search for at most 200 characters."));
    }
    if !text.is_empty() {
        let pattern = contains_pattern(text);
        let people: Vec<i32> = user::Entity::find()
            .filter(user::Column::OrganisationId.eq(actor.organisation_id))
            .filter(
                Condition::any()
                    .add(lower_like(
                        (user::Entity, user::Column::DisplayName),
                        pattern.clone(),
                    ))
                    .add(lower_like(
                        (user::Entity, user::Column::Email),
                        pattern.clone(),
                    )),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        // Case rows' details are not searched: old ones hold clinical
        // text, and a search would tell an admin what it says.
        let mut any = Condition::any().add(
            Condition::all()
                .add(activity_log::Column::SubjectType.ne("case"))
                .add(lower_like(
                    (activity_log::Entity, activity_log::Column::Detail),
                    pattern,
                )),
        );
        if !people.is_empty() {
            any = any
                .add(activity_log::Column::ActorUserId.is_in(people.clone()))
                .add(
                    Condition::all()
                        .add(activity_log::Column::SubjectType.is_in(["user", "case_manager"]))
                        .add(activity_log::Column::SubjectId.is_in(people)),
                );
        }
        find = find.filter(any);
    }
    Ok(find)
}

/// One page of matching rows. The ids come first, then their rows: a date
/// range is found through the (organisation, time) index, and SQLite sorts
/// the range's ids by themselves (from the index alone) much faster than
/// whole rows (a fortnight of a million-row log: 43 ms before, see
/// `cargo bench -p server --bench portal_pages`).
async fn page_rows(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &LogFilter,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<activity_log::Model>, AppError> {
    let ids: Vec<i64> = matching(db, actor, filter, before, limit)
        .await?
        .select_only()
        .column(activity_log::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(activity_log::Entity::find()
        .filter(activity_log::Column::Id.is_in(ids))
        // Already the organisation's ids; said again so this query alone
        // can never show another's rows.
        .filter(activity_log::Column::OrganisationId.eq(actor.organisation_id))
        .order_by_desc(activity_log::Column::Id)
        .all(db)
        .await?)
}

/// The rows as people read them, `when` saying each one's time.
async fn shown(
    db: &DatabaseConnection,
    rows: Vec<activity_log::Model>,
    when: impl Fn(DateTime<Utc>) -> String,
) -> Result<Vec<LogRow>, AppError> {
    let names =
        crate::care::service::names(db, rows.iter().filter_map(|r| r.actor_user_id)).await?;
    Ok(rows
        .into_iter()
        .map(|r| LogRow {
            id: r.id,
            at: when(r.created_at),
            who: r
                .actor_user_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "—".into()),
            action: r.action,
            subject: match r.subject_id {
                Some(id) => format!("{} {id}", r.subject_type),
                None => r.subject_type,
            },
            detail: crate::activity::redact::for_log_view(r.action, &r.detail),
            ip: r.ip.unwrap_or_default(),
        })
        .collect())
}

pub async fn page(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &LogFilter,
    before: Option<i64>,
) -> Result<LogPage, AppError> {
    let mut rows = page_rows(db, actor, filter, before, PAGE + 1).await?;
    let next_before = (rows.len() as u64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.id)
    });
    Ok(LogPage {
        rows: shown(db, rows, |t| actor.zone.show_seconds(t)).await?,
        next_before: next_before.flatten(),
    })
}

/// The filtered log as CSV, newest first; the export itself is logged.
pub async fn export_csv(
    db: &DatabaseConnection,
    caller: &Caller,
    filter: &LogFilter,
) -> Result<(String, usize), AppError> {
    let found = matching(db, caller, filter, None, EXPORT_LIMIT)
        .await?
        .all(db)
        .await?;
    let rows = shown(db, found, |t| caller.zone.stamp(t)).await?;
    let mut out = crate::csv::line(["id", "when", "who", "action", "subject", "detail", "ip"]);
    for r in &rows {
        out.push_str(&crate::csv::line([
            r.id.to_string().as_str(),
            &r.at,
            &r.who,
            r.action.label(),
            &r.subject,
            &r.detail,
            &r.ip,
        ]));
    }
    let txn = begin_write(db).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::ActivityExported,
            Subject::Organisation(caller.organisation_id),
        )
        .by_caller(caller)
        .detail(serde_json::json!({
            "rows": rows.len(),
            "action": filter.action,
            "q": filter.text,
            "from": filter.from,
            "to": filter.to,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok((out, rows.len()))
}
