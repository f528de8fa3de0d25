//! The activity log as admins read it: the troubleshooting answers are
//! there, pages do not overlap, and nobody reads another organisation's.

use std::collections::BTreeSet;

use http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, on_both};
use crate::referrals::user_id;

async fn page(
    app: &TestApp,
    cookie: &str,
    action: &str,
    text: &str,
    before: Option<i64>,
) -> (StatusCode, Value) {
    let mut url = format!(
        "/api/activity?action={}&text={}",
        crate::helpers::urlencode(action),
        crate::helpers::urlencode(text)
    );
    if let Some(b) = before {
        url.push_str(&format!("&before={b}"));
    }
    let r = app.get(&url, Some(cookie)).await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn an_admin_sees_why_a_case_manager_could_not_sign_in() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let erin = user_id(&app, "erin@northcounty.example").await;
        // A wrong password, then a suspension and a right password.
        app.post(
            "/api/auth/login",
            &[
                ("email", "erin@northcounty.example"),
                ("password", "wrong-password-1"),
            ],
            None,
        )
        .await;
        let r = app
            .post_json(
                "/api/case-managers/access",
                json!({ "id": erin, "status": "Suspended", "reason": "" }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        app.post(
            "/api/auth/login",
            &[
                ("email", "erin@northcounty.example"),
                ("password", crate::helpers::PASSWORD),
            ],
            None,
        )
        .await;

        let (status, p) = page(&app, &admin, "SignInFailed", "erin@northcounty", None).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        let details: Vec<String> = p["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r["detail"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(details.len(), 2, "{details:?}");
        assert!(details[0].contains("access_suspended"), "{details:?}");
        assert!(details[1].contains("\"wrong_password\""), "{details:?}");

        // A bad action is a clear error, not an empty page.
        let (status, _) = page(&app, &admin, "Nonsense", "", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // Other organisations and non-admins read nothing.
        let riley = app.sign_in("admin@riverside.example").await;
        let (status, p) = page(&app, &riley, "", "erin", None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!p.to_string().contains("northcounty"), "{p}");
        let sam = app.sign_in("sam@harbour.example").await;
        let (status, _) = page(&app, &sam, "", "", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn pages_go_back_in_time_without_overlap() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let erin = app.sign_in("erin@northcounty.example").await;
        // Enough page views for two pages.
        let alice = crate::portal_leaks::client_id(&app, "Alice Brown").await;
        for _ in 0..60 {
            let r = app
                .get(
                    &format!("/api/portal/client?client_id={alice}"),
                    Some(&erin),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let (_, first) = page(&app, &admin, "PageViewed", "", None).await;
        let rows = first["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 50);
        let before = first["next_before"].as_i64().expect("a next page");
        let (_, second) = page(&app, &admin, "PageViewed", "", Some(before)).await;
        let ids = |p: &Value| -> BTreeSet<i64> {
            p["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .filter_map(|r| r["id"].as_i64())
                .collect()
        };
        let (a, b) = (ids(&first), ids(&second));
        assert!(!b.is_empty());
        assert!(a.is_disjoint(&b));
        assert!(b.iter().max() < a.iter().min());
        app
    })
    .await;
}

#[tokio::test]
async fn a_date_range_narrows_the_log_and_the_csv_holds_the_same_rows() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        app.sign_in("sam@harbour.example").await;
        // The log is append-only, so every row here is from today: a range
        // ending yesterday or starting tomorrow holds none of them. Days
        // are Harbour's (Chicago's).
        let today = crate::helpers::harbour_zone().date_of(chrono::Utc::now());
        let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
        let count = |from: String, to: String| {
            let (app, admin) = (&app, &admin);
            async move {
                let url = format!("/api/activity?action=SignIn&text=sam&from={from}&to={to}");
                let r = app.get(&url, Some(admin)).await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                let v: Value = serde_json::from_str(&r.body).expect("json");
                v["rows"].as_array().map(Vec::len).unwrap_or(0)
            }
        };
        assert_eq!(count(day(0), day(0)).await, 1);
        assert_eq!(count(day(-3), day(-1)).await, 0);
        assert_eq!(count(day(1), String::new()).await, 0);
        assert_eq!(count(String::new(), day(0)).await, 1);

        let csv = app
            .get(
                &format!(
                    "/activity/export.csv?action=SignIn&q=sam&from={}&to={}",
                    day(0),
                    day(0)
                ),
                Some(&admin),
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(lines[0], "id,when,who,action,subject,detail,ip");
        assert_eq!(lines.len(), 2, "{}", csv.body);
        assert!(lines[1].contains("Sam Scheduler") && lines[1].contains("Signed in"));
        // The export is itself in the log.
        let (_, exported) = page(&app, &admin, "ActivityExported", "", None).await;
        assert_eq!(exported["rows"].as_array().map(Vec::len), Some(1));

        // A reversed range is refused with a reason; staff cannot export.
        let r = app
            .get(
                "/api/activity?action=&text=&from=2026-02-01&to=2026-01-01",
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("before the start"), "{}", r.body);
        let sam = app.sign_in("sam@harbour.example").await;
        let r = app.get("/activity/export.csv?action=&q=", Some(&sam)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn staff_reading_a_client_record_is_in_the_log() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let alice = crate::portal::client_id(&app, "Alice Brown").await;
        let r = app
            .get(
                &format!("/api/agency/clients/profile?id={alice}"),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = crate::helpers::last_log(&app).await;
        assert_eq!(log.action, app::activity::ActivityAction::PageViewed);
        assert_eq!(
            log.actor_user_id,
            Some(user_id(&app, "sam@harbour.example").await)
        );
        assert_eq!(log.subject_id, Some(alice));
        let detail: Value = serde_json::from_str(&log.detail).expect("json");
        assert_eq!(detail["client_name"], "Alice Brown");
        app
    })
    .await;
}

/// A practice admin may not see cases, so the log they read (page, search
/// and CSV) says which case fields changed and who changed them, never the
/// clinical text; the case's own history, for its participants, still
/// tells what happened.
#[tokio::test]
async fn clinical_text_never_reaches_the_admins_log() {
    on_both(|app| async move {
        let casey = app.sign_in("casey@riverside.example").await;
        let maria = crate::referrals::case_of(&app, "Maria Gonzalez").await;
        let r = app
            .post_json(
                "/api/cases/modify",
                json!({ "id": maria.id, "version": maria.version, "changes": {
                    "patient_contact": "555-0199 zebracontact", "reason": "zebrareason relapse",
                    "urgency": "Emergency", "notes": "zebranote HIV positive" } }),
                Some(&casey),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let jonas = crate::referrals::case_of(&app, "Jonas Weber").await;
        let r = app
            .post_json(
                "/api/cases/transition",
                json!({ "id": jonas.id, "version": jonas.version, "transition": "Reject",
                        "reason": "Other", "note": "zebrarejection pregnant" }),
                Some(&casey),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let admin = app.sign_in("admin@riverside.example").await;
        let (status, p) = page(&app, &admin, "", "", None).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        let text = p.to_string();
        assert!(
            !text.contains("zebra"),
            "clinical text in the admin's log: {text}"
        );
        assert!(
            text.contains("patient_contact") && text.contains("notes"),
            "{text}"
        );
        let (_, found) = page(&app, &admin, "", "zebra", None).await;
        assert_eq!(found["rows"].as_array().map(Vec::len), Some(0), "{found}");
        let csv = app
            .get("/activity/export.csv?action=&q=", Some(&admin))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            !csv.body.contains("zebra"),
            "clinical text in the CSV: {}",
            csv.body
        );

        // The case's participants still see what was done, by whom.
        let seen = app
            .get(&format!("/api/cases/get?id={}", maria.id), Some(&casey))
            .await;
        assert!(
            seen.body
                .contains("Modified (reason, urgency, patient_contact, notes)"),
            "{}",
            seen.body
        );
        app
    })
    .await;
}
