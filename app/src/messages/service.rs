//! Messaging rules: the policy decides who may read and write a
//! conversation; the routing setting decides whose inbox it lands in.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::assignments::service::{client_and_facts, clients_and_facts};
use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, administers_own, can, conversation_with};
use crate::care::service::names;
use crate::db::begin_write;
use crate::entities::{
    client_team_lead, message, message_recipient, messaging_setting, organisation, user,
};
use crate::error::AppError;
use crate::mail::OutgoingMail;
use crate::messages::{MAX_MESSAGE, MessageRow, MessagingView, Routing, StaffMember, ThreadRow};
use crate::notifications::NotificationKind;
use crate::notifications::service::{PortalNote, portal_event};

/// Conversations the inbox looks through, newest messages first.
const INBOX_WINDOW: u64 = 5000;

pub async fn enabled(conn: &impl ConnectionTrait, organisation_id: i32) -> Result<bool, AppError> {
    Ok(messaging_setting::Entity::find_by_id(organisation_id)
        .one(conn)
        .await?
        .is_some_and(|s| s.enabled))
}

async fn routing(conn: &impl ConnectionTrait, organisation_id: i32) -> Result<Routing, AppError> {
    Ok(messaging_setting::Entity::find_by_id(organisation_id)
        .one(conn)
        .await?
        .and_then(|s| Routing::from_key(&s.recipients))
        .unwrap_or(Routing::AllAdmins))
}

/// The agency's active staff and admins.
async fn staff_of(
    conn: &impl ConnectionTrait,
    organisation_id: i32,
) -> Result<Vec<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::OrganisationId.eq(organisation_id))
        .filter(user::Column::Role.is_in([Role::Admin, Role::Staff]))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::DisplayName)
        .all(conn)
        .await?)
}

/// Where an agency's case-manager messages land: its routing setting with
/// what it names, read once for any number of clients.
struct Routes {
    routing: Routing,
    /// The agency's active staff and admins.
    staff: Vec<user::Model>,
    /// Client → team lead, for the clients asked about.
    team_leads: HashMap<i32, i32>,
    /// The chosen recipients, when the agency names them.
    specific: Vec<i32>,
}

impl Routes {
    async fn load(
        conn: &impl ConnectionTrait,
        organisation_id: i32,
        client_ids: &[i32],
    ) -> Result<Routes, AppError> {
        let routing = routing(conn, organisation_id).await?;
        let staff = staff_of(conn, organisation_id).await?;
        let team_leads = match routing {
            Routing::TeamLead if !client_ids.is_empty() => client_team_lead::Entity::find()
                .filter(client_team_lead::Column::ClientId.is_in(client_ids.to_vec()))
                .all(conn)
                .await?
                .into_iter()
                .map(|t| (t.client_id, t.user_id))
                .collect(),
            _ => HashMap::new(),
        };
        let specific = match routing {
            Routing::Specific => message_recipient::Entity::find()
                .filter(message_recipient::Column::OrganisationId.eq(organisation_id))
                .all(conn)
                .await?
                .into_iter()
                .map(|r| r.user_id)
                .collect(),
            _ => Vec::new(),
        };
        Ok(Routes {
            routing,
            staff,
            team_leads,
            specific,
        })
    }

    /// Who receives a case manager's messages about `client_id`. A team
    /// lead or recipient list that is unset or gone falls back to all
    /// admins, so a message never lands nowhere.
    fn receivers(&self, client_id: i32) -> Vec<i32> {
        let active = |id: &i32| self.staff.iter().any(|u| u.id == *id);
        let chosen: Vec<i32> = match self.routing {
            Routing::AllAdmins => Vec::new(),
            Routing::TeamLead => self
                .team_leads
                .get(&client_id)
                .copied()
                .into_iter()
                .collect(),
            Routing::Specific => self.specific.clone(),
        }
        .into_iter()
        .filter(active)
        .collect();
        if chosen.is_empty() {
            return self
                .staff
                .iter()
                .filter(|u| u.role == Role::Admin)
                .map(|u| u.id)
                .collect();
        }
        chosen
    }
}

fn clean_body(body: &str) -> Result<String, AppError> {
    // Control characters other than line breaks and tabs have no place in
    // a plain-text message.
    let body: String = body
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    if body.is_empty() {
        return Err(AppError::invalid("body", "Write a message first."));
    }
    if body.chars().count() > MAX_MESSAGE {
        return Err(AppError::invalid(
            "body",
            format!("A message can be at most {MAX_MESSAGE} characters."),
        ));
    }
    Ok(body)
}

pub async fn send(
    ctx: &crate::server_context::ServerContext,
    caller: &Caller,
    client_id: i32,
    case_manager_id: Option<i32>,
    body: &str,
) -> Result<MessageRow, AppError> {
    let body = clean_body(body)?;
    let public_url = ctx.config.public_url.as_str();
    let txn = begin_write(&ctx.db).await?;
    let (c, f) = client_and_facts(&txn, client_id).await?;
    let on = enabled(&txn, c.organisation_id).await?;
    can(
        caller,
        Action::Create,
        &Resource::Messages {
            client: &f,
            enabled: on,
        },
    )?;
    let cm = conversation_with(caller, Action::Create, &f, case_manager_id)?;
    let now = Utc::now();
    let saved = message::ActiveModel {
        organisation_id: Set(c.organisation_id),
        client_id: Set(c.id),
        case_manager_user_id: Set(cm),
        author_user_id: Set(caller.user_id),
        body: Set(body.clone()),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The log names the conversation, not the words: the message itself
    // stays in one place.
    record(
        &txn,
        Entry::new(ActivityAction::MessageSent, Subject::Message(saved.id))
            .by_caller(caller)
            .detail(json!({
                "client": c.id,
                "client_name": c.full_name,
                "case_manager": cm,
                "characters": body.chars().count(),
            })),
    )
    .await?;
    let me = user::Entity::find_by_id(caller.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let org = organisation::Entity::find_by_id(c.organisation_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut notices = Vec::new();
    if caller.role == Role::ExternalCaseManager {
        let routes = Routes::load(&txn, c.organisation_id, &[c.id]).await?;
        for id in routes.receivers(c.id) {
            if let Some(u) = routes.staff.iter().find(|u| u.id == id) {
                notices.push(OutgoingMail {
                    to_name: u.display_name.clone(),
                    to: u.email.clone(),
                    subject: "A case manager sent a message".into(),
                    text: format!(
                        "Hello {},\n\nA case manager has sent a message about one of your clients.\n\
                         Read and answer it in Caseport:\n\n{public_url}/messages\n",
                        u.display_name
                    ),
                });
            }
        }
    } else if let Some(to) = user::Entity::find_by_id(cm).one(&txn).await? {
        // The case manager hears of it like any notification: in the portal's
        // notification centre, and by mail as they chose.
        let link = format!("/portal/{}/clients/{}?tab=messages", org.slug, c.id);
        let mail = OutgoingMail {
            to_name: to.display_name.clone(),
            to: to.email.clone(),
            subject: format!("{}: a new message in your portal", org.name),
            text: format!(
                "Hello {},\n\n{} has answered you in the Case Manager Portal.\n\
                 Sign in to read it:\n\n{public_url}{link}\n\n\
                 For your clients' privacy this e-mail does not contain the message.\n",
                to.display_name, org.name
            ),
        };
        let note = PortalNote {
            kind: NotificationKind::AgencyMessage,
            actor: Some(caller.user_id),
            detail: Some(c.full_name.clone()),
            link,
            mail,
        };
        portal_event(&txn, &to, note).await?;
    }
    // Queued with the message, sent after the commit (and retried).
    for mail in &notices {
        crate::mail::outbox::enqueue(&txn, mail).await?;
    }
    txn.commit().await?;
    crate::mail::outbox::send_soon(ctx);
    Ok(MessageRow {
        id: saved.id,
        from_agency: caller.role != Role::ExternalCaseManager,
        author: me.display_name,
        body,
        sent_at: caller.zone.show(now),
    })
}

pub async fn conversation(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    case_manager_id: Option<i32>,
) -> Result<Vec<MessageRow>, AppError> {
    let txn = begin_write(db).await?;
    let (c, f) = client_and_facts(&txn, client_id).await?;
    let on = enabled(&txn, c.organisation_id).await?;
    can(
        caller,
        Action::View,
        &Resource::Messages {
            client: &f,
            enabled: on,
        },
    )?;
    // Staff may read a past conversation with someone since unassigned.
    let cm = conversation_with(caller, Action::View, &f, case_manager_id)?;
    let rows = message::Entity::find()
        .filter(message::Column::ClientId.eq(c.id))
        .filter(message::Column::CaseManagerUserId.eq(cm))
        .order_by_asc(message::Column::CreatedAt)
        .order_by_asc(message::Column::Id)
        .all(&txn)
        .await?;
    // Opening the conversation reads what the other side wrote.
    let theirs = if caller.role == Role::ExternalCaseManager {
        message::Column::AuthorUserId.ne(cm)
    } else {
        message::Column::AuthorUserId.eq(cm)
    };
    message::Entity::update_many()
        .col_expr(message::Column::ReadAt, Expr::value(Utc::now()))
        .filter(message::Column::ClientId.eq(c.id))
        .filter(message::Column::CaseManagerUserId.eq(cm))
        .filter(message::Column::ReadAt.is_null())
        .filter(theirs)
        .exec(&txn)
        .await?;
    // One view per quarter hour: the open conversation polls every few
    // seconds, and each poll is not a new reading.
    if caller.role == Role::ExternalCaseManager
        && !crate::activity::service::client_viewed_since(
            &txn,
            caller.user_id,
            c.id,
            "messages",
            chrono::Duration::minutes(15),
        )
        .await?
    {
        record(
            &txn,
            Entry::new(ActivityAction::PageViewed, Subject::Client(c.id))
                .by_caller(caller)
                .detail(json!({ "page": "messages", "client": c.id, "client_name": c.full_name })),
        )
        .await?;
    }
    let authors = names(&txn, rows.iter().map(|m| m.author_user_id)).await?;
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|m| MessageRow {
            id: m.id,
            from_agency: m.author_user_id != cm,
            author: authors.get(&m.author_user_id).cloned().unwrap_or_default(),
            body: m.body,
            sent_at: caller.zone.show(m.created_at),
        })
        .collect())
}

/// Conversations for staff: with `routed_only`, those whose messages land
/// with this staff member; otherwise every one they may read.
pub async fn inbox(
    db: &DatabaseConnection,
    actor: &Actor,
    client_id: Option<i32>,
    case_manager_id: Option<i32>,
    routed_only: bool,
) -> Result<Vec<ThreadRow>, AppError> {
    crate::auth::policy::works_at_own_desk(actor)?;
    let mut find = message::Entity::find()
        .filter(message::Column::OrganisationId.eq(actor.organisation_id))
        .order_by_desc(message::Column::CreatedAt)
        .order_by_desc(message::Column::Id)
        .limit(INBOX_WINDOW);
    if let Some(id) = client_id {
        find = find.filter(message::Column::ClientId.eq(id));
    }
    if let Some(id) = case_manager_id {
        find = find.filter(message::Column::CaseManagerUserId.eq(id));
    }
    let rows = find.all(db).await?;
    // Newest first, so the first message seen of each conversation is its
    // latest.
    let mut threads: BTreeMap<(i32, i32), (message::Model, i64)> = BTreeMap::new();
    for m in rows {
        let unread = i64::from(m.author_user_id == m.case_manager_user_id && m.read_at.is_none());
        threads
            .entry((m.client_id, m.case_manager_user_id))
            .and_modify(|(_, n)| *n += unread)
            .or_insert((m, unread));
    }
    let on = enabled(db, actor.organisation_id).await?;
    // A fixed number of queries, however many conversations.
    let clients = clients_and_facts(db, threads.keys().map(|(cid, _)| *cid)).await?;
    let ids: Vec<i32> = clients.keys().copied().collect();
    let routes = Routes::load(db, actor.organisation_id, &ids).await?;
    let mut out = Vec::new();
    let people = names(db, threads.keys().map(|(_, cm)| *cm)).await?;
    for ((cid, cm), (last, unread)) in threads {
        let Some((c, f)) = clients.get(&cid) else {
            continue;
        };
        if can(
            actor,
            Action::View,
            &Resource::Messages {
                client: f,
                enabled: on,
            },
        )
        .is_err()
        {
            continue;
        }
        if routed_only && !routes.receivers(c.id).contains(&actor.user_id) {
            continue;
        }
        out.push((
            last.created_at,
            ThreadRow {
                client_id: c.id,
                client_name: c.full_name.clone(),
                case_manager_id: cm,
                case_manager_name: people.get(&cm).cloned().unwrap_or_default(),
                last_at: actor.zone.show(last.created_at),
                preview: last.body.chars().take(80).collect(),
                unread,
            },
        ));
    }
    // Newest conversation first, by the instant (the shown time is words).
    out.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    Ok(out.into_iter().map(|(_, row)| row).collect())
}

pub async fn unread(db: &DatabaseConnection, actor: &Actor) -> Result<Option<i64>, AppError> {
    if !enabled(db, actor.organisation_id).await? {
        return Ok(None);
    }
    match actor.role {
        Role::Admin | Role::Staff => {
            crate::auth::policy::works_at_own_desk(actor)?;
            // The badge asks every few seconds: count the unread messages
            // per client in the database, then decide once per client
            // whether they reach this person, instead of building the inbox.
            use sea_orm::sea_query::{Expr, ExprTrait};
            use sea_orm::{QuerySelect, prelude::*};
            let waiting: Vec<(i32, i64)> = message::Entity::find()
                .select_only()
                .column(message::Column::ClientId)
                .column_as(message::Column::Id.count(), "waiting")
                .filter(message::Column::OrganisationId.eq(actor.organisation_id))
                .filter(message::Column::ReadAt.is_null())
                .filter(
                    Expr::col(message::Column::AuthorUserId)
                        .equals(message::Column::CaseManagerUserId),
                )
                .group_by(message::Column::ClientId)
                .into_tuple()
                .all(db)
                .await?;
            let clients = clients_and_facts(db, waiting.iter().map(|(id, _)| *id)).await?;
            let ids: Vec<i32> = clients.keys().copied().collect();
            let routes = Routes::load(db, actor.organisation_id, &ids).await?;
            let mut n = 0;
            for (client_id, count) in waiting {
                let Some((c, f)) = clients.get(&client_id) else {
                    continue;
                };
                let visible = can(
                    actor,
                    Action::View,
                    &Resource::Messages {
                        client: f,
                        enabled: true,
                    },
                )
                .is_ok();
                if visible && routes.receivers(c.id).contains(&actor.user_id) {
                    n += count;
                }
            }
            Ok(Some(n))
        }
        Role::ExternalCaseManager => {
            let waiting = message::Entity::find()
                .filter(message::Column::CaseManagerUserId.eq(actor.user_id))
                .filter(message::Column::AuthorUserId.ne(actor.user_id))
                .filter(message::Column::ReadAt.is_null())
                .all(db)
                .await?;
            let clients = clients_and_facts(db, waiting.iter().map(|m| m.client_id)).await?;
            let n = waiting
                .iter()
                .filter(|m| {
                    clients.get(&m.client_id).is_some_and(|(_, f)| {
                        can(
                            actor,
                            Action::View,
                            &Resource::Messages {
                                client: f,
                                enabled: true,
                            },
                        )
                        .is_ok()
                    })
                })
                .count();
            Ok(Some(n as i64))
        }
        _ => Ok(None),
    }
}

pub async fn settings(db: &DatabaseConnection, actor: &Actor) -> Result<MessagingView, AppError> {
    administers_own(actor)?;
    let s = messaging_setting::Entity::find_by_id(actor.organisation_id)
        .one(db)
        .await?;
    let chosen: Vec<i32> = message_recipient::Entity::find()
        .filter(message_recipient::Column::OrganisationId.eq(actor.organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    Ok(MessagingView {
        enabled: s.as_ref().is_some_and(|s| s.enabled),
        routing: s
            .and_then(|s| Routing::from_key(&s.recipients))
            .unwrap_or(Routing::AllAdmins),
        staff: staff_of(db, actor.organisation_id)
            .await?
            .into_iter()
            .map(|u| StaffMember {
                chosen: chosen.contains(&u.id),
                id: u.id,
                name: u.display_name,
            })
            .collect(),
    })
}

pub async fn update_settings(
    db: &DatabaseConnection,
    caller: &Caller,
    on: bool,
    route: Routing,
    staff_ids: &[i32],
) -> Result<(), AppError> {
    administers_own(caller)?;
    let txn = begin_write(db).await?;
    let staff = staff_of(&txn, caller.organisation_id).await?;
    let mut ids = staff_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.iter().any(|id| !staff.iter().any(|u| u.id == *id)) {
        return Err(AppError::invalid(
            "staff",
            "Choose recipients from the agency's staff.",
        ));
    }
    if route == Routing::Specific && ids.is_empty() {
        return Err(AppError::invalid(
            "staff",
            "Choose at least one staff member to receive messages.",
        ));
    }
    let before = settings(db, caller).await?;
    let now = Utc::now();
    match messaging_setting::Entity::find_by_id(caller.organisation_id)
        .one(&txn)
        .await?
    {
        Some(s) => {
            let mut am = s.into_active_model();
            am.enabled = Set(on);
            am.recipients = Set(route.key().into());
            am.updated_at = Set(now);
            am.update(&txn).await?;
        }
        None => {
            messaging_setting::ActiveModel {
                organisation_id: Set(caller.organisation_id),
                enabled: Set(on),
                recipients: Set(route.key().into()),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
    }
    message_recipient::Entity::delete_many()
        .filter(message_recipient::Column::OrganisationId.eq(caller.organisation_id))
        .exec(&txn)
        .await?;
    if route == Routing::Specific {
        for id in &ids {
            message_recipient::ActiveModel {
                organisation_id: Set(caller.organisation_id),
                user_id: Set(*id),
            }
            .insert(&txn)
            .await?;
        }
    }
    let chosen_before: Vec<i32> = before
        .staff
        .iter()
        .filter(|s| s.chosen)
        .map(|s| s.id)
        .collect();
    record(
        &txn,
        Entry::new(ActivityAction::SettingsChanged, Subject::Organisation(caller.organisation_id))
        .by_caller(caller)
        .detail(json!({
            "section": "communication",
            "before": { "enabled": before.enabled, "routing": before.routing.key(), "staff": chosen_before },
            "after": { "enabled": on, "routing": route.key(), "staff": if route == Routing::Specific { ids } else { Vec::new() } },
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn team_lead_choices(
    db: &DatabaseConnection,
    actor: &Actor,
    client_id: i32,
) -> Result<Vec<StaffMember>, AppError> {
    let (c, f) = client_and_facts(db, client_id).await?;
    can(actor, Action::Modify, &Resource::Client(&f))?;
    let lead = client_team_lead::Entity::find_by_id(c.id)
        .one(db)
        .await?
        .map(|t| t.user_id);
    Ok(staff_of(db, c.organisation_id)
        .await?
        .into_iter()
        .map(|u| StaffMember {
            chosen: lead == Some(u.id),
            id: u.id,
            name: u.display_name,
        })
        .collect())
}

pub async fn set_team_lead(
    db: &DatabaseConnection,
    caller: &Caller,
    client_id: i32,
    lead: Option<i32>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let (c, f) = client_and_facts(&txn, client_id).await?;
    can(caller, Action::Modify, &Resource::Client(&f))?;
    if let Some(id) = lead
        && !staff_of(&txn, c.organisation_id)
            .await?
            .iter()
            .any(|u| u.id == id)
    {
        return Err(AppError::invalid(
            "user_id",
            "Choose a team lead from the agency's staff.",
        ));
    }
    let before = client_team_lead::Entity::find_by_id(c.id)
        .one(&txn)
        .await?
        .map(|t| t.user_id);
    client_team_lead::Entity::delete_many()
        .filter(client_team_lead::Column::ClientId.eq(c.id))
        .exec(&txn)
        .await?;
    if let Some(id) = lead {
        client_team_lead::ActiveModel {
            client_id: Set(c.id),
            user_id: Set(id),
        }
        .insert(&txn)
        .await?;
    }
    record(
        &txn,
        Entry::new(ActivityAction::TeamLeadChanged, Subject::Client(c.id))
            .by_caller(caller)
            .detail(json!({ "client_name": c.full_name, "before": before, "after": lead })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
