//! Password reset by e-mailed link, delivered over real SMTP to the sink.

use std::time::Duration;

use http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use app::activity::ActivityAction;
use app::entities::password_reset;

use crate::helpers::{PASSWORD, TestApp, last_log, on_both};
use crate::referrals::user_id;

const NEW_PASSWORD: &str = "quiet harbour lantern 7";

async fn ask(app: &TestApp, email: &str) -> crate::helpers::Reply {
    app.post("/api/auth/reset/request", &[("email", email)], None)
        .await
}

/// The number of mails to `email` in the sink.
fn mails_to(app: &TestApp, email: &str) -> usize {
    app.mail
        .messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains(email)))
        .count()
}

/// The token of the newest reset mail to `email`, waiting for it: the user's
/// own request mails after answering.
async fn reset_token(app: &TestApp, email: &str, nth: usize) -> String {
    for _ in 0..100 {
        let mails: Vec<_> = app
            .mail
            .messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.contains(email)))
            .collect();
        if mails.len() >= nth {
            let text = mails[nth - 1].text();
            let at = text.find("password-reset?token=").expect("a link") + 21;
            return text[at..at + 64].to_string();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no reset mail to {email}");
}

async fn reset(app: &TestApp, token: &str, password: &str) -> crate::helpers::Reply {
    app.post(
        "/api/auth/reset",
        &[
            ("token", token),
            ("password", password),
            ("confirm", password),
        ],
        None,
    )
    .await
}

async fn login(app: &TestApp, email: &str, password: &str) -> StatusCode {
    app.post(
        "/api/auth/login",
        &[("email", email), ("password", password)],
        None,
    )
    .await
    .status
}

#[tokio::test]
async fn a_user_resets_their_password_from_the_mailed_link_once() {
    on_both(|app| async move {
        let email = "ortiz@riverside.example";
        let old_session = app.sign_in(email).await;
        let r = ask(&app, email).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let token = reset_token(&app, email, 1).await;
        assert_eq!(
            last_log(&app).await.action,
            ActivityAction::PasswordResetRequested
        );

        // The page shows whose account it is; rules are enforced.
        let r = app
            .get(&format!("/api/auth/reset/check?token={token}"), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(email));
        let r = reset(&app, &token, "short").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(login(&app, email, PASSWORD).await, StatusCode::OK);

        let r = reset(&app, &token, NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::PasswordReset);
        assert_eq!(log.actor_user_id, Some(user_id(&app, email).await));
        // Every session ended, the old password is gone, the new one works.
        let r = app.get("/api/auth/me", Some(&old_session)).await;
        assert_eq!(r.body, "null", "{}", r.body);
        assert_eq!(login(&app, email, PASSWORD).await, StatusCode::UNAUTHORIZED);
        assert_eq!(login(&app, email, NEW_PASSWORD).await, StatusCode::OK);
        // One use only.
        let r = reset(&app, &token, "another fine password 9").await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.body.contains("not valid"), "{}", r.body);
        app
    })
    .await;
}

#[tokio::test]
async fn unknown_addresses_get_the_same_answer_and_no_mail() {
    on_both(|app| async move {
        let known = ask(&app, "okafor@riverside.example").await;
        let unknown = ask(&app, "nobody@nowhere.example").await;
        assert_eq!(known.status, unknown.status);
        assert_eq!(known.body, unknown.body);
        reset_token(&app, "okafor@riverside.example", 1).await;
        assert_eq!(mails_to(&app, "nobody@nowhere.example"), 0);
        // A second request within the minute sends nothing more.
        assert_eq!(
            ask(&app, "okafor@riverside.example").await.status,
            StatusCode::OK
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(mails_to(&app, "okafor@riverside.example"), 1);
        let r = ask(&app, "not an address").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        app
    })
    .await;
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    on_both(|app| async move {
        ask(&app, "chen@hillside.example").await;
        let token = reset_token(&app, "chen@hillside.example", 1).await;
        let row = password_reset::Entity::find()
            .filter(password_reset::Column::UserId.eq(user_id(&app, "chen@hillside.example").await))
            .one(&app.db)
            .await
            .expect("query")
            .expect("row");
        let mut row: password_reset::ActiveModel = row.into();
        row.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
        row.update(&app.db).await.expect("expire");
        let r = reset(&app, &token, NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(
            login(&app, "chen@hillside.example", PASSWORD).await,
            StatusCode::OK
        );
        app
    })
    .await;
}

#[tokio::test]
async fn an_agency_admin_sends_a_case_manager_a_reset_link() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let erin = user_id(&app, "erin@northcounty.example").await;
        let erin_session = app.sign_in("erin@northcounty.example").await;
        let r = app
            .post_json(
                "/api/auth/reset/send",
                json!({ "user_id": erin }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::PasswordResetSent);
        assert_eq!(
            log.actor_user_id,
            Some(user_id(&app, "admin@harbour.example").await)
        );
        assert_eq!(log.subject_id, Some(erin));
        let token = reset_token(&app, "erin@northcounty.example", 1).await;
        assert_eq!(
            reset(&app, &token, NEW_PASSWORD).await.status,
            StatusCode::OK
        );
        let r = app.get("/api/auth/me", Some(&erin_session)).await;
        assert_eq!(r.body, "null");
        assert_eq!(
            login(&app, "erin@northcounty.example", NEW_PASSWORD).await,
            StatusCode::OK
        );

        // Only an admin administers a colleague's account: staff find
        // nobody (the same rule as signing a user out everywhere), and
        // neither does another organisation's admin.
        let sam = app.sign_in("sam@harbour.example").await;
        let r = app
            .post_json(
                "/api/auth/reset/send",
                json!({ "user_id": erin }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let riley = app.sign_in("admin@riverside.example").await;
        let r = app
            .post_json(
                "/api/auth/reset/send",
                json!({ "user_id": erin }),
                Some(&riley),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(mails_to(&app, "erin@northcounty.example"), 1);
        app
    })
    .await;
}

/// Reset links of `user` that still work.
async fn live_links(app: &TestApp, user: i32) -> Vec<password_reset::Model> {
    password_reset::Entity::find()
        .filter(password_reset::Column::UserId.eq(user))
        .filter(password_reset::Column::ExpiresAt.gt(chrono::Utc::now()))
        .all(&app.db)
        .await
        .expect("q")
}

/// Shutting someone out ends the links already mailed to them: a reset
/// link sent before a case manager's access was revoked, or before a
/// doctor was deactivated, no longer changes the password.
#[tokio::test]
async fn revocation_and_deactivation_void_links_sent_before() {
    on_both(|app| async move {
        let harbour = app.sign_in("admin@harbour.example").await;
        let erin = user_id(&app, "erin@northcounty.example").await;
        let r = app
            .post_json(
                "/api/auth/reset/send",
                json!({ "user_id": erin }),
                Some(&harbour),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let token = reset_token(&app, "erin@northcounty.example", 1).await;
        let r = app
            .post_json(
                "/api/case-managers/access",
                json!({ "id": erin, "status": "Revoked", "reason": "Contract ended" }),
                Some(&harbour),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let used = reset(&app, &token, NEW_PASSWORD).await;
        assert_eq!(used.status, StatusCode::CONFLICT, "{}", used.body);
        let open = live_links(&app, erin).await;
        assert!(open.is_empty(), "a link outlived the revocation: {open:?}");

        let riverside = app.sign_in("admin@riverside.example").await;
        let okafor = user_id(&app, "okafor@riverside.example").await;
        let r = app
            .post_json(
                "/api/auth/reset/send",
                json!({ "user_id": okafor }),
                Some(&riverside),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let token = reset_token(&app, "okafor@riverside.example", 1).await;
        let r = app
            .post(
                "/api/admin/users/active",
                &[
                    ("user_id", okafor.to_string().as_str()),
                    ("active", "false"),
                ],
                Some(&riverside),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let open = live_links(&app, okafor).await;
        assert!(
            open.is_empty(),
            "a link outlived the deactivation: {open:?}"
        );
        assert_eq!(
            reset(&app, &token, NEW_PASSWORD).await.status,
            StatusCode::CONFLICT
        );
        app
    })
    .await;
}

/// The reply to a reset request never waits on the account's own work
/// (lookup, link, mail): with the database's write lock held elsewhere, a
/// known address is answered at once, like an unknown one, and the link
/// follows when the lock is free. Before, the known address waited for the
/// lock, and that wait told it apart.
#[tokio::test]
async fn a_reset_request_is_answered_before_any_account_work() {
    on_both(|app| async move {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let holder = app.db.begin().await.expect("begin");
        match app.db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                holder
                    .execute_unprepared("LOCK TABLE password_resets IN EXCLUSIVE MODE")
                    .await
                    .expect("lock");
            }
            _ => {
                // Taking SQLite's write lock: any write does.
                holder
                    .execute_unprepared("UPDATE organisations SET name = name")
                    .await
                    .expect("lock");
            }
        }
        let answered = tokio::time::timeout(
            Duration::from_secs(2),
            ask(&app, "okafor@riverside.example"),
        )
        .await
        .expect("the reply waited for the account's work");
        assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
        holder.rollback().await.expect("release");
        reset_token(&app, "okafor@riverside.example", 1).await;
        app
    })
    .await;
}
