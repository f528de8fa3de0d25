use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::settings::{PortalFace, PortalSettings, SettingsChange};
use crate::agency::{DEFAULT_CATEGORIES, Visibility};
use crate::auth::caller::Caller;
use crate::auth::password_rules::{LOWEST_MIN_LENGTH, MAX_LENGTH};
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::db::begin_write;
use crate::entities::{document_category, organisation, portal_setting, visibility_setting};
use crate::error::AppError;
use crate::orgs::OrgKind;

/// Gives a new agency the product's defaults: portal off, the recommended
/// visibility and document categories. Idempotent.
pub async fn ensure_agency_defaults(
    conn: &impl ConnectionTrait,
    org: &organisation::Model,
) -> Result<(), sea_orm::DbErr> {
    if portal_setting::Entity::find_by_id(org.id)
        .one(conn)
        .await?
        .is_none()
    {
        portal_setting::ActiveModel {
            organisation_id: Set(org.id),
            portal_enabled: Set(false),
            brand_name: Set(org.name.clone()),
            brand_colour: Set("#1d4ed8".into()),
            logo_key: Set(None),
            logo_content_type: Set(None),
            welcome_message: Set(String::new()),
            contact_details: Set(String::new()),
            terms_text: Set(String::new()),
            terms_version: Set(0),
            terms_require_acceptance: Set(false),
            password_min_length: Set(12),
            password_require_classes: Set(false),
            require_two_factor_staff: Set(false),
            require_two_factor_case_managers: Set(false),
            invitation_valid_days: Set(7),
            updated_at: Set(Utc::now()),
        }
        .insert(conn)
        .await?;
    }
    if visibility_setting::Entity::find()
        .filter(visibility_setting::Column::OrganisationId.eq(org.id))
        .one(conn)
        .await?
        .is_none()
    {
        let v = Visibility::default();
        visibility_setting::ActiveModel {
            organisation_id: Set(org.id),
            schedules: Set(v.schedules),
            notes: Set(v.notes),
            hours_summary: Set(v.hours_summary),
            documents: Set(v.documents),
            staff_info: Set(v.staff_info),
            contact_info: Set(v.contact_info),
            assessments: Set(v.assessments),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    let existing = document_category::Entity::find()
        .filter(document_category::Column::OrganisationId.eq(org.id))
        .all(conn)
        .await?;
    for (name, sharing) in DEFAULT_CATEGORIES {
        if !existing.iter().any(|c| c.name == name) {
            document_category::ActiveModel {
                organisation_id: Set(org.id),
                name: Set(name.to_string()),
                sharing: Set(sharing),
                ..Default::default()
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

/// What the agency lets case managers see; nothing when it has no row.
pub async fn visibility(
    conn: &impl ConnectionTrait,
    organisation_id: i32,
) -> Result<Visibility, sea_orm::DbErr> {
    Ok(visibility_setting::Entity::find()
        .filter(visibility_setting::Column::OrganisationId.eq(organisation_id))
        .one(conn)
        .await?
        .map(|v| Visibility {
            schedules: v.schedules,
            notes: v.notes,
            hours_summary: v.hours_summary,
            documents: v.documents,
            staff_info: v.staff_info,
            contact_info: v.contact_info,
            assessments: v.assessments,
        })
        .unwrap_or(Visibility {
            schedules: false,
            notes: false,
            hours_summary: false,
            documents: false,
            staff_info: false,
            contact_info: false,
            assessments: false,
        }))
}

/// The settings row of the agency the actor administers.
pub(crate) async fn administered_agency(
    conn: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<(organisation::Model, portal_setting::Model), AppError> {
    can(
        actor,
        Action::Administer,
        &Resource::Organisation {
            id: actor.organisation_id,
        },
    )?;
    let org = organisation::Entity::find_by_id(actor.organisation_id)
        .one(conn)
        .await?
        .filter(|o| o.kind == OrgKind::Agency)
        .ok_or(AppError::NotFound)?;
    let settings = portal_setting::Entity::find_by_id(org.id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((org, settings))
}

fn dto(
    org: &organisation::Model,
    s: &portal_setting::Model,
    visibility: Visibility,
) -> PortalSettings {
    PortalSettings {
        slug: org.slug.clone(),
        portal_enabled: s.portal_enabled,
        visibility,
        brand_name: s.brand_name.clone(),
        brand_colour: s.brand_colour.clone(),
        has_logo: s.logo_key.is_some(),
        welcome_message: s.welcome_message.clone(),
        contact_details: s.contact_details.clone(),
        terms_text: s.terms_text.clone(),
        terms_version: s.terms_version,
        terms_require_acceptance: s.terms_require_acceptance,
        idle_timeout_minutes: org.idle_timeout_minutes,
        password_min_length: s.password_min_length,
        password_require_classes: s.password_require_classes,
        require_two_factor_staff: s.require_two_factor_staff,
        require_two_factor_case_managers: s.require_two_factor_case_managers,
        invitation_valid_days: s.invitation_valid_days,
    }
}

#[tracing::instrument(skip_all)]
pub async fn view(db: &DatabaseConnection, actor: &Actor) -> Result<PortalSettings, AppError> {
    let (org, settings) = administered_agency(db, actor).await?;
    let visibility = visibility(db, org.id).await?;
    Ok(dto(&org, &settings, visibility))
}

fn text_field(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    Ok(value.to_string())
}

fn in_range(
    field: &str,
    value: i32,
    range: std::ops::RangeInclusive<i32>,
) -> Result<i32, AppError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(AppError::invalid(
            field,
            format!("Enter a number from {} to {}.", range.start(), range.end()),
        ))
    }
}

/// `#rrggbb`: the colour ends up in a style attribute, so nothing else.
fn colour(value: &str) -> Result<String, AppError> {
    let v = value.trim();
    if crate::ui::rgb(v).is_some() {
        Ok(v.to_ascii_lowercase())
    } else {
        Err(AppError::invalid(
            "brand_colour",
            "Enter a colour as #rrggbb, for example #1d4ed8.",
        ))
    }
}

#[tracing::instrument(skip_all)]
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    change: SettingsChange,
) -> Result<PortalSettings, AppError> {
    let txn = begin_write(db).await?;
    let (org, before) = administered_agency(&txn, caller).await?;
    let before_visibility = visibility(&txn, org.id).await?;
    let mut settings: portal_setting::ActiveModel = before.clone().into();
    let mut org_row: organisation::ActiveModel = org.clone().into();
    let (section, old, new) = match change {
        SettingsChange::Enabled(on) => {
            settings.portal_enabled = Set(on);
            (
                "features",
                json!({ "portal_enabled": before.portal_enabled }),
                json!({ "portal_enabled": on }),
            )
        }
        SettingsChange::Visibility(v) => {
            let row = visibility_setting::Entity::find()
                .filter(visibility_setting::Column::OrganisationId.eq(org.id))
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut row: visibility_setting::ActiveModel = row.into();
            row.schedules = Set(v.schedules);
            row.notes = Set(v.notes);
            row.hours_summary = Set(v.hours_summary);
            row.documents = Set(v.documents);
            row.staff_info = Set(v.staff_info);
            row.contact_info = Set(v.contact_info);
            row.assessments = Set(v.assessments);
            row.update(&txn).await?;
            ("visibility", json!(before_visibility), json!(v))
        }
        SettingsChange::Appearance {
            brand_name,
            brand_colour,
            welcome_message,
            contact_details,
        } => {
            let name = text_field("brand_name", &brand_name, 200)?;
            if name.is_empty() {
                return Err(AppError::invalid("brand_name", "Enter the name to show."));
            }
            let colour = colour(&brand_colour)?;
            let welcome = text_field("welcome_message", &welcome_message, 2000)?;
            let contact = text_field("contact_details", &contact_details, 1000)?;
            settings.brand_name = Set(name.clone());
            settings.brand_colour = Set(colour.clone());
            settings.welcome_message = Set(welcome.clone());
            settings.contact_details = Set(contact.clone());
            (
                "appearance",
                json!({ "brand_name": before.brand_name, "brand_colour": before.brand_colour,
                        "welcome_message": before.welcome_message,
                        "contact_details": before.contact_details }),
                json!({ "brand_name": name, "brand_colour": colour,
                        "welcome_message": welcome, "contact_details": contact }),
            )
        }
        SettingsChange::Terms {
            text,
            require_acceptance,
        } => {
            let text = text_field("terms_text", &text, 20_000)?;
            if require_acceptance && text.is_empty() {
                return Err(AppError::invalid(
                    "terms_text",
                    "Enter the terms before requiring their acceptance.",
                ));
            }
            // A new text is a new version: everyone is asked again.
            let version = if text != before.terms_text {
                before.terms_version + 1
            } else {
                before.terms_version
            };
            settings.terms_text = Set(text.clone());
            settings.terms_version = Set(version);
            settings.terms_require_acceptance = Set(require_acceptance);
            (
                "terms",
                json!({ "version": before.terms_version,
                        "require_acceptance": before.terms_require_acceptance }),
                json!({ "version": version, "require_acceptance": require_acceptance }),
            )
        }
        SettingsChange::Security {
            idle_timeout_minutes,
            password_min_length,
            password_require_classes,
            require_two_factor_staff,
            require_two_factor_case_managers,
            invitation_valid_days,
        } => {
            let idle = in_range("idle_timeout_minutes", idle_timeout_minutes, 1..=480)?;
            let min = in_range(
                "password_min_length",
                password_min_length,
                LOWEST_MIN_LENGTH as i32..=MAX_LENGTH as i32,
            )?;
            let days = in_range("invitation_valid_days", invitation_valid_days, 1..=30)?;
            org_row.idle_timeout_minutes = Set(idle);
            settings.password_min_length = Set(min);
            settings.password_require_classes = Set(password_require_classes);
            settings.require_two_factor_staff = Set(require_two_factor_staff);
            settings.require_two_factor_case_managers = Set(require_two_factor_case_managers);
            settings.invitation_valid_days = Set(days);
            (
                "security",
                json!({ "idle_timeout_minutes": org.idle_timeout_minutes,
                        "password_min_length": before.password_min_length,
                        "password_require_classes": before.password_require_classes,
                        "require_two_factor_staff": before.require_two_factor_staff,
                        "require_two_factor_case_managers": before.require_two_factor_case_managers,
                        "invitation_valid_days": before.invitation_valid_days }),
                json!({ "idle_timeout_minutes": idle, "password_min_length": min,
                        "password_require_classes": password_require_classes,
                        "require_two_factor_staff": require_two_factor_staff,
                        "require_two_factor_case_managers": require_two_factor_case_managers,
                        "invitation_valid_days": days }),
            )
        }
    };
    settings.updated_at = Set(Utc::now());
    let saved = settings.update(&txn).await?;
    let org = org_row.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::SettingsChanged,
            Subject::Organisation(org.id),
        )
        .by_caller(caller)
        .detail(json!({ "section": section, "before": old, "after": new })),
    )
    .await?;
    let visibility = visibility(&txn, org.id).await?;
    txn.commit().await?;
    Ok(dto(&org, &saved, visibility))
}

/// Stores a new logo's key (the bytes are already in storage) and logs it.
pub async fn set_logo(
    db: &DatabaseConnection,
    caller: &Caller,
    key: String,
    content_type: &str,
) -> Result<Option<String>, AppError> {
    let txn = begin_write(db).await?;
    let (org, before) = administered_agency(&txn, caller).await?;
    let old_key = before.logo_key.clone();
    let mut settings: portal_setting::ActiveModel = before.into();
    settings.logo_key = Set(Some(key));
    settings.logo_content_type = Set(Some(content_type.to_string()));
    settings.updated_at = Set(Utc::now());
    settings.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::SettingsChanged,
            Subject::Organisation(org.id),
        )
        .by_caller(caller)
        .detail(json!({ "section": "logo", "content_type": content_type })),
    )
    .await?;
    txn.commit().await?;
    Ok(old_key)
}

async fn agency_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<(organisation::Model, portal_setting::Model), AppError> {
    let org = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(slug))
        .filter(organisation::Column::Kind.eq(OrgKind::Agency))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let settings = portal_setting::Entity::find_by_id(org.id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((org, settings))
}

/// A portal's sign-in page face. An unknown slug and a practice are both
/// "not found".
pub async fn face(db: &DatabaseConnection, slug: &str) -> Result<PortalFace, AppError> {
    if slug.len() > 64 {
        return Err(AppError::NotFound);
    }
    let (org, s) = agency_by_slug(db, slug).await?;
    Ok(PortalFace {
        slug: org.slug,
        enabled: s.portal_enabled,
        brand_name: s.brand_name,
        brand_colour: s.brand_colour,
        has_logo: s.logo_key.is_some(),
        welcome_message: s.welcome_message,
        contact_details: s.contact_details,
    })
}

/// The stored logo of a portal, for `/portal/<slug>/logo`.
pub async fn logo(db: &DatabaseConnection, slug: &str) -> Result<(String, String), AppError> {
    let (_, s) = agency_by_slug(db, slug).await?;
    match (s.logo_key, s.logo_content_type) {
        (Some(key), Some(ct)) => Ok((key, ct)),
        _ => Err(AppError::NotFound),
    }
}
