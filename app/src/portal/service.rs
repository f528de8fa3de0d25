//! What an external case manager may read, and nothing more. Every query
//! starts from one client, asks the policy about that client and the kind
//! of data, and only then reads. Nothing here writes agency data: the only
//! writes are activity-log rows and the case manager's own terms
//! acceptance.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::DataKind;
use crate::agency::documents::service as documents;
use crate::assignments::Relationship;
use crate::assignments::service::facts;
use crate::auth::admission::terms_pending;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, ClientFacts, Resource, can};
use crate::care::MonthHours;
use crate::care::service::{self as care, ScheduleFilter};
use crate::care::{AppointmentRow, AssessmentRow, NoteRow};
use crate::db::begin_write;
use crate::entities::{case_manager_profile, client, client_assignment, portal_setting};
use crate::error::AppError;
use crate::portal::{
    ClientsFilter, Contact, PortalClientRow, PortalClientView, PortalDocument, TermsView,
};

/// Portal functions are for the agency's external case managers only;
/// anyone else is told the thing does not exist.
fn case_manager(actor: &Actor) -> Result<(), AppError> {
    can(
        actor,
        Action::View,
        &Resource::Portal {
            organisation_id: actor.organisation_id,
        },
    )
    .map(|_| ())
}

/// One client the actor may see `kind` of, with the facts the policy used.
async fn client_for(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    client_id: i32,
    kind: Option<DataKind>,
) -> Result<(client::Model, ClientFacts), AppError> {
    case_manager(actor)?;
    let c = client::Entity::find_by_id(client_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = facts(conn, &c).await?;
    match kind {
        Some(kind) => can(actor, Action::View, &Resource::ClientData(&f, kind))?,
        None => can(actor, Action::View, &Resource::Client(&f))?,
    };
    Ok((c, f))
}

/// The portal's page views go to the audit trail.
async fn viewed(
    db: &DatabaseConnection,
    caller: &Caller,
    c: &client::Model,
    page: &str,
) -> Result<(), AppError> {
    crate::activity::service::client_viewed(db, caller, c, page, caller.ip.clone()).await
}

/// My clients: assigned, not archived, narrowed by the filter.
pub async fn my_clients(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &ClientsFilter,
) -> Result<Vec<PortalClientRow>, AppError> {
    case_manager(actor)?;
    let name = filter.name.trim().to_lowercase();
    if name.chars().count() > 200 {
        return Err(AppError::invalid(
            "name",
            "Search for at most 200 characters.",
        ));
    }
    let relationship = match filter.relationship.trim() {
        "" => None,
        key => Some(Relationship::from_key(key).ok_or_else(|| {
            AppError::invalid("relationship", "Choose a relationship from the list.")
        })?),
    };
    let assigned: Vec<_> = crate::assignments::service::list_assigned(db, actor)
        .await?
        .into_iter()
        .filter(|a| name.is_empty() || a.full_name.to_lowercase().contains(&name))
        .filter(|a| relationship.is_none_or(|r| r == a.relationship))
        .collect();
    // A fixed number of queries however many clients there are: the
    // clients with their policy facts, then the appointments of all of them.
    let mut found =
        crate::assignments::service::clients_and_facts(db, assigned.iter().map(|a| a.id)).await?;
    let mut allowed = Vec::new();
    for a in assigned {
        let (c, f) = found.remove(&a.id).ok_or(AppError::NotFound)?;
        can(actor, Action::View, &Resource::Client(&f))?;
        allowed.push((a.relationship, c, f));
    }
    let now = Utc::now();
    let with = |kind: DataKind| {
        allowed
            .iter()
            .filter(move |(_, _, f)| f.visible.allows(kind))
            .map(|(_, c, _)| c)
    };
    let schedules: Vec<i32> = with(DataKind::Schedules).map(|c| c.id).collect();
    let mut next = care::next_appointments(db, &schedules, now).await?;
    let hours_of: Vec<&client::Model> = with(DataKind::HoursSummary).collect();
    let mut hours = care::this_month_hours(db, &hours_of, actor.zone, now).await?;
    Ok(allowed
        .into_iter()
        .filter_map(|(relationship, c, _)| {
            let next = next.remove(&c.id);
            if filter.upcoming && next.is_none() {
                return None;
            }
            Some(PortalClientRow {
                id: c.id,
                hours_this_month: hours.remove(&c.id),
                full_name: c.full_name,
                relationship,
                next_appointment: next.map(|t| actor.zone.show(t)),
            })
        })
        .collect())
}

/// A client's portal page: who they are, which tabs the agency allows.
pub async fn client_page(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
) -> Result<PortalClientView, AppError> {
    let (c, f) = client_for(db, caller, client_id, None).await?;
    let relationship = client_assignment_of(db, caller, c.id).await?;
    let tabs: Vec<DataKind> = [
        DataKind::Schedules,
        DataKind::Notes,
        DataKind::HoursSummary,
        DataKind::Assessments,
        DataKind::Documents,
    ]
    .into_iter()
    .filter(|k| can(caller, Action::View, &Resource::ClientData(&f, *k)).is_ok())
    .collect();
    let contact = can(
        caller,
        Action::View,
        &Resource::ClientData(&f, DataKind::ContactInfo),
    )
    .is_ok()
    .then(|| Contact {
        phone: c.phone.clone().unwrap_or_default(),
        email: c.email.clone().unwrap_or_default(),
        address: c.address.clone().unwrap_or_default(),
    });
    let messaging = crate::messages::service::enabled(db, c.organisation_id).await?;
    viewed(db, caller, &c, "client").await?;
    Ok(PortalClientView {
        id: c.id,
        full_name: c.full_name,
        relationship,
        tabs,
        contact,
        messaging,
        zone: caller.zone.statement(Utc::now()),
    })
}

async fn client_assignment_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    client_id: i32,
) -> Result<Relationship, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(client_assignment::Entity::find()
        .filter(client_assignment::Column::ClientId.eq(client_id))
        .filter(client_assignment::Column::CaseManagerUserId.eq(actor.user_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?
        .relationship)
}

pub async fn schedule(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    filter: &ScheduleFilter,
) -> Result<Vec<AppointmentRow>, AppError> {
    let (c, f) = client_for(db, caller, client_id, Some(DataKind::Schedules)).await?;
    let staff = can(
        caller,
        Action::View,
        &Resource::ClientData(&f, DataKind::StaffInfo),
    )
    .is_ok();
    let rows = care::appointments(db, c.id, caller.zone, filter, staff).await?;
    viewed(db, caller, &c, "schedule").await?;
    Ok(rows)
}

pub async fn notes(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    query: &str,
) -> Result<Vec<NoteRow>, AppError> {
    let (c, f) = client_for(db, caller, client_id, Some(DataKind::Notes)).await?;
    let staff = can(
        caller,
        Action::View,
        &Resource::ClientData(&f, DataKind::StaffInfo),
    )
    .is_ok();
    let mut rows = care::notes(db, c.id, caller.zone, query, false).await?;
    if !staff {
        for r in &mut rows {
            r.author = None;
        }
    }
    viewed(db, caller, &c, "notes").await?;
    Ok(rows)
}

pub async fn hours(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
) -> Result<Vec<MonthHours>, AppError> {
    let (c, _) = client_for(db, caller, client_id, Some(DataKind::HoursSummary)).await?;
    let rows = care::month_hours(db, &c, caller.zone, Utc::now(), 6).await?;
    viewed(db, caller, &c, "hours").await?;
    Ok(rows)
}

pub async fn assessments(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
) -> Result<Vec<AssessmentRow>, AppError> {
    let (c, _) = client_for(db, caller, client_id, Some(DataKind::Assessments)).await?;
    let rows = care::assessments(db, c.id).await?;
    viewed(db, caller, &c, "assessments").await?;
    Ok(rows)
}

pub async fn documents(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
) -> Result<Vec<PortalDocument>, AppError> {
    let (c, _) = client_for(db, caller, client_id, Some(DataKind::Documents)).await?;
    // The documents service asks the policy about each document again.
    let rows = documents::list(db, caller, c.id)
        .await?
        .into_iter()
        .map(|d| PortalDocument {
            id: d.id,
            name: d.name,
            category: d.category,
            size_bytes: d.size_bytes,
            uploaded_at: d.uploaded_at,
        })
        .collect();
    viewed(db, caller, &c, "documents").await?;
    Ok(rows)
}

/// The agency's terms of use and whether this case manager still has to
/// accept them.
pub async fn terms(db: &DatabaseConnection, actor: &Actor) -> Result<TermsView, AppError> {
    case_manager(actor)?;
    let s = portal_setting::Entity::find_by_id(actor.organisation_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = case_manager_profile::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(TermsView {
        text: s.terms_text.clone(),
        version: s.terms_version,
        pending: terms_pending(&s, &p),
    })
}

/// Records acceptance of the version the case manager was shown; a text
/// changed meanwhile must be read first.
pub async fn accept_terms(
    db: &DatabaseConnection,
    caller: &Caller,
    version: i32,
) -> Result<(), AppError> {
    case_manager(caller)?;
    let txn = begin_write(db).await?;
    let s = portal_setting::Entity::find_by_id(caller.organisation_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if s.terms_version != version {
        return Err(AppError::Conflict(
            "The terms of use changed while you were reading them. Please read them again.".into(),
        ));
    }
    let p = case_manager_profile::Entity::find_by_id(caller.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut pm = p.into_active_model();
    pm.terms_version_accepted = Set(Some(version));
    pm.update(&txn).await?;
    record(
        &txn,
        Entry::new(ActivityAction::TermsAccepted, Subject::User(caller.user_id))
            .by_caller(caller)
            .detail(json!({ "version": version })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
