use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use app::activity::ActivityAction;
use app::entities::session;

use crate::helpers::{PASSWORD, last_log, on_both};

#[tokio::test]
async fn signing_in_starts_a_hashed_server_side_session_and_logs_it() {
    on_both(|app| async move {
        let reply = app
            .post(
                "/api/auth/login",
                &[
                    ("email", "Ortiz@Riverside.example "),
                    ("password", PASSWORD),
                ],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let set_cookie = reply
            .headers
            .get(http::header::SET_COOKIE)
            .expect("cookie")
            .to_str()
            .expect("ascii");
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{set_cookie}"
        );
        let cookie = reply.session_cookie().expect("cookie");
        let token = cookie.split_once('=').expect("pair").1;
        // The table holds the token's hash, never the token.
        assert!(
            session::Entity::find_by_id(token.to_string())
                .one(&app.db)
                .await
                .expect("q")
                .is_none()
        );
        let hashed = app::auth::session::token_id(token);
        assert!(
            session::Entity::find_by_id(hashed)
                .one(&app.db)
                .await
                .expect("q")
                .is_some()
        );

        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::SignIn);
        assert!(log.actor_user_id.is_some());

        let me = app.get("/api/auth/me", Some(&cookie)).await;
        assert_eq!(me.status, StatusCode::OK);
        assert!(me.body.contains("Dr. Ana Ortiz"), "{}", me.body);
        app
    })
    .await;
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    on_both(|app| async move {
        let sessions_before = app.count("sessions").await;
        let unknown = app
            .post(
                "/api/auth/login",
                &[("email", "nobody@nowhere.example"), ("password", PASSWORD)],
                None,
            )
            .await;
        let wrong = app
            .post(
                "/api/auth/login",
                &[
                    ("email", "ortiz@riverside.example"),
                    ("password", "not it at all"),
                ],
                None,
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.status, unknown.status);
        assert_eq!(wrong.body, unknown.body);
        assert!(unknown.session_cookie().is_none() && wrong.session_cookie().is_none());
        assert_eq!(app.count("sessions").await, sessions_before);

        // The reason is kept for the admin, not told to the caller.
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::SignInFailed);
        assert!(log.detail.contains("wrong_password"), "{}", log.detail);
        app
    })
    .await;
}

#[tokio::test]
async fn signing_in_again_rotates_the_session_id() {
    on_both(|app| async move {
        let first = app.sign_in("casey@riverside.example").await;
        let reply = app
            .post(
                "/api/auth/login",
                &[("email", "casey@riverside.example"), ("password", PASSWORD)],
                Some(&first),
            )
            .await;
        let second = reply.session_cookie().expect("new cookie");
        assert_ne!(first, second);
        // The old session is gone: its cookie no longer identifies anyone.
        let me = app.get("/api/auth/me", Some(&first)).await;
        assert_eq!(me.body, "null");
        app
    })
    .await;
}

#[tokio::test]
async fn signing_out_destroys_the_session() {
    on_both(|app| async move {
        let cookie = app.sign_in("pat@riverside.example").await;
        let reply = app.post("/api/auth/logout", &[], Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(
            reply
                .headers
                .get(http::header::SET_COOKIE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("Max-Age=0"))
        );
        assert_eq!(app.get("/api/auth/me", Some(&cookie)).await.body, "null");
        assert_eq!(last_log(&app).await.action, ActivityAction::SignOut);
        app
    })
    .await;
}

/// The header's "Sign out" is a plain form (no script involved): the
/// browser posts it, wants a page back, and lands on the sign-in page,
/// signed out, even when the session had already run out.
#[tokio::test]
async fn the_sign_out_form_ends_the_session_and_goes_to_the_sign_in_page() {
    on_both(|app| async move {
        let plain_post = |cookie: &str| {
            http::Request::post("/api/auth/logout")
                .header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .header(
                    http::header::ACCEPT,
                    "text/html,application/xhtml+xml,*/*;q=0.8",
                )
                .header(http::header::REFERER, "http://localhost/cases/1")
                .header(http::header::COOKIE, cookie)
                .body(axum::body::Body::empty())
                .expect("request")
        };
        let cookie = app.sign_in("pat@riverside.example").await;
        for round in ["signed in", "already signed out"] {
            let reply = app.send(plain_post(&cookie)).await;
            assert_eq!(
                reply.status,
                StatusCode::SEE_OTHER,
                "{round}: {}",
                reply.body
            );
            assert_eq!(
                reply
                    .headers
                    .get(http::header::LOCATION)
                    .and_then(|v| v.to_str().ok()),
                Some("/login"),
                "{round}"
            );
            assert!(
                reply
                    .headers
                    .get(http::header::SET_COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("Max-Age=0")),
                "{round}"
            );
            assert_eq!(app.get("/api/auth/me", Some(&cookie)).await.body, "null");
        }
        // The sign-out is in the activity log.
        assert_eq!(last_log(&app).await.action, ActivityAction::SignOut);
        app
    })
    .await;
}

#[tokio::test]
async fn a_session_idle_past_the_organisation_timeout_ends() {
    on_both(|app| async move {
        let cookie = app.sign_in("ortiz@riverside.example").await;
        let token = cookie.split_once('=').expect("pair").1;
        let id = app::auth::session::token_id(token);
        // 31 minutes of silence against the default 30-minute timeout.
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::minutes(31)),
            )
            .filter(session::Column::Id.eq(id.clone()))
            .exec(&app.db)
            .await
            .expect("age session");
        assert_eq!(app.get("/api/auth/me", Some(&cookie)).await.body, "null");
        assert!(
            session::Entity::find_by_id(id)
                .one(&app.db)
                .await
                .expect("q")
                .is_none()
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in() {
    on_both(|app| async move {
        use app::entities::user;
        user::Entity::update_many()
            .col_expr(user::Column::Active, sea_orm::sea_query::Expr::value(false))
            .filter(user::Column::Email.eq("pat@riverside.example"))
            .exec(&app.db)
            .await
            .expect("deactivate");
        let reply = app
            .post(
                "/api/auth/login",
                &[("email", "pat@riverside.example"), ("password", PASSWORD)],
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(last_log(&app).await.detail.contains("account_inactive"));
        app
    })
    .await;
}

#[tokio::test]
async fn malformed_sign_in_input_is_a_clear_4xx() {
    on_both(|app| async move {
        let logs_before = app.count("activity_logs").await;
        let missing = app
            .post("/api/auth/login", &[("email", "x@y.example")], None)
            .await;
        assert!(
            missing.status.is_client_error(),
            "{} {}",
            missing.status,
            missing.body
        );
        let empty = app
            .post("/api/auth/login", &[("email", ""), ("password", "")], None)
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.body.contains("Enter your e-mail address."),
            "{}",
            empty.body
        );
        let huge = "a".repeat(100_000);
        let long = app
            .post(
                "/api/auth/login",
                &[("email", &huge), ("password", "x")],
                None,
            )
            .await;
        assert!(long.status.is_client_error());
        assert_eq!(app.count("activity_logs").await, logs_before);
        app
    })
    .await;
}

/// Run on its own (no cargo-leptos environment), the server still points
/// pages at the bundles cargo-leptos builds, so they hydrate.
#[tokio::test]
async fn pages_load_the_site_bundles_by_their_built_names() {
    let app = crate::helpers::TestApp::sqlite().await;
    let page = app.get("/login", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/pkg/caseport.js"), "{}", page.body);
    assert!(!page.body.contains("/pkg/.js"));
    app.teardown().await;
}

/// The bundles come compressed, may be kept, and cost a browser that
/// already holds the current one a 304 and no body.
#[tokio::test]
async fn bundles_are_compressed_and_revalidated() {
    use tower::ServiceExt;
    let app = crate::helpers::TestApp::sqlite().await;
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg");
    let wasm: Vec<u8> = (0..100_000u32)
        .flat_map(|n| (n % 97).to_le_bytes())
        .collect();
    std::fs::write(site.path().join("pkg/caseport.wasm"), &wasm).expect("write");
    let mut options = server::http::leptos_options();
    options.site_root = site.path().display().to_string().into();
    let router = server::http::router(
        app.ctx.clone(),
        options,
        server::http::client_ip::TrustedProxies::parse("10.0.0.1").expect("proxies"),
    );
    let get = |headers: Vec<(http::HeaderName, String)>| {
        let router = router.clone();
        async move {
            let mut req = http::Request::get("/pkg/caseport.wasm");
            for (name, value) in headers {
                req = req.header(name, value);
            }
            let res = router
                .oneshot(req.body(axum::body::Body::empty()).expect("request"))
                .await
                .expect("infallible");
            let (status, headers) = (res.status(), res.headers().clone());
            let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .expect("body");
            (status, headers, body.len())
        }
    };
    let (status, first, size) = get(vec![(http::header::ACCEPT_ENCODING, "gzip, br".into())]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        first.get("content-encoding").map(|v| v.to_str().ok()),
        Some(Some("br"))
    );
    assert_eq!(
        first.get("cache-control").map(|v| v.to_str().ok()),
        Some(Some("no-cache"))
    );
    assert!(size * 4 < wasm.len(), "{size} of {}", wasm.len());
    let modified = first
        .get("last-modified")
        .and_then(|v| v.to_str().ok())
        .expect("last-modified")
        .to_string();
    let (status, _, again) = get(vec![
        (http::header::ACCEPT_ENCODING, "gzip, br".into()),
        (http::header::IF_MODIFIED_SINCE, modified),
    ])
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(again, 0, "an unchanged bundle is sent again");
    app.teardown().await;
}
