//! The sweep that removes what has no use any more: sessions past their
//! lifetime or any idle timeout, sign-in challenges, reset links and
//! invitations that can no longer be used (after a grace period, so a
//! "this link expired" answer stays possible for a while), forgotten
//! throttle rows, and delivered mail. Nothing here is history: the
//! activity log keeps every sign-in, link and invitation.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};

use crate::entities::{
    invitation, login_throttle, mail_outbox, password_reset, session, sign_in_challenge,
};

/// The longest idle timeout an organisation may set (Settings), so a
/// session unused for longer has timed out whatever its organisation.
const LONGEST_IDLE: Duration = Duration::minutes(480);
/// Throttle rows are forgotten an hour after their last attempt.
const THROTTLE_MEMORY: Duration = Duration::hours(1);

/// How long used, voided or expired links and delivered mail are kept.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    pub grace: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            grace: Duration::days(30),
        }
    }
}

/// What one sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub challenges: u64,
    pub reset_links: u64,
    pub invitations: u64,
    pub throttles: u64,
    pub mail: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.sessions
            + self.challenges
            + self.reset_links
            + self.invitations
            + self.throttles
            + self.mail
    }
}

pub async fn sweep(
    db: &DatabaseConnection,
    retention: Retention,
    now: DateTime<Utc>,
) -> Result<Swept, sea_orm::DbErr> {
    let before = now - retention.grace;
    let sessions = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lt(now))
                .add(session::Column::LastSeenAt.lt(now - LONGEST_IDLE)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let challenges = sign_in_challenge::Entity::delete_many()
        .filter(sign_in_challenge::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected;
    let reset_links = password_reset::Entity::delete_many()
        .filter(
            Condition::any()
                .add(password_reset::Column::UsedAt.lt(before))
                .add(password_reset::Column::ExpiresAt.lt(before)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let invitations = invitation::Entity::delete_many()
        .filter(
            Condition::any()
                .add(invitation::Column::UsedAt.lt(before))
                .add(invitation::Column::VoidedAt.lt(before))
                .add(invitation::Column::ExpiresAt.lt(before)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let throttles = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::LastFailureAt.lt(now - THROTTLE_MEMORY))
        .filter(
            Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let mail = mail_outbox::Entity::delete_many()
        .filter(
            Condition::any()
                .add(mail_outbox::Column::SentAt.lt(before))
                .add(mail_outbox::Column::FailedAt.lt(before)),
        )
        .exec(db)
        .await?
        .rows_affected;
    Ok(Swept {
        sessions,
        challenges,
        reset_links,
        invitations,
        throttles,
        mail,
    })
}
