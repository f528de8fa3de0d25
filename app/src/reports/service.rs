//! Making, sending, listing and opening reports. Every entry point asks
//! the policy about the client and the report's data kind first.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashMap;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::assignments::service::client_and_facts;
use crate::auth::Role;
use crate::auth::admission::{Standing, standing};
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, ClientFacts, Resource, can, report_contents};
use crate::care::service::names;
use crate::db::begin_write;
use crate::entities::{client, organisation, report, user};
use crate::error::AppError;
use crate::mail::OutgoingMail;
use crate::notifications::NotificationKind;
use crate::notifications::service::{PortalNote, portal_event};
use crate::reports::content::{Period, build, to_csv};
use crate::reports::{ReportContent, ReportKind, ReportRow};
use crate::server_context::ServerContext;
use crate::zone::Zone;

/// How a report came to be, as stored.
pub const ON_DEMAND: &str = "on_demand";
pub const SENT: &str = "sent";
pub const SCHEDULED: &str = "scheduled";

/// A report file ready to send to the browser.
pub struct ReportFile {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Csv,
}

/// Who a stored report came from and whose portal holds it.
pub(crate) struct Provenance {
    /// The staff member or case manager who made it; `None` for a schedule.
    pub generated_by: Option<i32>,
    /// The case manager whose portal holds it; `None` for a staff copy.
    pub case_manager: Option<i32>,
    pub delivery: &'static str,
    pub schedule_id: Option<i32>,
}

/// Stores a report (the caller logs it in the same transaction).
pub(crate) async fn store(
    conn: &impl ConnectionTrait,
    c: &client::Model,
    content: &ReportContent,
    period: Period,
    from: Provenance,
) -> Result<report::Model, AppError> {
    let Provenance {
        generated_by,
        case_manager,
        delivery,
        schedule_id,
    } = from;
    let text = serde_json::to_string(content).map_err(|e| {
        tracing::error!(error = %e, "report content did not serialise");
        AppError::Internal
    })?;
    Ok(report::ActiveModel {
        organisation_id: Set(c.organisation_id),
        client_id: Set(c.id),
        kind: Set(content.kind.key().to_string()),
        period_from: Set(period.from),
        period_to: Set(period.to),
        content: Set(text),
        generated_by: Set(generated_by),
        case_manager_user_id: Set(case_manager),
        delivery: Set(delivery.to_string()),
        schedule_id: Set(schedule_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

fn report_entry(action: ActivityAction, r: &report::Model, c: &client::Model) -> Entry {
    Entry::new(action, Subject::Report(r.id)).detail(json!({
        "client": c.id,
        "client_name": c.full_name,
        "report": r.kind,
        "from": r.period_from.to_string(),
        "to": r.period_to.to_string(),
        "for": r.case_manager_user_id,
    }))
}

/// Makes a report for the actor: a case manager's lands in their portal,
/// a staff member's is their own copy.
pub async fn generate(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    kind: ReportKind,
    period: Period,
) -> Result<ReportRow, AppError> {
    let txn = begin_write(db).await?;
    let (c, f) = client_and_facts(&txn, client_id).await?;
    can(
        caller,
        Action::View,
        &Resource::ClientData(&f, kind.needs()),
    )?;
    let me = user::Entity::find_by_id(caller.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let for_cm = caller.role == Role::ExternalCaseManager;
    let content = build(
        &txn,
        &c,
        kind,
        period,
        report_contents(caller, &f),
        for_cm.then(|| me.display_name.clone()),
    )
    .await?;
    let r = store(
        &txn,
        &c,
        &content,
        period,
        Provenance {
            generated_by: Some(caller.user_id),
            case_manager: for_cm.then_some(caller.user_id),
            delivery: ON_DEMAND,
            schedule_id: None,
        },
    )
    .await?;
    record(
        &txn,
        report_entry(ActivityAction::ReportGenerated, &r, &c).by_caller(caller),
    )
    .await?;
    txn.commit().await?;
    Ok(row(
        &r,
        &c,
        caller.zone,
        "On demand".into(),
        for_cm.then_some(me.display_name),
    ))
}

fn row(
    r: &report::Model,
    c: &client::Model,
    zone: Zone,
    origin: String,
    for_name: Option<String>,
) -> ReportRow {
    ReportRow {
        id: r.id,
        client_id: c.id,
        client_name: c.full_name.clone(),
        kind: ReportKind::from_key(&r.kind).unwrap_or(ReportKind::MonthlySummary),
        from: r.period_from.to_string(),
        to: r.period_to.to_string(),
        created_at: zone.show(r.created_at),
        origin,
        prepared_for: for_name,
    }
}

/// The mail that tells a case manager a report is waiting. It carries no
/// health data, only a link into the portal, where the case manager signs
/// in and the download is logged: e-mail is neither encrypted end to end
/// nor revocable, an attachment would be both.
pub(crate) fn notice(to: &user::Model, agency: &str, public_url: &str, slug: &str) -> OutgoingMail {
    OutgoingMail {
        to_name: to.display_name.clone(),
        to: to.email.clone(),
        subject: format!("{agency}: a new report is in your portal"),
        text: format!(
            "Hello {},\n\n{agency} has put a new report in your Case Manager Portal.\n\
             Sign in to read or download it:\n\n{public_url}/portal/{slug}/reports\n\n\
             For your clients' privacy this e-mail does not contain the report itself.\n",
            to.display_name
        ),
    }
}

/// What tells a case manager of a report put in their portal: in the app
/// naming the client, by mail naming neither client nor content.
pub(crate) fn report_note(
    to: &user::Model,
    c: &client::Model,
    actor: Option<i32>,
    agency: &str,
    public_url: &str,
    slug: &str,
) -> PortalNote {
    PortalNote {
        kind: NotificationKind::ReportSent,
        actor,
        detail: Some(c.full_name.clone()),
        link: format!("/portal/{slug}/reports"),
        mail: notice(to, agency, public_url, slug),
    }
}

/// Staff send a report to some of the client's case managers: one copy per
/// case manager, made with what case managers may see, saved in their
/// portal and announced by e-mail once stored.
pub async fn send(
    ctx: &ServerContext,
    caller: &Caller,
    client_id: i32,
    kind: ReportKind,
    period: Period,
    recipients: &[i32],
) -> Result<usize, AppError> {
    if recipients.is_empty() {
        return Err(AppError::invalid(
            "recipients",
            "Choose at least one case manager.",
        ));
    }
    let txn = begin_write(&ctx.db).await?;
    let (c, f) = client_and_facts(&txn, client_id).await?;
    can(
        caller,
        Action::Create,
        &Resource::AgencyDesk {
            organisation_id: f.organisation_id,
        },
    )?;
    can(caller, Action::Modify, &Resource::Client(&f))?;
    // What a case manager of this agency may see decides the content.
    let org = organisation::Entity::find_by_id(c.organisation_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let cm_view = Actor::agency_case_manager(0, &org, true);
    if !report_contents(&cm_view, &f).allows(kind.needs()) {
        return Err(AppError::invalid(
            "kind",
            format!(
                "Case managers are not shown {}; turn it on in the portal settings first.",
                kind.needs().label()
            ),
        ));
    }
    let mut mails = Vec::new();
    let mut ids: Vec<i32> = recipients.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let cm = Actor {
            user_id: id,
            ..cm_view.clone()
        };
        let open = standing(&txn, id, f.organisation_id).await? == Standing::Open;
        let to = user::Entity::find_by_id(id).one(&txn).await?;
        let (Some(to), true) = (to, open) else {
            return Err(AppError::invalid(
                "recipients",
                "Every recipient must be one of this client's case managers with active portal access.",
            ));
        };
        if can(&cm, Action::View, &Resource::ClientData(&f, kind.needs())).is_err() {
            return Err(AppError::invalid(
                "recipients",
                format!("{} is not assigned to this client.", to.display_name),
            ));
        }
        let content = build(
            &txn,
            &c,
            kind,
            period,
            f.visible,
            Some(to.display_name.clone()),
        )
        .await?;
        let r = store(
            &txn,
            &c,
            &content,
            period,
            Provenance {
                generated_by: Some(caller.user_id),
                case_manager: Some(id),
                delivery: SENT,
                schedule_id: None,
            },
        )
        .await?;
        record(
            &txn,
            report_entry(ActivityAction::ReportSent, &r, &c).by_caller(caller),
        )
        .await?;
        mails.push(to);
    }
    let agency = content_agency(&txn, &org).await?;
    // The notices go through the outbox with the reports: queued in this
    // transaction, retried until the mail server takes them.
    for to in &mails {
        let note = report_note(
            to,
            &c,
            Some(caller.user_id),
            &agency,
            &ctx.config.public_url,
            &org.slug,
        );
        portal_event(&txn, to, note).await?;
    }
    txn.commit().await?;
    crate::mail::outbox::send_soon(ctx);
    Ok(mails.len())
}

pub(crate) async fn content_agency(
    conn: &impl ConnectionTrait,
    org: &organisation::Model,
) -> Result<String, AppError> {
    let brand = crate::entities::portal_setting::Entity::find_by_id(org.id)
        .one(conn)
        .await?
        .map(|s| s.brand_name)
        .filter(|n| !n.trim().is_empty());
    Ok(brand.unwrap_or_else(|| org.name.clone()))
}

/// The reports in a case manager's portal, newest first, for clients they
/// may still see that kind of data of.
pub async fn mine(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<ReportRow>, AppError> {
    can(
        actor,
        Action::View,
        &Resource::Portal {
            organisation_id: actor.organisation_id,
        },
    )?;
    let reports = report::Entity::find()
        .filter(report::Column::CaseManagerUserId.eq(actor.user_id))
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let senders = names(db, reports.iter().filter_map(|r| r.generated_by)).await?;
    let mut ids: Vec<i32> = reports.iter().map(|r| r.client_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut clients: HashMap<i32, (client::Model, ClientFacts)> = HashMap::new();
    for id in ids {
        clients.insert(id, client_and_facts(db, id).await?);
    }
    let mut out = Vec::new();
    for r in &reports {
        let Some((c, f)) = clients.get(&r.client_id) else {
            continue;
        };
        let Some(kind) = ReportKind::from_key(&r.kind) else {
            continue;
        };
        let this = Resource::Report {
            client: f,
            kind: kind.needs(),
            owner: r.case_manager_user_id,
        };
        if can(actor, Action::View, &this).is_err() {
            continue;
        }
        out.push(row(r, c, actor.zone, origin(r, actor, &senders), None));
    }
    Ok(out)
}

fn origin(r: &report::Model, actor: &Actor, senders: &HashMap<i32, String>) -> String {
    match (r.delivery.as_str(), r.generated_by) {
        (SCHEDULED, _) => "Automated".into(),
        (_, Some(by)) if by == actor.user_id => "Made by you".into(),
        (_, Some(by)) => format!(
            "Sent by {}",
            senders.get(&by).map(String::as_str).unwrap_or("the agency")
        ),
        _ => "Sent by the agency".into(),
    }
}

/// The reports made about a client, for its staff page.
pub async fn of_client(
    db: &DatabaseConnection,
    actor: &Actor,
    client_id: i32,
) -> Result<Vec<ReportRow>, AppError> {
    let (c, f) = client_and_facts(db, client_id).await?;
    can(
        actor,
        Action::View,
        &Resource::AgencyDesk {
            organisation_id: f.organisation_id,
        },
    )?;
    can(actor, Action::View, &Resource::Client(&f))?;
    let reports = report::Entity::find()
        .filter(report::Column::ClientId.eq(c.id))
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let mut ids: Vec<i32> = Vec::new();
    for r in &reports {
        ids.extend(r.generated_by);
        ids.extend(r.case_manager_user_id);
    }
    let people = names(db, ids).await?;
    Ok(reports
        .iter()
        .map(|r| {
            let for_name = r
                .case_manager_user_id
                .and_then(|id| people.get(&id).cloned());
            row(r, &c, actor.zone, origin(r, actor, &people), for_name)
        })
        .collect())
}

/// Opens a stored report as PDF or CSV, if the actor may still see it: a
/// case manager only their own, and only while the client and the data
/// kind are visible to them. Drawing the PDF runs off the async threads.
pub async fn open(
    db: &DatabaseConnection,
    caller: &Caller,
    report_id: i32,
    format: Format,
) -> Result<ReportFile, AppError> {
    let r = report::Entity::find_by_id(report_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (c, f) = client_and_facts(db, r.client_id).await?;
    let kind = ReportKind::from_key(&r.kind).ok_or(AppError::NotFound)?;
    can(
        caller,
        Action::View,
        &Resource::Report {
            client: &f,
            kind: kind.needs(),
            owner: r.case_manager_user_id,
        },
    )?;
    let content: ReportContent = serde_json::from_str(&r.content).map_err(|e| {
        tracing::error!(error = %e, report = r.id, "stored report did not parse");
        AppError::Internal
    })?;
    let stem = format!(
        "{}-{}-{}",
        kind.key().replace('_', "-"),
        r.period_from,
        r.period_to
    );
    let file = match format {
        Format::Csv => ReportFile {
            file_name: format!("{stem}.csv"),
            content_type: "text/csv; charset=utf-8",
            bytes: to_csv(&content).into_bytes(),
        },
        Format::Pdf => {
            let bytes = tokio::task::spawn_blocking(move || crate::reports::pdf::render(&content))
                .await
                .map_err(|e| {
                    tracing::error!(error = %e, "report drawing task failed");
                    AppError::Internal
                })??;
            ReportFile {
                file_name: format!("{stem}.pdf"),
                content_type: "application/pdf",
                bytes,
            }
        }
    };
    let txn = begin_write(db).await?;
    record(
        &txn,
        report_entry(ActivityAction::ReportDownloaded, &r, &c)
            .by_caller(caller)
            .detail(json!({
                "client": c.id,
                "client_name": c.full_name,
                "report": r.kind,
                "format": match format { Format::Pdf => "pdf", Format::Csv => "csv" },
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(file)
}
