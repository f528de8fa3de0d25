//! Searches: the same scoped queries the pages use (the case list's
//! `list_page` for referrals), a page at a time, as a searchset Bundle.
//! One activity-log row per search names what was asked and how many
//! resources it returned.

use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

use crate::activity::Subject;
use crate::activity::redact::for_log_view;
use crate::agency::DataKind;
use crate::api_tokens::Scope;
use crate::auth::policy::administers_own;
use crate::cases::audit::CaseEvent;
use crate::cases::filters::CaseFilter;
use crate::entities::{activity_log, appointment, case};
use crate::error::AppError;
use crate::fhir::bundle::{Page, searchset};
use crate::fhir::params::{SearchParams, date_range, numeric_id, reference_id};
use crate::fhir::read::{
    appointment_resource, case_resources, log_access, people, read, visible_case, visible_client,
    visit_staff,
};
use crate::fhir::resources::{self, case_status_of, request_status, task_status};
use crate::fhir::{FhirCaller, ResourceType};

/// `GET /fhir/r4/{type}?…`: one page of what the caller may see.
pub async fn search(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    base: &str,
    kind: ResourceType,
    query: &[(String, String)],
) -> Result<Value, AppError> {
    let params = SearchParams::parse(kind, query)?;
    let page = match kind {
        ResourceType::ServiceRequest | ResourceType::Task => {
            referrals(db, fc, kind, &params).await?
        }
        ResourceType::Provenance => provenance(db, fc, &params).await?,
        ResourceType::Appointment => appointments(db, fc, &params).await?,
        ResourceType::AuditEvent => audit_events(db, fc, &params).await?,
        ResourceType::Patient
        | ResourceType::Practitioner
        | ResourceType::PractitionerRole
        | ResourceType::Organization => by_id(db, fc, kind, &params).await?,
    };
    let shown = params
        .pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    log_access(
        db,
        fc,
        Subject::FhirApi,
        json!({ "search": kind.name(), "params": shown, "count": page.resources.len() }),
    )
    .await?;
    Ok(searchset(base, kind, &params, page))
}

/// Types searched by `_id` alone: a read, as a Bundle of one or none.
async fn by_id(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    kind: ResourceType,
    params: &SearchParams,
) -> Result<Page, AppError> {
    let id = params.one("_id")?.ok_or_else(|| {
        AppError::invalid(
            "search",
            format!("Search {} by _id, or read it by id.", kind.name()),
        )
    })?;
    let resources = match read(db, fc, kind, id).await {
        Ok(r) => vec![r],
        Err(AppError::NotFound) => Vec::new(),
        Err(e) => return Err(e),
    };
    Ok(Page {
        total: Some(resources.len() as u64),
        resources,
        next: None,
    })
}

/// ServiceRequest and Task: the caller's case list, a page at a time.
async fn referrals(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    kind: ResourceType,
    params: &SearchParams,
) -> Result<Page, AppError> {
    fc.may_read(Scope::Referrals)?;
    let status = params.one("status")?;
    let owner = match params.one("owner")? {
        Some(v) => Some(
            numeric_id(reference_id(
                "owner",
                v,
                &["PractitionerRole", "Practitioner"],
            )?)
            .map_err(|_| AppError::invalid("owner", "\"owner\" is not a valid id."))?,
        ),
        None => None,
    };
    // A ServiceRequest status covers several case statuses: checked on
    // the page read, so such a search gives no total.
    let matches = |c: &case::Model| {
        let status_ok = match (kind, status) {
            (_, None) => true,
            (ResourceType::Task, Some(s)) => task_status(c.status) == s,
            (_, Some(s)) => request_status(c.status) == s,
        };
        status_ok && owner.is_none_or(|o| c.owner_user_id == Some(o))
    };
    if kind == ResourceType::Task
        && let Some(s) = status
        && case_status_of(s).is_none()
    {
        return Err(AppError::invalid(
            "status",
            format!("\"{s}\" is not a Task status."),
        ));
    }
    // One patient: that case alone.
    if let Some(p) = params.one("patient")? {
        let id = reference_id("patient", p, &["Patient"])?;
        let Some(case_id) = id.strip_prefix("case-") else {
            return Ok(Page {
                total: Some(0),
                ..Default::default()
            });
        };
        let found = match visible_case(db, fc, numeric_id(case_id).unwrap_or(0)).await {
            Ok((c, _)) if matches(&c) => case_resources(db, kind, std::slice::from_ref(&c)).await?,
            Ok(_) => Vec::new(),
            Err(AppError::NotFound) => Vec::new(),
            Err(e) => return Err(e),
        };
        return Ok(Page {
            total: Some(found.len() as u64),
            resources: found,
            next: None,
        });
    }
    let filter = CaseFilter {
        status: match kind {
            ResourceType::Task => status.and_then(case_status_of),
            _ => None,
        },
        owner,
        ..Default::default()
    };
    let list = crate::cases::service::listing::list_page(
        db,
        &fc.caller,
        &filter,
        params.cursor.as_deref(),
        params.count,
    )
    .await?;
    let ids: Vec<i32> = list.rows.iter().map(|r| r.id).collect();
    let mut cases = case::Entity::find()
        .filter(case::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    cases.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
    let post_filtered = kind == ResourceType::ServiceRequest && status.is_some();
    cases.retain(|c| matches(c));
    let resources = case_resources(db, kind, &cases).await?;
    Ok(Page {
        resources,
        next: list.next,
        // Filtered after the page was read: the list's count would be wrong.
        total: (!post_filtered).then_some(list.total),
    })
}

fn after_id(params: &SearchParams) -> Result<Option<i64>, AppError> {
    params
        .cursor
        .as_deref()
        .map(|c| {
            c.parse::<i64>()
                .map_err(|_| AppError::invalid("_cursor", "This page link is not valid any more."))
        })
        .transpose()
}

/// A case's history, oldest first.
async fn provenance(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    params: &SearchParams,
) -> Result<Page, AppError> {
    fc.may_read(Scope::Referrals)?;
    let target = params.one("target")?.ok_or_else(|| {
        AppError::invalid(
            "search",
            "Search Provenance by target, such as target=Task/12.",
        )
    })?;
    let id = numeric_id(reference_id("target", target, &["Task", "ServiceRequest"])?).unwrap_or(0);
    let case_id = match visible_case(db, fc, id).await {
        Ok((c, _)) => c.id,
        Err(AppError::NotFound) => {
            return Ok(Page {
                total: Some(0),
                ..Default::default()
            });
        }
        Err(e) => return Err(e),
    };
    // Views, posts and downloads are not history: only its rows are read.
    let mut q = activity_log::Entity::find()
        .filter(activity_log::Column::SubjectType.eq("case"))
        .filter(activity_log::Column::SubjectId.eq(case_id))
        .filter(activity_log::Column::Action.is_in(CaseEvent::HISTORY))
        .order_by_asc(activity_log::Column::Id);
    if let Some(after) = after_id(params)? {
        q = q.filter(activity_log::Column::Id.gt(after));
    }
    let mut rows = q.limit(params.count + 1).all(db).await?;
    let more = rows.len() as u64 > params.count;
    rows.truncate(params.count as usize);
    let named: Vec<i32> = rows
        .iter()
        .flat_map(|r| [r.actor_user_id, r.on_behalf_of_user_id])
        .flatten()
        .collect();
    let people = people(db, named).await?;
    Ok(Page {
        resources: rows
            .iter()
            .filter_map(|r| resources::provenance(r, &people, true))
            .collect(),
        next: if more {
            rows.last().map(|r| r.id.to_string())
        } else {
            None
        },
        total: None,
    })
}

/// A client's visits, newest first, on the agency's calendar.
async fn appointments(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    params: &SearchParams,
) -> Result<Page, AppError> {
    fc.may_read(Scope::Care)?;
    let patient = params.one("patient")?.ok_or_else(|| {
        AppError::invalid(
            "search",
            "Search Appointment by patient, such as patient=Patient/client-3.",
        )
    })?;
    let id = reference_id("patient", patient, &["Patient"])?;
    let Some(client_id) = id.strip_prefix("client-").and_then(|n| numeric_id(n).ok()) else {
        return Ok(Page {
            total: Some(0),
            ..Default::default()
        });
    };
    let (c, f) = match visible_client(db, fc, client_id, Some(DataKind::Schedules)).await {
        Ok(found) => found,
        Err(AppError::NotFound) => {
            return Ok(Page {
                total: Some(0),
                ..Default::default()
            });
        }
        Err(e) => return Err(e),
    };
    let (from, to) = date_range(params.all("date"))?;
    let (from, to) = fc.caller.zone.days(from, to);
    let mut cond = Condition::all().add(appointment::Column::ClientId.eq(c.id));
    if let Some(from) = from {
        cond = cond.add(appointment::Column::StartsAt.gte(from));
    }
    if let Some(to) = to {
        cond = cond.add(appointment::Column::StartsAt.lt(to));
    }
    if let Some(s) = params.one("status")? {
        let status = resources::appointment_status_of(s).ok_or_else(|| {
            AppError::invalid("status", format!("\"{s}\" is not an Appointment status."))
        })?;
        cond = cond.add(appointment::Column::Status.eq(status));
    }
    let offset = after_id(params)?.unwrap_or(0).max(0) as u64;
    let rows = appointment::Entity::find()
        .filter(cond)
        .order_by_desc(appointment::Column::StartsAt)
        .order_by_desc(appointment::Column::Id)
        .offset(offset)
        .limit(params.count + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > params.count;
    let rows = &rows[..rows.len().min(params.count as usize)];
    let staff = visit_staff(db, fc, &f, rows).await?;
    let resources = rows
        .iter()
        .map(|a| appointment_resource(a, &c, &staff))
        .collect();
    Ok(Page {
        next: more.then(|| (offset + params.count).to_string()),
        resources,
        total: None,
    })
}

/// The admin's own organisation's log, newest first.
async fn audit_events(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    params: &SearchParams,
) -> Result<Page, AppError> {
    fc.may_read(Scope::Audit)?;
    administers_own(&fc.caller).map_err(|_| AppError::NotFound)?;
    let (from, to) = date_range(params.all("date"))?;
    let (from, to) = fc.caller.zone.days(from, to);
    let mut q = activity_log::Entity::find()
        .filter(activity_log::Column::OrganisationId.eq(fc.caller.organisation_id))
        .order_by_desc(activity_log::Column::Id);
    if let Some(from) = from {
        q = q.filter(activity_log::Column::CreatedAt.gte(from));
    }
    if let Some(to) = to {
        q = q.filter(activity_log::Column::CreatedAt.lt(to));
    }
    if let Some(before) = after_id(params)? {
        q = q.filter(activity_log::Column::Id.lt(before));
    }
    let rows = q.limit(params.count + 1).all(db).await?;
    let more = rows.len() as u64 > params.count;
    let rows = &rows[..rows.len().min(params.count as usize)];
    let named: Vec<i32> = rows
        .iter()
        .flat_map(|r| [r.actor_user_id, r.on_behalf_of_user_id])
        .flatten()
        .collect();
    let people = people(db, named).await?;
    Ok(Page {
        next: if more {
            rows.last().map(|r| r.id.to_string())
        } else {
            None
        },
        resources: rows
            .iter()
            .map(|r| resources::audit_event(r, &people, &for_log_view(r.action, &r.detail)))
            .collect(),
        total: None,
    })
}

/// One log row as an AuditEvent, its detail cut as the log page cuts it.
pub async fn audit_resource(
    db: &DatabaseConnection,
    row: &activity_log::Model,
) -> Result<Value, AppError> {
    let people = people(
        db,
        [row.actor_user_id, row.on_behalf_of_user_id]
            .into_iter()
            .flatten(),
    )
    .await?;
    Ok(resources::audit_event(
        row,
        &people,
        &for_log_view(row.action, &row.detail),
    ))
}
