use clap::Parser;
use migration::{Migrator, MigratorTrait};
use tracing_subscriber::EnvFilter;

use server::config::{AuditCommand, Cli, Command, LogFormat, SecretsCommand, Settings};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    match cli.settings.log_format {
        // Every span in scope goes with each line, so a line written deep
        // inside a request still carries the request's id.
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_current_span(false)
            .with_span_list(true)
            .with_env_filter(filter)
            .init(),
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
    }
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("caseport: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let settings = cli.settings;
    tracing::info!(?settings, "starting");
    if let Some(Command::SmtpSink { listen, dir }) = &cli.command {
        let (port, _) = server::smtp_sink::start(listen, Some(dir.clone()))
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        tracing::info!(port, dir = %dir.display(), "SMTP sink accepting mail");
        let _ = tokio::signal::ctrl_c().await;
        return Ok(());
    }
    if let Some(Command::Secrets {
        command: SecretsCommand::GenerateKey,
    }) = &cli.command
    {
        println!("{}", app::secrets::KeyRing::generate_key());
        return Ok(());
    }
    if let Some(Command::Restore { from }) = &cli.command {
        let storage = server::storage::from_settings(&settings).await?;
        let manifest = server::backup::restore(&settings.database_url, &storage, from).await?;
        println!(
            "restored the backup of {} ({} tables, {} rows, {} files); run `caseport audit verify` next",
            manifest.created_at,
            manifest.rows.len(),
            manifest.rows.values().sum::<i64>(),
            manifest.files
        );
        return Ok(());
    }
    settings
        .prepare_sqlite_dir()
        .map_err(|e| format!("cannot create the database folder: {e}"))?;
    let db = app::db::connect(&settings.database_url, settings.db_max_connections)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate {
            down: Some(steps),
            yes,
        } => {
            server::guard::confirm(&db, "roll back migrations", yes).await?;
            Migrator::down(&db, Some(steps))
                .await
                .map_err(|e| e.to_string())
        }
        Command::Migrate { down: None, .. } => {
            db.close().await.map_err(|e| e.to_string())?;
            server::database::migrate(&settings.database_url).await
        }
        Command::SeedDemo { yes } => {
            server::guard::confirm(&db, "load the demo data", yes).await?;
            let db = server::database::reopen_migrated(
                db,
                &settings.database_url,
                settings.db_max_connections,
            )
            .await?;
            server::seed::seed_demo(&db)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "demo data ready; every demo account's password is {}",
                server::seed::DEMO_PASSWORD
            );
            Ok(())
        }
        Command::SeedBulk { size, yes } => {
            server::guard::confirm(&db, "generate bulk data", yes).await?;
            let db = server::database::reopen_migrated(
                db,
                &settings.database_url,
                settings.db_max_connections,
            )
            .await?;
            let started = std::time::Instant::now();
            let world = server::bulk::seed_bulk(&db, size, 7)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "generated {} cases, {} doctors in {} practices in {:.1?}; case managers sign in as cm-…@bulk.example with {}",
                size.cases,
                world.doctors.len(),
                world.managers.len(),
                started.elapsed(),
                server::bulk::BULK_PASSWORD
            );
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let report = app::activity::service::verify_chain(&db)
                .await
                .map_err(|e| e.to_string())?;
            match report.first_broken {
                None => {
                    println!(
                        "activity log intact: {} rows chained ({} from before the chain)",
                        report.rows - report.unchained,
                        report.unchained
                    );
                    Ok(())
                }
                Some(id) => Err(format!("activity log chain broken at row {id}")),
            }
        }
        Command::Secrets {
            command: SecretsCommand::Rotate,
        } => {
            let ring = app::secrets::install(settings.key_ring()?);
            let db = server::database::reopen_migrated(
                db,
                &settings.database_url,
                settings.db_max_connections,
            )
            .await?;
            let resealed = app::auth::two_factor::service::reseal_all(&db)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{resealed} stored secret(s) resealed; all are now under key {}",
                ring.current_id()
            );
            Ok(())
        }
        Command::Secrets {
            command: SecretsCommand::GenerateKey,
        } => Ok(()),
        Command::Backup { to } => {
            let storage = server::storage::from_settings(&settings).await?;
            let manifest =
                server::backup::backup(&db, &settings.database_url, &storage, &to).await?;
            println!(
                "backed up {} tables ({} rows) and {} files to {}",
                manifest.rows.len(),
                manifest.rows.values().sum::<i64>(),
                manifest.files,
                to.display()
            );
            Ok(())
        }
        Command::Restore { .. } => Ok(()),
        Command::CreateUser(args) => {
            let db = server::database::reopen_migrated(
                db,
                &settings.database_url,
                settings.db_max_connections,
            )
            .await?;
            server::users::create_user(&db, args).await
        }
        Command::Serve => serve(settings, db).await,
        Command::SmtpSink { .. } => Ok(()),
    }
}

async fn serve(settings: Settings, db: sea_orm::DatabaseConnection) -> Result<(), String> {
    // Before anything else: a production server without its key stops here.
    let ring = app::secrets::install(settings.key_ring()?);
    tracing::info!(key = ring.current_id(), "stored secrets are sealed");
    let db = if settings.migrate_on_start {
        server::database::reopen_migrated(db, &settings.database_url, settings.db_max_connections)
            .await?
    } else {
        db
    };
    if settings.seed_demo {
        server::guard::confirm(&db, "load the demo data (CASEPORT_SEED_DEMO)", false).await?;
        server::seed::seed_demo(&db)
            .await
            .map_err(|e| format!("seeding failed: {e}"))?;
        tracing::info!(
            "demo data ready; every demo account's password is {}",
            server::seed::DEMO_PASSWORD
        );
    }
    let options = server::http::leptos_options();
    let addr = settings.listen.unwrap_or(options.site_addr);
    let mailer = server::mail::from_settings(&settings).map_err(|e| e.to_string())?;
    let storage = server::storage::from_settings(&settings).await?;
    let ctx = app::server_context::ServerContext {
        db,
        config: std::sync::Arc::new(settings.runtime()),
        mailer,
        storage,
    };
    if settings.housekeeping_minutes > 0 {
        tokio::spawn(server::jobs::housekeeping(
            ctx.clone(),
            std::time::Duration::from_secs(settings.housekeeping_minutes * 60),
            app::housekeeping::Retention {
                grace: chrono::Duration::days(settings.retention_days.max(1)),
            },
        ));
    }
    if settings.outbox_seconds > 0 {
        tokio::spawn(server::jobs::mail_sender(
            ctx.clone(),
            std::time::Duration::from_secs(settings.outbox_seconds),
        ));
    }
    if settings.scheduler_seconds > 0 {
        tokio::spawn(server::jobs::report_scheduler(
            ctx.clone(),
            std::time::Duration::from_secs(settings.scheduler_seconds),
        ));
        tokio::spawn(server::jobs::deadline_watch(
            ctx.clone(),
            std::time::Duration::from_secs(settings.scheduler_seconds),
        ));
        tokio::spawn(server::jobs::digest_sender(
            ctx.clone(),
            std::time::Duration::from_secs(settings.scheduler_seconds),
        ));
    }
    let proxies = server::http::client_ip::TrustedProxies::parse(
        settings.trusted_proxies.as_deref().unwrap_or_default(),
    )
    .map_err(|e| format!("CASEPORT_TRUSTED_PROXIES: {e}"))?;
    let app = server::http::router(ctx, options, proxies);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())
}

/// Finishes in-flight requests on Ctrl-C or SIGTERM, then exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
