use bytes::Bytes;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::Sharing;
use crate::agency::case_managers::service::directory;
use crate::agency::clients::service::authorised_client;
use crate::agency::documents::{CategoryRow, DocumentRow};
use crate::assignments::service::facts;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::db::begin_write;
use crate::entities::{client, document, document_category};
use crate::error::AppError;
use crate::server_context::ServerContext;
use crate::storage::{accept_upload, sha256_hex, stored_file_name};
use crate::zone::Zone;

pub async fn categories(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Vec<CategoryRow>, AppError> {
    directory(actor, Action::View)?;
    Ok(document_category::Entity::find()
        .filter(document_category::Column::OrganisationId.eq(actor.organisation_id))
        .order_by_asc(document_category::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CategoryRow {
            id: c.id,
            name: c.name,
            sharing: c.sharing,
        })
        .collect())
}

pub async fn set_category_sharing(
    db: &DatabaseConnection,
    caller: &Caller,
    category_id: i32,
    sharing: Sharing,
) -> Result<(), AppError> {
    can(
        caller,
        Action::Administer,
        &Resource::Organisation {
            id: caller.organisation_id,
        },
    )?;
    let txn = begin_write(db).await?;
    let c = document_category::Entity::find_by_id(category_id)
        .filter(document_category::Column::OrganisationId.eq(caller.organisation_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = c.sharing;
    let mut cm: document_category::ActiveModel = c.clone().into();
    cm.sharing = Set(sharing);
    cm.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::CategoryChanged,
            Subject::DocumentCategory(c.id),
        )
        .by_caller(caller)
        .detail(json!({ "name": c.name, "before": before.key(), "after": sharing.key() })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn row(d: document::Model, c: &document_category::Model, zone: Zone) -> DocumentRow {
    DocumentRow {
        id: d.id,
        name: d.original_name,
        category: c.name.clone(),
        category_sharing: c.sharing,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        uploaded_at: zone.show(d.created_at),
        marked: d.shared,
        shared: c.sharing.shares(d.shared),
    }
}

/// A client's documents as the actor may see them: staff get all, a case
/// manager only the shared ones (through the policy, one by one).
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    client_id: i32,
) -> Result<Vec<DocumentRow>, AppError> {
    let c = authorised_client(db, actor, client_id, Action::View).await?;
    let f = facts(db, &c).await?;
    let docs = document::Entity::find()
        .filter(document::Column::ClientId.eq(c.id))
        .find_also_related(document_category::Entity)
        .order_by_desc(document::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(docs
        .into_iter()
        .filter_map(|(d, cat)| {
            let cat = cat?;
            let shared = cat.sharing.shares(d.shared);
            can(
                actor,
                Action::View,
                &Resource::Document { client: &f, shared },
            )
            .ok()?;
            Some(row(d, &cat, actor.zone))
        })
        .collect())
}

/// The upload size limit, for the agency's staff (who upload).
pub fn upload_limit(ctx: &ServerContext, actor: &Actor) -> Result<u64, AppError> {
    directory(actor, Action::View)?;
    Ok(u64::try_from(ctx.storage.max_upload_bytes).unwrap_or(u64::MAX))
}

/// A new document, checked before anything is stored.
pub struct Upload {
    pub client_id: i32,
    pub file_name: String,
    pub bytes: Bytes,
    pub category_id: i32,
    pub shared: bool,
}

pub async fn upload(ctx: &ServerContext, caller: &Caller, upload: Upload) -> Result<i32, AppError> {
    let db = &ctx.db;
    let c = authorised_client(db, caller, upload.client_id, Action::Modify).await?;
    let kind = accept_upload(&upload.bytes, ctx.storage.max_upload_bytes)?;
    let category = document_category::Entity::find_by_id(upload.category_id)
        .filter(document_category::Column::OrganisationId.eq(c.organisation_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("category", "Choose a category."))?;
    let name = stored_file_name(&upload.file_name, kind);
    let checksum = sha256_hex(&upload.bytes);
    let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
    let key = ctx.storage.put(upload.bytes).await?;
    let saved = async {
        let txn = begin_write(db).await?;
        let d = document::ActiveModel {
            organisation_id: Set(c.organisation_id),
            client_id: Set(c.id),
            category_id: Set(category.id),
            original_name: Set(name.clone()),
            content_type: Set(kind.content_type().to_string()),
            size_bytes: Set(size),
            sha256: Set(checksum.clone()),
            storage_key: Set(key.clone()),
            shared: Set(upload.shared),
            uploaded_by: Set(caller.user_id),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            Entry::new(ActivityAction::DocumentUploaded, Subject::Document(d.id))
                .by_caller(caller)
                .detail(
                    json!({ "client": c.id, "name": name, "category": category.name,
                                "size": size, "sha256": checksum,
                                "shared": category.sharing.shares(upload.shared) }),
                ),
        )
        .await?;
        txn.commit().await?;
        Ok::<_, AppError>(d.id)
    }
    .await;
    if saved.is_err() {
        ctx.storage.delete(&key).await;
    }
    saved
}

pub async fn set_shared(
    db: &DatabaseConnection,
    caller: &Caller,
    document_id: i32,
    shared: bool,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let d = document::Entity::find_by_id(document_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = client::Entity::find_by_id(d.client_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = facts(&txn, &c).await?;
    can(
        caller,
        Action::Modify,
        &Resource::Document {
            client: &f,
            shared: false,
        },
    )?;
    let before = d.shared;
    let mut dm: document::ActiveModel = d.clone().into();
    dm.shared = Set(shared);
    dm.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::DocumentSharingChanged,
            Subject::Document(d.id),
        )
        .by_caller(caller)
        .detail(json!({ "client": c.id, "before": before, "after": shared })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The bytes of a document the actor may see, with its name and type.
/// Every download is logged, naming the client.
pub async fn download(
    ctx: &ServerContext,
    caller: &Caller,
    document_id: i32,
) -> Result<(String, String, Bytes), AppError> {
    let db = &ctx.db;
    let (d, cat) = document::Entity::find_by_id(document_id)
        .find_also_related(document_category::Entity)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let cat = cat.ok_or(AppError::NotFound)?;
    let c = client::Entity::find_by_id(d.client_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = facts(db, &c).await?;
    can(
        caller,
        Action::View,
        &Resource::Document {
            client: &f,
            shared: cat.sharing.shares(d.shared),
        },
    )?;
    let bytes = ctx.storage.get(&d.storage_key).await?;
    let txn = begin_write(db).await?;
    record(
        &txn,
        Entry::new(ActivityAction::DocumentDownloaded, Subject::Document(d.id))
            .by_caller(caller)
            .detail(json!({ "client": c.id, "client_name": c.full_name, "name": d.original_name })),
    )
    .await?;
    txn.commit().await?;
    Ok((d.original_name, d.content_type, bytes))
}
