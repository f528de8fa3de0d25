//! Bulk export of a practice's referrals, after the FHIR Bulk Data
//! pattern: a kick-off answered 202 with a status address, polling until a
//! manifest lists the NDJSON files, then fetching each file. Admins only,
//! each step logged. The job runs on the instance that took the kick-off;
//! its row and files are shared, so any instance answers the polling.

use bytes::Bytes;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::{Value, json};

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::api_tokens::Scope;
use crate::auth::policy::{Action, Resource, can};
use crate::auth::session::new_token;
use crate::cases::audit::CaseEvent;
use crate::db::begin_write;
use crate::entities::{activity_log, case, case_link, fhir_export};
use crate::error::AppError;
use crate::fhir::FhirCaller;
use crate::fhir::read::{parties, people, rejection};
use crate::fhir::resources;
use crate::server_context::ServerContext;

/// The resource types an export writes, one file each.
pub const TYPES: [&str; 4] = ["ServiceRequest", "Task", "Patient", "Provenance"];
/// Cases read at a time while writing the files.
const BATCH: u64 = 500;
/// A job still "running" after this long died with its instance.
const STALE_AFTER_MINUTES: i64 = 60;
/// Finished exports (their files and rows) are kept this long, then swept:
/// bulk health data does not linger in storage.
const KEEP_HOURS: i64 = 24;

/// Where an export stands, as its status address answers.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportState {
    Running,
    /// The manifest, minus the addresses (the server adds its own).
    Done {
        organisation_id: i32,
        transaction_time: String,
        files: Vec<(String, u64)>,
    },
    Failed(String),
}

/// Starts an export of every case a practice's people are on; answers the
/// job's id. The job itself runs in the background.
pub async fn start(
    ctx: &ServerContext,
    fc: &FhirCaller,
    organisation_id: i32,
) -> Result<String, AppError> {
    fc.may_read(Scope::Export)?;
    can(
        &fc.caller,
        Action::Administer,
        &Resource::ReferralExport { organisation_id },
    )?;
    let id = new_token();
    let txn = begin_write(&ctx.db).await?;
    // One at a time per practice: each holds every referral in memory.
    let running = fhir_export::Entity::find()
        .filter(fhir_export::Column::OrganisationId.eq(organisation_id))
        .filter(fhir_export::Column::Status.eq("running"))
        .filter(
            fhir_export::Column::RequestedAt
                .gt(Utc::now() - Duration::minutes(STALE_AFTER_MINUTES)),
        )
        .one(&txn)
        .await?;
    if running.is_some() {
        return Err(AppError::Conflict(
            "An export of this practice is being written. Wait for it to finish.".into(),
        ));
    }
    fhir_export::ActiveModel {
        id: Set(id.clone()),
        organisation_id: Set(organisation_id),
        requested_by: Set(fc.caller.user_id),
        status: Set("running".into()),
        requested_at: Set(Utc::now()),
        finished_at: Set(None),
        output: Set(None),
        error: Set(None),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Entry::new(ActivityAction::BulkExportStarted, Subject::Organisation(organisation_id))
            .by_caller(&fc.caller)
            .detail(json!({ "export": id.get(..12).unwrap_or(&id), "via": if fc.token_id.is_some() { "token" } else { "session" } })),
    )
    .await?;
    txn.commit().await?;
    let (ctx, job) = (ctx.clone(), id.clone());
    tokio::spawn(async move {
        let outcome = write_files(&ctx, &job, organisation_id).await;
        finish(&ctx.db, &job, outcome).await;
    });
    Ok(id)
}

async fn finish(db: &DatabaseConnection, id: &str, outcome: Result<Vec<Value>, AppError>) {
    let (status, output, error) = match outcome {
        Ok(files) => ("done", Some(Value::from(files).to_string()), None),
        Err(e) => {
            tracing::error!(error = %e, "bulk export failed");
            (
                "failed",
                None,
                Some("The export could not be written.".to_string()),
            )
        }
    };
    let update = fhir_export::ActiveModel {
        id: Set(id.to_string()),
        status: Set(status.into()),
        finished_at: Set(Some(Utc::now())),
        output: Set(output),
        error: Set(error),
        ..Default::default()
    };
    if let Err(e) = update.update(db).await {
        tracing::error!(error = %e, "could not record a bulk export's end");
    }
}

fn line(buf: &mut Vec<u8>, r: &Value) {
    buf.extend_from_slice(r.to_string().as_bytes());
    buf.push(b'\n');
}

/// Writes the four files and answers `{ type, key, count }` for each.
async fn write_files(
    ctx: &ServerContext,
    id: &str,
    organisation_id: i32,
) -> Result<Vec<Value>, AppError> {
    let db = &ctx.db;
    let mut files: Vec<(Vec<u8>, u64)> = TYPES.iter().map(|_| (Vec::new(), 0)).collect();
    let mut after = 0;
    loop {
        let ids: Vec<i32> = case_link::Entity::find()
            .select_only()
            .column(case_link::Column::CaseId)
            .distinct()
            .filter(case_link::Column::OrganisationId.eq(organisation_id))
            // The cases its doctors are on: what its case managers work.
            .filter(case_link::Column::IsDoctor.eq(true))
            .filter(case_link::Column::CaseId.gt(after))
            .order_by_asc(case_link::Column::CaseId)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        after = last;
        let cases = case::Entity::find()
            .filter(case::Column::Id.is_in(ids.clone()))
            .order_by_asc(case::Column::Id)
            .all(db)
            .await?;
        let history = activity_log::Entity::find()
            .filter(activity_log::Column::SubjectType.eq("case"))
            .filter(activity_log::Column::SubjectId.is_in(ids))
            .filter(activity_log::Column::Action.is_in(CaseEvent::HISTORY))
            .order_by_asc(activity_log::Column::Id)
            .all(db)
            .await?;
        let by_case = parties(db, &cases).await?;
        let named = by_case
            .values()
            .flat_map(|p| [p.by, p.to])
            .chain(cases.iter().filter_map(|c| c.owner_user_id))
            .map(Some)
            .chain(
                history
                    .iter()
                    .flat_map(|r| [r.actor_user_id, r.on_behalf_of_user_id]),
            )
            .flatten()
            .collect::<Vec<i32>>();
        let people = people(db, named).await?;
        for c in &cases {
            let Some(p) = by_case.get(&c.id).copied() else {
                continue;
            };
            let rs = [
                resources::service_request(c, p, &people),
                resources::task(c, p, &people, rejection(c)),
                resources::case_patient(c),
            ];
            for (i, r) in rs.iter().enumerate() {
                line(&mut files[i].0, r);
                files[i].1 += 1;
            }
        }
        // An admin is on no case: files stay unnamed, as in the log.
        for r in history
            .iter()
            .filter_map(|r| resources::provenance(r, &people, false))
        {
            line(&mut files[3].0, &r);
            files[3].1 += 1;
        }
    }
    let mut out = Vec::new();
    for (kind, (bytes, count)) in TYPES.iter().zip(files) {
        let key = ctx.storage.put(Bytes::from(bytes)).await?;
        out.push(json!({ "type": kind, "key": key, "count": count }));
    }
    tracing::info!(export = id.get(..12).unwrap_or(id), "bulk export written");
    Ok(out)
}

/// The requester's own job: anyone else is told it does not exist.
async fn own_job(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    id: &str,
) -> Result<fhir_export::Model, AppError> {
    fc.may_read(Scope::Export)?;
    let job = fhir_export::Entity::find_by_id(id.to_string())
        .filter(fhir_export::Column::RequestedBy.eq(fc.caller.user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    can(
        &fc.caller,
        Action::Administer,
        &Resource::ReferralExport {
            organisation_id: job.organisation_id,
        },
    )?;
    Ok(job)
}

pub async fn state(
    db: &DatabaseConnection,
    fc: &FhirCaller,
    id: &str,
) -> Result<ExportState, AppError> {
    let job = own_job(db, fc, id).await?;
    Ok(match job.status.as_str() {
        "done" => {
            let files: Vec<Value> =
                serde_json::from_str(job.output.as_deref().unwrap_or("[]")).unwrap_or_default();
            ExportState::Done {
                organisation_id: job.organisation_id,
                transaction_time: resources::instant(job.requested_at),
                files: files
                    .iter()
                    .filter_map(|f| Some((f["type"].as_str()?.to_string(), f["count"].as_u64()?)))
                    .collect(),
            }
        }
        "running" if Utc::now() - job.requested_at > Duration::minutes(STALE_AFTER_MINUTES) => {
            ExportState::Failed("The export stopped before it finished. Start it again.".into())
        }
        "running" => ExportState::Running,
        _ => ExportState::Failed(job.error.unwrap_or_else(|| "The export failed.".into())),
    })
}

/// One file of a finished export, for its requester; logged.
pub async fn file(
    ctx: &ServerContext,
    fc: &FhirCaller,
    id: &str,
    kind: &str,
) -> Result<Bytes, AppError> {
    let job = own_job(&ctx.db, fc, id).await?;
    let files: Vec<Value> =
        serde_json::from_str(job.output.as_deref().unwrap_or("[]")).unwrap_or_default();
    let key = files
        .iter()
        .find(|f| f["type"].as_str() == Some(kind))
        .and_then(|f| f["key"].as_str())
        .ok_or(AppError::NotFound)?;
    let bytes = ctx.storage.get(key).await?;
    let txn = begin_write(&ctx.db).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::BulkExportDownloaded,
            Subject::Organisation(job.organisation_id),
        )
        .by_caller(&fc.caller)
        .detail(json!({ "export": job.id.get(..12).unwrap_or(&job.id), "type": kind })),
    )
    .await?;
    txn.commit().await?;
    Ok(bytes)
}

/// Removes exports older than a day, their files first. Any instance may
/// run it: a delete is idempotent.
pub async fn sweep(ctx: &ServerContext, now: chrono::DateTime<Utc>) -> Result<u64, AppError> {
    let old = fhir_export::Entity::find()
        .filter(fhir_export::Column::RequestedAt.lt(now - Duration::hours(KEEP_HOURS)))
        .all(&ctx.db)
        .await?;
    for job in &old {
        let files: Vec<Value> =
            serde_json::from_str(job.output.as_deref().unwrap_or("[]")).unwrap_or_default();
        for key in files.iter().filter_map(|f| f["key"].as_str()) {
            ctx.storage.delete(key).await;
        }
        fhir_export::Entity::delete_by_id(job.id.clone())
            .exec(&ctx.db)
            .await?;
    }
    Ok(old.len() as u64)
}
