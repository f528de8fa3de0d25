//! Portal messaging: the round trip, routing, the switch, and bad input.

use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use app::entities::activity_log;

use crate::helpers::{TestApp, on_both};
use crate::portal_leaks::client_id;
use crate::referrals::user_id;

async fn send(
    app: &TestApp,
    cookie: &str,
    client: i32,
    cm: Option<i32>,
    body: &str,
) -> (StatusCode, String) {
    let client = client.to_string();
    let cm = cm.map(|c| c.to_string());
    let mut form = vec![("client_id", client.as_str()), ("body", body)];
    if let Some(cm) = &cm {
        form.push(("case_manager_id", cm.as_str()));
    }
    let r = app.post("/api/messages/send", &form, Some(cookie)).await;
    (r.status, r.body)
}

async fn read(app: &TestApp, cookie: &str, client: i32, cm: Option<i32>) -> (StatusCode, Value) {
    let client = client.to_string();
    let cm = cm.map(|c| c.to_string());
    let mut form = vec![("client_id", client.as_str())];
    if let Some(cm) = &cm {
        form.push(("case_manager_id", cm.as_str()));
    }
    let r = app
        .post("/api/messages/conversation", &form, Some(cookie))
        .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::String(r.body)),
    )
}

async fn inbox(app: &TestApp, cookie: &str) -> Vec<Value> {
    let r = app
        .get(
            "/api/messages/inbox?client_id=0&case_manager_id=0",
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    serde_json::from_str::<Value>(&r.body)
        .expect("json")
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn unread(app: &TestApp, cookie: &str) -> Value {
    let r = app.get("/api/messages/unread", Some(cookie)).await;
    serde_json::from_str(&r.body).expect("json")
}

async fn settings(
    app: &TestApp,
    admin: &str,
    enabled: bool,
    routing: &str,
    staff: &[i32],
) -> StatusCode {
    let ids: Vec<String> = staff.iter().map(i32::to_string).collect();
    let keys: Vec<String> = (0..ids.len()).map(|i| format!("staff[{i}]")).collect();
    let mut form = vec![
        ("enabled", if enabled { "true" } else { "false" }),
        ("routing", routing),
    ];
    for (k, v) in keys.iter().zip(&ids) {
        form.push((k.as_str(), v.as_str()));
    }
    app.post("/api/messages/settings/update", &form, Some(admin))
        .await
        .status
}

async fn mails_to(app: &TestApp, email: &str) -> Vec<String> {
    app.mail
        .messages()
        .into_iter()
        .filter(|m| m.to.iter().any(|t| t.contains(email)))
        .map(|m| m.text())
        .collect()
}

#[tokio::test]
async fn a_message_goes_to_the_agency_and_the_answer_comes_back() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        let admin = app.sign_in("admin@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let erin_id = user_id(&app, "erin@northcounty.example").await;

        let (status, body) = send(
            &app,
            &erin,
            alice,
            None,
            "Could Tuesday's visit move to 2pm?",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let threads = inbox(&app, &admin).await;
        assert_eq!(threads.len(), 1, "{threads:?}");
        assert_eq!(threads[0]["client_name"], "Alice Brown");
        assert_eq!(threads[0]["case_manager_name"], "Erin External");
        assert_eq!(threads[0]["unread"], 1);
        assert_eq!(unread(&app, &admin).await, 1);
        // The demo routes messages to admins: staff are not counted in.
        let sam = app.sign_in("sam@harbour.example").await;
        assert_eq!(unread(&app, &sam).await, 0);
        let (status, body) = send(&app, &erin, alice, None, "And Thursday?").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(unread(&app, &admin).await, 2);
        assert_eq!(inbox(&app, &admin).await[0]["unread"], 2);

        // Opening it reads it; the reply reaches Erin, unread until she looks.
        let (status, conv) = read(&app, &admin, alice, Some(erin_id)).await;
        assert_eq!(status, StatusCode::OK, "{conv}");
        assert_eq!(conv[0]["body"], "Could Tuesday's visit move to 2pm?");
        assert_eq!(conv[1]["body"], "And Thursday?");
        assert_eq!(conv[0]["from_agency"], false);
        assert_eq!(unread(&app, &admin).await, 0);
        let (status, body) = send(&app, &admin, alice, Some(erin_id), "Yes, moved to 2pm.").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(unread(&app, &erin).await, 1);
        let (_, conv) = read(&app, &erin, alice, None).await;
        let bodies: Vec<&str> = conv
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|m| m["body"].as_str())
            .collect();
        assert_eq!(
            bodies,
            [
                "Could Tuesday's visit move to 2pm?",
                "And Thursday?",
                "Yes, moved to 2pm."
            ]
        );
        assert_eq!(conv[2]["author"], "Harper Admin");
        assert_eq!(unread(&app, &erin).await, 0);

        // The conversation is on the client's record for other staff too.
        let sam = app.sign_in("sam@harbour.example").await;
        let r = app
            .get(
                &format!("/api/messages/of-client?client_id={alice}"),
                Some(&sam),
            )
            .await;
        assert!(r.body.contains("Yes, moved to 2pm."), "{}", r.body);

        // Mail says where to look, never what was written.
        let mut notices = Vec::new();
        for _ in 0..100 {
            notices = mails_to(&app, "admin@harbour.example").await;
            if !notices.is_empty() && !mails_to(&app, "erin@northcounty.example").await.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(
            notices[0].contains("http://caseport.test/messages"),
            "{}",
            notices[0]
        );
        assert!(!notices[0].contains("2pm"));
        let to_erin = mails_to(&app, "erin@northcounty.example").await;
        assert!(
            to_erin[0].contains(&format!("/portal/harbour/clients/{alice}?tab=messages")),
            "{}",
            to_erin[0]
        );
        assert!(!to_erin[0].contains("2pm"));

        let logged = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq("message_sent"))
            .all(&app.db)
            .await
            .expect("log");
        assert_eq!(logged.len(), 3);
        assert!(
            logged.iter().all(|l| !l.detail.to_string().contains("2pm")),
            "the log names the conversation, not the words"
        );

        // The inbox puts the newest conversation first, whatever the
        // clients' order.
        let carlos = client_id(&app, "Carlos Diaz").await;
        for (client, newest) in [
            (carlos, ["Carlos Diaz", "Alice Brown"]),
            (alice, ["Alice Brown", "Carlos Diaz"]),
        ] {
            let (status, body) = send(&app, &erin, client, None, "One more thing.").await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let order: Vec<Value> = inbox(&app, &admin)
                .await
                .iter()
                .map(|t| t["client_name"].clone())
                .collect();
            assert_eq!(order, newest, "newest first");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn messages_land_with_whoever_the_agency_chose() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        let admin = app.sign_in("admin@harbour.example").await;
        let sam = app.sign_in("sam@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let sam_id = user_id(&app, "sam@harbour.example").await;
        send(&app, &erin, alice, None, "Hello").await;
        assert_eq!(inbox(&app, &admin).await.len(), 1);
        assert!(inbox(&app, &sam).await.is_empty());

        assert_eq!(
            settings(&app, &admin, true, "specific", &[sam_id]).await,
            StatusCode::OK
        );
        assert_eq!(inbox(&app, &sam).await.len(), 1);
        assert!(inbox(&app, &admin).await.is_empty());

        // Team lead: nobody set yet, so the admins; then Sam.
        assert_eq!(
            settings(&app, &admin, true, "team_lead", &[]).await,
            StatusCode::OK
        );
        assert_eq!(inbox(&app, &admin).await.len(), 1);
        let r = app
            .post(
                "/api/messages/team-lead/set",
                &[
                    ("client_id", &alice.to_string()),
                    ("user_id", &sam_id.to_string()),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(inbox(&app, &sam).await.len(), 1);
        assert!(inbox(&app, &admin).await.is_empty());

        // "Specific" with nobody chosen is refused and changes nothing.
        assert_eq!(
            settings(&app, &admin, true, "specific", &[]).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(inbox(&app, &sam).await.len(), 1);
        // Case managers cannot see the inbox or the settings.
        let r = app
            .get(
                "/api/messages/inbox?client_id=0&case_manager_id=0",
                Some(&erin),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(
            settings(&app, &erin, false, "all_admins", &[]).await,
            StatusCode::NOT_FOUND
        );
        app
    })
    .await;
}

#[tokio::test]
async fn with_messaging_off_the_portal_hides_it_and_the_server_refuses() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        let admin = app.sign_in("admin@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let erin_id = user_id(&app, "erin@northcounty.example").await;
        send(&app, &erin, alice, None, "Before the switch").await;
        assert_eq!(
            settings(&app, &admin, false, "all_admins", &[]).await,
            StatusCode::OK
        );
        let stored = app.count("messages").await;

        let page = app
            .get(
                &format!("/api/portal/client?client_id={alice}"),
                Some(&erin),
            )
            .await;
        assert!(page.body.contains("\"messaging\":false"), "{}", page.body);
        let (status, _) = send(&app, &erin, alice, None, "After the switch").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = read(&app, &erin, alice, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(unread(&app, &erin).await, Value::Null);
        // Staff keep the history but cannot write into a closed channel.
        let (status, conv) = read(&app, &admin, alice, Some(erin_id)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(conv[0]["body"], "Before the switch");
        let (status, _) = send(&app, &admin, alice, Some(erin_id), "Reply").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("messages").await, stored);
        app
    })
    .await;
}

#[tokio::test]
async fn bad_messages_are_refused_and_stored_text_stays_plain() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        let frank = app.sign_in("frank@northcounty.example").await;
        crate::helpers::accept_terms(&app, &frank).await;
        let admin = app.sign_in("admin@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let carlos = client_id(&app, "Carlos Diaz").await;
        let frank_id = user_id(&app, "frank@northcounty.example").await;

        let long = "x".repeat(app::messages::MAX_MESSAGE + 1);
        for (body, says) in [
            ("   ", "Write a message first"),
            (long.as_str(), "at most 2000"),
        ] {
            let (status, reply) = send(&app, &erin, alice, None, body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(reply.contains(says), "{reply}");
        }
        // Frank is not on Carlos's team; staff cannot open a conversation
        // with someone who is not on the client's team.
        let (status, _) = send(&app, &frank, carlos, None, "Hi").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, reply) = send(&app, &admin, carlos, Some(frank_id), "Hi").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
        assert_eq!(app.count("messages").await, 0);

        let hostile = "<script>alert(1)</script>' OR 1=1; --\u{0007}";
        let (status, _) = send(&app, &erin, alice, None, hostile).await;
        assert_eq!(status, StatusCode::OK);
        let (_, conv) = read(&app, &erin, alice, None).await;
        assert_eq!(
            conv[0]["body"], "<script>alert(1)</script>' OR 1=1; --",
            "kept as text, control characters dropped"
        );
        let logs = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq("message_sent"))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(logs, 1);
        app
    })
    .await;
}

/// The open conversation polls every few seconds; the log records the
/// reading once, not once per poll.
#[tokio::test]
async fn polling_a_conversation_logs_one_view() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        let erin_id = user_id(&app, "erin@northcounty.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        for _ in 0..5 {
            let (status, body) = read(&app, &erin, alice, None).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let views = activity_log::Entity::find()
            .filter(activity_log::Column::ActorUserId.eq(erin_id))
            .filter(activity_log::Column::Action.eq(app::activity::ActivityAction::PageViewed))
            .filter(activity_log::Column::Detail.contains("\"page\":\"messages\""))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(views, 1);
        app
    })
    .await;
}
