use http::StatusCode;

use crate::helpers::{TestApp, on_both};

async fn case_id(app: &TestApp, patient: &str) -> i32 {
    crate::referrals::case_of(app, patient).await.id
}

#[tokio::test]
async fn a_case_page_is_404_for_outsiders_and_shows_the_case_to_its_doctors() {
    on_both(|app| async move {
        // Maria Gonzalez: Dr. Ortiz (Riverside) → Dr. Chen (Hillside).
        let id = case_id(&app, "Maria Gonzalez").await;
        let path = format!("/cases/{id}");

        let chen = app.sign_in("chen@hillside.example").await;
        let page = app.get(&path, Some(&chen)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Maria Gonzalez"));

        // Dr. Okafor is in Ortiz's practice but not on the case.
        let okafor = app.sign_in("okafor@riverside.example").await;
        let page = app.get(&path, Some(&okafor)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Maria Gonzalez"));
        assert!(page.body.contains("Page not found"));

        // Same answer through the server function, and for an id that does
        // not exist: nothing tells the two apart.
        let fn_reply = app
            .get(&format!("/api/cases/get?id={id}"), Some(&okafor))
            .await;
        let missing = app.get("/api/cases/get?id=999999", Some(&okafor)).await;
        assert_eq!(fn_reply.status, StatusCode::NOT_FOUND);
        assert_eq!(fn_reply.body, missing.body);

        let anonymous = app.get(&format!("/api/cases/get?id={id}"), None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

#[tokio::test]
async fn each_role_lists_only_the_cases_it_may_see() {
    on_both(|app| async move {
        let list = |cookie: String| {
            let app = &app;
            async move {
                app.post_json(
                    "/api/cases/list",
                    serde_json::json!({ "filter": {}, "after": null }),
                    Some(&cookie),
                )
                .await
                .body
            }
        };
        // Casey manages Riverside: every case Ortiz or Okafor is on.
        let casey = list(app.sign_in("casey@riverside.example").await).await;
        for patient in [
            "Maria Gonzalez",
            "Tom Becker",
            "Jonas Weber",
            "Priya Patel",
            "Omar Haddad",
        ] {
            assert!(casey.contains(patient), "{patient} missing for Casey");
        }
        // Ortiz sees hers and not Okafor's.
        let ortiz = list(app.sign_in("ortiz@riverside.example").await).await;
        assert!(ortiz.contains("Maria Gonzalez") && !ortiz.contains("Tom Becker"));
        // Pat (plain staff) sees only the case she is associated with.
        let pat = list(app.sign_in("pat@riverside.example").await).await;
        assert!(pat.contains("Maria Gonzalez") && !pat.contains("Aisha Khan"));
        // External case managers and admins see no referral cases.
        let erin = list(app.sign_in("erin@northcounty.example").await).await;
        assert!(erin.contains("\"rows\":[]"), "{erin}");
        let admin = list(app.sign_in("admin@riverside.example").await).await;
        assert!(admin.contains("\"rows\":[]"), "{admin}");
        app
    })
    .await;
}

#[tokio::test]
async fn only_admins_reach_the_user_directory() {
    on_both(|app| async move {
        let admin = app.sign_in("admin@riverside.example").await;
        let ok = app.get("/api/admin/users", Some(&admin)).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert!(ok.body.contains("casey@riverside.example"));
        assert!(
            !ok.body.contains("hillside"),
            "another practice's users leaked"
        );
        assert!(!ok.body.contains("argon2"), "a password hash leaked");

        let doctor = app.sign_in("ortiz@riverside.example").await;
        let denied = app.get("/api/admin/users", Some(&doctor)).await;
        assert_eq!(denied.status, StatusCode::NOT_FOUND);
        let page = app.get("/admin", Some(&doctor)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("casey@riverside.example"));
        app
    })
    .await;
}

#[tokio::test]
async fn an_external_case_manager_sees_assigned_clients_but_not_archived_ones() {
    on_both(|app| async move {
        let erin = app.sign_in("erin@northcounty.example").await;
        let body = app.get(crate::helpers::MY_CLIENTS, Some(&erin)).await.body;
        assert!(body.contains("Alice Brown") && body.contains("Carlos Diaz"));
        assert!(!body.contains("Edward Archer"), "archived client shown");
        assert!(
            !body.contains("Dorothy Evans"),
            "another manager's client shown"
        );
        // The doctor directory is not for portal users.
        let directory = app.get("/api/doctors/directory?q=", Some(&erin)).await;
        assert_eq!(directory.status, StatusCode::NOT_FOUND);
        assert!(!directory.body.contains("Dr."));
        app
    })
    .await;
}
