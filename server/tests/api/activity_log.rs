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
