//! The stylesheets under `style/`, one per component area, built into the
//! binary and served at `/style/<name>.css`. cargo-leptos turns
//! `style/main.css` into `/pkg/caseport.css` but copies its `@import`
//! rules through as they are, so the files they name are served here. A
//! file that `main.css` names but this list lacks fails the test below.

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};

/// Every stylesheet `style/main.css` imports.
const FILES: &[(&str, &str)] = &[
    ("tokens.css", include_str!("../../../style/tokens.css")),
    ("base.css", include_str!("../../../style/base.css")),
    ("shell.css", include_str!("../../../style/shell.css")),
    ("buttons.css", include_str!("../../../style/buttons.css")),
    ("forms.css", include_str!("../../../style/forms.css")),
    ("tables.css", include_str!("../../../style/tables.css")),
    ("badges.css", include_str!("../../../style/badges.css")),
    ("feedback.css", include_str!("../../../style/feedback.css")),
    ("tabs.css", include_str!("../../../style/tabs.css")),
    ("messages.css", include_str!("../../../style/messages.css")),
    ("cases.css", include_str!("../../../style/cases.css")),
    ("portal.css", include_str!("../../../style/portal.css")),
    ("print.css", include_str!("../../../style/print.css")),
];

/// A validator that changes whenever the file does, so a browser keeps
/// its copy (revalidated with `no-cache`) until a new build changes it.
fn etag(body: &str) -> String {
    // FNV-1a: enough to tell builds apart, and no dependency.
    let hash = body.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("\"{hash:016x}\"")
}

pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some((_, body)) = FILES.iter().find(|(n, _)| *n == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tag = etag(body);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == tag);
    if fresh {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8".to_string()),
            (header::ETAG, tag),
        ],
        *body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `main.css` and this list name the same files, in the same order.
    #[test]
    fn every_import_of_main_css_is_served() {
        let main = include_str!("../../../style/main.css");
        let imported: Vec<&str> = main
            .lines()
            .filter_map(|l| l.trim().strip_prefix("@import url(\"/style/"))
            .filter_map(|rest| rest.strip_suffix("\");"))
            .collect();
        let served: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(imported, served);
    }

    #[test]
    fn a_file_changes_its_validator() {
        assert_ne!(etag("a { color: red }"), etag("a { color: blue }"));
        assert_eq!(etag("x"), etag("x"));
    }
}
