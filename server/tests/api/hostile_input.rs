//! Every server function against malformed, oversized and hostile input,
//! as every kind of user: the answer is never a 5xx, a refusal says why,
//! and a refused request changes no data.

use http::{Method, StatusCode};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::helpers::{TestApp, on_both};

/// Argument names the server functions use; a hostile request sets them
/// all, so each function finds its own among them.
const FIELDS: &[&str] = &[
    "id",
    "client_id",
    "case_id",
    "case_manager_id",
    "user_id",
    "goal_id",
    "schedule_id",
    "appointment_id",
    "document_id",
    "report_id",
    "category_id",
    "doctor_id",
    "version",
    "kind",
    "from",
    "to",
    "body",
    "text",
    "query",
    "name",
    "email",
    "password",
    "status",
    "reason",
    "title",
    "action",
    "recipients[0]",
    "staff[0]",
    "routing",
    "day",
    "frequency",
    "percent",
    "note",
    "token",
    "q",
    "before",
    "enabled",
    "relationship",
    "confirm",
    "current",
    "new",
    "archived",
    "urgency",
    "filter[name]",
    "input[date]",
    "change",
    "cursor",
    "ids[0]",
];

fn hostile() -> Vec<String> {
    vec![
        "' OR 1=1; --".into(),
        "<script>alert(1)</script>".into(),
        "\u{0}\u{7}".into(),
        "x".repeat(5_000),
        "-1".into(),
        "2147483648".into(),
        "99999999999999999999999".into(),
        "NaN".into(),
        "{\"a\":[".into(),
        "../../../etc/passwd".into(),
        "😀".repeat(300),
        "999999".into(),
    ]
}

/// These end the caller's own session or are throttled by design; they
/// have their own tests.
const SKIP: &[&str] = &[
    "/api/auth/login",
    "/api/auth/logout",
    "/api/auth/idle-sign-out",
    "/api/auth/reset/request",
];

fn form(value: &str) -> String {
    FIELDS
        .iter()
        .map(|k| {
            format!(
                "{}={}",
                crate::helpers::urlencode(k),
                crate::helpers::urlencode(value)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Every data table (the audit trail, throttles and sessions record
/// attempts by design and are left out).
async fn data_tables(app: &TestApp) -> Vec<String> {
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

/// Row counts of every data table: cheap enough to take around every call.
async fn fingerprint(app: &TestApp) -> Vec<(String, i64)> {
    let backend = app.db.get_database_backend();
    let tables = data_tables(app).await;
    // One round trip for all the counts.
    let sql = tables
        .iter()
        .map(|t| format!("SELECT '{t}' AS name, COUNT(*) AS n FROM {t}"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    app.db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .expect("counts")
        .iter()
        .map(|r| {
            (
                r.try_get::<String>("", "name").expect("name"),
                r.try_get::<i64>("", "n").expect("n"),
            )
        })
        .collect()
}

/// A SHA-256 of every row of every data table, in a stable order: sees a
/// changed value, which row counts cannot. Taken around each group of
/// calls that were all refused.
async fn contents(app: &TestApp) -> Vec<(String, String)> {
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

/// `None` when the request cannot even be written (a raw body as a query
/// string with characters no URI may hold).
async fn call(
    app: &TestApp,
    path: &str,
    method: &Method,
    body: String,
    json: bool,
    cookie: Option<&str>,
) -> Option<(StatusCode, String)> {
    let mut req = if *method == Method::GET {
        http::Request::get(format!("{path}?{body}"))
    } else {
        http::Request::post(path).header(
            http::header::CONTENT_TYPE,
            if json {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            },
        )
    };
    req = req.header(http::header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(http::header::COOKIE, c);
    }
    let body = if *method == Method::GET {
        String::new()
    } else {
        body
    };
    let req = req.body(axum::body::Body::from(body)).ok()?;
    let r = app.send(req).await;
    Some((r.status, r.body))
}

#[tokio::test]
async fn hostile_input_never_breaks_a_server_function_or_changes_data_it_refuses() {
    on_both(|app| async move {
        let _ = app::App;
        let mut cookies: Vec<(&str, Option<String>)> = vec![("anonymous", None)];
        for (who, email) in [
            ("agency admin", "admin@harbour.example"),
            ("agency staff", "sam@harbour.example"),
            ("case manager", "erin@northcounty.example"),
            ("doctor", "ortiz@riverside.example"),
            ("practice case manager", "casey@riverside.example"),
        ] {
            cookies.push((who, Some(app.sign_in(email).await)));
        }
        let mut paths: Vec<(&str, Method)> = leptos::server_fn::axum::server_fn_paths()
            .filter(|(p, _)| !SKIP.contains(p))
            .collect();
        paths.sort_by_key(|(p, _)| *p);
        paths.dedup_by_key(|(p, _)| *p);
        let mut bodies: Vec<(String, bool)> = vec![
            (String::new(), false),
            ("{\"unterminated\": [".into(), true),
            ("%zz=%%%&&==".into(), false),
        ];
        bodies.extend(hostile().iter().map(|v| (form(v), false)));
        let mut refused = 0;
        for (path, method) in &paths {
            for (who, cookie) in &cookies {
                let before_group = contents(&app).await;
                let mut all_refused = true;
                for (body, json) in &bodies {
                    let before = fingerprint(&app).await;
                    let Some((status, text)) =
                        call(&app, path, method, body.clone(), *json, cookie.as_deref()).await
                    else {
                        continue;
                    };
                    assert!(
                        !status.is_server_error(),
                        "{path} as {who} answered {status}: {} (input {:?})",
                        text.chars().take(300).collect::<String>(),
                        body.chars().take(60).collect::<String>()
                    );
                    all_refused &= status.is_client_error();
                    if status.is_client_error() {
                        refused += 1;
                        assert!(
                            !text.trim().is_empty(),
                            "{path} as {who}: a refusal without a message"
                        );
                        assert_eq!(
                            fingerprint(&app).await,
                            before,
                            "{path} as {who} refused ({status}) but changed data"
                        );
                    }
                }
                if all_refused {
                    let after = contents(&app).await;
                    for ((table, was), (_, is)) in before_group.iter().zip(&after) {
                        assert_eq!(
                            was, is,
                            "{path} as {who} refused every input but changed rows of {table}"
                        );
                    }
                }
            }
        }
        assert!(
            refused > paths.len() * cookies.len(),
            "hostile input was mostly accepted"
        );
        app
    })
    .await;
}
