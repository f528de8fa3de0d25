//! Query strings: encoding a value, and putting a page's filters into its
//! address so a reload or a shared link shows the same list.

use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Replaces the address (no new history entry) with `path` and the
/// non-empty `pairs` as its query.
pub fn replace_query(path: String, pairs: Vec<(&'static str, String)>) {
    let qs: Vec<String> = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    let url = if qs.is_empty() {
        path
    } else {
        format!("{path}?{}", qs.join("&"))
    };
    use_navigate()(
        &url,
        NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        },
    );
}
