//! Password reset by e-mailed link: asked for by the user ("Forgot your
//! password?") or sent by an admin (the portal's troubleshooting). The
//! token is random, kept only as its SHA-256, single use, and expires after
//! an hour; using it ends every session of the account.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// How long a link works.
pub const VALID_MINUTES: i64 = 60;

/// What the "choose a new password" page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetView {
    pub email: String,
    pub password_min_length: usize,
    pub password_require_classes: bool,
}

/// Anyone: asks for a link. The answer is the same whether or not the
/// address has an account, and the mail goes out after the answer, so
/// neither the reply nor its timing tells who has one.
#[server(endpoint = "auth/reset/request")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        service::request(&ctx, &email, sc::client_ip()).await
    })
    .await
}

/// Admins: send a reset link to one of their organisation's users or
/// case managers.
#[server(endpoint = "auth/reset/send", input = leptos::server_fn::codec::Json)]
pub async fn send_password_reset(user_id: i32) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::send_by_admin(&ctx, &user.actor(), user_id, sc::client_ip()).await
    })
    .await
}

#[server(endpoint = "auth/reset/check", input = leptos::server_fn::codec::GetUrl)]
pub async fn check_password_reset(token: String) -> Result<ResetView, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        service::check(&ctx.db, &token).await
    })
    .await
}

#[server(endpoint = "auth/reset")]
pub async fn reset_password(
    token: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        service::reset(&ctx.db, &token, password, &confirm, sc::client_ip()).await
    })
    .await
}

/// `/password-reset`: ask for a link; with `?token=…`, choose the new
/// password.
#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    view! {
        {move || if token().is_empty() {
            view! { <RequestForm /> }.into_any()
        } else {
            view! { <NewPasswordForm token=token() /> }.into_any()
        }}
    }
}

#[component]
fn RequestForm() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    view! {
        <h1>"Reset your password"</h1>
        {move || match request.value().get() {
            Some(Ok(())) => Some(view! {
                <p role="status">"If that address has an account, we have sent it a link. It works for an hour."</p>
            }.into_any()),
            Some(Err(e)) => Some(view! { <p role="alert">{e.to_string()}</p> }.into_any()),
            None => None,
        }}
        <ActionForm action=request attr:aria-label="Ask for a reset link">
            <label for="reset-email">"E-mail"</label>
            <input id="reset-email" type="email" name="email" autocomplete="username" required />
            <button type="submit">"Send me a link"</button>
        </ActionForm>
    }
}

#[component]
fn NewPasswordForm(token: String) -> impl IntoView {
    let info = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        check_password_reset,
    );
    let reset = ServerAction::<ResetPassword>::new();
    let field = move |f: &'static str| {
        move || match reset.value().get() {
            Some(Err(e)) => e.field_messages(f).join(" "),
            _ => String::new(),
        }
    };
    view! {
        <h1>"Choose a new password"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    if let Some(Ok(())) = reset.value().get() {
                        return view! {
                            <p role="status">"Your password is changed, and every session of your account has ended. Sign in with the new password."</p>
                            <a href="/login">"Go to sign-in"</a>
                        }.into_any();
                    }
                    match info.await {
                        Ok(i) => view! {
                            <p>{format!("For {}. At least {} characters{}; common passwords are refused.", i.email, i.password_min_length,
                                if i.password_require_classes { ", with upper- and lower-case letters and a digit" } else { "" })}</p>
                            {move || match reset.value().get() {
                                Some(Err(e)) if !matches!(e, AppError::Validation(_)) => Some(view! { <p role="alert">{e.to_string()}</p> }),
                                _ => None,
                            }}
                            <ActionForm action=reset attr:aria-label="Choose a new password">
                                <input type="hidden" name="token" value=token.clone() />
                                <label for="reset-password">"New password"</label>
                                <input id="reset-password" type="password" name="password" autocomplete="new-password" required />
                                <span class="field-error">{field("password")}</span>
                                <label for="reset-confirm">"Repeat the new password"</label>
                                <input id="reset-confirm" type="password" name="confirm" autocomplete="new-password" required />
                                <span class="field-error">{field("confirm")}</span>
                                <button type="submit">"Change password"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// An admin's button: e-mail someone a reset link.
#[component]
pub fn SendResetLink(user_id: i32, name: String) -> impl IntoView {
    let send = ServerAction::<SendPasswordReset>::new();
    view! {
        <button type="button" disabled=move || send.pending().get()
            on:click=move |_| { send.dispatch(SendPasswordReset { user_id }); }>
            {format!("Send {name} a password-reset link")}
        </button>
        {move || match send.value().get() {
            Some(Ok(())) => Some(view! { <p role="status">"Password-reset link sent."</p> }.into_any()),
            Some(Err(e)) => Some(view! { <p role="alert">{e.to_string()}</p> }.into_any()),
            None => None,
        }}
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    use chrono::{Duration, Utc};
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
        QueryFilter, Set,
    };
    use secrecy::SecretString;
    use serde_json::json;

    use super::{ResetView, VALID_MINUTES};
    use crate::activity::ActivityAction;
    use crate::activity::service::{Entry, record};
    use crate::agency::settings::service::password_rules;
    use crate::auth::Role;
    use crate::auth::password::hash_password;
    use crate::auth::password_rules::check_new_password;
    use crate::auth::policy::{Action, Actor, Resource, can};
    use crate::auth::session::{self, new_token, token_id};
    use crate::auth::throttle;
    use crate::db::begin_write;
    use crate::entities::{case_manager_profile, password_reset, user};
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
        let mut entry = Entry::new(action, "user", Some(u.id))
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
    pub async fn request(
        ctx: &ServerContext,
        email: &str,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        let email = email.trim().to_lowercase();
        if email.is_empty() || email.len() > 254 || !email.contains('@') {
            return Err(AppError::invalid("email", "Enter your e-mail address."));
        }
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
        actor: &Actor,
        user_id: i32,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        let u = user::Entity::find_by_id(user_id)
            .one(&ctx.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let resource = if u.role == Role::ExternalCaseManager {
            Resource::CaseManagers {
                organisation_id: u.organisation_id,
            }
        } else {
            Resource::Organisation {
                id: u.organisation_id,
            }
        };
        can(actor, Action::Administer, &resource)?;
        if u.password_hash.starts_with('!') {
            return Err(AppError::Conflict(
                "They have no password yet: send the portal invitation instead.".into(),
            ));
        }
        let txn = begin_write(&ctx.db).await?;
        let mail = issue(&txn, ctx, &u, Some(actor), ip).await?;
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
            .filter(|u| u.active)
            .ok_or_else(invalid)?;
        // A case manager the agency suspended or revoked cannot use a link
        // either (voided when access changed; checked again here).
        if u.role == Role::ExternalCaseManager {
            let shut_out = case_manager_profile::Entity::find_by_id(u.id)
                .one(conn)
                .await?
                .is_some_and(|p| p.access_status != crate::agency::AccessStatus::Active);
            if shut_out {
                return Err(invalid());
            }
        }
        Ok((r, u))
    }

    pub async fn check(db: &DatabaseConnection, token: &str) -> Result<ResetView, AppError> {
        let (_, u) = open(db, token).await?;
        let rules = password_rules(db, u.organisation_id).await?;
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
        let rules = password_rules(db, u.organisation_id).await?;
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
            Entry::new(ActivityAction::PasswordReset, "user", Some(u.id))
                .by(u.id, u.organisation_id)
                .detail(json!({ "sessions_ended": ended }))
                .from_ip(ip),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
