//! The activity log is append-only and tamper-evident; sign-in is
//! throttled without locking anyone out for good.

use http::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryOrder};

use app::activity::service::verify_chain;
use app::entities::{activity_log, login_throttle};

use crate::helpers::{PASSWORD, TestApp, on_both};

async fn exec(app: &TestApp, sql: &str) -> Result<(), sea_orm::DbErr> {
    app.db.execute_unprepared(sql).await.map(|_| ())
}

#[tokio::test]
async fn the_log_refuses_changes_and_a_tampered_row_breaks_the_chain() {
    on_both(|app| async move {
        app.sign_in("casey@riverside.example").await;
        let report = verify_chain(&app.db).await.expect("verify");
        assert!(report.rows > 10, "{report:?}");
        assert_eq!(report.first_broken, None);

        // The database itself refuses to change or remove log rows.
        assert!(
            exec(&app, "UPDATE activity_logs SET detail = '{}'")
                .await
                .is_err()
        );
        assert!(exec(&app, "DELETE FROM activity_logs").await.is_err());

        // Someone with the power to bypass that is still caught.
        let target = activity_log::Entity::find()
            .order_by_asc(activity_log::Column::Id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("row")
            .id
            + 3;
        let (off, on) = match app.db.get_database_backend() {
            DbBackend::Postgres => (
                "ALTER TABLE activity_logs DISABLE TRIGGER activity_logs_append_only".to_string(),
                "ALTER TABLE activity_logs ENABLE TRIGGER activity_logs_append_only".to_string(),
            ),
            _ => (
                "DROP TRIGGER activity_logs_no_update".to_string(),
                String::new(),
            ),
        };
        exec(&app, &off).await.expect("bypass");
        exec(
            &app,
            &format!("UPDATE activity_logs SET ip = '10.0.0.1' WHERE id = {target}"),
        )
        .await
        .expect("tamper");
        if !on.is_empty() {
            exec(&app, &on).await.expect("restore");
        }
        let report = verify_chain(&app.db).await.expect("verify");
        assert_eq!(report.first_broken, Some(target));
        app
    })
    .await;
}

async fn login(app: &TestApp, email: &str, password: &str) -> crate::helpers::Reply {
    app.post(
        "/api/auth/login",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

#[tokio::test]
async fn repeated_failures_slow_sign_in_down_for_known_and_unknown_accounts_alike() {
    on_both(|app| async move {
        for _ in 0..4 {
            assert_eq!(
                login(&app, "casey@riverside.example", "wrong password!")
                    .await
                    .status,
                StatusCode::UNAUTHORIZED
            );
            assert_eq!(
                login(&app, "ghost@riverside.example", "wrong password!")
                    .await
                    .status,
                StatusCode::UNAUTHORIZED
            );
        }
        // Now even the right password waits, and the answer is the same
        // for an account that does not exist.
        let known = login(&app, "casey@riverside.example", PASSWORD).await;
        let unknown = login(&app, "ghost@riverside.example", PASSWORD).await;
        assert_eq!(known.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(unknown.status, known.status);
        assert_eq!(unknown.body, known.body);
        assert!(known.body.contains("TooManyRequests"), "{}", known.body);
        assert!(known.session_cookie().is_none());

        // The delay runs out; then the right password works and clears the count.
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::LockedUntil,
                sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
            )
            .exec(&app.db)
            .await
            .expect("expire");
        let ok = login(&app, "casey@riverside.example", PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(
            login_throttle::Entity::find_by_id("email:casey@riverside.example".to_string())
                .one(&app.db)
                .await
                .expect("q")
                .is_none()
        );
        app
    })
    .await;
}
