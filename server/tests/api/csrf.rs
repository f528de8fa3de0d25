use axum::body::Body;
use http::{Request, StatusCode, header};

use crate::helpers::{PASSWORD, TestApp, on_both, urlencode};

fn login_request(extra: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000");
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let body = format!(
        "email={}&password={}",
        urlencode("ortiz@riverside.example"),
        urlencode(PASSWORD)
    );
    req.body(Body::from(body)).expect("request")
}

#[tokio::test]
async fn cross_site_state_changes_are_refused_before_they_run() {
    on_both(|app: TestApp| async move {
        let logs = app.count("activity_logs").await;
        let sessions = app.count("sessions").await;

        let cross = app
            .send(login_request(&[("sec-fetch-site", "cross-site")]))
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        let sibling = app
            .send(login_request(&[("sec-fetch-site", "same-site")]))
            .await;
        assert_eq!(sibling.status, StatusCode::FORBIDDEN);
        let foreign_origin = app
            .send(login_request(&[("origin", "https://evil.example")]))
            .await;
        assert_eq!(foreign_origin.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("activity_logs").await, logs);
        assert_eq!(app.count("sessions").await, sessions);

        let same = app
            .send(login_request(&[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:3000"),
            ]))
            .await;
        assert_eq!(same.status, StatusCode::OK, "{}", same.body);
        app
    })
    .await;
}

#[tokio::test]
async fn responses_carry_security_headers_and_are_not_cached() {
    on_both(|app: TestApp| async move {
        let page = app.get("/login", None).await;
        assert_eq!(page.status, StatusCode::OK);
        let h = |name: &str| {
            page.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(h("cache-control"), "no-store");
        assert_eq!(h("x-content-type-options"), "nosniff");
        // The bundles may be kept, but are checked again on every use.
        let bundle = app.get("/pkg/caseport.wasm", None).await;
        assert_eq!(
            bundle
                .headers
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-cache")
        );
        assert!(h("content-security-policy").contains("object-src 'none'"));
        assert!(h("content-security-policy").contains("base-uri 'none'"));
        assert!(
            !h("x-request-id").is_empty(),
            "every response names its request id"
        );
        app
    })
    .await;
}
