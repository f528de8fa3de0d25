//! Times on the organisation's clock: appointments typed as local times are
//! stored as instants, and "upcoming", month totals and automated reports
//! follow the local calendar, across daylight-saving changes. Harbour, the
//! demo agency, is in America/Chicago.

use chrono::{DateTime, Duration, TimeZone, Utc};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use app::care::service::{month_hours, next_appointment};
use app::entities::{appointment, client, organisation, report_delivery, report_schedule};
use app::reports::Frequency;
use app::reports::schedule::{next_run, run_due};

use crate::helpers::{TestApp, harbour_zone, last_log, on_both, saved_id};
use crate::portal_leaks::fresh_client;
use crate::referrals::user_id;
use crate::reports::{alice_summary_schedule, make_due};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("time")
}

async fn add_visit(
    app: &TestApp,
    staff: &str,
    client: i32,
    date: &str,
    start: &str,
    end: &str,
) -> (StatusCode, String) {
    let r = app
        .post_json(
            "/api/care/appointments/add",
            json!({ "client_id": client, "input": { "date": date, "start": start, "end": end,
                "service_type": "Home support", "staff_user_id": null } }),
            Some(staff),
        )
        .await;
    (r.status, r.body)
}

async fn stored(app: &TestApp, id: i32) -> appointment::Model {
    appointment::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("appointment")
}

#[tokio::test]
async fn a_nine_oclock_visit_in_chicago_is_stored_as_an_instant_and_upcoming_until_nine_there() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let erin = app.sign_in("erin@northcounty.example").await;
        let id = fresh_client(&app, "Tomas Clockwise", 20).await;
        let mut saved = Vec::new();
        // Winter is UTC-6, summer UTC-5.
        for (date, want) in [
            ("2027-01-15", utc(2027, 1, 15, 15, 0)),
            ("2027-07-15", utc(2027, 7, 15, 14, 0)),
        ] {
            let (status, body) = add_visit(&app, &sam, id, date, "09:00", "10:00").await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let a = stored(&app, saved_id(&body)).await;
            assert_eq!(a.starts_at, want, "{date}");
            assert_eq!(a.minutes, 60);
            saved.push(a.starts_at);
        }
        let winter = saved[0];
        // At 09:30 UTC it is 03:30 in Chicago: the visit is still to come
        // (read as UTC it would already have passed).
        for (now, next) in [
            (utc(2027, 1, 15, 9, 30), winter),
            (winter - Duration::minutes(1), winter),
            (winter + Duration::minutes(1), saved[1]),
        ] {
            assert_eq!(
                next_appointment(&app.db, id, now).await.expect("query"),
                Some(next),
                "at {now}"
            );
        }
        // Staff and the portal both read 09:00 on Chicago's clock.
        let record = app
            .get(&format!("/api/care/record?client_id={id}"), Some(&sam))
            .await
            .body;
        assert!(record.contains("15 Jan 2027, 09:00 CST"), "{record}");
        assert!(record.contains("15 Jul 2027, 09:00 CDT"), "{record}");
        assert!(record.contains("Times are in America/Chicago"), "{record}");
        let schedule = app
            .get(
                &format!(
                    "/api/portal/schedule?client_id={id}&from=2027-01-15&to=2027-01-15&status="
                ),
                Some(&erin),
            )
            .await
            .body;
        let rows: Vec<Value> = serde_json::from_str(&schedule).expect("json");
        assert_eq!(rows.len(), 1, "the day filter is Chicago's day: {schedule}");
        assert_eq!(rows[0]["starts"], "15 Jan 2027, 09:00 CST");
        assert_eq!(rows[0]["start"], "09:00");
        app
    })
    .await;
}

#[tokio::test]
async fn a_time_the_clocks_skip_is_refused_and_a_repeated_one_says_which_it_kept() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let id = fresh_client(&app, "Ulla Springforward", 20).await;
        let before = app.count("appointments").await;
        // 14 March 2027: Chicago's clocks go from 02:00 to 03:00.
        let (status, body) = add_visit(&app, &sam, id, "2027-03-14", "02:30", "04:00").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains("start") && body.contains("does not exist"),
            "{body}"
        );
        assert_eq!(app.count("appointments").await, before, "nothing stored");
        // Across the gap: 01:30 to 03:30 is one hour of real time.
        let (status, body) = add_visit(&app, &sam, id, "2027-03-14", "01:30", "03:30").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(stored(&app, saved_id(&body)).await.minutes, 60);
        // 7 November 2027: 01:30 happens twice; the first (CDT) is kept
        // and the reply says so.
        let (status, body) = add_visit(&app, &sam, id, "2027-11-07", "01:30", "02:30").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let reply: Value = serde_json::from_str(&body).expect("json");
        let notice = reply["notice"].as_str().expect("a notice");
        assert!(
            notice.contains("twice") && notice.contains("CDT"),
            "{notice}"
        );
        let a = stored(&app, saved_id(&body)).await;
        assert_eq!(a.starts_at, utc(2027, 11, 7, 6, 30));
        assert_eq!(a.minutes, 120, "01:30 CDT to 02:30 CST");
        app
    })
    .await;
}

#[tokio::test]
async fn a_late_visit_on_the_last_day_counts_in_that_months_hours() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let id = fresh_client(&app, "Vera Monthend", 10).await;
        // 23:30 on 30 November in Chicago is 05:30 on 1 December in UTC.
        let (status, body) = add_visit(&app, &sam, id, "2026-11-30", "23:30", "23:59").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            stored(&app, saved_id(&body)).await.starts_at,
            utc(2026, 12, 1, 5, 30)
        );
        let c = client::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("client");
        let months = month_hours(&app.db, &c, harbour_zone(), utc(2026, 12, 15, 12, 0), 2)
            .await
            .expect("hours");
        let by_month: Vec<(String, i64)> = months
            .iter()
            .map(|m| (m.month.clone(), m.scheduled_minutes))
            .collect();
        assert_eq!(
            by_month,
            vec![("2026-11".to_string(), 29), ("2026-12".to_string(), 0)]
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_monthly_report_runs_once_at_six_local_across_the_clock_change() {
    on_both(|app| async move {
        let id = alice_summary_schedule(&app, "monthly").await;
        // As if made in mid-September: the first run is 1 October, 06:00 CDT.
        let first = next_run(
            harbour_zone(),
            Frequency::Monthly,
            1,
            utc(2026, 9, 15, 12, 0),
        );
        assert_eq!(first, utc(2026, 10, 1, 11, 0));
        make_due(&app, id, first).await;

        let run = |now: DateTime<Utc>| {
            let db = app.db.clone();
            async move {
                run_due(&db, "http://caseport.test", "one", now)
                    .await
                    .expect("run")
            }
        };
        assert_eq!(run(utc(2026, 10, 1, 10, 59)).await, 0, "05:59 in Chicago");
        assert_eq!(run(utc(2026, 10, 1, 11, 0)).await, 1, "06:00 CDT");
        assert_eq!(run(utc(2026, 10, 1, 11, 30)).await, 0, "once");
        // The clocks went back on 1 November at 02:00: 06:00 is now CST.
        let s = report_schedule::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("s");
        assert_eq!(s.next_run_at, utc(2026, 11, 1, 12, 0));
        assert_eq!(
            run(utc(2026, 11, 1, 11, 0)).await,
            0,
            "05:00 CST is too early"
        );
        assert_eq!(run(utc(2026, 11, 1, 12, 0)).await, 1, "06:00 CST");
        let deliveries = report_delivery::Entity::find()
            .filter(report_delivery::Column::ScheduleId.eq(id))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(deliveries, 2);
        app
    })
    .await;
}

#[tokio::test]
async fn an_admin_sets_the_zone_and_bad_or_unauthorised_changes_change_nothing() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let sam = app.sign_in("sam@harbour.example").await;
        let zone_of = |app: &TestApp| {
            let db = app.db.clone();
            async move {
                organisation::Entity::find()
                    .filter(organisation::Column::Slug.eq("harbour"))
                    .one(&db)
                    .await
                    .expect("q")
                    .expect("harbour")
                    .time_zone
            }
        };
        let r = app.get("/api/admin/time-zone", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let setting: Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(setting["time_zone"], "America/Chicago");
        assert!(
            setting["choices"]
                .as_array()
                .expect("choices")
                .iter()
                .any(|c| c == "Europe/London")
        );

        for (who, zone, want) in [
            (&sam, "Europe/London", StatusCode::NOT_FOUND),
            (
                &admin,
                "Mars/Olympus_Mons",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (&admin, "", StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let r = app
                .post(
                    "/api/admin/time-zone/update",
                    &[("time_zone", zone)],
                    Some(who),
                )
                .await;
            assert_eq!(r.status, want, "{zone}: {}", r.body);
            assert_eq!(zone_of(&app).await, "America/Chicago");
        }
        let r = app
            .post(
                "/api/admin/time-zone/update",
                &[("time_zone", "America/New_York")],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(zone_of(&app).await, "America/New_York");
        let log = last_log(&app).await;
        assert!(
            log.detail.contains("America/Chicago") && log.detail.contains("America/New_York"),
            "{}",
            log.detail
        );
        assert_eq!(
            log.actor_user_id,
            Some(user_id(&app, "admin@harbour.example").await)
        );
        // The same instant now reads on New York's clock.
        let alice = crate::portal::client_id(&app, "Alice Brown").await;
        let record = app
            .get(&format!("/api/care/record?client_id={alice}"), Some(&sam))
            .await
            .body;
        assert!(
            record.contains("America/New_York")
                && (record.contains(" EST") || record.contains(" EDT")),
            "{record}"
        );
        app
    })
    .await;
}
