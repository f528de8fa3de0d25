//! Issuing, checking and using reset links. The token is random, kept only
//! as its SHA-256, single use, and expires after [`VALID_MINUTES`].

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use secrecy::SecretString;
use serde_json::json;

use super::{ResetView, VALID_MINUTES};
use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::Role;
use crate::auth::accounts::administered_account;
use crate::auth::admission::standing;
use crate::auth::caller::Caller;
use crate::auth::password::hash_password;
use crate::auth::password_rules;
use crate::auth::password_rules::check_new_password;
use crate::auth::policy::{Actor, may_use_reset_link};
use crate::auth::session::{self, new_token, token_id};
use crate::auth::throttle;
use crate::db::begin_write;
use crate::entities::{password_reset, user};
use crate::error::AppError;
use crate::mail::OutgoingMail;
use crate::server_context::ServerContext;

/// A user may ask for a new link once a minute; more is ignored
/// (silently: the answer must not differ).
const REQUEST_GAP_SECONDS: i64 = 60;

/// Creates a link for `u`, ends the older ones, logs it, and returns the
/// mail to send once the transaction has committed.
async fn issue(
    conn: &impl ConnectionTrait,
    ctx: &ServerContext,
    u: &user::Model,
    by: Option<&Actor>,
    ip: Option<String>,
) -> Result<OutgoingMail, AppError> {
    let now = Utc::now();
    password_reset::Entity::update_many()
        .col_expr(
            password_reset::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(password_reset::Column::UserId.eq(u.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    let token = new_token();
    password_reset::ActiveModel {
        user_id: Set(u.id),
        token_hash: Set(token_id(&token)),
        requested_by: Set(by.map(|a| a.user_id)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(VALID_MINUTES)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let action = if by.is_some() {
        ActivityAction::PasswordResetSent
    } else {
        ActivityAction::PasswordResetRequested
    };
    let mut entry = Entry::new(action, Subject::User(u.id))
        .detail(json!({ "email": u.email }))
        .from_ip(ip);
    entry = match by {
        Some(a) => entry.by(a.user_id, a.organisation_id),
        None => entry.by(u.id, u.organisation_id),
    };
    record(conn, entry).await?;
    let link = format!("{}/password-reset?token={token}", ctx.config.public_url);
    Ok(OutgoingMail {
        to_name: u.display_name.clone(),
        to: u.email.clone(),
        subject: "Reset your Caseport password".into(),
        text: format!(
            "Hello {},\n\nA link to choose a new Caseport password was requested for this address.\n\n\
             {link}\n\nThe link works once, for {VALID_MINUTES} minutes. Using it signs your account out \
             everywhere.\nIf you did not ask for it, ignore this message: your password stays as it is.\n",
            u.display_name
        ),
    })
}

/// Answers at once, the same for every address: the account lookup,
/// the link and the mail happen after the reply, so neither its content
/// nor its timing tells which addresses have an account.
pub async fn request(ctx: &ServerContext, email: &str, ip: Option<String>) -> Result<(), AppError> {
    let email = crate::auth::email::Email::parse(email)?.into_string();
    // The same per-address throttle as sign-in: a flood of requests
    // from one place waits.
    if let Some(ip) = &ip {
        let keys = [throttle::address_key(ip)];
        if throttle::blocked(&ctx.db, &keys, Utc::now()).await? {
            return Err(AppError::TooManyRequests);
        }
    }
    let ctx = ctx.clone();
    tokio::spawn(async move {
        if let Err(e) = issue_requested(&ctx, &email, ip).await {
            tracing::warn!(error = %e, "password-reset request failed");
        }
    });
    Ok(())
}

/// The part of a reset request that depends on the account, run after
/// the reply.
async fn issue_requested(
    ctx: &ServerContext,
    email: &str,
    ip: Option<String>,
) -> Result<(), AppError> {
    let txn = begin_write(&ctx.db).await?;
    let Some(u) = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .filter(user::Column::Active.eq(true))
        .one(&txn)
        .await?
    else {
        return Ok(());
    };
    let recent = password_reset::Entity::find()
        .filter(password_reset::Column::UserId.eq(u.id))
        .filter(
            password_reset::Column::CreatedAt
                .gt(Utc::now() - Duration::seconds(REQUEST_GAP_SECONDS)),
        )
        .one(&txn)
        .await?
        .is_some();
    // An invited case manager who never chose a password accepts the
    // invitation instead.
    if recent || u.password_hash.starts_with('!') {
        return Ok(());
    }
    let mail = issue(&txn, ctx, &u, None, ip).await?;
    crate::mail::outbox::enqueue(&txn, &mail).await?;
    txn.commit().await?;
    crate::mail::outbox::send_queued(ctx).await;
    Ok(())
}

pub async fn send_by_admin(
    ctx: &ServerContext,
    caller: &Caller,
    user_id: i32,
) -> Result<(), AppError> {
    let u = administered_account(&ctx.db, caller, user_id).await?;
    if u.password_hash.starts_with('!') {
        return Err(AppError::Conflict(
            "They have no password yet: send the portal invitation instead.".into(),
        ));
    }
    let txn = begin_write(&ctx.db).await?;
    let mail = issue(&txn, ctx, &u, Some(caller), caller.ip.clone()).await?;
    // Queued with the link and sent after the commit (see `mail::outbox`).
    crate::mail::outbox::enqueue(&txn, &mail).await?;
    txn.commit().await?;
    crate::mail::outbox::send_queued(ctx).await;
    Ok(())
}

async fn open(
    conn: &impl ConnectionTrait,
    token: &str,
) -> Result<(password_reset::Model, user::Model), AppError> {
    let invalid = || {
        AppError::Conflict(
            "This link is not valid: it was used already, replaced by a newer one, or it \
             expired. Ask for a new one."
                .into(),
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let r = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_id(token)))
        .one(conn)
        .await?
        .ok_or_else(invalid)?;
    if r.used_at.is_some() || r.expires_at <= Utc::now() {
        return Err(invalid());
    }
    let u = user::Entity::find_by_id(r.user_id)
        .one(conn)
        .await?
        .ok_or_else(invalid)?;
    // Links are voided when access changes; asked again here.
    let standing = if u.role == Role::ExternalCaseManager {
        Some(standing(conn, u.id, u.organisation_id).await?)
    } else {
        None
    };
    if !may_use_reset_link(u.active, standing) {
        return Err(invalid());
    }
    Ok((r, u))
}

pub async fn check(db: &DatabaseConnection, token: &str) -> Result<ResetView, AppError> {
    let (_, u) = open(db, token).await?;
    let rules = password_rules::load(db, u.organisation_id).await?;
    Ok(ResetView {
        email: u.email,
        password_min_length: rules.min_length,
        password_require_classes: rules.require_classes,
    })
}

pub async fn reset(
    db: &DatabaseConnection,
    token: &str,
    password: String,
    confirm: &str,
    ip: Option<String>,
) -> Result<(), AppError> {
    let (_, u) = open(db, token).await?;
    if password != confirm {
        return Err(AppError::invalid("confirm", "The two passwords differ."));
    }
    let rules = password_rules::load(db, u.organisation_id).await?;
    check_new_password(&password, &u.email, rules)
        .map_err(|e| AppError::invalid("password", e.field_messages("new").join(" ")))?;
    let hash = hash_password(SecretString::from(password)).await?;
    let txn = begin_write(db).await?;
    // Again inside the write transaction: one link, one use.
    let (r, u) = open(&txn, token).await?;
    let mut rm: password_reset::ActiveModel = r.into();
    rm.used_at = Set(Some(Utc::now()));
    rm.update(&txn).await?;
    let ended = session::destroy_all_for_user(&txn, u.id).await?;
    let mut um: user::ActiveModel = u.clone().into();
    um.password_hash = Set(hash);
    um.must_change_password = Set(false);
    um.update(&txn).await?;
    throttle::note_success(&txn, &u.email).await?;
    record(
        &txn,
        Entry::new(ActivityAction::PasswordReset, Subject::User(u.id))
            .by(u.id, u.organisation_id)
            .detail(json!({ "sessions_ended": ended }))
            .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
