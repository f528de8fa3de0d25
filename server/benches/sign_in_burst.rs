//! A burst of parallel wrong-password sign-ins against the real server
//! binary: its peak resident memory (VmHWM) and whether a correct sign-in
//! made during the burst still gets in. Each guess comes from its own
//! loopback address and names its own account, so neither throttle stops
//! it: only the bound on concurrent password checks protects the memory.
//!
//! Runs the burst twice: with the bound as configured (twice the cores),
//! and with it lifted (`CASEPORT_PASSWORD_HASHES=100000`), which is how the
//! server behaved before the bound existed.
//!
//! `cargo bench -p server --bench sign_in_burst`; the burst size with
//! `CASEPORT_BENCH_BURST` (default 300).

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::process::Child;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

mod common;
use common::server_command;

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path, port: u16, hashes: Option<&str>) -> Server {
    let db = format!("sqlite://{}?mode=rwc", dir.join("bench.sqlite").display());
    let mut cmd = server_command(dir, &db, port, true);
    match hashes {
        Some(n) => cmd.env("CASEPORT_PASSWORD_HASHES", n),
        None => cmd.env_remove("CASEPORT_PASSWORD_HASHES"),
    };
    let child = cmd.spawn().expect("start the server");
    Server {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
    }
}

/// The server's peak resident set so far, in MiB.
fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// One sign-in over its own connection from `from`; the HTTP status.
async fn sign_in(server: SocketAddr, from: Ipv4Addr, email: &str, password: &str) -> u16 {
    let body = format!("email={}&password={}", email.replace('@', "%40"), password);
    let request = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: {server}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let Ok(socket) = TcpSocket::new_v4() else {
        return 0;
    };
    if socket
        .bind(SocketAddr::V4(SocketAddrV4::new(from, 0)))
        .is_err()
    {
        return 0;
    }
    let Ok(mut stream) = socket.connect(server).await else {
        return 0;
    };
    if stream.write_all(request.as_bytes()).await.is_err() {
        return 0;
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply).await;
    String::from_utf8_lossy(&reply)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

async fn wait_until_up(server: SocketAddr) {
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(server).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

struct Outcome {
    peak_mib: f64,
    idle_mib: f64,
    answers: std::collections::BTreeMap<u16, usize>,
    correct: u16,
    correct_after: Duration,
    burst_time: Duration,
}

async fn burst(label: &str, hashes: Option<&str>, size: usize, port: u16) -> Outcome {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start(dir.path(), port, hashes);
    wait_until_up(server.addr).await;
    let pid = server.child.id();
    // Warm: the dummy hash and the first sign-in are made once.
    sign_in(
        server.addr,
        Ipv4Addr::new(127, 0, 9, 1),
        "nobody@bench.example",
        "warm",
    )
    .await;
    let idle_mib = peak_rss_mib(pid);
    let started = Instant::now();
    let guesses: Vec<_> = (0..size)
        .map(|i| {
            let from = Ipv4Addr::new(127, 1, (i / 250) as u8, (i % 250 + 1) as u8);
            let addr = server.addr;
            tokio::spawn(async move {
                sign_in(
                    addr,
                    from,
                    &format!("guess{i}@bench.example"),
                    "wrong-password",
                )
                .await
            })
        })
        .collect();
    // A real user signs in while the burst is in full swing.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let asked = Instant::now();
    let correct = sign_in(
        server.addr,
        Ipv4Addr::new(127, 2, 0, 1),
        "casey@riverside.example",
        "caseport-demo-2026",
    )
    .await;
    let correct_after = asked.elapsed();
    let mut answers = std::collections::BTreeMap::new();
    for g in guesses {
        *answers.entry(g.await.unwrap_or(0)).or_insert(0) += 1;
    }
    let outcome = Outcome {
        peak_mib: peak_rss_mib(pid),
        idle_mib,
        answers,
        correct,
        correct_after,
        burst_time: started.elapsed(),
    };
    println!(
        "{label:>26}: peak RSS {:7.1} MiB (idle {:5.1} MiB); {size} guesses answered {:?} in {:.1?}; \
         the correct sign-in answered {} after {:.1?}",
        outcome.peak_mib,
        outcome.idle_mib,
        outcome.answers,
        outcome.burst_time,
        outcome.correct,
        outcome.correct_after
    );
    drop(server);
    outcome
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let size: usize = std::env::var("CASEPORT_BENCH_BURST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    println!(
        "{size} parallel wrong-password sign-ins from {size} addresses, release server binary"
    );
    let bounded = burst("bounded (2 x cores)", None, size, 3917).await;
    let unbounded = burst("unbounded (before)", Some("100000"), size, 3918).await;
    println!(
        "peak RSS: {:.1} MiB bounded, {:.1} MiB unbounded ({:.1}x); target: under 400 MiB, \
         and the correct sign-in succeeds: {}",
        bounded.peak_mib,
        unbounded.peak_mib,
        unbounded.peak_mib / bounded.peak_mib.max(1.0),
        if bounded.peak_mib < 400.0 && bounded.correct == 200 {
            "met"
        } else {
            "NOT met"
        }
    );
}
