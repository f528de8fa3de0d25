//! A minimal SMTP server that accepts every message and keeps it: for
//! tests and local development (`caseport smtp-sink`), never production.
//! It speaks enough of RFC 5321 for a real client (lettre) to deliver.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One received message: envelope and raw content.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The body with quoted-printable soft line breaks and `=3D` undone,
    /// enough to find a link in a plain-text mail.
    pub fn text(&self) -> String {
        self.data.replace("=\r\n", "").replace("=3D", "=")
    }
}

#[derive(Clone, Default)]
pub struct Inbox {
    messages: Arc<Mutex<Vec<Received>>>,
    dir: Option<PathBuf>,
}

impl Inbox {
    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }

    fn keep(&self, msg: Received) {
        if let Some(dir) = &self.dir {
            let n = self.messages.lock().map(|m| m.len()).unwrap_or(0);
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(format!("{n:05}.eml")), &msg.data);
        }
        if let Ok(mut m) = self.messages.lock() {
            m.push(msg);
        }
    }
}

/// Listens on `addr` (port 0 for any) and returns the bound port and the
/// inbox. Messages are also written to `dir` as numbered `.eml` files.
pub async fn start(addr: &str, dir: Option<PathBuf>) -> std::io::Result<(u16, Inbox)> {
    let listener = TcpListener::bind(addr).await?;
    let port = listener.local_addr()?.port();
    let inbox = Inbox {
        messages: Arc::default(),
        dir,
    };
    let accepting = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let inbox = accepting.clone();
            tokio::spawn(async move {
                if let Err(e) = session(stream, inbox).await {
                    tracing::debug!(error = %e, "smtp sink session ended");
                }
            });
        }
    });
    Ok((port, inbox))
}

async fn session(stream: TcpStream, inbox: Inbox) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 caseport-sink ESMTP\r\n").await?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-caseport-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = line.trim_end()[10..].trim().to_string();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(line.trim_end()[8..].trim().to_string());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 4.5.2).
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            inbox.keep(Received {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
            });
            b"250 OK queued\r\n"
        } else if upper == "RSET" {
            to.clear();
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 Command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}
