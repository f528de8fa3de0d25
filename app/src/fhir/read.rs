//! Reading one resource by id. Each read asks the token's scope, then the
//! same policy question the page would ask, and answers `NotFound` for
//! whatever the caller may not see, exactly as for an id that does not
//! exist. Every read is logged, like a page view.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::DataKind;
use crate::api_tokens::Scope;
use crate::auth::policy::{
    Action, CaseFacts, ClientFacts, Resource, administers_own, can, sees_client_birth_date,
};
use crate::cases::workflow::RejectionReason;
use crate::db::begin_write;
use crate::entities::{activity_log, appointment, case, client, doctor, organisation, user};
use crate::error::AppError;
use crate::fhir::params::numeric_id;
use crate::fhir::resources::{self, Parties, Person};
use crate::fhir::{FhirCaller, ResourceType};

/// One API access in the activity log, in its own transaction.
pub async fn log_access(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    subject: Subject,
    mut detail: Value,
) -> Result<(), AppError> {
    detail["via"] = json!(if fc.token_id.is_some() {
        "token"
    } else {
        "session"
    });
    if let Some(t) = fc.token_id {
        detail["token"] = json!(t);
    }
    let txn = begin_write(db).await?;
    record(
        &txn,
        Entry::new(ActivityAction::ApiRead, subject)
            .by_caller(&fc.caller)
            .detail(detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The people a set of resources names, with their organisation and, for
/// doctors, specialty.
pub async fn people(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<Vec<Person>, AppError> {
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.clone()))
        .find_also_related(organisation::Entity)
        .all(conn)
        .await?;
    let specialties: HashMap<i32, String> = doctor::Entity::find()
        .filter(doctor::Column::UserId.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.user_id, d.specialty))
        .collect();
    Ok(users
        .into_iter()
        .map(|(u, org)| Person {
            id: u.id,
            specialty: specialties.get(&u.id).cloned(),
            organisation_name: org.map(|o| o.name).unwrap_or_default(),
            name: u.display_name,
            role: u.role,
            organisation_id: u.organisation_id,
            active: u.active,
        })
        .collect())
}

/// A case the caller may see, with its facts.
pub async fn visible_case(
    conn: &impl ConnectionTrait,
    fc: &FhirCaller,
    id: i32,
) -> Result<(case::Model, CaseFacts), AppError> {
    let facts = crate::cases::service::links::facts(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    can(&fc.caller, Action::View, &Resource::Case(&facts))?;
    let c = case::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, facts))
}

/// A client the caller may see `kind` of (or the client at all).
pub async fn visible_client(
    conn: &impl ConnectionTrait,
    fc: &FhirCaller,
    id: i32,
    kind: Option<DataKind>,
) -> Result<(client::Model, ClientFacts), AppError> {
    let c = client::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = crate::assignments::service::facts(conn, &c).await?;
    match kind {
        Some(kind) => can(&fc.caller, Action::View, &Resource::ClientData(&f, kind))?,
        None => can(&fc.caller, Action::View, &Resource::Client(&f))?,
    };
    Ok((c, f))
}

/// "Not my specialty: note", as the case page shows a rejection.
pub fn rejection(c: &case::Model) -> Option<String> {
    let reason = c
        .rejection_code
        .as_deref()
        .and_then(RejectionReason::from_key)?;
    Some(
        match c.rejection_note.as_deref().filter(|n| !n.is_empty()) {
            Some(note) => format!("{}: {note}", reason.label()),
            None => reason.label().to_string(),
        },
    )
}

/// The users behind the cases' doctor ids, by case id.
pub async fn parties(
    conn: &impl ConnectionTrait,
    cases: &[case::Model],
) -> Result<HashMap<i32, Parties>, AppError> {
    let ids: Vec<i32> = cases
        .iter()
        .flat_map(|c| [c.referred_by_doctor_id, c.referred_to_doctor_id])
        .collect();
    let users: HashMap<i32, i32> = doctor::Entity::find()
        .filter(doctor::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.id, d.user_id))
        .collect();
    Ok(cases
        .iter()
        .filter_map(|c| {
            Some((
                c.id,
                Parties {
                    by: *users.get(&c.referred_by_doctor_id)?,
                    to: *users.get(&c.referred_to_doctor_id)?,
                },
            ))
        })
        .collect())
}

/// The cases' resources, once each case is known to be visible: two
/// queries for the whole page, whatever its size.
pub async fn case_resources(
    conn: &impl ConnectionTrait,
    kind: ResourceType,
    cases: &[case::Model],
) -> Result<Vec<Value>, AppError> {
    let by_case = parties(conn, cases).await?;
    let named: Vec<i32> = by_case
        .values()
        .flat_map(|p| [p.by, p.to])
        .chain(cases.iter().filter_map(|c| c.owner_user_id))
        .collect();
    let people = people(conn, named).await?;
    Ok(cases
        .iter()
        .filter_map(|c| {
            let p = *by_case.get(&c.id)?;
            Some(match kind {
                ResourceType::ServiceRequest => resources::service_request(c, p, &people),
                ResourceType::Task => resources::task(c, p, &people, rejection(c)),
                _ => resources::case_patient(c),
            })
        })
        .collect())
}

/// Whose names a client's visits may show: the staff members', where the
/// agency lets the reader see staff. One query for all the visits.
pub async fn visit_staff(
    conn: &impl ConnectionTrait,
    fc: &FhirCaller,
    f: &ClientFacts,
    visits: &[appointment::Model],
) -> Result<HashMap<i32, String>, AppError> {
    let staff_visible = can(
        &fc.caller,
        Action::View,
        &Resource::ClientData(f, DataKind::StaffInfo),
    )
    .is_ok();
    if !staff_visible {
        return Ok(HashMap::new());
    }
    Ok(crate::care::service::names(conn, visits.iter().filter_map(|a| a.staff_user_id)).await?)
}

/// A visit with the staff member's name where `staff` holds it.
pub fn appointment_resource(
    a: &appointment::Model,
    c: &client::Model,
    staff: &HashMap<i32, String>,
) -> Value {
    let shown = a
        .staff_user_id
        .and_then(|id| staff.get(&id).map(|name| (id, name.clone())));
    resources::appointment(a, &c.full_name, shown)
}

/// `GET /fhir/r4/{type}/{id}`.
pub async fn read(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    kind: ResourceType,
    id: &str,
) -> Result<Value, AppError> {
    let (resource, subject) = match kind {
        ResourceType::ServiceRequest | ResourceType::Task => {
            fc.may_read(Scope::Referrals)?;
            let (c, _) = visible_case(db, fc, numeric_id(id)?).await?;
            (
                case_resources(db, kind, std::slice::from_ref(&c))
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?,
                Subject::Case(c.id),
            )
        }
        ResourceType::Patient => {
            if let Some(case_id) = id.strip_prefix("case-") {
                fc.may_read(Scope::Referrals)?;
                let (c, _) = visible_case(db, fc, numeric_id(case_id)?).await?;
                (resources::case_patient(&c), Subject::Case(c.id))
            } else if let Some(client_id) = id.strip_prefix("client-") {
                fc.may_read(Scope::Care)?;
                let (c, f) = visible_client(db, fc, numeric_id(client_id)?, None).await?;
                let contact = can(
                    &fc.caller,
                    Action::View,
                    &Resource::ClientData(&f, DataKind::ContactInfo),
                )
                .is_ok();
                (
                    resources::client_patient(&c, sees_client_birth_date(&fc.caller), contact),
                    Subject::Client(c.id),
                )
            } else {
                return Err(AppError::NotFound);
            }
        }
        ResourceType::Provenance => {
            fc.may_read(Scope::Referrals)?;
            let row = activity_log::Entity::find_by_id(i64::from(numeric_id(id)?))
                .filter(activity_log::Column::SubjectType.eq("case"))
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let case_id = row.subject_id.ok_or(AppError::NotFound)?;
            visible_case(db, fc, case_id).await?;
            let named = [row.actor_user_id, row.on_behalf_of_user_id];
            let people = people(db, named.into_iter().flatten()).await?;
            let p = resources::provenance(&row, &people, true).ok_or(AppError::NotFound)?;
            (p, Subject::Case(case_id))
        }
        ResourceType::Practitioner | ResourceType::PractitionerRole => {
            fc.may_read(Scope::Directory)?;
            let uid = numeric_id(id)?;
            let person = people(db, [uid]).await?.pop().ok_or(AppError::NotFound)?;
            can(
                &fc.caller,
                Action::View,
                &Resource::Person {
                    user_id: person.id,
                    organisation_id: person.organisation_id,
                    is_doctor: person.role == crate::auth::Role::Doctor,
                    active: person.active,
                },
            )?;
            let r = if kind == ResourceType::Practitioner {
                resources::practitioner(&person)
            } else {
                resources::practitioner_role(&person)
            };
            (r, Subject::User(uid))
        }
        ResourceType::Organization => {
            fc.may_read(Scope::Directory)?;
            let o = organisation::Entity::find_by_id(numeric_id(id)?)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            can(
                &fc.caller,
                Action::View,
                &Resource::OrganisationCard {
                    id: o.id,
                    kind: o.kind,
                },
            )?;
            (resources::organization(&o), Subject::Organisation(o.id))
        }
        ResourceType::Appointment => {
            fc.may_read(Scope::Care)?;
            let a = appointment::Entity::find_by_id(numeric_id(id)?)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let (c, f) = visible_client(db, fc, a.client_id, Some(DataKind::Schedules)).await?;
            (
                appointment_resource(
                    &a,
                    &c,
                    &visit_staff(db, fc, &f, std::slice::from_ref(&a)).await?,
                ),
                Subject::Client(c.id),
            )
        }
        ResourceType::AuditEvent => {
            fc.may_read(Scope::Audit)?;
            administers_own(&fc.caller).map_err(|_| AppError::NotFound)?;
            let row = activity_log::Entity::find_by_id(i64::from(numeric_id(id)?))
                .filter(activity_log::Column::OrganisationId.eq(fc.caller.organisation_id))
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            (
                crate::fhir::search::audit_resource(db, &row).await?,
                Subject::FhirApi,
            )
        }
    };
    log_access(
        db,
        fc,
        subject,
        json!({ "read": format!("{}/{id}", kind.name()) }),
    )
    .await?;
    Ok(resource)
}
