//! Reads a client's records into a [`ReportContent`]. The caller has asked
//! the policy; `visible` is what the report's reader may see (everything
//! for staff, the agency's settings for a case manager). Internal note text
//! is never read here, whoever the reader.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

use crate::agency::{DataKind, Visibility};
use crate::care::AppointmentStatus;
use crate::care::hours::{Booked, hours, summarise};
use crate::care::service::names;
use crate::entities::{
    appointment, client, goal, goal_progress, organisation, portal_setting, service_note,
};
use crate::error::AppError;
use crate::reports::{ReportContent, ReportKind, Section};
use crate::zone::Zone;

/// The inclusive date range a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads a range as forms send it, refusing reversed or overlong ones.
    pub fn parse(from: &str, to: &str) -> Result<Period, AppError> {
        let date = |field: &str, s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| AppError::invalid(field, "Enter a date as YYYY-MM-DD."))
        };
        Period::new(date("from", from)?, date("to", to)?)
    }

    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, AppError> {
        if to < from {
            return Err(AppError::invalid(
                "to",
                "The end date is before the start date.",
            ));
        }
        if (to - from).num_days() >= crate::reports::MAX_DAYS {
            return Err(AppError::invalid(
                "to",
                "A report covers at most a year. Choose a shorter range.",
            ));
        }
        Ok(Period { from, to })
    }

    /// The instants the range's days span on `zone`'s calendar:
    /// `[start, end)`.
    fn instants(self, zone: Zone) -> (DateTime<Utc>, DateTime<Utc>) {
        let (start, end) = zone.days(Some(self.from), Some(self.to));
        let start = start.unwrap_or_else(|| zone.start_of(self.from));
        (start, end.unwrap_or(start))
    }

    /// `(year, month)` of every month the range touches, oldest first.
    fn months(self) -> Vec<(i32, u32)> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.from.year(), self.from.month());
        while (y, m) <= (self.to.year(), self.to.month()) {
            out.push((y, m));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }
}

/// Makes the report. `prepared_for` names the case manager it is for.
pub async fn build(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    kind: ReportKind,
    period: Period,
    visible: Visibility,
    prepared_for: Option<String>,
) -> Result<ReportContent, AppError> {
    if !visible.allows(kind.needs()) {
        return Err(AppError::NotFound);
    }
    let staff_names = visible.allows(DataKind::StaffInfo);
    // The agency's calendar and clock: where the client's visits happen,
    // whoever reads the report.
    let org = organisation::Entity::find_by_id(c.organisation_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = org.zone();
    let sections = match kind {
        ReportKind::MonthlySummary => monthly_summary(conn, c, zone, period).await?,
        ReportKind::ServiceNotes => service_notes(conn, c, zone, period, staff_names).await?,
        ReportKind::Progress => progress(conn, c, period).await?,
        ReportKind::Schedule => schedule(conn, c, zone, period, staff_names).await?,
    };
    let brand = portal_setting::Entity::find_by_id(c.organisation_id)
        .one(conn)
        .await?;
    let (agency, brand_colour) = match brand {
        Some(b) if !b.brand_name.trim().is_empty() => (b.brand_name, b.brand_colour),
        Some(b) => (org.name, b.brand_colour),
        None => (org.name, "#1f4e79".to_string()),
    };
    let now = Utc::now();
    Ok(ReportContent {
        kind,
        agency,
        brand_colour,
        client_name: c.full_name.clone(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        generated_at: zone.show(now),
        zone: zone.statement(now),
        prepared_for,
        sections,
    })
}

async fn appointments_in(
    conn: &impl ConnectionTrait,
    client_id: i32,
    zone: Zone,
    period: Period,
) -> Result<Vec<appointment::Model>, AppError> {
    let (start, end) = period.instants(zone);
    Ok(appointment::Entity::find()
        .filter(appointment::Column::ClientId.eq(client_id))
        .filter(appointment::Column::StartsAt.gte(start))
        .filter(appointment::Column::StartsAt.lt(end))
        .order_by_asc(appointment::Column::StartsAt)
        .all(conn)
        .await?)
}

async fn monthly_summary(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    zone: Zone,
    period: Period,
) -> Result<Vec<Section>, AppError> {
    let rows = appointments_in(conn, c.id, zone, period).await?;
    let booked: Vec<Booked> = rows
        .iter()
        .map(|a| Booked {
            month: zone.month_of(a.starts_at),
            status: a.status,
            minutes: a.minutes,
        })
        .collect();
    let hours_rows = summarise(&period.months(), c.authorised_hours_per_month, &booked)
        .into_iter()
        .map(|m| {
            vec![
                m.month,
                hours(m.authorised_minutes),
                hours(m.scheduled_minutes),
                hours(m.completed_minutes),
                hours(m.remaining_minutes),
            ]
        })
        .collect();
    let count = |s: AppointmentStatus| rows.iter().filter(|a| a.status == s).count().to_string();
    Ok(vec![
        Section {
            heading: "Hours used against the authorisation".into(),
            columns: strings(&["Month", "Authorised", "Scheduled", "Completed", "Remaining"]),
            rows: hours_rows,
            empty: String::new(),
        },
        Section {
            heading: "Appointments in the period".into(),
            columns: strings(&["Completed", "Cancelled", "No-show", "Still scheduled"]),
            rows: vec![vec![
                count(AppointmentStatus::Completed),
                count(AppointmentStatus::Cancelled),
                count(AppointmentStatus::NoShow),
                count(AppointmentStatus::Scheduled),
            ]],
            empty: String::new(),
        },
    ])
}

async fn service_notes(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    zone: Zone,
    period: Period,
    staff_names: bool,
) -> Result<Vec<Section>, AppError> {
    let (start, end) = period.instants(zone);
    let notes = service_note::Entity::find()
        .filter(service_note::Column::ClientId.eq(c.id))
        .filter(service_note::Column::WrittenAt.gte(start))
        .filter(service_note::Column::WrittenAt.lt(end))
        .order_by_asc(service_note::Column::WrittenAt)
        .all(conn)
        .await?;
    let authors = if staff_names {
        names(conn, notes.iter().map(|n| n.author_user_id)).await?
    } else {
        HashMap::new()
    };
    let mut columns = vec!["Written"];
    if staff_names {
        columns.push("By");
    }
    columns.push("Note");
    let rows = notes
        .into_iter()
        .map(|n| {
            let mut row = vec![zone.show(n.written_at)];
            if staff_names {
                row.push(authors.get(&n.author_user_id).cloned().unwrap_or_default());
            }
            // The shareable part only; the internal part never leaves.
            row.push(n.general_content);
            row
        })
        .collect();
    Ok(vec![Section {
        heading: "Service notes".into(),
        columns: strings(&columns),
        rows,
        empty: "No service notes were written in this period.".into(),
    }])
}

async fn progress(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    period: Period,
) -> Result<Vec<Section>, AppError> {
    let goals = goal::Entity::find()
        .filter(goal::Column::ClientId.eq(c.id))
        .order_by_asc(goal::Column::Id)
        .all(conn)
        .await?;
    let entries = goal_progress::Entity::find()
        .filter(goal_progress::Column::GoalId.is_in(goals.iter().map(|g| g.id)))
        .filter(goal_progress::Column::RecordedOn.lte(period.to))
        .order_by_asc(goal_progress::Column::RecordedOn)
        .order_by_asc(goal_progress::Column::Id)
        .all(conn)
        .await?;
    let title: HashMap<i32, &str> = goals.iter().map(|g| (g.id, g.title.as_str())).collect();
    // Where each goal stood at the end of the period.
    let mut latest: HashMap<i32, i32> = HashMap::new();
    for e in &entries {
        latest.insert(e.goal_id, e.percent);
    }
    let goal_rows = goals
        .iter()
        .map(|g| {
            vec![
                g.title.clone(),
                g.status.clone(),
                g.target_date.map(|d| d.to_string()).unwrap_or_default(),
                latest
                    .get(&g.id)
                    .map(|p| format!("{p}%"))
                    .unwrap_or_else(|| "Not yet measured".into()),
            ]
        })
        .collect();
    let update_rows = entries
        .iter()
        .filter(|e| e.recorded_on >= period.from)
        .map(|e| {
            vec![
                e.recorded_on.to_string(),
                title
                    .get(&e.goal_id)
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                format!("{}%", e.percent),
                e.note.clone(),
            ]
        })
        .collect();
    Ok(vec![
        Section {
            heading: "Goals".into(),
            columns: strings(&["Goal", "Status", "Target date", "Progress at period end"]),
            rows: goal_rows,
            empty: "No goals are set for this client.".into(),
        },
        Section {
            heading: "Progress updates in the period".into(),
            columns: strings(&["Date", "Goal", "Progress", "Note"]),
            rows: update_rows,
            empty: "No progress was recorded in this period.".into(),
        },
    ])
}

async fn schedule(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    zone: Zone,
    period: Period,
    staff_names: bool,
) -> Result<Vec<Section>, AppError> {
    let rows: Vec<appointment::Model> = appointments_in(conn, c.id, zone, period)
        .await?
        .into_iter()
        .filter(|a| a.status == AppointmentStatus::Scheduled)
        .collect();
    let staff = if staff_names {
        names(conn, rows.iter().filter_map(|a| a.staff_user_id)).await?
    } else {
        HashMap::new()
    };
    let mut columns = vec!["Date", "Start", "End", "Service"];
    if staff_names {
        columns.push("Staff");
    }
    let rows = rows
        .into_iter()
        .map(|a| {
            let clock = |t| format!("{} {}", zone.show_time(t), zone.abbreviation(t));
            let mut row = vec![
                zone.date_of(a.starts_at).format("%Y-%m-%d").to_string(),
                clock(a.starts_at),
                clock(a.ends_at),
                a.service_type,
            ];
            if staff_names {
                row.push(
                    a.staff_user_id
                        .and_then(|id| staff.get(&id).cloned())
                        .unwrap_or_default(),
                );
            }
            row
        })
        .collect();
    Ok(vec![Section {
        heading: "Upcoming appointments".into(),
        columns: strings(&columns),
        rows,
        empty: "No appointments are scheduled in this period.".into(),
    }])
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The report as CSV: each section as a heading line, a header line and
/// its rows, with a blank line between sections.
pub fn to_csv(r: &ReportContent) -> String {
    let mut out = crate::csv::line([
        r.kind.label(),
        r.client_name.as_str(),
        &format!("{} to {}", r.from, r.to),
        r.agency.as_str(),
        r.zone.as_str(),
    ]);
    for s in &r.sections {
        out.push_str("\r\n");
        out.push_str(&crate::csv::line([s.heading.as_str()]));
        out.push_str(&crate::csv::line(&s.columns));
        for row in &s.rows {
            out.push_str(&crate::csv::line(row));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_lists_each_month_it_touches_and_refuses_bad_ranges() {
        let p = Period::parse("2026-11-20", "2027-01-05").expect("period");
        assert_eq!(p.months(), vec![(2026, 11), (2026, 12), (2027, 1)]);
        assert!(Period::parse("2026-11-20", "2026-11-19").is_err());
        assert!(Period::parse("2026-01-01", "2027-06-01").is_err());
        assert!(Period::parse("yesterday", "2026-11-19").is_err());
    }
}
