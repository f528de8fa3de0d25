//! Every server function against malformed, oversized and hostile input,
//! as every kind of user: the answer is never a 5xx, a refusal says why,
//! and a refused request changes no data.

use http::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};

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

/// Row counts of every data table: cheap enough to take around every call.
async fn fingerprint(app: &TestApp) -> Vec<(String, i64)> {
    let backend = app.db.get_database_backend();
    let tables = crate::helpers::data_tables(app).await;
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
                let before_group = crate::helpers::contents(&app).await;
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
                    let after = crate::helpers::contents(&app).await;
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
