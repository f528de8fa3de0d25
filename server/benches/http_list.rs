//! What the HTTP layer costs on the case list: the real server binary
//! answering `POST /api/cases/list` for a signed-in practice case manager,
//! against the same service call (the same SQL statements) made directly on
//! the same database file, side by side in one run. Each is driven for a
//! fixed time on one connection (one task) and on eight; the figures are
//! requests per second, p50 and p95, and HTTP as a share of the direct
//! throughput.
//!
//! `cargo bench -p server --bench http_list`; cases with
//! `CASEPORT_BENCH_CASES` (default 200000), seconds per measurement with
//! `CASEPORT_BENCH_SECONDS` (default 10).

use std::net::SocketAddr;
use std::process::Child;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use sea_orm::{DatabaseConnection, EntityTrait};

use app::auth::policy::Actor;
use app::cases::filters::CaseFilter;
use server::bulk::BULK_PASSWORD;

mod common;
use common::{case_network, env_or, percentile, server_command};

const PORT: u16 = 38471;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(dir: &std::path::Path, db_url: &str) -> Server {
    let child = server_command(dir, db_url, PORT, false)
        .spawn()
        .expect("start the server");
    Server(child)
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// One keep-alive HTTP/1.1 connection to the server.
async fn connect(addr: SocketAddr) -> Sender {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    sender
}

async fn wait_until_up(addr: SocketAddr) {
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

/// Signs in; the session cookie (`name=value`).
async fn sign_in(addr: SocketAddr, email: &str) -> String {
    let mut sender = connect(addr).await;
    let body = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        BULK_PASSWORD
    );
    let req = hyper::Request::post("/api/auth/login")
        .header("host", addr.to_string())
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .expect("request");
    let res = sender.send_request(req).await.expect("sign in");
    assert!(
        res.status().is_success(),
        "sign-in answered {}",
        res.status()
    );
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
        .find(|v| v.split_once('=').is_some_and(|(_, t)| t.len() == 64))
        .expect("a session cookie")
}

#[derive(Clone, Copy)]
enum Way {
    Direct,
    Http,
}

/// Runs `clients` loops for `secs` seconds; (requests per second, p50 ms,
/// p95 ms).
async fn drive(
    way: Way,
    clients: usize,
    secs: u64,
    db: &DatabaseConnection,
    actor: &Actor,
    addr: SocketAddr,
    cookie: &str,
) -> (f64, f64, f64) {
    let body = Bytes::from(
        serde_json::json!({ "filter": CaseFilter::default(), "after": null }).to_string(),
    );
    let until = Instant::now() + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (db, actor, cookie, body) =
                (db.clone(), actor.clone(), cookie.to_string(), body.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                let mut sender = match way {
                    Way::Http => Some(connect(addr).await),
                    Way::Direct => None,
                };
                while Instant::now() < until {
                    let started = Instant::now();
                    match sender.as_mut() {
                        None => {
                            let page = app::cases::service::list_page(
                                &db,
                                &actor,
                                &CaseFilter::default(),
                                None,
                                app::cases::PAGE_SIZE,
                            )
                            .await
                            .expect("list");
                            assert!(!page.rows.is_empty());
                        }
                        Some(sender) => {
                            let req = hyper::Request::post("/api/cases/list")
                                .header("host", addr.to_string())
                                .header("accept", "application/json")
                                .header("content-type", "application/json")
                                .header("cookie", &cookie)
                                .body(Full::new(body.clone()))
                                .expect("request");
                            let res = sender.send_request(req).await.expect("list");
                            assert!(res.status().is_success(), "list answered {}", res.status());
                            let bytes = res.into_body().collect().await.expect("body").to_bytes();
                            assert!(bytes.len() > 100, "an empty list came back");
                        }
                    }
                    times.push(started.elapsed());
                }
                times
            })
        })
        .collect();
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.expect("client"));
    }
    times.sort();
    (
        times.len() as f64 / secs as f64,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let cases = env_or("CASEPORT_BENCH_CASES", 200_000) as u32;
    let secs = env_or("CASEPORT_BENCH_SECONDS", 10) as u64;
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let db = server::database::open_migrated(&url, 8)
        .await
        .expect("sqlite");
    let (_, actor) = case_network("sqlite", &db, cases).await;
    let cm_user = actor.user_id;
    let email = app::entities::user::Entity::find_by_id(cm_user)
        .one(&db)
        .await
        .expect("user")
        .expect("the case manager")
        .email;

    let _server = start(dir.path(), &url);
    let addr = SocketAddr::from(([127, 0, 0, 1], PORT));
    wait_until_up(addr).await;
    let cookie = sign_in(addr, &email).await;

    // Warm both paths once, as a running server would be.
    drive(Way::Direct, 1, 1, &db, &actor, addr, &cookie).await;
    drive(Way::Http, 1, 1, &db, &actor, addr, &cookie).await;
    for clients in [1, 8] {
        let direct = drive(Way::Direct, clients, secs, &db, &actor, addr, &cookie).await;
        let http = drive(Way::Http, clients, secs, &db, &actor, addr, &cookie).await;
        for (name, (rate, p50, p95)) in [("direct", direct), ("http", http)] {
            println!(
                "{cases} cases, {clients} client(s), {name:<6}: {rate:>7.0} req/s  p50 {p50:>6.2} ms  p95 {p95:>6.2} ms"
            );
        }
        println!(
            "{cases} cases, {clients} client(s): HTTP reaches {:.0} % of the direct throughput",
            100.0 * http.0 / direct.0
        );
    }
}
