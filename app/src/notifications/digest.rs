//! The daily digest: one e-mail a day gathering the notifications a person
//! chose to read that way. It leaves at their digest hour on their clock
//! and holds what arrived before that hour; what arrives after waits for
//! the next day's. A server that was down at the hour sends it when it is
//! back. Each digest's notifications are claimed with the mail's outbox row
//! in one transaction, so any number of instances send it once.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::db::begin_write;
use crate::entities::{notification, organisation, user};
use crate::error::AppError;
use crate::mail::OutgoingMail;
use crate::zone::Zone;

/// The latest digest time at or before `now` for someone whose digest
/// leaves at `hour` on `zone`'s clock.
pub fn last_send_time(zone: Zone, hour: i32, now: DateTime<Utc>) -> DateTime<Utc> {
    let at = NaiveTime::from_hms_opt(u32::try_from(hour.clamp(0, 23)).unwrap_or(7), 0, 0)
        .unwrap_or(NaiveTime::MIN);
    let today = zone.date_of(now);
    // An hour the clocks skip that day leaves at the next hour.
    let place = |date: chrono::NaiveDate| match zone.place(date, at) {
        Ok(p) => p.at,
        Err(_) => zone
            .place(date, at + Duration::hours(1))
            .map(|p| p.at)
            .unwrap_or_else(|_| zone.start_of(date) + Duration::hours(i64::from(hour))),
    };
    let candidate = place(today);
    if candidate <= now {
        candidate
    } else {
        place(today - Duration::days(1))
    }
}

/// Sends every digest that is due at `now`. Returns how many went into
/// the outbox.
pub async fn send_due(
    db: &DatabaseConnection,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let waiting = notification::Entity::find()
        .filter(notification::Column::Digest.eq(true))
        .filter(notification::Column::DigestedAt.is_null())
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await?;
    let mut by_user: BTreeMap<i32, Vec<notification::Model>> = BTreeMap::new();
    for n in waiting {
        by_user.entry(n.user_id).or_default().push(n);
    }
    if by_user.is_empty() {
        return Ok(0);
    }
    let people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(by_user.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let zones: HashMap<i32, Zone> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.zone()))
        .collect();
    let mut sent = 0;
    for (user_id, items) in by_user {
        let Some(person) = people.get(&user_id) else {
            continue;
        };
        let zone = zones
            .get(&person.organisation_id)
            .copied()
            .unwrap_or(Zone::UTC);
        let cutoff = last_send_time(zone, person.digest_hour, now);
        let due: Vec<notification::Model> = items
            .into_iter()
            .filter(|n| n.created_at < cutoff)
            .collect();
        if due.is_empty() {
            continue;
        }
        // One person's failure must not hold back everyone after them.
        match send_one(db, public_url, person, zone, &due, now).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, user_id, "digest not sent; retrying next pass"),
        }
    }
    Ok(sent)
}

/// Claims `due` for `person`'s digest and queues its mail, together; an
/// inactive person's are claimed without a mail. False when another
/// instance claimed them first.
async fn send_one(
    db: &DatabaseConnection,
    public_url: &str,
    person: &user::Model,
    zone: Zone,
    due: &[notification::Model],
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let txn = begin_write(db).await?;
    let ids: Vec<i32> = due.iter().map(|n| n.id).collect();
    let claimed = notification::Entity::update_many()
        .col_expr(notification::Column::DigestedAt, Expr::value(now))
        .filter(notification::Column::Id.is_in(ids.clone()))
        .filter(notification::Column::DigestedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != ids.len() as u64 {
        txn.rollback().await?;
        return Ok(false);
    }
    if person.active {
        let mail = digest_mail(&txn, public_url, person, zone, due).await?;
        crate::mail::outbox::enqueue(&txn, &mail).await?;
    }
    txn.commit().await?;
    Ok(person.active)
}

/// The digest: one line per notification, oldest first, each with its
/// case's link, and no more than the immediate mails say.
async fn digest_mail(
    conn: &impl sea_orm::ConnectionTrait,
    public_url: &str,
    person: &user::Model,
    zone: Zone,
    due: &[notification::Model],
) -> Result<OutgoingMail, AppError> {
    let mut ids: Vec<i32> = due
        .iter()
        .flat_map(|n| [n.actor_user_id, n.on_behalf_of_user_id, n.for_user_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let name = |id: Option<i32>| id.and_then(|id| names.get(&id)).cloned();
    let lines: Vec<String> = due
        .iter()
        .map(|n| {
            let case_id = n.case_id.unwrap_or_default();
            let line = n.kind.sentence(
                &name(n.actor_user_id).unwrap_or_else(|| "Someone".into()),
                name(n.on_behalf_of_user_id).as_deref(),
                case_id,
                None,
            );
            let line = match name(n.for_user_id) {
                Some(doctor) => format!("For {doctor}: {line}"),
                None => line,
            };
            let path = n
                .link
                .clone()
                .unwrap_or_else(|| format!("/cases/{case_id}"));
            format!(
                "- {} — {line}\n  {public_url}{path}",
                zone.show(n.created_at)
            )
        })
        .collect();
    let count = due.len();
    Ok(OutgoingMail {
        to_name: person.display_name.clone(),
        to: person.email.clone(),
        subject: format!(
            "Caseport: your daily digest ({count} update{})",
            if count == 1 { "" } else { "s" }
        ),
        text: format!(
            "Hello {},\n\nSince your last digest:\n\n{}\n\nYou chose to receive these once a day; \
             change that under Account in Caseport.\n\n\
             For your patients' privacy this e-mail says no more.\n",
            person.display_name,
            lines.join("\n")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_digest_leaves_at_the_last_hour_passed_on_the_users_clock() {
        let ny = Zone::parse("America/New_York").expect("zone");
        // 13:30 UTC on 2 Dec is 08:30 in New York: today's 07:00 passed.
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 13, 30, 0).unwrap();
        assert_eq!(
            last_send_time(ny, 7, now),
            Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap()
        );
        // At 09:00 it is still yesterday's.
        assert_eq!(
            last_send_time(ny, 9, now),
            Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap()
        );
        // The hour itself counts as passed.
        assert_eq!(
            last_send_time(ny, 8, Utc.with_ymd_and_hms(2026, 12, 2, 13, 0, 0).unwrap()),
            Utc.with_ymd_and_hms(2026, 12, 2, 13, 0, 0).unwrap()
        );
    }

    #[test]
    fn an_hour_the_clocks_skip_leaves_an_hour_later() {
        let ny = Zone::parse("America/New_York").expect("zone");
        // 8 March 2026: 02:00 does not exist in New York; 03:00 EDT is 07:00 UTC.
        let now = Utc.with_ymd_and_hms(2026, 3, 8, 12, 0, 0).unwrap();
        assert_eq!(
            last_send_time(ny, 2, now),
            Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap()
        );
    }
}
