//! Response deadlines through the real endpoints and the real watch: a
//! practice's settings and holidays, the deadline a new referral gets over
//! a weekend and a holiday, what both sides see once it is missed, the
//! Overdue queue, and escalation once per step however many watchers run.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use http::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::activity::ActivityAction;
use app::entities::{activity_log, case, case_link, mail_outbox, notification};
use app::notifications::NotificationKind;
use app::zone::Zone;

use crate::helpers::{TestApp, on_both};
use crate::referrals::{case_of, user_id};

fn london() -> Zone {
    Zone::stored("Europe/London")
}

async fn deadlines(app: &TestApp, cookie: &str) -> (StatusCode, Value) {
    let r = app.get("/api/admin/deadlines", Some(cookie)).await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn set_days(app: &TestApp, cookie: &str, days: [&str; 3]) -> crate::helpers::Reply {
    app.post(
        "/api/admin/deadlines/update",
        &[
            ("routine", days[0]),
            ("urgent", days[1]),
            ("emergency", days[2]),
        ],
        Some(cookie),
    )
    .await
}

/// Dr. Ortiz refers a new patient to Dr. Chen (Hillside, London).
async fn refer_to_chen(app: &TestApp, patient: &str, urgency: &str) -> i32 {
    let ortiz = app.sign_in("ortiz@riverside.example").await;
    let ortiz_id = user_id(app, "ortiz@riverside.example").await;
    let chen_id = user_id(app, "chen@hillside.example").await;
    let r = app
        .post_json(
            "/api/cases/create",
            json!({ "case": { "patient_name": patient, "patient_date_of_birth": null,
                "patient_contact": null, "reason": "Review", "urgency": urgency, "notes": null,
                "referred_by_user_id": ortiz_id, "referred_to_user_id": chen_id,
                "associated_user_ids": [] } }),
            Some(&ortiz),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body.parse().expect("id")
}

/// Counts business days by hand: the `n`-th weekday after `from` (or
/// `from` itself for 0) that is not in `off`.
fn nth_business_day(from: NaiveDate, n: u32, off: &BTreeSet<NaiveDate>) -> NaiveDate {
    let works =
        |d: NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !off.contains(&d);
    let mut d = from;
    while !works(d) {
        d += Duration::days(1);
    }
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if works(d) {
            left -= 1;
        }
    }
    d
}

#[tokio::test]
async fn a_practice_sets_its_deadlines_and_holidays_and_a_new_referral_skips_them() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@hillside.example").await;
        let (status, s) = deadlines(&app, &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (
                s["routine"].clone(),
                s["urgent"].clone(),
                s["emergency"].clone()
            ),
            (json!(2), json!(1), json!(0))
        );

        // Out of range or upside down: refused, nothing changed.
        for (days, field) in [
            (["31", "1", "0"], "routine"),
            (["2", "-1", "0"], "urgent"),
            (["1", "2", "0"], "urgent"),
            (["2", "1", "2"], "emergency"),
        ] {
            let r = set_days(&app, &admin, days).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{days:?}: {}",
                r.body
            );
            assert!(r.body.contains(field), "{days:?}: {}", r.body);
        }
        assert_eq!(deadlines(&app, &admin).await.1["routine"], 2);
        // Nobody but the practice's admin may read or change them; an
        // agency has none to read and none to change.
        for who in [
            "morgan@hillside.example",
            "chen@hillside.example",
            "admin@harbour.example",
        ] {
            let cookie = app.sign_in(who).await;
            let (status, body) = deadlines(&app, &cookie).await;
            if who.starts_with("admin@") {
                assert_eq!((status, body), (StatusCode::OK, Value::Null), "{who}");
            } else {
                assert_ne!(status, StatusCode::OK, "{who}");
            }
            assert_ne!(
                set_days(&app, &cookie, ["5", "5", "5"]).await.status,
                StatusCode::OK,
                "{who}"
            );
        }

        let r = set_days(&app, &admin, ["4", "2", "1"]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let logged = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq(ActivityAction::SettingsChanged))
            .all(&app.db)
            .await
            .expect("log");
        assert!(
            logged
                .iter()
                .any(|l| l.detail.contains("response deadlines")),
            "{logged:?}"
        );

        // The next two business days in London are holidays.
        let today = london().date_of(Utc::now());
        let first = nth_business_day(today + Duration::days(1), 0, &BTreeSet::new());
        let second = nth_business_day(first + Duration::days(1), 0, &BTreeSet::new());
        let mut off = BTreeSet::new();
        for (day, name) in [(first, "Founders' Day"), (second, "Staff training")] {
            let r = app
                .post(
                    "/api/admin/holidays/add",
                    &[("day", &day.to_string()), ("name", name)],
                    Some(&admin),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            off.insert(day);
        }
        let r = app
            .post(
                "/api/admin/holidays/add",
                &[("day", &first.to_string()), ("name", "Again")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .post(
                "/api/admin/holidays/add",
                &[("day", "31/12/2026"), ("name", "New Year's Eve")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let (_, s) = deadlines(&app, &admin).await;
        let listed = s["holidays"].as_array().expect("holidays");
        assert_eq!(listed.len(), 2, "{s}");
        assert_eq!(listed[0]["name"], "Founders' Day");

        // Another practice's admin cannot remove them.
        let riverside = app.sign_in("admin@riverside.example").await;
        let id = listed[0]["id"].as_i64().expect("id").to_string();
        let r = app
            .post(
                "/api/admin/holidays/remove",
                &[("id", &id)],
                Some(&riverside),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(
            deadlines(&app, &admin).await.1["holidays"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );

        // An urgent referral (2 business days) skips the weekend and both
        // holidays, and ends at 23:59 on Hillside's clock.
        let id = refer_to_chen(&app, "Ines Duarte", "Urgent").await;
        let c = case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("case");
        let by = c.respond_by.expect("a deadline");
        assert_eq!(london().date_of(by), nth_business_day(today, 2, &off));
        let local = london().local(by);
        assert_eq!((local.hour(), local.minute()), (23, 59));
        // Its links carry it, for the Overdue queue.
        let links = case_link::Entity::find()
            .filter(case_link::Column::CaseId.eq(id))
            .all(&app.db)
            .await
            .expect("links");
        assert!(links.iter().all(|l| l.respond_by == Some(by)));

        // Removing a holiday moves no deadline already given.
        let r = app
            .post(
                "/api/admin/holidays/remove",
                &[("id", &id_of(&s, 0))],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let again = case::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("case");
        assert_eq!(again.respond_by, Some(by));
        app
    })
    .await;
}

fn id_of(setting: &Value, i: usize) -> String {
    setting["holidays"][i]["id"]
        .as_i64()
        .expect("id")
        .to_string()
}

/// Moves a case's deadline, as time passing would.
async fn deadline_at(app: &TestApp, id: i32, at: DateTime<Utc>) {
    case::Entity::update_many()
        .col_expr(case::Column::RespondBy, Expr::value(at))
        .filter(case::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .expect("case");
    case_link::Entity::update_many()
        .col_expr(case_link::Column::RespondBy, Expr::value(at))
        .filter(case_link::Column::CaseId.eq(id))
        .exec(&app.db)
        .await
        .expect("links");
}

async fn told(app: &TestApp, id: i32, kind: NotificationKind) -> Vec<i32> {
    notification::Entity::find()
        .filter(notification::Column::CaseId.eq(id))
        .filter(notification::Column::Kind.eq(kind))
        .all(&app.db)
        .await
        .expect("notifications")
        .into_iter()
        .map(|n| n.user_id)
        .collect()
}

/// Takes the deadlines of every case but `ids`, so the demo's own waiting
/// referrals do not fall due while a test moves the clock.
async fn only_deadlines_of(app: &TestApp, ids: &[i32]) {
    case::Entity::update_many()
        .col_expr(
            case::Column::RespondBy,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(case::Column::Id.is_not_in(ids.to_vec()))
        .exec(&app.db)
        .await
        .expect("cases");
}

/// Two watchers at once, as two instances would run.
async fn watch(app: &TestApp, now: DateTime<Utc>) -> usize {
    let url = "http://caseport.test";
    let (a, b) = tokio::join!(
        app::cases::service::deadlines::escalate_due(&app.db, url, now),
        app::cases::service::deadlines::escalate_due(&app.db, url, now),
    );
    a.expect("watch") + b.expect("watch")
}

/// The patients of one queue, and its count beside the list.
async fn overdue_queue(app: &TestApp, cookie: &str) -> Vec<String> {
    let r = app
        .post_json(
            "/api/cases/list",
            json!({ "filter": { "queue": "Overdue" } }),
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page: Value = serde_json::from_str(&r.body).expect("json");
    let names: Vec<String> = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["patient_name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(page["total"].as_u64(), Some(names.len() as u64));
    let r = app.get("/api/cases/queues", Some(cookie)).await;
    let counts: Value = serde_json::from_str(&r.body).expect("json");
    let count = counts["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|p| p[0] == "Overdue")
        .and_then(|p| p[1].as_u64());
    assert_eq!(count, Some(names.len() as u64), "{counts}");
    names
}

#[tokio::test]
async fn a_missed_deadline_shows_on_both_sides_and_escalates_once_per_step() {
    on_both(|app| async move {
        let chen = user_id(&app, "chen@hillside.example").await;
        let morgan = user_id(&app, "morgan@hillside.example").await;
        let id = refer_to_chen(&app, "Ivo Petrov", "Routine").await;
        let answered = refer_to_chen(&app, "Ada Berg", "Routine").await;
        only_deadlines_of(&app, &[id, answered]).await;
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let morgan_cookie = app.sign_in("morgan@hillside.example").await;

        // Not due yet: shown as a deadline, in no Overdue queue, escalated
        // to no one.
        let detail = |cookie: String| {
            let app = &app;
            async move {
                let r = app.get(&format!("/api/cases/get?id={id}"), Some(&cookie)).await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                serde_json::from_str::<Value>(&r.body).expect("json")["due"].clone()
            }
        };
        let due = detail(ortiz.clone()).await;
        assert_eq!(due["overdue_days"], Value::Null, "{due}");
        assert!(!overdue_queue(&app, &ortiz).await.contains(&"Ivo Petrov".to_string()));
        assert_eq!(watch(&app, Utc::now()).await, 0);

        // The deadline passed an hour ago; Dr. Chen answers the other case.
        let now = Utc::now();
        deadline_at(&app, id, now - Duration::hours(1)).await;
        deadline_at(&app, answered, now - Duration::hours(1)).await;
        let chen_cookie = app.sign_in("chen@hillside.example").await;
        let a = case_of(&app, "Ada Berg").await;
        let r = app
            .post_json(
                "/api/cases/transition",
                json!({ "id": a.id, "version": a.version, "transition": "Accept", "reason": null, "note": null }),
                Some(&chen_cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Both sides see it overdue, and both have it in their Overdue queue.
        for cookie in [ortiz.clone(), morgan_cookie.clone()] {
            assert_eq!(detail(cookie.clone()).await["overdue_days"], 1);
            let queue = overdue_queue(&app, &cookie).await;
            assert!(queue.contains(&"Ivo Petrov".to_string()), "{queue:?}");
            assert!(!queue.contains(&"Ada Berg".to_string()), "answered: {queue:?}");
        }

        // Step 1: Dr. Chen (no one owns the case) is told once, by mail
        // too, though two watchers ran; the case managers are not told yet.
        assert_eq!(watch(&app, now).await, 1);
        assert_eq!(told(&app, id, NotificationKind::Overdue).await, [chen]);
        assert!(told(&app, id, NotificationKind::Escalated).await.is_empty());
        assert!(told(&app, answered, NotificationKind::Overdue).await.is_empty());
        let mails = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Subject.eq(format!("Caseport: case #{id} is overdue")))
            .all(&app.db)
            .await
            .expect("outbox");
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert_eq!(watch(&app, now + Duration::hours(2)).await, 0);

        // Step 2, a day later: Hillside's case managers, naming the doctor.
        assert_eq!(watch(&app, now + Duration::hours(25)).await, 1);
        assert_eq!(told(&app, id, NotificationKind::Escalated).await, [morgan]);
        let r = app.get("/api/notifications/list", Some(&morgan_cookie)).await;
        assert!(
            r.body.contains(&format!(
                "Case #{id} to Dr. Li Chen is past its response deadline; it is escalated to you."
            )),
            "{}",
            r.body
        );
        // The case's history says what the watch did, to both sides.
        let r = app.get(&format!("/api/cases/get?id={id}"), Some(&ortiz)).await;
        let history = serde_json::from_str::<Value>(&r.body).expect("json")["history"].to_string();
        assert!(history.contains("Past its response deadline: Dr. Li Chen told"), "{history}");
        assert!(
            history.contains("A day past its response deadline: escalated to Morgan Hill"),
            "{history}"
        );
        assert_eq!(watch(&app, now + Duration::hours(50)).await, 0);
        assert_eq!(told(&app, id, NotificationKind::Overdue).await.len(), 1);

        // Once accepted, the case waits on no one and shows no deadline.
        let c = case_of(&app, "Ivo Petrov").await;
        let r = app
            .post_json(
                "/api/cases/transition",
                json!({ "id": id, "version": c.version, "transition": "Accept", "reason": null, "note": null }),
                Some(&chen_cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(detail(ortiz.clone()).await, Value::Null);
        assert!(!overdue_queue(&app, &ortiz).await.contains(&"Ivo Petrov".to_string()));
        app
    })
    .await;
}

/// When someone owns the case, the first step tells them, not the doctor;
/// a watcher that was down a day takes both steps at once.
#[tokio::test]
async fn the_owner_hears_first_and_a_late_watcher_takes_both_steps() {
    on_both(|app| async move {
        let chen = user_id(&app, "chen@hillside.example").await;
        let morgan = user_id(&app, "morgan@hillside.example").await;
        let id = refer_to_chen(&app, "Ola Nord", "Urgent").await;
        only_deadlines_of(&app, &[id]).await;
        let morgan_cookie = app.sign_in("morgan@hillside.example").await;
        let c = case_of(&app, "Ola Nord").await;
        let r = app
            .post_json(
                "/api/cases/assign",
                json!({ "id": id, "version": c.version, "owner": morgan }),
                Some(&morgan_cookie),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let now = Utc::now();
        deadline_at(&app, id, now - Duration::days(3)).await;
        assert_eq!(watch(&app, now).await, 2);
        assert_eq!(told(&app, id, NotificationKind::Overdue).await, [morgan]);
        assert_eq!(told(&app, id, NotificationKind::Escalated).await, [morgan]);
        assert!(
            !told(&app, id, NotificationKind::Overdue)
                .await
                .contains(&chen)
        );
        assert_eq!(watch(&app, now).await, 0);
        app
    })
    .await;
}
