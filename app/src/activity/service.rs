use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, NotSet, Set};

use crate::activity::ActivityAction;
use crate::entities::activity_log;

/// One entry to append. Pass the same transaction as the change it records,
/// so a change without its log row cannot exist.
#[derive(Clone, Debug)]
pub struct Entry {
    pub organisation_id: Option<i32>,
    pub actor_user_id: Option<i32>,
    pub on_behalf_of_user_id: Option<i32>,
    pub action: ActivityAction,
    pub subject_type: &'static str,
    pub subject_id: Option<i32>,
    pub detail: serde_json::Value,
    pub ip: Option<String>,
}

impl Entry {
    pub fn new(
        action: ActivityAction,
        subject_type: &'static str,
        subject_id: Option<i32>,
    ) -> Self {
        Entry {
            organisation_id: None,
            actor_user_id: None,
            on_behalf_of_user_id: None,
            action,
            subject_type,
            subject_id,
            detail: serde_json::Value::Object(Default::default()),
            ip: None,
        }
    }

    pub fn by(mut self, actor_user_id: i32, organisation_id: i32) -> Self {
        self.actor_user_id = Some(actor_user_id);
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

#[tracing::instrument(skip(conn), fields(action = ?entry.action))]
pub async fn record(conn: &impl ConnectionTrait, entry: Entry) -> Result<(), sea_orm::DbErr> {
    activity_log::ActiveModel {
        id: NotSet,
        organisation_id: Set(entry.organisation_id),
        actor_user_id: Set(entry.actor_user_id),
        on_behalf_of_user_id: Set(entry.on_behalf_of_user_id),
        action: Set(entry.action),
        subject_type: Set(entry.subject_type.to_string()),
        subject_id: Set(entry.subject_id),
        detail: Set(entry.detail.to_string()),
        ip: Set(entry.ip),
        created_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}
