use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, NotSet, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use crate::activity::{ActivityAction, Subject};
use crate::entities::activity_log;

/// One entry to append. Pass the same transaction as the change it records,
/// so a change without its log row cannot exist.
#[derive(Clone, Debug)]
pub struct Entry {
    pub organisation_id: Option<i32>,
    pub actor_user_id: Option<i32>,
    pub on_behalf_of_user_id: Option<i32>,
    pub action: ActivityAction,
    pub subject: Subject,
    pub detail: serde_json::Value,
    pub ip: Option<String>,
}

impl Entry {
    pub fn new(action: ActivityAction, subject: Subject) -> Self {
        Entry {
            organisation_id: None,
            actor_user_id: None,
            on_behalf_of_user_id: None,
            action,
            subject,
            detail: serde_json::Value::Object(Default::default()),
            ip: None,
        }
    }

    pub fn by(mut self, actor_user_id: i32, organisation_id: i32) -> Self {
        self.actor_user_id = Some(actor_user_id);
        self.organisation_id = Some(organisation_id);
        self
    }

    /// The organisation whose log shows the row, when no actor is known
    /// (a failed sign-in).
    pub fn in_organisation(mut self, organisation_id: i32) -> Self {
        self.organisation_id = Some(organisation_id);
        self
    }

    pub fn on_behalf_of(mut self, user_id: Option<i32>) -> Self {
        self.on_behalf_of_user_id = user_id;
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    pub fn from_ip(mut self, ip: Option<String>) -> Self {
        self.ip = ip;
        self
    }
}

/// Writes the "page viewed" row that names the reader and the client:
/// every read of a client's record is in the audit trail, by staff as by
/// case managers. Its own transaction: a read changes nothing else.
pub async fn client_viewed(
    db: &sea_orm::DatabaseConnection,
    actor: &crate::auth::policy::Actor,
    c: &crate::entities::client::Model,
    page: &str,
    ip: Option<String>,
) -> Result<(), crate::error::AppError> {
    let txn = crate::db::begin_write(db).await?;
    record(
        &txn,
        Entry::new(ActivityAction::PageViewed, Subject::Client(c.id))
            .by(actor.user_id, actor.organisation_id)
            .detail(serde_json::json!({ "page": page, "client": c.id, "client_name": c.full_name }))
            .from_ip(ip),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether `actor_user_id` viewed this client's `page` within `within`: a
/// conversation the page polls every few seconds is one view, not one row
/// per poll (the log would drown in them).
pub async fn client_viewed_since(
    conn: &impl ConnectionTrait,
    actor_user_id: i32,
    client_id: i32,
    page: &str,
    within: chrono::Duration,
) -> Result<bool, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let recent = activity_log::Entity::find()
        .filter(activity_log::Column::ActorUserId.eq(actor_user_id))
        .filter(activity_log::Column::Action.eq(ActivityAction::PageViewed))
        .filter(activity_log::Column::SubjectType.eq("client"))
        .filter(activity_log::Column::SubjectId.eq(client_id))
        .filter(activity_log::Column::CreatedAt.gt(chrono::Utc::now() - within))
        .order_by_desc(activity_log::Column::Id)
        .limit(20)
        .all(conn)
        .await?;
    Ok(recent.iter().any(|r| {
        serde_json::from_str::<serde_json::Value>(&r.detail)
            .is_ok_and(|d| d["page"].as_str() == Some(page))
    }))
}

/// Serialises every writer of the log on PostgreSQL for the rest of the
/// transaction, so two rows never chain to the same predecessor. (SQLite
/// write transactions are serial already.)
const CHAIN_LOCK: i64 = 0x00CA_5E90_A0D1;

/// The row's hash: SHA-256 over the previous hash and every field, as a
/// JSON array so no field can bleed into the next.
#[expect(clippy::too_many_arguments, reason = "one argument per hashed field")]
fn chain_hash(
    prev: Option<&str>,
    organisation_id: Option<i32>,
    actor: Option<i32>,
    on_behalf_of: Option<i32>,
    action: ActivityAction,
    subject_type: &str,
    subject_id: Option<i32>,
    detail: &str,
    ip: Option<&str>,
    created_at: DateTime<Utc>,
) -> String {
    let canonical = serde_json::json!([
        prev,
        organisation_id,
        actor,
        on_behalf_of,
        format!("{action:?}"),
        subject_type,
        subject_id,
        detail,
        ip,
        created_at.to_rfc3339_opts(SecondsFormat::Micros, true),
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

fn hash_of(row: &activity_log::Model, prev: Option<&str>) -> String {
    chain_hash(
        prev,
        row.organisation_id,
        row.actor_user_id,
        row.on_behalf_of_user_id,
        row.action,
        &row.subject_type,
        row.subject_id,
        &row.detail,
        row.ip.as_deref(),
        row.created_at,
    )
}

#[tracing::instrument(skip_all, fields(action = ?entry.action))]
pub async fn record(conn: &impl ConnectionTrait, entry: Entry) -> Result<(), sea_orm::DbErr> {
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({CHAIN_LOCK})"))
            .await?;
    }
    let prev: Option<String> = activity_log::Entity::find()
        .select_only()
        .column(activity_log::Column::Hash)
        .order_by_desc(activity_log::Column::Id)
        .into_tuple()
        .one(conn)
        .await?;
    let prev = prev.filter(|h| !h.is_empty());
    // PostgreSQL keeps microseconds: hash what will be read back.
    let created_at = Utc::now().trunc_subsecs(6);
    let detail = entry.detail.to_string();
    let hash = chain_hash(
        prev.as_deref(),
        entry.organisation_id,
        entry.actor_user_id,
        entry.on_behalf_of_user_id,
        entry.action,
        entry.subject.kind(),
        entry.subject.id(),
        &detail,
        entry.ip.as_deref(),
        created_at,
    );
    activity_log::ActiveModel {
        id: NotSet,
        organisation_id: Set(entry.organisation_id),
        actor_user_id: Set(entry.actor_user_id),
        on_behalf_of_user_id: Set(entry.on_behalf_of_user_id),
        action: Set(entry.action),
        subject_type: Set(entry.subject.kind().to_string()),
        subject_id: Set(entry.subject.id()),
        detail: Set(detail),
        ip: Set(entry.ip),
        created_at: Set(created_at),
        prev_hash: Set(prev),
        hash: Set(hash),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// What `caseport audit verify` found.
#[derive(Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: u64,
    /// Rows written before the chain existed.
    pub unchained: u64,
    /// The first row whose hash or link does not match.
    pub first_broken: Option<i64>,
}

/// Walks the log in order and recomputes every hash.
pub async fn verify_chain(conn: &impl ConnectionTrait) -> Result<ChainReport, sea_orm::DbErr> {
    let mut report = ChainReport {
        rows: 0,
        unchained: 0,
        first_broken: None,
    };
    let mut prev: Option<String> = None;
    let mut after = 0i64;
    loop {
        let batch = activity_log::Entity::find()
            .filter(activity_log::Column::Id.gt(after))
            .order_by_asc(activity_log::Column::Id)
            .limit(1000)
            .all(conn)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for row in batch {
            report.rows += 1;
            if row.hash.is_empty() && prev.is_none() {
                report.unchained += 1;
                continue;
            }
            let linked = row.prev_hash == prev;
            if !linked || row.hash != hash_of(&row, prev.as_deref()) {
                report.first_broken = Some(row.id);
                return Ok(report);
            }
            prev = Some(row.hash);
        }
    }
    Ok(report)
}
