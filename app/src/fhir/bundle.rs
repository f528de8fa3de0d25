//! Search answers: a `searchset` Bundle with its self and next links, and
//! the OperationOutcome every error becomes.

use serde_json::{Value, json};

use crate::fhir::ResourceType;
use crate::fhir::params::SearchParams;
use crate::fhir::resources::instant;

/// One page of a search: its resources and where the next page starts.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub resources: Vec<Value>,
    pub next: Option<String>,
    /// Matches over all pages, when counting them is cheap.
    pub total: Option<u64>,
}

/// Percent-encodes all but the unreserved characters of RFC 3986.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn query(params: &SearchParams, cursor: Option<&str>) -> String {
    let mut parts: Vec<String> = params
        .pairs
        .iter()
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect();
    parts.push(format!("_count={}", params.count));
    if let Some(c) = cursor {
        parts.push(format!("_cursor={}", encode(c)));
    }
    parts.join("&")
}

/// The Bundle for one page. `base` is the API's absolute address.
pub fn searchset(base: &str, kind: ResourceType, params: &SearchParams, page: Page) -> Value {
    let url = |cursor: Option<&str>| format!("{base}/{}?{}", kind.name(), query(params, cursor));
    let mut links = vec![json!({ "relation": "self", "url": url(params.cursor.as_deref()) })];
    if let Some(next) = page.next.as_deref() {
        links.push(json!({ "relation": "next", "url": url(Some(next)) }));
    }
    let entries: Vec<Value> = page
        .resources
        .into_iter()
        .map(|r| {
            let full = format!(
                "{base}/{}/{}",
                r["resourceType"].as_str().unwrap_or_default(),
                r["id"].as_str().unwrap_or_default()
            );
            json!({ "fullUrl": full, "resource": r, "search": { "mode": "match" } })
        })
        .collect();
    let mut b = json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": instant(chrono::Utc::now()),
        "link": links,
        "entry": entries,
    });
    if let Some(total) = page.total {
        b["total"] = json!(total);
    }
    if b["entry"].as_array().is_some_and(Vec::is_empty) {
        b.as_object_mut().map(|o| o.remove("entry"));
    }
    b
}

/// An error as FHIR says it: severity, an issue-type code and plain words.
pub fn operation_outcome(code: &str, text: &str) -> Value {
    json!({
        "resourceType": "OperationOutcome",
        "issue": [{
            "severity": "error",
            "code": code,
            "diagnostics": text,
        }],
    })
}
