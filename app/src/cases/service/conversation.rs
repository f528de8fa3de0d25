//! A case's conversation, internal notes and attachments. Each read and
//! write asks the policy about the case (and, for a note, its practice);
//! each write logs itself and tells the people on the case in the same
//! transaction.

use std::collections::{BTreeSet, HashMap};

use bytes::Bytes;
use chrono::Utc;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, CaseFacts, Grant, Resource, can};
use crate::cases::audit::{self, Attached};
use crate::cases::conversation::{AttachmentView, Conversation, MAX_POST_CHARS, PostView};
use crate::cases::service::links::facts;
use crate::db::begin_write;
use crate::entities::{case_attachment, case_link, case_post, organisation, user};
use crate::error::AppError;
use crate::notifications::NotificationKind;
use crate::notifications::service::{CaseEvent, case_event_to};
use crate::server_context::ServerContext;
use crate::storage::{accept_upload, sha256_hex, stored_file_name};
use crate::ui::size_label;

async fn case_facts(conn: &impl ConnectionTrait, case_id: i32) -> Result<CaseFacts, AppError> {
    facts(conn, case_id).await?.ok_or(AppError::NotFound)
}

/// The thread and files of a case, as `actor` may see them: the shared
/// posts, their own practice's internal notes, every attachment.
pub async fn conversation(
    ctx: &ServerContext,
    actor: &Actor,
    case_id: i32,
) -> Result<Conversation, AppError> {
    let db = &ctx.db;
    let case = case_facts(db, case_id).await?;
    let shared = Resource::CasePost {
        case: &case,
        internal_to: None,
    };
    can(actor, Action::View, &shared)?;
    let posts: Vec<case_post::Model> = case_post::Entity::find()
        .filter(case_post::Column::CaseId.eq(case_id))
        .filter(
            Condition::any()
                .add(case_post::Column::InternalTo.is_null())
                .add(case_post::Column::InternalTo.eq(actor.organisation_id)),
        )
        .order_by_asc(case_post::Column::Id)
        .all(db)
        .await?
        .into_iter()
        // The query keeps to the reader's practice; the policy has the
        // last word on each post all the same.
        .filter(|p| {
            let post = Resource::CasePost {
                case: &case,
                internal_to: p.internal_to,
            };
            can(actor, Action::View, &post).is_ok()
        })
        .collect();
    let files = case_attachment::Entity::find()
        .filter(case_attachment::Column::CaseId.eq(case_id))
        .order_by_asc(case_attachment::Column::Id)
        .all(db)
        .await?;
    let mut ids: BTreeSet<i32> = BTreeSet::new();
    for p in &posts {
        ids.insert(p.author_user_id);
        ids.extend(p.on_behalf_of_user_id);
    }
    for f in &files {
        ids.insert(f.uploaded_by);
        ids.extend(f.on_behalf_of_user_id);
    }
    let people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut org_ids: BTreeSet<i32> = people.values().map(|u| u.organisation_id).collect();
    org_ids.insert(actor.organisation_id);
    let practices: HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let who = |author: i32, for_doctor: Option<i32>| byline(&people, author, for_doctor);
    Ok(Conversation {
        posts: posts
            .into_iter()
            .map(|p| PostView {
                author: who(p.author_user_id, p.on_behalf_of_user_id),
                practice: people
                    .get(&p.author_user_id)
                    .and_then(|u| practices.get(&u.organisation_id))
                    .cloned()
                    .unwrap_or_default(),
                internal: p.internal_to.is_some(),
                body: p.body,
                at: actor.zone.show(p.created_at),
            })
            .collect(),
        attachments: files
            .into_iter()
            .map(|f| AttachmentView {
                id: f.id,
                name: f.original_name,
                size: size_label(u64::try_from(f.size_bytes).unwrap_or(0)),
                by: who(f.uploaded_by, f.on_behalf_of_user_id),
                at: actor.zone.show(f.created_at),
            })
            .collect(),
        can_post: can(actor, Action::Create, &shared).is_ok(),
        own_practice: practices
            .get(&actor.organisation_id)
            .cloned()
            .unwrap_or_default(),
        max_upload_bytes: u64::try_from(ctx.storage.max_upload_bytes).unwrap_or(u64::MAX),
    })
}

/// "Casey Staff (case manager, for Dr. Ana Ortiz)", "Dr. Li Chen".
fn byline(people: &HashMap<i32, user::Model>, author: i32, for_doctor: Option<i32>) -> String {
    let name = |id: i32| {
        people
            .get(&id)
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| "A former user".to_string())
    };
    let case_manager = people
        .get(&author)
        .is_some_and(|u| u.role == Role::PracticeCaseManager);
    match (case_manager, for_doctor) {
        (true, Some(d)) => format!("{} (case manager, for {})", name(author), name(d)),
        (true, None) => format!("{} (case manager)", name(author)),
        (false, Some(d)) => format!("{} (for {})", name(author), name(d)),
        (false, None) => name(author),
    }
}

/// Who hears of a post or a file: everyone on the case, or for an internal
/// note only those of the author's practice; the doctor a case manager
/// wrote for; never the author.
async fn audience(
    conn: &impl ConnectionTrait,
    case_id: i32,
    within: Option<i32>,
    actor: i32,
    grant: Grant,
) -> Result<BTreeSet<i32>, AppError> {
    let mut who: BTreeSet<i32> = case_link::Entity::find()
        .filter(case_link::Column::CaseId.eq(case_id))
        .all(conn)
        .await?
        .into_iter()
        .filter(|l| within.is_none_or(|org| l.organisation_id == org))
        .map(|l| l.user_id)
        .collect();
    who.extend(grant.on_behalf_of);
    who.remove(&actor);
    Ok(who)
}

/// Adds a post to the case's thread, or with `internal` an internal note
/// for the caller's own practice. Returns its id.
#[tracing::instrument(skip_all, fields(case_id = case_id, user_id = caller.user_id))]
pub async fn post(
    ctx: &ServerContext,
    caller: &Caller,
    case_id: i32,
    body: &str,
    internal: bool,
) -> Result<i32, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid("body", "Write a message first."));
    }
    if body.chars().count() > MAX_POST_CHARS {
        return Err(AppError::invalid(
            "body",
            format!(
                "A message can be at most {MAX_POST_CHARS} characters; attach a longer text as a file."
            ),
        ));
    }
    let internal_to = internal.then_some(caller.organisation_id);
    let txn = begin_write(&ctx.db).await?;
    let case = case_facts(&txn, case_id).await?;
    let grant = can(
        caller,
        Action::Create,
        &Resource::CasePost {
            case: &case,
            internal_to,
        },
    )?;
    let now = Utc::now();
    let saved = case_post::ActiveModel {
        case_id: Set(case_id),
        author_user_id: Set(caller.user_id),
        on_behalf_of_user_id: Set(grant.on_behalf_of),
        internal_to: Set(internal_to),
        body: Set(body.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        Entry::new(ActivityAction::CasePostAdded, Subject::Case(case_id))
            .by_caller(caller)
            .on_behalf_of(grant.on_behalf_of)
            .detail(json!({ "post": saved.id, "internal": internal })),
    )
    .await?;
    let who = audience(&txn, case_id, internal_to, caller.user_id, grant).await?;
    let event = CaseEvent {
        kind: NotificationKind::Message,
        case_id,
        on_behalf_of: grant.on_behalf_of,
        detail: internal.then(|| "internal note".to_string()),
        urgent: false,
    };
    case_event_to(&txn, caller, &ctx.config.public_url, event, who).await?;
    txn.commit().await?;
    crate::mail::outbox::send_soon(ctx);
    Ok(saved.id)
}

/// A file to attach, as it arrived.
pub struct NewAttachment {
    pub case_id: i32,
    pub file_name: String,
    pub bytes: Bytes,
}

/// Attaches a file to a case for everyone on it. The bytes are checked
/// (size, what they really are) and the policy asked before anything is
/// stored; a failed save removes the stored bytes again. Returns its id.
#[tracing::instrument(skip_all, fields(case_id = upload.case_id, user_id = caller.user_id))]
pub async fn attach(
    ctx: &ServerContext,
    caller: &Caller,
    upload: NewAttachment,
) -> Result<i32, AppError> {
    let case_id = upload.case_id;
    let may_attach = |case: &CaseFacts| can(caller, Action::Modify, &Resource::Case(case));
    may_attach(&case_facts(&ctx.db, case_id).await?)?;
    let kind = accept_upload(&upload.bytes, ctx.storage.max_upload_bytes)?;
    let name = stored_file_name(&upload.file_name, kind);
    let checksum = sha256_hex(&upload.bytes);
    let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
    let key = ctx.storage.put(upload.bytes).await?;
    let saved = async {
        let txn = begin_write(&ctx.db).await?;
        // Asked again in the transaction: the case may have moved on while
        // the bytes were stored.
        let grant = may_attach(&case_facts(&txn, case_id).await?)?;
        let a = case_attachment::ActiveModel {
            case_id: Set(case_id),
            uploaded_by: Set(caller.user_id),
            on_behalf_of_user_id: Set(grant.on_behalf_of),
            original_name: Set(name.clone()),
            content_type: Set(kind.content_type().to_string()),
            size_bytes: Set(size),
            sha256: Set(checksum.clone()),
            storage_key: Set(key.clone()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            Entry::new(ActivityAction::CaseFileAttached, Subject::Case(case_id))
                .by_caller(caller)
                .on_behalf_of(grant.on_behalf_of)
                .detail(audit::stored(&Attached {
                    attachment: a.id,
                    name: name.clone(),
                    size,
                    sha256: checksum.clone(),
                })),
        )
        .await?;
        let who = audience(&txn, case_id, None, caller.user_id, grant).await?;
        let event = CaseEvent {
            kind: NotificationKind::Attachment,
            case_id,
            on_behalf_of: grant.on_behalf_of,
            detail: None,
            urgent: false,
        };
        case_event_to(&txn, caller, &ctx.config.public_url, event, who).await?;
        txn.commit().await?;
        Ok::<_, AppError>(a.id)
    }
    .await;
    match saved {
        Ok(id) => {
            crate::mail::outbox::send_soon(ctx);
            Ok(id)
        }
        Err(e) => {
            ctx.storage.delete(&key).await;
            Err(e)
        }
    }
}

/// The bytes of an attachment on a case the caller may see, with its name
/// and type. Every download is logged on the case.
pub async fn download(
    ctx: &ServerContext,
    caller: &Caller,
    attachment_id: i32,
) -> Result<(String, String, Bytes), AppError> {
    let db = &ctx.db;
    let a = case_attachment::Entity::find_by_id(attachment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let grant = can(
        caller,
        Action::View,
        &Resource::Case(&case_facts(db, a.case_id).await?),
    )?;
    let bytes = ctx.storage.get(&a.storage_key).await?;
    let txn = begin_write(db).await?;
    record(
        &txn,
        Entry::new(ActivityAction::CaseFileDownloaded, Subject::Case(a.case_id))
            .by_caller(caller)
            .on_behalf_of(grant.on_behalf_of)
            .detail(json!({ "attachment": a.id })),
    )
    .await?;
    txn.commit().await?;
    Ok((a.original_name, a.content_type, bytes))
}
