//! Making, listing, revoking and checking personal API tokens. Every
//! decision goes through the policy; every change is logged in its own
//! transaction, naming the token, never its value.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::api_tokens::{
    LIFETIMES, MAX_LIVE_TOKENS, MAX_NAME_CHARS, NewToken, Scope, TokenRow, TokenSettings,
};
use crate::auth::admission::{Standing, admission};
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Resource, can, token_scopes};
use crate::auth::session::{current_user, new_token, token_id};
use crate::auth::{CurrentUser, Role};
use crate::db::begin_write;
use crate::entities::{api_token, organisation, user};
use crate::error::AppError;

/// What every token starts with, so a secret scanner can spot a leaked one.
pub const PREFIX: &str = "cpt_";

/// Recording the last use on every request would turn each read into a
/// write; a minute's resolution tells an owner enough.
const TOUCH_AFTER_SECONDS: i64 = 60;

fn own(caller: &Caller, action: Action) -> Result<(), AppError> {
    can(
        caller,
        action,
        &Resource::ApiTokens {
            owner: caller.user_id,
        },
    )
    .map(|_| ())
}

fn live(t: &api_token::Model, now: DateTime<Utc>) -> bool {
    t.revoked_at.is_none() && t.expires_at > now
}

/// The caller's tokens, newest first, and the scopes they may give one.
pub async fn settings(db: &DatabaseConnection, caller: &Caller) -> Result<TokenSettings, AppError> {
    if own(caller, Action::View).is_err() {
        // Nothing a token of theirs could read: the section is not shown.
        return Ok(TokenSettings::default());
    }
    let now = Utc::now();
    let zone = caller.zone;
    let tokens = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(caller.user_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            live: live(&t, now),
            state: if t.revoked_at.is_some() {
                "Revoked"
            } else if t.expires_at <= now {
                "Expired"
            } else {
                "Active"
            }
            .to_string(),
            scopes: Scope::split(&t.scopes),
            created: zone.show(t.created_at),
            expires: zone.show(t.expires_at),
            last_used: t
                .last_used_at
                .map_or("Never".to_string(), |at| zone.show(at)),
            name: t.name,
        })
        .collect();
    Ok(TokenSettings {
        tokens,
        offered: token_scopes(caller),
    })
}

/// Revokes every live token of a user, with the sign-outs that call it
/// (password reset or change, access revoked, signed out everywhere).
pub async fn revoke_all(conn: &impl ConnectionTrait, user_id: i32) -> Result<u64, sea_orm::DbErr> {
    let res = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

/// Makes a token for the caller, once their password proves it is them: a
/// session left open must not become a credential that outlives it. Bad
/// input changes nothing.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    new: NewTokenRequest<'_>,
) -> Result<NewToken, AppError> {
    let NewTokenRequest {
        name,
        scopes,
        days,
        password,
    } = new;
    own(caller, Action::Create)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "Give the token a name, such as the program that will use it.",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(
            "name",
            format!("Keep the name to {MAX_NAME_CHARS} characters."),
        ));
    }
    let offered = token_scopes(caller);
    let mut chosen: Vec<Scope> = Scope::ALL
        .into_iter()
        .filter(|s| scopes.contains(s))
        .collect();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(AppError::invalid(
            "scopes",
            "Choose at least one thing the token may read.",
        ));
    }
    if let Some(s) = chosen.iter().find(|s| !offered.contains(s)) {
        return Err(AppError::invalid(
            "scopes",
            format!("Your role cannot give a token \"{}\".", s.label()),
        ));
    }
    if !LIFETIMES.contains(&days) {
        return Err(AppError::invalid(
            "days",
            "Choose one of the offered lifetimes.",
        ));
    }
    crate::auth::accounts::reauthenticate(db, caller, password).await?;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let live_count = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(caller.user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(api_token::Column::ExpiresAt.gt(now))
        .all(&txn)
        .await?
        .len();
    if live_count >= MAX_LIVE_TOKENS {
        return Err(AppError::invalid(
            "name",
            format!(
                "You have {MAX_LIVE_TOKENS} active tokens. Revoke one you no longer use first."
            ),
        ));
    }
    let token = format!("{PREFIX}{}", new_token());
    let expires_at = now + Duration::days(i64::from(days));
    let row = api_token::ActiveModel {
        user_id: Set(caller.user_id),
        name: Set(name.to_string()),
        scopes: Set(Scope::join(&chosen)),
        token_hash: Set(token_id(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Entry::new(ActivityAction::ApiTokenCreated, Subject::ApiToken(row.id))
            .by_caller(caller)
            .detail(json!({
                "name": name,
                "scopes": Scope::join(&chosen),
                "expires_at": expires_at.to_rfc3339(),
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(NewToken {
        id: row.id,
        name: row.name,
        token,
    })
}

/// Revokes one of the caller's own tokens; another user's is not found.
pub async fn revoke(db: &DatabaseConnection, caller: &Caller, id: i32) -> Result<(), AppError> {
    own(caller, Action::Modify)?;
    let txn = begin_write(db).await?;
    let t = api_token::Entity::find_by_id(id)
        .filter(api_token::Column::UserId.eq(caller.user_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if t.revoked_at.is_some() {
        return Ok(());
    }
    let name = t.name.clone();
    let mut active: api_token::ActiveModel = t.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    record(
        &txn,
        Entry::new(ActivityAction::ApiTokenRevoked, Subject::ApiToken(id))
            .by_caller(caller)
            .detail(json!({ "name": name })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the account page sends to make a token.
pub struct NewTokenRequest<'a> {
    pub name: &'a str,
    pub scopes: &'a [Scope],
    pub days: i32,
    pub password: String,
}

/// A request signed with a token, once the token and its user pass.
#[derive(Clone, Debug)]
pub struct TokenHolder {
    pub token_id: i32,
    pub user: CurrentUser,
    pub scopes: Vec<Scope>,
}

/// Why a presented token gave no user. Each answers 401 alike, so a caller
/// learns nothing about which.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenRejected {
    Unknown,
    Revoked,
    Expired,
    /// The user was deactivated, must change their password, or is a case
    /// manager whose access is not Active or whose terms are not accepted.
    UserClosed,
}

/// Checks a bearer token and its user's standing now, on every request:
/// revoking a user or suspending a case manager stops their tokens at once.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    token: &str,
) -> Result<Result<TokenHolder, TokenRejected>, sea_orm::DbErr> {
    let well_formed = token
        .strip_prefix(PREFIX)
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Ok(Err(TokenRejected::Unknown));
    }
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_id(token)))
        .one(conn)
        .await?
    else {
        return Ok(Err(TokenRejected::Unknown));
    };
    let now = Utc::now();
    if t.revoked_at.is_some() {
        return Ok(Err(TokenRejected::Revoked));
    }
    if t.expires_at <= now {
        return Ok(Err(TokenRejected::Expired));
    }
    let Some((u, Some(org))) = user::Entity::find_by_id(t.user_id)
        .find_also_related(organisation::Entity)
        .one(conn)
        .await?
    else {
        return Ok(Err(TokenRejected::UserClosed));
    };
    if !u.active || u.must_change_password {
        return Ok(Err(TokenRejected::UserClosed));
    }
    if u.role == Role::ExternalCaseManager {
        let a = admission(conn, u.id, org.id).await?;
        if a.standing != Standing::Open || a.terms_pending {
            return Ok(Err(TokenRejected::UserClosed));
        }
    }
    if t.last_used_at
        .is_none_or(|at| (now - at).num_seconds() >= TOUCH_AFTER_SECONDS)
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(t.id))
            .exec(conn)
            .await?;
    }
    Ok(Ok(TokenHolder {
        token_id: t.id,
        scopes: Scope::split(&t.scopes),
        user: current_user(u, org, format!("api-token-{}", t.id), false),
    }))
}
