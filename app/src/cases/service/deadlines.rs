//! Giving referrals their response deadlines, and escalating the ones that
//! pass unanswered.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::auth::Role;
use crate::cases::audit;
use crate::cases::deadlines::{self, CASE_MANAGERS_AFTER, Step, step_due};
use crate::cases::{CaseStatus, Urgency};
use crate::db::begin_write;
use crate::entities::{case, doctor, holiday, organisation, user};
use crate::error::AppError;
use crate::notifications::NotificationKind;
use crate::notifications::service::deadline_event;

/// The holidays of an organisation from `from` on, as far ahead as any
/// deadline can reach.
pub async fn holidays_from(
    conn: &impl ConnectionTrait,
    organisation_id: i32,
    from: NaiveDate,
) -> Result<BTreeSet<NaiveDate>, AppError> {
    Ok(holiday::Entity::find()
        .filter(holiday::Column::OrganisationId.eq(organisation_id))
        .filter(holiday::Column::Day.gte(from))
        .filter(holiday::Column::Day.lte(from + Duration::days(400)))
        .all(conn)
        .await?
        .into_iter()
        .map(|h| h.day)
        .collect())
}

/// The deadline of a referral of `urgency` that reached the practice
/// `organisation_id` at `at`, on that practice's calendar.
pub async fn respond_by(
    conn: &impl ConnectionTrait,
    organisation_id: i32,
    urgency: Urgency,
    at: DateTime<Utc>,
) -> Result<DateTime<Utc>, AppError> {
    let org = organisation::Entity::find_by_id(organisation_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let days = match urgency {
        Urgency::Routine => org.deadline_routine_days,
        Urgency::Urgent => org.deadline_urgent_days,
        Urgency::Emergency => org.deadline_emergency_days,
    };
    let zone = org.zone();
    let holidays = holidays_from(conn, org.id, zone.date_of(at)).await?;
    Ok(deadlines::respond_by(
        at,
        u32::try_from(days).unwrap_or(0),
        zone,
        &holidays,
    ))
}

/// Most cases one pass escalates; the next pass takes the rest.
const PASS: u64 = 200;

/// Takes the escalation steps that have fallen due by `now`: at the
/// deadline the owner is told (the referred-to doctor when no one owns the
/// case), a day later the receiving practice's case managers, naming the
/// doctor. Each step is logged in the case's history. Returns how many
/// people were told.
///
/// Any number of instances may run it: a step is claimed by moving the
/// case's `escalation_step` from the value read, for the deadline read, so
/// one instance takes it and the others' updates match nothing (nor does a
/// claim on a case whose deadline an edit has just moved). The claim, the
/// notifications and the log share a transaction: a crash between them
/// leaves the step untaken.
pub async fn escalate_due(
    db: &DatabaseConnection,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let waiting = [CaseStatus::Requested, CaseStatus::Received];
    // Only cases with a step due, so a crowd of cases between steps cannot
    // fill every pass and hold back the ones behind them.
    let due_step = Condition::any()
        .add(
            Condition::all()
                .add(case::Column::EscalationStep.eq(Step::NotYet as i32))
                .add(case::Column::RespondBy.lt(now)),
        )
        .add(
            Condition::all()
                .add(case::Column::EscalationStep.eq(Step::Owner as i32))
                .add(case::Column::RespondBy.lt(now - CASE_MANAGERS_AFTER)),
        );
    let due = case::Entity::find()
        .filter(case::Column::Status.is_in(waiting))
        .filter(due_step)
        .order_by_asc(case::Column::RespondBy)
        .order_by_asc(case::Column::Id)
        .limit(PASS)
        .all(db)
        .await?;
    let mut told = 0;
    for c in due {
        let Some(by) = c.respond_by else { continue };
        let target = step_due(by, now) as i32;
        if target <= c.escalation_step {
            continue;
        }
        let txn = begin_write(db).await?;
        let claimed = case::Entity::update_many()
            .col_expr(case::Column::EscalationStep, Expr::value(target))
            .filter(case::Column::Id.eq(c.id))
            .filter(case::Column::EscalationStep.eq(c.escalation_step))
            .filter(case::Column::RespondBy.eq(by))
            .filter(case::Column::Status.is_in(waiting))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !claimed {
            txn.rollback().await?;
            continue;
        }
        let d = doctor::Entity::find_by_id(c.referred_to_doctor_id)
            .one(&txn)
            .await?
            .ok_or(AppError::Internal)?;
        let doctor_user = user::Entity::find_by_id(d.user_id)
            .one(&txn)
            .await?
            .ok_or(AppError::Internal)?;
        let practice = doctor_user.organisation_id;
        if c.escalation_step < Step::Owner as i32 {
            let who = BTreeSet::from([c.owner_user_id.unwrap_or(doctor_user.id)]);
            told += tell(
                &txn,
                public_url,
                &c,
                practice,
                "owner",
                NotificationKind::Overdue,
                None,
                who,
            )
            .await?;
        }
        if target >= Step::CaseManagers as i32 {
            let managers: BTreeSet<i32> = user::Entity::find()
                .filter(user::Column::OrganisationId.eq(practice))
                .filter(user::Column::Role.eq(Role::PracticeCaseManager))
                .filter(user::Column::Active.eq(true))
                .select_only()
                .column(user::Column::Id)
                .into_tuple::<i32>()
                .all(&txn)
                .await?
                .into_iter()
                .collect();
            let doctor = Some(doctor_user.display_name.clone());
            told += tell(
                &txn,
                public_url,
                &c,
                practice,
                "case_managers",
                NotificationKind::Escalated,
                doctor,
                managers,
            )
            .await?;
        }
        txn.commit().await?;
    }
    Ok(told)
}

/// One step: the notifications and mails, and the history line naming
/// whom it told (no one acted, so the line has no actor).
#[allow(clippy::too_many_arguments)]
async fn tell(
    conn: &impl ConnectionTrait,
    public_url: &str,
    c: &case::Model,
    practice: i32,
    step: &str,
    kind: NotificationKind,
    detail: Option<String>,
    who: BTreeSet<i32>,
) -> Result<usize, AppError> {
    let names: Vec<String> = user::Entity::find()
        .filter(user::Column::Id.is_in(who.iter().copied()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::DisplayName)
        .all(conn)
        .await?
        .into_iter()
        .map(|u| u.display_name)
        .collect();
    let told = deadline_event(conn, public_url, kind, c.id, detail, who).await?;
    let logged = audit::Escalated {
        step: step.to_string(),
        told: names,
    };
    record(
        conn,
        Entry::new(ActivityAction::CaseEscalated, Subject::Case(c.id))
            .in_organisation(practice)
            .detail(audit::stored(&logged)),
    )
    .await?;
    Ok(told)
}
