//! Reports: contents against a hand-made fixture, visibility, sending,
//! downloads, and the scheduler's exactly-once runs.

use chrono::{DateTime, Duration, TimeZone, Utc};
use http::StatusCode;
use printpdf::{PdfDocument, PdfParseOptions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde_json::Value;

use app::agency::{DataKind, Visibility};
use app::care::AppointmentStatus;
use app::entities::{activity_log, appointment, client, report, report_delivery, report_schedule};
use app::reports::schedule::run_due;

use crate::helpers::{TestApp, accept_terms, on_both};
use crate::portal_leaks::{client_id, set_visibility};
use crate::referrals::user_id;

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("time")
}

/// A client of Harbour with a known month: 10 authorised hours, and
/// appointments whose sums were worked out by hand.
async fn fixture_client(app: &TestApp) -> i32 {
    let alice = client::Entity::find_by_id(client_id(app, "Alice Brown").await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("alice");
    let sam = user_id(app, "sam@harbour.example").await;
    let c = client::ActiveModel {
        organisation_id: Set(alice.organisation_id),
        full_name: Set("Fiona Fixture".into()),
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
    let visits = [
        (at(2026, 9, 30, 9), 600, AppointmentStatus::Completed), // before the range
        (at(2026, 10, 2, 9), 120, AppointmentStatus::Completed),
        (at(2026, 10, 9, 9), 90, AppointmentStatus::Completed),
        (at(2026, 10, 16, 9), 60, AppointmentStatus::Cancelled),
        (at(2026, 10, 23, 9), 45, AppointmentStatus::NoShow),
        (at(2026, 10, 30, 9), 30, AppointmentStatus::Scheduled),
        (at(2026, 11, 6, 9), 60, AppointmentStatus::Completed),
        (at(2026, 12, 1, 9), 600, AppointmentStatus::Completed), // after it
    ];
    for (starts, minutes, status) in visits {
        appointment::ActiveModel {
            organisation_id: Set(c.organisation_id),
            client_id: Set(c.id),
            staff_user_id: Set(Some(sam)),
            starts_at: Set(starts),
            ends_at: Set(starts + Duration::minutes(minutes)),
            service_type: Set("Home support".into()),
            status: Set(status),
            minutes: Set(minutes as i32),
            created_by: Set(sam),
            created_at: Set(starts),
            updated_at: Set(starts),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("appointment");
    }
    c.id
}

async fn generate(
    app: &TestApp,
    cookie: &str,
    client: i32,
    kind: &str,
    from: &str,
    to: &str,
) -> (StatusCode, Value) {
    let r = app
        .post(
            "/api/reports/generate",
            &[
                ("client_id", &client.to_string()),
                ("kind", kind),
                ("from", from),
                ("to", to),
            ],
            Some(cookie),
        )
        .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::String(r.body)),
    )
}

async fn download(
    app: &TestApp,
    cookie: &str,
    id: i64,
    format: &str,
) -> (StatusCode, Vec<u8>, String) {
    let r = app
        .get(
            &format!("/reports/{id}/download?format={format}"),
            Some(cookie),
        )
        .await;
    let kind = r
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (r.status, r.bytes, kind)
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = PdfDocument::parse(bytes, &PdfParseOptions::default(), &mut Vec::new())
        .expect("a readable PDF");
    doc.extract_text().concat().join(" ")
}

async fn log_count(app: &TestApp, action: &str, actor: i32) -> u64 {
    activity_log::Entity::find()
        .filter(activity_log::Column::Action.eq(action))
        .filter(activity_log::Column::ActorUserId.eq(actor))
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_monthly_summary_adds_up_to_the_hand_made_fixture() {
    on_both(|app| async move {
        let client = fixture_client(&app).await;
        let sam = app.sign_in("sam@harbour.example").await;
        let (status, row) = generate(
            &app,
            &sam,
            client,
            "monthly_summary",
            "2026-10-01",
            "2026-11-30",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{row}");
        let id = row["id"].as_i64().expect("id");

        let (status, csv, kind) = download(&app, &sam, id, "csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("text/csv"), "{kind}");
        let csv = String::from_utf8(csv).expect("utf-8");
        let lines: Vec<&str> = csv.lines().collect();
        // October: booked 120+90+45+30 = 285 min (4.8 h), completed 210
        // (3.5 h), 10 h − 3.5 h = 6.5 h left. November: one hour done.
        assert!(
            lines.contains(&"Month,Authorised,Scheduled,Completed,Remaining"),
            "{csv}"
        );
        assert!(lines.contains(&"2026-10,10.0,4.8,3.5,6.5"), "{csv}");
        assert!(lines.contains(&"2026-11,10.0,1.0,1.0,9.0"), "{csv}");
        assert!(
            lines.contains(&"Completed,Cancelled,No-show,Still scheduled"),
            "{csv}"
        );
        assert!(lines.contains(&"3,1,1,1"), "{csv}");
        assert!(
            !csv.contains("2026-09") && !csv.contains("2026-12"),
            "{csv}"
        );

        let (status, pdf, kind) = download(&app, &sam, id, "pdf").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind, "application/pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_text(&pdf);
        assert!(text.contains("Fiona Fixture"), "{text}");
        assert!(text.contains("Monthly Summary"));
        assert!(
            text.contains("Harbour"),
            "the agency's name is on it: {text}"
        );

        let sam_id = user_id(&app, "sam@harbour.example").await;
        assert_eq!(log_count(&app, "report_generated", sam_id).await, 1);
        assert_eq!(log_count(&app, "report_downloaded", sam_id).await, 2);
        app
    })
    .await;
}

#[tokio::test]
async fn hidden_data_kinds_never_reach_a_report() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let erin = app.sign_in("erin@northcounty.example").await;
        let sam = app.sign_in("sam@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let today = Utc::now().date_naive();
        let (from, to) = (
            (today - Duration::days(120)).to_string(),
            (today + Duration::days(30)).to_string(),
        );

        // Staff names hidden (the default): Erin's schedule has none, the
        // staff copy has them.
        let (status, row) = generate(&app, &erin, alice, "schedule", &from, &to).await;
        assert_eq!(status, StatusCode::OK, "{row}");
        let erins = row["id"].as_i64().expect("id");
        let (_, csv, _) = download(&app, &erin, erins, "csv").await;
        let csv = String::from_utf8(csv).expect("utf-8");
        assert!(csv.contains("Upcoming appointments"), "{csv}");
        assert!(
            ["Home support", "Personal care", "Community access"]
                .iter()
                .any(|s| csv.contains(s)),
            "the demo's upcoming visits are listed: {csv}"
        );
        assert!(!csv.contains("Sam Scheduler"), "{csv}");
        let (_, row) = generate(&app, &sam, alice, "schedule", &from, &to).await;
        let (_, staff_csv, _) = download(&app, &sam, row["id"].as_i64().expect("id"), "csv").await;
        assert!(String::from_utf8_lossy(&staff_csv).contains("Sam Scheduler"));

        // Notes: the shareable part only, whoever reads.
        for who in [&erin, &sam] {
            let (status, row) = generate(&app, who, alice, "service_notes", &from, &to).await;
            assert_eq!(status, StatusCode::OK, "{row}");
            let id = row["id"].as_i64().expect("id");
            let (_, csv, _) = download(&app, who, id, "csv").await;
            let csv = String::from_utf8(csv).expect("utf-8");
            assert!(csv.contains("visit completed"), "{csv}");
            assert!(!csv.contains("Internal:"), "{csv}");
            let (_, pdf, _) = download(&app, who, id, "pdf").await;
            assert!(!pdf_text(&pdf).contains("Internal:"));
        }

        // Notes hidden: Erin can neither make nor open a notes report, and
        // her stored ones drop out of her list.
        let mut v = Visibility::default();
        v.set(DataKind::Notes, false);
        set_visibility(&app, &admin, v).await;
        let before = app.count("reports").await;
        let (status, _) = generate(&app, &erin, alice, "service_notes", &from, &to).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(app.count("reports").await, before);
        let mine = app.get("/api/reports/mine", Some(&erin)).await;
        let mine: Value = serde_json::from_str(&mine.body).expect("json");
        let kinds: Vec<&str> = mine
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|r| r["kind"].as_str())
            .collect();
        assert!(
            !kinds.contains(&"ServiceNotes") && kinds.contains(&"Schedule"),
            "{kinds:?}"
        );
        let notes_report = report::Entity::find()
            .filter(
                report::Column::CaseManagerUserId
                    .eq(user_id(&app, "erin@northcounty.example").await),
            )
            .filter(report::Column::Kind.eq("service_notes"))
            .one(&app.db)
            .await
            .expect("query")
            .expect("Erin's earlier notes report");
        let (status, _, _) = download(&app, &erin, i64::from(notes_report.id), "pdf").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Staff cannot send what case managers may not see.
        let erin_id = user_id(&app, "erin@northcounty.example").await;
        let r = app
            .post(
                "/api/reports/send",
                &[
                    ("client_id", &alice.to_string()),
                    ("kind", "service_notes"),
                    ("from", &from),
                    ("to", &to),
                    ("recipients[0]", &erin_id.to_string()),
                ],
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(app.count("reports").await, before);

        // Nobody opens someone else's report: Frank not Erin's, Erin not
        // the staff copy.
        let frank = app.sign_in("frank@northcounty.example").await;
        accept_terms(&app, &frank).await;
        let (status, _, _) = download(&app, &frank, erins, "csv").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = download(&app, &erin, row["id"].as_i64().expect("id"), "csv").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn a_sent_report_lands_in_the_portal_and_only_a_link_is_mailed() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let erin = app.sign_in("erin@northcounty.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let carlos = client_id(&app, "Carlos Diaz").await;
        let erin_id = user_id(&app, "erin@northcounty.example").await;
        let frank_id = user_id(&app, "frank@northcounty.example").await;
        let today = Utc::now().date_naive();
        let from = (today - Duration::days(60)).to_string();
        let to = today.to_string();
        let send = |client: i32, recipient: i32| {
            let (app, sam, from, to) = (&app, &sam, from.clone(), to.clone());
            async move {
                app.post(
                    "/api/reports/send",
                    &[
                        ("client_id", &client.to_string()),
                        ("kind", "monthly_summary"),
                        ("from", &from),
                        ("to", &to),
                        ("recipients[0]", &recipient.to_string()),
                    ],
                    Some(sam),
                )
                .await
            }
        };

        // Frank is not on Carlos's team: refused, nothing stored or mailed.
        let r = send(carlos, frank_id).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("not assigned"), "{}", r.body);
        assert_eq!(app.count("reports").await, 0);

        let r = send(alice, erin_id).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body.trim(), "1");
        let mine = app.get("/api/reports/mine", Some(&erin)).await;
        let mine: Value = serde_json::from_str(&mine.body).expect("json");
        let first = &mine.as_array().expect("list")[0];
        assert_eq!(first["client_name"], "Alice Brown");
        assert_eq!(first["origin"], "Sent by Sam Scheduler");
        let (status, pdf, _) =
            download(&app, &erin, first["id"].as_i64().expect("id"), "pdf").await;
        assert_eq!(status, StatusCode::OK);
        assert!(pdf_text(&pdf).contains("Prepared for Erin External"));

        let mut mail = None;
        for _ in 0..100 {
            mail = app
                .mail
                .messages()
                .into_iter()
                .find(|m| m.to.iter().any(|t| t.contains("erin@northcounty.example")));
            if mail.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let text = mail.expect("a notice to Erin").text();
        assert!(
            text.contains("http://caseport.test/portal/harbour/reports"),
            "{text}"
        );
        assert!(
            !text.contains("Alice"),
            "no health data in the mail: {text}"
        );
        // Her portal's notification centre tells her too, naming the client.
        let bell = app.get("/api/notifications/list", Some(&erin)).await;
        let bell: serde_json::Value = serde_json::from_str(&bell.body).expect("json");
        assert_eq!(
            bell["items"][0]["text"],
            "A new report on Alice Brown is in your portal."
        );
        assert_eq!(bell["items"][0]["href"], "/portal/harbour/reports");

        let sam_id = user_id(&app, "sam@harbour.example").await;
        assert_eq!(log_count(&app, "report_sent", sam_id).await, 1);
        app
    })
    .await;
}

#[tokio::test]
async fn bad_report_requests_get_clear_errors_and_change_nothing() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let admin = app.sign_in("admin@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let logs = app.count("activity_logs").await;
        for (kind, from, to, says) in [
            ("bogus", "2026-01-01", "2026-01-31", "Choose a report type"),
            ("schedule", "2026-02-01", "2026-01-31", "before the start"),
            ("schedule", "2025-01-01", "2026-06-30", "at most a year"),
            ("schedule", "01/02/2026", "2026-06-30", "YYYY-MM-DD"),
        ] {
            let (status, body) = generate(&app, &sam, alice, kind, from, to).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{kind} {from} {to}"
            );
            assert!(body.to_string().contains(says), "{body}");
        }
        let r = app
            .post(
                "/api/reports/schedules/add",
                &[
                    ("client_id", &alice.to_string()),
                    ("kind", "monthly_summary"),
                    ("frequency", "monthly"),
                    ("day", "31"),
                    (
                        "recipients[0]",
                        &user_id(&app, "erin@northcounty.example").await.to_string(),
                    ),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(app.count("reports").await, 0);
        assert_eq!(app.count("report_schedules").await, 0);
        assert_eq!(app.count("activity_logs").await, logs);
        app
    })
    .await;
}

/// Adds a weekly Monthly Summary schedule for Alice to Erin and makes it
/// due at `due`.
async fn due_schedule(app: &TestApp, due: DateTime<Utc>) -> i32 {
    let id = alice_summary_schedule(app, "weekly").await;
    make_due(app, id, due).await;
    id
}

/// Harbour's admin adds a Monthly Summary of Alice for Erin, run weekly or
/// monthly on day 1 (Monday).
pub(crate) async fn alice_summary_schedule(app: &TestApp, frequency: &str) -> i32 {
    let admin = app.sign_in("admin@harbour.example").await;
    let alice = client_id(app, "Alice Brown").await;
    let erin = user_id(app, "erin@northcounty.example").await;
    let r = app
        .post(
            "/api/reports/schedules/add",
            &[
                ("client_id", &alice.to_string()),
                ("kind", "monthly_summary"),
                ("frequency", frequency),
                ("day", "1"),
                ("recipients[0]", &erin.to_string()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body.trim().parse().expect("id")
}

pub(crate) async fn make_due(app: &TestApp, id: i32, due: DateTime<Utc>) {
    let s = report_schedule::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("schedule");
    let mut am = s.into_active_model();
    am.next_run_at = Set(due);
    am.update(&app.db).await.expect("update");
}

async fn deliveries(app: &TestApp, schedule: i32) -> u64 {
    report_delivery::Entity::find()
        .filter(report_delivery::Column::ScheduleId.eq(schedule))
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_due_schedule_runs_once_with_two_schedulers_racing() {
    on_both(|app| async move {
        let id = due_schedule(&app, Utc::now() - Duration::minutes(1)).await;
        for round in 1..=5u64 {
            if round > 1 {
                make_due(&app, id, Utc::now() - Duration::minutes(round as i64)).await;
            }
            let now = Utc::now();
            let (a, b) = tokio::join!(
                tokio::spawn({
                    let db = app.db.clone();
                    async move { run_due(&db, "http://caseport.test", "one", now).await }
                }),
                tokio::spawn({
                    let db = app.db.clone();
                    async move { run_due(&db, "http://caseport.test", "two", now).await }
                }),
            );
            let runs =
                a.expect("join").expect("scheduler one") + b.expect("join").expect("scheduler two");
            assert_eq!(runs, 1, "round {round}: exactly one instance runs it");
            assert_eq!(deliveries(&app, id).await, round);
            let reports = report::Entity::find()
                .filter(report::Column::ScheduleId.eq(id))
                .count(&app.db)
                .await
                .expect("count");
            assert_eq!(reports, round, "one report for Erin per run");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn runs_missed_while_down_are_caught_up_once() {
    on_both(|app| async move {
        // Three weekly runs missed.
        let id = due_schedule(&app, Utc::now() - Duration::days(21)).await;
        let now = Utc::now();
        let first = run_due(&app.db, "http://caseport.test", "back", now)
            .await
            .expect("run");
        assert_eq!(first, 1);
        let again = run_due(&app.db, "http://caseport.test", "back", now)
            .await
            .expect("run");
        assert_eq!(again, 0, "nothing is due any more");
        assert_eq!(deliveries(&app, id).await, 1);
        let s = report_schedule::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("schedule");
        assert!(s.next_run_at > now && s.next_run_at <= now + Duration::days(7));
        // The report is in Erin's portal, logged as sent for the agency.
        let erin = app.sign_in("erin@northcounty.example").await;
        let mine = app.get("/api/reports/mine", Some(&erin)).await;
        assert!(mine.body.contains("Automated"), "{}", mine.body);
        let sent = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq("report_sent"))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(sent, 1);
        app
    })
    .await;
}
