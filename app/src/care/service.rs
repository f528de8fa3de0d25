use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::clients::service::authorised_client;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor};
use crate::care::MonthHours;
use crate::care::hours::{Booked, months_ending, summarise};
use crate::care::{
    AppointmentInput, AppointmentRow, AppointmentSaved, AppointmentStatus, AssessmentInput,
    AssessmentRow, MAX_TEXT, NoteInput, NoteRow,
};
use crate::db::{begin_write, contains_pattern};
use crate::entities::{appointment, assessment, client, service_note, user};
use crate::error::AppError;
use crate::zone::{Zone, repeated_notice, show_date};

/// Which appointments a schedule shows.
#[derive(Clone, Debug, Default)]
pub struct ScheduleFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub status: Option<AppointmentStatus>,
}

impl ScheduleFilter {
    /// Reads the filter a form or URL sends: dates as `YYYY-MM-DD`, the
    /// status by key; empty means "any".
    pub fn parse(from: &str, to: &str, status: &str) -> Result<Self, AppError> {
        let date = |field: &str, s: &str| -> Result<Option<NaiveDate>, AppError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid(field, "Enter a date as YYYY-MM-DD."))
        };
        let status = match status.trim() {
            "" => None,
            key => Some(
                AppointmentStatus::from_key(key)
                    .ok_or_else(|| AppError::invalid("status", "Choose a status from the list."))?,
            ),
        };
        let filter = ScheduleFilter {
            from: date("from", from)?,
            to: date("to", to)?,
            status,
        };
        if let (Some(f), Some(t)) = (filter.from, filter.to)
            && f > t
        {
            return Err(AppError::invalid(
                "to",
                "The end date is before the start date.",
            ));
        }
        Ok(filter)
    }
}

/// How the activity log records an appointment's time: the local time
/// with its offset, which stays exact if the agency's zone changes later.
fn stamp(zone: Zone, t: DateTime<Utc>) -> String {
    zone.stamp(t)
}

fn appointment_row(
    a: appointment::Model,
    zone: Zone,
    staff: &HashMap<i32, String>,
    with_staff: bool,
) -> AppointmentRow {
    let (start, end) = (zone.local(a.starts_at), zone.local(a.ends_at));
    AppointmentRow {
        id: a.id,
        starts: zone.show(a.starts_at),
        ends: format!(
            "{} {}",
            zone.show_time(a.ends_at),
            zone.abbreviation(a.ends_at)
        ),
        date: start.date().format("%Y-%m-%d").to_string(),
        start: start.time().format("%H:%M").to_string(),
        end: end.time().format("%H:%M").to_string(),
        service_type: a.service_type,
        status: a.status,
        minutes: a.minutes,
        staff: a.staff_user_id.and_then(|id| staff.get(&id).cloned()),
        staff_user_id: a.staff_user_id.filter(|_| with_staff),
    }
}

pub(crate) async fn names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, sea_orm::DbErr> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// A client's appointments, newest first, on `zone`'s clock and calendar
/// (the filter's dates are its days). Staff names only when `with_staff`:
/// the caller has already asked the policy.
pub async fn appointments(
    conn: &impl ConnectionTrait,
    client_id: i32,
    zone: Zone,
    filter: &ScheduleFilter,
    with_staff: bool,
) -> Result<Vec<AppointmentRow>, AppError> {
    let mut find = appointment::Entity::find()
        .filter(appointment::Column::ClientId.eq(client_id))
        .order_by_desc(appointment::Column::StartsAt)
        .limit(500);
    let (from, to) = zone.days(filter.from, filter.to);
    if let Some(from) = from {
        find = find.filter(appointment::Column::StartsAt.gte(from));
    }
    if let Some(to) = to {
        find = find.filter(appointment::Column::StartsAt.lt(to));
    }
    if let Some(status) = filter.status {
        find = find.filter(appointment::Column::Status.eq(status));
    }
    let rows = find.all(conn).await?;
    let staff = if with_staff {
        names(conn, rows.iter().filter_map(|a| a.staff_user_id)).await?
    } else {
        HashMap::new()
    };
    Ok(rows
        .into_iter()
        .map(|a| appointment_row(a, zone, &staff, with_staff))
        .collect())
}

/// The next appointment still to come, if any.
pub async fn next_appointment(
    conn: &impl ConnectionTrait,
    client_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sea_orm::DbErr> {
    Ok(appointment::Entity::find()
        .filter(appointment::Column::ClientId.eq(client_id))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Scheduled))
        .filter(appointment::Column::StartsAt.gte(now))
        .order_by_asc(appointment::Column::StartsAt)
        .one(conn)
        .await?
        .map(|a| a.starts_at))
}

/// Service notes, newest first, optionally only those containing `query`.
/// `internal` notes are only read when `with_internal` (agency staff).
pub async fn notes(
    conn: &impl ConnectionTrait,
    client_id: i32,
    zone: Zone,
    query: &str,
    with_internal: bool,
) -> Result<Vec<NoteRow>, AppError> {
    let query = query.trim();
    if query.chars().count() > 200 {
        return Err(AppError::invalid(
            "query",
            "Search for at most 200 characters.",
        ));
    }
    let mut find = service_note::Entity::find()
        .filter(service_note::Column::ClientId.eq(client_id))
        .order_by_desc(service_note::Column::WrittenAt)
        .order_by_desc(service_note::Column::Id)
        .limit(500);
    if !query.is_empty() {
        find = find.filter(crate::db::lower_like(
            (service_note::Entity, service_note::Column::GeneralContent),
            contains_pattern(query),
        ));
    }
    let rows = find.all(conn).await?;
    let authors = names(conn, rows.iter().map(|n| n.author_user_id)).await?;
    Ok(rows
        .into_iter()
        // A note with nothing general to say is internal through and
        // through: case managers do not get an empty row for it.
        .filter(|n| with_internal || !n.general_content.trim().is_empty())
        .map(|n| NoteRow {
            id: n.id,
            written_at: zone.show(n.written_at),
            author: authors.get(&n.author_user_id).cloned(),
            content: n.general_content,
            internal: with_internal.then_some(n.internal_content),
        })
        .collect())
}

pub async fn assessments(
    conn: &impl ConnectionTrait,
    client_id: i32,
) -> Result<Vec<AssessmentRow>, AppError> {
    Ok(assessment::Entity::find()
        .filter(assessment::Column::ClientId.eq(client_id))
        .order_by_desc(assessment::Column::AssessedOn)
        .all(conn)
        .await?
        .into_iter()
        .map(|a| AssessmentRow {
            id: a.id,
            assessed_on: show_date(a.assessed_on),
            title: a.title,
            summary: a.summary,
            next_due: a.next_due.map(show_date),
        })
        .collect())
}

/// The client's hours for the `count` months up to and including `now`'s,
/// months as the calendar of `zone` (the agency's) cuts them.
pub async fn month_hours(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    zone: Zone,
    now: DateTime<Utc>,
    count: u32,
) -> Result<Vec<MonthHours>, AppError> {
    let (year, month) = zone.month_of(now);
    let months = months_ending(year, month, count);
    let (y, m) = months[0];
    let first = zone.start_of(NaiveDate::from_ymd_opt(y, m, 1).ok_or(AppError::Internal)?);
    let booked: Vec<Booked> = appointment::Entity::find()
        .filter(appointment::Column::ClientId.eq(c.id))
        .filter(appointment::Column::StartsAt.gte(first))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| Booked {
            month: zone.month_of(a.starts_at),
            status: a.status,
            minutes: a.minutes,
        })
        .collect();
    Ok(summarise(&months, c.authorised_hours_per_month, &booked))
}

/// The next scheduled appointment of each of many clients, in one query
/// (the portal's client list). Clients with none are left out.
pub async fn next_appointments(
    conn: &impl ConnectionTrait,
    client_ids: &[i32],
    now: DateTime<Utc>,
) -> Result<HashMap<i32, DateTime<Utc>>, sea_orm::DbErr> {
    if client_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut next: HashMap<i32, DateTime<Utc>> = HashMap::new();
    // Each client's earliest upcoming appointment; reading the times rather
    // than `MIN()` keeps their type on both databases.
    let upcoming: Vec<(i32, DateTime<Utc>)> = appointment::Entity::find()
        .select_only()
        .column(appointment::Column::ClientId)
        .column(appointment::Column::StartsAt)
        .filter(appointment::Column::ClientId.is_in(client_ids.iter().copied()))
        .filter(appointment::Column::Status.eq(AppointmentStatus::Scheduled))
        .filter(appointment::Column::StartsAt.gte(now))
        .into_tuple()
        .all(conn)
        .await?;
    for (client_id, at) in upcoming {
        next.entry(client_id)
            .and_modify(|t| *t = (*t).min(at))
            .or_insert(at);
    }
    Ok(next)
}

/// This month's hours of each of many clients, in one query (the portal's
/// client list): the same figures [`month_hours`] gives one client.
pub async fn this_month_hours(
    conn: &impl ConnectionTrait,
    clients: &[&client::Model],
    zone: Zone,
    now: DateTime<Utc>,
) -> Result<HashMap<i32, MonthHours>, AppError> {
    if clients.is_empty() {
        return Ok(HashMap::new());
    }
    let (year, month) = zone.month_of(now);
    let first = zone.start_of(NaiveDate::from_ymd_opt(year, month, 1).ok_or(AppError::Internal)?);
    let mut booked: HashMap<i32, Vec<Booked>> = HashMap::new();
    let rows: Vec<(i32, DateTime<Utc>, AppointmentStatus, i32)> = appointment::Entity::find()
        .select_only()
        .column(appointment::Column::ClientId)
        .column(appointment::Column::StartsAt)
        .column(appointment::Column::Status)
        .column(appointment::Column::Minutes)
        .filter(appointment::Column::ClientId.is_in(clients.iter().map(|c| c.id)))
        .filter(appointment::Column::StartsAt.gte(first))
        .into_tuple()
        .all(conn)
        .await?;
    for (client_id, starts_at, status, minutes) in rows {
        booked.entry(client_id).or_default().push(Booked {
            month: zone.month_of(starts_at),
            status,
            minutes,
        });
    }
    let months = [(year, month)];
    Ok(clients
        .iter()
        .filter_map(|c| {
            let b = booked.get(&c.id).map(Vec::as_slice).unwrap_or_default();
            let hours = summarise(&months, c.authorised_hours_per_month, b).pop()?;
            Some((c.id, hours))
        })
        .collect())
}

/// Everything the staff app shows of a client's care record.
pub async fn staff_record(
    db: &DatabaseConnection,
    actor: &Actor,
    client_id: i32,
) -> Result<crate::care::CareRecordView, AppError> {
    let c = staff_client(db, actor, client_id).await?;
    let zone = actor.zone;
    let now = Utc::now();
    Ok(crate::care::CareRecordView {
        appointments: appointments(db, c.id, zone, &ScheduleFilter::default(), true).await?,
        notes: notes(db, c.id, zone, "", true).await?,
        assessments: assessments(db, c.id).await?,
        hours: month_hours(db, &c, zone, now, 6).await?,
        zone: zone.statement(now),
    })
}

/// Agency staff keep the record; the portal never writes it.
pub(crate) async fn staff_client(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    client_id: i32,
) -> Result<client::Model, AppError> {
    authorised_client(conn, actor, client_id, Action::Modify).await
}

pub(crate) fn required(
    field: &str,
    value: &str,
    max: usize,
    what: &str,
) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(field, format!("Enter {what}.")));
    }
    if v.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("Keep {what} under {max} characters."),
        ));
    }
    Ok(v.to_string())
}

pub(crate) fn parse_date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "Enter a date as YYYY-MM-DD."))
}

fn parse_time(field: &str, s: &str) -> Result<NaiveTime, AppError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M")
        .map_err(|_| AppError::invalid(field, "Enter a time as HH:MM."))
}

/// An appointment form, checked: when, how long, what, by whom.
struct Slot {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    minutes: i32,
    service_type: String,
    /// Said back when the clocks went back over a time entered.
    notice: Option<String>,
}

/// Reads the form's local date and times on the agency's clock (`zone`).
fn slot(input: &AppointmentInput, zone: Zone) -> Result<Slot, AppError> {
    let date = parse_date("date", &input.date)?;
    let start = parse_time("start", &input.start)?;
    let end = parse_time("end", &input.end)?;
    if end <= start {
        return Err(AppError::invalid("end", "The end is not after the start."));
    }
    let service_type = required("service_type", &input.service_type, 80, "the service")?;
    let place = |field: &str, time: NaiveTime| {
        zone.place(date, time)
            .map_err(|skipped| AppError::invalid(field, skipped.to_string()))
    };
    let (starts, ends) = (place("start", start)?, place("end", end)?);
    if ends.at <= starts.at {
        return Err(AppError::invalid(
            "end",
            "The end is not after the start once the clocks go back; enter the end an hour later.",
        ));
    }
    let notice = repeated_notice(zone, starts).or_else(|| repeated_notice(zone, ends));
    Ok(Slot {
        starts_at: starts.at,
        ends_at: ends.at,
        // Real elapsed time: a visit across a clock change is an hour
        // longer or shorter than its clock times say.
        minutes: i32::try_from((ends.at - starts.at).num_minutes()).unwrap_or(0),
        service_type,
        notice,
    })
}

async fn check_staff(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    staff: Option<i32>,
) -> Result<(), AppError> {
    if let Some(staff) = staff {
        let ok = user::Entity::find_by_id(staff)
            .one(conn)
            .await?
            .is_some_and(|u| u.organisation_id == c.organisation_id && u.active);
        if !ok {
            return Err(AppError::invalid(
                "staff_user_id",
                "Choose a staff member of the agency.",
            ));
        }
    }
    Ok(())
}

pub async fn add_appointment(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    input: AppointmentInput,
) -> Result<AppointmentSaved, AppError> {
    let Slot {
        starts_at,
        ends_at,
        minutes,
        service_type,
        notice,
    } = slot(&input, caller.zone)?;
    let txn = begin_write(db).await?;
    let c = staff_client(&txn, caller, client_id).await?;
    check_staff(&txn, &c, input.staff_user_id).await?;
    let now = Utc::now();
    let saved = appointment::ActiveModel {
        organisation_id: Set(c.organisation_id),
        client_id: Set(c.id),
        staff_user_id: Set(input.staff_user_id),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        service_type: Set(service_type.clone()),
        status: Set(AppointmentStatus::Scheduled),
        minutes: Set(minutes),
        created_by: Set(caller.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::AppointmentAdded,
            Subject::Appointment(saved.id),
        )
        .by_caller(caller)
        .detail(json!({ "client": c.id, "starts_at": stamp(caller.zone, starts_at), "service": service_type })),
    )
    .await?;
    txn.commit().await?;
    Ok(AppointmentSaved {
        id: saved.id,
        notice,
    })
}

/// Reschedules or corrects an appointment; the log keeps both versions.
pub async fn update_appointment(
    db: &DatabaseConnection,
    caller: &Caller,
    appointment_id: i32,
    input: AppointmentInput,
) -> Result<AppointmentSaved, AppError> {
    let new = slot(&input, caller.zone)?;
    let txn = begin_write(db).await?;
    let a = appointment::Entity::find_by_id(appointment_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = staff_client(&txn, caller, a.client_id).await?;
    check_staff(&txn, &c, input.staff_user_id).await?;
    let before = json!({ "starts_at": stamp(caller.zone, a.starts_at), "ends_at": stamp(caller.zone, a.ends_at),
        "service": a.service_type, "staff": a.staff_user_id });
    let after = json!({ "starts_at": stamp(caller.zone, new.starts_at), "ends_at": stamp(caller.zone, new.ends_at),
        "service": new.service_type, "staff": input.staff_user_id });
    let mut am: appointment::ActiveModel = a.into();
    am.starts_at = Set(new.starts_at);
    am.ends_at = Set(new.ends_at);
    am.minutes = Set(new.minutes);
    am.service_type = Set(new.service_type);
    am.staff_user_id = Set(input.staff_user_id);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::AppointmentUpdated,
            Subject::Appointment(appointment_id),
        )
        .by_caller(caller)
        .detail(json!({ "client": c.id, "before": before, "after": after })),
    )
    .await?;
    txn.commit().await?;
    Ok(AppointmentSaved {
        id: appointment_id,
        notice: new.notice,
    })
}

pub async fn set_appointment_status(
    db: &DatabaseConnection,
    caller: &Caller,
    appointment_id: i32,
    status: AppointmentStatus,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let a = appointment::Entity::find_by_id(appointment_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = staff_client(&txn, caller, a.client_id).await?;
    let before = a.status;
    if before == status {
        return Ok(());
    }
    let mut am: appointment::ActiveModel = a.into();
    am.status = Set(status);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::AppointmentStatusChanged,
            Subject::Appointment(appointment_id),
        )
        .by_caller(caller)
        .detail(json!({ "client": c.id, "before": before.key(), "after": status.key() })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn add_note(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    input: NoteInput,
) -> Result<i32, AppError> {
    let content = input.content.trim().to_string();
    let internal = input.internal.trim().to_string();
    if content.is_empty() && internal.is_empty() {
        return Err(AppError::invalid("content", "Write the note."));
    }
    for (field, text) in [("content", &content), ("internal", &internal)] {
        if text.chars().count() > MAX_TEXT {
            return Err(AppError::invalid(
                field,
                format!("Keep the note under {MAX_TEXT} characters."),
            ));
        }
    }
    let txn = begin_write(db).await?;
    let c = staff_client(&txn, caller, client_id).await?;
    let saved = service_note::ActiveModel {
        organisation_id: Set(c.organisation_id),
        client_id: Set(c.id),
        appointment_id: Set(None),
        author_user_id: Set(caller.user_id),
        written_at: Set(Utc::now()),
        general_content: Set(content),
        internal_content: Set(internal),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The log says a note was written, not what it says: the log is read
    // more widely than the record.
    record(
        &txn,
        Entry::new(ActivityAction::NoteAdded, Subject::ServiceNote(saved.id))
            .by_caller(caller)
            .detail(json!({ "client": c.id })),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

pub async fn add_assessment(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    input: AssessmentInput,
) -> Result<i32, AppError> {
    let assessed_on = parse_date("assessed_on", &input.assessed_on)?;
    let next_due = match input.next_due.trim() {
        "" => None,
        s => Some(parse_date("next_due", s)?),
    };
    if next_due.is_some_and(|d| d <= assessed_on) {
        return Err(AppError::invalid(
            "next_due",
            "The next assessment is due after this one.",
        ));
    }
    let title = required("title", &input.title, 200, "a title")?;
    let summary = required("summary", &input.summary, MAX_TEXT, "a summary")?;
    let txn = begin_write(db).await?;
    let c = staff_client(&txn, caller, client_id).await?;
    let saved = assessment::ActiveModel {
        organisation_id: Set(c.organisation_id),
        client_id: Set(c.id),
        assessed_on: Set(assessed_on),
        title: Set(title.clone()),
        summary: Set(summary),
        next_due: Set(next_due),
        author_user_id: Set(caller.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::AssessmentAdded,
            Subject::Assessment(saved.id),
        )
        .by_caller(caller)
        .detail(json!({ "client": c.id, "title": title })),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}
