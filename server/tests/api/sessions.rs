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
