//! Monthly service hours against the client's authorisation: the sums, and
//! a small SVG chart the server renders, so it reads without JavaScript.

use leptos::prelude::*;

use crate::care::{AppointmentStatus, MonthHours};

/// An appointment reduced to what the hours depend on.
#[derive(Clone, Copy, Debug)]
pub struct Booked {
    /// `(year, month)`, month 1–12.
    pub month: (i32, u32),
    pub status: AppointmentStatus,
    pub minutes: i32,
}

/// Sums `booked` into each month of `months` (oldest first). Months without
/// appointments still appear, with the whole authorisation remaining.
pub fn summarise(
    months: &[(i32, u32)],
    authorised_hours: i32,
    booked: &[Booked],
) -> Vec<MonthHours> {
    let authorised = i64::from(authorised_hours.max(0)) * 60;
    months
        .iter()
        .map(|&(y, m)| {
            let of_month = booked.iter().filter(|b| b.month == (y, m));
            let mut scheduled = 0i64;
            let mut completed = 0i64;
            for b in of_month {
                let minutes = i64::from(b.minutes.max(0));
                match b.status {
                    AppointmentStatus::Cancelled => {}
                    AppointmentStatus::Completed => {
                        scheduled += minutes;
                        completed += minutes;
                    }
                    AppointmentStatus::Scheduled | AppointmentStatus::NoShow => {
                        scheduled += minutes
                    }
                }
            }
            MonthHours {
                month: format!("{y:04}-{m:02}"),
                authorised_minutes: authorised,
                scheduled_minutes: scheduled,
                completed_minutes: completed,
                remaining_minutes: authorised - completed,
            }
        })
        .collect()
}

/// The `count` months ending with `(year, month)`, oldest first.
pub fn months_ending(year: i32, month: u32, count: u32) -> Vec<(i32, u32)> {
    let last = year * 12 + month as i32 - 1;
    (0..count as i32)
        .rev()
        .map(|back| {
            let n = last - back;
            (n.div_euclid(12), n.rem_euclid(12) as u32 + 1)
        })
        .collect()
}

/// Minutes as hours with one decimal: `90` → `"1.5"`.
pub fn hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + minutes.signum() * 30) / 60;
    format!(
        "{}{}.{}",
        if tenths < 0 { "-" } else { "" },
        tenths.abs() / 10,
        tenths.abs() % 10
    )
}

/// Bars of scheduled and completed hours per month, with the authorisation
/// as a line. The table beside it carries the same numbers for screen
/// readers; the chart is `aria-hidden` apart from its title.
#[component]
pub fn HoursChart(months: Vec<MonthHours>) -> impl IntoView {
    const W: i64 = 480;
    const H: i64 = 160;
    const PAD: i64 = 24;
    let top = months
        .iter()
        .map(|m| m.authorised_minutes.max(m.scheduled_minutes))
        .max()
        .unwrap_or(0)
        .max(60);
    let n = months.len().max(1) as i64;
    let slot = (W - PAD) / n;
    let y = move |minutes: i64| H - PAD - (minutes * (H - 2 * PAD)) / top;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = PAD + i as i64 * slot;
            let bar = (slot - 8) / 2;
            let label = m.month.get(5..).unwrap_or("").to_string();
            view! {
                <g>
                    <rect class="hours-scheduled" x=x y=y(m.scheduled_minutes) width=bar height={H - PAD - y(m.scheduled_minutes)}>
                        <title>{format!("{}: {} h scheduled", m.month, hours(m.scheduled_minutes))}</title>
                    </rect>
                    <rect class="hours-completed" x=x + bar y=y(m.completed_minutes) width=bar height={H - PAD - y(m.completed_minutes)}>
                        <title>{format!("{}: {} h completed", m.month, hours(m.completed_minutes))}</title>
                    </rect>
                    <line class="hours-authorised" x1=x - 2 x2=x + 2 * bar + 2 y1=y(m.authorised_minutes) y2=y(m.authorised_minutes) />
                    <text x=x + bar y=H - 6 text-anchor="middle">{label}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="hours-chart" role="img" aria-labelledby="hours-chart-title" viewBox=format!("0 0 {W} {H}") width=W height=H>
            <title id="hours-chart-title">"Monthly hours: scheduled and completed against the authorisation"</title>
            {bars}
        </svg>
        <p class="chart-key">
            <span class="key-scheduled">"■ scheduled"</span>" "
            <span class="key-completed">"■ completed"</span>" "
            <span class="key-authorised">"— authorised"</span>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppointmentStatus::*;

    fn b(month: (i32, u32), status: AppointmentStatus, minutes: i32) -> Booked {
        Booked {
            month,
            status,
            minutes,
        }
    }

    #[test]
    fn sums_by_status_and_month() {
        let booked = [
            b((2026, 10), Completed, 60),
            b((2026, 10), Completed, 90),
            b((2026, 10), Scheduled, 120),
            b((2026, 10), NoShow, 30),
            b((2026, 10), Cancelled, 600),
            b((2026, 11), Completed, 45),
        ];
        let got = summarise(&[(2026, 10), (2026, 11), (2026, 12)], 10, &booked);
        assert_eq!(got[0].month, "2026-10");
        assert_eq!(got[0].scheduled_minutes, 300);
        assert_eq!(got[0].completed_minutes, 150);
        assert_eq!(got[0].remaining_minutes, 450);
        assert_eq!(got[1].completed_minutes, 45);
        assert_eq!(got[2].scheduled_minutes, 0);
        assert_eq!(got[2].remaining_minutes, 600);
    }

    #[test]
    fn remaining_goes_negative_when_over() {
        let got = summarise(&[(2026, 1)], 1, &[b((2026, 1), Completed, 90)]);
        assert_eq!(got[0].remaining_minutes, -30);
        assert_eq!(hours(got[0].remaining_minutes), "-0.5");
    }

    #[test]
    fn months_cross_the_year() {
        assert_eq!(
            months_ending(2027, 2, 4),
            vec![(2026, 11), (2026, 12), (2027, 1), (2027, 2)]
        );
    }

    #[test]
    fn hours_round_to_tenths() {
        assert_eq!(hours(0), "0.0");
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(100), "1.7");
        assert_eq!(hours(600), "10.0");
    }
}
