//! Practice administration: adding people, the Case Manager role,
//! deactivation — each logged with before and after values.

use http::StatusCode;
use serde_json::Value;

use app::activity::ActivityAction;

use crate::helpers::{PASSWORD, last_log, on_both};
use crate::referrals::user_id;

#[tokio::test]
async fn granting_the_case_manager_role_opens_the_practice_cases_and_is_logged() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@riverside.example").await;
        let pat = user_id(&app, "pat@riverside.example").await;
        let pat_cookie = app.sign_in("pat@riverside.example").await;
        let list = || async {
            app.post_json(
                "/api/cases/list",
                serde_json::json!({ "filter": {} }),
                Some(&pat_cookie),
            )
            .await
            .body
        };
        assert!(!list().await.contains("Tom Becker"));

        let r = app
            .post(
                "/api/admin/users/case-manager",
                &[("user_id", &pat.to_string()), ("grant", "true")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::UserRoleChanged);
        let detail: Value = serde_json::from_str(&log.detail).expect("json");
        assert_eq!(detail["before"]["role"], "Staff");
        assert_eq!(detail["after"]["role"], "Case manager");
        assert!(
            list().await.contains("Tom Becker"),
            "Pat now sees the practice's cases"
        );

        let r = app
            .post(
                "/api/admin/users/case-manager",
                &[("user_id", &pat.to_string()), ("grant", "false")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!list().await.contains("Tom Becker"));
        app
    })
    .await;
}

#[tokio::test]
async fn only_the_practices_own_admin_changes_roles() {
    on_both(|app| async move {
        let pat = user_id(&app, "pat@riverside.example").await;
        for who in [
            "admin@hillside.example",
            "casey@riverside.example",
            "ortiz@riverside.example",
        ] {
            let cookie = app.sign_in(who).await;
            let logs = app.count("activity_logs").await;
            let r = app
                .post(
                    "/api/admin/users/case-manager",
                    &[("user_id", &pat.to_string()), ("grant", "true")],
                    Some(&cookie),
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who}");
            assert_eq!(app.count("activity_logs").await, logs);
        }
        app
    })
    .await;
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_at_once() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@riverside.example").await;
        let ortiz_cookie = app.sign_in("ortiz@riverside.example").await;
        let ortiz = user_id(&app, "ortiz@riverside.example").await;
        let r = app
            .post(
                "/api/admin/users/active",
                &[("user_id", &ortiz.to_string()), ("active", "false")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.get("/api/auth/me", Some(&ortiz_cookie)).await.body,
            "null"
        );
        let again = app
            .post(
                "/api/auth/login",
                &[("email", "ortiz@riverside.example"), ("password", PASSWORD)],
                None,
            )
            .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        assert_eq!(last_log(&app).await.action, ActivityAction::SignInFailed);
        app
    })
    .await;
}

#[tokio::test]
async fn a_new_person_must_choose_a_password_before_anything_else() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@riverside.example").await;
        let weak = app
            .post(
                "/api/admin/users/add",
                &[
                    ("name", "Dr. New"),
                    ("email", "new@riverside.example"),
                    ("role", "doctor"),
                    ("specialty", "Dermatology"),
                    ("initial_password", "short"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let users = app.count("users").await;
        let ok = app
            .post(
                "/api/admin/users/add",
                &[
                    ("name", "Dr. New"),
                    ("email", "new@riverside.example"),
                    ("role", "doctor"),
                    ("specialty", "Dermatology"),
                    ("initial_password", "temporary-start-9"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(app.count("users").await, users + 1);
        let dup = app
            .post(
                "/api/admin/users/add",
                &[
                    ("name", "Dr. Copy"),
                    ("email", "NEW@riverside.example"),
                    ("role", "staff"),
                    ("specialty", ""),
                    ("initial_password", "temporary-start-9"),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", dup.body);

        let reply = app
            .post(
                "/api/auth/login",
                &[
                    ("email", "new@riverside.example"),
                    ("password", "temporary-start-9"),
                ],
                None,
            )
            .await;
        let cookie = reply.session_cookie().expect("cookie");
        let blocked = app
            .post_json(
                "/api/cases/list",
                serde_json::json!({ "filter": {} }),
                Some(&cookie),
            )
            .await;
        assert_eq!(blocked.status, StatusCode::FORBIDDEN);
        assert!(blocked.body.contains("PasswordChangeRequired"));
        let changed = app
            .post(
                "/api/auth/change-password",
                &[
                    ("current", "temporary-start-9"),
                    ("new", "my own long secret"),
                    ("confirm", "my own long secret"),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        let open = app
            .post_json(
                "/api/cases/list",
                serde_json::json!({ "filter": {} }),
                Some(&cookie),
            )
            .await;
        assert_eq!(open.status, StatusCode::OK);
        // The new doctor is in the directory for other practices.
        let chen = app.sign_in("chen@hillside.example").await;
        let dir = app.get("/api/doctors/directory?q=new", Some(&chen)).await;
        assert!(
            dir.body.contains("Dermatology") && dir.body.contains("Riverside Family Practice"),
            "{}",
            dir.body
        );
        app
    })
    .await;
}
