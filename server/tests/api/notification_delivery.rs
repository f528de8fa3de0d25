//! How notifications travel besides the app: a doctor handing theirs to
//! the practice's case managers, and the daily digest, sent once at the
//! recipient's hour however many instances run.

use chrono::{Duration, Utc};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use app::entities::{mail_outbox, notification};
use app::notifications::NotificationKind;

use crate::helpers::{Reply, TestApp, on_both};
use crate::referrals::{case_of, user_id};

async fn delivery(app: &TestApp, cookie: &str, hour: i32, hand_on: bool) -> Reply {
    app.post_json(
        "/api/notifications/delivery/save",
        json!({ "digest_hour": hour, "hand_on": hand_on }),
        Some(cookie),
    )
    .await
}

async fn say(app: &TestApp, cookie: &str, case_id: i32, body: &str) {
    let r = app
        .post_json(
            "/api/cases/post",
            json!({ "id": case_id, "body": body, "internal": false }),
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn messages_about(app: &TestApp, case_id: i32) -> Vec<notification::Model> {
    notification::Entity::find()
        .filter(notification::Column::CaseId.eq(case_id))
        .filter(notification::Column::Kind.eq(NotificationKind::Message))
        .order_by_asc(notification::Column::Id)
        .all(&app.db)
        .await
        .expect("notifications")
}

async fn mails_to(app: &TestApp, address: &str) -> Vec<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddress.eq(address))
        .all(&app.db)
        .await
        .expect("outbox")
}

#[tokio::test]
async fn a_doctor_hands_their_notifications_to_the_practices_case_managers() {
    on_both(|app| async move {
        let c = case_of(&app, "Aisha Khan").await;
        let chen = app.sign_in("chen@hillside.example").await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let casey = app.sign_in("casey@riverside.example").await;
        let (chen_id, morgan_id) = (
            user_id(&app, "chen@hillside.example").await,
            user_id(&app, "morgan@hillside.example").await,
        );
        // Only a doctor may hand theirs on; an hour must be an hour.
        let r = delivery(&app, &casey, 7, true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = delivery(&app, &chen, 24, true).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = delivery(&app, &chen, 7, true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.get("/api/notifications/delivery", Some(&chen)).await;
        let settings: Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(settings["hand_on"], true);
        assert_eq!(settings["case_managers"], json!(["Morgan Hill"]));

        // Dr. Ortiz writes: Morgan is told, for Dr. Chen; Dr. Chen is not.
        mail_outbox::Entity::delete_many()
            .exec(&app.db)
            .await
            .expect("clear");
        say(&app, &ortiz, c.id, "Results attached tomorrow.").await;
        let told = messages_about(&app, c.id).await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(
            (told[0].user_id, told[0].for_user_id),
            (morgan_id, Some(chen_id))
        );
        let mails = mails_to(&app, "morgan@hillside.example").await;
        assert_eq!(mails.len(), 1);
        assert!(
            mails[0].body.contains("You receive this for Dr. Li Chen"),
            "{}",
            mails[0].body
        );
        assert!(mails_to(&app, "chen@hillside.example").await.is_empty());
        let morgan = app.sign_in("morgan@hillside.example").await;
        let bell: Value =
            serde_json::from_str(&app.get("/api/notifications/list", Some(&morgan)).await.body)
                .expect("json");
        assert_eq!(
            bell["items"][0]["text"],
            format!("For Dr. Li Chen: Dr. Ana Ortiz wrote on case #{}.", c.id)
        );

        // Morgan answering for Dr. Chen is not told of her own post; Dr.
        // Ortiz is, and so is Dr. Chen himself: no other case manager is
        // there to hear of what was done in his name.
        say(&app, &morgan, c.id, "Thank you.").await;
        let mut told: Vec<(i32, Option<i32>)> = messages_about(&app, c.id)
            .await
            .into_iter()
            .skip(1)
            .map(|n| (n.user_id, n.for_user_id))
            .collect();
        told.sort_unstable();
        let ortiz_id = user_id(&app, "ortiz@riverside.example").await;
        let mut want = vec![(chen_id, None), (ortiz_id, None)];
        want.sort_unstable();
        assert_eq!(told, want);
        let r = delivery(&app, &chen, 7, false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        say(&app, &ortiz, c.id, "Sent.").await;
        let last = messages_about(&app, c.id)
            .await
            .into_iter()
            .max_by_key(|n| n.id)
            .expect("one");
        assert_eq!((last.user_id, last.for_user_id), (chen_id, None));
        app
    })
    .await;
}

#[tokio::test]
async fn a_daily_digest_gathers_what_came_before_its_hour_and_goes_once() {
    on_both(|app| async move {
        let c = case_of(&app, "Aisha Khan").await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let chen = app.sign_in("chen@hillside.example").await;
        let r = app
            .post_json(
                "/api/notifications/preferences/save",
                json!({ "choices": [["Message", "Digest"]] }),
                Some(&ortiz),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // A rejection cannot wait for tomorrow's digest.
        let r = app
            .post_json(
                "/api/notifications/preferences/save",
                json!({ "choices": [["Rejected", "Digest"]] }),
                Some(&ortiz),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        mail_outbox::Entity::delete_many()
            .exec(&app.db)
            .await
            .expect("clear");
        say(&app, &chen, c.id, "Seen her today.").await;
        say(&app, &chen, c.id, "Echo booked.").await;
        // In the app at once; no mail yet.
        let waiting = messages_about(&app, c.id).await;
        assert_eq!(waiting.len(), 2);
        assert!(waiting.iter().all(|n| n.digest && n.digested_at.is_none()));
        assert!(mails_to(&app, "ortiz@riverside.example").await.is_empty());

        // Not before his hour has passed since they came…
        let url = "http://caseport.test";
        let sent = app::notifications::digest::send_due(&app.db, url, Utc::now())
            .await
            .expect("digest");
        assert_eq!(sent, 0);
        assert!(mails_to(&app, "ortiz@riverside.example").await.is_empty());
        // …then once, however many senders race for it.
        let later = Utc::now() + Duration::days(1) + Duration::hours(1);
        let (a, b) = tokio::join!(
            app::notifications::digest::send_due(&app.db, url, later),
            app::notifications::digest::send_due(&app.db, url, later),
        );
        assert_eq!(sent + a.expect("a") + b.expect("b"), 1);
        let again = app::notifications::digest::send_due(&app.db, url, later)
            .await
            .expect("again");
        assert_eq!(again, 0);
        let mails = mails_to(&app, "ortiz@riverside.example").await;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].subject, "Caseport: your daily digest (2 updates)");
        assert!(
            mails[0]
                .body
                .contains(&format!("Dr. Li Chen wrote on case #{}.", c.id))
        );
        assert!(mails[0].body.contains(&format!("{url}/cases/{}", c.id)));
        assert!(
            !mails[0].body.contains("Echo booked"),
            "no message text in mail"
        );
        assert!(
            messages_about(&app, c.id)
                .await
                .iter()
                .all(|n| n.digested_at.is_some())
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_case_manager_hears_of_the_agencys_answer_in_the_portal_and_chooses_how() {
    on_both(|app| async move {
        let alice = crate::portal_leaks::client_id(&app, "Alice Brown").await;
        let erin_id = user_id(&app, "erin@northcounty.example").await;
        let erin = app.sign_in("erin@northcounty.example").await;
        let admin = app.sign_in("admin@harbour.example").await;
        let answer = |body: &'static str| {
            let (app, admin) = (&app, admin.clone());
            async move {
                let form = [
                    ("client_id", alice.to_string()),
                    ("case_manager_id", erin_id.to_string()),
                    ("body", body.to_string()),
                ];
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let r = app.post("/api/messages/send", &form, Some(&admin)).await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            }
        };
        mail_outbox::Entity::delete_many()
            .exec(&app.db)
            .await
            .expect("clear");
        answer("Yes, Tuesday at 2pm.").await;

        // In her notification centre, naming the client, linking the thread;
        // one mail, which names neither.
        let bell: Value =
            serde_json::from_str(&app.get("/api/notifications/list", Some(&erin)).await.body)
                .expect("json");
        assert_eq!(bell["unread"], 1, "{bell}");
        assert_eq!(
            bell["items"][0]["text"],
            "Harper Admin answered you about Alice Brown."
        );
        assert_eq!(
            bell["items"][0]["href"],
            format!("/portal/harbour/clients/{alice}?tab=messages")
        );
        let mails = mails_to(&app, "erin@northcounty.example").await;
        assert_eq!(mails.len(), 1);
        assert!(!mails[0].body.contains("Alice") && !mails[0].body.contains("Tuesday"));

        // Her settings list the portal's events only; she keeps answers in
        // the portal, and the next one sends no mail.
        let prefs: Value = serde_json::from_str(
            &app.get("/api/notifications/preferences", Some(&erin))
                .await
                .body,
        )
        .expect("json");
        let kinds: Vec<&str> = prefs
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|p| p["kind"].as_str())
            .collect();
        assert_eq!(kinds, ["ReportSent", "AgencyMessage"]);
        let choose = |choices: Value| {
            let (app, erin) = (&app, erin.clone());
            async move {
                app.post_json(
                    "/api/notifications/preferences/save",
                    json!({ "choices": choices }),
                    Some(&erin),
                )
                .await
                .status
            }
        };
        assert_eq!(
            choose(json!([["Accepted", "InAppOnly"]])).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            choose(json!([["AgencyMessage", "InAppOnly"]])).await,
            StatusCode::OK
        );
        answer("And Thursday too.").await;
        let bell: Value =
            serde_json::from_str(&app.get("/api/notifications/list", Some(&erin)).await.body)
                .expect("json");
        assert_eq!(bell["unread"], 2);
        assert_eq!(mails_to(&app, "erin@northcounty.example").await.len(), 1);
        // A doctor's settings hold no portal events.
        let chen = app.sign_in("chen@hillside.example").await;
        let theirs = app
            .get("/api/notifications/preferences", Some(&chen))
            .await
            .body;
        assert!(!theirs.contains("AgencyMessage") && !theirs.contains("ReportSent"));
        app
    })
    .await;
}
