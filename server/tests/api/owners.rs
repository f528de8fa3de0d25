//! Case owners and work queues, through the real endpoints: who may take a
//! case or hand it on, to whom, what is logged and told, and that every
//! queue's count is the number of cases its list shows.

use std::collections::BTreeMap;

use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::activity::ActivityAction;
use app::entities::{activity_log, mail_outbox, notification};
use app::notifications::NotificationKind;

use crate::helpers::{TestApp, on_both};
use crate::referrals::{case_of, user_id};

async fn assign(
    app: &TestApp,
    cookie: &str,
    id: i32,
    version: i32,
    owner: Option<i32>,
) -> crate::helpers::Reply {
    app.post_json(
        "/api/cases/assign",
        json!({ "id": id, "version": version, "owner": owner }),
        Some(cookie),
    )
    .await
}

async fn assignments(app: &TestApp) -> Vec<activity_log::Model> {
    activity_log::Entity::find()
        .filter(activity_log::Column::Action.eq(ActivityAction::CaseAssigned))
        .all(&app.db)
        .await
        .expect("log")
}

/// Queue name → count, as the dashboard gets them.
async fn queues(app: &TestApp, cookie: &str) -> BTreeMap<String, u64> {
    let r = app.get("/api/cases/queues", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body: Value = serde_json::from_str(&r.body).expect("json");
    body["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().expect("queue").to_string(),
                pair[1].as_u64().expect("count"),
            )
        })
        .collect()
}

/// The patients a queue lists (one page holds the demo) and its total.
async fn queue_list(app: &TestApp, cookie: &str, queue: &str) -> (Vec<String>, u64) {
    let r = app
        .post_json(
            "/api/cases/list",
            json!({ "filter": { "queue": queue } }),
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page: Value = serde_json::from_str(&r.body).expect("json");
    let names = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["patient_name"].as_str().expect("name").to_string())
        .collect();
    (names, page["total"].as_u64().expect("total"))
}

/// Every queue's count equals the cases its list holds.
async fn counts_match_lists(app: &TestApp, cookie: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (queue, count) in queues(app, cookie).await {
        let (names, total) = queue_list(app, cookie, &queue).await;
        assert_eq!(names.len() as u64, count, "{queue}: {names:?}");
        assert_eq!(total, count, "{queue} total");
        out.insert(queue, names);
    }
    out
}

/// Morgan, Hillside's case manager, takes Maria Gonzalez's new referral
/// (to Dr. Chen): it leaves Unassigned for Mine, its page names her, the
/// history says so, and the log names Morgan acting for Dr. Chen.
#[tokio::test]
async fn a_case_manager_takes_a_case_and_it_moves_from_unassigned_to_mine() {
    on_both(|app| async move {
        let morgan = app.sign_in("morgan@hillside.example").await;
        let morgan_id = user_id(&app, "morgan@hillside.example").await;
        let chen = user_id(&app, "chen@hillside.example").await;
        let before = counts_match_lists(&app, &morgan).await;
        assert!(before["Unassigned"].contains(&"Maria Gonzalez".to_string()));
        assert!(before["Mine"].is_empty());
        assert!(before["WaitingOnUs"].contains(&"Maria Gonzalez".to_string()));
        // Hillside's doctors referred open cases to Riverside.
        assert!(!before["WaitingOnThem"].is_empty());

        let c = case_of(&app, "Maria Gonzalez").await;
        let r = assign(&app, &morgan, c.id, c.version, Some(morgan_id)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let detail: Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(detail["owner"]["name"], "Morgan Hill");
        assert_eq!(detail["take_as"], Value::Null, "already hers");
        let history = detail["history"].to_string();
        assert!(
            history
                .contains("Assigned to Morgan Hill by Morgan Hill (case manager) for Dr. Li Chen"),
            "{history}"
        );

        let after = counts_match_lists(&app, &morgan).await;
        assert_eq!(after["Mine"], vec!["Maria Gonzalez".to_string()]);
        assert!(!after["Unassigned"].contains(&"Maria Gonzalez".to_string()));
        assert_eq!(after["Unassigned"].len() + 1, before["Unassigned"].len());
        // Still Hillside's step.
        assert_eq!(after["WaitingOnUs"].len(), before["WaitingOnUs"].len());

        let logs = assignments(&app).await;
        assert_eq!(logs.len(), 1, "{logs:?}");
        let log = &logs[0];
        assert_eq!(log.actor_user_id, Some(morgan_id));
        assert_eq!(log.on_behalf_of_user_id, Some(chen));
        let saved = case_of(&app, "Maria Gonzalez").await;
        assert_eq!(saved.owner_user_id, Some(morgan_id));
        assert_eq!(saved.version, c.version + 1);

        // The referring doctor sees the owner too, and no queue of theirs
        // calls the case unassigned: it is not their side's to own.
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let seen = app
            .get(&format!("/api/cases/get?id={}", c.id), Some(&ortiz))
            .await;
        let seen: Value = serde_json::from_str(&seen.body).expect("json");
        assert_eq!(seen["owner"]["name"], "Morgan Hill");
        assert_eq!(seen["can_assign"], false);
        let theirs = counts_match_lists(&app, &ortiz).await;
        assert!(theirs["WaitingOnThem"].contains(&"Maria Gonzalez".to_string()));
        assert!(!theirs["Unassigned"].contains(&"Maria Gonzalez".to_string()));
        app
    })
    .await;
}

/// Handing a case to Dr. Chen tells Dr. Chen, once, in the app and by
/// mail; taking it oneself tells no one; clearing the owner tells no one
/// and reads "Owner removed".
#[tokio::test]
async fn the_new_owner_is_told_and_no_one_else() {
    on_both(|app| async move {
        notification::Entity::delete_many()
            .exec(&app.db)
            .await
            .expect("clear");
        let morgan = app.sign_in("morgan@hillside.example").await;
        let chen = user_id(&app, "chen@hillside.example").await;
        let c = case_of(&app, "Aisha Khan").await;
        let r = assign(&app, &morgan, c.id, c.version, Some(chen)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let told = notification::Entity::find()
            .filter(notification::Column::CaseId.eq(c.id))
            .all(&app.db)
            .await
            .expect("notifications");
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].user_id, chen);
        assert_eq!(told[0].kind, NotificationKind::Assigned);
        let mails: Vec<_> = mail_outbox::Entity::find()
            .all(&app.db)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.subject == format!("Caseport: case #{} assigned to you", c.id))
            .collect();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].to_address, "chen@hillside.example");

        // Dr. Chen takes it back from nobody: already his, nothing happens.
        let chen_cookie = app.sign_in("chen@hillside.example").await;
        let now = case_of(&app, "Aisha Khan").await;
        let same = assign(&app, &chen_cookie, now.id, now.version, Some(chen)).await;
        assert_eq!(same.status, StatusCode::OK);
        assert_eq!(case_of(&app, "Aisha Khan").await.version, now.version);

        // Clearing the owner tells no one.
        let r = assign(&app, &chen_cookie, now.id, now.version, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let detail: Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(detail["owner"], Value::Null);
        assert!(
            detail["history"]
                .to_string()
                .contains("Owner removed by Dr. Li Chen")
        );
        let after = notification::Entity::find()
            .filter(notification::Column::CaseId.eq(c.id))
            .all(&app.db)
            .await
            .expect("notifications");
        assert_eq!(after.len(), 1);
        app
    })
    .await;
}

/// The referring side, strangers, owners who cannot see the case, closed
/// cases and stale versions are all refused, and nothing changes.
#[tokio::test]
async fn only_the_receiving_side_assigns_and_only_to_someone_who_may_own_it() {
    on_both(|app| async move {
        let c = case_of(&app, "Maria Gonzalez").await;
        let morgan = app.sign_in("morgan@hillside.example").await;
        let morgan_id = user_id(&app, "morgan@hillside.example").await;
        let fischer = user_id(&app, "fischer@hillside.example").await;
        let ortiz_id = user_id(&app, "ortiz@riverside.example").await;
        let pat = user_id(&app, "pat@riverside.example").await;

        let refused = [
            (
                "ortiz@riverside.example",
                Some(ortiz_id),
                StatusCode::FORBIDDEN,
            ),
            ("casey@riverside.example", None, StatusCode::FORBIDDEN),
            ("okafor@riverside.example", None, StatusCode::NOT_FOUND),
            ("pat@riverside.example", Some(pat), StatusCode::FORBIDDEN),
            ("admin@hillside.example", None, StatusCode::NOT_FOUND),
        ];
        for (email, owner, status) in refused {
            let cookie = app.sign_in(email).await;
            let r = assign(&app, &cookie, c.id, c.version, owner).await;
            assert_eq!(r.status, status, "{email}: {}", r.body);
        }
        // Dr. Fischer is at Hillside but not on the case; Dr. Ortiz is at
        // the referring practice; Pat is plain staff elsewhere; no such user.
        for owner in [fischer, ortiz_id, pat, 999_999] {
            let r = assign(&app, &morgan, c.id, c.version, Some(owner)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{owner}");
            assert!(r.body.contains("owner"), "{}", r.body);
        }
        let stale = assign(&app, &morgan, c.id, c.version - 1, Some(morgan_id)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        // Priya Patel's case (Hillside to Riverside) is completed.
        let closed = case_of(&app, "Priya Patel").await;
        let casey = app.sign_in("casey@riverside.example").await;
        let casey_id = user_id(&app, "casey@riverside.example").await;
        let r = assign(&app, &casey, closed.id, closed.version, Some(casey_id)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

        assert_eq!(case_of(&app, "Maria Gonzalez").await, c);
        assert_eq!(case_of(&app, "Priya Patel").await, closed);
        let assigned = assignments(&app).await;
        assert!(assigned.is_empty(), "{assigned:?}");
        app
    })
    .await;
}
