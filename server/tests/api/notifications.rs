//! Notifications of case events, through the real endpoints: who is told,
//! once each, in the app and by mail through the outbox; what the mail
//! leaves out; whose notifications anyone may read or mark.

use std::collections::BTreeSet;
use std::time::Duration;

use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::entities::{mail_outbox, notification};
use app::notifications::NotificationKind;

use crate::helpers::{TestApp, on_both};
use crate::referrals::{case_of, user_id};

/// Clears what the demo seed told people, so every count below is this
/// test's own.
async fn quiet(app: &TestApp) {
    notification::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("clear");
}

async fn told_about(app: &TestApp, case_id: i32) -> Vec<notification::Model> {
    notification::Entity::find()
        .filter(notification::Column::CaseId.eq(case_id))
        .all(&app.db)
        .await
        .expect("notifications")
}

/// Outbox rows about `case_id` (the subject names the case).
async fn mails_about(app: &TestApp, case_id: i32) -> Vec<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .all(&app.db)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| {
            m.subject
                .starts_with(&format!("Caseport: case #{case_id} "))
        })
        .collect()
}

async fn bell(app: &TestApp, cookie: &str) -> Value {
    let r = app.get("/api/notifications/list", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str(&r.body).expect("json")
}

/// A status change of case `id`; `change` holds its transition, reason
/// and note.
async fn decide(
    app: &TestApp,
    cookie: &str,
    id: i32,
    version: i32,
    mut change: Value,
) -> crate::helpers::Reply {
    change["id"] = json!(id);
    change["version"] = json!(version);
    app.post_json("/api/cases/transition", change, Some(cookie))
        .await
}

/// Dr. Chen accepts Maria Gonzalez's case (referred by Dr. Ortiz, Pat
/// associated); returns the case as it was and Dr. Chen's cookie.
async fn chen_accepts_maria(app: &TestApp) -> (app::entities::case::Model, String) {
    let c = case_of(app, "Maria Gonzalez").await;
    let chen = app.sign_in("chen@hillside.example").await;
    let accept = json!({ "transition": "Accept", "reason": null, "note": null });
    let r = decide(app, &chen, c.id, c.version, accept).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    (c, chen)
}

async fn mark_read(app: &TestApp, cookie: &str, id: Option<i32>) -> StatusCode {
    let r = app
        .post_json("/api/notifications/read", json!({ "id": id }), Some(cookie))
        .await;
    r.status
}

/// The mail the sink got for `to`, waiting a little: it is sent after the
/// commit, by a task of its own.
async fn mail_to(app: &TestApp, to: &str) -> String {
    for _ in 0..100 {
        if let Some(m) = app
            .mail
            .messages()
            .into_iter()
            .find(|m| m.to.iter().any(|t| t.contains(to)))
        {
            return m.text();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no mail to {to} arrived");
}

/// Morgan, Hillside's case manager, rejects Maria Gonzalez's referral for
/// Dr. Chen. The referring doctor, the associate and Dr. Chen (in whose
/// name it was done) each get one notification and one mail; Morgan none.
/// The mail names who and where, not the patient or the reason.
#[tokio::test]
async fn a_rejection_tells_everyone_on_the_case_once_in_app_and_by_mail() {
    on_both(|app| async move {
        quiet(&app).await;
        let c = case_of(&app, "Maria Gonzalez").await;
        let morgan = app.sign_in("morgan@hillside.example").await;
        let change = json!({ "transition": "Reject", "reason": "NoCapacity",
                             "note": "Waiting list is full" });
        let r = decide(&app, &morgan, c.id, c.version, change).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let ortiz = user_id(&app, "ortiz@riverside.example").await;
        let chen = user_id(&app, "chen@hillside.example").await;
        let pat = user_id(&app, "pat@riverside.example").await;
        let morgan_id = user_id(&app, "morgan@hillside.example").await;
        let told = told_about(&app, c.id).await;
        let recipients: Vec<i32> = told.iter().map(|n| n.user_id).collect();
        let unique: BTreeSet<i32> = recipients.iter().copied().collect();
        assert_eq!(recipients.len(), unique.len(), "one each: {recipients:?}");
        assert_eq!(unique, BTreeSet::from([ortiz, chen, pat]));
        for n in &told {
            assert_eq!(n.kind, NotificationKind::Rejected);
            assert_eq!(n.actor_user_id, Some(morgan_id));
            assert_eq!(n.on_behalf_of_user_id, Some(chen));
        }
        let mails = mails_about(&app, c.id).await;
        let addresses: BTreeSet<String> = mails.iter().map(|m| m.to_address.clone()).collect();
        assert_eq!(mails.len(), 3, "one mail per recipient");
        assert_eq!(
            addresses,
            BTreeSet::from([
                "ortiz@riverside.example".to_string(),
                "chen@hillside.example".to_string(),
                "pat@riverside.example".to_string(),
            ])
        );

        let ortiz_cookie = app.sign_in("ortiz@riverside.example").await;
        let seen = bell(&app, &ortiz_cookie).await;
        assert_eq!(seen["unread"], 1);
        assert_eq!(
            seen["items"][0]["text"],
            format!(
                "Morgan Hill (for Dr. Li Chen) rejected case #{}: No capacity.",
                c.id
            )
        );
        assert_eq!(seen["items"][0]["href"], format!("/cases/{}", c.id));
        assert_eq!(bell(&app, &morgan).await["unread"], 0);

        let mail = mail_to(&app, "ortiz@riverside.example").await;
        assert!(
            mail.contains(&format!("http://caseport.test/cases/{}", c.id)),
            "{mail}"
        );
        assert!(
            mail.contains("Morgan Hill (for Dr. Li Chen) rejected"),
            "{mail}"
        );
        for secret in [
            "Maria",
            "Gonzalez",
            "Chest pain",
            "No capacity",
            "Waiting list",
        ] {
            assert!(!mail.contains(secret), "the mail tells {secret}: {mail}");
        }
        app
    })
    .await;
}

/// A new referral tells the doctor it goes to; referring it on tells the
/// next doctor (on the new case) and the first referrer (on theirs).
#[tokio::test]
async fn a_referral_and_a_referral_on_tell_the_doctors_they_concern() {
    on_both(|app| async move {
        quiet(&app).await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let ortiz_id = user_id(&app, "ortiz@riverside.example").await;
        let fischer_id = user_id(&app, "fischer@hillside.example").await;
        let chen_id = user_id(&app, "chen@hillside.example").await;
        let r = app
            .post_json(
                "/api/cases/create",
                json!({ "case": { "patient_name": "Ida Lund", "patient_date_of_birth": null,
                    "patient_contact": null, "reason": "Knee review", "urgency": "Routine", "notes": null,
                    "referred_by_user_id": ortiz_id, "referred_to_user_id": fischer_id,
                    "associated_user_ids": [] } }),
                Some(&ortiz),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let first: i32 = r.body.parse().expect("id");
        let told = told_about(&app, first).await;
        assert_eq!(told.len(), 1);
        assert_eq!((told[0].user_id, told[0].kind), (fischer_id, NotificationKind::Referred));
        assert_eq!(mails_about(&app, first).await.len(), 1);

        let fischer = app.sign_in("fischer@hillside.example").await;
        let c = app::entities::case::Entity::find_by_id(first)
            .one(&app.db)
            .await
            .expect("q")
            .expect("case");
        let r = app
            .post_json(
                "/api/cases/refer",
                json!({ "id": first, "version": c.version, "to_doctor": chen_id, "note": "" }),
                Some(&fischer),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let second: i32 = r.body.parse().expect("id");
        let on_first: Vec<_> = told_about(&app, first)
            .await
            .into_iter()
            .filter(|n| n.kind == NotificationKind::ReferredOn)
            .map(|n| n.user_id)
            .collect();
        assert_eq!(on_first, [ortiz_id]);
        let on_second: Vec<_> = told_about(&app, second)
            .await
            .into_iter()
            .map(|n| (n.user_id, n.kind))
            .collect();
        assert_eq!(on_second, [(chen_id, NotificationKind::Referred)]);
        let chen = app.sign_in("chen@hillside.example").await;
        assert_eq!(
            bell(&app, &chen).await["items"][0]["text"],
            format!("Dr. Dana Fischer referred case #{second} to you.")
        );
        app
    })
    .await;
}

/// A refused change tells no one and queues no mail.
#[tokio::test]
async fn a_refused_change_tells_no_one() {
    on_both(|app| async move {
        quiet(&app).await;
        let c = case_of(&app, "Maria Gonzalez").await;
        let before = app.count("notifications").await;
        let outbox = app.count("mail_outbox").await;
        // Pat is only associated: accepting is the referred-to side's.
        let pat = app.sign_in("pat@riverside.example").await;
        let r = decide(
            &app,
            &pat,
            c.id,
            c.version,
            json!({ "transition": "Accept", "reason": null, "note": null }),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        // A stale version: Chen saw the case before someone changed it.
        let chen = app.sign_in("chen@hillside.example").await;
        let r = decide(
            &app,
            &chen,
            c.id,
            c.version + 1,
            json!({ "transition": "Accept", "reason": null, "note": null }),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(app.count("notifications").await, before);
        assert_eq!(app.count("mail_outbox").await, outbox);
        app
    })
    .await;
}

/// Only the recipient reads and marks their notifications: another user's
/// id is "not found" and changes nothing; "mark all" marks one's own.
#[tokio::test]
async fn notifications_are_read_and_marked_by_their_recipient_alone() {
    on_both(|app| async move {
        quiet(&app).await;
        let (c, chen) = chen_accepts_maria(&app).await;
        let ortiz_id = user_id(&app, "ortiz@riverside.example").await;
        let pat_id = user_id(&app, "pat@riverside.example").await;
        let told = told_about(&app, c.id).await;
        let for_ortiz = told
            .iter()
            .find(|n| n.user_id == ortiz_id)
            .expect("ortiz told");
        assert!(told.iter().any(|n| n.user_id == pat_id));

        // Chen, and Pat (told of the same change), cannot mark Ortiz's.
        for cookie in [&chen, &app.sign_in("pat@riverside.example").await] {
            assert_eq!(
                mark_read(&app, cookie, Some(for_ortiz.id)).await,
                StatusCode::NOT_FOUND
            );
            let listed = bell(&app, cookie).await;
            assert!(
                listed["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .all(|n| n["id"] != for_ortiz.id),
                "{listed}"
            );
        }
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        assert_eq!(bell(&app, &ortiz).await["unread"], 1);

        // Pat marks all of theirs: Ortiz's stays unread.
        let pat = app.sign_in("pat@riverside.example").await;
        assert_eq!(mark_read(&app, &pat, None).await, StatusCode::OK);
        assert_eq!(bell(&app, &pat).await["unread"], 0);
        assert_eq!(bell(&app, &ortiz).await["unread"], 1);

        assert_eq!(
            mark_read(&app, &ortiz, Some(for_ortiz.id)).await,
            StatusCode::OK
        );
        let after = bell(&app, &ortiz).await;
        assert_eq!(after["unread"], 0);
        assert_eq!(after["items"][0]["unread"], false);
        // Signed out: nothing.
        let r = app.get("/api/notifications/list", None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        app
    })
    .await;
}

async fn choose(app: &TestApp, cookie: &str, choices: Value) -> crate::helpers::Reply {
    app.post_json(
        "/api/notifications/preferences/save",
        json!({ "choices": choices }),
        Some(cookie),
    )
    .await
}

/// A new referral from Dr. Chen to Dr. Ortiz; returns its id.
async fn refer_to_ortiz(app: &TestApp, chen: &str, patient: &str, urgency: &str) -> i32 {
    let chen_id = user_id(app, "chen@hillside.example").await;
    let ortiz_id = user_id(app, "ortiz@riverside.example").await;
    let r = app
        .post_json(
            "/api/cases/create",
            json!({ "case": { "patient_name": patient, "patient_date_of_birth": null,
                "patient_contact": null, "reason": "Review", "urgency": urgency, "notes": null,
                "referred_by_user_id": chen_id, "referred_to_user_id": ortiz_id,
                "associated_user_ids": [] } }),
            Some(chen),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body.parse().expect("id")
}

/// Dr. Ortiz turns off the mail of acceptances and referrals: both still
/// reach the app, and an urgent referral is mailed all the same. A
/// rejection cannot be muted: the attempt is refused and changes nothing.
#[tokio::test]
async fn muted_kinds_stay_in_the_app_but_rejections_and_urgent_referrals_are_always_mailed() {
    on_both(|app| async move {
        quiet(&app).await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let ortiz_id = user_id(&app, "ortiz@riverside.example").await;
        let r = choose(
            &app,
            &ortiz,
            json!([["Accepted", "InAppOnly"], ["Referred", "InAppOnly"]]),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = crate::helpers::last_log(&app).await;
        assert_eq!(log.action, app::activity::ActivityAction::SettingsChanged);
        assert_eq!(log.actor_user_id, Some(ortiz_id));

        let saved = app.count("notification_preferences").await;
        let r = choose(
            &app,
            &ortiz,
            json!([["Cancelled", "InAppOnly"], ["Rejected", "InAppOnly"]]),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("always comes by e-mail"), "{}", r.body);
        assert_eq!(app.count("notification_preferences").await, saved);
        let shown = app
            .get("/api/notifications/preferences", Some(&ortiz))
            .await;
        let shown: Value = serde_json::from_str(&shown.body).expect("json");
        let line = |kind: &str| {
            shown
                .as_array()
                .expect("lines")
                .iter()
                .find(|p| p["kind"] == kind)
                .cloned()
                .expect("line")
        };
        assert_eq!(line("Accepted")["delivery"], "InAppOnly");
        assert_eq!(line("Cancelled")["delivery"], "Immediate");
        assert_eq!(line("Rejected")["delivery"], "Immediate");
        assert_eq!(line("Rejected")["locked"], true);

        // Dr. Chen accepts Maria Gonzalez's case, referred by Dr. Ortiz.
        let (c, chen) = chen_accepts_maria(&app).await;
        let told: Vec<i32> = told_about(&app, c.id)
            .await
            .iter()
            .map(|n| n.user_id)
            .collect();
        assert!(told.contains(&ortiz_id), "{told:?}");
        let mailed: Vec<String> = mails_about(&app, c.id)
            .await
            .into_iter()
            .map(|m| m.to_address)
            .collect();
        assert_eq!(mailed, ["pat@riverside.example"], "Pat did not mute it");

        let routine = refer_to_ortiz(&app, &chen, "Ruth Olsen", "Routine").await;
        let urgent = refer_to_ortiz(&app, &chen, "Uma Berg", "Urgent").await;
        for id in [routine, urgent] {
            let told: Vec<i32> = told_about(&app, id)
                .await
                .iter()
                .map(|n| n.user_id)
                .collect();
            assert_eq!(told, [ortiz_id]);
        }
        assert!(mails_about(&app, routine).await.is_empty());
        let urgent_mail: Vec<String> = mails_about(&app, urgent)
            .await
            .into_iter()
            .map(|m| m.to_address)
            .collect();
        assert_eq!(urgent_mail, ["ortiz@riverside.example"]);

        // Back to e-mail: the row goes, and the next acceptance is mailed.
        let r = choose(
            &app,
            &ortiz,
            json!([["Accepted", "Immediate"], ["Referred", "Immediate"]]),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.count("notification_preferences").await, 0);
        app
    })
    .await;
}
