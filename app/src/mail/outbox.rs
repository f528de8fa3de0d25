//! The durable mail outbox. [`enqueue`] writes a message in the caller's
//! write transaction, so it exists exactly when the change it tells of
//! does; [`deliver_due`] sends after the commit, never while a write
//! transaction is open (a slow mail server must not stall every writer).
//!
//! Delivery: a sender claims a batch in a short transaction (on PostgreSQL
//! with `FOR UPDATE SKIP LOCKED`, so instances never claim the same
//! message; SQLite has one writer), stamping each with a lease. It sends
//! outside any transaction, then marks each sent, or schedules a retry
//! with growing backoff; after [`MAX_ATTEMPTS`] the message is marked
//! failed and stays for an operator. A sender that dies mid-send leaves its
//! lease to run out, and the message is sent again: at least once, never
//! lost.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::begin_write;
use crate::entities::mail_outbox;
use crate::mail::{Mailer, OutgoingMail};
use crate::server_context::ServerContext;

/// Tries before a message is marked failed.
pub const MAX_ATTEMPTS: i32 = 6;
/// How long a claimed message is held by its sender.
const LEASE: Duration = Duration::minutes(2);
/// Messages one pass claims at a time.
const BATCH: u64 = 20;

/// Queues `mail` in the caller's transaction; it goes out after the commit.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    mail: &OutgoingMail,
) -> Result<i32, sea_orm::DbErr> {
    let now = Utc::now();
    let row = mail_outbox::ActiveModel {
        to_name: Set(mail.to_name.chars().take(200).collect()),
        to_address: Set(mail.to.clone()),
        subject: Set(mail.subject.chars().take(300).collect()),
        body: Set(mail.text.clone()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        sent_at: Set(None),
        failed_at: Set(None),
        last_error: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// 30 s, 1 min, 2 min, … after the n-th failed attempt, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 7)).unwrap_or(0);
    Duration::seconds((30 * 2i64.pow(doublings)).min(3600))
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends every message that is due, batch by batch, until none is left.
pub async fn deliver_due(
    db: &DatabaseConnection,
    mailer: &dyn Mailer,
    now: DateTime<Utc>,
) -> Result<Delivered, sea_orm::DbErr> {
    let mut done = Delivered::default();
    loop {
        let batch = claim(db, now).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for row in batch {
            let mail = OutgoingMail {
                to_name: row.to_name.clone(),
                to: row.to_address.clone(),
                subject: row.subject.clone(),
                text: row.body.clone(),
            };
            let outcome = mailer.send(mail).await;
            let attempts = row.attempts;
            let mut am: mail_outbox::ActiveModel = row.into();
            am.claimed_until = Set(None);
            match outcome {
                Ok(()) => {
                    crate::counters::mail_attempt(true);
                    am.sent_at = Set(Some(Utc::now()));
                    am.last_error = Set(None);
                    // The text may hold a live link (a reset, an
                    // invitation): once delivered it is not kept.
                    am.body = Set(String::new());
                    done.sent += 1;
                }
                Err(e) => {
                    crate::counters::mail_attempt(false);
                    tracing::warn!(error = %e, attempts, "mail delivery failed");
                    am.last_error = Set(Some(e.to_string().chars().take(1000).collect()));
                    if attempts >= MAX_ATTEMPTS {
                        am.failed_at = Set(Some(Utc::now()));
                        done.failed += 1;
                    } else {
                        am.next_attempt_at = Set(Utc::now() + backoff(attempts));
                        done.retrying += 1;
                    }
                }
            }
            am.update(db).await?;
        }
    }
}

/// Claims up to a batch of due messages for this sender: each gets a lease
/// and one more attempt counted before anything is sent.
async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<mail_outbox::Model>, sea_orm::DbErr> {
    let txn = begin_write(db).await?;
    let mut due = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::SentAt.is_null())
        .filter(mail_outbox::Column::FailedAt.is_null())
        .filter(mail_outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(mail_outbox::Column::ClaimedUntil.is_null())
                .add(mail_outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(mail_outbox::Column::Id)
        .limit(BATCH);
    if db.get_database_backend() == DbBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = due.all(&txn).await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let attempts = row.attempts + 1;
        let mut am: mail_outbox::ActiveModel = row.into();
        am.attempts = Set(attempts);
        am.claimed_until = Set(Some(now + LEASE));
        claimed.push(am.update(&txn).await?);
    }
    txn.commit().await?;
    Ok(claimed)
}

/// Sends what is queued, right after the commit that queued it (no
/// transaction is open any more), so the mail goes out now rather than at
/// the sender loop's next pass. What fails stays queued for that loop.
pub async fn send_queued(ctx: &ServerContext) {
    if let Err(e) = deliver_due(&ctx.db, ctx.mailer.as_ref(), Utc::now()).await {
        tracing::warn!(error = %e, "mail outbox pass failed; the sender loop retries");
    }
}

/// As [`send_queued`], without keeping the caller waiting for the mail
/// server: a case changed by a click answers at once, its mail follows.
pub fn send_soon(ctx: &ServerContext) {
    let ctx = ctx.clone();
    tokio::spawn(async move { send_queued(&ctx).await });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(240));
        assert_eq!(backoff(40), Duration::seconds(3600));
    }
}
