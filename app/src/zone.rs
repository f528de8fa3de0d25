//! An organisation's time zone: how a local date and time that someone
//! types becomes an instant, and how a stored instant reads back on the
//! organisation's clock. Every timestamp is stored in UTC; only this module
//! turns one into local words or local calendar days.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::error::AppError;

/// An IANA time zone, from the zone database compiled into the binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone(Tz);

/// A local time that does not exist: the clocks jumped over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} does not exist on {} in {zone}: the clocks go forward then.",
    .time.format("%H:%M"),
    .date.format("%-d %b %Y")
)]
pub struct SkippedTime {
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub zone: &'static str,
}

/// A local date and time placed on the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub at: DateTime<Utc>,
    /// The clocks went back over this time, so it happened twice; `at` is
    /// the first of the two.
    pub repeated: bool,
}

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// A zone by its IANA name ("America/Chicago").
    pub fn parse(name: &str) -> Result<Zone, AppError> {
        name.trim()
            .parse::<Tz>()
            .map(Zone)
            .map_err(|_| AppError::invalid("time_zone", "Choose a time zone from the list."))
    }

    /// The zone a stored name gives, or UTC for a name this build's zone
    /// database no longer knows (a row must still read).
    pub fn stored(name: &str) -> Zone {
        name.parse::<Tz>().map(Zone).unwrap_or(Zone::UTC)
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Every zone an organisation can choose, by name. The areas that hold
    /// only old aliases ("US/Eastern", "Etc/GMT+5") are left out.
    pub fn choices() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|n| n.contains('/') && !LEGACY_AREAS.iter().any(|a| n.starts_with(a)))
            .chain(["UTC"])
            .collect();
        names.sort_unstable();
        names
    }

    /// The instant that `time` on `date` means here. A time the clocks
    /// skip is refused; one they repeat is the earlier of the two.
    pub fn place(self, date: NaiveDate, time: NaiveTime) -> Result<Placed, SkippedTime> {
        match self.0.from_local_datetime(&date.and_time(time)) {
            LocalResult::Single(t) => Ok(Placed {
                at: t.with_timezone(&Utc),
                repeated: false,
            }),
            LocalResult::Ambiguous(first, _) => Ok(Placed {
                at: first.with_timezone(&Utc),
                repeated: true,
            }),
            LocalResult::None => Err(SkippedTime {
                date,
                time,
                zone: self.name(),
            }),
        }
    }

    /// When `date` begins here: local midnight, or the first moment after
    /// it where a zone skips midnight itself.
    pub fn start_of(self, date: NaiveDate) -> DateTime<Utc> {
        let midnight = date.and_time(NaiveTime::MIN);
        (0..=4)
            .map(|h| midnight + Duration::minutes(30 * h))
            .find_map(|t| self.0.from_local_datetime(&t).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| midnight.and_utc())
    }

    /// The instants of the days `from` to `to` inclusive: `[start, end)`.
    /// Either end may be open.
    pub fn days(
        self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        (
            from.map(|d| self.start_of(d)),
            to.and_then(|d| d.succ_opt()).map(|d| self.start_of(d)),
        )
    }

    /// The local calendar date of `t`.
    pub fn date_of(self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.0).date_naive()
    }

    /// The local wall-clock time of `t`.
    pub fn local(self, t: DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&self.0).naive_local()
    }

    /// `(year, month)` of `t` on the local calendar.
    pub fn month_of(self, t: DateTime<Utc>) -> (i32, u32) {
        let d = self.date_of(t);
        (d.year(), d.month())
    }

    /// "2 Dec 2026, 09:30 EST": a time no reader can misplace.
    pub fn show(self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0)
            .format("%-d %b %Y, %H:%M %Z")
            .to_string()
    }

    /// "2 Dec 2026, 09:30:15 EST", for a log where seconds tell order.
    pub fn show_seconds(self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0)
            .format("%-d %b %Y, %H:%M:%S %Z")
            .to_string()
    }

    /// "2026-12-02T09:30:15-05:00": local, with its offset, for files
    /// that programs read (CSV).
    pub fn stamp(self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// "09:30": the clock time alone, for a row that already says its date
    /// and a page that states its zone.
    pub fn show_time(self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0).format("%H:%M").to_string()
    }

    /// "EST": the zone's abbreviation at `t` (summer and winter differ).
    pub fn abbreviation(self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.0).format("%Z").to_string()
    }

    /// The sentence a page shows once: "Times are in America/Chicago (CST)."
    pub fn statement(self, now: DateTime<Utc>) -> String {
        format!("Times are in {} ({}).", self.name(), self.abbreviation(now))
    }
}

/// "2 Dec 2026": a calendar date, the same in every zone.
pub fn show_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// Areas of the zone database that only hold old aliases of real places.
const LEGACY_AREAS: &[&str] = &[
    "Etc/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/", "SystemV/",
];

/// What to tell someone whose time was placed: nothing for an ordinary
/// time, which of the two for a repeated one.
pub fn repeated_notice(zone: Zone, placed: Placed) -> Option<String> {
    placed.repeated.then(|| {
        format!(
            "{} happens twice that night, when the clocks go back; Caseport saved the first ({}).",
            zone.show_time(placed.at),
            zone.abbreviation(placed.at)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> Zone {
        Zone::parse(name).expect("zone")
    }
    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }
    fn hm(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").expect("time")
    }
    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("instant")
            .with_timezone(&Utc)
    }

    #[test]
    fn new_york_spring_forward_refuses_the_missing_hour() {
        // 8 March 2026: 02:00 EST becomes 03:00 EDT.
        let ny = zone("America/New_York");
        let err = ny
            .place(day("2026-03-08"), hm("02:30"))
            .expect_err("skipped");
        assert!(err.to_string().contains("does not exist"), "{err}");
        let before = ny.place(day("2026-03-08"), hm("01:59")).expect("before");
        assert_eq!(before.at, utc("2026-03-08T06:59:00Z"));
        let after = ny.place(day("2026-03-08"), hm("03:00")).expect("after");
        assert_eq!(after.at, utc("2026-03-08T07:00:00Z"));
        assert!(!after.repeated);
    }

    #[test]
    fn new_york_fall_back_takes_the_first_of_the_repeated_hour_and_says_so() {
        // 1 November 2026: 02:00 EDT becomes 01:00 EST; 01:30 happens twice.
        let ny = zone("America/New_York");
        let placed = ny.place(day("2026-11-01"), hm("01:30")).expect("placed");
        assert!(placed.repeated);
        assert_eq!(placed.at, utc("2026-11-01T05:30:00Z"), "the EDT one");
        let notice = repeated_notice(ny, placed).expect("a notice");
        assert!(
            notice.contains("01:30") && notice.contains("EDT"),
            "{notice}"
        );
        assert_eq!(ny.show(placed.at), "1 Nov 2026, 01:30 EDT");
        assert_eq!(
            ny.show(placed.at + Duration::hours(1)),
            "1 Nov 2026, 01:30 EST"
        );
    }

    #[test]
    fn london_transitions_both_ways() {
        // 29 March 2026: 01:00 GMT becomes 02:00 BST.
        let london = zone("Europe/London");
        assert!(london.place(day("2026-03-29"), hm("01:15")).is_err());
        assert_eq!(
            london
                .place(day("2026-03-29"), hm("02:15"))
                .expect("bst")
                .at,
            utc("2026-03-29T01:15:00Z")
        );
        // 25 October 2026: 02:00 BST becomes 01:00 GMT.
        let placed = london
            .place(day("2026-10-25"), hm("01:15"))
            .expect("placed");
        assert!(placed.repeated);
        assert_eq!(placed.at, utc("2026-10-25T00:15:00Z"));
        assert_eq!(london.abbreviation(placed.at), "BST");
    }

    #[test]
    fn a_day_starts_at_local_midnight_and_dst_days_are_not_24_hours() {
        let chicago = zone("America/Chicago");
        assert_eq!(
            chicago.start_of(day("2026-12-02")),
            utc("2026-12-02T06:00:00Z")
        );
        assert_eq!(
            chicago.start_of(day("2026-07-02")),
            utc("2026-07-02T05:00:00Z")
        );
        let (from, to) = chicago.days(Some(day("2026-03-08")), Some(day("2026-03-08")));
        let hours = (to.expect("to") - from.expect("from")).num_hours();
        assert_eq!(hours, 23, "spring-forward day");
        // A zone that skips midnight itself (Havana springs forward at 00:00).
        let havana = zone("America/Havana");
        let start = havana.start_of(day("2026-03-08"));
        assert_eq!(havana.local(start).time(), hm("01:00"));
    }

    #[test]
    fn the_local_calendar_decides_the_date_and_month() {
        let chicago = zone("America/Chicago");
        // 23:30 on 30 November in Chicago is already December in UTC.
        let late = chicago
            .place(day("2026-11-30"), hm("23:30"))
            .expect("placed")
            .at;
        assert_eq!(late, utc("2026-12-01T05:30:00Z"));
        assert_eq!(chicago.month_of(late), (2026, 11));
        assert_eq!(chicago.date_of(late), day("2026-11-30"));
    }

    #[test]
    fn names_are_checked_against_the_zone_database() {
        assert!(Zone::parse("America/Chicago").is_ok());
        assert!(Zone::parse("Mars/Olympus_Mons").is_err());
        assert!(Zone::parse("").is_err());
        assert_eq!(Zone::stored("Nowhere/Special"), Zone::UTC);
        let choices = Zone::choices();
        assert!(choices.contains(&"Europe/London") && choices.contains(&"UTC"));
        assert!(!choices.iter().any(|n| n.starts_with("US/")));
        assert_eq!(show_date(day("2026-12-02")), "2 Dec 2026");
    }
}
