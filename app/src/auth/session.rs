//! Server-side sessions stored in the database, so several app instances
//! behind a load balancer share them. The cookie carries a random token; the
//! table keeps only its SHA-256.

use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::auth::admission::{Standing, admission};
use crate::auth::{CurrentUser, Role};
use crate::entities::{organisation, session, user};
use crate::server_context::RuntimeConfig;

/// Touching `last_seen_at` on every request would turn each read into a
/// write; a minute's resolution is plenty for a timeout counted in minutes.
const TOUCH_AFTER_SECONDS: i64 = 60;

pub fn token_id(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh random token (256 bits, hex); only its SHA-256 is stored.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Starts a session and returns the token for the cookie.
pub async fn create(
    conn: &impl ConnectionTrait,
    user_id: i32,
    ip: Option<String>,
    user_agent: Option<String>,
    config: &RuntimeConfig,
) -> Result<String, sea_orm::DbErr> {
    let token = new_token();
    let now = Utc::now();
    session::ActiveModel {
        id: Set(token_id(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(config.session_absolute_hours)),
        ip: Set(ip),
        user_agent: Set(user_agent),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

pub async fn destroy(conn: &impl ConnectionTrait, session_id: &str) -> Result<(), sea_orm::DbErr> {
    session::Entity::delete_by_id(session_id.to_string())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user (access change, password reset) and
/// revokes their API tokens: whatever signs a person out must not leave a
/// program of theirs signed in.
pub async fn destroy_all_for_user(
    conn: &impl ConnectionTrait,
    user_id: i32,
) -> Result<u64, sea_orm::DbErr> {
    crate::api_tokens::service::revoke_all(conn, user_id).await?;
    let res = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

/// Ends every session of a user but one (after a password or e-mail
/// change), and revokes their API tokens too.
pub async fn destroy_others_for_user(
    conn: &impl ConnectionTrait,
    user_id: i32,
    keep_session_id: &str,
) -> Result<u64, sea_orm::DbErr> {
    crate::api_tokens::service::revoke_all(conn, user_id).await?;
    let res = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::Id.ne(keep_session_id))
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

/// Why a presented token did not give a user.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejected {
    Unknown,
    IdleTimeout {
        session_id: String,
        user_id: i32,
        organisation_id: i32,
    },
    Expired,
    Inactive,
    /// A case manager whose access or portal was closed.
    PortalClosed,
}

/// Resolves a cookie token to its user, enforcing the organisation's idle
/// timeout and the absolute lifetime. A timed-out session is deleted.
/// `touch` is false for background requests (polling): they neither keep
/// an idle session alive nor count as activity.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    token: &str,
    touch: bool,
) -> Result<Result<CurrentUser, Rejected>, sea_orm::DbErr> {
    let id = token_id(token);
    let Some(row) = session::Entity::find_by_id(id.clone()).one(conn).await? else {
        return Ok(Err(Rejected::Unknown));
    };
    let Some((user, Some(org))) = user::Entity::find_by_id(row.user_id)
        .find_also_related(organisation::Entity)
        .one(conn)
        .await?
    else {
        destroy(conn, &id).await?;
        return Ok(Err(Rejected::Unknown));
    };
    let admitted = if user.role == Role::ExternalCaseManager {
        Some(admission(conn, user.id, org.id).await?)
    } else {
        None
    };
    let now = Utc::now();
    let rejected = if !user.active {
        Some(Rejected::Inactive)
    } else if now >= row.expires_at {
        Some(Rejected::Expired)
    } else if now >= row.last_seen_at + Duration::minutes(i64::from(org.idle_timeout_minutes)) {
        // Ended (and logged) by the caller, in one transaction.
        return Ok(Err(Rejected::IdleTimeout {
            session_id: id,
            user_id: user.id,
            organisation_id: org.id,
        }));
    } else if admitted.is_some_and(|a| a.standing != Standing::Open) {
        Some(Rejected::PortalClosed)
    } else {
        None
    };
    let terms_pending = admitted.is_some_and(|a| a.terms_pending);
    if let Some(why) = rejected {
        destroy(conn, &id).await?;
        return Ok(Err(why));
    }
    if touch && (now - row.last_seen_at).num_seconds() >= TOUCH_AFTER_SECONDS {
        let mut active: session::ActiveModel = row.into();
        active.last_seen_at = Set(now);
        active.update(conn).await?;
    }
    Ok(Ok(current_user(user, org, id, terms_pending)))
}

/// The request's user, from their account and organisation; `session_id`
/// names what signed the request in (a session row, or an API token).
/// Only callers that found the user active, and a case manager's portal
/// open, get this far.
pub fn current_user(
    user: user::Model,
    org: organisation::Model,
    session_id: String,
    terms_pending: bool,
) -> CurrentUser {
    CurrentUser {
        user_id: user.id,
        organisation_id: org.id,
        zone: org.zone(),
        organisation_name: org.name,
        organisation_slug: org.slug,
        organisation_kind: org.kind,
        role: user.role,
        display_name: user.display_name,
        email: user.email,
        session_id,
        must_change_password: user.must_change_password,
        portal_open: true,
        terms_pending,
        idle_timeout_minutes: org.idle_timeout_minutes,
    }
}

/// The user's own keep-alive: the session counts as active now.
pub async fn touch(conn: &impl ConnectionTrait, session_id: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::Expr;
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(Utc::now()))
        .filter(session::Column::Id.eq(session_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Seconds until the session times out for inactivity, by the server's
/// clock.
pub async fn idle_seconds_left(
    conn: &impl ConnectionTrait,
    session_id: &str,
    idle_timeout_minutes: i32,
) -> Result<Option<i64>, sea_orm::DbErr> {
    Ok(session::Entity::find_by_id(session_id.to_string())
        .one(conn)
        .await?
        .map(|s| {
            (s.last_seen_at + Duration::minutes(i64::from(idle_timeout_minutes)) - Utc::now())
                .num_seconds()
                .max(0)
        }))
}

/// Ends a session that timed out and logs it, in one transaction.
/// `noticed_by` says whether the server found it idle or the page did.
pub async fn end_idle(
    db: &sea_orm::DatabaseConnection,
    session_id: &str,
    user_id: i32,
    organisation_id: i32,
    noticed_by: &str,
    ip: Option<String>,
) -> Result<(), sea_orm::DbErr> {
    use crate::activity::service::{Entry, record};
    use crate::activity::{ActivityAction, Subject};
    let txn = crate::db::begin_write(db).await?;
    let gone = session::Entity::delete_by_id(session_id.to_string())
        .exec(&txn)
        .await?
        .rows_affected;
    // Two requests may find the same session idle: log it once.
    if gone > 0 {
        record(
            &txn,
            Entry::new(ActivityAction::SessionTimedOut, Subject::User(user_id))
                .by(user_id, organisation_id)
                .detail(serde_json::json!({ "noticed_by": noticed_by }))
                .from_ip(ip),
        )
        .await?;
    }
    txn.commit().await
}

/// The `Set-Cookie` value for a new session token.
pub fn cookie(config: &RuntimeConfig, token: &str) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
        config.session_cookie_name()
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clearing_cookie(config: &RuntimeConfig) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        config.session_cookie_name()
    )
}
