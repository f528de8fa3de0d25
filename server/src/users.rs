//! Creating users from the command line and the seed.

use chrono::Utc;
use clap::Args;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use secrecy::SecretString;
use serde_json::json;

use app::activity::service::{Entry, record};
use app::activity::{ActivityAction, Subject};
use app::auth::Role;
use app::auth::accounts::{self, NewAccount};
use app::auth::email::Email;
use app::auth::password::hash_password;
use app::db::begin_write;
use app::entities::{case_manager_profile, doctor, organisation, user};
use app::error::AppError;
use app::orgs::OrgKind;
use app::zone::Zone;

#[derive(Debug, Args)]
pub struct CreateUser {
    /// E-mail address (the sign-in name).
    #[arg(long)]
    pub email: String,
    /// Full name as shown to others.
    #[arg(long)]
    pub name: String,
    /// admin, staff, doctor, practice_case_manager or external_case_manager.
    #[arg(long, default_value = "admin")]
    pub role: String,
    /// Organisation slug; created when missing (then --org-name is needed).
    #[arg(long)]
    pub org: String,
    #[arg(long)]
    pub org_name: Option<String>,
    /// practice or agency, for a new organisation.
    #[arg(long, default_value = "practice")]
    pub org_kind: String,
    /// The IANA time zone of a new organisation (e.g. America/Chicago);
    /// its admins can change it under Administration.
    #[arg(long, env = "CASEPORT_DEFAULT_TIME_ZONE", default_value = "UTC")]
    pub time_zone: String,
    /// Specialty, for doctors.
    #[arg(long, default_value = "General practice")]
    pub specialty: String,
    /// The password; read from standard input when absent, so it stays out
    /// of shell history.
    #[arg(long, env = "CASEPORT_NEW_USER_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

/// Finds an organisation by slug or creates it (with default visibility
/// settings for agencies).
pub async fn ensure_org(
    db: &DatabaseConnection,
    slug: &str,
    name: &str,
    kind: OrgKind,
    zone: Zone,
) -> Result<organisation::Model, AppError> {
    if let Some(org) = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .one(db)
        .await?
    {
        return Ok(org);
    }
    let txn = begin_write(db).await?;
    let org = organisation::ActiveModel {
        slug: Set(slug.to_string()),
        name: Set(name.to_string()),
        kind: Set(kind),
        idle_timeout_minutes: Set(30),
        time_zone: Set(zone.name().to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if kind == OrgKind::Agency {
        app::agency::settings::service::ensure_agency_defaults(&txn, &org).await?;
    }
    txn.commit().await?;
    Ok(org)
}

pub struct NewUser<'a> {
    pub org: &'a organisation::Model,
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub specialty: Option<&'a str>,
    pub password: SecretString,
}

/// Creates a user unless the e-mail exists; returns the user either way.
pub async fn ensure_user(
    db: &DatabaseConnection,
    new: NewUser<'_>,
) -> Result<user::Model, AppError> {
    let email = Email::parse(new.email)?;
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    {
        return Ok(existing);
    }
    let hash = hash_password(new.password).await?;
    let txn = begin_write(db).await?;
    let created = accounts::create(
        &txn,
        NewAccount {
            organisation_id: new.org.id,
            email,
            display_name: new.name.to_string(),
            role: new.role,
            password_hash: Some(hash),
            must_change_password: false,
        },
    )
    .await?;
    if new.role == Role::ExternalCaseManager {
        // Created with a password (seed, command line): an accepted,
        // active directory entry of the organisation.
        case_manager_profile::ActiveModel {
            user_id: Set(created.id),
            phone: Set(None),
            employer: Set(None),
            notes: Set(None),
            access_status: Set(app::agency::AccessStatus::Active),
            access_reason: Set(None),
            invited_at: Set(None),
            accepted_at: Set(Some(Utc::now())),
            terms_version_accepted: Set(None),
        }
        .insert(&txn)
        .await?;
    }
    if new.role == Role::Doctor {
        doctor::ActiveModel {
            user_id: Set(created.id),
            specialty: Set(new.specialty.unwrap_or("General practice").to_string()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    // Command-line changes have no signed-in actor: the row says so.
    let mut entry = Entry::new(ActivityAction::UserCreated, Subject::User(created.id))
        .detail(json!({ "via": "command line", "role": new.role.label() }));
    entry.organisation_id = Some(new.org.id);
    record(&txn, entry).await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn create_user(db: &DatabaseConnection, args: CreateUser) -> Result<(), String> {
    let role = Role::parse(&args.role).ok_or_else(|| format!("unknown role {:?}", args.role))?;
    let kind = match args.org_kind.as_str() {
        "practice" => OrgKind::Practice,
        "agency" => OrgKind::Agency,
        other => return Err(format!("unknown organisation kind {other:?}")),
    };
    let password = match args.password {
        Some(p) => p,
        // At a terminal the password is typed without echo; piped in (a
        // script, a secret store) it is read as a line.
        None if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
            let again =
                rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
            if first != again {
                return Err("the two passwords differ".into());
            }
            first
        }
        None => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    // The same rules as every other way of setting a password.
    app::auth::password_rules::check_new_password(
        &password,
        &args.email,
        app::auth::password_rules::PasswordRules::default(),
    )
    .map_err(|e| format!("password refused: {}", e.field_messages("new").join(" ")))?;
    let org_name = args.org_name.clone().unwrap_or_else(|| args.org.clone());
    let zone = Zone::parse(&args.time_zone)
        .map_err(|_| format!("{} is not an IANA time zone", args.time_zone))?;
    let org = ensure_org(db, &args.org, &org_name, kind, zone)
        .await
        .map_err(|e| e.to_string())?;
    let user = ensure_user(
        db,
        NewUser {
            org: &org,
            email: &args.email,
            name: &args.name,
            role,
            specialty: Some(&args.specialty),
            password: SecretString::from(password),
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "user {} ({}) in organisation {}",
        user.email,
        role.label(),
        org.slug
    );
    Ok(())
}
