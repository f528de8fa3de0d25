//! Sign-in and sign-out rules, free of HTTP so tests call them directly.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::SecretString;
use serde_json::json;

use crate::activity::ActivityAction;
use crate::activity::service::{Entry, record};
use crate::agency::case_managers::service::Standing;
use crate::auth::{password, session, throttle};
use crate::db::begin_write;
use crate::entities::user;
use crate::error::AppError;
use crate::server_context::RuntimeConfig;

/// A validated sign-in request.
pub struct Credentials {
    pub email: String,
    pub password: SecretString,
}

impl Credentials {
    /// Normalises the e-mail; refuses empty or absurd input before any
    /// database work.
    pub fn parse(email: &str, password: String) -> Result<Self, AppError> {
        let email = email.trim().to_lowercase();
        if email.is_empty() || email.len() > 254 {
            return Err(AppError::invalid("email", "Enter your e-mail address."));
        }
        if password.is_empty() || password.len() > 1024 {
            return Err(AppError::invalid("password", "Enter your password."));
        }
        Ok(Credentials {
            email,
            password: SecretString::from(password),
        })
    }
}

/// Where the request came from, for the session row and the log.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Session being replaced: it is destroyed so the id rotates at sign-in.
    pub previous_session_id: Option<String>,
}

/// Checks the credentials and starts a new session. Unknown e-mail, wrong
/// password and deactivated account all give `InvalidCredentials`, with the
/// real reason only in the activity log.
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    db: &DatabaseConnection,
    config: &RuntimeConfig,
    creds: Credentials,
    origin: Origin,
) -> Result<(user::Model, String), AppError> {
    let now = chrono::Utc::now();
    let mut keys = vec![throttle::account_key(&creds.email)];
    if let Some(ip) = &origin.ip {
        keys.push(throttle::address_key(ip));
    }
    if throttle::blocked_until(db, &keys, now).await?.is_some() {
        // Refused before the password is even checked; unknown e-mails are
        // throttled alike, so this tells nothing about which accounts exist.
        let txn = begin_write(db).await?;
        record(
            &txn,
            Entry::new(ActivityAction::SignInFailed, "user", None)
                .detail(json!({ "reason": "throttled", "email": creds.email }))
                .from_ip(origin.ip.clone()),
        )
        .await?;
        txn.commit().await?;
        return Err(AppError::TooManyRequests);
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(creds.email.as_str()))
        .one(db)
        .await?;
    let matches = password::verify_password(
        creds.password,
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;

    let standing = match &found {
        Some(u) if matches && u.role == crate::auth::Role::ExternalCaseManager => Some(
            crate::agency::case_managers::service::standing(db, u.id, u.organisation_id).await?,
        ),
        _ => None,
    };
    let failure = match (&found, standing) {
        (None, _) => Some("unknown_email"),
        (Some(_), _) if !matches => Some("wrong_password"),
        (Some(u), _) if !u.active => Some("account_inactive"),
        (Some(_), Some(s)) if s != Standing::Open => Some(s.reason()),
        (Some(_), _) => None,
    };
    let txn = begin_write(db).await?;
    if let Some(reason) = failure {
        let mut entry = Entry::new(
            ActivityAction::SignInFailed,
            "user",
            found.as_ref().map(|u| u.id),
        )
        .detail(json!({ "reason": reason, "email": creds.email }))
        .from_ip(origin.ip.clone());
        if let Some(u) = &found {
            entry.organisation_id = Some(u.organisation_id);
        }
        record(&txn, entry).await?;
        throttle::note_failure(&txn, &keys, now).await?;
        txn.commit().await?;
        // The right password proves who is asking: a case manager may learn
        // why the portal is closed to them. Everyone else hears the same.
        return Err(match standing {
            Some(Standing::PortalOff) if matches => AppError::Conflict(
                "The Case Manager Portal is turned off at the moment. Contact the agency.".into(),
            ),
            Some(Standing::Suspended | Standing::Revoked) if matches => {
                AppError::Conflict("Your portal access is not active. Contact the agency.".into())
            }
            _ => AppError::InvalidCredentials,
        });
    }
    let Some(user) = found else {
        return Err(AppError::InvalidCredentials);
    };
    throttle::note_success(&txn, &creds.email).await?;
    if let Some(previous) = &origin.previous_session_id {
        session::destroy(&txn, previous).await?;
    }
    let token =
        session::create(&txn, user.id, origin.ip.clone(), origin.user_agent, config).await?;
    record(
        &txn,
        Entry::new(ActivityAction::SignIn, "user", Some(user.id))
            .by(user.id, user.organisation_id)
            .from_ip(origin.ip),
    )
    .await?;
    txn.commit().await?;
    Ok((user, token))
}

/// Ends the current session and logs it.
pub async fn sign_out(
    db: &DatabaseConnection,
    user: &crate::auth::CurrentUser,
    ip: Option<String>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    session::destroy(&txn, &user.session_id).await?;
    record(
        &txn,
        Entry::new(ActivityAction::SignOut, "user", Some(user.user_id))
            .by(user.user_id, user.organisation_id)
            .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces a user's password after checking the current one. Ends the
/// user's other sessions: whoever else held one must sign in again.
pub async fn change_password(
    db: &DatabaseConnection,
    current_user: &crate::auth::CurrentUser,
    current: String,
    new: String,
    ip: Option<String>,
) -> Result<(), AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let rules =
        crate::agency::settings::service::password_rules(db, current_user.organisation_id).await?;
    crate::auth::password_rules::check_new_password(&new, &current_user.email, rules)?;
    let u = user::Entity::find_by_id(current_user.user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !password::verify_password(SecretString::from(current), Some(u.password_hash.clone())).await
    {
        return Err(AppError::invalid(
            "current",
            "Your current password is not right.",
        ));
    }
    let hash = password::hash_password(SecretString::from(new)).await?;
    let txn = begin_write(db).await?;
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.update(&txn).await?;
    session::destroy_others_for_user(&txn, current_user.user_id, &current_user.session_id).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::PasswordChanged,
            "user",
            Some(current_user.user_id),
        )
        .by(current_user.user_id, current_user.organisation_id)
        .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn list_sessions(
    db: &DatabaseConnection,
    current_user: &crate::auth::CurrentUser,
) -> Result<Vec<crate::auth::api::SessionInfo>, AppError> {
    use sea_orm::QueryOrder;
    let rows = crate::entities::session::Entity::find()
        .filter(crate::entities::session::Column::UserId.eq(current_user.user_id))
        .order_by_desc(crate::entities::session::Column::LastSeenAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|s| crate::auth::api::SessionInfo {
            current: s.id == current_user.session_id,
            started: s.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            last_seen: s.last_seen_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            id: s.id,
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect())
}

/// Ends one other session of the user (by id) or all their other ones.
/// Only the user's own sessions can match; the current one never does.
pub async fn end_sessions(
    db: &DatabaseConnection,
    current_user: &crate::auth::CurrentUser,
    id: Option<String>,
    ip: Option<String>,
) -> Result<u64, AppError> {
    use crate::entities::session as s;
    let txn = begin_write(db).await?;
    let mut q = s::Entity::delete_many()
        .filter(s::Column::UserId.eq(current_user.user_id))
        .filter(s::Column::Id.ne(current_user.session_id.as_str()));
    if let Some(id) = &id {
        q = q.filter(s::Column::Id.eq(id.as_str()));
    }
    let ended = q.exec(&txn).await?.rows_affected;
    if id.is_some() && ended == 0 {
        return Err(AppError::NotFound);
    }
    record(
        &txn,
        Entry::new(
            ActivityAction::SessionsEnded,
            "user",
            Some(current_user.user_id),
        )
        .by(current_user.user_id, current_user.organisation_id)
        .detail(json!({ "ended": ended, "which": if id.is_some() { "one" } else { "all others" } }))
        .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}
