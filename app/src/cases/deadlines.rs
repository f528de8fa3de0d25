//! Response deadlines: how long a practice has to accept or reject a
//! referral, counted in its business days, and what a missed one shows.
//!
//! A deadline is the end of a business day on the receiving practice's
//! clock. Day 0 is the day the referral arrives (or the next business day,
//! when it arrives on a weekend or holiday), so "0 days" means the same
//! day. It is fixed when the referral arrives: a practice that later
//! changes its settings or adds a holiday does not move cases it has.

use serde::{Deserialize, Serialize};

use crate::cases::CaseStatus;

/// A case's response deadline as its reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// The deadline on the reader's clock, e.g. "11 Dec 2026, 23:59".
    pub by: String,
    /// Days past the deadline, counting a part day as one, once it has
    /// passed without an answer.
    pub overdue_days: Option<u32>,
}

impl Due {
    /// "Overdue by 2 days", or "Respond by 11 Dec 2026, 23:59".
    pub fn label(&self) -> String {
        match self.overdue_days {
            Some(1) => "Overdue by 1 day".to_string(),
            Some(n) => format!("Overdue by {n} days"),
            None => format!("Respond by {}", self.by),
        }
    }

    pub fn is_overdue(&self) -> bool {
        self.overdue_days.is_some()
    }
}

/// Whether a case still waits for the receiving practice's answer: the
/// only time a response deadline means anything.
pub fn awaits_response(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::Requested | CaseStatus::Received)
}

/// The steps of escalating a missed deadline, stored as
/// `cases.escalation_step`: each is taken once.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The deadline has not passed (or nothing was sent yet).
    NotYet = 0,
    /// At the deadline: the owner is told (the doctor, when no one owns it).
    Owner = 1,
    /// A day later: the practice's case managers are told.
    CaseManagers = 2,
}

#[cfg(feature = "ssr")]
mod calendar {
    use std::collections::BTreeSet;

    use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

    use super::{Due, Step, awaits_response};
    use crate::cases::CaseStatus;
    use crate::zone::Zone;

    /// How long after the deadline the case managers hear of it.
    pub const CASE_MANAGERS_AFTER: Duration = Duration::days(1);

    /// Monday to Friday, except the practice's holidays.
    pub fn is_business_day(day: NaiveDate, holidays: &BTreeSet<NaiveDate>) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&day)
    }

    /// The next business day on or after `day`. A calendar of holidays
    /// without end cannot stall it: after a year it gives up looking.
    fn business_day_from(day: NaiveDate, holidays: &BTreeSet<NaiveDate>) -> NaiveDate {
        let mut d = day;
        for _ in 0..366 {
            if is_business_day(d, holidays) {
                return d;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }

    /// When a referral that arrived at `at` must be answered by: the end of
    /// the `days`-th business day after the day it arrived, on `zone`'s
    /// clock. The end is its last second (shown as 23:59), so a referral
    /// arriving in the day's last minute is still due that day.
    pub fn respond_by(
        at: DateTime<Utc>,
        days: u32,
        zone: Zone,
        holidays: &BTreeSet<NaiveDate>,
    ) -> DateTime<Utc> {
        let mut day = business_day_from(zone.date_of(at), holidays);
        for _ in 0..days {
            day = business_day_from(day.succ_opt().unwrap_or(day), holidays);
        }
        let next = day.succ_opt().unwrap_or(day);
        zone.start_of(next) - Duration::seconds(1)
    }

    /// Whole days (a part day counts as one) since `respond_by`, once past.
    pub fn overdue_days(respond_by: DateTime<Utc>, now: DateTime<Utc>) -> Option<u32> {
        let late = (now - respond_by).num_seconds();
        if late <= 0 {
            return None;
        }
        u32::try_from((late + 86_399) / 86_400).ok()
    }

    /// What a reader on `zone`'s clock is shown of a case's deadline: none
    /// once the case is answered, or when it never had one.
    pub fn due(
        respond_by: Option<DateTime<Utc>>,
        status: CaseStatus,
        now: DateTime<Utc>,
        zone: Zone,
    ) -> Option<Due> {
        let by = respond_by.filter(|_| awaits_response(status))?;
        Some(Due {
            by: zone.show(by),
            overdue_days: overdue_days(by, now),
        })
    }

    /// The furthest escalation step a case waiting since its deadline
    /// `respond_by` has reached at `now`.
    pub fn step_due(respond_by: DateTime<Utc>, now: DateTime<Utc>) -> Step {
        if now <= respond_by {
            Step::NotYet
        } else if now - respond_by < CASE_MANAGERS_AFTER {
            Step::Owner
        } else {
            Step::CaseManagers
        }
    }
}

#[cfg(feature = "ssr")]
pub use calendar::*;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::zone::Zone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn london(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        chrono_tz::Europe::London
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("time")
            .with_timezone(&Utc)
    }

    fn shown(t: DateTime<Utc>) -> String {
        Zone::stored("Europe/London").show(t)
    }

    #[test]
    fn business_days_skip_the_weekend() {
        let zone = Zone::stored("Europe/London");
        let none = BTreeSet::new();
        // Thursday 3 Dec 2026, 10:00: two business days end on Monday.
        let by = respond_by(london(2026, 12, 3, 10), 2, zone, &none);
        assert_eq!(zone.date_of(by), day(2026, 12, 7));
        assert_eq!(
            shown(by),
            zone.show(london(2026, 12, 7, 23) + chrono::Duration::minutes(59))
        );
        // "Same day" on a Saturday means the end of Monday.
        let by = respond_by(london(2026, 12, 5, 9), 0, zone, &none);
        assert_eq!(zone.date_of(by), day(2026, 12, 7));
        // Same day on a weekday is that day.
        let by = respond_by(london(2026, 12, 2, 9), 0, zone, &none);
        assert_eq!(zone.date_of(by), day(2026, 12, 2));
    }

    #[test]
    fn holidays_are_not_business_days() {
        let zone = Zone::stored("Europe/London");
        let holidays: BTreeSet<_> = [day(2026, 12, 25), day(2026, 12, 28)].into();
        // Thursday 24 Dec, one day: Friday 25 is a holiday, then the
        // weekend, then Monday 28 is one too: Tuesday 29.
        let by = respond_by(london(2026, 12, 24, 15), 1, zone, &holidays);
        assert_eq!(zone.date_of(by), day(2026, 12, 29));
        // Arriving on the holiday itself starts on the next business day.
        let by = respond_by(london(2026, 12, 25, 8), 0, zone, &holidays);
        assert_eq!(zone.date_of(by), day(2026, 12, 29));
    }

    #[test]
    fn the_deadline_is_the_end_of_the_day_on_the_practices_clock() {
        // 23:30 in New York on Wednesday is Thursday in London: the New
        // York practice still has its Wednesday.
        let ny = Zone::stored("America/New_York");
        let at = Utc
            .with_ymd_and_hms(2026, 12, 3, 4, 30, 0)
            .single()
            .expect("time");
        let by = respond_by(at, 0, ny, &BTreeSet::new());
        assert_eq!(ny.date_of(by), day(2026, 12, 2));
        assert_eq!(
            by,
            Utc.with_ymd_and_hms(2026, 12, 3, 4, 59, 59)
                .single()
                .expect("time")
        );
    }

    #[test]
    fn overdue_counts_part_days_and_answered_cases_show_no_deadline() {
        let zone = Zone::stored("Europe/London");
        let by = london(2026, 12, 7, 23);
        assert_eq!(overdue_days(by, by), None);
        assert_eq!(overdue_days(by, by + chrono::Duration::minutes(1)), Some(1));
        assert_eq!(overdue_days(by, by + chrono::Duration::hours(49)), Some(3));
        let late = by + chrono::Duration::hours(30);
        let due = due(Some(by), CaseStatus::Received, late, zone).expect("due");
        assert_eq!(due.label(), "Overdue by 2 days");
        assert_eq!(super::due(Some(by), CaseStatus::Accepted, late, zone), None);
        assert_eq!(super::due(None, CaseStatus::Requested, late, zone), None);
        let early = super::due(
            Some(by),
            CaseStatus::Requested,
            by - chrono::Duration::hours(1),
            zone,
        );
        assert_eq!(
            early.expect("due").label(),
            format!("Respond by {}", zone.show(by))
        );
    }

    #[test]
    fn escalation_steps_follow_the_deadline() {
        let by = london(2026, 12, 7, 23);
        assert_eq!(step_due(by, by), Step::NotYet);
        assert_eq!(step_due(by, by + chrono::Duration::hours(2)), Step::Owner);
        assert_eq!(
            step_due(by, by + chrono::Duration::hours(24)),
            Step::CaseManagers
        );
    }
}
