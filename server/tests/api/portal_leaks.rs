//! The portal, seen from the case manager's side: what they see, and the
//! proof that they see nothing else. Every request goes through the real
//! HTTP stack with the ids of other clients guessed in the arguments.

use chrono::Utc;
use http::StatusCode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Statement,
};
use serde_json::{Value, json};

use app::activity::ActivityAction;
use app::agency::{DataKind, Visibility};
use app::assignments::Relationship;
use app::entities::{client, client_assignment, organisation};
use app::orgs::OrgKind;

use crate::helpers::{TestApp, harbour_zone, last_log, on_both, saved_id};
use crate::referrals::user_id;

/// The portal's read endpoints for one client, with the data kind each
/// needs (`None`: the client page itself).
const READS: [(&str, Option<DataKind>); 6] = [
    ("/api/portal/client", None),
    ("/api/portal/schedule", Some(DataKind::Schedules)),
    ("/api/portal/notes", Some(DataKind::Notes)),
    ("/api/portal/hours", Some(DataKind::HoursSummary)),
    ("/api/portal/assessments", Some(DataKind::Assessments)),
    ("/api/portal/documents", Some(DataKind::Documents)),
];

fn read_url(path: &str, client_id: i32) -> String {
    match path {
        "/api/portal/schedule" => format!("{path}?client_id={client_id}&from=&to=&status="),
        "/api/portal/notes" => format!("{path}?client_id={client_id}&query="),
        _ => format!("{path}?client_id={client_id}"),
    }
}

pub(crate) async fn client_id(app: &TestApp, name: &str) -> i32 {
    client::Entity::find()
        .filter(client::Column::FullName.eq(name))
        .one(&app.db)
        .await
        .expect("query")
        .expect("client")
        .id
}

/// Another agency with a client that Erin is (wrongly) assigned to in the
/// database: the policy must still refuse it.
async fn other_agency_client(app: &TestApp, erin: i32) -> i32 {
    let org = organisation::ActiveModel {
        slug: Set("bayview".into()),
        name: Set("Bayview Care".into()),
        kind: Set(OrgKind::Agency),
        idle_timeout_minutes: Set(30),
        time_zone: Set("UTC".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("org");
    let c = client::ActiveModel {
        organisation_id: Set(org.id),
        full_name: Set("Zed Otheragency".into()),
        date_of_birth: Set(None),
        phone: Set(None),
        email: Set(None),
        address: Set(None),
        authorised_hours_per_month: Set(10),
        archived_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("client");
    client_assignment::ActiveModel {
        client_id: Set(c.id),
        case_manager_user_id: Set(erin),
        relationship: Set(Relationship::Primary),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("assignment");
    c.id
}

pub(crate) async fn set_visibility(app: &TestApp, admin: &str, v: Visibility) {
    let r = app
        .post_json(
            "/api/settings/portal/update",
            json!({ "change": { "Visibility": v } }),
            Some(admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

fn hide(kind: DataKind) -> Visibility {
    let mut v = Visibility::default();
    v.set(kind, false);
    v
}

/// A refusal says nothing about the client.
fn assert_refused(status: StatusCode, body: &str, names: &[&str], what: &str) {
    assert!(
        status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
        "{what}: {status} {body}"
    );
    for n in names {
        assert!(!body.contains(n), "{what}: {body}");
    }
    for leak in [
        "visit completed",
        "Annual needs",
        "Harbour Road",
        "scheduled",
    ] {
        assert!(!body.contains(leak), "{what}: {body}");
    }
}

#[tokio::test]
async fn a_case_manager_reads_only_assigned_active_clients_and_only_visible_kinds() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let erin_id = user_id(&app, "erin@northcounty.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let dorothy = client_id(&app, "Dorothy Evans").await;
        let edward = client_id(&app, "Edward Archer").await;
        let zed = other_agency_client(&app, erin_id).await;
        let erin = app.sign_in("erin@northcounty.example").await;

        // Everything visible by default except staff and contact info.
        for (path, _) in READS {
            let r = app.get(&read_url(path, alice), Some(&erin)).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
            let log = last_log(&app).await;
            assert_eq!(log.action, ActivityAction::PageViewed, "{path}");
            assert_eq!(log.actor_user_id, Some(erin_id));
            assert!(log.detail.contains("Alice Brown"), "{path}: {}", log.detail);
            for (other, names) in [
                (dorothy, ["Dorothy", "Evans"]),
                (edward, ["Edward", "Archer"]),
                (zed, ["Zed", "Otheragency"]),
            ] {
                let r = app.get(&read_url(path, other), Some(&erin)).await;
                assert_refused(r.status, &r.body, &names, &format!("{path} for {other}"));
            }
        }
        let page: Value = serde_json::from_str(
            &app.get(&read_url("/api/portal/client", alice), Some(&erin))
                .await
                .body,
        )
        .expect("json");
        assert_eq!(
            page["contact"],
            Value::Null,
            "contact info is off by default"
        );
        let schedule = app
            .get(&read_url("/api/portal/schedule", alice), Some(&erin))
            .await
            .body;
        assert!(
            !schedule.contains("Sam Scheduler"),
            "staff info is off by default"
        );
        let notes = app
            .get(&read_url("/api/portal/notes", alice), Some(&erin))
            .await
            .body;
        assert!(notes.contains("visit completed"));
        assert!(
            !notes.contains("Internal"),
            "internal notes never leave: {notes}"
        );
        assert!(!notes.contains("billing"), "{notes}");

        // Each kind turned off: its endpoint refuses, its tab is gone, the
        // others still answer.
        for kind in [
            DataKind::Schedules,
            DataKind::Notes,
            DataKind::HoursSummary,
            DataKind::Assessments,
            DataKind::Documents,
        ] {
            set_visibility(&app, &admin, hide(kind)).await;
            for (path, needs) in READS {
                let r = app.get(&read_url(path, alice), Some(&erin)).await;
                if needs == Some(kind) {
                    assert_refused(r.status, &r.body, &[], &format!("{path} with {kind:?} off"));
                } else {
                    assert_eq!(
                        r.status,
                        StatusCode::OK,
                        "{path} with {kind:?} off: {}",
                        r.body
                    );
                }
            }
            let page: Value = serde_json::from_str(
                &app.get(&read_url("/api/portal/client", alice), Some(&erin))
                    .await
                    .body,
            )
            .expect("json");
            let tabs = page["tabs"].as_array().expect("tabs");
            assert!(
                !tabs.contains(&json!(kind)),
                "{kind:?} still a tab: {tabs:?}"
            );
            assert_eq!(tabs.len(), 4);
        }
        // Staff and contact info turned on: they appear.
        let all = Visibility {
            staff_info: true,
            contact_info: true,
            ..Visibility::default()
        };
        set_visibility(&app, &admin, all).await;
        let page: Value = serde_json::from_str(
            &app.get(&read_url("/api/portal/client", alice), Some(&erin))
                .await
                .body,
        )
        .expect("json");
        assert_eq!(page["contact"]["address"], "1 Harbour Road");
        let schedule = app
            .get(&read_url("/api/portal/schedule", alice), Some(&erin))
            .await
            .body;
        assert!(schedule.contains("Sam Scheduler"));

        // Suspended: the open session is gone, every read refused.
        let r = app
            .post_json(
                "/api/case-managers/access",
                json!({ "id": erin_id, "status": "Suspended", "reason": "Leave" }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for (path, _) in READS {
            let r = app.get(&read_url(path, alice), Some(&erin)).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.body);
            assert!(!r.body.contains("Alice"));
        }
        // Revoked (after re-activation and a new session): the same.
        let r = app
            .post_json(
                "/api/case-managers/access",
                json!({ "id": erin_id, "status": "Active", "reason": "" }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let erin = app.sign_in("erin@northcounty.example").await;
        assert_eq!(
            app.get(&read_url("/api/portal/hours", alice), Some(&erin))
                .await
                .status,
            StatusCode::OK
        );
        let r = app
            .post_json(
                "/api/case-managers/access",
                json!({ "id": erin_id, "status": "Revoked", "reason": "Contract ended" }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for (path, _) in READS {
            let r = app.get(&read_url(path, alice), Some(&erin)).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.body);
        }
        app
    })
    .await;
}

/// Rows in the tables a case manager must never change.
async fn agency_data(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for t in [
        "clients",
        "client_assignments",
        "appointments",
        "service_notes",
        "assessments",
        "documents",
        "document_categories",
        "portal_settings",
    ] {
        counts.push(app.count(t).await);
    }
    let archived = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM clients WHERE archived_at IS NOT NULL",
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n");
    counts.push(archived);
    counts
}

#[tokio::test]
async fn no_server_function_lets_a_case_manager_change_agency_data() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let before = agency_data(&app).await;
        let attempts = [
            ("/api/care/appointments/add", json!({ "client_id": alice, "input": {
                "date": "2026-12-01", "start": "09:00", "end": "10:00", "service_type": "x", "staff_user_id": null } })),
            ("/api/care/appointments/status", json!({ "appointment_id": 1, "status": "Cancelled" })),
            ("/api/care/appointments/update", json!({ "appointment_id": 1, "input": {
                "date": "2026-12-01", "start": "09:00", "end": "10:00", "service_type": "x", "staff_user_id": null } })),
            ("/api/care/notes/add", json!({ "client_id": alice, "input": { "content": "x", "internal": "" } })),
            ("/api/care/assessments/add", json!({ "client_id": alice, "input": {
                "assessed_on": "2026-01-01", "title": "x", "summary": "x", "next_due": "" } })),
            ("/api/agency/clients/assign", json!({ "client_id": alice, "case_manager_id": 1, "relationship": "Primary" })),
            ("/api/agency/clients/unassign", json!({ "client_id": alice, "case_manager_id": 1 })),
            ("/api/agency/clients/archive", json!({ "client_id": alice, "archived": true })),
            ("/api/agency/documents/share", json!({ "document_id": 1, "shared": true })),
            ("/api/agency/categories/sharing", json!({ "category_id": 1, "sharing": "Always" })),
            ("/api/settings/portal/update", json!({ "change": { "Enabled": false } })),
        ];
        for (path, body) in attempts {
            let r = app.post_json(path, body, Some(&erin)).await;
            assert!(
                r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
                "{path}: {} {}",
                r.status,
                r.body
            );
        }
        let r = app
            .get(&format!("/api/care/record?client_id={alice}"), Some(&erin))
            .await;
        assert_refused(r.status, &r.body, &[], "the staff care record");
        assert_eq!(agency_data(&app).await, before);
        app
    })
    .await;
}

/// One random world: which of the demo clients Erin is assigned to (and
/// how), whether each is archived, and the agency's visibility.
#[derive(Clone, Debug)]
struct World {
    assigned: [Option<Relationship>; 3],
    archived: [bool; 3],
    visible: [bool; 7],
}

fn world() -> impl Strategy<Value = World> {
    let rel = prop_oneof![
        Just(None),
        Just(Some(Relationship::Primary)),
        Just(Some(Relationship::Secondary)),
        Just(Some(Relationship::Supervisor)),
    ];
    (
        [rel.clone(), rel.clone(), rel],
        any::<[bool; 3]>(),
        any::<[bool; 7]>(),
    )
        .prop_map(|(assigned, archived, visible)| World {
            assigned,
            archived,
            visible,
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_portal_returns_equals_what_the_rules_say() {
    let app = TestApp::sqlite().await;
    let admin = app.sign_in("admin@harbour.example").await;
    let erin_id = user_id(&app, "erin@northcounty.example").await;
    let erin = app.sign_in("erin@northcounty.example").await;
    let names = ["Alice Brown", "Carlos Diaz", "Dorothy Evans"];
    let mut ids = Vec::new();
    for n in names {
        ids.push(client_id(&app, n).await);
    }
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let result = tokio::task::block_in_place(|| {
        runner.run(&world(), |w| {
            handle.block_on(async {
                // Set the world up through the database.
                client_assignment::Entity::delete_many()
                    .filter(client_assignment::Column::CaseManagerUserId.eq(erin_id))
                    .exec(&app.db)
                    .await
                    .expect("clear");
                client_assignment::Entity::delete_many()
                    .filter(client_assignment::Column::Relationship.eq(Relationship::Primary))
                    .exec(&app.db)
                    .await
                    .expect("clear primaries");
                for (i, id) in ids.iter().enumerate() {
                    if let Some(rel) = w.assigned[i] {
                        client_assignment::ActiveModel {
                            client_id: Set(*id),
                            case_manager_user_id: Set(erin_id),
                            relationship: Set(rel),
                            created_at: Set(Utc::now()),
                            ..Default::default()
                        }
                        .insert(&app.db)
                        .await
                        .expect("assign");
                    }
                    let c = client::Entity::find_by_id(*id)
                        .one(&app.db)
                        .await
                        .expect("q")
                        .expect("c");
                    let mut c: client::ActiveModel = c.into();
                    c.archived_at = Set(w.archived[i].then(Utc::now));
                    c.update(&app.db).await.expect("archive");
                }
                let mut v = Visibility::default();
                for (k, on) in DataKind::ALL.into_iter().zip(w.visible) {
                    v.set(k, on);
                }
                set_visibility(&app, &admin, v).await;

                // My clients: exactly the assigned, unarchived ones.
                let r = app.get(crate::helpers::MY_CLIENTS, Some(&erin)).await;
                prop_assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                let listed: Vec<Value> = serde_json::from_str(&r.body).expect("json");
                let mut got: Vec<&str> = listed
                    .iter()
                    .filter_map(|c| c["full_name"].as_str())
                    .collect();
                got.sort_unstable();
                let want: Vec<&str> = (0..3)
                    .filter(|&i| w.assigned[i].is_some() && !w.archived[i])
                    .map(|i| names[i])
                    .collect();
                prop_assert_eq!(&got, &want);

                // Every endpoint of every client: allowed exactly when the
                // rules say so.
                for (i, id) in ids.iter().enumerate() {
                    let open = w.assigned[i].is_some() && !w.archived[i];
                    for (path, needs) in READS {
                        let allowed = open && needs.is_none_or(|k| v.allows(k));
                        let r = app.get(&read_url(path, *id), Some(&erin)).await;
                        if allowed {
                            prop_assert_eq!(r.status, StatusCode::OK, "{} {}", path, r.body);
                        } else {
                            prop_assert!(
                                r.status == StatusCode::NOT_FOUND,
                                "{} for {}: {} {}",
                                path,
                                names[i],
                                r.status,
                                r.body
                            );
                            prop_assert!(!r.body.contains(names[i]));
                        }
                    }
                }
                Ok(())
            })
        })
    });
    app.teardown().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[tokio::test]
async fn the_terms_of_use_come_first_and_again_when_they_change() {
    on_both(|app| async move {
        let frank = app.sign_in("frank@northcounty.example").await;
        let r = app.get(crate::helpers::MY_CLIENTS, Some(&frank)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.body.contains("TermsNotAccepted"), "{}", r.body);
        assert!(!r.body.contains("Dorothy"));
        let terms: Value =
            serde_json::from_str(&app.get("/api/portal/terms", Some(&frank)).await.body)
                .expect("json");
        assert_eq!(terms["pending"], true);
        assert_eq!(terms["version"], 1);
        assert!(terms["text"].as_str().is_some_and(|t| t.contains("confidential")));

        // Accepting a version that is not the current one is refused.
        let r = app
            .post("/api/portal/terms/accept", &[("version", "7")], Some(&frank))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        crate::helpers::accept_terms(&app, &frank).await;
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::TermsAccepted);
        assert_eq!(log.actor_user_id, Some(user_id(&app, "frank@northcounty.example").await));
        let r = app.get(crate::helpers::MY_CLIENTS, Some(&frank)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Dorothy Evans"));

        // A new text: asked again, at once, in the open session.
        let admin = app.sign_in("admin@harbour.example").await;
        let r = app
            .post_json(
                "/api/settings/portal/update",
                json!({ "change": { "Terms": { "text": "New terms.", "require_acceptance": true } } }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app.get(crate::helpers::MY_CLIENTS, Some(&frank)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let r = app
            .post("/api/portal/terms/accept", &[("version", "2")], Some(&frank))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.get(crate::helpers::MY_CLIENTS, Some(&frank)).await.status,
            StatusCode::OK
        );
        // Staff have no terms to accept and no portal to read.
        let r = app.get("/api/portal/terms", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

/// A client with no history, assigned to Erin as Primary.
pub(crate) async fn fresh_client(app: &TestApp, name: &str, hours: i32) -> i32 {
    let harbour = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq("harbour"))
        .one(&app.db)
        .await
        .expect("q")
        .expect("harbour");
    let c = client::ActiveModel {
        organisation_id: Set(harbour.id),
        full_name: Set(name.into()),
        date_of_birth: Set(None),
        phone: Set(None),
        email: Set(None),
        address: Set(None),
        authorised_hours_per_month: Set(hours),
        archived_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("client");
    client_assignment::ActiveModel {
        client_id: Set(c.id),
        case_manager_user_id: Set(user_id(app, "erin@northcounty.example").await),
        relationship: Set(Relationship::Primary),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("assign");
    c.id
}

#[tokio::test]
async fn staff_keep_the_care_record_and_the_portal_shows_its_shareable_part() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let erin = app.sign_in("erin@northcounty.example").await;
        let id = fresh_client(&app, "Hana Fixture", 10).await;
        // Harbour's calendar decides which month the visits count in.
        let today = harbour_zone().date_of(Utc::now());
        let day = today.format("%Y-%m-%d").to_string();
        let add = |start: &'static str, end: &'static str| {
            let (app, sam, day) = (&app, sam.clone(), day.clone());
            async move {
                let r = app
                    .post_json(
                        "/api/care/appointments/add",
                        json!({ "client_id": id, "input": { "date": day, "start": start,
                            "end": end, "service_type": "Home support", "staff_user_id": null } }),
                        Some(&sam),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                saved_id(&r.body)
            }
        };
        // This month, by hand: 1.5 h + 2 h completed, 1 h no-show, 3 h
        // cancelled, 0.5 h still scheduled.
        let a1 = add("08:00", "09:30").await;
        let a2 = add("10:00", "12:00").await;
        let a3 = add("13:00", "14:00").await;
        let a4 = add("14:00", "17:00").await;
        add("17:00", "17:30").await;
        assert_eq!(last_log(&app).await.action, ActivityAction::AppointmentAdded);
        for (a, status) in [(a1, "Completed"), (a2, "Completed"), (a3, "NoShow"), (a4, "Cancelled")] {
            let r = app
                .post_json(
                    "/api/care/appointments/status",
                    json!({ "appointment_id": a, "status": status }),
                    Some(&sam),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::AppointmentStatusChanged);
        assert!(log.detail.contains("cancelled"), "{}", log.detail);

        let hours: Vec<Value> = serde_json::from_str(
            &app.get(&format!("/api/portal/hours?client_id={id}"), Some(&erin)).await.body,
        )
        .expect("json");
        let this_month = hours.last().expect("a month");
        assert_eq!(this_month["month"], today.format("%Y-%m").to_string());
        assert_eq!(this_month["authorised_minutes"], 600);
        assert_eq!(this_month["completed_minutes"], 210);
        assert_eq!(this_month["scheduled_minutes"], 300);
        assert_eq!(this_month["remaining_minutes"], 390);

        // Bad input: a clear message, nothing stored.
        let before = app.count("appointments").await;
        for (input, field) in [
            (json!({ "date": day, "start": "10:00", "end": "09:00", "service_type": "x", "staff_user_id": null }), "end"),
            (json!({ "date": "31/12/2026", "start": "10:00", "end": "11:00", "service_type": "x", "staff_user_id": null }), "date"),
            (json!({ "date": day, "start": "10:00", "end": "11:00", "service_type": "  ", "staff_user_id": null }), "service_type"),
            (json!({ "date": day, "start": "10:00", "end": "11:00", "service_type": "x", "staff_user_id": 1 }), "staff_user_id"),
        ] {
            let r = app
                .post_json("/api/care/appointments/add", json!({ "client_id": id, "input": input }), Some(&sam))
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
            assert!(r.body.contains(field), "{field}: {}", r.body);
        }
        assert_eq!(app.count("appointments").await, before);

        // Notes: the general part reaches the portal, the internal never.
        let r = app
            .post_json(
                "/api/care/notes/add",
                json!({ "client_id": id, "input": { "content": "Walked to the <b>park</b> together.",
                    "internal": "Family dispute about fees." } }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .post_json(
                "/api/care/notes/add",
                json!({ "client_id": id, "input": { "content": "", "internal": "Only for us." } }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let notes = app
            .get(&format!("/api/portal/notes?client_id={id}&query="), Some(&erin))
            .await
            .body;
        assert!(notes.contains("Walked to the <b>park</b> together."), "{notes}");
        assert!(!notes.contains("fees") && !notes.contains("Only for us"), "{notes}");
        let found = app
            .get(&format!("/api/portal/notes?client_id={id}&query=PARK"), Some(&erin))
            .await
            .body;
        assert!(found.contains("park"));
        let none = app
            .get(&format!("/api/portal/notes?client_id={id}&query=zebra"), Some(&erin))
            .await
            .body;
        assert_eq!(none, "[]");
        let staff_view = app
            .get(&format!("/api/care/record?client_id={id}"), Some(&sam))
            .await
            .body;
        assert!(staff_view.contains("Family dispute about fees."));

        // Assessments.
        let r = app
            .post_json(
                "/api/care/assessments/add",
                json!({ "client_id": id, "input": { "assessed_on": "2026-03-01", "title": "Annual review",
                    "summary": "Stable.", "next_due": "2025-01-01" } }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .post_json(
                "/api/care/assessments/add",
                json!({ "client_id": id, "input": { "assessed_on": "2026-03-01", "title": "Annual review",
                    "summary": "Stable.", "next_due": "2027-03-01" } }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let list = app
            .get(&format!("/api/portal/assessments?client_id={id}"), Some(&erin))
            .await
            .body;
        assert!(list.contains("Annual review") && list.contains("1 Mar 2027"), "{list}");

        // The schedule filters by status and date.
        let done = app
            .get(
                &format!("/api/portal/schedule?client_id={id}&from={day}&to={day}&status=completed"),
                Some(&erin),
            )
            .await;
        let done: Vec<Value> = serde_json::from_str(&done.body).expect("json");
        assert_eq!(done.len(), 2);
        let bad = app
            .get(
                &format!("/api/portal/schedule?client_id={id}&from=2026-12-31&to=2026-01-01&status="),
                Some(&erin),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        app
    })
    .await;
}

#[tokio::test]
async fn an_admin_previews_what_a_case_manager_sees_and_why() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let erin = user_id(&app, "erin@northcounty.example").await;
        let url = format!("/api/case-managers/preview?case_manager_id={erin}");
        let p: Value = serde_json::from_str(&app.get(&url, Some(&admin)).await.body).expect("json");
        assert_eq!(p["sign_in"], "Can sign in.");
        let rows = p["clients"].as_array().expect("clients");
        let row = |name: &str| {
            rows.iter()
                .find(|r| r["full_name"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("{name} in {rows:?}"))
        };
        assert_eq!(row("Alice Brown")["hidden_because"], Value::Null);
        assert_eq!(
            row("Edward Archer")["hidden_because"],
            "No: the client is archived"
        );
        assert_eq!(
            row("Alice Brown")["tabs"],
            json!([
                "Schedules",
                "Notes",
                "HoursSummary",
                "Assessments",
                "Documents"
            ])
        );
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::PortalPreviewed);
        assert_eq!(log.subject_id, Some(erin));

        // Suspended: the preview says why they cannot get in.
        let r = app
            .post_json(
                "/api/case-managers/access",
                json!({ "id": erin, "status": "Suspended", "reason": "" }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p: Value = serde_json::from_str(&app.get(&url, Some(&admin)).await.body).expect("json");
        assert_eq!(p["sign_in"], "Cannot sign in: access is Suspended.");
        let alice = p["clients"]
            .as_array()
            .and_then(|rows| {
                rows.iter()
                    .find(|r| r["full_name"] == "Alice Brown")
                    .cloned()
            })
            .expect("Alice");
        assert_eq!(alice["hidden_because"], "No: they cannot sign in");

        // Staff may not preview; another agency's admin gets nothing.
        let sam = app.sign_in("sam@harbour.example").await;
        let r = app.get(&url, Some(&sam)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let riley = app.sign_in("admin@riverside.example").await;
        let r = app.get(&url, Some(&riley)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert!(!r.body.contains("Alice"));
        app
    })
    .await;
}

#[tokio::test]
async fn staff_reschedule_an_appointment_and_the_log_keeps_both_versions() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let erin = app.sign_in("erin@northcounty.example").await;
        let id = fresh_client(&app, "Ivo Reschedule", 10).await;
        let day = harbour_zone()
            .date_of(Utc::now())
            .format("%Y-%m-%d")
            .to_string();
        let r = app
            .post_json(
                "/api/care/appointments/add",
                json!({ "client_id": id, "input": { "date": day, "start": "09:00",
                    "end": "10:00", "service_type": "Home support", "staff_user_id": null } }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let appt = saved_id(&r.body);
        let change = |end: &str| {
            json!({ "appointment_id": appt, "input": { "date": day, "start": "09:00",
                "end": end, "service_type": "Personal care", "staff_user_id": null } })
        };
        // Bad input changes nothing; a case manager cannot change it.
        let r = app
            .post_json("/api/care/appointments/update", change("08:00"), Some(&sam))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .post_json(
                "/api/care/appointments/update",
                change("11:30"),
                Some(&erin),
            )
            .await;
        assert_refused(r.status, &r.body, &[], "a case manager rescheduling");
        let r = app
            .post_json("/api/care/appointments/update", change("11:30"), Some(&sam))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::AppointmentUpdated);
        assert!(
            log.detail.contains("10:00") && log.detail.contains("11:30"),
            "{}",
            log.detail
        );
        let schedule = app
            .get(
                &format!("/api/portal/schedule?client_id={id}&from=&to=&status="),
                Some(&erin),
            )
            .await
            .body;
        assert!(
            schedule.contains("Personal care") && schedule.contains("\"minutes\":150"),
            "{schedule}"
        );
        app
    })
    .await;
}
