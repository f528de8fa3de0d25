use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use secrecy::SecretString;
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::AccessStatus;
use crate::agency::case_managers::{
    AccessChangeRow, AssignedClientRow, CaseManagerInput, CaseManagerProfile, CaseManagerRow,
    InvitationState, InvitationView,
};
use crate::auth::Role;
use crate::auth::accounts::{self, NewAccount};
use crate::auth::caller::Caller;
use crate::auth::email::Email;
use crate::auth::password::hash_password;
use crate::auth::password_rules;
use crate::auth::password_rules::check_new_password;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::auth::session;
use crate::auth::session::{new_token, token_id};
use crate::db::{begin_write, contains_pattern};
use crate::entities::{
    access_change, case_manager_profile, client, client_assignment, invitation, organisation,
    portal_setting, user,
};
use crate::error::AppError;
use crate::mail::OutgoingMail;
use crate::server_context::ServerContext;

/// The policy's answer for the actor's own agency directory (also the
/// gate for its document categories).
pub(crate) fn directory(actor: &Actor, action: Action) -> Result<(), AppError> {
    can(
        actor,
        action,
        &Resource::CaseManagers {
            organisation_id: actor.organisation_id,
        },
    )
    .map(|_| ())
}

fn row(u: &user::Model, p: &case_manager_profile::Model) -> CaseManagerRow {
    CaseManagerRow {
        id: u.id,
        name: u.display_name.clone(),
        email: u.email.clone(),
        employer: p.employer.clone().unwrap_or_default(),
        access: p.access_status,
        has_account: p.accepted_at.is_some(),
    }
}

/// A case manager of the actor's agency, or `NotFound`.
async fn find_own(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: i32,
) -> Result<(user::Model, case_manager_profile::Model), AppError> {
    let found = user::Entity::find_by_id(id)
        .filter(user::Column::OrganisationId.eq(actor.organisation_id))
        .filter(user::Column::Role.eq(Role::ExternalCaseManager))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let profile = case_manager_profile::Entity::find_by_id(found.id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((found, profile))
}

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    query: &str,
) -> Result<Vec<CaseManagerRow>, AppError> {
    directory(actor, Action::View)?;
    let query = query.trim();
    if query.chars().count() > 200 {
        return Err(AppError::invalid(
            "query",
            "Search for at most 200 characters.",
        ));
    }
    let mut find = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(actor.organisation_id))
        .filter(user::Column::Role.eq(Role::ExternalCaseManager))
        .find_also_related(case_manager_profile::Entity)
        .order_by_asc(user::Column::DisplayName);
    if !query.is_empty() {
        use crate::db::lower_like;
        let pattern = contains_pattern(query);
        find = find.filter(
            Condition::any()
                .add(lower_like(
                    (user::Entity, user::Column::DisplayName),
                    pattern.clone(),
                ))
                .add(lower_like(
                    (user::Entity, user::Column::Email),
                    pattern.clone(),
                ))
                .add(lower_like(
                    (
                        case_manager_profile::Entity,
                        case_manager_profile::Column::Employer,
                    ),
                    pattern,
                )),
        );
    }
    Ok(find
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(u, p)| p.map(|p| row(&u, &p)))
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn profile(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
) -> Result<CaseManagerProfile, AppError> {
    directory(actor, Action::View)?;
    let (u, p) = find_own(db, actor, id).await?;
    let changes = access_change::Entity::find()
        .filter(access_change::Column::CaseManagerUserId.eq(u.id))
        .order_by_desc(access_change::Column::ChangedAt)
        .order_by_desc(access_change::Column::Id)
        .all(db)
        .await?;
    let mut history = Vec::new();
    for c in changes {
        let by = user::Entity::find_by_id(c.changed_by)
            .one(db)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default();
        history.push(AccessChangeRow {
            from: c.from_status,
            to: c.to_status,
            reason: c.reason.unwrap_or_default(),
            by,
            at: actor.zone.show(c.changed_at),
        });
    }
    let now = Utc::now();
    let invitation = invitation::Entity::find()
        .filter(invitation::Column::CaseManagerUserId.eq(u.id))
        .order_by_desc(invitation::Column::Id)
        .one(db)
        .await?
        .map(|i| InvitationState {
            sent_at: actor.zone.show(i.created_at),
            expires_at: actor.zone.show(i.expires_at),
            state: if i.used_at.is_some() {
                "Accepted"
            } else if i.voided_at.is_some() {
                "Replaced"
            } else if i.expires_at <= now {
                "Expired"
            } else {
                "Waiting for acceptance"
            }
            .to_string(),
        });
    let clients = client_assignment::Entity::find()
        .filter(client_assignment::Column::CaseManagerUserId.eq(u.id))
        .find_also_related(client::Entity)
        .order_by_asc(client::Column::FullName)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(a, c)| {
            let c = c?;
            Some(AssignedClientRow {
                client_id: c.id,
                client_name: c.full_name,
                relationship: a.relationship,
                archived: c.archived_at.is_some(),
            })
        })
        .collect();
    Ok(CaseManagerProfile {
        row: row(&u, &p),
        details: CaseManagerInput {
            name: u.display_name.clone(),
            email: u.email.clone(),
            phone: p.phone.clone().unwrap_or_default(),
            employer: p.employer.clone().unwrap_or_default(),
            notes: p.notes.clone().unwrap_or_default(),
        },
        access_reason: p.access_reason.clone().unwrap_or_default(),
        history,
        invitation,
        clients,
    })
}

/// A validated profile.
struct Valid {
    name: String,
    email: Email,
    phone: Option<String>,
    employer: Option<String>,
    notes: Option<String>,
}

fn validate(input: CaseManagerInput) -> Result<Valid, AppError> {
    let mut errors = std::collections::BTreeMap::<String, Vec<String>>::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors
            .entry("name".into())
            .or_default()
            .push("Enter a name of at most 200 characters.".into());
    }
    let email = Email::parse(&input.email);
    if let Err(e) = &email {
        errors
            .entry("email".into())
            .or_default()
            .push(e.to_string());
    }
    let phone = input.phone.trim().to_string();
    if phone.chars().count() > 40
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        errors
            .entry("phone".into())
            .or_default()
            .push("Enter a phone number (digits, spaces, + - ( ) only).".into());
    }
    let employer = input.employer.trim().to_string();
    if employer.chars().count() > 200 {
        errors
            .entry("employer".into())
            .or_default()
            .push("Use at most 200 characters.".into());
    }
    let notes = input.notes.trim().to_string();
    if notes.chars().count() > 4000 {
        errors
            .entry("notes".into())
            .or_default()
            .push("Use at most 4000 characters.".into());
    }
    let (Ok(email), true) = (email, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let some = |s: String| (!s.is_empty()).then_some(s);
    Ok(Valid {
        name,
        email,
        phone: some(phone),
        employer: some(employer),
        notes: some(notes),
    })
}

/// The e-mail must be free: within the agency, and (one sign-in name per
/// person) across Caseport.
async fn email_taken(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    email: &str,
    except: Option<i32>,
) -> Result<(), AppError> {
    let mut find = user::Entity::find().filter(user::Column::Email.eq(email));
    if let Some(id) = except {
        find = find.filter(user::Column::Id.ne(id));
    }
    match find.one(conn).await? {
        None => Ok(()),
        Some(u) if u.organisation_id == actor.organisation_id => Err(AppError::invalid(
            "email",
            "Someone in your agency already uses this e-mail address.",
        )),
        Some(_) => Err(AppError::invalid(
            "email",
            "This e-mail address already signs in to Caseport. Use another address for this case manager.",
        )),
    }
}

#[tracing::instrument(skip_all)]
pub async fn add(
    db: &DatabaseConnection,
    caller: &Caller,
    input: CaseManagerInput,
) -> Result<i32, AppError> {
    directory(caller, Action::Modify)?;
    let v = validate(input)?;
    let txn = begin_write(db).await?;
    email_taken(&txn, caller, v.email.as_str(), None).await?;
    let created = accounts::create(
        &txn,
        NewAccount {
            organisation_id: caller.organisation_id,
            email: v.email.clone(),
            display_name: v.name.clone(),
            role: Role::ExternalCaseManager,
            password_hash: None,
            must_change_password: false,
        },
    )
    .await?;
    case_manager_profile::ActiveModel {
        user_id: Set(created.id),
        phone: Set(v.phone.clone()),
        employer: Set(v.employer.clone()),
        notes: Set(v.notes),
        access_status: Set(AccessStatus::Active),
        access_reason: Set(None),
        invited_at: Set(None),
        accepted_at: Set(None),
        terms_version_accepted: Set(None),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::CaseManagerAdded,
            Subject::CaseManager(created.id),
        )
        .by_caller(caller)
        .detail(json!({ "name": v.name, "email": v.email.as_str(), "employer": v.employer })),
    )
    .await?;
    txn.commit().await?;
    Ok(created.id)
}

#[tracing::instrument(skip_all)]
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    input: CaseManagerInput,
) -> Result<(), AppError> {
    directory(caller, Action::Modify)?;
    let v = validate(input)?;
    let txn = begin_write(db).await?;
    let (u, p) = find_own(&txn, caller, id).await?;
    email_taken(&txn, caller, v.email.as_str(), Some(u.id)).await?;
    let before = json!({ "name": u.display_name, "email": u.email, "phone": p.phone,
                         "employer": p.employer });
    let after = json!({ "name": v.name, "email": v.email.as_str(), "phone": v.phone,
                        "employer": v.employer });
    let email_changed = v.email.as_str() != u.email;
    let mut um: user::ActiveModel = u.into();
    um.display_name = Set(v.name);
    um.email = Set(v.email.into_string());
    um.update(&txn).await?;
    let mut pm: case_manager_profile::ActiveModel = p.into();
    pm.phone = Set(v.phone);
    pm.employer = Set(v.employer);
    pm.notes = Set(v.notes);
    pm.update(&txn).await?;
    if email_changed {
        // An open invitation went to the old address: it must not work.
        void_open_invitations(&txn, id).await?;
    }
    record(
        &txn,
        Entry::new(ActivityAction::CaseManagerUpdated, Subject::CaseManager(id))
            .by_caller(caller)
            .detail(json!({ "before": before, "after": after })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn void_open_invitations(conn: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    invitation::Entity::update_many()
        .col_expr(
            invitation::Column::VoidedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(invitation::Column::CaseManagerUserId.eq(user_id))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::VoidedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

fn invitation_text(
    name: &str,
    settings: &portal_setting::Model,
    message: &str,
    link: &str,
    expires: &str,
) -> String {
    let mut text = format!(
        "Hello {name},\n\n{brand} invites you to its Case Manager Portal, where you can see \
         the schedules, notes and documents of the clients you manage.\n\n",
        brand = settings.brand_name
    );
    if !message.is_empty() {
        text.push_str(message);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "To create your account, open this link and choose a password:\n\n{link}\n\n\
         The link works once and expires on {expires}.\n"
    ));
    text.push_str(&format!(
        "Your password needs at least {} characters{}; common passwords are refused.\n",
        settings.password_min_length,
        if settings.password_require_classes {
            ", upper- and lower-case letters and a digit"
        } else {
            ""
        }
    ));
    if !settings.contact_details.is_empty() {
        text.push_str(&format!(
            "\nQuestions? Contact {}:\n{}\n",
            settings.brand_name, settings.contact_details
        ));
    }
    text.push_str("\nIf you did not expect this invitation, you can ignore this e-mail.\n");
    text
}

#[tracing::instrument(skip_all)]
pub async fn invite(
    ctx: &ServerContext,
    caller: &Caller,
    id: i32,
    message: &str,
) -> Result<(), AppError> {
    directory(caller, Action::Modify)?;
    let message = message.trim();
    if message.chars().count() > 2000 {
        return Err(AppError::invalid("message", "Use at most 2000 characters."));
    }
    let db = &ctx.db;
    let txn = begin_write(db).await?;
    let (u, p) = find_own(&txn, caller, id).await?;
    if p.access_status == AccessStatus::Suspended {
        return Err(AppError::Conflict(
            "Access is suspended. Re-activate it instead of sending an invitation.".into(),
        ));
    }
    let org = organisation::Entity::find_by_id(caller.organisation_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = portal_setting::Entity::find_by_id(org.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !settings.portal_enabled {
        return Err(AppError::Conflict(
            "The Case Manager Portal is turned off. Turn it on in Settings first.".into(),
        ));
    }
    void_open_invitations(&txn, u.id).await?;
    let token = new_token();
    let now = Utc::now();
    let expires = now + Duration::days(i64::from(settings.invitation_valid_days));
    invitation::ActiveModel {
        case_manager_user_id: Set(u.id),
        token_hash: Set(token_id(&token)),
        message: Set((!message.is_empty()).then(|| message.to_string())),
        created_by: Set(caller.user_id),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(None),
        voided_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut pm: case_manager_profile::ActiveModel = p.into();
    pm.invited_at = Set(Some(now));
    pm.update(&txn).await?;
    record(
        &txn,
        Entry::new(ActivityAction::InvitationSent, Subject::CaseManager(u.id))
            .by_caller(caller)
            .detail(json!({ "email": u.email, "expires_at": expires.to_rfc3339() })),
    )
    .await?;
    let link = format!(
        "{}/portal/{}/invitation?token={token}",
        ctx.config.public_url, org.slug
    );
    let mail = OutgoingMail {
        to_name: u.display_name.clone(),
        to: u.email.clone(),
        subject: format!(
            "{} invites you to its Case Manager Portal",
            settings.brand_name
        ),
        text: invitation_text(
            &u.display_name,
            &settings,
            message,
            &link,
            &org.zone().show(expires),
        ),
    };
    // Queued with the invitation, sent after the commit: the write lock is
    // never held while a mail server answers, and a mail server that is
    // down delays the mail (retried) instead of losing it.
    crate::mail::outbox::enqueue(&txn, &mail).await?;
    txn.commit().await?;
    crate::mail::outbox::send_queued(ctx).await;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn set_access(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    to: AccessStatus,
    reason: &str,
) -> Result<(), AppError> {
    directory(caller, Action::Modify)?;
    let reason = reason.trim();
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "Use at most 500 characters."));
    }
    let txn = begin_write(db).await?;
    let (u, p) = find_own(&txn, caller, id).await?;
    let from = p.access_status;
    if from == AccessStatus::Revoked {
        return Err(AppError::Conflict(
            "Access was revoked for good. Send a new invitation to let this person back in.".into(),
        ));
    }
    if from == to {
        return Err(AppError::Conflict(format!(
            "Access is {} already.",
            to.label()
        )));
    }
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    let mut pm: case_manager_profile::ActiveModel = p.into();
    pm.access_status = Set(to);
    pm.access_reason = Set(reason.clone());
    pm.update(&txn).await?;
    // Shut out: no reset link or invitation sent before lets them back in.
    if to != AccessStatus::Active {
        crate::auth::links::void_pending(&txn, u.id).await?;
    }
    access_change::ActiveModel {
        case_manager_user_id: Set(u.id),
        from_status: Set(from),
        to_status: Set(to),
        reason: Set(reason.clone()),
        changed_by: Set(caller.user_id),
        changed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ended = session::destroy_all_for_user(&txn, u.id).await?;
    record(
        &txn,
        Entry::new(ActivityAction::AccessChanged, Subject::CaseManager(u.id))
            .by_caller(caller)
            .detail(
                json!({ "before": from.key(), "after": to.key(), "reason": reason,
                            "sessions_ended": ended }),
            ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An invitation that can still be accepted, with its case manager and
/// agency.
async fn open_invitation(
    conn: &impl ConnectionTrait,
    token: &str,
) -> Result<
    (
        invitation::Model,
        user::Model,
        case_manager_profile::Model,
        organisation::Model,
        portal_setting::Model,
    ),
    AppError,
> {
    let not_valid = || {
        AppError::Conflict(
            "This invitation link is not valid. Ask the agency to send a new one.".into(),
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_valid());
    }
    let inv = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_id(token)))
        .one(conn)
        .await?
        .ok_or_else(not_valid)?;
    let refused = if inv.used_at.is_some() {
        Some("This invitation has been used already. Sign in with the password you chose.")
    } else if inv.voided_at.is_some() {
        Some("A newer invitation replaced this one. Use the link in the latest e-mail.")
    } else if inv.expires_at <= Utc::now() {
        Some("This invitation has expired. Ask the agency to send a new one.")
    } else {
        None
    };
    if let Some(why) = refused {
        return Err(AppError::Conflict(why.into()));
    }
    // Invitees are created active: an inactive account was shut out by an
    // admin, and an invitation never undoes that.
    let u = user::Entity::find_by_id(inv.case_manager_user_id)
        .one(conn)
        .await?
        .filter(|u| u.active)
        .ok_or_else(not_valid)?;
    let p = case_manager_profile::Entity::find_by_id(u.id)
        .one(conn)
        .await?
        .ok_or_else(not_valid)?;
    let org = organisation::Entity::find_by_id(u.organisation_id)
        .one(conn)
        .await?
        .ok_or_else(not_valid)?;
    let settings = portal_setting::Entity::find_by_id(org.id)
        .one(conn)
        .await?
        .ok_or_else(not_valid)?;
    if !settings.portal_enabled {
        return Err(AppError::Conflict(format!(
            "The Case Manager Portal of {} is turned off at the moment.",
            settings.brand_name
        )));
    }
    if p.access_status == AccessStatus::Suspended {
        return Err(AppError::Conflict(
            "Your portal access is suspended. Contact the agency.".into(),
        ));
    }
    Ok((inv, u, p, org, settings))
}

pub async fn invitation(db: &DatabaseConnection, token: &str) -> Result<InvitationView, AppError> {
    let (_, u, _, _, settings) = open_invitation(db, token).await?;
    Ok(InvitationView {
        name: u.display_name,
        email: u.email,
        agency: settings.brand_name,
        password_min_length: settings.password_min_length,
        password_require_classes: settings.password_require_classes,
    })
}

#[tracing::instrument(skip_all)]
pub async fn accept(
    db: &DatabaseConnection,
    token: &str,
    password: String,
    confirm: &str,
    ip: Option<String>,
) -> Result<String, AppError> {
    let (_, u, _, _, _) = open_invitation(db, token).await?;
    if password != confirm {
        return Err(AppError::invalid("confirm", "The two passwords differ."));
    }
    let rules = password_rules::load(db, u.organisation_id).await?;
    check_new_password(&password, &u.email, rules)
        .map_err(|e| AppError::invalid("password", e.field_messages("new").join(" ")))?;
    let hash = hash_password(SecretString::from(password)).await?;
    let txn = begin_write(db).await?;
    // Checked again inside the write transaction: two clicks on one link
    // cannot both succeed.
    let (inv, u, p, org, _) = open_invitation(&txn, token).await?;
    let now = Utc::now();
    let mut im: invitation::ActiveModel = inv.into();
    im.used_at = Set(Some(now));
    im.update(&txn).await?;
    let from = p.access_status;
    let mut pm: case_manager_profile::ActiveModel = p.into();
    pm.accepted_at = Set(Some(now));
    pm.access_status = Set(AccessStatus::Active);
    pm.access_reason = Set(None);
    pm.update(&txn).await?;
    if from != AccessStatus::Active {
        access_change::ActiveModel {
            case_manager_user_id: Set(u.id),
            from_status: Set(from),
            to_status: Set(AccessStatus::Active),
            reason: Set(Some("Accepted a new invitation".into())),
            changed_by: Set(u.id),
            changed_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    session::destroy_all_for_user(&txn, u.id).await?;
    let mut um: user::ActiveModel = u.clone().into();
    um.password_hash = Set(hash);
    um.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::InvitationAccepted,
            Subject::CaseManager(u.id),
        )
        .by(u.id, org.id)
        .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(org.slug)
}
