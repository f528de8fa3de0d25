//! Two-factor rules: enrolment, checking a code (once only), recovery
//! codes, and the sign-in challenge between password and code. Free of
//! HTTP so tests call them directly.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::auth::caller::Caller;
use crate::auth::two_factor::{Enrolment, SecondFactor};
use crate::auth::{Role, session, totp};
use crate::entities::{portal_setting, recovery_code, sign_in_challenge, two_factor, user};
use crate::error::AppError;
use crate::secrets;

/// How long the step between password and code may take.
pub const CHALLENGE_MINUTES: i64 = 5;
/// Wrong codes one challenge takes before the password is asked again.
pub const CHALLENGE_ATTEMPTS: i32 = 5;
pub const RECOVERY_CODES: usize = 10;
/// Shown in the authenticator app next to the account.
const ISSUER: &str = "Caseport";

/// Why a challenge exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Two-factor is on: enter a code.
    Code,
    /// The organisation requires two-factor and the user has none: set it
    /// up now, before any session exists.
    Enrol,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Code => "code",
            Purpose::Enrol => "enrol",
        }
    }
}

/// Whether the user's organisation requires two-factor of their role:
/// the portal's security settings name staff and case managers.
pub async fn required_for(conn: &impl ConnectionTrait, u: &user::Model) -> Result<bool, AppError> {
    let Some(settings) = portal_setting::Entity::find_by_id(u.organisation_id)
        .one(conn)
        .await?
    else {
        return Ok(false);
    };
    Ok(if u.role == Role::ExternalCaseManager {
        settings.require_two_factor_case_managers
    } else {
        settings.require_two_factor_staff
    })
}

/// Two-factor is on for the user (enrolment confirmed).
pub async fn enabled(conn: &impl ConnectionTrait, user_id: i32) -> Result<bool, AppError> {
    Ok(two_factor::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .is_some_and(|t| t.enabled_at.is_some()))
}

pub async fn recovery_codes_left(
    conn: &impl ConnectionTrait,
    user_id: i32,
) -> Result<u64, AppError> {
    Ok(recovery_code::Entity::find()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .count(conn)
        .await?)
}

/// Starts (or restarts) enrolment with a fresh secret. Refused while
/// two-factor is on: turning it off first proves the password again.
pub async fn begin_enrolment(
    conn: &impl ConnectionTrait,
    u: &user::Model,
) -> Result<Enrolment, AppError> {
    let existing = two_factor::Entity::find_by_id(u.id).one(conn).await?;
    if existing.as_ref().is_some_and(|t| t.enabled_at.is_some()) {
        return Err(AppError::Conflict(
            "Two-factor sign-in is already on.".into(),
        ));
    }
    let secret = totp::encode_secret(&totp::new_secret());
    let sealed = sealer()?.seal(&secret, &secrets::totp_context(u.id));
    match existing {
        Some(row) => {
            let mut active: two_factor::ActiveModel = row.into();
            active.secret = Set(sealed);
            active.created_at = Set(Utc::now());
            active.last_step = Set(None);
            active.update(conn).await?;
        }
        None => {
            two_factor::ActiveModel {
                user_id: Set(u.id),
                secret: Set(sealed),
                created_at: Set(Utc::now()),
                enabled_at: Set(None),
                last_step: Set(None),
            }
            .insert(conn)
            .await?;
        }
    }
    let uri = totp::otpauth_uri(ISSUER, &u.email, &secret);
    let qr_svg = totp::qr_svg(&uri).ok_or(AppError::Internal)?;
    Ok(Enrolment {
        secret: group_secret(&secret),
        otpauth_uri: uri,
        qr_svg,
    })
}

fn sealer() -> Result<&'static secrets::KeyRing, AppError> {
    secrets::key_ring().map_err(|e| {
        tracing::error!(error = %e, "cannot seal a two-factor key");
        AppError::Internal
    })
}

/// The user's TOTP key, opened from its sealed form.
fn stored_secret(row: &two_factor::Model) -> Result<Vec<u8>, AppError> {
    let encoded = sealer()?
        .open(&row.secret, &secrets::totp_context(row.user_id))
        .map_err(|e| {
            tracing::error!(error = %e, user_id = row.user_id, "cannot open a two-factor key");
            AppError::Internal
        })?;
    totp::decode_secret(&encoded).ok_or(AppError::Internal)
}

/// Seals every stored TOTP key under the current key (after a key change,
/// and for keys stored before sealing existed); returns how many changed.
pub async fn reseal_all(db: &sea_orm::DatabaseConnection) -> Result<usize, AppError> {
    let ring = sealer()?;
    let txn = crate::db::begin_write(db).await?;
    let mut changed = 0;
    for row in two_factor::Entity::find().all(&txn).await? {
        if ring.is_current(&row.secret) {
            continue;
        }
        let context = secrets::totp_context(row.user_id);
        let plain = ring.open(&row.secret, &context).map_err(|e| {
            tracing::error!(error = %e, user_id = row.user_id, "cannot open a two-factor key");
            AppError::Internal
        })?;
        let mut active: two_factor::ActiveModel = row.into();
        active.secret = Set(ring.seal(&plain, &context));
        active.update(&txn).await?;
        changed += 1;
    }
    // An operator's act, from the command line: no user, no organisation,
    // but in the chain like every other change.
    record(
        &txn,
        Entry::new(ActivityAction::SecretsResealed, Subject::TwoFactorKeys)
            .detail(serde_json::json!({ "resealed": changed })),
    )
    .await?;
    txn.commit().await?;
    Ok(changed)
}

/// "ABCD EFGH …": easier to type into an app by hand.
fn group_secret(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn wrong_code() -> AppError {
    AppError::invalid(
        "code",
        "That code is not right. Use the newest code from your app; each code works once.",
    )
}

/// Marks `step` used, atomically: the update only matches while no code
/// of this step or a later one has been accepted, so two requests racing
/// with the same code cannot both win.
async fn claim_step(
    conn: &impl ConnectionTrait,
    user_id: i32,
    step: i64,
) -> Result<bool, AppError> {
    let res = two_factor::Entity::update_many()
        .col_expr(two_factor::Column::LastStep, Expr::value(step))
        .filter(two_factor::Column::UserId.eq(user_id))
        .filter(
            two_factor::Column::LastStep
                .is_null()
                .or(two_factor::Column::LastStep.lt(step)),
        )
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Confirms enrolment with the first code from the app; returns the new
/// recovery codes, shown once.
pub async fn confirm_enrolment(
    conn: &impl ConnectionTrait,
    user_id: i32,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let row = two_factor::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .filter(|t| t.enabled_at.is_none())
        .ok_or_else(|| AppError::Conflict("Start setting up two-factor sign-in again.".into()))?;
    let secret = stored_secret(&row)?;
    let step = totp::matching_step(&secret, code, now.timestamp()).ok_or_else(wrong_code)?;
    if !claim_step(conn, user_id, step).await? {
        return Err(wrong_code());
    }
    two_factor::Entity::update_many()
        .col_expr(two_factor::Column::EnabledAt, Expr::value(now))
        .filter(two_factor::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    renew_recovery_codes(conn, user_id).await
}

/// Checks a sign-in code: a current TOTP code not used before, or an
/// unused recovery code (which is then spent).
pub async fn check_code(
    conn: &impl ConnectionTrait,
    user_id: i32,
    code: &str,
    now: DateTime<Utc>,
) -> Result<SecondFactor, AppError> {
    let row = two_factor::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .filter(|t| t.enabled_at.is_some())
        .ok_or(AppError::InvalidCredentials)?;
    let secret = stored_secret(&row)?;
    if let Some(step) = totp::matching_step(&secret, code, now.timestamp()) {
        return if claim_step(conn, user_id, step).await? {
            Ok(SecondFactor::Authenticator)
        } else {
            Err(wrong_code())
        };
    }
    let Some(normalised) = normalise_recovery_code(code) else {
        return Err(wrong_code());
    };
    let spent = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(session::token_id(&normalised)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected;
    if spent == 1 {
        Ok(SecondFactor::RecoveryCode)
    } else {
        Err(wrong_code())
    }
}

/// Recovery codes are ten characters of an unambiguous alphabet, shown as
/// `xxxxx-xxxxx`; accepted in any case, with or without the dash.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn normalise_recovery_code(code: &str) -> Option<String> {
    let cleaned: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    (cleaned.len() == 10 && cleaned.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(cleaned)
}

/// Replaces all recovery codes with new ones; returns them for showing once.
pub async fn renew_recovery_codes(
    conn: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<String>, AppError> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    let now = Utc::now();
    while codes.len() < RECOVERY_CODES {
        let raw: String = {
            let mut rng = rand::rngs::OsRng;
            (0..10)
                .map(|_| char::from(RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())]))
                .collect()
        };
        // 50 bits each: a repeat is next to impossible, but the unique
        // index would refuse one, so skip it rather than fail.
        if codes.iter().any(|c: &String| c.replace('-', "") == raw) {
            continue;
        }
        recovery_code::ActiveModel {
            user_id: Set(user_id),
            code_hash: Set(session::token_id(&raw)),
            created_at: Set(now),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        codes.push(format!("{}-{}", &raw[..5], &raw[5..]));
    }
    Ok(codes)
}

/// Turns two-factor off: the secret and every recovery code go.
pub async fn remove(conn: &impl ConnectionTrait, user_id: i32) -> Result<bool, AppError> {
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let removed = two_factor::Entity::delete_by_id(user_id)
        .exec(conn)
        .await?
        .rows_affected;
    Ok(removed == 1)
}

/// Opens a challenge for a user whose password was right; any earlier one
/// of theirs is void. Returns the token for the browser.
pub async fn open_challenge(
    conn: &impl ConnectionTrait,
    user_id: i32,
    purpose: Purpose,
) -> Result<String, AppError> {
    sign_in_challenge::Entity::delete_many()
        .filter(sign_in_challenge::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    let token = session::new_token();
    let now = Utc::now();
    sign_in_challenge::ActiveModel {
        id: Set(session::token_id(&token)),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_string()),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(CHALLENGE_MINUTES)),
        attempts: Set(0),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// The live challenge a token names, with its purpose.
pub async fn find_challenge(
    conn: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(sign_in_challenge::Model, Purpose)>, AppError> {
    let Some(row) = sign_in_challenge::Entity::find_by_id(session::token_id(token.trim()))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if row.expires_at <= now || row.attempts >= CHALLENGE_ATTEMPTS {
        sign_in_challenge::Entity::delete_by_id(row.id)
            .exec(conn)
            .await?;
        return Ok(None);
    }
    let purpose = if row.purpose == "enrol" {
        Purpose::Enrol
    } else {
        Purpose::Code
    };
    Ok(Some((row, purpose)))
}

/// Claims one of the challenge's attempts before its code is checked:
/// one conditional `UPDATE`, so parallel guesses cannot all pass the cap.
/// False when none is left or the challenge has expired.
pub async fn claim_attempt(
    conn: &impl ConnectionTrait,
    challenge_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let claimed = sign_in_challenge::Entity::update_many()
        .col_expr(
            sign_in_challenge::Column::Attempts,
            Expr::col(sign_in_challenge::Column::Attempts).add(1),
        )
        .filter(sign_in_challenge::Column::Id.eq(challenge_id))
        .filter(sign_in_challenge::Column::Attempts.lt(CHALLENGE_ATTEMPTS))
        .filter(sign_in_challenge::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    Ok(claimed.rows_affected == 1)
}

pub async fn close_challenge(
    conn: &impl ConnectionTrait,
    challenge_id: &str,
) -> Result<(), AppError> {
    sign_in_challenge::Entity::delete_by_id(challenge_id.to_string())
        .exec(conn)
        .await?;
    Ok(())
}

// ---- The account page: each change proves the password again. ----

use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::CurrentUser;
use crate::auth::policy::{Action, Resource, can};
use crate::db::begin_write;

fn own_account(current: &CurrentUser) -> Resource<'static> {
    Resource::Account {
        user_id: current.user_id,
        organisation_id: current.organisation_id,
    }
}

/// A log row for a change the user made to their own account.
fn own_entry(action: ActivityAction, caller: &Caller) -> Entry {
    Entry::new(action, Subject::User(caller.user_id)).by_caller(caller)
}

/// The account page's view of two-factor.
pub async fn status(
    db: &DatabaseConnection,
    current: &CurrentUser,
) -> Result<crate::auth::two_factor::TwoFactorState, AppError> {
    can(&current.actor(), Action::View, &own_account(current))?;
    let u = user::Entity::find_by_id(current.user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(crate::auth::two_factor::TwoFactorState {
        enabled: enabled(db, u.id).await?,
        required: required_for(db, &u).await?,
        recovery_codes_left: recovery_codes_left(db, u.id).await?,
    })
}

/// Step one of turning two-factor on from the account page.
pub async fn begin(
    db: &DatabaseConnection,
    caller: &Caller,
    password: String,
) -> Result<Enrolment, AppError> {
    can(caller, Action::Modify, &own_account(&caller.user))?;
    let u = crate::auth::accounts::reauthenticate(db, caller, password).await?;
    let txn = begin_write(db).await?;
    let enrolment = begin_enrolment(&txn, &u).await?;
    txn.commit().await?;
    Ok(enrolment)
}

/// Step two: the first code from the app turns two-factor on.
pub async fn confirm(
    db: &DatabaseConnection,
    caller: &Caller,
    code: String,
) -> Result<Vec<String>, AppError> {
    can(caller, Action::Modify, &own_account(&caller.user))?;
    let txn = begin_write(db).await?;
    let codes = confirm_enrolment(&txn, caller.user.user_id, &code, Utc::now()).await?;
    record(&txn, own_entry(ActivityAction::TwoFactorEnabled, caller)).await?;
    txn.commit().await?;
    Ok(codes)
}

pub async fn renew(
    db: &DatabaseConnection,
    caller: &Caller,
    password: String,
) -> Result<Vec<String>, AppError> {
    can(caller, Action::Modify, &own_account(&caller.user))?;
    crate::auth::accounts::reauthenticate(db, caller, password).await?;
    let txn = begin_write(db).await?;
    if !enabled(&txn, caller.user.user_id).await? {
        return Err(AppError::Conflict("Two-factor sign-in is not on.".into()));
    }
    let codes = renew_recovery_codes(&txn, caller.user.user_id).await?;
    record(
        &txn,
        own_entry(ActivityAction::RecoveryCodesRenewed, caller),
    )
    .await?;
    txn.commit().await?;
    Ok(codes)
}

/// Turns two-factor off, unless the organisation requires it.
pub async fn turn_off(
    db: &DatabaseConnection,
    caller: &Caller,
    password: String,
) -> Result<(), AppError> {
    can(caller, Action::Modify, &own_account(&caller.user))?;
    let u = crate::auth::accounts::reauthenticate(db, caller, password).await?;
    if required_for(db, &u).await? {
        return Err(AppError::Conflict(
            "Your organisation requires two-factor sign-in, so it stays on.".into(),
        ));
    }
    let txn = begin_write(db).await?;
    if !remove(&txn, u.id).await? {
        return Err(AppError::Conflict("Two-factor sign-in is not on.".into()));
    }
    record(&txn, own_entry(ActivityAction::TwoFactorDisabled, caller)).await?;
    txn.commit().await?;
    Ok(())
}

/// An admin clears a user's two-factor (a lost phone). The user signs in
/// with their password next time and, where two-factor is required, sets
/// it up again at once. Their sessions end.
pub async fn reset_by_admin(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
) -> Result<(), AppError> {
    let u = crate::auth::accounts::administered_account(db, caller, user_id).await?;
    let txn = begin_write(db).await?;
    if !remove(&txn, u.id).await? {
        return Err(AppError::Conflict(
            "They have no two-factor sign-in to reset.".into(),
        ));
    }
    let ended = session::destroy_all_for_user(&txn, u.id).await?;
    record(
        &txn,
        Entry::new(ActivityAction::TwoFactorReset, Subject::User(u.id))
            .by(caller.user.user_id, caller.user.organisation_id)
            .detail(json!({ "email": u.email, "sessions_ended": ended }))
            .from_ip(caller.ip.clone()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_read_forgivingly_but_strictly() {
        assert_eq!(
            normalise_recovery_code("ABCDE-FGHJK").as_deref(),
            Some("abcdefghjk")
        );
        assert_eq!(
            normalise_recovery_code(" abcde fghjk ").as_deref(),
            Some("abcdefghjk")
        );
        for bad in [
            "",
            "abcde",
            "abcde-fghjkm",
            "abcde-fghj1",
            "abcde-fghj'",
            "123456",
        ] {
            assert_eq!(normalise_recovery_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn secrets_are_grouped_for_typing() {
        assert_eq!(group_secret("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
