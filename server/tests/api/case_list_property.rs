//! Property: the case list's SQL and the policy agree. For random practices,
//! doctors, staff and cases, and for every role (doctors, practice case
//! managers, plain staff, admins, an agency's staff and case managers), the
//! list holds exactly the cases for which `policy::can(View)` holds, page by
//! page, with the right total. A practice case manager's "All doctors"
//! filter, narrowed to each doctor, holds that doctor's cases if they are in
//! the practice and nothing otherwise. The facts the policy is asked with
//! come from the generated world, not from the link table the list reads,
//! so a link built wrong shows up too. Each work queue lists exactly its
//! cases (open ones: unowned on the side the policy lets the actor accept,
//! owned by the actor, on the accepting side, on the cancelling side), and
//! its count is that many. Runs on SQLite and on PostgreSQL.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, Utc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use app::auth::Role;
use app::auth::policy::{Action, Actor, CaseFacts, Participant, Resource, can};
use app::cases::filters::CaseFilter;
use app::cases::queues::Queue;
use app::cases::{CaseStatus, Urgency};
use app::entities::{case, case_associate, doctor, organisation, user};
use app::orgs::OrgKind;

use crate::helpers::on_both;

/// Worlds per database: each is built beside the ones before it, so a list
/// that leaked another world's cases would fail too.
const WORLDS: u32 = 24;

#[derive(Clone, Debug)]
struct World {
    /// Doctors per practice; each practice also has a case manager, a plain
    /// staff member and an admin.
    practices: Vec<usize>,
    /// (referred-by doctor, referred-to doctor, associated people, owner),
    /// indexes into the doctors and, past them, the practices' staff
    /// members; the owner is 0 for none, 1 for the referred-to doctor and
    /// 2 for the receiving practice's case manager.
    cases: Vec<(usize, usize, Vec<usize>, usize)>,
}

fn world() -> impl Strategy<Value = World> {
    prop::collection::vec(1usize..=3, 1..=3).prop_flat_map(|practices| {
        let doctors: usize = practices.iter().sum();
        let people = doctors + practices.len();
        let case = (
            0..doctors,
            0..doctors,
            prop::collection::vec(0..people, 0..=2),
            0usize..3,
        );
        prop::collection::vec(case, 0..=12).prop_map(move |cases| World {
            practices: practices.clone(),
            cases,
        })
    })
}

/// Someone who may sign in, as the policy sees them.
fn actor(u: &user::Model, kind: OrgKind) -> Actor {
    Actor {
        user_id: u.id,
        organisation_id: u.organisation_id,
        organisation_kind: kind,
        role: u.role,
        portal_open: true,
        zone: app::zone::Zone::UTC,
    }
}

async fn org(db: &DatabaseConnection, slug: String, kind: OrgKind) -> organisation::Model {
    organisation::ActiveModel {
        name: Set(slug.clone()),
        slug: Set(slug),
        kind: Set(kind),
        idle_timeout_minutes: Set(30),
        time_zone: Set("UTC".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("organisation")
}

async fn person(db: &DatabaseConnection, org: i32, email: String, role: Role) -> user::Model {
    user::ActiveModel {
        organisation_id: Set(org),
        display_name: Set(email.clone()),
        email: Set(email),
        password_hash: Set("!".into()),
        role: Set(role),
        active: Set(true),
        must_change_password: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .expect("user")
}

/// Builds world `n` and checks every one of its people's lists.
async fn check(db: &DatabaseConnection, n: u32, w: &World) {
    let mut actors = Vec::new();
    // (user id, organisation id, doctor row id) of each doctor, in order.
    let mut doctors = Vec::new();
    let mut staff = Vec::new();
    let mut case_managers: HashMap<i32, i32> = HashMap::new();
    for (p, count) in w.practices.iter().enumerate() {
        let practice = org(db, format!("w{n}p{p}"), OrgKind::Practice).await;
        for (role, name) in [
            (Role::PracticeCaseManager, "cm"),
            (Role::Staff, "staff"),
            (Role::Admin, "admin"),
        ] {
            let u = person(db, practice.id, format!("{name}.w{n}p{p}@x.example"), role).await;
            if role == Role::Staff {
                staff.push((u.id, practice.id));
            }
            if role == Role::PracticeCaseManager {
                case_managers.insert(practice.id, u.id);
            }
            actors.push(actor(&u, OrgKind::Practice));
        }
        for d in 0..*count {
            let u = person(
                db,
                practice.id,
                format!("d{d}.w{n}p{p}@x.example"),
                Role::Doctor,
            )
            .await;
            let row = doctor::ActiveModel {
                user_id: Set(u.id),
                specialty: Set("GP".into()),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("doctor");
            doctors.push((u.id, practice.id, row.id));
            actors.push(actor(&u, OrgKind::Practice));
        }
    }
    let agency = org(db, format!("w{n}agency"), OrgKind::Agency).await;
    for (role, name) in [
        (Role::Admin, "admin"),
        (Role::Staff, "staff"),
        (Role::ExternalCaseManager, "ecm"),
    ] {
        let u = person(db, agency.id, format!("{name}.w{n}agency@x.example"), role).await;
        actors.push(actor(&u, OrgKind::Agency));
    }

    let now = Utc::now();
    // (case id, facts, status, owner)
    let mut cases: Vec<(i32, CaseFacts, CaseStatus, Option<i32>)> = Vec::new();
    // Cases whose response deadline has passed (a third of them; another
    // third have one still ahead, the rest none).
    let mut past_deadline: BTreeSet<i32> = BTreeSet::new();
    for (i, (by, to, associated, owner)) in w.cases.iter().enumerate() {
        let when = now - Duration::minutes(i as i64);
        let status = CaseStatus::ALL[i % CaseStatus::ALL.len()];
        let owner = match owner {
            1 => Some(doctors[*to].0),
            2 => case_managers.get(&doctors[*to].1).copied(),
            _ => None,
        };
        let c = case::ActiveModel {
            patient_name: Set(format!("Patient {i}")),
            patient_date_of_birth: Set(None),
            patient_contact: Set(None),
            reason: Set("r".into()),
            urgency: Set(Urgency::Routine),
            notes: Set(None),
            referred_by_doctor_id: Set(doctors[*by].2),
            referred_to_doctor_id: Set(doctors[*to].2),
            // Every status, so the status summary has something to count.
            status: Set(status),
            owner_user_id: Set(owner),
            respond_by: Set(match i % 3 {
                0 => Some(now - Duration::hours(1)),
                1 => Some(now + Duration::hours(1)),
                _ => None,
            }),
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
        .insert(db)
        .await
        .expect("case");
        if i % 3 == 0 {
            past_deadline.insert(c.id);
        }
        let doctor = |k: usize| Participant {
            user_id: doctors[k].0,
            organisation_id: doctors[k].1,
            is_doctor: true,
        };
        let mut associates = Vec::new();
        for k in associated.iter().collect::<BTreeSet<_>>() {
            let p = match doctors.get(*k) {
                Some(_) => doctor(*k),
                None => {
                    let (user_id, organisation_id) = staff[*k - doctors.len()];
                    Participant {
                        user_id,
                        organisation_id,
                        is_doctor: false,
                    }
                }
            };
            case_associate::ActiveModel {
                case_id: Set(c.id),
                user_id: Set(p.user_id),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("associate");
            associates.push(p);
        }
        app::cases::service::rebuild_links(db, &c)
            .await
            .expect("links");
        cases.push((
            c.id,
            CaseFacts {
                referred_by: doctor(*by),
                referred_to: doctor(*to),
                associates,
            },
            status,
            owner,
        ));
    }

    for a in &actors {
        let expected: BTreeSet<i32> = cases
            .iter()
            .filter(|(_, facts, _, _)| can(a, Action::View, &Resource::Case(facts)).is_ok())
            .map(|(id, _, _, _)| *id)
            .collect();
        let all = listed(db, a, &CaseFilter::default()).await;
        assert_eq!(all, expected, "{:?} in world {n}: {w:?}", a.role);
        let counts = app::cases::service::queue_counts(db, a, None)
            .await
            .expect("queue counts");
        for queue in Queue::ALL {
            let holds = |id: i32, facts: &CaseFacts, status: CaseStatus, owner: Option<i32>| {
                let may = |action| can(a, action, &Resource::Case(facts)).is_ok();
                status.is_open()
                    && match queue {
                        Queue::Unassigned => owner.is_none() && may(Action::Accept),
                        Queue::Mine => owner == Some(a.user_id) && may(Action::View),
                        Queue::WaitingOnUs => may(Action::Accept),
                        Queue::WaitingOnThem => may(Action::Cancel),
                        Queue::Overdue => {
                            past_deadline.contains(&id)
                                && app::cases::deadlines::awaits_response(status)
                                && may(Action::View)
                        }
                    }
            };
            let expected: BTreeSet<i32> = cases
                .iter()
                .filter(|(id, facts, status, owner)| holds(*id, facts, *status, *owner))
                .map(|(id, _, _, _)| *id)
                .collect();
            let filter = CaseFilter {
                queue: Some(queue),
                ..Default::default()
            };
            let got = listed(db, a, &filter).await;
            assert_eq!(
                got, expected,
                "{queue:?} for {:?} in world {n}: {w:?}",
                a.role
            );
            let count = counts
                .counts
                .iter()
                .find(|(q, _)| *q == queue)
                .map_or(0, |(_, c)| *c);
            assert_eq!(count, expected.len() as u64, "{queue:?} count");
        }
        if a.role != Role::PracticeCaseManager {
            continue;
        }
        for (doctor, practice, _) in &doctors {
            let filter = CaseFilter {
                doctor: Some(*doctor),
                ..Default::default()
            };
            let theirs: BTreeSet<i32> = if *practice == a.organisation_id {
                cases
                    .iter()
                    .filter(|(_, f, _, _)| {
                        [&f.referred_by, &f.referred_to]
                            .into_iter()
                            .chain(&f.associates)
                            .any(|p| p.user_id == *doctor)
                    })
                    .map(|(id, _, _, _)| *id)
                    .collect()
            } else {
                BTreeSet::new()
            };
            let narrowed = listed(db, a, &filter).await;
            assert_eq!(narrowed, theirs, "doctor {doctor} in world {n}: {w:?}");
        }
    }
}

/// Every case the list shows `actor`, page by page (small pages, so
/// paging is exercised); the first page's total must count them all, and
/// its status summary the listed cases of each status.
async fn listed(db: &DatabaseConnection, actor: &Actor, filter: &CaseFilter) -> BTreeSet<i32> {
    let mut out = BTreeSet::new();
    let mut after: Option<String> = None;
    let mut total = None;
    let mut summary = None;
    let mut statuses: HashMap<CaseStatus, u64> = HashMap::new();
    loop {
        let page = app::cases::service::list_page(db, actor, filter, after.as_deref(), 4)
            .await
            .expect("list");
        total.get_or_insert(page.total);
        summary.get_or_insert(page.by_status.clone());
        for r in &page.rows {
            *statuses.entry(r.status).or_default() += 1;
        }
        out.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(total, Some(out.len() as u64), "total");
    if filter.status.is_none() {
        let summary: HashMap<CaseStatus, u64> = summary.unwrap_or_default().into_iter().collect();
        assert_eq!(summary, statuses, "status summary");
    }
    out
}

#[tokio::test]
async fn every_role_lists_exactly_the_cases_the_policy_lets_it_view() {
    on_both(|app| async move {
        // Worlds are drawn from the strategy by hand: the checks are async
        // and share one database per backend.
        let mut runner = TestRunner::new(Config::default());
        let strategy = world();
        for n in 0..WORLDS {
            let w = strategy.new_tree(&mut runner).expect("a world").current();
            check(&app.db, n, &w).await;
        }
        app
    })
    .await;
}
