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

/// `"2026-10"` as people read it: `"Oct 2026"`.
pub fn month_label(month: &str) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let name = month
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| NAMES.get(m.wrapping_sub(1)));
    match (name, month.get(..4)) {
        (Some(name), Some(year)) => format!("{name} {year}"),
        _ => month.to_string(),
    }
}

/// Bars of scheduled and completed hours per month, with the authorisation
/// as a dashed line, an hours axis and month labels. Scheduled bars are
/// hatched and light, completed ones solid and dark, so the two differ
/// without colour. The table beside the chart carries the same numbers;
/// the chart's description says what it shows in words.
#[component]
pub fn HoursChart(months: Vec<MonthHours>) -> impl IntoView {
    const W: i64 = 560;
    const H: i64 = 220;
    const LEFT: i64 = 44;
    const BOTTOM: i64 = 28;
    const TOP: i64 = 12;
    let top_minutes = months
        .iter()
        .map(|m| m.authorised_minutes.max(m.scheduled_minutes))
        .max()
        .unwrap_or(0)
        .max(60);
    // An hours scale in round steps with four or five ticks.
    let top_hours = (top_minutes + 59) / 60;
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500]
        .into_iter()
        .find(|s| top_hours / s <= 5)
        .unwrap_or(1000);
    let scale_hours = ((top_hours - 1) / step + 1) * step;
    let scale = scale_hours * 60;
    let plot = H - BOTTOM - TOP;
    let y = move |minutes: i64| H - BOTTOM - (minutes.clamp(0, scale) * plot) / scale;
    let n = months.len().max(1) as i64;
    let slot = (W - LEFT - 8) / n;
    let ticks = (0..=scale_hours / step)
        .map(|i| {
            let h = i * step;
            let ty = y(h * 60);
            view! {
                <line class="grid" x1=LEFT x2=W - 4 y1=ty y2=ty />
                <text x=LEFT - 6 y=ty + 4 text-anchor="end">{h}</text>
            }
        })
        .collect_view();
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let bar = ((slot - 12) / 2).max(4);
            let x = LEFT + 6 + i as i64 * slot;
            let label = month_label(&m.month);
            view! {
                <g>
                    <rect class="hours-scheduled" x=x y=y(m.scheduled_minutes) width=bar height={H - BOTTOM - y(m.scheduled_minutes)}>
                        <title>{format!("{label}: {} h scheduled", hours(m.scheduled_minutes))}</title>
                    </rect>
                    <rect class="hours-completed" x=x + bar + 2 y=y(m.completed_minutes) width=bar height={H - BOTTOM - y(m.completed_minutes)}>
                        <title>{format!("{label}: {} h completed", hours(m.completed_minutes))}</title>
                    </rect>
                    <line class="hours-authorised" x1=x - 4 x2=x + 2 * bar + 6 y1=y(m.authorised_minutes) y2=y(m.authorised_minutes) />
                    <text x=x + bar + 1 y=H - 8 text-anchor="middle">{label.get(..3).unwrap_or("").to_string()}</text>
                </g>
            }
        })
        .collect_view();
    let summary = months
        .iter()
        .map(|m| {
            format!(
                "{}: {} h scheduled, {} h completed of {} h authorised",
                month_label(&m.month),
                hours(m.scheduled_minutes),
                hours(m.completed_minutes),
                hours(m.authorised_minutes)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <figure class="hours-figure">
            <svg class="hours-chart" role="img" aria-labelledby="hours-chart-title hours-chart-desc"
                viewBox=format!("0 0 {W} {H}") preserveAspectRatio="xMinYMin meet">
                <title id="hours-chart-title">"Monthly hours: scheduled and completed against the authorisation"</title>
                <desc id="hours-chart-desc">{summary}</desc>
                <defs>
                    <pattern id="hatch-scheduled" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <line class="hatch-line" x1="0" y1="0" x2="0" y2="6" />
                    </pattern>
                </defs>
                {ticks}
                <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=H - BOTTOM />
                <line class="axis" x1=LEFT x2=W - 4 y1=H - BOTTOM y2=H - BOTTOM />
                <text x="12" y=TOP + plot / 2 text-anchor="middle" transform=format!("rotate(-90 12 {})", TOP + plot / 2)>"Hours"</text>
                {bars}
            </svg>
            <figcaption class="chart-key">
                <span class="key-scheduled">"Scheduled (hatched)"</span>
                <span class="key-completed">"Completed (solid)"</span>
                <span class="key-authorised">"Authorised (dashed line)"</span>
            </figcaption>
        </figure>
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
    fn months_read_as_words() {
        assert_eq!(month_label("2026-10"), "Oct 2026");
        assert_eq!(month_label("2027-01"), "Jan 2027");
        assert_eq!(month_label("garbage"), "garbage");
    }

    #[test]
    fn hours_round_to_tenths() {
        assert_eq!(hours(0), "0.0");
        assert_eq!(hours(90), "1.5");
        assert_eq!(hours(100), "1.7");
        assert_eq!(hours(600), "10.0");
    }
}
