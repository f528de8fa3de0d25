//! Background work of a running instance.

use std::time::Duration;

use app::server_context::ServerContext;

/// Sends automated reports as they fall due, for as long as the server
/// runs. The first pass runs at start-up, so runs missed while no instance
/// was up are caught up at once (once each: see `app::reports::schedule`).
pub async fn report_scheduler(ctx: ServerContext, every: Duration) {
    let instance = format!(
        "{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "caseport".into()),
        std::process::id()
    );
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app::reports::schedule::run_due(
            &ctx.db,
            &ctx.config.public_url,
            &instance,
            chrono::Utc::now(),
        )
        .await
        {
            Ok(0) => {}
            Ok(runs) => {
                tracing::info!(runs, "automated reports sent");
                app::mail::outbox::send_soon(&ctx);
            }
            Err(e) => tracing::warn!(error = %e, "automated reports failed; retrying next pass"),
        }
    }
}

/// Escalates referrals whose response deadline passed unanswered, as the
/// steps fall due. Any number of instances may run it: each step of each
/// case is claimed by one (see `app::cases::service::deadlines`).
pub async fn deadline_watch(ctx: ServerContext, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        match app::cases::service::deadlines::escalate_due(&ctx.db, &ctx.config.public_url, now)
            .await
        {
            Ok(0) => {}
            Ok(told) => {
                tracing::info!(told, "overdue referrals escalated");
                app::mail::outbox::send_soon(&ctx);
            }
            Err(e) => tracing::warn!(error = %e, "deadline watch failed; retrying next pass"),
        }
    }
}

/// Sends the daily digests that are due. Any number of instances may run
/// it: each digest's notifications are claimed with its mail (see
/// `app::notifications::digest`).
pub async fn digest_sender(ctx: ServerContext, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        match app::notifications::digest::send_due(&ctx.db, &ctx.config.public_url, now).await {
            Ok(0) => {}
            Ok(sent) => {
                tracing::info!(sent, "daily digests queued");
                app::mail::outbox::send_soon(&ctx);
            }
            Err(e) => tracing::warn!(error = %e, "digest sender failed; retrying next pass"),
        }
    }
}

/// Retries queued mail that could not go out at once (the mail server was
/// down), and sends what another instance queued and did not send. Any
/// number of instances may run it: each message is claimed by one.
pub async fn mail_sender(ctx: ServerContext, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app::mail::outbox::deliver_due(&ctx.db, ctx.mailer.as_ref(), chrono::Utc::now()).await
        {
            Ok(done) if done == Default::default() => {}
            Ok(done) => tracing::info!(
                sent = done.sent,
                retrying = done.retrying,
                failed = done.failed,
                "mail outbox pass"
            ),
            Err(e) => tracing::warn!(error = %e, "mail outbox pass failed; retrying next pass"),
        }
    }
}

/// Sweeps what has no use any more (see `app::housekeeping`), logging the
/// counts. Any number of instances may run it: a delete is idempotent.
pub async fn housekeeping(
    ctx: ServerContext,
    every: Duration,
    retention: app::housekeeping::Retention,
) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app::housekeeping::sweep(&ctx.db, retention, chrono::Utc::now()).await {
            Ok(swept) => tracing::info!(
                sessions = swept.sessions,
                challenges = swept.challenges,
                reset_links = swept.reset_links,
                invitations = swept.invitations,
                throttles = swept.throttles,
                mail = swept.mail,
                "housekeeping sweep"
            ),
            Err(e) => tracing::warn!(error = %e, "housekeeping sweep failed; retrying next pass"),
        }
        match app::fhir::export::sweep(&ctx, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(exports = n, "old bulk exports removed"),
            Err(e) => tracing::warn!(error = %e, "bulk export sweep failed; retrying next pass"),
        }
    }
}
