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
    "/api/admin/deadlines",
    "/api/admin/time-zone",
    "/api/admin/users",
    "/api/api-tokens",
    "/api/agency/categories",
    "/api/agency/clients",
    "/api/agency/clients/profile",
    "/api/agency/documents",
    "/api/agency/documents/limit",
    "/api/auth/two-factor/status",
    "/api/auth/idle",
    "/api/auth/me",
    "/api/auth/reset/check",
    "/api/auth/sessions",
    "/api/case-managers",
    "/api/case-managers/preview",
    "/api/case-managers/profile",
    "/api/cases/conversation",
    "/api/cases/get",
    "/api/cases/queues",
    "/api/cases/views",
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
    "/api/notifications/delivery",
    "/api/notifications/list",
    "/api/notifications/preferences",
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

/// Reading never writes: every GET server function and every page, opened
/// by each kind of user with the ids of real records, leaves every data
/// table exactly as it was. (The activity log records reads by design, and
/// sessions note when they were last used; neither is data.)
#[tokio::test]
async fn no_get_endpoint_or_page_changes_any_row() {
    crate::helpers::on_both(|app| async move {
        let _ = app::App;
        let mut gets: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
            .filter(|(_, m)| *m == Method::GET)
            .map(|(p, _)| p)
            .collect();
        gets.sort_unstable();
        gets.dedup();
        // Every record id the demo holds, so each reader finds something.
        let mut max_id = 0;
        for table in ["cases", "clients", "users"] {
            max_id = max_id.max(app.count(table).await);
        }
        // The other GET routes too: downloads, exports and the logo.
        let pages = |n: i64| {
            [
                format!("/cases/{n}"),
                format!("/clients/{n}"),
                format!("/case-managers/{n}"),
                format!("/portal/harbour/clients/{n}"),
                format!("/documents/{n}/download"),
                format!("/reports/{n}/download"),
                format!("/reports/{n}/download?format=csv"),
            ]
        };
        let fixed = [
            "/",
            "/admin",
            "/settings",
            "/activity",
            "/messages",
            "/case-managers",
            "/clients",
            "/account",
            "/portal/harbour",
            "/portal/harbour/reports",
            "/cases/export.csv",
            "/activity/export.csv",
            "/portal/harbour/logo",
            "/password-reset",
        ];
        // One of each kind of user; the doctor and the practice case manager
        // are on the receiving side of new referrals (the reads that once
        // marked them Received).
        for email in [
            "okafor@riverside.example",
            "casey@riverside.example",
            "admin@riverside.example",
            "admin@harbour.example",
            "sam@harbour.example",
            "erin@northcounty.example",
        ] {
            let cookie = app.sign_in(email).await;
            let before = crate::helpers::contents(&app).await;
            let mut urls: Vec<String> = fixed.iter().map(|p| p.to_string()).collect();
            for n in 1..=max_id {
                let query = format!(
                    "id={n}&client_id={n}&case_id={n}&case_manager_id={n}&user_id={n}&slug=harbour"
                );
                urls.extend(gets.iter().map(|path| format!("{path}?{query}")));
                urls.extend(pages(n));
            }
            for url in urls {
                app.get(&url, Some(&cookie)).await;
            }
            let after = crate::helpers::contents(&app).await;
            for ((table, was), (_, is)) in before.iter().zip(&after) {
                assert_eq!(was, is, "reading as {email} changed rows of {table}");
            }
        }
        app
    })
    .await;
}
