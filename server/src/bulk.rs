//! A big, synthetic practice network for load and benchmark runs:
//! `caseport seed-bulk --cases 1000000 --doctors 5000 --practices 200`.
//! Rows go in with multi-row inserts, many per transaction.

use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, Set};
use secrecy::SecretString;

use app::auth::Role;
use app::auth::password::hash_password;
use app::cases::{CaseSide, CaseStatus, Urgency};
use app::db::begin_write;
use app::entities::{case, case_link, doctor, organisation, user};
use app::error::AppError;
use app::orgs::OrgKind;

/// Password of every generated account.
pub const BULK_PASSWORD: &str = "caseport-bulk-2026";

#[derive(Clone, Copy, Debug, clap::Args)]
pub struct BulkSize {
    #[arg(long, default_value_t = 10_000)]
    pub cases: u32,
    #[arg(long, default_value_t = 500)]
    pub doctors: u32,
    #[arg(long, default_value_t = 20)]
    pub practices: u32,
}

/// What was generated, for the benchmark to pick its actors from.
pub struct BulkWorld {
    /// (case manager user id, organisation id) per practice.
    pub managers: Vec<(i32, i32)>,
    /// (doctor user id, organisation id)
    pub doctors: Vec<(i32, i32)>,
}

const FIRST: &[&str] = &[
    "Ada", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jia", "Kai", "Lena", "Milo",
    "Nia", "Omar", "Pia",
];
const LAST: &[&str] = &[
    "Adler", "Brook", "Costa", "Dune", "Ekwe", "Frost", "Gray", "Holm", "Ibsen", "Jovic", "Kern",
    "Lund", "Moss", "Nagy", "Orr", "Park",
];
const REASONS: &[&str] = &[
    "Chest pain",
    "Knee pain",
    "Follow-up imaging",
    "Diabetes review",
    "Migraine",
    "Back pain",
    "Skin lesion",
    "Hearing loss",
    "Palpitations",
    "Asthma review",
];

/// Rows per multi-row insert: under SQLite's and PostgreSQL's parameter
/// limits with room to spare.
const BATCH: usize = 500;

async fn next_id(db: &DatabaseConnection, table: &str) -> Result<i32, AppError> {
    let q = Query::select()
        .expr(Func::max(Expr::col(Alias::new("id"))))
        .from(Alias::new(table))
        .to_owned();
    let row = db.query_one(&q).await?;
    let max: Option<i32> = row.and_then(|r| r.try_get_by_index(0).ok()).flatten();
    Ok(max.unwrap_or(0) + 1)
}

/// PostgreSQL's serial counters do not see explicit ids: move them on.
async fn fix_sequence(db: &DatabaseConnection, table: &str) -> Result<(), AppError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        ))
        .await?;
    }
    Ok(())
}

pub async fn seed_bulk(
    db: &DatabaseConnection,
    size: BulkSize,
    seed: u64,
) -> Result<BulkWorld, AppError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let hash = hash_password(SecretString::from(BULK_PASSWORD)).await?;
    let now = Utc::now();
    let run = next_id(db, "organisations").await?;
    let mut managers = Vec::new();
    let mut doctors: Vec<(i32, i32, i32)> = Vec::new(); // (user, org, doctor row)
    let practices = size.practices.max(1);
    for p in 0..practices {
        let txn = begin_write(db).await?;
        let org = organisation::ActiveModel {
            slug: Set(format!("bulk-{run}-{p}")),
            name: Set(format!("Bulk Practice {run}-{p}")),
            kind: Set(OrgKind::Practice),
            idle_timeout_minutes: Set(30),
            time_zone: Set("UTC".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let new_user = |email: String, name: String, role: Role| user::ActiveModel {
            organisation_id: Set(org.id),
            email: Set(email),
            display_name: Set(name),
            password_hash: Set(hash.clone()),
            role: Set(role),
            active: Set(true),
            must_change_password: Set(false),
            created_at: Set(now),
            ..Default::default()
        };
        let cm = new_user(
            format!("cm-{run}-{p}@bulk.example"),
            format!("Case Manager {p}"),
            Role::PracticeCaseManager,
        )
        .insert(&txn)
        .await?;
        managers.push((cm.id, org.id));
        let per = size.doctors / practices + u32::from(p < size.doctors % practices);
        for d in 0..per.max(1) {
            let u = new_user(
                format!("dr-{run}-{p}-{d}@bulk.example"),
                format!(
                    "Dr. {} {}",
                    FIRST[d as usize % FIRST.len()],
                    LAST[(p as usize + d as usize) % LAST.len()]
                ),
                Role::Doctor,
            )
            .insert(&txn)
            .await?;
            let row = doctor::ActiveModel {
                user_id: Set(u.id),
                specialty: Set("General practice".into()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            doctors.push((u.id, org.id, row.id));
        }
        txn.commit().await?;
    }

    let statuses = CaseStatus::ALL;
    let mut id = next_id(db, "cases").await?;
    let mut remaining = size.cases as usize;
    // A million cases take minutes: say how far it is, every few seconds.
    let started = std::time::Instant::now();
    let mut told = started;
    while remaining > 0 {
        let n = remaining.min(BATCH * 4);
        let mut cases = Vec::with_capacity(n);
        let mut links = Vec::with_capacity(n * 2);
        for _ in 0..n {
            let by = rng.gen_range(0..doctors.len());
            let mut to = rng.gen_range(0..doctors.len());
            if to == by {
                to = (to + 1) % doctors.len();
            }
            let status = statuses[rng.gen_range(0..statuses.len())];
            let updated = now - Duration::seconds(rng.gen_range(0..365 * 24 * 3600));
            let patient = format!(
                "{} {}",
                FIRST[rng.gen_range(0..FIRST.len())],
                LAST[rng.gen_range(0..LAST.len())]
            );
            let reason = REASONS[rng.gen_range(0..REASONS.len())];
            let text = format!("{patient} {reason}").to_lowercase();
            // Waiting referrals get a deadline two days on, so the Overdue
            // queue has its share; their escalations count as sent, so a
            // server started on this data does not mail thousands.
            let respond_by =
                app::cases::deadlines::awaits_response(status).then(|| updated + Duration::days(2));
            cases.push(case::ActiveModel {
                respond_by: Set(respond_by),
                escalation_step: Set(2),
                id: Set(id),
                search_text: Set(text.clone()),
                patient_name: Set(patient),
                patient_date_of_birth: Set(None),
                patient_contact: Set(None),
                reason: Set(reason.to_string()),
                urgency: Set(Urgency::Routine),
                notes: Set(None),
                referred_by_doctor_id: Set(doctors[by].2),
                referred_to_doctor_id: Set(doctors[to].2),
                status: Set(status),
                version: Set(1),
                created_at: Set(updated),
                updated_at: Set(updated),
                parent_case_id: Set(None),
                rejection_code: Set(None),
                rejection_note: Set(None),
                status_before_hold: Set(None),
                owner_user_id: Set(None),
            });
            let link = |who: usize, side: CaseSide| case_link::ActiveModel {
                case_id: Set(id),
                user_id: Set(doctors[who].0),
                organisation_id: Set(doctors[who].1),
                side: Set(side),
                is_doctor: Set(true),
                status: Set(status),
                updated_at: Set(updated),
                search_text: Set(text.clone()),
                respond_by: Set(respond_by),
                ..Default::default()
            };
            links.push(link(by, CaseSide::ReferredBy));
            links.push(link(to, CaseSide::ReferredTo));
            id += 1;
        }
        let txn = begin_write(db).await?;
        for chunk in cases.chunks(BATCH) {
            case::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        for chunk in links.chunks(BATCH) {
            case_link::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        remaining -= n;
        if told.elapsed().as_secs() >= 5 || remaining == 0 {
            told = std::time::Instant::now();
            let done = size.cases as usize - remaining;
            let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
            tracing::info!(
                "bulk cases: {done} of {} ({:.0}%), {rate:.0} cases/s",
                size.cases,
                100.0 * done as f64 / f64::from(size.cases.max(1))
            );
        }
    }
    fix_sequence(db, "cases").await?;
    // Fresh statistics, so the planner knows the new shape of the data. On
    // PostgreSQL also the visibility map, which autovacuum would set soon
    // after a burst of inserts: until then no scan can be index-only.
    let settle = match db.get_database_backend() {
        DbBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.execute_unprepared(settle).await?;
    Ok(BulkWorld {
        managers,
        doctors: doctors.into_iter().map(|(u, o, _)| (u, o)).collect(),
    })
}
