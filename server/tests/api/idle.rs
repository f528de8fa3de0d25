//! Automatic log-off: polling does not keep a session alive, the user's
//! own keep-alive does, and a timed-out session ends with a log row.

use chrono::{Duration, Utc};
use http::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use app::entities::{activity_log, organisation, session, user};

use crate::helpers::{TestApp, on_both};

async fn erin(app: &TestApp) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Email.eq("erin@northcounty.example"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("erin")
}

/// Sets the agency's idle timeout and how long ago Erin's session last
/// saw her.
async fn idle_for(app: &TestApp, timeout_minutes: i32, seconds_ago: i64) {
    let erin = erin(app).await;
    organisation::Entity::update_many()
        .col_expr(
            organisation::Column::IdleTimeoutMinutes,
            Expr::value(timeout_minutes),
        )
        .filter(organisation::Column::Id.eq(erin.organisation_id))
        .exec(&app.db)
        .await
        .expect("timeout");
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            Expr::value(Utc::now() - Duration::seconds(seconds_ago)),
        )
        .filter(session::Column::UserId.eq(erin.id))
        .exec(&app.db)
        .await
        .expect("last seen");
}

async fn seconds_since_seen(app: &TestApp) -> i64 {
    let s = session::Entity::find()
        .filter(session::Column::UserId.eq(erin(app).await.id))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a session");
    (Utc::now() - s.last_seen_at).num_seconds()
}

async fn left(app: &TestApp, cookie: &str) -> i64 {
    let r = app.get("/api/auth/idle", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body.trim().parse().expect("seconds")
}

async fn timeouts(app: &TestApp, noticed_by: &str) -> usize {
    activity_log::Entity::find()
        .filter(activity_log::Column::Action.eq("session_timed_out"))
        .filter(activity_log::Column::ActorUserId.eq(erin(app).await.id))
        .all(&app.db)
        .await
        .expect("log")
        .iter()
        .filter(|r| r.detail.contains(noticed_by))
        .count()
}

#[tokio::test]
async fn polling_does_not_keep_a_session_alive_but_the_user_does() {
    on_both(|app| async move {
        let cookie = app.sign_in("erin@northcounty.example").await;
        idle_for(&app, 5, 4 * 60).await;
        // Background requests answer, and leave the idle clock alone.
        let r = app.get("/api/messages/unread", Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(seconds_since_seen(&app).await >= 4 * 60);
        let l = left(&app, &cookie).await;
        assert!((50..=60).contains(&l), "{l} seconds left");

        // The user's keep-alive restarts it.
        let r = app.post("/api/auth/keep-alive", &[], Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body.trim(), "5");
        assert!(seconds_since_seen(&app).await <= 2);
        assert!(left(&app, &cookie).await >= 295);

        // Past the timeout, the next request finds the session gone, and
        // the log says so once.
        idle_for(&app, 5, 5 * 60 + 5).await;
        let me = app.get("/api/auth/me", Some(&cookie)).await;
        assert_eq!(me.body.trim(), "null", "signed out: {}", me.body);
        let again = app.get("/api/auth/me", Some(&cookie)).await;
        assert_eq!(again.body.trim(), "null");
        assert_eq!(timeouts(&app, "server").await, 1);
        let r = app.post("/api/auth/keep-alive", &[], Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

/// The header's notification centre asks every few seconds on every
/// practice page: that must not keep a doctor's idle session alive either.
#[tokio::test]
async fn the_notification_centre_polling_leaves_the_idle_clock_alone() {
    on_both(|app| async move {
        let cookie = app.sign_in("ortiz@riverside.example").await;
        let ortiz = crate::referrals::user_id(&app, "ortiz@riverside.example").await;
        let four_minutes_ago = Utc::now() - Duration::seconds(4 * 60);
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(four_minutes_ago))
            .filter(session::Column::UserId.eq(ortiz))
            .exec(&app.db)
            .await
            .expect("last seen");
        let r = app.get("/api/notifications/list", Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let s = session::Entity::find()
            .filter(session::Column::UserId.eq(ortiz))
            .one(&app.db)
            .await
            .expect("query")
            .expect("a session");
        assert!((Utc::now() - s.last_seen_at).num_seconds() >= 4 * 60);
        app
    })
    .await;
}

#[tokio::test]
async fn the_page_ends_an_idle_session_and_it_is_logged() {
    on_both(|app| async move {
        let cookie = app.sign_in("erin@northcounty.example").await;
        let r = app
            .post("/api/auth/idle-sign-out", &[], Some(&cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(timeouts(&app, "browser").await, 1);
        let me = app.get("/api/auth/me", Some(&cookie)).await;
        assert_eq!(me.body.trim(), "null");
        // Signed out already: nothing more to end or log.
        let r = app
            .post("/api/auth/idle-sign-out", &[], Some(&cookie))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(timeouts(&app, "browser").await, 1);
        app
    })
    .await;
}
