//! Case lists: one index range scan on `case_links`, newest first, with
//! keyset pagination.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use crate::auth::Role;
use crate::auth::policy::Actor;
use crate::cases::deadlines;
use crate::cases::filters::CaseFilter;
use crate::cases::queues::{Queue, QueueCounts};
use crate::cases::{CasePage, CaseRow, CaseStatus};
use crate::db::contains_pattern;
use crate::entities::{case, case_link, doctor, user};
use crate::error::AppError;
use crate::zone::Zone;

/// The links that select exactly the cases `actor` may see with `filter`,
/// or `None` when they may see none.
fn scoped(
    actor: &Actor,
    filter: &CaseFilter,
    now: DateTime<Utc>,
) -> Option<Select<case_link::Entity>> {
    let mut q = case_link::Entity::find();
    q = match actor.role {
        Role::Doctor => q.filter(case_link::Column::UserId.eq(actor.user_id)),
        Role::PracticeCaseManager => {
            let q = q
                .filter(case_link::Column::OrganisationId.eq(actor.organisation_id))
                .filter(case_link::Column::IsDoctor.eq(true));
            match filter.doctor {
                // Only a doctor of the same practice can be chosen; any
                // other id matches nothing because of the filters above.
                Some(d) => q.filter(case_link::Column::UserId.eq(d)),
                None => q,
            }
        }
        Role::Staff => q.filter(case_link::Column::UserId.eq(actor.user_id)),
        Role::Admin | Role::ExternalCaseManager => return None,
    };
    if let Some(side) = filter.side {
        q = q.filter(case_link::Column::Side.eq(side));
    }
    if let Some(status) = filter.status {
        q = q.filter(case_link::Column::Status.eq(status));
    }
    if let Some(owner) = filter.owner {
        q = q.filter(case_link::Column::OwnerUserId.eq(owner));
    }
    if let Some(queue) = filter.queue {
        q = q.filter(case_link::Column::Status.is_in(queue.statuses()));
        if let Some(side) = queue.side() {
            q = q.filter(case_link::Column::Side.eq(side));
        }
        q = match queue {
            Queue::Unassigned => q.filter(case_link::Column::OwnerUserId.is_null()),
            Queue::Mine => q.filter(case_link::Column::OwnerUserId.eq(actor.user_id)),
            Queue::Overdue => q.filter(case_link::Column::RespondBy.lt(now)),
            Queue::WaitingOnUs | Queue::WaitingOnThem => q,
        };
    }
    // Days of the viewer's organisation's calendar.
    let (from, to) = actor.zone.days(filter.from, filter.to);
    if let Some(from) = from {
        q = q.filter(case_link::Column::UpdatedAt.gte(from));
    }
    if let Some(end) = to {
        q = q.filter(case_link::Column::UpdatedAt.lt(end));
    }
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(
            Expr::col((case_link::Entity, case_link::Column::SearchText))
                .like(contains_pattern(text)),
        );
    }
    Some(q)
}

/// `updated_at` in microseconds and the case id: the position after which
/// the next page starts.
fn encode_cursor(at: DateTime<Utc>, id: i32) -> String {
    format!("{}.{id}", at.timestamp_micros())
}

fn decode_cursor(s: &str) -> Result<(DateTime<Utc>, i32), AppError> {
    let bad = || AppError::invalid("after", "This page link is not valid any more.");
    let (micros, id) = s.split_once('.').ok_or_else(bad)?;
    let at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((at, id.parse().map_err(|_| bad())?))
}

/// One page of the cases `actor` may see, and how many there are in all.
#[tracing::instrument(skip_all, fields(user_id = actor.user_id))]
pub async fn list_page(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &CaseFilter,
    after: Option<&str>,
    limit: u64,
) -> Result<CasePage, AppError> {
    // One instant for the list, its counts and its deadlines, so the
    // Overdue queue's rows and total agree.
    let now = Utc::now();
    let Some(base) = scoped(actor, filter, now) else {
        return Ok(CasePage::default());
    };
    let mut page = base.clone();
    if let Some(cursor) = after {
        let (at, id) = decode_cursor(cursor)?;
        page = page.filter(
            Condition::any()
                .add(case_link::Column::UpdatedAt.lt(at))
                .add(
                    Condition::all()
                        .add(case_link::Column::UpdatedAt.eq(at))
                        .add(case_link::Column::CaseId.lt(id)),
                ),
        );
    }
    // Several links of one case (two doctors of a practice on it) sit next
    // to each other in this order; fetch extra and keep the first of each.
    let fetch = limit * 3 + 1;
    let links: Vec<(i32, DateTime<Utc>)> = page
        .select_only()
        .column(case_link::Column::CaseId)
        .column(case_link::Column::UpdatedAt)
        .order_by_desc(case_link::Column::UpdatedAt)
        .order_by_desc(case_link::Column::CaseId)
        .limit(fetch)
        .into_tuple()
        .all(db)
        .await?;
    let mut ids: Vec<(i32, DateTime<Utc>)> = Vec::new();
    for (id, at) in links.iter().copied() {
        if ids.last().map(|l| l.0) != Some(id) {
            ids.push((id, at));
        }
    }
    // When the fetch was cut short there may be more cases even if fewer
    // than `limit` distinct ones came back; the cursor then continues after
    // the last case shown (its other links share its position).
    let more = ids.len() as u64 > limit || links.len() as u64 == fetch;
    ids.truncate(limit as usize);
    let next = if more {
        ids.last().map(|(id, at)| encode_cursor(*at, *id))
    } else {
        None
    };

    let by_status = status_counts(db, actor, filter, now).await?;
    // Every case has one status, so the counts per status add up to the
    // total, and the list needs no count of its own.
    let total = by_status
        .iter()
        .filter(|(s, _)| filter.status.is_none_or(|f| f == *s))
        .map(|(_, n)| n)
        .sum();
    let rows = rows_for(db, actor.zone, now, ids.iter().map(|(id, _)| *id).collect()).await?;
    Ok(CasePage {
        rows,
        next,
        total,
        by_status,
    })
}

/// Cases per status under `filter` with any status: the status summary
/// above the list. A case's links all carry its status, so counting
/// distinct cases per status counts each case once.
async fn status_counts(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &CaseFilter,
    now: DateTime<Utc>,
) -> Result<Vec<(CaseStatus, u64)>, AppError> {
    let any_status = CaseFilter {
        status: None,
        ..filter.clone()
    };
    let Some(q) = scoped(actor, &any_status, now) else {
        return Ok(Vec::new());
    };
    let counts: Vec<(CaseStatus, i64)> = q
        .select_only()
        .column(case_link::Column::Status)
        .expr(Func::count_distinct(Expr::col((
            case_link::Entity,
            case_link::Column::CaseId,
        ))))
        .group_by(case_link::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(CaseStatus::ALL
        .into_iter()
        .filter_map(|s| {
            let n = counts.iter().find(|(c, _)| *c == s)?.1;
            Some((s, u64::try_from(n).ok()?))
        })
        .collect())
}

/// How many cases each work queue holds for `actor`, narrowed to one
/// doctor as the list's doctor filter would: each count is the total of
/// the list that its queue link opens.
pub async fn queue_counts(
    db: &DatabaseConnection,
    actor: &Actor,
    doctor: Option<i32>,
) -> Result<QueueCounts, AppError> {
    let now = Utc::now();
    let mut counts = Vec::new();
    for queue in Queue::ALL {
        let filter = CaseFilter {
            doctor,
            queue: Some(queue),
            ..Default::default()
        };
        let Some(q) = scoped(actor, &filter, now) else {
            return Ok(QueueCounts::default());
        };
        let n: Option<i64> = q
            .select_only()
            .expr(Func::count_distinct(Expr::col((
                case_link::Entity,
                case_link::Column::CaseId,
            ))))
            .into_tuple()
            .one(db)
            .await?;
        counts.push((queue, n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)));
    }
    Ok(QueueCounts { counts })
}

/// Builds list rows for case ids, in the given order.
async fn rows_for(
    db: &DatabaseConnection,
    zone: Zone,
    now: DateTime<Utc>,
    ids: Vec<i32>,
) -> Result<Vec<CaseRow>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let cases: HashMap<i32, case::Model> = case::Entity::find()
        .filter(case::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let doctor_ids: Vec<i32> = cases
        .values()
        .flat_map(|c| [c.referred_by_doctor_id, c.referred_to_doctor_id])
        .collect();
    let names = doctor_names(db, doctor_ids).await?;
    let name = |id: i32| names.get(&id).cloned().unwrap_or_default();
    let owners = user_names(db, cases.values().filter_map(|c| c.owner_user_id).collect()).await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| cases.get(&id))
        .map(|c| CaseRow {
            id: c.id,
            version: c.version,
            patient_name: c.patient_name.clone(),
            reason: c.reason.clone(),
            status: c.status,
            urgency: c.urgency,
            referred_by: name(c.referred_by_doctor_id),
            referred_to: name(c.referred_to_doctor_id),
            owner: c.owner_user_id.and_then(|id| owners.get(&id).cloned()),
            updated_at: zone.show(c.updated_at),
            due: deadlines::due(c.respond_by, c.status, now, zone),
        })
        .collect())
}

/// Doctor id → display name.
pub async fn doctor_names(
    db: &impl sea_orm::ConnectionTrait,
    mut ids: Vec<i32>,
) -> Result<HashMap<i32, String>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(doctor::Entity::find()
        .filter(doctor::Column::Id.is_in(ids))
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(d, u)| u.map(|u| (d.id, u.display_name)))
        .collect())
}

/// User id → display name; no query when there are none to name.
async fn user_names(
    db: &DatabaseConnection,
    mut ids: Vec<i32>,
) -> Result<HashMap<i32, String>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// Most rows one export returns; the filter narrows anything bigger.
const EXPORT_LIMIT: usize = 50_000;

/// The filtered list as CSV: exactly the rows the list shows, all pages.
pub async fn export_csv(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &CaseFilter,
) -> Result<(String, usize), AppError> {
    let mut out =
        String::from("id,patient,reason,status,urgency,referred_by,referred_to,updated_at\n");
    let mut after: Option<String> = None;
    let mut count = 0;
    loop {
        let page = list_page(db, actor, filter, after.as_deref(), 500).await?;
        for r in &page.rows {
            let cells = [
                r.id.to_string(),
                r.patient_name.clone(),
                r.reason.clone(),
                r.status.label().to_string(),
                r.urgency.label().to_string(),
                r.referred_by.clone(),
                r.referred_to.clone(),
                r.updated_at.clone(),
            ];
            out.push_str(
                &cells
                    .iter()
                    .map(|c| crate::csv::field(c))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
            count += 1;
        }
        match page.next {
            Some(next) if count < EXPORT_LIMIT => after = Some(next),
            _ => break,
        }
    }
    Ok((out, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let at = DateTime::from_timestamp_micros(1_700_000_000_123_456).expect("time");
        assert_eq!(
            decode_cursor(&encode_cursor(at, 42)).expect("cursor"),
            (at, 42)
        );
        assert!(decode_cursor("nonsense").is_err());
        assert!(decode_cursor("1.x").is_err());
    }
}
