use migration::{Migrator, MigratorTrait};

use crate::helpers::on_both;

#[tokio::test]
async fn migrations_go_down_and_up_again_and_the_seed_is_idempotent() {
    on_both(|app| async move {
        let users = app.count("users").await;
        let cases = app.count("cases").await;
        server::seed::seed_demo(&app.db).await.expect("second seed");
        assert_eq!(app.count("users").await, users);
        assert_eq!(app.count("cases").await, cases);

        Migrator::up(&app.db, None)
            .await
            .expect("up again is a no-op");
        Migrator::down(&app.db, None).await.expect("down");
        Migrator::up(&app.db, None).await.expect("up");
        assert_eq!(app.count("users").await, 0);
        app
    })
    .await;
}

#[tokio::test]
async fn concurrent_writers_wait_their_turn_instead_of_failing() {
    on_both(|app| async move {
        // Twenty sign-ins at once: each writes a session and a log row.
        // Two per account: more at once for one account would be guesses,
        // which the throttle stops before the password check.
        let mut tasks = Vec::new();
        for email in [
            "casey@riverside.example",
            "ortiz@riverside.example",
            "okafor@riverside.example",
            "admin@riverside.example",
            "chen@hillside.example",
            "fischer@hillside.example",
            "morgan@hillside.example",
            "admin@hillside.example",
            "admin@harbour.example",
            "sam@harbour.example",
        ]
        .iter()
        .flat_map(|e| [*e, *e])
        {
            let router = app.router.clone();
            tasks.push(tokio::spawn(async move {
                use tower::ServiceExt;
                let body = format!(
                    "email={}&password={}",
                    crate::helpers::urlencode(email),
                    crate::helpers::urlencode(crate::helpers::PASSWORD)
                );
                let req = http::Request::post("/api/auth/login")
                    .header(
                        http::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(axum::body::Body::from(body))
                    .expect("request");
                router.oneshot(req).await.expect("infallible").status()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("join"), http::StatusCode::OK);
        }
        assert_eq!(app.count("sessions").await, 20);
        app
    })
    .await;
}
