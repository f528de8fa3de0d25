//! Brute-force protection for sign-in: per account and per address,
//! growing delays after a few free failures. Never a permanent lockout an
//! attacker could trigger against someone else: a delay runs out, and the
//! count fades an hour after the last failure.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::entities::login_throttle;

/// Failures allowed before delays start.
const FREE_PER_ACCOUNT: i32 = 3;
const FREE_PER_ADDRESS: i32 = 20;
/// The longest delay, however many failures.
const MAX_DELAY_SECONDS: i64 = 15 * 60;
/// Failures older than this are forgotten.
const MEMORY: Duration = Duration::hours(1);

pub fn account_key(email: &str) -> String {
    format!("email:{email}")
}

pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

fn free_failures(key: &str) -> i32 {
    if key.starts_with("ip:") {
        FREE_PER_ADDRESS
    } else {
        FREE_PER_ACCOUNT
    }
}

/// 1 s, 2 s, 4 s, … up to 15 minutes, once the free failures are used.
pub fn delay_after(failures: i32, free: i32) -> Option<Duration> {
    let over = failures - free;
    (over > 0).then(|| Duration::seconds((1i64 << (over - 1).min(20)).min(MAX_DELAY_SECONDS)))
}

/// When any of `keys` may try again, if it must wait.
pub async fn blocked_until(
    conn: &impl ConnectionTrait,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sea_orm::DbErr> {
    let mut until = None;
    for key in keys {
        if let Some(row) = login_throttle::Entity::find_by_id(key.clone())
            .one(conn)
            .await?
            && let Some(locked) = row.locked_until
            && locked > now
        {
            until = until.max(Some(locked));
        }
    }
    Ok(until)
}

pub async fn note_failure(
    conn: &impl ConnectionTrait,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    for key in keys {
        let existing = login_throttle::Entity::find_by_id(key.clone())
            .one(conn)
            .await?;
        let failures = match &existing {
            Some(row) if now - row.last_failure_at < MEMORY => row.failures + 1,
            _ => 1,
        };
        let locked_until = delay_after(failures, free_failures(key)).map(|d| now + d);
        let row = login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(failures),
            last_failure_at: Set(now),
            locked_until: Set(locked_until),
        };
        if existing.is_some() {
            row.update(conn).await?;
        } else {
            row.insert(conn).await?;
        }
    }
    Ok(())
}

/// A correct password clears the account's count (not the address's: one
/// success from an address says nothing about its other attempts).
pub async fn note_success(conn: &impl ConnectionTrait, email: &str) -> Result<(), sea_orm::DbErr> {
    login_throttle::Entity::delete_by_id(account_key(email))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_the_free_failures_and_double_up_to_a_cap() {
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
