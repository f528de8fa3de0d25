//! Users see where they are signed in and can end their other sessions —
//! only their own.

use http::StatusCode;
use serde_json::Value;

use crate::helpers::on_both;

#[tokio::test]
async fn a_user_ends_their_other_sessions_and_nobody_elses() {
    on_both(|app| async move {
        let laptop = app.sign_in("ortiz@riverside.example").await;
        let phone = app.sign_in("ortiz@riverside.example").await;
        let other_user = app.sign_in("chen@hillside.example").await;

        let list: Value =
            serde_json::from_str(&app.get("/api/auth/sessions", Some(&laptop)).await.body)
                .expect("json");
        let list = list.as_array().expect("array").clone();
        assert_eq!(list.len(), 2);
        assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);

        // Dr. Chen's session id is not Dr. Ortiz's to end.
        let chen_sessions: Value =
            serde_json::from_str(&app.get("/api/auth/sessions", Some(&other_user)).await.body)
                .expect("json");
        let chen_id = chen_sessions[0]["id"].as_str().expect("id").to_string();
        let refused = app
            .post("/api/auth/sessions/end", &[("id", &chen_id)], Some(&laptop))
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_ne!(
            app.get("/api/auth/me", Some(&other_user)).await.body,
            "null"
        );

        // Ending the others leaves this one working and the phone signed out.
        let ended = app.post("/api/auth/sessions/end", &[], Some(&laptop)).await;
        assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
        assert_eq!(ended.body, "1");
        assert_eq!(app.get("/api/auth/me", Some(&phone)).await.body, "null");
        assert_ne!(app.get("/api/auth/me", Some(&laptop)).await.body, "null");
        app
    })
    .await;
}

#[tokio::test]
async fn an_admin_signs_a_user_of_their_organisation_out_everywhere() {
    on_both(|app| async move {
        let laptop = app.sign_in("ortiz@riverside.example").await;
        let phone = app.sign_in("ortiz@riverside.example").await;
        let ortiz = crate::referrals::user_id(&app, "ortiz@riverside.example").await;
        let body = serde_json::json!({ "user_id": ortiz });
        let signed_in = |cookie: String| {
            let app = &app;
            async move { app.get("/api/auth/me", Some(&cookie)).await.body != "null" }
        };

        // Not another organisation's admin, and not a colleague.
        for (who, expected) in [
            ("admin@hillside.example", StatusCode::NOT_FOUND),
            ("casey@riverside.example", StatusCode::NOT_FOUND),
        ] {
            let cookie = app.sign_in(who).await;
            let r = app
                .post_json(
                    "/api/auth/sessions/end-for-user",
                    body.clone(),
                    Some(&cookie),
                )
                .await;
            assert_eq!(r.status, expected, "{who}: {}", r.body);
        }
        assert!(signed_in(laptop.clone()).await && signed_in(phone.clone()).await);

        let admin = app.sign_in("admin@riverside.example").await;
        let r = app
            .post_json("/api/auth/sessions/end-for-user", body, Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body, "2");
        assert!(!signed_in(laptop).await && !signed_in(phone).await);
        let log = crate::helpers::last_log(&app).await;
        assert_eq!(log.action, app::activity::ActivityAction::SessionsEnded);
        assert_eq!(log.subject_id, Some(ortiz));
        assert_eq!(
            log.actor_user_id,
            Some(crate::referrals::user_id(&app, "admin@riverside.example").await)
        );
        // Still active: the password signs in again.
        app.sign_in("ortiz@riverside.example").await;
        app
    })
    .await;
}
