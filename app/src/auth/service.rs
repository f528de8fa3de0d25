//! Sign-in and sign-out rules, free of HTTP so tests call them directly.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::SecretString;
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::accounts;
use crate::auth::admission::Standing;
use crate::auth::caller::Caller;
use crate::auth::throttle::Claim;
use crate::auth::two_factor::SecondFactor;
use crate::auth::two_factor::service::{self as two_factor, Purpose};
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
        let email = crate::auth::email::normalise(email);
        if email.is_empty() || email.len() > crate::auth::email::MAX_LENGTH {
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

/// What a right password leads to.
pub enum SignedIn {
    /// No second factor: the session is open.
    Session { user: user::Model, token: String },
    /// A second step first: a code, or setting two-factor up because the
    /// organisation requires it. No session exists yet.
    Challenge {
        token: String,
        purpose: Purpose,
        enrolment: Option<crate::auth::two_factor::Enrolment>,
    },
}

/// Checks the credentials; opens a session, or the two-factor step where
/// the user has or needs it. Unknown e-mail, wrong password and
/// deactivated account all give `InvalidCredentials`, with the real reason
/// only in the activity log.
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    db: &DatabaseConnection,
    config: &RuntimeConfig,
    creds: Credentials,
    origin: Origin,
) -> Result<SignedIn, AppError> {
    let now = chrono::Utc::now();
    let keys = throttle_keys(&creds.email, origin.ip.as_deref());
    // The attempt is claimed before the password is checked, so parallel
    // guesses cannot all slip through. Unknown e-mails are throttled alike,
    // so a refusal tells nothing about which accounts exist.
    if let Claim::Refused { first } = throttle::claim_now(db, &keys, now).await? {
        return Err(refuse_throttled(db, &creds.email, None, origin.ip, first).await?);
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(creds.email.as_str()))
        .one(db)
        .await?;
    let matches = password::verify_password(
        creds.password,
        found.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;

    let standing = match &found {
        Some(u) if matches && u.role == crate::auth::Role::ExternalCaseManager => {
            Some(crate::auth::admission::standing(db, u.id, u.organisation_id).await?)
        }
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
        crate::counters::sign_in_failed(reason);
        let mut entry = Entry::new(
            ActivityAction::SignInFailed,
            found
                .as_ref()
                .map_or(Subject::UnknownUser, |u| Subject::User(u.id)),
        )
        .detail(json!({ "reason": reason, "email": creds.email }))
        .from_ip(origin.ip.clone());
        if let Some(u) = &found {
            entry.organisation_id = Some(u.organisation_id);
        }
        record(&txn, entry).await?;
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
    // The throttle's count stays until the second factor is through too, so
    // a known password does not buy unlimited guesses at codes.
    let second_step = if two_factor::enabled(&txn, user.id).await? {
        Some(Purpose::Code)
    } else if two_factor::required_for(&txn, &user).await? {
        Some(Purpose::Enrol)
    } else {
        None
    };
    if let Some(purpose) = second_step {
        let token = two_factor::open_challenge(&txn, user.id, purpose).await?;
        let enrolment = match purpose {
            Purpose::Enrol => Some(two_factor::begin_enrolment(&txn, &user).await?),
            Purpose::Code => None,
        };
        txn.commit().await?;
        return Ok(SignedIn::Challenge {
            token,
            purpose,
            enrolment,
        });
    }
    let token = open_session(&txn, config, &user, origin, json!({})).await?;
    txn.commit().await?;
    Ok(SignedIn::Session { user, token })
}

fn throttle_keys(email: &str, ip: Option<&str>) -> Vec<String> {
    let mut keys = vec![throttle::account_key(email)];
    if let Some(ip) = ip {
        keys.push(throttle::address_key(ip));
    }
    keys
}

/// Logs a throttled attempt (the first under each lock only: a flood of
/// refusals must not flood the log) and gives the error to return.
async fn refuse_throttled(
    db: &DatabaseConnection,
    email: &str,
    user: Option<&user::Model>,
    ip: Option<String>,
    first: bool,
) -> Result<AppError, AppError> {
    if !first {
        return Ok(AppError::TooManyRequests);
    }
    let txn = begin_write(db).await?;
    let mut entry = Entry::new(
        ActivityAction::SignInFailed,
        user.map_or(Subject::UnknownUser, |u| Subject::User(u.id)),
    )
    .detail(json!({ "reason": "throttled", "email": email }))
    .from_ip(ip);
    entry.organisation_id = user.map(|u| u.organisation_id);
    record(&txn, entry).await?;
    txn.commit().await?;
    Ok(AppError::TooManyRequests)
}

/// Opens the session (rotating out the one the browser had) and logs the
/// sign-in.
async fn open_session(
    txn: &sea_orm::DatabaseTransaction,
    config: &RuntimeConfig,
    user: &user::Model,
    origin: Origin,
    detail: serde_json::Value,
) -> Result<String, AppError> {
    throttle::release(txn, &user.email, origin.ip.as_deref()).await?;
    if let Some(previous) = &origin.previous_session_id {
        session::destroy(txn, previous).await?;
    }
    let token = session::create(txn, user.id, origin.ip.clone(), origin.user_agent, config).await?;
    record(
        txn,
        Entry::new(ActivityAction::SignIn, Subject::User(user.id))
            .by(user.id, user.organisation_id)
            .detail(detail)
            .from_ip(origin.ip),
    )
    .await?;
    Ok(token)
}

/// The second step of signing in: a code for the challenge the password
/// opened (or, for an enrolment challenge, the first code from the newly
/// set-up app). Opens the session; returns the recovery codes when
/// two-factor was set up just now, to show once.
#[tracing::instrument(skip_all)]
pub async fn complete_sign_in(
    db: &DatabaseConnection,
    config: &RuntimeConfig,
    challenge: &str,
    code: &str,
    origin: Origin,
) -> Result<(user::Model, String, Vec<String>), AppError> {
    let now = chrono::Utc::now();
    if challenge.len() > 128 || code.len() > 64 {
        return Err(AppError::invalid("code", "Enter the code from your app."));
    }
    let expired = || {
        AppError::Conflict("This sign-in has expired. Enter your e-mail and password again.".into())
    };
    let txn = begin_write(db).await?;
    let Some((row, purpose)) = two_factor::find_challenge(&txn, challenge, now).await? else {
        // Keeps the removal of a stale challenge.
        txn.commit().await?;
        return Err(expired());
    };
    let user = user::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.active)
        .ok_or_else(expired)?;
    let keys = throttle_keys(&user.email, origin.ip.as_deref());
    // Both counts are claimed before the code is checked, inside this write
    // transaction: parallel guesses at one challenge queue on its row.
    if let Claim::Refused { first } = throttle::claim(&txn, &keys, now).await? {
        txn.commit().await?;
        return Err(refuse_throttled(db, &user.email, Some(&user), origin.ip, first).await?);
    }
    if !two_factor::claim_attempt(&txn, &row.id, now).await? {
        txn.commit().await?;
        return Err(expired());
    }
    let checked = match purpose {
        Purpose::Code => two_factor::check_code(&txn, user.id, code, now)
            .await
            .map(|factor| (factor, Vec::new())),
        Purpose::Enrol => two_factor::confirm_enrolment(&txn, user.id, code, now)
            .await
            .map(|codes| (SecondFactor::Authenticator, codes)),
    };
    let (factor, recovery_codes) = match checked {
        Ok(found) => found,
        Err(error @ AppError::Validation(_)) => {
            record(
                &txn,
                Entry::new(ActivityAction::SignInFailed, Subject::User(user.id))
                    .detail(json!({ "reason": "wrong_code", "email": user.email }))
                    .from_ip(origin.ip.clone())
                    .in_organisation(user.organisation_id),
            )
            .await?;
            txn.commit().await?;
            return Err(error);
        }
        Err(other) => return Err(other),
    };
    two_factor::close_challenge(&txn, &row.id).await?;
    if purpose == Purpose::Enrol {
        record(
            &txn,
            Entry::new(ActivityAction::TwoFactorEnabled, Subject::User(user.id))
                .by(user.id, user.organisation_id)
                .detail(json!({ "during": "sign-in", "required": true }))
                .from_ip(origin.ip.clone()),
        )
        .await?;
    }
    if factor == SecondFactor::RecoveryCode {
        let left = two_factor::recovery_codes_left(&txn, user.id).await?;
        record(
            &txn,
            Entry::new(ActivityAction::RecoveryCodeUsed, Subject::User(user.id))
                .by(user.id, user.organisation_id)
                .detail(json!({ "codes_left": left }))
                .from_ip(origin.ip.clone()),
        )
        .await?;
    }
    let detail = json!({ "second_factor": match factor {
        SecondFactor::Authenticator => "authenticator",
        SecondFactor::RecoveryCode => "recovery_code",
    } });
    let token = open_session(&txn, config, &user, origin, detail).await?;
    txn.commit().await?;
    Ok((user, token, recovery_codes))
}

/// Changes the signed-in user's e-mail (their sign-in name) after the
/// password proves it is them. Other sessions end; the log keeps both
/// addresses.
pub async fn change_email(
    db: &DatabaseConnection,
    caller: &Caller,
    password: String,
    new_email: &str,
) -> Result<(), AppError> {
    use crate::auth::policy::{Action, Resource, can};
    use sea_orm::{ActiveModelTrait, Set};
    can(
        caller,
        Action::Modify,
        &Resource::Account {
            user_id: caller.user.user_id,
            organisation_id: caller.user.organisation_id,
        },
    )?;
    let email = crate::auth::email::Email::parse(new_email)?.into_string();
    if email == caller.user.email {
        return Err(AppError::invalid(
            "email",
            "That is already your e-mail address.",
        ));
    }
    let u = accounts::reauthenticate(db, caller, password).await?;
    let txn = begin_write(db).await?;
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
        .is_some();
    if taken {
        // Says no more than the sign-up of a new address would.
        return Err(AppError::invalid(
            "email",
            "This e-mail address cannot be used. Choose another.",
        ));
    }
    let before = u.email.clone();
    let mut active: user::ActiveModel = u.into();
    active.email = Set(email.clone());
    active.update(&txn).await?;
    session::destroy_others_for_user(&txn, caller.user.user_id, &caller.user.session_id).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::EmailChanged,
            Subject::User(caller.user.user_id),
        )
        .by(caller.user.user_id, caller.user.organisation_id)
        .detail(json!({ "before": before, "after": email }))
        .from_ip(caller.ip.clone()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends the current session and logs it.
pub async fn sign_out(db: &DatabaseConnection, caller: &Caller) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    session::destroy(&txn, &caller.user.session_id).await?;
    record(
        &txn,
        Entry::new(ActivityAction::SignOut, Subject::User(caller.user.user_id))
            .by(caller.user.user_id, caller.user.organisation_id)
            .from_ip(caller.ip.clone()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces a user's password after checking the current one. Ends the
/// user's other sessions: whoever else held one must sign in again.
pub async fn change_password(
    db: &DatabaseConnection,
    caller: &Caller,
    current: String,
    new: String,
) -> Result<(), AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let rules = crate::auth::password_rules::load(db, caller.user.organisation_id).await?;
    crate::auth::password_rules::check_new_password(&new, &caller.user.email, rules)?;
    let Some(u) = accounts::own_password(db, caller, current, "password change").await? else {
        return Err(AppError::invalid(
            "current",
            "Your current password is not right.",
        ));
    };
    let hash = password::hash_password(SecretString::from(new)).await?;
    let txn = begin_write(db).await?;
    let mut active: user::ActiveModel = u.into();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.update(&txn).await?;
    session::destroy_others_for_user(&txn, caller.user.user_id, &caller.user.session_id).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::PasswordChanged,
            Subject::User(caller.user.user_id),
        )
        .by(caller.user.user_id, caller.user.organisation_id)
        .from_ip(caller.ip.clone()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn list_sessions(
    db: &DatabaseConnection,
    current_user: &crate::auth::CurrentUser,
) -> Result<Vec<crate::auth::SessionInfo>, AppError> {
    use sea_orm::QueryOrder;
    let rows = crate::entities::session::Entity::find()
        .filter(crate::entities::session::Column::UserId.eq(current_user.user_id))
        .order_by_desc(crate::entities::session::Column::LastSeenAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|s| crate::auth::SessionInfo {
            current: s.id == current_user.session_id,
            started: current_user.zone.show(s.created_at),
            last_seen: current_user.zone.show(s.last_seen_at),
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
    caller: &Caller,
    id: Option<String>,
) -> Result<u64, AppError> {
    use crate::entities::session as s;
    let txn = begin_write(db).await?;
    let mut q = s::Entity::delete_many()
        .filter(s::Column::UserId.eq(caller.user.user_id))
        .filter(s::Column::Id.ne(caller.user.session_id.as_str()));
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
            Subject::User(caller.user.user_id),
        )
        .by(caller.user.user_id, caller.user.organisation_id)
        .detail(json!({ "ended": ended, "which": if id.is_some() { "one" } else { "all others" } }))
        .from_ip(caller.ip.clone()),
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// An admin ends all sessions of a user of their organisation; the user
/// stays active and signs in again. Logged with the number ended.
pub async fn end_sessions_of(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
) -> Result<u64, AppError> {
    let u = accounts::administered_account(db, caller, user_id).await?;
    let txn = begin_write(db).await?;
    let ended = session::destroy_all_for_user(&txn, u.id).await?;
    record(
        &txn,
        Entry::new(ActivityAction::SessionsEnded, Subject::User(u.id))
            .by(caller.user.user_id, caller.user.organisation_id)
            .detail(json!({ "ended": ended, "which": "all, by an admin", "email": u.email }))
            .from_ip(caller.ip.clone()),
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}
