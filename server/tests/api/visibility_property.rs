//! Property: whatever the practices, doctors and cases, the set a practice
//! case manager sees is exactly the cases a doctor of their practice is on
//! (as referred-to, referred-by or associated doctor), for "All doctors"
//! and for every doctor filter.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use migration::{Migrator, MigratorTrait};
use proptest::prelude::*;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use app::auth::Role;
use app::auth::policy::Actor;
use app::cases::filters::CaseFilter;
use app::cases::{CaseStatus, Urgency};
use app::entities::{case, case_associate, doctor, organisation, user};
use app::orgs::OrgKind;

#[derive(Clone, Debug)]
struct World {
    /// Doctors per practice.
    practices: Vec<usize>,
    /// (referred-by doctor, referred-to doctor, associated doctors), as
    /// indexes into the flattened doctor list.
    cases: Vec<(usize, usize, Vec<usize>)>,
}

fn world() -> impl Strategy<Value = World> {
    prop::collection::vec(1usize..=3, 2..=4).prop_flat_map(|practices| {
        let doctors: usize = practices.iter().sum();
        let case = (
            0..doctors,
            0..doctors,
            prop::collection::vec(0..doctors, 0..=2),
        );
        prop::collection::vec(case, 0..=20).prop_map(move |cases| World {
            practices: practices.clone(),
            cases,
        })
    })
}

struct Built {
    db: DatabaseConnection,
    /// (practice org id, case manager actor)
    managers: Vec<Actor>,
    /// (doctor user id, practice org id)
    doctors: Vec<(i32, i32)>,
    /// case id → user ids of the doctors on it
    on_case: Vec<(i32, BTreeSet<i32>)>,
    _dir: tempfile::TempDir,
}

async fn build(w: &World) -> Built {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("p.sqlite").display()
    );
    let db = app::db::connect(&url, 2).await.expect("db");
    Migrator::up(&db, None).await.expect("migrate");
    let now = Utc::now();
    let mut managers = Vec::new();
    let mut doctors = Vec::new();
    let mut doctor_rows = Vec::new();
    for (p, count) in w.practices.iter().enumerate() {
        let org = organisation::ActiveModel {
            slug: Set(format!("p{p}")),
            name: Set(format!("Practice {p}")),
            kind: Set(OrgKind::Practice),
            idle_timeout_minutes: Set(30),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("org");
        let add_user = |email: String, role: Role| {
            let db = db.clone();
            async move {
                user::ActiveModel {
                    organisation_id: Set(org.id),
                    email: Set(email.clone()),
                    display_name: Set(email),
                    password_hash: Set("x".into()),
                    role: Set(role),
                    active: Set(true),
                    must_change_password: Set(false),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&db)
                .await
                .expect("user")
            }
        };
        let cm = add_user(format!("cm{p}@x.example"), Role::PracticeCaseManager).await;
        managers.push(Actor {
            user_id: cm.id,
            organisation_id: org.id,
            organisation_kind: app::orgs::OrgKind::Practice,
            role: Role::PracticeCaseManager,
            portal_open: true,
        });
        for d in 0..*count {
            let u = add_user(format!("d{p}-{d}@x.example"), Role::Doctor).await;
            let row = doctor::ActiveModel {
                user_id: Set(u.id),
                specialty: Set("GP".into()),
                ..Default::default()
            }
            .insert(&db)
            .await
            .expect("doctor");
            doctors.push((u.id, org.id));
            doctor_rows.push(row.id);
        }
    }
    let mut on_case = Vec::new();
    for (i, (by, to, associated)) in w.cases.iter().enumerate() {
        let when = now - Duration::minutes(i as i64);
        let c = case::ActiveModel {
            patient_name: Set(format!("Patient {i}")),
            patient_date_of_birth: Set(None),
            patient_contact: Set(None),
            reason: Set("r".into()),
            urgency: Set(Urgency::Routine),
            notes: Set(None),
            referred_by_doctor_id: Set(doctor_rows[*by]),
            referred_to_doctor_id: Set(doctor_rows[*to]),
            status: Set(CaseStatus::Requested),
            version: Set(1),
            created_at: Set(when),
            updated_at: Set(when),
            parent_case_id: Set(None),
            rejection_code: Set(None),
            rejection_note: Set(None),
            status_before_hold: Set(None),
            search_text: Set(format!("patient {i} r")),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("case");
        let mut people: BTreeSet<i32> = [doctors[*by].0, doctors[*to].0].into();
        for a in associated.iter().collect::<BTreeSet<_>>() {
            case_associate::ActiveModel {
                case_id: Set(c.id),
                user_id: Set(doctors[*a].0),
                ..Default::default()
            }
            .insert(&db)
            .await
            .expect("associate");
            people.insert(doctors[*a].0);
        }
        app::cases::service::rebuild_links(&db, &c)
            .await
            .expect("links");
        on_case.push((c.id, people));
    }
    Built {
        db,
        managers,
        doctors,
        on_case,
        _dir: dir,
    }
}

async fn visible(db: &DatabaseConnection, actor: &Actor, filter: &CaseFilter) -> BTreeSet<i32> {
    let mut out = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        // A small page size so paging is exercised too.
        let page = app::cases::service::list_page(db, actor, filter, after.as_deref(), 3)
            .await
            .expect("list");
        out.extend(page.rows.iter().map(|r| r.id));
        // `total` counts every page, so it is known from the first.
        assert!(page.total as usize >= out.len());
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn a_case_manager_sees_exactly_their_practices_cases(w in world()) {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let b = build(&w).await;
            for cm in &b.managers {
                let practice_doctors: BTreeSet<i32> = b
                    .doctors
                    .iter()
                    .filter(|(_, org)| *org == cm.organisation_id)
                    .map(|(u, _)| *u)
                    .collect();
                let expected: BTreeSet<i32> = b
                    .on_case
                    .iter()
                    .filter(|(_, people)| !people.is_disjoint(&practice_doctors))
                    .map(|(id, _)| *id)
                    .collect();
                let all = visible(&b.db, cm, &CaseFilter::default()).await;
                assert_eq!(all, expected, "All doctors");
                let first = app::cases::service::list_page(&b.db, cm, &CaseFilter::default(), None, 3)
                    .await
                    .expect("list");
                assert_eq!(first.total as usize, expected.len(), "total");
                // Each doctor filter: that doctor's cases if they are in the
                // practice, nothing otherwise.
                for (doctor, org) in &b.doctors {
                    let filter = CaseFilter { doctor: Some(*doctor), ..Default::default() };
                    let expected: BTreeSet<i32> = if *org == cm.organisation_id {
                        b.on_case.iter().filter(|(_, p)| p.contains(doctor)).map(|(id, _)| *id).collect()
                    } else {
                        BTreeSet::new()
                    };
                    assert_eq!(visible(&b.db, cm, &filter).await, expected, "doctor {doctor}");
                }
            }
        });
    }
}
