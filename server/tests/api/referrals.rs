//! Referral workflow and the practice case manager, through the real
//! server-function endpoints.

use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::entities::{case, user};

use crate::helpers::{TestApp, on_both};

pub async fn case_of(app: &TestApp, patient: &str) -> case::Model {
    case::Entity::find()
        .filter(case::Column::PatientName.eq(patient))
        .one(&app.db)
        .await
        .expect("query")
        .expect("seeded case")
}

pub async fn user_id(app: &TestApp, email: &str) -> i32 {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("query")
        .expect("user")
        .id
}

/// Lena Lake, case manager of Lakeside Clinic: a practice with no doctor
/// on any seeded case.
pub async fn lakeside_case_manager(app: &TestApp) -> app::entities::organisation::Model {
    let lakeside = server::users::ensure_org(
        &app.db,
        "lakeside",
        "Lakeside Clinic",
        app::orgs::OrgKind::Practice,
        app::zone::Zone::UTC,
    )
    .await
    .expect("org");
    server::users::ensure_user(
        &app.db,
        server::users::NewUser {
            org: &lakeside,
            email: "lena@lakeside.example",
            name: "Lena Lake",
            role: app::auth::Role::PracticeCaseManager,
            specialty: None,
            password: secrecy::SecretString::from(crate::helpers::PASSWORD),
        },
    )
    .await
    .expect("user");
    lakeside
}

async fn transition(
    app: &TestApp,
    cookie: &str,
    c: &case::Model,
    t: &str,
    reason: Option<&str>,
) -> crate::helpers::Reply {
    app.post_json(
        "/api/cases/transition",
        json!({ "id": c.id, "version": c.version, "transition": t, "reason": reason, "note": "checked" }),
        Some(cookie),
    )
    .await
}

/// The policy table, through the endpoints: each role × action on Maria
/// Gonzalez's case (Dr. Ortiz of Riverside → Dr. Chen of Hillside; Pat of
/// Riverside associated). A refused call changes nothing.
#[tokio::test]
async fn every_role_and_action_gets_the_policy_answer_and_refusals_change_nothing() {
    on_both(|app| async move {
        let okafor = user_id(&app, "okafor@riverside.example").await;
        // A case manager of a practice with no doctor on the case.
        lakeside_case_manager(&app).await;
        // (who, action, expected status)
        let table: &[(&str, &str, StatusCode)] = &[
            ("chen@hillside.example", "view", StatusCode::OK),
            ("casey@riverside.example", "view", StatusCode::OK),
            ("morgan@hillside.example", "view", StatusCode::OK),
            ("lena@lakeside.example", "view", StatusCode::NOT_FOUND),
            ("lena@lakeside.example", "accept", StatusCode::NOT_FOUND),
            ("lena@lakeside.example", "modify", StatusCode::NOT_FOUND),
            ("lena@lakeside.example", "cancel", StatusCode::NOT_FOUND),
            ("okafor@riverside.example", "view", StatusCode::NOT_FOUND),
            ("okafor@riverside.example", "accept", StatusCode::NOT_FOUND),
            ("okafor@riverside.example", "modify", StatusCode::NOT_FOUND),
            ("pat@riverside.example", "view", StatusCode::OK),
            ("pat@riverside.example", "accept", StatusCode::FORBIDDEN),
            ("pat@riverside.example", "modify", StatusCode::FORBIDDEN),
            ("erin@northcounty.example", "view", StatusCode::NOT_FOUND),
            ("erin@northcounty.example", "cancel", StatusCode::NOT_FOUND),
            ("admin@hillside.example", "view", StatusCode::NOT_FOUND),
            ("admin@hillside.example", "accept", StatusCode::NOT_FOUND),
            ("fischer@hillside.example", "view", StatusCode::NOT_FOUND),
            ("ortiz@riverside.example", "accept", StatusCode::FORBIDDEN),
            ("ortiz@riverside.example", "reject", StatusCode::FORBIDDEN),
            ("ortiz@riverside.example", "refer", StatusCode::FORBIDDEN),
            ("casey@riverside.example", "accept", StatusCode::FORBIDDEN),
            ("morgan@hillside.example", "cancel", StatusCode::FORBIDDEN),
            ("chen@hillside.example", "cancel", StatusCode::FORBIDDEN),
        ];
        for (who, action, want) in table {
            let cookie = app.sign_in(who).await;
            let before = case_of(&app, "Maria Gonzalez").await;
            let logs = app.count("activity_logs").await;
            let reply = match *action {
                "view" => app.get(&format!("/api/cases/get?id={}", before.id), Some(&cookie)).await,
                "accept" => transition(&app, &cookie, &before, "Accept", None).await,
                "reject" => transition(&app, &cookie, &before, "Reject", Some("NoCapacity")).await,
                "cancel" => transition(&app, &cookie, &before, "Cancel", None).await,
                "refer" => {
                    app.post_json(
                        "/api/cases/refer",
                        json!({ "id": before.id, "version": before.version, "to_doctor": okafor, "note": "" }),
                        Some(&cookie),
                    )
                    .await
                }
                "modify" => {
                    app.post_json(
                        "/api/cases/modify",
                        json!({ "id": before.id, "version": before.version, "changes": {
                            "patient_contact": null, "reason": "changed", "urgency": "Routine", "notes": null } }),
                        Some(&cookie),
                    )
                    .await
                }
                other => panic!("unknown action {other}"),
            };
            assert_eq!(reply.status, *want, "{who} {action}: {}", reply.body);
            if *want != StatusCode::OK {
                assert!(!reply.body.contains("Maria"), "{who} {action} leaked the case");
                let after = case_of(&app, "Maria Gonzalez").await;
                assert_eq!(after, before, "{who} {action} changed the case");
                // Only the sign-in itself was logged.
                assert_eq!(app.count("activity_logs").await, logs, "{who} {action} wrote a log row");
            }
        }
        app
    })
    .await;
}

#[tokio::test]
async fn a_case_manager_accepts_for_their_doctor_and_the_history_names_both() {
    on_both(|app| async move {
        // Jonas Weber: Dr. Fischer (Hillside) → Dr. Okafor (Riverside).
        let casey = app.sign_in("casey@riverside.example").await;
        let c = case_of(&app, "Jonas Weber").await;
        let reply = transition(&app, &casey, &c, "Accept", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let detail: Value = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(detail["status"], "Accepted");
        let history: Vec<String> = detail["history"]
            .as_array()
            .expect("history")
            .iter()
            .map(|h| h["text"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(
            history
                .iter()
                .any(|h| h == "Accepted by Casey Staff (case manager) for Dr. Ben Okafor"),
            "{history:?}"
        );
        // The referring doctor sees the same history.
        let fischer = app.sign_in("fischer@hillside.example").await;
        let seen = app
            .get(&format!("/api/cases/get?id={}", c.id), Some(&fischer))
            .await;
        assert!(
            seen.body
                .contains("Accepted by Casey Staff (case manager) for Dr. Ben Okafor"),
            "{}",
            seen.body
        );
        app
    })
    .await;
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_illegal_transitions_change_nothing() {
    on_both(|app| async move {
        let chen = app.sign_in("chen@hillside.example").await;
        let c = case_of(&app, "Maria Gonzalez").await;
        let no_reason = transition(&app, &chen, &c, "Reject", None).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_reason.body.contains("Choose a reason for rejecting."));
        assert_eq!(case_of(&app, "Maria Gonzalez").await, c);

        // Priya Patel's case is Completed: it cannot be accepted.
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let done = case_of(&app, "Priya Patel").await;
        let reply = transition(&app, &ortiz, &done, "Accept", None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert!(
            reply
                .body
                .contains("A case that is completed cannot be accepted."),
            "{}",
            reply.body
        );
        assert_eq!(case_of(&app, "Priya Patel").await, done);

        let rejected = transition(&app, &chen, &c, "Reject", Some("NotMySpecialty")).await;
        assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
        let after = case_of(&app, "Maria Gonzalez").await;
        assert_eq!(after.rejection_code.as_deref(), Some("not_my_specialty"));
        assert_eq!(after.version, c.version + 1);
        app
    })
    .await;
}

#[tokio::test]
async fn the_second_of_two_saves_of_one_version_is_told_who_changed_it() {
    on_both(|app| async move {
        let chen = app.sign_in("chen@hillside.example").await;
        let morgan = app.sign_in("morgan@hillside.example").await;
        let c = case_of(&app, "Maria Gonzalez").await;
        let first = transition(&app, &morgan, &c, "Accept", None).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let accepted = case_of(&app, "Maria Gonzalez").await;
        // Dr. Chen still holds the old version.
        let second = app
            .post_json(
                "/api/cases/modify",
                json!({ "id": c.id, "version": c.version, "changes": {
                    "patient_contact": null, "reason": "overwrite", "urgency": "Emergency", "notes": null } }),
                Some(&chen),
            )
            .await;
        assert_eq!(second.status, StatusCode::CONFLICT);
        assert!(second.body.contains("changed by Morgan Hill meanwhile"), "{}", second.body);
        assert_eq!(case_of(&app, "Maria Gonzalez").await, accepted);
        app
    })
    .await;
}

#[tokio::test]
async fn referring_on_creates_a_linked_case_for_the_new_doctor() {
    on_both(|app| async move {
        let morgan = app.sign_in("morgan@hillside.example").await;
        let c = case_of(&app, "Aisha Khan").await; // Ortiz → Chen, accepted
        let fischer = user_id(&app, "fischer@hillside.example").await;
        let reply = app
            .post_json(
                "/api/cases/refer",
                json!({ "id": c.id, "version": c.version, "to_doctor": fischer, "note": "Needs ortho input" }),
                Some(&morgan),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let new_id: i32 = reply.body.parse().expect("id");
        let child = case::Entity::find_by_id(new_id).one(&app.db).await.expect("q").expect("child");
        assert_eq!(child.parent_case_id, Some(c.id));
        assert_eq!(child.referred_by_doctor_id, c.referred_to_doctor_id);
        // Dr. Fischer sees the new case; its history records the hand-off.
        let fischer_cookie = app.sign_in("fischer@hillside.example").await;
        let seen = app.get(&format!("/api/cases/get?id={new_id}"), Some(&fischer_cookie)).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(seen.body.contains(&format!("Referred on from case #{}", c.id)), "{}", seen.body);
        // Reading it changes nothing; the page then records receipt with a
        // POST, which only the referred-to side's call turns into Received.
        assert!(seen.body.contains("\"status\":\"Requested\""), "{}", seen.body);
        assert!(seen.body.contains("\"can_receive\":true"), "{}", seen.body);
        let chen = app.sign_in("chen@hillside.example").await;
        let by_referrer = app
            .post_json("/api/cases/received", json!({ "id": new_id }), Some(&chen))
            .await;
        assert_eq!(by_referrer.status, StatusCode::OK, "{}", by_referrer.body);
        let unchanged = case::Entity::find_by_id(new_id).one(&app.db).await.expect("q").expect("child");
        assert_eq!(unchanged.status, app::cases::CaseStatus::Requested);
        let ack = app
            .post_json("/api/cases/received", json!({ "id": new_id }), Some(&fischer_cookie))
            .await;
        assert_eq!(ack.status, StatusCode::OK, "{}", ack.body);
        let seen = app.get(&format!("/api/cases/get?id={new_id}"), Some(&fischer_cookie)).await;
        assert!(seen.body.contains("\"status\":\"Received\""), "{}", seen.body);
        assert!(seen.body.contains("\"can_receive\":false"), "{}", seen.body);
        app
    })
    .await;
}

#[tokio::test]
async fn bulk_reject_reports_each_case() {
    on_both(|app| async move {
        let casey = app.sign_in("casey@riverside.example").await;
        let jonas = case_of(&app, "Jonas Weber").await; // to Okafor: Casey may reject
        let maria = case_of(&app, "Maria Gonzalez").await; // by Ortiz: Casey may not
        let reply = app
            .post_json(
                "/api/cases/bulk",
                json!({ "items": [[jonas.id, jonas.version], [maria.id, maria.version]],
                        "transition": "Reject", "reason": "NoCapacity", "note": null }),
                Some(&casey),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let outcomes: Value = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(outcomes[0]["ok"], true);
        assert_eq!(outcomes[1]["ok"], false);
        assert_eq!(
            case_of(&app, "Jonas Weber").await.status,
            app::cases::CaseStatus::Rejected
        );
        assert_eq!(case_of(&app, "Maria Gonzalez").await, maria);
        app
    })
    .await;
}

#[tokio::test]
async fn filters_narrow_the_list_and_the_csv_holds_exactly_those_rows() {
    on_both(|app| async move {
        let casey = app.sign_in("casey@riverside.example").await;
        let okafor = user_id(&app, "okafor@riverside.example").await;
        let list = |filter: Value| {
            let app = &app;
            let casey = casey.clone();
            async move {
                let r = app
                    .post_json(
                        "/api/cases/list",
                        json!({ "filter": filter, "after": null }),
                        Some(&casey),
                    )
                    .await;
                let v: Value = serde_json::from_str(&r.body).expect("json");
                let mut names: Vec<String> = v["rows"]
                    .as_array()
                    .expect("rows")
                    .iter()
                    .map(|r| r["patient_name"].as_str().unwrap_or_default().to_string())
                    .collect();
                names.sort();
                names
            }
        };
        let by_okafor = list(json!({ "doctor": okafor })).await;
        assert_eq!(
            by_okafor,
            [
                "George Miller",
                "Jonas Weber",
                "Noah Schmidt",
                "Sofia Rossi",
                "Tom Becker"
            ]
        );
        let referred_to_okafor = list(json!({ "doctor": okafor, "side": "ReferredTo" })).await;
        assert_eq!(referred_to_okafor, ["Jonas Weber", "Noah Schmidt"]);
        let urgent_text = list(json!({ "q": "CHEST" })).await;
        assert_eq!(urgent_text, ["Maria Gonzalez"]);
        // LIKE wildcards typed by the user match themselves, not everything.
        assert!(list(json!({ "q": "%" })).await.is_empty());
        assert!(list(json!({ "q": "_" })).await.is_empty());
        let on_hold = list(json!({ "status": "OnHold" })).await;
        assert_eq!(on_hold, ["Omar Haddad"]);
        // A doctor of another practice matches nothing for Casey.
        let chen = user_id(&app, "chen@hillside.example").await;
        assert!(list(json!({ "doctor": chen })).await.is_empty());

        let csv = app
            .get(&format!("/cases/export.csv?doctor={okafor}"), Some(&casey))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers.get("content-disposition").is_some());
        let mut patients: Vec<&str> = csv
            .body
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').nth(1))
            .collect();
        patients.sort();
        assert_eq!(
            patients,
            [
                "George Miller",
                "Jonas Weber",
                "Noah Schmidt",
                "Sofia Rossi",
                "Tom Becker"
            ],
            "{}",
            csv.body
        );
        let anonymous = app.get("/cases/export.csv", None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

#[tokio::test]
async fn a_long_list_pages_by_cursor_without_gaps_or_repeats() {
    on_both(|app| async move {
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let chen = user_id(&app, "chen@hillside.example").await;
        let ortiz_id = user_id(&app, "ortiz@riverside.example").await;
        for i in 0..60 {
            let r = app
                .post_json(
                    "/api/cases/create",
                    json!({ "case": { "patient_name": format!("Bulk Patient {i:02}"), "patient_date_of_birth": null,
                        "patient_contact": null, "reason": "Routine check", "urgency": "Routine", "notes": null,
                        "referred_by_user_id": ortiz_id, "referred_to_user_id": chen, "associated_user_ids": [] } }),
                    Some(&ortiz),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        let mut total;
        loop {
            let r = app
                .post_json("/api/cases/list", json!({ "filter": { "q": "bulk patient" }, "after": after }), Some(&ortiz))
                .await;
            let v: Value = serde_json::from_str(&r.body).expect("json");
            total = v["total"].as_u64().expect("total");
            for row in v["rows"].as_array().expect("rows") {
                seen.push(row["patient_name"].as_str().unwrap_or_default().to_string());
            }
            match v["next"].as_str() {
                Some(n) => after = Some(n.to_string()),
                None => break,
            }
        }
        assert_eq!(total, 60);
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(seen.len(), 60);
        assert_eq!(unique.len(), 60);
        app
    })
    .await;
}

#[tokio::test]
async fn the_server_renders_the_first_page_for_the_filters_in_the_url() {
    on_both(|app| async move {
        let casey = app.sign_in("casey@riverside.example").await;
        let page = app.get("/?q=knee", Some(&casey)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Tom Becker"),
            "filtered row missing from the HTML"
        );
        assert!(
            !page.body.contains("Maria Gonzalez"),
            "a row the filter excludes was rendered"
        );
        let all = app.get("/", Some(&casey)).await;
        assert!(all.body.contains("Maria Gonzalez") && all.body.contains("Tom Becker"));
        app
    })
    .await;
}
