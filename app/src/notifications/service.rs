//! Writing notifications with the change they tell of, and reading them.
//!
//! [`case_event`] runs inside the caller's write transaction: the
//! notification rows and their mails (through `mail::outbox`) exist exactly
//! when the change does. The mail goes out after the commit.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::Role;
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::cases::CaseSide;
use crate::db::begin_write;
use crate::entities::{case_link, notification, notification_preference, user};
use crate::error::AppError;
use crate::mail::OutgoingMail;
use crate::notifications::{
    Delivery, DeliverySettings, LISTED, NotificationKind, NotificationView, Notifications,
    Preference,
};

/// Something that happened to a case, to tell the people on it.
#[derive(Clone, Debug)]
pub struct CaseEvent {
    pub kind: NotificationKind,
    pub case_id: i32,
    /// The doctor a case manager acted for (the grant's `on_behalf_of`).
    pub on_behalf_of: Option<i32>,
    /// A label such as the rejection reason, shown in the app only.
    pub detail: Option<String>,
    /// An urgent or emergency case: its referral is mailed whatever the
    /// recipient chose.
    pub urgent: bool,
}

/// Who hears of `event`: a new referral, the doctor it is referred to and
/// its associates; a new owner, the owner alone; anything else, everyone on
/// the case, and the doctor a case manager acted for, so a doctor learns
/// what was done in their name. Never the one who acted.
fn recipients(
    kind: NotificationKind,
    links: &[case_link::Model],
    actor: i32,
    on_behalf_of: Option<i32>,
) -> BTreeSet<i32> {
    if kind == NotificationKind::Assigned {
        // The links carry the case's owner, already the new one.
        return links
            .iter()
            .filter_map(|l| l.owner_user_id)
            .filter(|owner| *owner != actor)
            .collect();
    }
    let mut who: BTreeSet<i32> = links
        .iter()
        .filter(|l| kind != NotificationKind::Referred || l.side != CaseSide::ReferredBy)
        .map(|l| l.user_id)
        .collect();
    if kind != NotificationKind::Referred {
        who.extend(on_behalf_of);
    }
    who.remove(&actor);
    who
}

/// Writes the notifications and mails of `event` in `conn`'s transaction.
/// Returns how many people were told.
pub async fn case_event(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    public_url: &str,
    event: CaseEvent,
) -> Result<usize, AppError> {
    let links = case_link::Entity::find()
        .filter(case_link::Column::CaseId.eq(event.case_id))
        .all(conn)
        .await?;
    let who = recipients(event.kind, &links, caller.user_id, event.on_behalf_of);
    case_event_to(conn, caller, public_url, event, who).await
}

/// Writes the notifications and mails of `event` for `who`, chosen by the
/// caller (an internal note tells its own practice only), in `conn`'s
/// transaction. Returns how many people were told.
pub async fn case_event_to(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    public_url: &str,
    event: CaseEvent,
    who: BTreeSet<i32>,
) -> Result<usize, AppError> {
    let note = Note {
        kind: event.kind,
        case_id: event.case_id,
        actor: Some((caller.user_id, caller.user.display_name.as_str())),
        on_behalf_of: event.on_behalf_of,
        detail: event.detail,
        always_mailed: event.kind.always_mailed(event.urgent),
    };
    write(conn, public_url, note, who).await
}

/// Tells `who` of a case event no person caused (a deadline passing), in
/// `conn`'s transaction. Returns how many people were told.
pub async fn deadline_event(
    conn: &impl ConnectionTrait,
    public_url: &str,
    kind: NotificationKind,
    case_id: i32,
    detail: Option<String>,
    who: BTreeSet<i32>,
) -> Result<usize, AppError> {
    let note = Note {
        kind,
        case_id,
        actor: None,
        on_behalf_of: None,
        detail,
        always_mailed: kind.always_mailed(false),
    };
    write(conn, public_url, note, who).await
}

/// Something put in a case manager's portal, to tell them of it.
pub struct PortalNote {
    pub kind: NotificationKind,
    /// The staff member who acted; `None` for an automated report.
    pub actor: Option<i32>,
    /// The client's name, shown in the app only.
    pub detail: Option<String>,
    /// The portal page to look at.
    pub link: String,
    /// The mail, which names neither client nor content.
    pub mail: OutgoingMail,
}

/// Tells `to` of a portal event in `conn`'s transaction: a notification,
/// and its mail at once, in their digest or not at all, as they chose.
pub async fn portal_event(
    conn: &impl ConnectionTrait,
    to: &user::Model,
    note: PortalNote,
) -> Result<(), AppError> {
    if !to.active {
        return Ok(());
    }
    let delivery = notification_preference::Entity::find()
        .filter(notification_preference::Column::UserId.eq(to.id))
        .filter(notification_preference::Column::Kind.eq(note.kind))
        .one(conn)
        .await?
        .map(|p| p.delivery)
        .unwrap_or_default();
    notification::ActiveModel {
        user_id: Set(to.id),
        kind: Set(note.kind),
        case_id: Set(None),
        actor_user_id: Set(note.actor),
        on_behalf_of_user_id: Set(None),
        detail: Set(note.detail),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        for_user_id: Set(None),
        digest: Set(delivery == Delivery::Digest),
        digested_at: Set(None),
        link: Set(Some(note.link)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    if delivery == Delivery::Immediate {
        crate::mail::outbox::enqueue(conn, &note.mail).await?;
    }
    Ok(())
}

/// One event to write for each recipient.
struct Note<'a> {
    kind: NotificationKind,
    case_id: i32,
    /// Who acted (id and name), when a person did.
    actor: Option<(i32, &'a str)>,
    on_behalf_of: Option<i32>,
    detail: Option<String>,
    /// Mailed whatever the recipients chose.
    always_mailed: bool,
}

/// Who receives what was meant for `who`: each doctor who hands their
/// notifications on is replaced by their practice's active case managers
/// (not the one who acted), remembered as the doctor they receive it for.
/// A doctor whose practice has no such case manager keeps their own, so
/// nothing is lost. Someone reached twice is told once, in their own right
/// before anyone else's.
async fn delegated(
    conn: &impl ConnectionTrait,
    who: BTreeSet<i32>,
    actor: Option<i32>,
) -> Result<Vec<(i32, Option<i32>)>, AppError> {
    let handing_on: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(who.iter().copied()))
        .filter(user::Column::NotifyCaseManagers.eq(true))
        .filter(user::Column::Role.eq(Role::Doctor))
        .filter(user::Column::Active.eq(true))
        .all(conn)
        .await?;
    let mut told: Vec<(i32, Option<i32>)> = Vec::new();
    let mut seen: BTreeSet<i32> = BTreeSet::new();
    let passed_on: BTreeSet<i32> = handing_on.iter().map(|d| d.id).collect();
    for id in who.iter().copied().filter(|id| !passed_on.contains(id)) {
        seen.insert(id);
        told.push((id, None));
    }
    for doctor in handing_on {
        let managers: Vec<i32> = user::Entity::find()
            .filter(user::Column::OrganisationId.eq(doctor.organisation_id))
            .filter(user::Column::Role.eq(Role::PracticeCaseManager))
            .filter(user::Column::Active.eq(true))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| u.id)
            // The one who acted knows; if they are the only one, the
            // doctor is told themselves.
            .filter(|m| Some(*m) != actor)
            .collect();
        if managers.is_empty() {
            if seen.insert(doctor.id) {
                told.push((doctor.id, None));
            }
            continue;
        }
        for m in managers {
            if seen.insert(m) {
                told.push((m, Some(doctor.id)));
            }
        }
    }
    Ok(told)
}

/// A notification for each active recipient of what was meant for `who`,
/// and its mail: at once, in their daily digest, or not at all, as they
/// chose for this kind (some kinds always go at once).
async fn write(
    conn: &impl ConnectionTrait,
    public_url: &str,
    note: Note<'_>,
    who: BTreeSet<i32>,
) -> Result<usize, AppError> {
    if who.is_empty() {
        return Ok(0);
    }
    let told = delegated(conn, who, note.actor.map(|(id, _)| id)).await?;
    let mut ids: Vec<i32> = told
        .iter()
        .flat_map(|(r, d)| [Some(*r), *d])
        .flatten()
        .collect();
    ids.extend(note.on_behalf_of);
    let people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let for_whom = note
        .on_behalf_of
        .and_then(|id| people.get(&id))
        .map(|u| u.display_name.clone());
    // The mail says who did what to which case and where to look, and no
    // more: no patient, no reason. Mail leaves the systems we control.
    let line = note.kind.sentence(
        note.actor.map(|(_, name)| name).unwrap_or_default(),
        for_whom.as_deref(),
        note.case_id,
        None,
    );
    // What each recipient chose for this kind; some kinds go at once
    // regardless.
    let chosen: HashMap<i32, Delivery> = if note.always_mailed {
        HashMap::new()
    } else {
        notification_preference::Entity::find()
            .filter(notification_preference::Column::UserId.is_in(told.iter().map(|(r, _)| *r)))
            .filter(notification_preference::Column::Kind.eq(note.kind))
            .all(conn)
            .await?
            .into_iter()
            .map(|p| (p.user_id, p.delivery))
            .collect()
    };
    let now = Utc::now();
    let mut count = 0;
    for (id, for_doctor) in told {
        let Some(person) = people.get(&id).filter(|u| u.active) else {
            continue;
        };
        let delivery = chosen.get(&id).copied().unwrap_or_default();
        notification::ActiveModel {
            user_id: Set(person.id),
            kind: Set(note.kind),
            case_id: Set(Some(note.case_id)),
            actor_user_id: Set(note.actor.map(|(id, _)| id)),
            on_behalf_of_user_id: Set(note.on_behalf_of),
            detail: Set(note.detail.clone()),
            created_at: Set(now),
            read_at: Set(None),
            for_user_id: Set(for_doctor),
            digest: Set(delivery == Delivery::Digest),
            digested_at: Set(None),
            link: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        count += 1;
        if delivery != Delivery::Immediate {
            continue;
        }
        let handed_on = for_doctor
            .and_then(|d| people.get(&d))
            .map(|d| {
                format!(
                    "You receive this for {}, who passes their notifications to their \
                     practice's case managers.\n\n",
                    d.display_name
                )
            })
            .unwrap_or_default();
        let mail = OutgoingMail {
            to_name: person.display_name.clone(),
            to: person.email.clone(),
            subject: format!("Caseport: case #{} {}", note.case_id, note.kind.verb()),
            text: format!(
                "Hello {},\n\n{line}\n\n{handed_on}Open the case in Caseport:\n\n{public_url}/cases/{}\n\n\
                 For your patients' privacy this e-mail says no more.\n",
                person.display_name, note.case_id
            ),
        };
        crate::mail::outbox::enqueue(conn, &mail).await?;
    }
    Ok(count)
}

/// The policy's word on the actor's own notifications.
fn own(actor: &Actor, action: Action) -> Result<(), AppError> {
    let mine = Resource::Notifications {
        recipient: actor.user_id,
    };
    can(actor, action, &mine).map(|_| ())
}

/// The actor's newest notifications and their unread count.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Notifications, AppError> {
    own(actor, Action::View)?;
    let mine = notification::Column::UserId.eq(actor.user_id);
    let unread = notification::Entity::find()
        .filter(mine.clone())
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?;
    let rows = notification::Entity::find()
        .filter(mine)
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(LISTED)
        .all(db)
        .await?;
    let mut names: Vec<i32> = rows.iter().filter_map(|n| n.actor_user_id).collect();
    names.extend(rows.iter().filter_map(|n| n.on_behalf_of_user_id));
    names.extend(rows.iter().filter_map(|n| n.for_user_id));
    names.sort_unstable();
    names.dedup();
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(names))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let name = |id: Option<i32>| id.and_then(|id| names.get(&id)).cloned();
    let items = rows
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: n.kind,
            text: {
                let line = n.kind.sentence(
                    &name(n.actor_user_id).unwrap_or_else(|| "Someone".into()),
                    name(n.on_behalf_of_user_id).as_deref(),
                    n.case_id.unwrap_or_default(),
                    n.detail.as_deref(),
                );
                // Handed on by a doctor: say for whom it was meant.
                match name(n.for_user_id) {
                    Some(doctor) => format!("For {doctor}: {line}"),
                    None => line,
                }
            },
            href: n
                .link
                .clone()
                .or_else(|| n.case_id.map(|id| format!("/cases/{id}"))),
            at: actor.zone.show(n.created_at),
            unread: n.read_at.is_none(),
        })
        .collect();
    Ok(Notifications { unread, items })
}

/// Marks one of the actor's notifications read, or all of them (`None`).
/// Read marks are the reader's own state, like a message's `read_at`: they
/// change nothing anyone else sees, so they are not in the activity log.
pub async fn mark_read(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Option<i32>,
) -> Result<(), AppError> {
    if let Some(id) = id {
        let n = notification::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        can(
            actor,
            Action::Modify,
            &Resource::Notifications {
                recipient: n.user_id,
            },
        )?;
    } else {
        own(actor, Action::Modify)?;
    }
    let mut unread = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(actor.user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        unread = unread.filter(notification::Column::Id.eq(id));
    }
    unread.exec(db).await?;
    Ok(())
}

/// The actor's notification settings, one line per kind.
pub async fn preferences(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<Vec<Preference>, AppError> {
    own(actor, Action::View)?;
    let chosen: HashMap<NotificationKind, Delivery> = notification_preference::Entity::find()
        .filter(notification_preference::Column::UserId.eq(actor.user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.kind, p.delivery))
        .collect();
    let portal = actor.role == Role::ExternalCaseManager;
    Ok(NotificationKind::ALL
        .into_iter()
        .filter(|kind| kind.in_portal() == portal)
        .map(|kind| Preference {
            kind,
            delivery: if kind.can_mute() {
                chosen.get(&kind).copied().unwrap_or_default()
            } else {
                Delivery::Immediate
            },
            locked: !kind.can_mute(),
        })
        .collect())
}

/// Saves the caller's choices (kinds left out keep theirs). Turning off a
/// kind that cannot be muted is refused, and nothing is saved.
pub async fn save_preferences(
    db: &DatabaseConnection,
    caller: &Caller,
    choices: &[(NotificationKind, Delivery)],
) -> Result<(), AppError> {
    own(caller, Action::Modify)?;
    let portal = caller.role == Role::ExternalCaseManager;
    if let Some((kind, _)) = choices.iter().find(|(k, _)| k.in_portal() != portal) {
        return Err(AppError::invalid(
            "delivery",
            format!("\"{}\" is not told to you.", kind.label()),
        ));
    }
    if let Some((kind, _)) = choices
        .iter()
        .find(|(k, d)| !k.can_mute() && *d != Delivery::Immediate)
    {
        return Err(AppError::invalid(
            "delivery",
            format!("\"{}\" always comes by e-mail.", kind.label()),
        ));
    }
    let txn = begin_write(db).await?;
    let mut changed = serde_json::Map::new();
    for (kind, delivery) in choices {
        let mine = notification_preference::Column::UserId.eq(caller.user_id);
        let before = notification_preference::Entity::find()
            .filter(mine.clone())
            .filter(notification_preference::Column::Kind.eq(*kind))
            .one(&txn)
            .await?
            .map(|p| p.delivery)
            .unwrap_or_default();
        if before == *delivery {
            continue;
        }
        notification_preference::Entity::delete_many()
            .filter(mine)
            .filter(notification_preference::Column::Kind.eq(*kind))
            .exec(&txn)
            .await?;
        if *delivery != Delivery::default() {
            notification_preference::ActiveModel {
                user_id: Set(caller.user_id),
                kind: Set(*kind),
                delivery: Set(*delivery),
            }
            .insert(&txn)
            .await?;
        }
        changed.insert(
            kind.label().to_string(),
            serde_json::json!({ "from": before.key(), "to": delivery.key() }),
        );
    }
    if changed.is_empty() {
        return Ok(());
    }
    record(
        &txn,
        Entry::new(
            ActivityAction::SettingsChanged,
            Subject::User(caller.user_id),
        )
        .by_caller(caller)
        .detail(serde_json::json!({ "notifications": changed })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The caller's digest hour and, for a doctor, whether their practice's
/// case managers receive their notifications.
pub async fn delivery_settings(
    db: &DatabaseConnection,
    actor: &Actor,
) -> Result<DeliverySettings, AppError> {
    own(actor, Action::View)?;
    let me = user::Entity::find_by_id(actor.user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let may_hand_on = me.role == Role::Doctor;
    let case_managers = if may_hand_on {
        user::Entity::find()
            .filter(user::Column::OrganisationId.eq(me.organisation_id))
            .filter(user::Column::Role.eq(Role::PracticeCaseManager))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::DisplayName)
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.display_name)
            .collect()
    } else {
        Vec::new()
    };
    Ok(DeliverySettings {
        digest_hour: me.digest_hour,
        may_hand_on,
        hand_on: may_hand_on && me.notify_case_managers,
        case_managers,
    })
}

/// Saves the caller's digest hour and, for a doctor, whether their
/// notifications go to their practice's case managers. Logged with the
/// values before and after.
pub async fn save_delivery_settings(
    db: &DatabaseConnection,
    caller: &Caller,
    digest_hour: i32,
    hand_on: bool,
) -> Result<(), AppError> {
    own(caller, Action::Modify)?;
    if !(0..=23).contains(&digest_hour) {
        return Err(AppError::invalid(
            "digest_hour",
            "Choose an hour from 0 to 23.",
        ));
    }
    let txn = begin_write(db).await?;
    let me = user::Entity::find_by_id(caller.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if hand_on && me.role != Role::Doctor {
        return Err(AppError::invalid(
            "hand_on",
            "Only a doctor can pass their notifications to their case managers.",
        ));
    }
    if me.digest_hour == digest_hour && me.notify_case_managers == hand_on {
        return Ok(());
    }
    let before = serde_json::json!({
        "digest_hour": me.digest_hour, "to_case_managers": me.notify_case_managers,
    });
    let mut active: user::ActiveModel = me.into();
    active.digest_hour = Set(digest_hour);
    active.notify_case_managers = Set(hand_on);
    active.update(&txn).await?;
    record(
        &txn,
        Entry::new(
            ActivityAction::SettingsChanged,
            Subject::User(caller.user_id),
        )
        .by_caller(caller)
        .detail(serde_json::json!({ "notification_delivery": {
            "before": before,
            "after": { "digest_hour": digest_hour, "to_case_managers": hand_on },
        } })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(user_id: i32, side: CaseSide) -> case_link::Model {
        case_link::Model {
            id: user_id,
            case_id: 1,
            user_id,
            organisation_id: 1,
            side,
            is_doctor: true,
            status: crate::cases::CaseStatus::Requested,
            updated_at: Utc::now(),
            search_text: String::new(),
            owner_user_id: None,
            respond_by: None,
        }
    }

    #[test]
    fn the_actor_is_never_told_and_the_doctor_acted_for_always_is() {
        let links = [
            link(1, CaseSide::ReferredBy),
            link(2, CaseSide::ReferredTo),
            link(3, CaseSide::Associated),
        ];
        // Dr 2 rejects: the referring doctor and the associate hear of it.
        assert_eq!(
            recipients(NotificationKind::Rejected, &links, 2, None),
            BTreeSet::from([1, 3])
        );
        // Their case manager (9) rejects for them: Dr 2 hears of it too.
        assert_eq!(
            recipients(NotificationKind::Rejected, &links, 9, Some(2)),
            BTreeSet::from([1, 2, 3])
        );
        // A new referral goes to the referred-to side, not back to its
        // sender.
        assert_eq!(
            recipients(NotificationKind::Referred, &links, 1, None),
            BTreeSet::from([2, 3])
        );
        assert_eq!(
            recipients(NotificationKind::Referred, &links, 9, Some(1)),
            BTreeSet::from([2, 3])
        );
    }
}
