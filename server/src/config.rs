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
    },
    /// Load the demo organisations, users, clients and cases (idempotent).
    SeedDemo,
    /// Generate a big synthetic practice network (benchmarks, load tests).
    SeedBulk(crate::bulk::BulkSize),
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
    /// Activity-log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the activity log's hash chain; exits non-zero when a row
    /// was changed, removed or inserted out of band.
    Verify,
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
    /// How often this instance looks for automated reports that are due,
    /// in seconds; 0 turns the scheduler off on this instance. Any number
    /// of instances may run it: each due report goes out once.
    #[arg(long, env = "CASEPORT_SCHEDULER_SECONDS", default_value_t = 60)]
    pub scheduler_seconds: u64,
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
            .finish()
    }
}

impl Settings {
    pub fn runtime(&self) -> app::server_context::RuntimeConfig {
        app::server_context::RuntimeConfig {
            secure_cookies: self.secure_cookies,
            session_absolute_hours: self.session_absolute_hours,
            public_url: self.public_url.trim_end_matches('/').to_string(),
        }
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
