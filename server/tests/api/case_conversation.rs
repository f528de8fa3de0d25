//! A case's conversation, internal notes and attachments through the real
//! endpoints: who reads what, who may write, what is told and logged.

use axum::body::Body;
use http::{Request, StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::activity::ActivityAction;
use app::entities::{activity_log, case_attachment, notification};
use app::notifications::NotificationKind;

use crate::helpers::{Reply, TestApp, on_both};
use crate::portal::multipart;
use crate::referrals::{case_of, user_id};

async fn thread(app: &TestApp, cookie: &str, case_id: i32) -> (StatusCode, Value) {
    let r = app
        .get(
            &format!("/api/cases/conversation?id={case_id}"),
            Some(cookie),
        )
        .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn write(app: &TestApp, cookie: &str, case_id: i32, body: &str, internal: bool) -> Reply {
    app.post_json(
        "/api/cases/post",
        json!({ "id": case_id, "body": body, "internal": internal }),
        Some(cookie),
    )
    .await
}

fn bodies(thread: &Value) -> Vec<String> {
    thread["posts"]
        .as_array()
        .map(|posts| {
            posts
                .iter()
                .map(|p| p["body"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn attach(app: &TestApp, cookie: &str, case_id: i32, file: (&str, &[u8])) -> Reply {
    let (ct, body) = multipart(&[], file);
    app.send(
        Request::post(format!("/cases/{case_id}/attachments"))
            .header(header::CONTENT_TYPE, ct)
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

async fn notes_of(app: &TestApp, kind: NotificationKind, case_id: i32) -> Vec<i32> {
    let mut who: Vec<i32> = notification::Entity::find()
        .filter(notification::Column::Kind.eq(kind))
        .filter(notification::Column::CaseId.eq(case_id))
        .all(&app.db)
        .await
        .expect("notifications")
        .into_iter()
        .map(|n| n.user_id)
        .collect();
    who.sort_unstable();
    who
}

#[tokio::test]
async fn an_internal_note_stays_within_its_practice_and_a_message_reaches_both() {
    on_both(|app| async move {
        // Aisha Khan: Dr. Ortiz (Riverside) referred her to Dr. Chen (Hillside).
        let c = case_of(&app, "Aisha Khan").await;
        let chen = app.sign_in("chen@hillside.example").await;
        let morgan = app.sign_in("morgan@hillside.example").await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let casey = app.sign_in("casey@riverside.example").await;
        let (chen_id, ortiz_id) = (
            user_id(&app, "chen@hillside.example").await,
            user_id(&app, "ortiz@riverside.example").await,
        );

        let r = write(
            &app,
            &chen,
            c.id,
            "Bed free Thursday; keep it between us.",
            true,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = write(
            &app,
            &morgan,
            c.id,
            "  We can see her on Thursday.  ",
            false,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Hillside reads both, the note marked as internal; Riverside only
        // the message, through the same endpoint the page uses.
        let (status, hillside) = thread(&app, &morgan, c.id).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            bodies(&hillside),
            [
                "Bed free Thursday; keep it between us.",
                "We can see her on Thursday."
            ]
        );
        assert_eq!(hillside["posts"][0]["internal"], true);
        assert_eq!(
            hillside["posts"][1]["author"],
            "Morgan Hill (case manager, for Dr. Li Chen)"
        );
        for riverside in [&ortiz, &casey] {
            let (status, seen) = thread(&app, riverside, c.id).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(bodies(&seen), ["We can see her on Thursday."]);
            assert!(!seen.to_string().contains("Bed free"), "{seen}");
        }
        // Nor does the case's history, which both sides read, mention it.
        let detail = app
            .get(&format!("/api/cases/get?id={}", c.id), Some(&ortiz))
            .await;
        assert_eq!(detail.status, StatusCode::OK);
        let history =
            serde_json::from_str::<Value>(&detail.body).expect("json")["history"].to_string();
        assert!(!history.to_lowercase().contains("note"), "{history}");
        assert!(!detail.body.contains("Bed free"));

        // The message told Riverside's doctor and the doctor Morgan wrote
        // for, once each; the note told nobody outside Hillside.
        assert_eq!(notes_of(&app, NotificationKind::Message, c.id).await, {
            let mut both = vec![chen_id, ortiz_id];
            both.sort_unstable();
            both
        });
        // Logged under the writer, naming the doctor, without the text.
        let logged = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq(ActivityAction::CasePostAdded))
            .all(&app.db)
            .await
            .expect("log");
        assert_eq!(logged.len(), 2);
        assert_eq!(logged[1].on_behalf_of_user_id, Some(chen_id));
        assert!(logged.iter().all(|l| !l.detail.contains("Thursday")));
        app
    })
    .await;
}

#[tokio::test]
async fn only_those_who_may_change_a_case_write_on_it_and_bad_posts_change_nothing() {
    on_both(|app| async move {
        let c = case_of(&app, "Aisha Khan").await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        // Dr. Okafor works at Riverside too, but is not on the case; Pat is
        // Riverside staff; Hana administers Hillside.
        for outsider in [
            "okafor@riverside.example",
            "pat@riverside.example",
            "admin@hillside.example",
        ] {
            let cookie = app.sign_in(outsider).await;
            assert_eq!(
                thread(&app, &cookie, c.id).await.0,
                StatusCode::NOT_FOUND,
                "{outsider}"
            );
            let r = write(&app, &cookie, c.id, "Hello", false).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{outsider}: {}", r.body);
        }
        for (body, why) in [("   ", "empty"), (&"x".repeat(4001)[..], "too long")] {
            let r = write(&app, &ortiz, c.id, body, false).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{why}: {}",
                r.body
            );
        }
        let r = write(&app, &ortiz, 999_999, "Hello", false).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.count("case_posts").await, 0);
        app
    })
    .await;
}

#[tokio::test]
async fn an_attachment_is_checked_stored_told_and_every_download_logged() {
    on_both(|app| async move {
        let c = case_of(&app, "Aisha Khan").await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let chen = app.sign_in("chen@hillside.example").await;
        let okafor = app.sign_in("okafor@riverside.example").await;
        let pdf: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

        let r = attach(&app, &ortiz, c.id, ("ECG report.pdf", pdf)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok()),
            Some(format!("/cases/{}?attached=1", c.id).as_str())
        );
        // Refused, with the reason for the page and nothing stored: a
        // program dressed as a PDF, an outsider, an empty file.
        let r = attach(&app, &ortiz, c.id, ("letter.pdf", b"MZ\x90\x00 not a pdf")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let back = r
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            back.contains("attach_error=This%20kind%20of%20file"),
            "{back}"
        );
        let r = attach(&app, &okafor, c.id, ("x.pdf", pdf)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = attach(&app, &ortiz, c.id, ("empty.pdf", b"")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let files = case_attachment::Entity::find()
            .filter(case_attachment::Column::CaseId.eq(c.id))
            .all(&app.db)
            .await
            .expect("attachments");
        assert_eq!(files.len(), 1);
        let file = &files[0];
        assert_eq!(file.original_name, "ECG report.pdf");
        assert_eq!(app.ctx.storage.keys().await.expect("keys").len(), 1);

        // Dr. Chen is told, sees it on the case and in its history, and
        // gets the same bytes as a download, which is logged.
        let chen_id = user_id(&app, "chen@hillside.example").await;
        assert_eq!(
            notes_of(&app, NotificationKind::Attachment, c.id).await,
            [chen_id]
        );
        let (_, seen) = thread(&app, &chen, c.id).await;
        assert_eq!(seen["attachments"][0]["name"], "ECG report.pdf");
        assert_eq!(seen["attachments"][0]["by"], "Dr. Ana Ortiz");
        let detail = app
            .get(&format!("/api/cases/get?id={}", c.id), Some(&chen))
            .await;
        assert!(
            detail.body.contains("File attached: ECG report.pdf"),
            "{}",
            detail.body
        );
        let got = app
            .get(&format!("/case-files/{}", file.id), Some(&chen))
            .await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.bytes, pdf);
        let disposition = got
            .headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok());
        assert!(
            disposition.is_some_and(|d| d.starts_with("attachment")),
            "{disposition:?}"
        );
        let downloads = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq(ActivityAction::CaseFileDownloaded))
            .filter(activity_log::Column::ActorUserId.eq(chen_id))
            .all(&app.db)
            .await
            .expect("log");
        assert_eq!(downloads.len(), 1);

        // Someone off the case gets nothing, and nothing is logged for them.
        let r = app
            .get(&format!("/case-files/{}", file.id), Some(&okafor))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.bytes != pdf);
        app
    })
    .await;
}
