//! The agency side of the case-manager portal: directory, invitations over
//! real SMTP, access status, assignments, visibility, documents.

use axum::body::Body;
use http::{Request, StatusCode, header};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use app::activity::ActivityAction;
use app::entities::{document_category, invitation};

use crate::helpers::{PASSWORD, Reply, TestApp, last_log, on_both};
use crate::referrals::user_id;

const NEW_PASSWORD: &str = "tidal lantern orchard 42";

async fn add_cm(app: &TestApp, admin: &str, name: &str, email: &str) -> i32 {
    let r = app
        .post_json(
            "/api/case-managers/add",
            json!({ "input": { "name": name, "email": email, "phone": "+1 555 0142",
                               "employer": "County Services", "notes": "" } }),
            Some(admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body.parse().expect("id")
}

async fn invite(app: &TestApp, admin: &str, id: i32) -> Reply {
    app.post_json(
        "/api/case-managers/invite",
        json!({ "id": id, "message": "Looking forward to working with you." }),
        Some(admin),
    )
    .await
}

/// The token in the newest invitation mail to `email`.
fn token_for(app: &TestApp, email: &str) -> String {
    let mail = app
        .mail
        .messages()
        .into_iter()
        .rev()
        .find(|m| m.to.iter().any(|t| t.contains(email)))
        .expect("an invitation mail");
    let text = mail.text();
    let at = text.find("token=").expect("a link") + 6;
    text[at..at + 64].to_string()
}

async fn accept(app: &TestApp, token: &str, password: &str) -> Reply {
    app.post(
        "/api/invitation/accept",
        &[
            ("token", token),
            ("password", password),
            ("confirm", password),
        ],
        None,
    )
    .await
}

async fn login(app: &TestApp, email: &str, password: &str) -> Reply {
    app.post(
        "/api/auth/login",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

#[tokio::test]
async fn an_invited_case_manager_sets_a_password_from_the_mailed_link_and_signs_in() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let id = add_cm(&app, &admin, "Gina Grant", "gina@county.example").await;
        assert_eq!(
            last_log(&app).await.action,
            ActivityAction::CaseManagerAdded
        );
        // Not yet invited: no way in.
        assert_eq!(
            login(&app, "gina@county.example", PASSWORD).await.status,
            StatusCode::UNAUTHORIZED
        );

        let r = invite(&app, &admin, id).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let mail = app.mail.messages().pop().expect("mail delivered over SMTP");
        assert!(mail.to[0].contains("gina@county.example"));
        let text = mail.text();
        assert!(text.contains("Looking forward to working with you."));
        assert!(text.contains("http://caseport.test/portal/harbour/invitation?token="));
        assert!(
            text.contains("care@harbour.example"),
            "agency contact details"
        );
        let token = token_for(&app, "gina@county.example");
        // Only the hash is stored.
        assert_eq!(
            invitation::Entity::find()
                .filter(invitation::Column::TokenHash.eq(token.as_str()))
                .one(&app.db)
                .await
                .expect("query"),
            None
        );

        let view = app
            .get(&format!("/api/invitation?token={token}"), None)
            .await;
        assert_eq!(view.status, StatusCode::OK, "{}", view.body);
        assert!(view.body.contains("Gina Grant"));

        // A password against the agency's rules changes nothing.
        let weak = accept(&app, &token, "password1234").await;
        assert_eq!(
            weak.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            weak.body
        );
        assert!(weak.body.contains("too common"));
        let ok = accept(&app, &token, NEW_PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(ok.body.contains("harbour"));
        assert_eq!(
            last_log(&app).await.action,
            ActivityAction::InvitationAccepted
        );

        let signed_in = login(&app, "gina@county.example", NEW_PASSWORD).await;
        assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
        // Single use.
        let again = accept(&app, &token, "another fine password 7").await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("used already"), "{}", again.body);
        app
    })
    .await;
}

#[tokio::test]
async fn expired_and_replaced_invitations_are_refused() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let id = add_cm(&app, &admin, "Hal Hughes", "hal@county.example").await;
        assert_eq!(invite(&app, &admin, id).await.status, StatusCode::OK);
        let first = token_for(&app, "hal@county.example");
        assert_eq!(invite(&app, &admin, id).await.status, StatusCode::OK);
        let second = token_for(&app, "hal@county.example");
        assert_ne!(first, second);
        let r = accept(&app, &first, NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("newer invitation"), "{}", r.body);

        // Move the live one past its expiry.
        let inv = invitation::Entity::find()
            .filter(invitation::Column::CaseManagerUserId.eq(id))
            .filter(invitation::Column::VoidedAt.is_null())
            .one(&app.db)
            .await
            .expect("query")
            .expect("invitation");
        let mut inv: invitation::ActiveModel = inv.into();
        inv.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
        inv.update(&app.db).await.expect("update");
        let r = accept(&app, &second, NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("expired"), "{}", r.body);
        assert_eq!(
            login(&app, "hal@county.example", NEW_PASSWORD).await.status,
            StatusCode::UNAUTHORIZED
        );
        let bogus = accept(&app, &"ab".repeat(32), NEW_PASSWORD).await;
        assert_eq!(bogus.status, StatusCode::CONFLICT);
        app
    })
    .await;
}

async fn set_access(app: &TestApp, admin: &str, id: i32, status: &str) -> Reply {
    app.post_json(
        "/api/case-managers/access",
        json!({ "id": id, "status": status, "reason": "Contract paused" }),
        Some(admin),
    )
    .await
}

#[tokio::test]
async fn suspension_ends_sessions_and_revocation_is_final() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let erin = user_id(&app, "erin@northcounty.example").await;
        let session = app.sign_in("erin@northcounty.example").await;
        let clients = app.get(crate::helpers::MY_CLIENTS, Some(&session)).await;
        assert!(clients.body.contains("Alice Brown"));

        let r = set_access(&app, &admin, erin, "Suspended").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::AccessChanged);
        let detail: Value = serde_json::from_str(&log.detail).expect("json");
        assert_eq!(detail["before"], "active");
        assert_eq!(detail["after"], "suspended");
        assert_eq!(detail["sessions_ended"], 1);
        // The open session is over at once.
        let after = app.get(crate::helpers::MY_CLIENTS, Some(&session)).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.body);
        let refused = login(&app, "erin@northcounty.example", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("not active"));
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::SignInFailed);
        assert!(
            log.detail.contains("access_suspended"),
            "the admin can see why"
        );

        assert_eq!(
            set_access(&app, &admin, erin, "Active").await.status,
            StatusCode::OK
        );
        app.sign_in("erin@northcounty.example").await;

        assert_eq!(
            set_access(&app, &admin, erin, "Revoked").await.status,
            StatusCode::OK
        );
        let back = set_access(&app, &admin, erin, "Active").await;
        assert_eq!(back.status, StatusCode::CONFLICT, "revoked is final");
        assert_eq!(
            login(&app, "erin@northcounty.example", PASSWORD)
                .await
                .status,
            StatusCode::CONFLICT
        );
        // Only a new invitation lets them back in.
        assert_eq!(invite(&app, &admin, erin).await.status, StatusCode::OK);
        let token = token_for(&app, "erin@northcounty.example");
        assert_eq!(
            accept(&app, &token, NEW_PASSWORD).await.status,
            StatusCode::OK
        );
        assert_eq!(
            login(&app, "erin@northcounty.example", NEW_PASSWORD)
                .await
                .status,
            StatusCode::OK
        );
        // Staff cannot change access; other agencies cannot even see it.
        let sam = app.sign_in("sam@harbour.example").await;
        assert_eq!(
            set_access(&app, &sam, erin, "Suspended").await.status,
            StatusCode::FORBIDDEN
        );
        let riverside = app.sign_in("admin@riverside.example").await;
        assert_eq!(
            set_access(&app, &riverside, erin, "Suspended").await.status,
            StatusCode::NOT_FOUND
        );
        app
    })
    .await;
}

async fn set_portal(app: &TestApp, admin: &str, on: bool) -> Reply {
    app.post_json(
        "/api/settings/portal/update",
        json!({ "change": { "Enabled": on } }),
        Some(admin),
    )
    .await
}

#[tokio::test]
async fn turning_the_portal_off_refuses_case_managers_and_deletes_nothing() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let session = app.sign_in("erin@northcounty.example").await;
        let clients_before = app.count("client_assignments").await;
        assert_eq!(set_portal(&app, &admin, false).await.status, StatusCode::OK);
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::SettingsChanged);
        assert!(log.detail.contains("portal_enabled"));

        assert_eq!(
            app.get(crate::helpers::MY_CLIENTS, Some(&session))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let refused = login(&app, "erin@northcounty.example", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("turned off"));
        let face = app.get("/api/portal/face?slug=harbour", None).await;
        assert!(face.body.contains("\"enabled\":false"), "{}", face.body);
        let page = app.get("/portal/harbour", None).await;
        assert!(page.body.contains("The Case Manager Portal is turned off"));
        // Staff work on.
        app.sign_in("sam@harbour.example").await;
        assert_eq!(app.count("client_assignments").await, clients_before);

        assert_eq!(set_portal(&app, &admin, true).await.status, StatusCode::OK);
        app.sign_in("erin@northcounty.example").await;
        // Only the agency's admins change settings.
        let sam = app.sign_in("sam@harbour.example").await;
        assert_eq!(
            set_portal(&app, &sam, false).await.status,
            StatusCode::NOT_FOUND
        );
        app
    })
    .await;
}

pub(crate) async fn client_id(app: &TestApp, name: &str) -> i32 {
    use app::entities::client;
    client::Entity::find()
        .filter(client::Column::FullName.eq(name))
        .one(&app.db)
        .await
        .expect("query")
        .expect("client")
        .id
}

#[tokio::test]
async fn a_client_has_at_most_one_primary_and_archived_clients_vanish() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let carlos = client_id(&app, "Carlos Diaz").await;
        let frank = user_id(&app, "frank@northcounty.example").await;
        let before = app.count("client_assignments").await;
        let assign = |client: i32, rel: &'static str| {
            let sam = sam.clone();
            let app = &app;
            async move {
                app.post_json(
                    "/api/agency/clients/assign",
                    json!({ "client_id": client, "case_manager_id": frank, "relationship": rel }),
                    Some(&sam),
                )
                .await
            }
        };
        // Erin is Alice's Primary already.
        let r = assign(alice, "Primary").await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.body.contains("already has a Primary case manager (Erin External)"), "{}", r.body);
        assert_eq!(app.count("client_assignments").await, before);
        let r = assign(carlos, "Primary").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(last_log(&app).await.action, ActivityAction::ClientAssigned);

        let frank_session = app.sign_in("frank@northcounty.example").await;
        crate::helpers::accept_terms(&app, &frank_session).await;
        let list = app.get(crate::helpers::MY_CLIENTS, Some(&frank_session)).await;
        assert!(list.body.contains("Carlos Diaz"));

        let r = app
            .post_json(
                "/api/agency/clients/archive",
                json!({ "client_id": carlos, "archived": true }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let list = app.get(crate::helpers::MY_CLIENTS, Some(&frank_session)).await;
        assert!(!list.body.contains("Carlos Diaz"), "archived: gone from the portal");
        assert_eq!(app.count("client_assignments").await, before + 1, "kept for history");

        let r = app
            .post_json(
                "/api/agency/clients/unassign",
                json!({ "client_id": alice, "case_manager_id": frank }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let list = app.get(crate::helpers::MY_CLIENTS, Some(&frank_session)).await;
        assert!(!list.body.contains("Alice Brown"));
        // A case manager cannot assign anyone.
        let r = app
            .post_json(
                "/api/agency/clients/assign",
                json!({ "client_id": alice, "case_manager_id": frank, "relationship": "Secondary" }),
                Some(&frank_session),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test]
async fn case_manager_emails_are_validated_and_unique_within_the_agency() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let before = app.count("users").await;
        for (email, want) in [
            ("not-an-email", "valid e-mail"),
            ("erin@northcounty.example", "already uses"),
            ("admin@riverside.example", "already signs in"),
        ] {
            let r = app
                .post_json(
                    "/api/case-managers/add",
                    json!({ "input": { "name": "X", "email": email, "phone": "",
                                       "employer": "", "notes": "" } }),
                    Some(&admin),
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}");
            assert!(r.body.contains(want), "{email}: {}", r.body);
        }
        assert_eq!(app.count("users").await, before);
        let found = app
            .get("/api/case-managers?query=north", Some(&admin))
            .await;
        assert!(found.body.contains("Erin External") && found.body.contains("Frank Field"));
        let none = app.get("/api/case-managers?query=zzz", Some(&admin)).await;
        assert_eq!(none.body, "[]");
        app
    })
    .await;
}

pub(crate) fn multipart(fields: &[(&str, &str)], file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "caseportboundary7";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn upload(
    app: &TestApp,
    cookie: &str,
    client: i32,
    category: i32,
    shared: bool,
    file: (&str, &[u8]),
) -> Reply {
    let mut fields = vec![("category_id", category.to_string())];
    if shared {
        fields.push(("shared", "on".into()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (ct, body) = multipart(&fields, file);
    app.send(
        Request::post(format!("/clients/{client}/documents"))
            .header(header::CONTENT_TYPE, ct)
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

pub(crate) async fn category(app: &TestApp, name: &str) -> i32 {
    document_category::Entity::find()
        .filter(document_category::Column::Name.eq(name))
        .one(&app.db)
        .await
        .expect("query")
        .expect("category")
        .id
}

#[tokio::test]
async fn documents_follow_the_category_rules_and_download_safely() {
    on_both(|app| async move {
        let sam = app.sign_in("sam@harbour.example").await;
        let alice = client_id(&app, "Alice Brown").await;
        let pdf: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
        let never = category(&app, "Internal Notes").await;
        let manual = category(&app, "Medical Records").await;
        let always = category(&app, "Care Plans").await;
        for (cat, shared, name) in [
            (never, true, "internal.pdf"),
            (manual, false, "private-record.pdf"),
            (manual, true, "shared-record.pdf"),
            (always, false, "Care plan; 2026 é.pdf"),
        ] {
            let r = upload(&app, &sam, alice, cat, shared, (name, pdf)).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}: {}", r.body);
            assert!(r.headers[header::LOCATION].to_str().expect("ascii header").contains("uploaded=1"));
        }
        assert_eq!(last_log(&app).await.action, ActivityAction::DocumentUploaded);
        // The bytes decide the type: a program named .pdf is refused.
        let before = app.count("documents").await;
        let r = upload(&app, &sam, alice, manual, true, ("x.pdf", b"MZ\x90\x00\x03")).await;
        assert!(r.headers[header::LOCATION].to_str().expect("ascii header").contains("upload_error"));
        assert_eq!(app.count("documents").await, before);
        // A PDF named like a program is stored, and sent back, as a PDF.
        let r = upload(&app, &sam, alice, manual, false, ("invoice.exe", pdf)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let renamed = app::entities::document::Entity::find()
            .filter(app::entities::document::Column::OriginalName.eq("invoice.pdf"))
            .one(&app.db)
            .await
            .expect("q")
            .expect("stored as invoice.pdf");
        assert_eq!(renamed.content_type, "application/pdf");
        app::entities::document::Entity::delete_by_id(renamed.id)
            .exec(&app.db)
            .await
            .expect("tidy up");

        let erin = app.sign_in("erin@northcounty.example").await;
        let seen = app
            .get(&format!("/api/agency/documents?client_id={alice}"), Some(&erin))
            .await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        assert!(!seen.body.contains("internal.pdf"), "Never beats the mark");
        assert!(!seen.body.contains("private-record.pdf"));
        assert!(seen.body.contains("shared-record.pdf"));
        assert!(seen.body.contains("Care plan"));
        let staff_view = app
            .get(&format!("/api/agency/documents?client_id={alice}"), Some(&sam))
            .await;
        let docs: Vec<Value> = serde_json::from_str(&staff_view.body).expect("json");
        assert_eq!(docs.len(), 4);
        let id_of = |n: &str| {
            docs.iter()
                .find(|d| d["name"].as_str().unwrap_or_default().starts_with(n))
                .and_then(|d| d["id"].as_i64())
                .expect("doc")
        };

        let got = app
            .get(&format!("/documents/{}/download", id_of("Care plan")), Some(&erin))
            .await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.body.as_bytes(), pdf);
        let cd = got.headers[header::CONTENT_DISPOSITION].to_str().expect("ascii header");
        assert_eq!(
            cd,
            "attachment; filename=\"Care plan_ 2026 _.pdf\"; filename*=UTF-8''Care%20plan%3B%202026%20%C3%A9.pdf"
        );
        let log = last_log(&app).await;
        assert_eq!(log.action, ActivityAction::DocumentDownloaded);
        assert!(log.detail.contains("Alice Brown"));
        for hidden in ["internal.pdf", "private-record.pdf"] {
            let r = app
                .get(&format!("/documents/{}/download", id_of(hidden)), Some(&erin))
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{hidden}");
            assert!(!r.body.contains("PDF"));
        }
        // Marking a Never document changes nothing for case managers.
        let r = app
            .post_json(
                "/api/agency/documents/share",
                json!({ "document_id": id_of("internal.pdf"), "shared": true }),
                Some(&sam),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .get(&format!("/documents/{}/download", id_of("internal.pdf")), Some(&erin))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Documents turned off in the visibility settings: nothing at all.
        let admin = app.sign_in("admin@harbour.example").await;
        let mut v = serde_json::to_value(app::agency::Visibility::default()).expect("json");
        v["documents"] = json!(false);
        let r = app
            .post_json(
                "/api/settings/portal/update",
                json!({ "change": { "Visibility": v } }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .get(&format!("/documents/{}/download", id_of("Care plan")), Some(&erin))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        app
    })
    .await;
}

/// An invitation never reactivates an account an admin switched off.
#[tokio::test]
async fn an_invitation_does_not_bring_back_a_deactivated_account() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@harbour.example").await;
        let id = add_cm(&app, &admin, "Ivy Irons", "ivy@county.example").await;
        assert_eq!(invite(&app, &admin, id).await.status, StatusCode::OK);
        let token = token_for(&app, "ivy@county.example");
        let u = app::entities::user::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("user");
        let mut u: app::entities::user::ActiveModel = u.into();
        u.active = Set(false);
        u.update(&app.db).await.expect("deactivate");
        let r = accept(&app, &token, NEW_PASSWORD).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        let u = app::entities::user::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("user");
        assert!(!u.active, "accepting reactivated the account");
        assert_eq!(
            login(&app, "ivy@county.example", NEW_PASSWORD).await.status,
            StatusCode::UNAUTHORIZED
        );
        app
    })
    .await;
}
