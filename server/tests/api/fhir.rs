//! The FHIR API through the real router: tokens (made once, scoped,
//! revocable), the policy matrix as the pages have it (other practice,
//! unassigned client, hidden data kind, suspended case manager, revoked
//! token), Provenance naming whom a case manager acted for, AuditEvent for
//! admins, and the bulk export. Every resource the API returns here is
//! also saved for the R4 validator that `scripts/test.sh` runs.

use axum::body::Body;
use http::{Request, StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use app::activity::ActivityAction;
use app::auth::grants::{DataKind, Visibility};
use app::entities::{activity_log, api_token, appointment, client};

use crate::helpers::{Reply, TestApp, accept_terms, on_both};
use crate::portal_leaks::set_visibility;
use crate::referrals::{case_of, lakeside_case_manager, user_id};

/// Every FHIR JSON body a test saw, for `scripts/fhir-validate.py`.
fn keep(label: &str, body: &Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fhir-samples");
    let _ = std::fs::create_dir_all(&dir);
    static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("{}-{label}-{seq}.json", std::process::id());
    std::fs::write(dir.join(name), body.to_string()).expect("sample written");
}

async fn fhir(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    cookie: Option<&str>,
) -> (StatusCode, Value, Reply) {
    let mut req = Request::get(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let r = app.send(req.body(Body::empty()).expect("request")).await;
    let v: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    if v.get("resourceType").is_some() {
        keep(path.split(['/', '?']).nth(3).unwrap_or("root"), &v);
    }
    (r.status, v, r)
}

/// A refusal is an OperationOutcome and holds none of the named data.
fn refused(status: StatusCode, body: &Value, want: StatusCode, names: &[&str], what: &str) {
    assert_eq!(status, want, "{what}: {body}");
    assert_eq!(body["resourceType"], "OperationOutcome", "{what}: {body}");
    for n in names {
        assert!(!body.to_string().contains(n), "{what} leaked {n}: {body}");
    }
}

async fn make_token(app: &TestApp, cookie: &str, scopes: &[&str]) -> String {
    let r = app
        .post_json(
            "/api/api-tokens/create",
            json!({ "name": "EHR sync", "scopes": scopes, "days": 30, "password": crate::helpers::PASSWORD }),
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).expect("json");
    v["token"].as_str().expect("token").to_string()
}

fn entries(bundle: &Value) -> Vec<Value> {
    bundle["entry"]
        .as_array()
        .map(|e| e.iter().map(|e| e["resource"].clone()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_token_is_shown_once_kept_as_a_hash_scoped_and_revocable() {
    on_both(|app| async move {
        let morgan = app.sign_in("morgan@hillside.example").await;
        let token = make_token(&app, &morgan, &["referrals", "directory"]).await;
        assert!(token.starts_with("cpt_") && token.len() == 68, "{token}");

        // Stored as a hash; the log names the token, never its value.
        let rows = api_token::Entity::find()
            .all(&app.db)
            .await
            .expect("tokens");
        assert_eq!(rows.len(), 1);
        assert_ne!(rows[0].token_hash, token);
        assert!(!rows[0].token_hash.contains(&token[4..]));
        let logged = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq(ActivityAction::ApiTokenCreated))
            .one(&app.db)
            .await
            .expect("log")
            .expect("token creation logged");
        assert!(logged.detail.contains("EHR sync") && !logged.detail.contains(&token[4..]));

        // A scope the role cannot give, a bad lifetime, no name: refused, nothing made.
        for (body, field) in [
            (
                json!({ "name": "x", "scopes": ["audit"], "days": 30, "password": crate::helpers::PASSWORD }),
                "scopes",
            ),
            (
                json!({ "name": "x", "scopes": ["referrals"], "days": 5000, "password": crate::helpers::PASSWORD }),
                "days",
            ),
            (
                json!({ "name": "  ", "scopes": ["referrals"], "days": 30, "password": crate::helpers::PASSWORD }),
                "name",
            ),
            (json!({ "name": "x", "scopes": [], "days": 30, "password": crate::helpers::PASSWORD }), "scopes"),
            // A session alone cannot make a token: the password must be right.
            (json!({ "name": "x", "scopes": ["referrals"], "days": 30, "password": "not my password" }), "password"),
        ] {
            let r = app
                .post_json("/api/api-tokens/create", body, Some(&morgan))
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}: {}",
                r.body
            );
            assert!(r.body.contains(field), "{}", r.body);
        }
        assert_eq!(app.count("api_tokens").await, 1);

        // The list never shows the value again; "Never" until first used.
        let list = app.get("/api/api-tokens", Some(&morgan)).await;
        assert!(
            list.body.contains("Never") && !list.body.contains(&token[4..]),
            "{}",
            list.body
        );

        // The token reads Morgan's practice's cases: Aisha Khan (Dr. Chen's).
        let aisha = case_of(&app, "Aisha Khan").await;
        let (s, bundle, _) = fhir(&app, "/fhir/r4/Task?status=accepted", Some(&token), None).await;
        assert_eq!(s, StatusCode::OK, "{bundle}");
        assert_eq!(bundle["type"], "searchset");
        assert!(
            entries(&bundle)
                .iter()
                .any(|t| t["id"].as_str() == Some(aisha.id.to_string().as_str())),
            "{bundle}"
        );
        assert!(entries(&bundle).iter().all(|t| t["status"] == "accepted"));
        let list = app.get("/api/api-tokens", Some(&morgan)).await;
        assert!(
            !list.body.contains("Never"),
            "last use recorded: {}",
            list.body
        );

        // Outside its scopes: 403, nothing read.
        let (s, body, _) = fhir(&app, "/fhir/r4/AuditEvent", Some(&token), None).await;
        refused(
            s,
            &body,
            StatusCode::FORBIDDEN,
            &["Riley"],
            "audit without scope",
        );

        // Another user cannot revoke it; its owner can, and it stops at once.
        let chen = app.sign_in("chen@hillside.example").await;
        let r = app
            .post_json(
                "/api/api-tokens/revoke",
                json!({ "id": rows[0].id }),
                Some(&chen),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        let r = app
            .post_json(
                "/api/api-tokens/revoke",
                json!({ "id": rows[0].id }),
                Some(&morgan),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (s, body, reply) = fhir(
            &app,
            &format!("/fhir/r4/Task/{}", aisha.id),
            Some(&token),
            None,
        )
        .await;
        refused(
            s,
            &body,
            StatusCode::UNAUTHORIZED,
            &["Aisha"],
            "revoked token",
        );
        assert!(reply.headers.contains_key(header::WWW_AUTHENTICATE));
        // A made-up token: the same answer.
        let (s, body, _) = fhir(
            &app,
            "/fhir/r4/Task",
            Some(&format!("cpt_{}", "0".repeat(64))),
            None,
        )
        .await;
        refused(s, &body, StatusCode::UNAUTHORIZED, &[], "unknown token");
        // No credentials at all.
        let (s, body, _) = fhir(&app, "/fhir/r4/Task", None, None).await;
        refused(s, &body, StatusCode::UNAUTHORIZED, &[], "anonymous");

        // A password change revokes every token: whoever held the old
        // password may have made one.
        let second = make_token(&app, &morgan, &["referrals"]).await;
        let (s, _, _) = fhir(&app, "/fhir/r4/Task", Some(&second), None).await;
        assert_eq!(s, StatusCode::OK);
        let changed = app
            .post(
                "/api/auth/change-password",
                &[
                    ("current", crate::helpers::PASSWORD),
                    ("new", "a much longer secret 2027"),
                    ("confirm", "a much longer secret 2027"),
                ],
                Some(&morgan),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        let (s, body, _) = fhir(&app, "/fhir/r4/Task", Some(&second), None).await;
        refused(s, &body, StatusCode::UNAUTHORIZED, &["Aisha"], "after a password change");

        // A deactivated user's token stops on its next request, whatever
        // path deactivated them.
        let chens = make_token(&app, &chen, &["referrals"]).await;
        let (s, _, _) = fhir(&app, "/fhir/r4/Task", Some(&chens), None).await;
        assert_eq!(s, StatusCode::OK);
        app::entities::user::Entity::update_many()
            .col_expr(
                app::entities::user::Column::Active,
                sea_orm::sea_query::Expr::value(false),
            )
            .filter(app::entities::user::Column::Email.eq("chen@hillside.example"))
            .exec(&app.db)
            .await
            .expect("deactivate");
        let (s, body, _) = fhir(&app, "/fhir/r4/Task", Some(&chens), None).await;
        refused(s, &body, StatusCode::UNAUTHORIZED, &["Aisha"], "deactivated user");
        app
    })
    .await;
}

#[tokio::test]
async fn referrals_read_as_the_pages_allow_and_provenance_names_both() {
    on_both(|app| async move {
        // A practice with no doctor on any case.
        let lakeside = lakeside_case_manager(&app).await;
        let maria = case_of(&app, "Maria Gonzalez").await;
        let tom = case_of(&app, "Tom Becker").await;

        // Morgan accepts Dr. Chen's referral for him.
        let morgan = app.sign_in("morgan@hillside.example").await;
        let r = app
            .post_json(
                "/api/cases/transition",
                json!({ "id": maria.id, "version": maria.version, "transition": "Accept", "reason": null, "note": null }),
                Some(&morgan),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Morgan makes Dr. Chen the owner: Task?owner= finds exactly his.
        let chen_id = user_id(&app, "chen@hillside.example").await;
        let accepted = case_of(&app, "Maria Gonzalez").await;
        let r = app
            .post_json(
                "/api/cases/assign",
                json!({ "id": maria.id, "version": accepted.version, "owner": chen_id }),
                Some(&morgan),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (s, owned, _) = fhir(&app, &format!("/fhir/r4/Task?owner=PractitionerRole/{chen_id}"), None, Some(&morgan)).await;
        assert_eq!(s, StatusCode::OK, "{owned}");
        let owned_tasks = entries(&owned);
        assert!(owned_tasks.iter().any(|t| t["id"].as_str() == Some(maria.id.to_string().as_str())), "{owned}");
        assert!(owned_tasks.iter().all(|t| t["owner"]["reference"].as_str() == Some(format!("PractitionerRole/{chen_id}").as_str())), "{owned}");
        assert_eq!(owned["total"].as_u64(), Some(owned_tasks.len() as u64));

        // Dr. Ortiz, in his browser session, reads the history as Provenance.
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let (s, bundle, _) = fhir(&app, &format!("/fhir/r4/Provenance?target=Task/{}", maria.id), None, Some(&ortiz)).await;
        assert_eq!(s, StatusCode::OK, "{bundle}");
        let accepted = entries(&bundle)
            .into_iter()
            .find(|p| p["activity"]["text"].as_str().is_some_and(|t| t.starts_with("Accepted")))
            .expect("the acceptance");
        let agent = &accepted["agent"][0];
        assert_eq!(agent["who"]["display"], "Morgan Hill", "{accepted}");
        assert_eq!(agent["onBehalfOf"]["display"], "Dr. Li Chen", "{accepted}");
        assert_eq!(accepted["target"][0]["reference"], format!("Task/{}", maria.id));
        let (s, task, _) = fhir(&app, &format!("/fhir/r4/Task/{}", maria.id), None, Some(&ortiz)).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(task["status"], "accepted");
        assert_eq!(task["focus"]["reference"], format!("ServiceRequest/{}", maria.id));
        let (s, sr, _) = fhir(&app, &format!("/fhir/r4/ServiceRequest?patient=Patient/case-{}", maria.id), None, Some(&ortiz)).await;
        assert_eq!(s, StatusCode::OK);
        let sr = &entries(&sr)[0];
        assert_eq!(sr["requester"]["display"], "Dr. Ana Ortiz");
        assert_eq!(sr["priority"], "urgent");
        let (s, patient, _) = fhir(&app, &format!("/fhir/r4/Patient/case-{}", maria.id), None, Some(&ortiz)).await;
        assert_eq!((s, patient["name"][0]["text"].as_str()), (StatusCode::OK, Some("Maria Gonzalez")));
        for path in [
            format!("/fhir/r4/Practitioner/{}", user_id(&app, "chen@hillside.example").await),
            format!("/fhir/r4/PractitionerRole/{}", user_id(&app, "chen@hillside.example").await),
            format!("/fhir/r4/Organization/{}", lakeside.id),
        ] {
            let (s, body, _) = fhir(&app, &path, None, Some(&ortiz)).await;
            assert_eq!(s, StatusCode::OK, "{path}: {body}");
        }

        // Dr. Ortiz is not on Tom Becker's case: not there, whichever way asked.
        for path in [
            format!("/fhir/r4/Task/{}", tom.id),
            format!("/fhir/r4/ServiceRequest/{}", tom.id),
            format!("/fhir/r4/Patient/case-{}", tom.id),
        ] {
            let (s, body, _) = fhir(&app, &path, None, Some(&ortiz)).await;
            refused(s, &body, StatusCode::NOT_FOUND, &["Tom Becker", "Knee"], &path);
        }
        let (s, none, _) = fhir(&app, &format!("/fhir/r4/Provenance?target=Task/{}", tom.id), None, Some(&ortiz)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(entries(&none).is_empty() && !none.to_string().contains("Becker"), "{none}");
        let (_, all, _) = fhir(&app, "/fhir/r4/Task?_count=200", None, Some(&ortiz)).await;
        assert!(!all.to_string().contains("Tom Becker"));

        // Another practice's case manager sees none of it.
        let lena = app.sign_in("lena@lakeside.example").await;
        let (s, all, _) = fhir(&app, "/fhir/r4/Task", None, Some(&lena)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(entries(&all).is_empty(), "{all}");
        let (s, body, _) = fhir(&app, &format!("/fhir/r4/Task/{}", maria.id), None, Some(&lena)).await;
        refused(s, &body, StatusCode::NOT_FOUND, &["Maria"], "other practice");

        // Paging: two at a time, following next links, each case once.
        let (_, first, _) = fhir(&app, "/fhir/r4/ServiceRequest?_count=2", None, Some(&ortiz)).await;
        let mut seen: Vec<String> = entries(&first).iter().map(|e| e["id"].to_string()).collect();
        let total = first["total"].as_u64().expect("total");
        let mut next = first["link"].as_array().and_then(|l| l.iter().find(|l| l["relation"] == "next")).map(|l| l["url"].as_str().unwrap_or_default().to_string());
        while let Some(url) = next {
            let path = url.trim_start_matches("http://caseport.test").to_string();
            let (s, page, _) = fhir(&app, &path, None, Some(&ortiz)).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            seen.extend(entries(&page).iter().map(|e| e["id"].to_string()));
            next = page["link"].as_array().and_then(|l| l.iter().find(|l| l["relation"] == "next")).map(|l| l["url"].as_str().unwrap_or_default().to_string());
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len() as u64, unique.len() as u64), (total, total));

        // Bad searches are 400 with a reason, never a wider answer.
        for path in ["/fhir/r4/Task?patient_name=Maria", "/fhir/r4/Task?status=done", "/fhir/r4/Task?_count=0", "/fhir/r4/Provenance"] {
            let (s, body, _) = fhir(&app, path, None, Some(&ortiz)).await;
            refused(s, &body, StatusCode::BAD_REQUEST, &["Maria Gonzalez"], path);
        }
        let (s, body, _) = fhir(&app, "/fhir/r4/Medication/1", None, Some(&ortiz)).await;
        refused(s, &body, StatusCode::NOT_FOUND, &[], "unknown type");

        // Each read is in the log, like a page view.
        let reads = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq(ActivityAction::ApiRead))
            .filter(activity_log::Column::ActorUserId.eq(user_id(&app, "ortiz@riverside.example").await))
            .all(&app.db)
            .await
            .expect("log");
        assert!(reads.iter().any(|r| r.subject_id == Some(maria.id) && r.detail.contains("\"via\":\"session\"")));
        assert!(reads.iter().all(|r| !r.detail.contains("Maria")));
        app
    })
    .await;
}

#[tokio::test]
async fn a_case_manager_reads_only_assigned_clients_and_visible_kinds() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        accept_terms(&app, &erin).await;
        let admin = app.sign_in("admin@harbour.example").await;
        let alice = client::Entity::find()
            .filter(client::Column::FullName.eq("Alice Brown"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("alice");
        let dorothy = client::Entity::find()
            .filter(client::Column::FullName.eq("Dorothy Evans"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("dorothy");
        let r = app
            .post_json(
                "/api/api-tokens/create",
                json!({ "name": "x", "scopes": ["referrals"], "days": 30, "password": crate::helpers::PASSWORD }),
                Some(&erin),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let token = make_token(&app, &erin, &["care"]).await;
        set_visibility(&app, &admin, Visibility::everything()).await;
        client::Entity::update_many()
            .col_expr(
                client::Column::Phone,
                sea_orm::sea_query::Expr::value("555-0101"),
            )
            .col_expr(
                client::Column::DateOfBirth,
                sea_orm::sea_query::Expr::value(chrono::NaiveDate::from_ymd_opt(1950, 1, 2)),
            )
            .filter(client::Column::Id.eq(alice.id))
            .exec(&app.db)
            .await
            .expect("phone");

        let (s, bundle, _) = fhir(
            &app,
            &format!(
                "/fhir/r4/Appointment?patient=Patient/client-{}&date=ge2000-01-01",
                alice.id
            ),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{bundle}");
        let visits = entries(&bundle);
        assert!(!visits.is_empty());
        assert!(
            visits
                .iter()
                .all(|a| a["participant"][0]["actor"]["reference"]
                    == format!("Patient/client-{}", alice.id))
        );
        // Staff are named while the agency shows staff, and only then.
        let staff_named = |visits: &[Value]| {
            visits
                .iter()
                .any(|a| a["participant"][1]["actor"]["display"] == "Sam Scheduler")
        };
        assert!(staff_named(&visits), "{bundle}");
        let mut no_staff = Visibility::everything();
        no_staff.set(DataKind::StaffInfo, false);
        set_visibility(&app, &admin, no_staff).await;
        let (_, hidden, _) = fhir(&app, &format!("/fhir/r4/Appointment?patient=Patient/client-{}", alice.id), Some(&token), None).await;
        assert!(!entries(&hidden).is_empty() && !staff_named(&entries(&hidden)), "{hidden}");
        assert!(!hidden.to_string().contains("Sam Scheduler"));
        set_visibility(&app, &admin, Visibility::everything()).await;
        let (s, patient, _) = fhir(
            &app,
            &format!("/fhir/r4/Patient/client-{}", alice.id),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(patient["telecom"][0]["value"], "555-0101", "{patient}");
        // The portal never shows a case manager the birth date: nor does the API.
        assert!(patient.get("birthDate").is_none(), "{patient}");
        let (_, staff_view, _) = fhir(&app, &format!("/fhir/r4/Patient/client-{}", alice.id), None, Some(&admin)).await;
        assert_eq!(staff_view["birthDate"], "1950-01-02", "{staff_view}");

        // Not assigned: not there.
        let (s, body, _) = fhir(
            &app,
            &format!("/fhir/r4/Patient/client-{}", dorothy.id),
            Some(&token),
            None,
        )
        .await;
        refused(
            s,
            &body,
            StatusCode::NOT_FOUND,
            &["Dorothy"],
            "unassigned client",
        );
        let (s, none, _) = fhir(
            &app,
            &format!("/fhir/r4/Appointment?patient=Patient/client-{}", dorothy.id),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(entries(&none).is_empty());
        let dorothy_visit = appointment::Entity::find()
            .filter(appointment::Column::ClientId.eq(dorothy.id))
            .one(&app.db)
            .await
            .expect("q")
            .expect("the demo data gives every client visits");
        let (s, body, _) = fhir(
            &app,
            &format!("/fhir/r4/Appointment/{}", dorothy_visit.id),
            Some(&token),
            None,
        )
        .await;
        refused(s, &body, StatusCode::NOT_FOUND, &["Dorothy"], "unassigned visit");
        // No referrals, no log, for a case manager.
        let (s, body, _) = fhir(&app, "/fhir/r4/Task", Some(&token), None).await;
        refused(s, &body, StatusCode::FORBIDDEN, &[], "referrals");

        // The agency hides schedules and contact details: gone from the API too.
        let mut v = Visibility::default();
        v.set(DataKind::Schedules, false);
        v.set(DataKind::ContactInfo, false);
        set_visibility(&app, &admin, v).await;
        let (s, none, _) = fhir(
            &app,
            &format!("/fhir/r4/Appointment?patient=Patient/client-{}", alice.id),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(entries(&none).is_empty(), "{none}");
        let (s, body, _) = fhir(
            &app,
            &format!(
                "/fhir/r4/Appointment/{}",
                visits[0]["id"].as_str().unwrap_or("0")
            ),
            Some(&token),
            None,
        )
        .await;
        refused(
            s,
            &body,
            StatusCode::NOT_FOUND,
            &["Alice"],
            "hidden schedules",
        );
        let (_, patient, _) = fhir(
            &app,
            &format!("/fhir/r4/Patient/client-{}", alice.id),
            Some(&token),
            None,
        )
        .await;
        assert!(
            patient.get("telecom").is_none() && patient.get("address").is_none(),
            "{patient}"
        );

        // Suspended: the token stops at once.
        let erin_id = user_id(&app, "erin@northcounty.example").await;
        let r = app
            .post_json(
                "/api/case-managers/access",
                json!({ "id": erin_id, "status": "Suspended", "reason": "Leave" }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let (s, body, _) = fhir(
            &app,
            &format!("/fhir/r4/Patient/client-{}", alice.id),
            Some(&token),
            None,
        )
        .await;
        refused(s, &body, StatusCode::UNAUTHORIZED, &["Alice"], "suspended");
        app
    })
    .await;
}

#[tokio::test]
async fn admins_read_their_own_log_and_export_their_practice() {
    on_both(|app| async move {
        let riley = app.sign_in("admin@riverside.example").await;
        let token = make_token(&app, &riley, &["audit", "export", "directory"]).await;
        let riverside = app::entities::organisation::Entity::find()
            .filter(app::entities::organisation::Column::Slug.eq("riverside"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("riverside");
        let hillside = app::entities::organisation::Entity::find()
            .filter(app::entities::organisation::Column::Slug.eq("hillside"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("hillside");
        // Something of Hillside's in the log that Riverside must not see.
        let _ = app.sign_in("chen@hillside.example").await;

        let (s, log, _) = fhir(
            &app,
            "/fhir/r4/AuditEvent?date=ge2000-01-01&_count=200",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{log}");
        let events = entries(&log);
        assert!(
            events.iter().any(|e| e["subtype"][0]["code"] == "SignIn"),
            "{log}"
        );
        assert!(
            events.iter().all(|e| e["source"]["observer"]["reference"]
                == format!("Organization/{}", riverside.id))
        );
        assert!(!log.to_string().contains("Li Chen"));
        // A doctor has no log.
        let ortiz = app.sign_in("ortiz@riverside.example").await;
        let (s, body, _) = fhir(&app, "/fhir/r4/AuditEvent", None, Some(&ortiz)).await;
        refused(s, &body, StatusCode::NOT_FOUND, &[], "doctor's audit");

        // Bulk export: kick-off, polling, files.
        let start = |group: i32, prefer: bool| {
            let mut req = Request::get(format!("/fhir/r4/Group/{group}/$export"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"));
            if prefer {
                req = req.header("prefer", "respond-async");
            }
            req.body(Body::empty()).expect("request")
        };
        let r = app.send(start(riverside.id, false)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        let r = app.send(start(hillside.id, true)).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "another practice: {}",
            r.body
        );
        let r = app.send(start(riverside.id, true)).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let status_url = r.headers[header::CONTENT_LOCATION]
            .to_str()
            .expect("location")
            .trim_start_matches("http://caseport.test")
            .to_string();
        let mut manifest = Value::Null;
        for _ in 0..100 {
            let (s, body, _) = fhir(&app, &status_url, Some(&token), None).await;
            if s == StatusCode::OK {
                manifest = body;
                break;
            }
            assert_eq!(s, StatusCode::ACCEPTED, "{body}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let outputs = manifest["output"]
            .as_array()
            .expect("a finished manifest")
            .clone();
        assert_eq!(outputs.len(), 4);
        // Hillside's admin cannot poll or fetch Riley's export.
        let hana = app.sign_in("admin@hillside.example").await;
        let (s, body, _) = fhir(&app, &status_url, None, Some(&hana)).await;
        refused(
            s,
            &body,
            StatusCode::NOT_FOUND,
            &[],
            "another admin's export",
        );
        let task_url = outputs
            .iter()
            .find(|o| o["type"] == "Task")
            .and_then(|o| o["url"].as_str())
            .expect("task file")
            .trim_start_matches("http://caseport.test")
            .to_string();
        let r = app
            .send(
                Request::get(&task_url)
                    .header(header::COOKIE, &hana)
                    .body(Body::empty())
                    .expect("r"),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app
            .send(
                Request::get(&task_url)
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .expect("r"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/fhir+ndjson");
        let tasks: Vec<Value> = r
            .body
            .lines()
            .map(|l| serde_json::from_str(l).expect("one resource per line"))
            .collect();
        // Every seeded case has a Riverside doctor on it.
        assert_eq!(tasks.len() as u64, app.count("cases").await as u64);
        for t in tasks.iter().take(3) {
            keep("export-Task", t);
        }
        for kind in ["ServiceRequest", "Patient", "Provenance"] {
            let url = outputs
                .iter()
                .find(|o| o["type"] == kind)
                .and_then(|o| o["url"].as_str())
                .expect("file")
                .trim_start_matches("http://caseport.test")
                .to_string();
            let r = app
                .send(
                    Request::get(&url)
                        .header(header::AUTHORIZATION, format!("Bearer {token}"))
                        .body(Body::empty())
                        .expect("r"),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK);
            // Seeded cases have no history rows: Provenance may be empty.
            for line in r.body.lines().take(3) {
                let v: Value = serde_json::from_str(line).expect("json");
                assert_eq!(v["resourceType"], kind);
                keep(&format!("export-{kind}"), &v);
            }
            assert!(
                kind == "Provenance" || !r.body.is_empty(),
                "{kind} file empty"
            );
        }
        let logged: Vec<ActivityAction> = activity_log::Entity::find()
            .filter(activity_log::Column::Action.is_in([
                ActivityAction::BulkExportStarted,
                ActivityAction::BulkExportDownloaded,
            ]))
            .all(&app.db)
            .await
            .expect("log")
            .into_iter()
            .map(|r| r.action)
            .collect();
        assert!(
            logged.contains(&ActivityAction::BulkExportStarted)
                && logged.contains(&ActivityAction::BulkExportDownloaded)
        );

        // The capability statement is public.
        let (s, cap, _) = fhir(&app, "/fhir/r4/metadata", None, None).await;
        assert_eq!(
            (s, cap["resourceType"].as_str()),
            (StatusCode::OK, Some("CapabilityStatement"))
        );
        app
    })
    .await;
}
