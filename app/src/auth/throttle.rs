//! Brute-force protection for sign-in: per account and per address,
//! growing delays after a few free attempts. Never a permanent lockout an
//! attacker could trigger against someone else: a delay runs out, and the
//! count fades an hour after the last attempt.
//!
//! An attempt is **claimed before the password is checked**, in one write
//! transaction that holds the throttle rows (SQLite's `BEGIN IMMEDIATE`,
//! PostgreSQL's `FOR UPDATE`). A burst of parallel guesses therefore counts
//! as many attempts as it has requests, and once the free ones are gone the
//! rest are refused without a password check. A right password gives its
//! claim back ([`release`]).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::db::begin_write;
use crate::entities::login_throttle;

/// Attempts allowed before delays start.
const FREE_PER_ACCOUNT: i32 = 3;
const FREE_PER_ADDRESS: i32 = 20;
/// The longest delay, however many attempts.
const MAX_DELAY_SECONDS: i64 = 15 * 60;
/// Attempts older than this are forgotten.
const MEMORY: Duration = Duration::hours(1);

pub fn account_key(email: &str) -> String {
    format!("email:{email}")
}

pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

fn free_attempts(key: &str) -> i32 {
    if key.starts_with("ip:") {
        FREE_PER_ADDRESS
    } else {
        FREE_PER_ACCOUNT
    }
}

/// 1 s, 2 s, 4 s, … up to 15 minutes, once the free attempts are used.
pub fn delay_after(attempts: i32, free: i32) -> Option<Duration> {
    let over = attempts - free;
    (over > 0).then(|| Duration::seconds((1i64 << (over - 1).min(20)).min(MAX_DELAY_SECONDS)))
}

/// What a claim gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Go on and check the password (or code).
    Granted,
    /// Wait. `first` is true for the first refusal under this lock: only
    /// that one goes to the activity log, so a flood of refused requests
    /// cannot flood the log.
    Refused { first: bool },
}

/// Claims one attempt for every key in a write transaction of its own,
/// committed before the caller checks anything slow (a password hash must
/// not hold the database's write lock).
pub async fn claim_now(
    db: &DatabaseConnection,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<Claim, sea_orm::DbErr> {
    let txn = begin_write(db).await?;
    let claim = claim(&txn, keys, now).await?;
    txn.commit().await?;
    Ok(claim)
}

/// Claims one attempt for every key, or refuses when any of them must wait.
/// Call it inside a write transaction and commit whatever follows: the
/// claim stands whatever the check then finds.
pub async fn claim(
    txn: &impl ConnectionTrait,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<Claim, sea_orm::DbErr> {
    let mut rows = Vec::with_capacity(keys.len());
    for key in keys {
        rows.push(locked_row(txn, key, now).await?);
    }
    let mut refused = None;
    for row in &rows {
        if let Some(until) = row.locked_until.filter(|u| *u > now) {
            let first = row.logged_until != Some(until);
            if first {
                let mut am: login_throttle::ActiveModel = row.clone().into();
                am.logged_until = Set(Some(until));
                am.update(txn).await?;
            }
            refused = Some(refused.unwrap_or(false) || first);
        }
    }
    if let Some(first) = refused {
        crate::counters::attempt_throttled();
        return Ok(Claim::Refused { first });
    }
    for row in rows {
        let attempts = if now - row.last_failure_at < MEMORY {
            row.failures + 1
        } else {
            1
        };
        let locked_until = delay_after(attempts, free_attempts(&row.key)).map(|d| now + d);
        let mut am: login_throttle::ActiveModel = row.into();
        am.failures = Set(attempts);
        am.last_failure_at = Set(now);
        am.locked_until = Set(locked_until);
        am.update(txn).await?;
    }
    Ok(Claim::Granted)
}

/// The key's row, created if missing, locked until the transaction ends.
async fn locked_row(
    txn: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<login_throttle::Model, sea_orm::DbErr> {
    // Two first attempts at once must not both insert: the loser's insert
    // does nothing, and both then lock the one row.
    let insert = Query::insert()
        .into_table(login_throttle::Entity)
        .columns([
            login_throttle::Column::Key,
            login_throttle::Column::Failures,
            login_throttle::Column::LastFailureAt,
        ])
        .values_panic([key.into(), 0.into(), now.into()])
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    txn.execute(&insert).await?;
    login_throttle::Entity::find_by_id(key.to_string())
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("throttle row {key}")))
}

/// A right password (or code): the account's count is cleared, and the
/// address gets this attempt back (one success from an address says
/// nothing about its other attempts, but it was no guess either).
pub async fn release(
    conn: &impl ConnectionTrait,
    email: &str,
    ip: Option<&str>,
) -> Result<(), sea_orm::DbErr> {
    note_success(conn, email).await?;
    let Some(ip) = ip else {
        return Ok(());
    };
    let key = address_key(ip);
    if let Some(row) = login_throttle::Entity::find_by_id(key.clone())
        .lock_exclusive()
        .one(conn)
        .await?
        && row.failures > 0
    {
        let attempts = row.failures - 1;
        let mut am: login_throttle::ActiveModel = row.into();
        am.failures = Set(attempts);
        if delay_after(attempts, FREE_PER_ADDRESS).is_none() {
            am.locked_until = Set(None);
        }
        am.update(conn).await?;
    }
    Ok(())
}

/// Clears the account's count (a password reset, a right password).
pub async fn note_success(conn: &impl ConnectionTrait, email: &str) -> Result<(), sea_orm::DbErr> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.eq(account_key(email)))
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether any of `keys` must wait now, without claiming an attempt (for
/// requests that are not guesses, such as asking for a reset link).
pub async fn blocked(
    conn: &impl ConnectionTrait,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(keys.iter().cloned()))
        .all(conn)
        .await?;
    Ok(rows.iter().any(|r| r.locked_until.is_some_and(|u| u > now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_the_free_attempts_and_double_up_to_a_cap() {
        assert_eq!(delay_after(3, 3), None);
        assert_eq!(delay_after(4, 3), Some(Duration::seconds(1)));
        assert_eq!(delay_after(5, 3), Some(Duration::seconds(2)));
        assert_eq!(delay_after(8, 3), Some(Duration::seconds(16)));
        assert_eq!(
            delay_after(40, 3),
            Some(Duration::seconds(MAX_DELAY_SECONDS))
        );
    }
}
