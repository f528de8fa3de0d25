//! Managing an organisation's users and its time zone. Every change asks
//! the policy for the organisation, touches only that organisation, and
//! logs the values before and after.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use secrecy::SecretString;
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::admin::{OrgUser, TimeZoneSetting};
use crate::auth::Role;
use crate::auth::accounts::{self, NewAccount};
use crate::auth::caller::Caller;
use crate::auth::email::Email;
use crate::auth::password::hash_password;
use crate::auth::password_rules::check_new_password;
use crate::auth::policy::{Action, Actor, Resource, administers_own, can};
use crate::auth::session;
use crate::db::begin_write;
use crate::entities::{doctor, organisation, user};
use crate::error::AppError;
use crate::zone::Zone;

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
    email: Email,
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
        let email = Email::parse(&email)?;
        let role = match role {
            "doctor" => Role::Doctor,
            "staff" => Role::Staff,
            _ => return Err(AppError::invalid("role", "Choose doctor or staff.")),
        };
        let specialty = specialty.trim().chars().take(120).collect::<String>();
        check_new_password(&password, email.as_str(), rules).map_err(|e| {
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

pub async fn add_user(
    db: &DatabaseConnection,
    caller: &Caller,
    m: NewMember,
) -> Result<OrgUser, AppError> {
    can(
        caller,
        Action::Administer,
        &Resource::Members {
            organisation_id: caller.organisation_id,
        },
    )?;
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
    let created = accounts::create(
        &txn,
        NewAccount {
            organisation_id: caller.organisation_id,
            email: m.email,
            display_name: m.name,
            role: m.role,
            password_hash: Some(hash),
            must_change_password: true,
        },
    )
    .await?;
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
        Entry::new(ActivityAction::UserCreated, Subject::User(created.id))
            .by_caller(caller)
            .detail(json!({ "after": { "email": created.email, "role": created.role.label(), "active": true } })),
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
    caller: &Caller,
    user_id: i32,
    active: bool,
) -> Result<OrgUser, AppError> {
    crate::auth::policy::administers_own(caller)?;
    if user_id == caller.user_id && !active {
        return Err(AppError::Conflict(
            "You cannot deactivate your own account.".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let u = member(&txn, caller, user_id).await?;
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
        Entry::new(action, Subject::User(user_id))
            .by_caller(caller)
            .detail(json!({ "before": { "active": u.active }, "after": { "active": active } })),
    )
    .await?;
    txn.commit().await?;
    Ok(dto(updated))
}

pub async fn set_case_manager(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
    grant: bool,
) -> Result<OrgUser, AppError> {
    can(
        caller,
        Action::Administer,
        &Resource::Members {
            organisation_id: caller.organisation_id,
        },
    )?;
    let txn = begin_write(db).await?;
    let u = member(&txn, caller, user_id).await?;
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
        Entry::new(ActivityAction::UserRoleChanged, Subject::User(user_id))
            .by_caller(caller)
            .detail(
                json!({ "before": { "role": u.role.label() }, "after": { "role": to.label() } }),
            ),
    )
    .await?;
    txn.commit().await?;
    Ok(dto(updated))
}

fn zone_setting(org: &organisation::Model) -> TimeZoneSetting {
    let mut choices: Vec<String> = Zone::choices().into_iter().map(String::from).collect();
    // An old alias set from the command line ("US/Eastern") stays on the
    // list, so saving the form unchanged cannot move the organisation.
    if !choices.contains(&org.time_zone) {
        choices.push(org.time_zone.clone());
        choices.sort_unstable();
    }
    TimeZoneSetting {
        time_zone: org.time_zone.clone(),
        statement: org.zone().statement(chrono::Utc::now()),
        choices,
    }
}

pub(crate) async fn own_organisation(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
) -> Result<organisation::Model, AppError> {
    administers_own(actor)?;
    organisation::Entity::find_by_id(actor.organisation_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn time_zone(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<TimeZoneSetting, AppError> {
    Ok(zone_setting(&own_organisation(db, actor).await?))
}

/// Moves the organisation to another zone. Stored instants stay what they
/// are (a visit keeps its moment and shows on the new clock); automated
/// reports move to the run hour of the new clock.
pub async fn set_time_zone(
    db: &DatabaseConnection,
    caller: &Caller,
    name: &str,
) -> Result<TimeZoneSetting, AppError> {
    let zone = Zone::parse(name)?;
    let txn = begin_write(db).await?;
    let org = own_organisation(&txn, caller).await?;
    if org.time_zone == zone.name() {
        return Ok(zone_setting(&org));
    }
    let before = org.time_zone.clone();
    let mut row: organisation::ActiveModel = org.into();
    row.time_zone = Set(zone.name().to_string());
    let org = row.update(&txn).await?;
    let moved =
        crate::reports::schedule::follow_zone(&txn, org.id, zone, chrono::Utc::now()).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::SettingsChanged,
            Subject::Organisation(org.id),
        )
        .by_caller(caller)
        .detail(
            json!({ "section": "time zone", "before": { "time_zone": before },
                "after": { "time_zone": org.time_zone }, "schedules_moved": moved }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(zone_setting(&org))
}
