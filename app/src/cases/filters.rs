//! The case list's filters, as they live in the URL query string.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cases::queues::Queue;
use crate::cases::{CaseSide, CaseStatus};
use crate::ui::encode;

/// Longest text search accepted; anything longer is cut, not refused.
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    /// A doctor's user id: cases that doctor is on (for case managers).
    pub doctor: Option<i32>,
    pub status: Option<CaseStatus>,
    /// Which side of the case the doctor (or the practice) is on.
    pub side: Option<CaseSide>,
    /// Last changed on or after this day.
    pub from: Option<NaiveDate>,
    /// Last changed on or before this day.
    pub to: Option<NaiveDate>,
    /// Text in the patient's name or the reason.
    pub q: Option<String>,
    /// A work queue: unassigned, mine, waiting on us or on them.
    #[serde(default)]
    pub queue: Option<Queue>,
    /// Cases whose receiving-side owner is this user: the FHIR API's
    /// `Task?owner=`. Not part of the page's URL.
    #[serde(default)]
    pub owner: Option<i32>,
}

impl CaseFilter {
    /// Reads the filter from query parameters; unknown or malformed values
    /// are ignored, so an old or hand-edited link still opens.
    pub fn from_pairs(get: impl Fn(&str) -> Option<String>) -> Self {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        CaseFilter {
            doctor: nonempty("doctor").and_then(|v| v.parse().ok()),
            status: nonempty("status").and_then(|v| CaseStatus::from_key(&v)),
            side: nonempty("side").and_then(|v| CaseSide::from_key(&v)),
            from: nonempty("from").and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()),
            to: nonempty("to").and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok()),
            q: nonempty("q").map(|v| v.chars().take(MAX_QUERY_CHARS).collect()),
            queue: nonempty("queue").and_then(|v| Queue::from_key(&v)),
            owner: None,
        }
    }

    /// The filter as `key=value` pairs, in a fixed order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(q) = self.queue {
            out.push(("queue", q.key().to_string()));
        }
        if let Some(d) = self.doctor {
            out.push(("doctor", d.to_string()));
        }
        if let Some(s) = self.status {
            out.push(("status", s.key().to_string()));
        }
        if let Some(s) = self.side {
            out.push(("side", s.key().to_string()));
        }
        if let Some(d) = self.from {
            out.push(("from", d.format("%Y-%m-%d").to_string()));
        }
        if let Some(d) = self.to {
            out.push(("to", d.format("%Y-%m-%d").to_string()));
        }
        if let Some(q) = &self.q {
            out.push(("q", q.clone()));
        }
        out
    }

    pub fn to_query_string(&self) -> String {
        self.to_pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_survives_the_round_trip_through_the_url() {
        let f = CaseFilter {
            doctor: Some(7),
            status: Some(CaseStatus::OnHold),
            side: Some(CaseSide::ReferredBy),
            from: NaiveDate::from_ymd_opt(2026, 1, 2),
            to: NaiveDate::from_ymd_opt(2026, 3, 4),
            q: Some("chest pain & co".into()),
            queue: Some(Queue::WaitingOnUs),
            owner: None,
        };
        let qs = f.to_query_string();
        assert_eq!(
            qs,
            "queue=ours&doctor=7&status=on_hold&side=by&from=2026-01-02&to=2026-03-04&q=chest%20pain%20%26%20co"
        );
        let pairs: Vec<(String, String)> = f
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let back = CaseFilter::from_pairs(|k| {
            pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone())
        });
        assert_eq!(back, f);
    }

    #[test]
    fn malformed_values_are_ignored_not_fatal() {
        let f = CaseFilter::from_pairs(|k| {
            match k {
                "doctor" => Some("abc"),
                "status" => Some("nonsense"),
                "from" => Some("2026-13-45"),
                "q" => Some("   "),
                "queue" => Some("everything"),
                _ => None,
            }
            .map(String::from)
        });
        assert_eq!(f, CaseFilter::default());
    }
}
