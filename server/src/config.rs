//! Settings, loaded once from the command line and environment.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "caseport",
    version,
    about = "Caseport: case managers' access to cases and clients"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate {
        /// Roll back this many migrations instead.
        #[arg(long)]
        down: Option<u32>,
        /// Roll back even though the database holds real accounts.
        #[arg(long)]
        yes: bool,
    },
    /// Load the demo organisations, users, clients and cases (idempotent).
    SeedDemo {
        /// Load them even into a database that holds real accounts.
        #[arg(long)]
        yes: bool,
    },
    /// Generate a big synthetic practice network (benchmarks, load tests).
    SeedBulk {
        #[command(flatten)]
        size: crate::bulk::BulkSize,
        /// Generate even into a database that holds real accounts.
        #[arg(long)]
        yes: bool,
    },
    /// Create a user, e.g. the first administrator of a new organisation.
    CreateUser(crate::users::CreateUser),
    /// Run a local SMTP server that accepts every message and writes it to
    /// a folder: for development and the end-to-end tests, never production.
    SmtpSink {
        #[arg(long, default_value = "127.0.0.1:2525")]
        listen: String,
        #[arg(long, default_value = "data/mail")]
        dir: std::path::PathBuf,
    },
    /// Copy the database (a consistent snapshot, while the app runs) and
    /// every stored document into a new folder.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into an empty database (DATABASE_URL) and the
    /// document storage; refuses a database that has tables.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Keys for the secrets Caseport stores sealed.
    Secrets {
        #[command(subcommand)]
        command: SecretsCommand,
    },
    /// Activity-log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Print a new random key for CASEPORT_SECRET_KEY.
    GenerateKey,
    /// Reseal every stored secret under the current key (after moving the
    /// old key to CASEPORT_SECRET_KEY_PREVIOUS), and seal any stored before
    /// sealing existed.
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the activity log's hash chain; exits non-zero when a row
    /// was changed, removed or inserted out of band.
    Verify,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Args)]
pub struct Settings {
    /// Database URL: an SQLite file (the default) or postgres://…
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/caseport.sqlite?mode=rwc"
    )]
    pub database_url: String,
    /// Largest number of pooled database connections.
    #[arg(long, env = "CASEPORT_DB_MAX_CONNECTIONS", default_value_t = 8)]
    pub db_max_connections: u32,
    /// Set when served over https: Secure, `__Host-` cookies and HSTS.
    /// Implied when `CASEPORT_PUBLIC_URL` starts with https://.
    #[arg(long, env = "CASEPORT_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// A session ends this many hours after sign-in, however active.
    #[arg(long, env = "CASEPORT_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: i64,
    /// Run migrations when the server starts.
    #[arg(long, env = "CASEPORT_MIGRATE_ON_START", default_value_t = true, action = clap::ArgAction::Set)]
    pub migrate_on_start: bool,
    /// Load the demo data when the server starts (idempotent).
    #[arg(long, env = "CASEPORT_SEED_DEMO", default_value_t = false, action = clap::ArgAction::Set)]
    pub seed_demo: bool,
    /// How often this instance looks for automated reports that are due
    /// and for missed response deadlines, in seconds; 0 turns both off on
    /// this instance. Any number of instances may run them: each due report
    /// goes out once, each escalation step is taken once.
    #[arg(long, env = "CASEPORT_SCHEDULER_SECONDS", default_value_t = 60)]
    pub scheduler_seconds: u64,
    /// How often this instance retries queued mail, in seconds; 0 turns
    /// the sender off here (mail still goes out right after each change).
    #[arg(long, env = "CASEPORT_OUTBOX_SECONDS", default_value_t = 15)]
    pub outbox_seconds: u64,
    /// How often this instance sweeps expired sessions, challenges, links,
    /// throttle rows and delivered mail, in minutes; 0 turns it off here.
    #[arg(long, env = "CASEPORT_HOUSEKEEPING_MINUTES", default_value_t = 60)]
    pub housekeeping_minutes: u64,
    /// Days that used, voided or expired links and delivered or failed
    /// mail are kept before the sweep removes them.
    #[arg(long, env = "CASEPORT_RETENTION_DAYS", default_value_t = 30)]
    pub retention_days: i64,
    /// Address to listen on; overrides LEPTOS_SITE_ADDR.
    #[arg(long, env = "CASEPORT_LISTEN")]
    pub listen: Option<std::net::SocketAddr>,
    /// Where people reach Caseport, for links in e-mails.
    #[arg(
        long,
        env = "CASEPORT_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,
    /// SMTP server for outgoing mail, e.g. `smtp://mail.example.org:587?tls=required`
    /// (credentials as `smtp://user:password@host`). Unset: mail goes to the outbox folder.
    #[arg(long, env = "CASEPORT_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of Caseport's mail.
    #[arg(
        long,
        env = "CASEPORT_MAIL_FROM",
        default_value = "Caseport <no-reply@caseport.invalid>"
    )]
    pub mail_from: String,
    /// Folder for `.eml` files when no SMTP server is set.
    #[arg(long, env = "CASEPORT_OUTBOX_DIR", default_value = "data/outbox")]
    pub outbox_dir: std::path::PathBuf,
    /// Folder for uploaded documents and logos (outside the site root).
    #[arg(long, env = "CASEPORT_STORAGE_DIR", default_value = "data/files")]
    pub storage_dir: std::path::PathBuf,
    /// S3-compatible bucket for documents and logos, instead of the folder:
    /// what several app instances share. Credentials from
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    #[arg(long, env = "CASEPORT_S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// The bucket's region.
    #[arg(long, env = "CASEPORT_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,
    /// Endpoint of a non-AWS S3-compatible service, e.g. `https://minio.internal:9000`.
    #[arg(long, env = "CASEPORT_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// Largest accepted upload, in MiB.
    #[arg(long, env = "CASEPORT_MAX_UPLOAD_MB", default_value_t = 10)]
    pub max_upload_mb: usize,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name
    /// the client, as comma-separated CIDR ranges (e.g. `10.0.0.0/8`).
    /// Unset: the TCP peer is the client, and those headers are ignored.
    #[arg(long, env = "CASEPORT_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<String>,
    /// The bearer token Prometheus sends to `/metrics`. Unset: `/metrics`
    /// answers only requests from the machine itself (127.0.0.1, ::1).
    #[arg(long, env = "CASEPORT_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The key that seals stored secrets (TOTP keys): 32 bytes, base64
    /// (`caseport secrets generate-key`). Required when the public address
    /// is https; without it a development key is kept in data/secret.key.
    #[arg(long, env = "CASEPORT_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// A file holding the key instead (e.g. a mounted secret).
    #[arg(long, env = "CASEPORT_SECRET_KEY_FILE")]
    pub secret_key_file: Option<std::path::PathBuf>,
    /// Earlier keys, comma-separated, still accepted for reading until
    /// `caseport secrets rotate` has resealed everything.
    #[arg(long, env = "CASEPORT_SECRET_KEY_PREVIOUS", hide_env_values = true)]
    pub secret_key_previous: Option<String>,
    /// `text` for people, `json` for a log collector: one JSON object per
    /// line, with the request id of every line written for a request.
    #[arg(long, env = "CASEPORT_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
    /// Log filter, e.g. `info,caseport=debug`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log: String,
}

/// The database URL may hold a password: never print it.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = self.database_url.split(':').next().unwrap_or("?");
        f.debug_struct("Settings")
            .field("database_url", &format_args!("{scheme}:…"))
            .field("db_max_connections", &self.db_max_connections)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("migrate_on_start", &self.migrate_on_start)
            .field("seed_demo", &self.seed_demo)
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp_url.as_ref().map(|_| "set"))
            .field("outbox_dir", &self.outbox_dir)
            .field("storage_dir", &self.storage_dir)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "set"))
            .field("secret_key", &self.secret_key.as_ref().map(|_| "set"))
            .field("secret_key_file", &self.secret_key_file)
            .finish()
    }
}

impl Settings {
    pub fn runtime(&self) -> app::server_context::RuntimeConfig {
        app::server_context::RuntimeConfig {
            // Served over https, as the public address says: the cookie must
            // never travel in the clear, whatever the flag says.
            secure_cookies: self.secure_cookies
                || self.public_url.to_ascii_lowercase().starts_with("https://"),
            session_absolute_hours: self.session_absolute_hours,
            public_url: self.public_url.trim_end_matches('/').to_string(),
            metrics_token_sha256: self
                .metrics_token
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(crate::http::metrics::digest),
        }
    }

    /// Served for real: the public address is https. Such a deployment
    /// must bring its own secret key.
    pub fn production(&self) -> bool {
        self.public_url.to_ascii_lowercase().starts_with("https://")
    }

    /// The key ring for sealed secrets: the configured key, or in
    /// development a key kept in `data/secret.key` (made on first use).
    pub fn key_ring(&self) -> Result<app::secrets::KeyRing, String> {
        let previous: Vec<&str> = self
            .secret_key_previous
            .as_deref()
            .map(|p| p.split(',').collect())
            .unwrap_or_default();
        let current = match (&self.secret_key, &self.secret_key_file) {
            (Some(key), _) => key.clone(),
            (None, Some(file)) => std::fs::read_to_string(file)
                .map_err(|e| format!("cannot read the secret key file {}: {e}", file.display()))?,
            (None, None) if self.production() => {
                return Err(
                    "refusing to start: the public address is https but no secret key is \
                            set (CASEPORT_SECRET_KEY or CASEPORT_SECRET_KEY_FILE; make one with \
                            `caseport secrets generate-key`)"
                        .into(),
                );
            }
            (None, None) => development_key()?,
        };
        app::secrets::KeyRing::new(&current, &previous).map_err(|e| e.to_string())
    }

    /// Makes sure the folder of an SQLite file exists.
    pub fn prepare_sqlite_dir(&self) -> std::io::Result<()> {
        if let Some(rest) = self.database_url.strip_prefix("sqlite://") {
            let path = rest.split('?').next().unwrap_or(rest);
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)?;
            }
        }
        Ok(())
    }
}

/// A development machine's key: made once, kept beside the default
/// database, readable by its owner only.
fn development_key() -> Result<String, String> {
    let path = std::path::Path::new("data/secret.key");
    if let Ok(key) = std::fs::read_to_string(path) {
        return Ok(key);
    }
    std::fs::create_dir_all("data").map_err(|e| format!("cannot create data/: {e}"))?;
    let key = app::secrets::KeyRing::generate_key();
    std::fs::write(path, &key).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    tracing::warn!("no CASEPORT_SECRET_KEY set: using the development key in data/secret.key");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn settings(args: &[&str]) -> Settings {
        let mut all = vec!["caseport"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).expect("arguments").settings
    }

    #[test]
    fn an_https_public_address_makes_cookies_secure() {
        assert!(!settings(&[]).runtime().secure_cookies);
        let https = settings(&["--public-url", "https://caseport.example.org"]);
        assert!(https.runtime().secure_cookies);
        assert_eq!(
            https.runtime().session_cookie_name(),
            "__Host-caseport_session"
        );
    }

    #[test]
    fn production_refuses_to_start_without_a_secret_key() {
        let mut https = settings(&["--public-url", "https://caseport.example.org"]);
        https.secret_key = None;
        https.secret_key_file = None;
        let refused = https.key_ring().expect_err("started without a key");
        assert!(refused.contains("CASEPORT_SECRET_KEY"), "{refused}");
        https.secret_key = Some(app::secrets::KeyRing::generate_key());
        assert!(https.key_ring().is_ok());
        https.secret_key = Some("not a key".into());
        assert!(https.key_ring().is_err());
    }
}
