//! Automated reports. A schedule is due when its `next_run_at` has passed.
//! [`run_due`] claims one due schedule at a time inside a transaction —
//! on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several app instances
//! never take the same one; SQLite has a single writer anyway — makes the
//! reports, records the delivery and moves `next_run_at` past now before it
//! commits. A run missed while no instance was up is therefore made once,
//! when one comes back, not once per missed date. The unique (schedule,
//! due time) index on deliveries backs this up: a second delivery of the
//! same run cannot be stored.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::assignments::service::facts;
use crate::auth::admission::{Standing, standing};
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, administers_own, can};
use crate::care::service::names;
use crate::db::begin_write;
use crate::entities::{
    client, organisation, report_delivery, report_schedule, report_schedule_recipient, user,
};
use crate::error::AppError;
use crate::notifications::service::portal_event;
use crate::reports::content::{Period, build};
use crate::reports::service::{Provenance, SCHEDULED, content_agency, report_note, store};
use crate::reports::{Frequency, ReportKind, ScheduleRow, WEEKDAYS};
use crate::zone::Zone;

/// Schedules run at this hour of the agency's clock on their day.
const RUN_HOUR: u32 = 6;

/// `RUN_HOUR` on `d` in `zone`; should a clock change ever skip it, the
/// hour after.
fn at_run_hour(zone: Zone, d: NaiveDate) -> DateTime<Utc> {
    let hour = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
    zone.place(d, hour(RUN_HOUR))
        .or_else(|_| zone.place(d, hour(RUN_HOUR + 1)))
        .map_or_else(|_| zone.start_of(d), |p| p.at)
}

/// The first run of a schedule strictly after `after`, on the calendar of
/// `zone` (the agency's).
pub fn next_run(zone: Zone, frequency: Frequency, day: u32, after: DateTime<Utc>) -> DateTime<Utc> {
    let today = zone.date_of(after);
    let at_run_hour = |d| at_run_hour(zone, d);
    match frequency {
        Frequency::Weekly => (0..=7)
            .filter_map(|i| today.checked_add_days(Days::new(i)))
            .filter(|d| d.weekday().number_from_monday() == day)
            .map(at_run_hour)
            .find(|t| *t > after)
            .unwrap_or(after),
        Frequency::Monthly => (0..=2)
            .filter_map(|i| {
                let first = today.with_day(1)?.checked_add_months(Months::new(i))?;
                first.with_day(day)
            })
            .map(at_run_hour)
            .find(|t| *t > after)
            .unwrap_or(after),
    }
}

/// After the agency's zone changed: each active schedule's next run moves
/// to the run hour of the new clock. Returns how many moved.
pub async fn follow_zone(
    txn: &impl ConnectionTrait,
    organisation_id: i32,
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let schedules = report_schedule::Entity::find()
        .filter(report_schedule::Column::OrganisationId.eq(organisation_id))
        .filter(report_schedule::Column::Active.eq(true))
        .all(txn)
        .await?;
    let count = schedules.len();
    for s in schedules {
        let frequency = Frequency::from_key(&s.frequency).unwrap_or(Frequency::Monthly);
        let day = s.day as u32;
        let mut am = s.into_active_model();
        am.next_run_at = Set(next_run(zone, frequency, day, now));
        am.update(txn).await?;
    }
    Ok(count)
}

/// What a run on `run_on` covers: the week or calendar month just ended,
/// or for the Schedule Report the week or month ahead.
pub fn period_for(kind: ReportKind, frequency: Frequency, run_on: NaiveDate) -> Period {
    let ahead = kind == ReportKind::Schedule;
    let (from, to) = match (frequency, ahead) {
        (Frequency::Weekly, false) => (run_on - Days::new(7), run_on - Days::new(1)),
        (Frequency::Weekly, true) => (run_on, run_on + Days::new(6)),
        (Frequency::Monthly, false) => {
            let first = run_on.with_day(1).unwrap_or(run_on);
            let last = first - Days::new(1);
            (last.with_day(1).unwrap_or(last), last)
        }
        (Frequency::Monthly, true) => (run_on, run_on + Days::new(30)),
    };
    Period { from, to }
}

fn describe(frequency: &str, day: i32) -> String {
    match Frequency::from_key(frequency) {
        Some(Frequency::Weekly) => format!(
            "Weekly on {}",
            WEEKDAYS
                .get((day.clamp(1, 7) - 1) as usize)
                .copied()
                .unwrap_or("Monday")
        ),
        _ => format!("Monthly on day {day}"),
    }
}

pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<ScheduleRow>, AppError> {
    administers_own(actor)?;
    let schedules = report_schedule::Entity::find()
        .filter(report_schedule::Column::OrganisationId.eq(actor.organisation_id))
        .filter(report_schedule::Column::Active.eq(true))
        .order_by_asc(report_schedule::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = schedules.iter().map(|s| s.id).collect();
    let recipients = report_schedule_recipient::Entity::find()
        .filter(report_schedule_recipient::Column::ScheduleId.is_in(ids.clone()))
        .all(db)
        .await?;
    let people = names(db, recipients.iter().map(|r| r.case_manager_user_id)).await?;
    let clients: HashMap<i32, String> = client::Entity::find()
        .filter(client::Column::Id.is_in(schedules.iter().map(|s| s.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.full_name))
        .collect();
    let mut last: HashMap<i32, DateTime<Utc>> = HashMap::new();
    for d in report_delivery::Entity::find()
        .filter(report_delivery::Column::ScheduleId.is_in(ids))
        .all(db)
        .await?
    {
        let e = last.entry(d.schedule_id).or_insert(d.delivered_at);
        *e = (*e).max(d.delivered_at);
    }
    Ok(schedules
        .into_iter()
        .map(|s| ScheduleRow {
            id: s.id,
            client_id: s.client_id,
            client_name: clients.get(&s.client_id).cloned().unwrap_or_default(),
            kind: ReportKind::from_key(&s.kind).unwrap_or(ReportKind::MonthlySummary),
            when: describe(&s.frequency, s.day),
            recipients: recipients
                .iter()
                .filter(|r| r.schedule_id == s.id)
                .filter_map(|r| people.get(&r.case_manager_user_id).cloned())
                .collect(),
            next_run_at: actor.zone.show(s.next_run_at),
            last_delivered_at: last.get(&s.id).map(|t| actor.zone.show(*t)),
        })
        .collect())
}

/// The agency's active clients with their case managers, for the form.
pub async fn clients(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Vec<crate::reports::ScheduleClient>, AppError> {
    administers_own(actor)?;
    let clients = client::Entity::find()
        .filter(client::Column::OrganisationId.eq(actor.organisation_id))
        .filter(client::Column::ArchivedAt.is_null())
        .order_by_asc(client::Column::FullName)
        .all(db)
        .await?;
    let assignments = crate::entities::client_assignment::Entity::find()
        .filter(
            crate::entities::client_assignment::Column::ClientId
                .is_in(clients.iter().map(|c| c.id)),
        )
        .all(db)
        .await?;
    let people = names(db, assignments.iter().map(|a| a.case_manager_user_id)).await?;
    Ok(clients
        .into_iter()
        .map(|c| crate::reports::ScheduleClient {
            id: c.id,
            name: c.full_name,
            case_managers: assignments
                .iter()
                .filter(|a| a.client_id == c.id)
                .filter_map(|a| {
                    people
                        .get(&a.case_manager_user_id)
                        .map(|n| (a.case_manager_user_id, n.clone()))
                })
                .collect(),
        })
        .collect())
}

/// A new schedule, as the settings form sends it.
pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    kind: ReportKind,
    frequency: Frequency,
    day: i32,
    recipients: &[i32],
) -> Result<i32, AppError> {
    administers_own(caller)?;
    let valid_day = match frequency {
        Frequency::Weekly => (1..=7).contains(&day),
        Frequency::Monthly => (1..=28).contains(&day),
    };
    if !valid_day {
        return Err(AppError::invalid(
            "day",
            "Choose a weekday, or a day of the month from 1 to 28.",
        ));
    }
    if recipients.is_empty() {
        return Err(AppError::invalid(
            "recipients",
            "Choose at least one case manager.",
        ));
    }
    let txn = begin_write(db).await?;
    let c = client::Entity::find_by_id(client_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = facts(&txn, &c).await?;
    can(caller, Action::Modify, &Resource::Client(&f))?;
    if !f.visible.allows(kind.needs()) {
        return Err(AppError::invalid(
            "kind",
            format!(
                "Case managers are not shown {}; turn it on first.",
                kind.needs().label()
            ),
        ));
    }
    let mut ids = recipients.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.iter().any(|id| !f.assigned_case_managers.contains(id)) {
        return Err(AppError::invalid(
            "recipients",
            "Every recipient must be one of this client's case managers.",
        ));
    }
    let now = Utc::now();
    let s = report_schedule::ActiveModel {
        organisation_id: Set(c.organisation_id),
        client_id: Set(c.id),
        kind: Set(kind.key().to_string()),
        frequency: Set(frequency.key().to_string()),
        day: Set(day),
        next_run_at: Set(next_run(caller.zone, frequency, day as u32, now)),
        active: Set(true),
        created_by: Set(caller.user_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for id in &ids {
        report_schedule_recipient::ActiveModel {
            schedule_id: Set(s.id),
            case_manager_user_id: Set(*id),
        }
        .insert(&txn)
        .await?;
    }
    record(
        &txn,
        Entry::new(
            ActivityAction::ReportScheduleAdded,
            Subject::ReportSchedule(s.id),
        )
        .by_caller(caller)
        .detail(json!({
            "client": c.id,
            "client_name": c.full_name,
            "report": kind.key(),
            "when": describe(frequency.key(), day),
            "recipients": ids,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(s.id)
}

pub async fn stop(
    db: &DatabaseConnection,
    caller: &Caller,
    schedule_id: i32,
) -> Result<(), AppError> {
    administers_own(caller)?;
    let txn = begin_write(db).await?;
    let s = report_schedule::Entity::find_by_id(schedule_id)
        .one(&txn)
        .await?
        .filter(|s| s.organisation_id == caller.organisation_id && s.active)
        .ok_or(AppError::NotFound)?;
    let detail = json!({ "client": s.client_id, "report": s.kind });
    let mut am = s.into_active_model();
    am.active = Set(false);
    am.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::ReportScheduleStopped,
            Subject::ReportSchedule(schedule_id),
        )
        .by_caller(caller)
        .detail(detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sends every schedule due at `now`, each once; returns how many runs this
/// instance made. Safe to call from any number of instances at once.
pub async fn run_due(
    db: &DatabaseConnection,
    public_url: &str,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut runs = 0;
    // Bounded, so one pass cannot spin forever on a schedule that keeps
    // failing; the next pass tries again.
    for _ in 0..1000 {
        let txn = begin_write(db).await?;
        let mut due = report_schedule::Entity::find()
            .filter(report_schedule::Column::Active.eq(true))
            .filter(report_schedule::Column::NextRunAt.lte(now))
            .order_by_asc(report_schedule::Column::NextRunAt)
            .limit(1);
        if db.get_database_backend() == DbBackend::Postgres {
            due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let Some(s) = due.one(&txn).await? else {
            txn.commit().await?;
            break;
        };
        // The notices are written with the run: one commit makes both.
        deliver(&txn, &s, instance, public_url, now).await?;
        txn.commit().await?;
        crate::counters::scheduled_report_ran();
        runs += 1;
    }
    Ok(runs)
}

/// One run of one schedule, inside the caller's transaction.
async fn deliver(
    txn: &impl ConnectionTrait,
    s: &report_schedule::Model,
    instance: &str,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let frequency = Frequency::from_key(&s.frequency).unwrap_or(Frequency::Monthly);
    let kind = ReportKind::from_key(&s.kind).unwrap_or(ReportKind::MonthlySummary);
    let c = client::Entity::find_by_id(s.client_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = facts(txn, &c).await?;
    let org = organisation::Entity::find_by_id(c.organisation_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let agency = content_agency(txn, &org).await?;
    let zone = org.zone();
    let period = period_for(kind, frequency, zone.date_of(now));
    let recipients = report_schedule_recipient::Entity::find()
        .filter(report_schedule_recipient::Column::ScheduleId.eq(s.id))
        .all(txn)
        .await?;
    let mut sent = 0;
    let mut skipped = Vec::new();
    for r in recipients {
        let id = r.case_manager_user_id;
        // Each copy is made as if that case manager asked for it: someone
        // since unassigned, suspended or shown less gets nothing.
        let as_them = Actor::agency_case_manager(
            id,
            &org,
            standing(txn, id, c.organisation_id).await? == Standing::Open,
        );
        let to = user::Entity::find_by_id(id).one(txn).await?;
        let allowed = can(
            &as_them,
            Action::View,
            &Resource::ClientData(&f, kind.needs()),
        );
        let (Some(to), Ok(_)) = (to, allowed) else {
            skipped.push(id);
            continue;
        };
        let content = build(
            txn,
            &c,
            kind,
            period,
            f.visible,
            Some(to.display_name.clone()),
        )
        .await?;
        let stored = store(
            txn,
            &c,
            &content,
            period,
            Provenance {
                generated_by: None,
                case_manager: Some(id),
                delivery: SCHEDULED,
                schedule_id: Some(s.id),
            },
        )
        .await?;
        let mut entry =
            Entry::new(ActivityAction::ReportSent, Subject::Report(stored.id)).detail(json!({
                "client": c.id,
                "client_name": c.full_name,
                "report": stored.kind,
                "from": period.from.to_string(),
                "to": period.to.to_string(),
                "for": id,
                "schedule": s.id,
            }));
        entry.organisation_id = Some(c.organisation_id);
        record(txn, entry).await?;
        let note = report_note(&to, &c, None, &agency, public_url, &org.slug);
        portal_event(txn, &to, note).await?;
        sent += 1;
    }
    report_delivery::ActiveModel {
        schedule_id: Set(s.id),
        due_at: Set(s.next_run_at),
        delivered_at: Set(now),
        instance: Set(instance.chars().take(80).collect()),
        reports: Set(sent),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if !skipped.is_empty() {
        tracing::info!(
            schedule = s.id,
            ?skipped,
            "recipients no longer eligible were skipped"
        );
    }
    let mut am = s.clone().into_active_model();
    am.next_run_at = Set(next_run(zone, frequency, s.day as u32, now));
    am.update(txn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_next_run_is_strictly_later_on_the_chosen_day() {
        // 2026-11-23 is a Monday.
        let monday_noon = t("2026-11-23T12:00:00Z");
        assert_eq!(
            next_run(Zone::UTC, Frequency::Weekly, 1, monday_noon),
            t("2026-11-30T06:00:00Z")
        );
        assert_eq!(
            next_run(Zone::UTC, Frequency::Weekly, 3, monday_noon),
            t("2026-11-25T06:00:00Z")
        );
        let monday_early = t("2026-11-23T05:00:00Z");
        assert_eq!(
            next_run(Zone::UTC, Frequency::Weekly, 1, monday_early),
            t("2026-11-23T06:00:00Z")
        );
        assert_eq!(
            next_run(Zone::UTC, Frequency::Monthly, 1, monday_noon),
            t("2026-12-01T06:00:00Z")
        );
        assert_eq!(
            next_run(Zone::UTC, Frequency::Monthly, 28, t("2026-12-28T06:00:00Z")),
            t("2027-01-28T06:00:00Z")
        );
    }

    #[test]
    fn a_run_keeps_its_local_hour_across_a_clock_change() {
        // Chicago leaves daylight saving on 1 November 2026: 06:00 local is
        // 11:00 UTC in October and 12:00 UTC in November.
        let chicago = Zone::parse("America/Chicago").expect("zone");
        let first = next_run(chicago, Frequency::Monthly, 1, t("2026-09-15T12:00:00Z"));
        assert_eq!(first, t("2026-10-01T11:00:00Z"));
        // The clocks went back at 02:00 that morning: 06:00 is CST.
        let second = next_run(chicago, Frequency::Monthly, 1, first);
        assert_eq!(second, t("2026-11-01T12:00:00Z"));
        // Spring: Monday 2 March 06:00 CST, then Monday 9 March 06:00 CDT.
        let monday = next_run(chicago, Frequency::Weekly, 1, t("2026-03-01T12:00:00Z"));
        assert_eq!(monday, t("2026-03-02T12:00:00Z"));
        assert_eq!(
            next_run(chicago, Frequency::Weekly, 1, monday),
            t("2026-03-09T11:00:00Z")
        );
        // The day is Chicago's: late Sunday evening there is Monday in UTC.
        assert_eq!(
            next_run(chicago, Frequency::Weekly, 1, t("2026-03-09T02:00:00Z")),
            t("2026-03-09T11:00:00Z")
        );
    }

    #[test]
    fn a_run_covers_the_period_just_ended_or_the_one_ahead() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let p = period_for(ReportKind::MonthlySummary, Frequency::Monthly, d);
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-11-01".into(), "2026-11-30".into())
        );
        let p = period_for(ReportKind::ServiceNotes, Frequency::Weekly, d);
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-11-24".into(), "2026-11-30".into())
        );
        let p = period_for(ReportKind::Schedule, Frequency::Weekly, d);
        assert_eq!(
            (p.from.to_string(), p.to.to_string()),
            ("2026-12-01".into(), "2026-12-07".into())
        );
    }
}
