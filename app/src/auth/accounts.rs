//! Accounts: the one way a user row is made (by a practice administrator,
//! by an agency inviting a case manager, or from the command line), the
//! signed-in user proving it is them again, and an admin finding an account
//! they administer. A role's own row (a doctor's specialty, a case
//! manager's profile) is the creator's, in the same transaction.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};
use secrecy::SecretString;
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::email::Email;
use crate::auth::password;
use crate::auth::policy::{Action, Resource, can};
use crate::auth::throttle::{self, Claim};
use crate::db::begin_write;
use crate::entities::user;
use crate::error::{AppError, ResultExt};

/// The stored hash of an account that has no password yet (an invited case
/// manager): no argon2 hash has this shape, so no password matches it.
pub const NO_PASSWORD: &str = "!invited";

pub struct NewAccount {
    pub organisation_id: i32,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    /// An argon2 hash, or `None` until the person sets one.
    pub password_hash: Option<String>,
    /// An administrator chose the first password: the person replaces it.
    pub must_change_password: bool,
}

/// Inserts the user. An address already taken (also by a request that won
/// a race) is a validation error on `email`, not a 500.
pub async fn create(conn: &impl ConnectionTrait, new: NewAccount) -> Result<user::Model, AppError> {
    user::ActiveModel {
        organisation_id: Set(new.organisation_id),
        email: Set(new.email.into_string()),
        display_name: Set(new.display_name),
        password_hash: Set(new.password_hash.unwrap_or_else(|| NO_PASSWORD.into())),
        role: Set(new.role),
        active: Set(true),
        must_change_password: Set(new.must_change_password),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .on_unique(|| AppError::invalid("email", "Someone already uses this e-mail address."))
}

/// Proves the signed-in person is still the account holder before a
/// sensitive change (e-mail, two-factor). A wrong password counts toward
/// the account's sign-in throttle, so this is no side door for guessing.
pub async fn reauthenticate(
    db: &DatabaseConnection,
    caller: &Caller,
    password: String,
) -> Result<user::Model, AppError> {
    if password.is_empty() || password.len() > 1024 {
        return Err(AppError::invalid("password", "Enter your password."));
    }
    own_password(db, caller, password, "re-authentication")
        .await?
        .ok_or_else(|| AppError::invalid("password", "Your password is not right."))
}

/// Checks the signed-in user's own password: the account row when it is
/// right, `None` (logged) when it is wrong. The check is claimed against
/// the account's sign-in throttle first, like a sign-in: a stolen session
/// cannot guess passwords here without limit.
pub(crate) async fn own_password(
    db: &DatabaseConnection,
    caller: &Caller,
    password: String,
    during: &str,
) -> Result<Option<user::Model>, AppError> {
    let keys = vec![throttle::account_key(&caller.user.email)];
    if let Claim::Refused { .. } = throttle::claim_now(db, &keys, chrono::Utc::now()).await? {
        return Err(AppError::TooManyRequests);
    }
    let u = user::Entity::find_by_id(caller.user.user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if password::verify_password(SecretString::from(password), Some(u.password_hash.clone()))
        .await?
    {
        throttle::note_success(db, &u.email).await?;
        return Ok(Some(u));
    }
    let txn = begin_write(db).await?;
    record(
        &txn,
        Entry::new(ActivityAction::SignInFailed, Subject::User(u.id))
            .by(u.id, u.organisation_id)
            .detail(json!({ "reason": "wrong_password", "during": during }))
            .from_ip(caller.ip.clone()),
    )
    .await?;
    txn.commit().await?;
    Ok(None)
}

/// A user account the current user administers (their organisation's, not
/// their own); not found otherwise, as for anything out of reach.
pub async fn administered_account(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
) -> Result<user::Model, AppError> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    can(
        caller,
        Action::Administer,
        &Resource::Account {
            user_id: u.id,
            organisation_id: u.organisation_id,
        },
    )?;
    Ok(u)
}
