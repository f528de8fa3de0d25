//! A practice's response deadlines and holidays, set by its admins. An
//! agency answers no referrals, so it has neither: reading them gives
//! nothing, changing them NotFound.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::admin::service::own_organisation;
use crate::admin::{DeadlineSetting, HolidayRow, MAX_DEADLINE_DAYS};
use crate::auth::caller::Caller;
use crate::auth::policy::Actor;
use crate::db::begin_write;
use crate::entities::{holiday, organisation};
use crate::error::{AppError, ResultExt};
use crate::orgs::OrgKind;
use crate::zone::show_date;

/// Most holidays listed at once.
const LISTED: u64 = 200;

/// The actor's own practice, when they administer it.
async fn own_practice(
    conn: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<organisation::Model, AppError> {
    Some(own_organisation(conn, actor).await?)
        .filter(|o| o.kind == OrgKind::Practice)
        .ok_or(AppError::NotFound)
}

async fn setting(
    conn: &impl ConnectionTrait,
    org: &organisation::Model,
) -> Result<DeadlineSetting, AppError> {
    // Recent ones stay listed for a month, so a mistake is still in sight.
    let since = org.zone().date_of(Utc::now()) - Duration::days(31);
    let holidays = holiday::Entity::find()
        .filter(holiday::Column::OrganisationId.eq(org.id))
        .filter(holiday::Column::Day.gte(since))
        .order_by_asc(holiday::Column::Day)
        .limit(LISTED)
        .all(conn)
        .await?
        .into_iter()
        .map(|h| HolidayRow {
            id: h.id,
            day: show_date(h.day),
            name: h.name,
        })
        .collect();
    Ok(DeadlineSetting {
        routine: org.deadline_routine_days,
        urgent: org.deadline_urgent_days,
        emergency: org.deadline_emergency_days,
        holidays,
    })
}

/// The practice's deadlines and holidays; `None` for an agency, which
/// answers no referrals (its admin's pages simply show no such section).
pub async fn deadlines(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Option<DeadlineSetting>, AppError> {
    let org = own_organisation(db, actor).await?;
    if org.kind != OrgKind::Practice {
        return Ok(None);
    }
    Ok(Some(setting(db, &org).await?))
}

fn days(field: &str, value: i32) -> Result<i32, AppError> {
    if (0..=MAX_DEADLINE_DAYS).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::invalid(
            field,
            format!("Enter a number of business days from 0 to {MAX_DEADLINE_DAYS}."),
        ))
    }
}

fn changed(caller: &Caller, org: i32, detail: serde_json::Value) -> Entry {
    Entry::new(ActivityAction::SettingsChanged, Subject::Organisation(org))
        .by_caller(caller)
        .detail(detail)
}

/// Sets the business days per urgency. Referrals already received keep
/// the deadlines they were given.
pub async fn set_deadlines(
    db: &DatabaseConnection,
    caller: &Caller,
    routine: i32,
    urgent: i32,
    emergency: i32,
) -> Result<DeadlineSetting, AppError> {
    let (routine, urgent, emergency) = (
        days("routine", routine)?,
        days("urgent", urgent)?,
        days("emergency", emergency)?,
    );
    if urgent > routine {
        return Err(AppError::invalid(
            "urgent",
            "An urgent referral cannot have longer than a routine one.",
        ));
    }
    if emergency > urgent {
        return Err(AppError::invalid(
            "emergency",
            "An emergency cannot have longer than an urgent referral.",
        ));
    }
    let txn = begin_write(db).await?;
    let org = own_practice(&txn, caller).await?;
    let before = [
        org.deadline_routine_days,
        org.deadline_urgent_days,
        org.deadline_emergency_days,
    ];
    if before == [routine, urgent, emergency] {
        return setting(&txn, &org).await;
    }
    let mut row: organisation::ActiveModel = org.into();
    row.deadline_routine_days = Set(routine);
    row.deadline_urgent_days = Set(urgent);
    row.deadline_emergency_days = Set(emergency);
    let org = row.update(&txn).await?;
    let names = |d: [i32; 3]| json!({ "routine": d[0], "urgent": d[1], "emergency": d[2] });
    record(
        &txn,
        changed(
            caller,
            org.id,
            json!({ "section": "response deadlines", "before": names(before),
                "after": names([routine, urgent, emergency]) }),
        ),
    )
    .await?;
    let out = setting(&txn, &org).await?;
    txn.commit().await?;
    Ok(out)
}

/// Adds a holiday: a day that counts towards no new referral's deadline.
pub async fn add_holiday(
    db: &DatabaseConnection,
    caller: &Caller,
    day: &str,
    name: &str,
) -> Result<DeadlineSetting, AppError> {
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("day", "Enter the day as YYYY-MM-DD."))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "Name the holiday."));
    }
    if name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "Keep the name under 100 characters.",
        ));
    }
    let txn = begin_write(db).await?;
    let org = own_practice(&txn, caller).await?;
    let taken = holiday::Entity::find()
        .filter(holiday::Column::OrganisationId.eq(org.id))
        .filter(holiday::Column::Day.eq(day))
        .one(&txn)
        .await?;
    if let Some(h) = taken {
        return Err(AppError::invalid(
            "day",
            format!("{} is already a holiday ({}).", show_date(day), h.name),
        ));
    }
    holiday::ActiveModel {
        organisation_id: Set(org.id),
        day: Set(day),
        name: Set(name.to_string()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .on_unique(|| AppError::invalid("day", format!("{} is already a holiday.", show_date(day))))?;
    record(
        &txn,
        changed(
            caller,
            org.id,
            json!({ "section": "holidays", "added": { "day": day.to_string(), "name": name } }),
        ),
    )
    .await?;
    let out = setting(&txn, &org).await?;
    txn.commit().await?;
    Ok(out)
}

/// Removes one of the practice's holidays; another's is NotFound.
pub async fn remove_holiday(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
) -> Result<DeadlineSetting, AppError> {
    let txn = begin_write(db).await?;
    let org = own_practice(&txn, caller).await?;
    let h = holiday::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|h| h.organisation_id == org.id)
        .ok_or(AppError::NotFound)?;
    holiday::Entity::delete_by_id(h.id).exec(&txn).await?;
    record(
        &txn,
        changed(
            caller,
            org.id,
            json!({ "section": "holidays", "removed": { "day": h.day.to_string(), "name": h.name } }),
        ),
    )
    .await?;
    let out = setting(&txn, &org).await?;
    txn.commit().await?;
    Ok(out)
}
