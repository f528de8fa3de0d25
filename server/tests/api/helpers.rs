//! `TestApp`: an isolated, migrated, seeded database per test and the real
//! HTTP stack in front of it.

use std::future::Future;

use axum::Router;
use axum::body::Body;
use http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tower::ServiceExt;

use app::server_context::{RuntimeConfig, ServerContext};

pub const PASSWORD: &str = server::seed::DEMO_PASSWORD;

pub enum Backend {
    // Held so the folder lives as long as the test.
    Sqlite(tempfile::TempDir),
    Postgres {
        admin: DatabaseConnection,
        name: String,
    },
}

pub struct TestApp {
    pub db: DatabaseConnection,
    pub router: Router,
    /// What the router was built with, for a test that builds another.
    pub ctx: ServerContext,
    /// A real SMTP server the app delivers to.
    pub mail: server::smtp_sink::Inbox,
    /// The app's own mailer, for jobs a test runs by hand.
    pub mailer: std::sync::Arc<dyn app::mail::Mailer>,
    _files: tempfile::TempDir,
    backend: Option<Backend>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
    /// The body as sent, for files.
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("caseport_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    }
}

fn config() -> RuntimeConfig {
    RuntimeConfig {
        secure_cookies: false,
        session_absolute_hours: 12,
        public_url: "http://caseport.test".into(),
        metrics_token_sha256: Some(server::http::metrics::digest(METRICS_TOKEN)),
    }
}

/// The token the tests' servers ask for at `/metrics`.
pub const METRICS_TOKEN: &str = "a test scrape token";

const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

impl TestApp {
    async fn finish_with(
        db: DatabaseConnection,
        backend: Backend,
        storage: Option<app::storage::Storage>,
    ) -> TestApp {
        // One key for the whole test process, as for a server.
        app::secrets::install(
            app::secrets::KeyRing::new(&app::secrets::KeyRing::generate_key(), &[]).expect("key"),
        );
        server::seed::seed_demo(&db).await.expect("seed");
        let (port, mail) = server::smtp_sink::start("127.0.0.1:0", None)
            .await
            .expect("smtp sink");
        let mailer = server::mail::SmtpMailer::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Caseport <no-reply@caseport.test>".parse().expect("from"),
        )
        .expect("mailer");
        let files = tempfile::tempdir().expect("tempdir");
        let mailer: std::sync::Arc<dyn app::mail::Mailer> = std::sync::Arc::new(mailer);
        let ctx = ServerContext {
            db: db.clone(),
            config: std::sync::Arc::new(config()),
            mailer: mailer.clone(),
            storage: storage.unwrap_or_else(|| {
                app::storage::Storage::local(files.path(), 1024 * 1024).expect("storage")
            }),
        };
        // The tests' requests may come "through" a proxy on 10.0.0.1.
        let proxies = server::http::client_ip::TrustedProxies::parse("10.0.0.1").expect("proxies");
        let router = server::http::router(ctx.clone(), server::http::leptos_options(), proxies);
        TestApp {
            db,
            router,
            ctx,
            mail,
            mailer,
            _files: files,
            backend: Some(backend),
        }
    }

    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(None).await
    }

    /// On SQLite, with the given document storage.
    pub async fn sqlite_with(storage: Option<app::storage::Storage>) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("test.sqlite").display()
        );
        let db = server::database::open_migrated(&url, 4)
            .await
            .expect("sqlite");
        Self::finish_with(db, Backend::Sqlite(dir), storage).await
    }

    /// `None` when no PostgreSQL server answers, unless CI demands one.
    pub async fn postgres() -> Option<TestApp> {
        Self::postgres_with(None).await
    }

    /// On PostgreSQL, with the given document storage.
    pub async fn postgres_with(storage: Option<app::storage::Storage>) -> Option<TestApp> {
        let url = std::env::var("CASEPORT_TEST_PG").unwrap_or_else(|_| PG_ADMIN_URL.to_string());
        let admin = match app::db::connect(&url, 2).await {
            Ok(admin) => admin,
            Err(err) if std::env::var_os("CASEPORT_REQUIRE_POSTGRES").is_none() => {
                eprintln!("PostgreSQL not reachable ({err}); skipping the PostgreSQL run");
                return None;
            }
            Err(err) => panic!("PostgreSQL required but not reachable: {err}"),
        };
        let name = format!("caseport_test_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .expect("create database");
        let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&url);
        let db = server::database::open_migrated(&format!("{base}/{name}"), 4)
            .await
            .expect("connect test db");
        Some(Self::finish_with(db, Backend::Postgres { admin, name }, storage).await)
    }

    /// This test's database URL, and one for a second, empty database of
    /// the same kind (a restore target), which `drop_database` removes.
    pub async fn database_urls(&self) -> (String, String) {
        match &self.backend {
            Some(Backend::Sqlite(dir)) => (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("test.sqlite").display()
                ),
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("restored.sqlite").display()
                ),
            ),
            Some(Backend::Postgres { admin, name }) => {
                let url =
                    std::env::var("CASEPORT_TEST_PG").unwrap_or_else(|_| PG_ADMIN_URL.to_string());
                let base = url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&url)
                    .to_string();
                let empty = format!("{name}_restored");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{empty}\""))
                    .await
                    .expect("create database");
                (format!("{base}/{name}"), format!("{base}/{empty}"))
            }
            None => panic!("torn down"),
        }
    }

    /// Drops the second database `database_urls` made (PostgreSQL).
    pub async fn drop_database(&self, url: &str) {
        if let Some(Backend::Postgres { admin, .. }) = &self.backend
            && let Some((_, name)) = url.rsplit_once('/')
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }

    pub async fn teardown(mut self) {
        if let Some(Backend::Postgres { admin, name }) = self.backend.take() {
            let _ = self.db.close().await;
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res: Response<Body> = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// Calls a POST server function with form-encoded arguments.
    pub async fn post(&self, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// Calls a JSON-encoded server function.
    pub async fn post_json(
        &self,
        path: &str,
        body: serde_json::Value,
        cookie: Option<&str>,
    ) -> Reply {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        // Browsers ask server functions for JSON; a text/html Accept makes
        // them answer a plain form post with a redirect.
        let accept = if path.starts_with("/api/") {
            "application/json"
        } else {
            "text/html"
        };
        let mut req = Request::get(path).header(header::ACCEPT, accept);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// Signs in and returns the `name=value` cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let reply = self
            .post(
                "/api/auth/login",
                &[("email", email), ("password", PASSWORD)],
                None,
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "sign in {email}: {}",
            reply.body
        );
        reply.session_cookie().expect("session cookie")
    }

    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// Percent-encodes a form or query value (the app's own encoder).
pub use app::ui::encode as urlencode;

/// The newest activity-log row.
pub async fn last_log(app: &TestApp) -> app::entities::activity_log::Model {
    use sea_orm::{EntityTrait, QueryOrder};
    app::entities::activity_log::Entity::find()
        .order_by_desc(app::entities::activity_log::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("a log row")
}

/// Runs a test body on SQLite, then on PostgreSQL when available.
pub async fn on_both<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = TestApp>,
{
    let app = test(TestApp::sqlite().await).await;
    app.teardown().await;
    if let Some(pg) = TestApp::postgres().await {
        let app = test(pg).await;
        app.teardown().await;
    }
}

/// A case manager's portal client list, unfiltered.
pub const MY_CLIENTS: &str =
    "/api/portal/my-clients?filter[name]=&filter[relationship]=&filter[upcoming]=false";

/// A case manager accepts the agency's current terms of use (the demo
/// agency's are version 1).
pub async fn accept_terms(app: &TestApp, cookie: &str) {
    let r = app
        .post(
            "/api/portal/terms/accept",
            &[("version", "1")],
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// Every data table (the audit trail, throttles and sessions record
/// attempts by design and are left out).
pub async fn data_tables(app: &TestApp) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let list = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    app.db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .expect("tables")
        .iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .filter(|t| {
            !matches!(
                t.as_str(),
                "activity_logs" | "login_throttles" | "sessions" | "seaql_migrations"
            )
        })
        .collect()
}

/// A SHA-256 of every row of every data table, in a stable order: sees a
/// changed value, which row counts cannot. Taken around each group of
/// calls that were all refused.
pub async fn contents(app: &TestApp) -> Vec<(String, String)> {
    use sha2::{Digest, Sha256};
    let backend = app.db.get_database_backend();
    let mut out = Vec::new();
    for table in data_tables(app).await {
        // Each row as one text, then the rows sorted: the same data gives
        // the same digest whatever order the database returns it in.
        let sql = match backend {
            DbBackend::Postgres => format!("SELECT t::text AS r FROM {table} t"),
            _ => {
                let columns: Vec<String> = app
                    .db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{table}')"),
                    ))
                    .await
                    .expect("columns")
                    .iter()
                    .filter_map(|r| r.try_get::<String>("", "name").ok())
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect();
                format!("SELECT {} AS r FROM {table}", columns.join(" || ',' || "))
            }
        };
        let mut rows: Vec<String> = app
            .db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .expect("rows")
            .iter()
            .map(|r| r.try_get::<String>("", "r").expect("row text"))
            .collect();
        rows.sort();
        let digest = Sha256::digest(rows.join("\n").as_bytes());
        out.push((table, hex::encode(digest)));
    }
    out
}

/// The demo agency's clock: Harbour is in America/Chicago.
pub fn harbour_zone() -> app::zone::Zone {
    app::zone::Zone::parse("America/Chicago").expect("zone")
}

/// The id in an `AppointmentSaved` reply.
pub fn saved_id(body: &str) -> i32 {
    let v: serde_json::Value = serde_json::from_str(body).expect("json");
    v["id"]
        .as_i64()
        .and_then(|id| i32::try_from(id).ok())
        .expect("id")
}
