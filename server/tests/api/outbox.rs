//! The durable mail outbox: mail is queued with the change it tells of and
//! sent after the commit, over real SMTP; a mail server that is down means
//! retries and then a visible failure, never a lost or doubled message.

use std::sync::Arc;

use http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use app::entities::{invitation, mail_outbox};
use app::mail::Mailer;
use app::mail::outbox::{MAX_ATTEMPTS, deliver_due};

use crate::helpers::{TestApp, on_both};

/// A mailer whose server refuses every connection (nothing listens on
/// port 9 of loopback).
fn unreachable_mailer() -> Arc<dyn Mailer> {
    Arc::new(
        server::mail::SmtpMailer::new(
            "smtp://127.0.0.1:9",
            "Caseport <no-reply@caseport.test>".parse().expect("from"),
        )
        .expect("mailer"),
    )
}

/// The app's router with the mail server down.
fn router_without_mail(app: &TestApp, files: &tempfile::TempDir) -> axum::Router {
    let ctx = app::server_context::ServerContext {
        db: app.db.clone(),
        config: Arc::new(app::server_context::RuntimeConfig {
            secure_cookies: false,
            session_absolute_hours: 12,
            public_url: "http://caseport.test".into(),
            metrics_token_sha256: None,
        }),
        mailer: unreachable_mailer(),
        storage: app::storage::Storage::local(files.path(), 1024 * 1024).expect("storage"),
    };
    let proxies = server::http::client_ip::TrustedProxies::default();
    server::http::router(ctx, server::http::leptos_options(), proxies)
}

async fn queued(app: &TestApp) -> Vec<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .all(&app.db)
        .await
        .expect("outbox")
}

/// With the mail server down, an invitation is still made and its mail
/// waits in the outbox; retries back off, then the message is marked
/// failed and kept. Before the outbox the invitation failed outright (the
/// mail was sent inside the write transaction).
#[tokio::test]
async fn a_mail_server_outage_delays_mail_and_loses_none() {
    on_both(|app| async move {
        let files = tempfile::tempdir().expect("tempdir");
        let down = router_without_mail(&app, &files);
        let admin = app.sign_in("admin@harbour.example").await;
        let frank = crate::referrals::user_id(&app, "frank@northcounty.example").await;
        let before = queued(&app).await.len();
        let req = http::Request::post("/api/case-managers/invite")
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::COOKIE, &admin)
            .body(axum::body::Body::from(
                json!({ "id": frank, "message": "" }).to_string(),
            ))
            .expect("request");
        let res = tower::ServiceExt::oneshot(down, req).await.expect("answer");
        assert_eq!(res.status(), StatusCode::OK);
        let open = invitation::Entity::find()
            .filter(invitation::Column::CaseManagerUserId.eq(frank))
            .filter(invitation::Column::VoidedAt.is_null())
            .filter(invitation::Column::UsedAt.is_null())
            .all(&app.db)
            .await
            .expect("q");
        assert_eq!(open.len(), 1, "the invitation was made");
        let rows = queued(&app).await;
        assert_eq!(rows.len(), before + 1);
        let row = rows.last().expect("queued").clone();
        assert!(row.to_address.contains("frank@northcounty.example"));
        assert_eq!(row.sent_at, None);
        assert_eq!(row.attempts, 1, "tried once, right after the commit");
        assert!(
            row.next_attempt_at > chrono::Utc::now(),
            "a retry is scheduled"
        );

        // Each pass that finds it due tries once more, until the last.
        let mailer = unreachable_mailer();
        for _ in 1..MAX_ATTEMPTS {
            let mut am: mail_outbox::ActiveModel = mail_outbox::Entity::find_by_id(row.id)
                .one(&app.db)
                .await
                .expect("q")
                .expect("row")
                .into();
            am.next_attempt_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
            am.update(&app.db).await.expect("due now");
            deliver_due(&app.db, mailer.as_ref(), chrono::Utc::now())
                .await
                .expect("pass");
        }
        let last = mail_outbox::Entity::find_by_id(row.id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("kept");
        assert_eq!(last.attempts, MAX_ATTEMPTS);
        assert!(last.failed_at.is_some(), "marked failed after the last try");
        assert!(last.last_error.is_some());
        assert_eq!(last.sent_at, None);
        // A failed message is not retried again by a later pass.
        let again = deliver_due(&app.db, mailer.as_ref(), chrono::Utc::now())
            .await
            .expect("pass");
        assert_eq!(again, Default::default());
        app
    })
    .await;
}

/// Two senders racing over the same queue deliver each message once.
#[tokio::test]
async fn two_senders_send_each_message_once() {
    on_both(|app| async move {
        let before = app.mail.messages().len();
        for i in 0..12 {
            app::mail::outbox::enqueue(
                &app.db,
                &app::mail::OutgoingMail {
                    to_name: format!("Reader {i}"),
                    to: format!("reader{i}@example.org"),
                    subject: format!("Message {i}"),
                    text: "Hello".into(),
                },
            )
            .await
            .expect("queued");
        }
        let now = chrono::Utc::now();
        let (a, b) = tokio::join!(
            deliver_due(&app.db, app.mailer.as_ref(), now),
            deliver_due(&app.db, app.mailer.as_ref(), now)
        );
        let (a, b) = (a.expect("first sender"), b.expect("second sender"));
        assert_eq!(a.sent + b.sent, 12, "{a:?} {b:?}");
        let mails = app.mail.messages();
        assert_eq!(mails.len() - before, 12);
        for i in 0..12 {
            let to = format!("reader{i}@example.org");
            assert_eq!(
                mails
                    .iter()
                    .filter(|m| m.to.iter().any(|t| t.contains(&to)))
                    .count(),
                1,
                "{to}"
            );
        }
        assert!(queued(&app).await.iter().all(|r| r.sent_at.is_some()));
        app
    })
    .await;
}
