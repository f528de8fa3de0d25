//! Managing an organisation's users. Every change asks the policy for the
//! organisation, touches only users of that organisation, and logs the
//! values before and after.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use secrecy::SecretString;
use serde_json::json;

use crate::activity::ActivityAction;
use crate::activity::service::{Entry, record};
use crate::admin::api::OrgUser;
use crate::auth::Role;
use crate::auth::password::hash_password;
use crate::auth::password_rules::check_new_password;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::auth::session;
use crate::db::begin_write;
use crate::entities::{doctor, organisation, user};
use crate::error::AppError;
use crate::orgs::OrgKind;

fn dto(u: user::Model) -> OrgUser {
    OrgUser {
        id: u.id,
        display_name: u.display_name,
        email: u.email,
        role: u.role,
        active: u.active,
    }
}

#[tracing::instrument(skip_all)]
pub async fn list_users(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<OrgUser>, AppError> {
    can(
        actor,
        Action::Administer,
        &Resource::Organisation {
            id: actor.organisation_id,
        },
    )?;
    Ok(user::Entity::find()
        .filter(user::Column::OrganisationId.eq(actor.organisation_id))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(dto)
        .collect())
}

/// A validated new member of a practice.
pub struct NewMember {
    name: String,
    email: String,
    role: Role,
    specialty: String,
    password: String,
}

impl NewMember {
    pub fn parse(
        name: String,
        email: String,
        role: &str,
        specialty: String,
        password: String,
        rules: crate::auth::password_rules::PasswordRules,
    ) -> Result<Self, AppError> {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::invalid(
                "name",
                "Enter a name of at most 200 characters.",
            ));
        }
        let email = email.trim().to_lowercase();
        let valid_email = email.len() <= 254
            && email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'))
            && !email.contains(char::is_whitespace);
        if !valid_email {
            return Err(AppError::invalid("email", "Enter a valid e-mail address."));
        }
        let role = match role {
            "doctor" => Role::Doctor,
            "staff" => Role::Staff,
            _ => return Err(AppError::invalid("role", "Choose doctor or staff.")),
        };
        let specialty = specialty.trim().chars().take(120).collect::<String>();
        check_new_password(&password, &email, rules).map_err(|e| {
            AppError::invalid("initial_password", e.field_messages("new").join(" "))
        })?;
        Ok(NewMember {
            name,
            email,
            role,
            specialty,
            password,
        })
    }
}

async fn own_practice(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<organisation::Model, AppError> {
    can(
        actor,
        Action::Administer,
        &Resource::Organisation {
            id: actor.organisation_id,
        },
    )?;
    let org = organisation::Entity::find_by_id(actor.organisation_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(org)
}

pub async fn add_user(
    db: &DatabaseConnection,
    actor: &Actor,
    m: NewMember,
    ip: Option<String>,
) -> Result<OrgUser, AppError> {
    let org = own_practice(db, actor).await?;
    if org.kind != OrgKind::Practice {
        return Err(AppError::Forbidden);
    }
    if user::Entity::find()
        .filter(user::Column::Email.eq(m.email.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::invalid(
            "email",
            "Someone already uses this e-mail address.",
        ));
    }
    let hash = hash_password(SecretString::from(m.password)).await?;
    let txn = begin_write(db).await?;
    let created = user::ActiveModel {
        organisation_id: Set(org.id),
        email: Set(m.email),
        display_name: Set(m.name),
        password_hash: Set(hash),
        role: Set(m.role),
        active: Set(true),
        must_change_password: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::invalid("email", "Someone already uses this e-mail address.")
        }
        _ => e.into(),
    })?;
    if m.role == Role::Doctor {
        let specialty = if m.specialty.is_empty() {
            "General practice".to_string()
        } else {
            m.specialty
        };
        doctor::ActiveModel {
            user_id: Set(created.id),
            specialty: Set(specialty),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    record(
        &txn,
        Entry::new(ActivityAction::UserCreated, "user", Some(created.id))
            .by(actor.user_id, actor.organisation_id)
            .detail(json!({ "after": { "email": created.email, "role": created.role.label(), "active": true } }))
            .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(dto(created))
}

/// A user of the actor's own organisation, or `NotFound`.
async fn member(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    user_id: i32,
) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(user_id)
        .filter(user::Column::OrganisationId.eq(actor.organisation_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn set_active(
    db: &DatabaseConnection,
    actor: &Actor,
    user_id: i32,
    active: bool,
    ip: Option<String>,
) -> Result<OrgUser, AppError> {
    own_practice(db, actor).await?;
    if user_id == actor.user_id && !active {
        return Err(AppError::Conflict(
            "You cannot deactivate your own account.".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let u = member(&txn, actor, user_id).await?;
    if u.active == active {
        return Ok(dto(u));
    }
    let mut am: user::ActiveModel = u.clone().into();
    am.active = Set(active);
    let updated = am.update(&txn).await?;
    if !active {
        session::destroy_all_for_user(&txn, user_id).await?;
        crate::auth::links::void_pending(&txn, user_id).await?;
    }
    let action = if active {
        ActivityAction::UserReactivated
    } else {
        ActivityAction::UserDeactivated
    };
    record(
        &txn,
        Entry::new(action, "user", Some(user_id))
            .by(actor.user_id, actor.organisation_id)
            .detail(json!({ "before": { "active": u.active }, "after": { "active": active } }))
            .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(dto(updated))
}

pub async fn set_case_manager(
    db: &DatabaseConnection,
    actor: &Actor,
    user_id: i32,
    grant: bool,
    ip: Option<String>,
) -> Result<OrgUser, AppError> {
    let org = own_practice(db, actor).await?;
    if org.kind != OrgKind::Practice {
        return Err(AppError::Forbidden);
    }
    let txn = begin_write(db).await?;
    let u = member(&txn, actor, user_id).await?;
    let to = match (u.role, grant) {
        (Role::Staff, true) => Role::PracticeCaseManager,
        (Role::PracticeCaseManager, false) => Role::Staff,
        (Role::PracticeCaseManager, true) | (Role::Staff, false) => return Ok(dto(u)),
        _ => {
            return Err(AppError::Conflict(
                "Only staff members can hold the Case Manager role.".into(),
            ));
        }
    };
    let mut am: user::ActiveModel = u.clone().into();
    am.role = Set(to);
    let updated = am.update(&txn).await?;
    record(
        &txn,
        Entry::new(ActivityAction::UserRoleChanged, "user", Some(user_id))
            .by(actor.user_id, actor.organisation_id)
            .detail(
                json!({ "before": { "role": u.role.label() }, "after": { "role": to.label() } }),
            )
            .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(dto(updated))
}
