//! A FHIR search's query string, checked: only the parameters a type
//! answers, in the shapes FHIR gives them. Anything else is a clear 400,
//! never a silently wider search.

use chrono::{Days, NaiveDate};

use crate::error::AppError;
use crate::fhir::ResourceType;

/// How many entries a page holds unless `_count` says otherwise.
pub const DEFAULT_COUNT: u64 = 50;
/// The most a page may hold.
pub const MAX_COUNT: u64 = 200;

/// Parameters every search understands.
const COMMON: &[&str] = &["_count", "_cursor", "_format"];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchParams {
    pub count: u64,
    /// Where the previous page stopped (opaque; from a `next` link).
    pub cursor: Option<String>,
    /// Every other parameter, in order.
    pub pairs: Vec<(String, String)>,
}

impl SearchParams {
    pub fn parse(kind: ResourceType, query: &[(String, String)]) -> Result<SearchParams, AppError> {
        let mut out = SearchParams {
            count: DEFAULT_COUNT,
            ..Default::default()
        };
        for (name, value) in query {
            match name.as_str() {
                "_count" => {
                    out.count = value
                        .parse::<u64>()
                        .ok()
                        .filter(|n| (1..=MAX_COUNT).contains(n))
                        .ok_or_else(|| {
                            AppError::invalid("_count", format!("_count must be 1 to {MAX_COUNT}."))
                        })?;
                }
                "_cursor" => out.cursor = Some(value.clone()),
                "_format" => {
                    if !matches!(
                        value.as_str(),
                        "json" | "application/fhir+json" | "application/json"
                    ) {
                        return Err(AppError::invalid(
                            "_format",
                            "Caseport answers in JSON only.",
                        ));
                    }
                }
                other if kind.search_params().contains(&other) && !COMMON.contains(&other) => {
                    out.pairs.push((name.clone(), value.clone()));
                }
                other => {
                    return Err(AppError::invalid(
                        "search",
                        format!(
                            "{} cannot be searched by \"{other}\". It can be searched by: {}.",
                            kind.name(),
                            kind.search_params().join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }

    pub fn one(&self, name: &str) -> Result<Option<&str>, AppError> {
        let mut values = self.pairs.iter().filter(|(n, _)| n == name);
        let first = values.next().map(|(_, v)| v.as_str());
        if values.next().is_some() {
            return Err(AppError::invalid(name, format!("Give \"{name}\" once.")));
        }
        Ok(first)
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The id in a reference parameter: `Patient/case-7` or `case-7` for
/// `Patient`. A reference to another type is refused.
pub fn reference_id<'a>(param: &str, value: &'a str, types: &[&str]) -> Result<&'a str, AppError> {
    let id = match value.split_once('/') {
        Some((t, id)) if types.contains(&t) => id,
        Some(_) => {
            return Err(AppError::invalid(
                param,
                format!("\"{param}\" must refer to a {}.", types.join(" or ")),
            ));
        }
        None => value,
    };
    if id.is_empty()
        || id.len() > 64
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(AppError::invalid(
            param,
            format!("\"{param}\" is not a valid id."),
        ));
    }
    Ok(id)
}

/// A numeric id, or `NotFound` (an id Caseport never issues names nothing).
pub fn numeric_id(id: &str) -> Result<i32, AppError> {
    id.parse::<i32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(AppError::NotFound)
}

/// The days a set of `date` parameters allows, both ends included:
/// `ge2026-12-01`, `lt2027-01-01`, `2026-12-02` (that day).
pub fn date_range(
    values: impl Iterator<Item = impl AsRef<str>>,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), AppError> {
    let bad = || {
        AppError::invalid(
            "date",
            "Give dates as date=ge2026-12-01 or date=lt2027-01-01.",
        )
    };
    let (mut from, mut to): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for v in values {
        let v = v.as_ref();
        let (prefix, day) = if v.len() > 10 && v.as_bytes()[..2].iter().all(u8::is_ascii_alphabetic)
        {
            v.split_at(2)
        } else {
            ("eq", v)
        };
        let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| bad())?;
        let (lo, hi) = match prefix {
            "eq" => (Some(day), Some(day)),
            "ge" => (Some(day), None),
            "gt" => (
                Some(day.checked_add_days(Days::new(1)).ok_or_else(bad)?),
                None,
            ),
            "le" => (None, Some(day)),
            "lt" => (
                None,
                Some(day.checked_sub_days(Days::new(1)).ok_or_else(bad)?),
            ),
            _ => return Err(bad()),
        };
        if let Some(lo) = lo {
            from = Some(from.map_or(lo, |f| f.max(lo)));
        }
        if let Some(hi) = hi {
            to = Some(to.map_or(hi, |t| t.min(hi)));
        }
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn an_unknown_parameter_is_refused_not_ignored() {
        let e = SearchParams::parse(ResourceType::Task, &q(&[("patient_name", "Khan")]))
            .expect_err("refused");
        assert!(e.field_messages("search")[0].contains("status, owner"));
        assert!(SearchParams::parse(ResourceType::Task, &q(&[("_count", "0")])).is_err());
        assert!(SearchParams::parse(ResourceType::Task, &q(&[("_count", "201")])).is_err());
        let ok = SearchParams::parse(
            ResourceType::Task,
            &q(&[("status", "accepted"), ("_count", "5")]),
        )
        .expect("valid");
        assert_eq!(ok.count, 5);
        assert_eq!(ok.one("status").expect("valid"), Some("accepted"));
    }

    #[test]
    fn references_name_their_type_or_none() {
        assert_eq!(
            reference_id("patient", "Patient/case-7", &["Patient"]).expect("valid"),
            "case-7"
        );
        assert_eq!(
            reference_id("patient", "case-7", &["Patient"]).expect("valid"),
            "case-7"
        );
        assert!(reference_id("patient", "Task/7", &["Patient"]).is_err());
        assert!(reference_id("patient", "Patient/../x", &["Patient"]).is_err());
    }

    #[test]
    fn date_prefixes_make_an_inclusive_range() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid");
        assert_eq!(
            date_range(["ge2026-12-01", "lt2027-01-01"].iter()).expect("valid"),
            (Some(d("2026-12-01")), Some(d("2026-12-31")))
        );
        assert_eq!(
            date_range(["2026-12-02"].iter()).expect("valid"),
            (Some(d("2026-12-02")), Some(d("2026-12-02")))
        );
        assert_eq!(
            date_range(["gt2026-12-01"].iter()).expect("valid"),
            (Some(d("2026-12-02")), None)
        );
        assert!(date_range(["xx2026-12-01"].iter()).is_err());
        assert!(date_range(["2026-13-01"].iter()).is_err());
    }
}
