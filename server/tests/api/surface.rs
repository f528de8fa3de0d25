//! The HTTP surface of the server functions: every one has a stable path
//! under /api, and only reads are reachable with GET (a GET can be
//! triggered cross-site by a link or an image, so it must never change
//! data).

use std::collections::BTreeSet;

use http::Method;

/// Server functions that only read. Adding a GET function means adding it
/// here, after checking it changes nothing. (The portal's reads write an
/// activity-log row each: the audit trail, not data.)
const READ_ONLY: &[&str] = &[
    "/api/activity",
    "/api/admin/users",
    "/api/agency/categories",
    "/api/agency/clients",
    "/api/agency/clients/profile",
    "/api/agency/documents",
    "/api/auth/two-factor/status",
    "/api/auth/idle",
    "/api/auth/me",
    "/api/auth/reset/check",
    "/api/auth/sessions",
    "/api/case-managers",
    "/api/case-managers/preview",
    "/api/case-managers/profile",
    "/api/cases/get",
    "/api/doctors/directory",
    "/api/doctors/practice",
    "/api/invitation",
    "/api/care/goals",
    "/api/care/record",
    "/api/messages/inbox",
    "/api/messages/of-client",
    "/api/messages/settings",
    "/api/messages/team-lead",
    "/api/messages/unread",
    "/api/portal/assessments",
    "/api/portal/client",
    "/api/portal/documents",
    "/api/portal/hours",
    "/api/portal/my-clients",
    "/api/portal/notes",
    "/api/portal/schedule",
    "/api/portal/terms",
    "/api/portal/face",
    "/api/reports/mine",
    "/api/reports/of-client",
    "/api/reports/schedule-clients",
    "/api/reports/schedules",
    "/api/settings/portal",
];

#[test]
fn only_read_only_server_functions_answer_get() {
    // Linking the app registers its server functions.
    let _ = app::App;
    let all: Vec<(&str, Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(all.len() >= 15, "server functions not registered: {all:?}");
    let gets: BTreeSet<&str> = all
        .iter()
        .filter(|(_, m)| *m == Method::GET)
        .map(|(p, _)| *p)
        .collect();
    let allowed: BTreeSet<&str> = READ_ONLY.iter().copied().collect();
    assert_eq!(
        gets, allowed,
        "a GET server function that is not known to be read-only"
    );
    for (path, method) in &all {
        assert!(path.starts_with("/api/"), "{path}");
        assert!(
            *method == Method::GET || *method == Method::POST,
            "{path} uses {method}"
        );
        // An explicit endpoint, not a generated hash suffix.
        assert!(
            !path.chars().any(|c| c.is_ascii_digit()),
            "{path} looks generated"
        );
    }
}
