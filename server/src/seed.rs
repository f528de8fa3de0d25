//! Demo data: two practices, an agency, and a few cases in each status.
//! Safe to run again: everything is looked up by its natural key first.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use secrecy::SecretString;

use app::assignments::Relationship;
use app::auth::Role;
use app::care::AppointmentStatus;
use app::cases::{CaseStatus, Urgency};
use app::db::begin_write;
use app::entities::{
    appointment, assessment, case, case_associate, case_manager_profile, client, client_assignment,
    doctor, goal, goal_progress, notification, organisation, portal_setting, service_note, user,
};
use app::error::AppError;
use app::notifications::NotificationKind;
use app::orgs::OrgKind;
use app::zone::Zone;

use crate::users::{NewUser, ensure_org, ensure_user};

/// Every demo account signs in with this password (listed in the README).
pub const DEMO_PASSWORD: &str = "caseport-demo-2026";

/// (e-mail, name, role, specialty)
type Person = (&'static str, &'static str, Role, Option<&'static str>);

const RIVERSIDE: &[Person] = &[
    ("admin@riverside.example", "Riley Admin", Role::Admin, None),
    (
        "ortiz@riverside.example",
        "Dr. Ana Ortiz",
        Role::Doctor,
        Some("Family medicine"),
    ),
    (
        "okafor@riverside.example",
        "Dr. Ben Okafor",
        Role::Doctor,
        Some("Paediatrics"),
    ),
    (
        "casey@riverside.example",
        "Casey Staff",
        Role::PracticeCaseManager,
        None,
    ),
    ("pat@riverside.example", "Pat Plain", Role::Staff, None),
];

const HILLSIDE: &[Person] = &[
    ("admin@hillside.example", "Hana Admin", Role::Admin, None),
    (
        "chen@hillside.example",
        "Dr. Li Chen",
        Role::Doctor,
        Some("Cardiology"),
    ),
    (
        "fischer@hillside.example",
        "Dr. Dana Fischer",
        Role::Doctor,
        Some("Orthopaedics"),
    ),
    (
        "morgan@hillside.example",
        "Morgan Hill",
        Role::PracticeCaseManager,
        None,
    ),
];

const HARBOUR: &[Person] = &[
    ("admin@harbour.example", "Harper Admin", Role::Admin, None),
    ("sam@harbour.example", "Sam Scheduler", Role::Staff, None),
];

/// External case managers: entries in the agency's directory, employed
/// elsewhere (North County Case Management).
const CASE_MANAGERS: &[Person] = &[
    (
        "erin@northcounty.example",
        "Erin External",
        Role::ExternalCaseManager,
        None,
    ),
    (
        "frank@northcounty.example",
        "Frank Field",
        Role::ExternalCaseManager,
        None,
    ),
];

async fn people(
    db: &DatabaseConnection,
    org: &organisation::Model,
    list: &[Person],
) -> Result<Vec<user::Model>, AppError> {
    let mut out = Vec::new();
    for (email, name, role, specialty) in list {
        out.push(
            ensure_user(
                db,
                NewUser {
                    org,
                    email,
                    name,
                    role: *role,
                    specialty: *specialty,
                    password: SecretString::from(DEMO_PASSWORD),
                },
            )
            .await?,
        );
    }
    Ok(out)
}

async fn doctor_user(conn: &impl ConnectionTrait, doctor_id: i32) -> Result<i32, AppError> {
    Ok(doctor::Entity::find_by_id(doctor_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?
        .user_id)
}

/// The practice of a doctor.
async fn user_org(conn: &impl ConnectionTrait, doctor_id: i32) -> Result<i32, AppError> {
    let id = doctor_user(conn, doctor_id).await?;
    Ok(user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?
        .organisation_id)
}

/// The notification a demo case's status implies, so the bell has
/// something to show: the last step, told to the other side; read when it
/// is more than a week old.
async fn demo_notification(
    conn: &impl ConnectionTrait,
    c: &case::Model,
    days: i64,
) -> Result<(), AppError> {
    let by = doctor_user(conn, c.referred_by_doctor_id).await?;
    let to = doctor_user(conn, c.referred_to_doctor_id).await?;
    let (kind, recipient, actor) = match c.status {
        CaseStatus::Requested | CaseStatus::Received => (NotificationKind::Referred, to, by),
        CaseStatus::Accepted | CaseStatus::InProgress => (NotificationKind::Accepted, by, to),
        CaseStatus::Rejected => (NotificationKind::Rejected, by, to),
        CaseStatus::Completed => (NotificationKind::Completed, by, to),
        CaseStatus::OnHold => (NotificationKind::OnHold, by, to),
        CaseStatus::Cancelled => (NotificationKind::Cancelled, to, by),
    };
    let read = days > 7 || c.status == CaseStatus::Received;
    notification::ActiveModel {
        user_id: Set(recipient),
        kind: Set(kind),
        case_id: Set(Some(c.id)),
        actor_user_id: Set(Some(actor)),
        on_behalf_of_user_id: Set(None),
        detail: Set(None),
        created_at: Set(c.updated_at),
        read_at: Set(read.then_some(c.updated_at)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

async fn doctor_id(db: &DatabaseConnection, email: &str) -> Result<i32, AppError> {
    let u = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = doctor::Entity::find()
        .filter(doctor::Column::UserId.eq(u.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(d.id)
}

pub async fn seed_demo(db: &DatabaseConnection) -> Result<(), AppError> {
    // Three zones, so the demo shows times on each organisation's clock.
    let zone = |name| Zone::parse(name);
    let riverside = ensure_org(
        db,
        "riverside",
        "Riverside Family Practice",
        OrgKind::Practice,
        zone("America/New_York")?,
    )
    .await?;
    let hillside = ensure_org(
        db,
        "hillside",
        "Hillside Specialists",
        OrgKind::Practice,
        zone("Europe/London")?,
    )
    .await?;
    let harbour = ensure_org(
        db,
        "harbour",
        "Harbour Care Agency",
        OrgKind::Agency,
        zone("America/Chicago")?,
    )
    .await?;
    let riverside_people = people(db, &riverside, RIVERSIDE).await?;
    people(db, &hillside, HILLSIDE).await?;
    let harbour_staff = people(db, &harbour, HARBOUR).await?;
    let cms = people(db, &harbour, CASE_MANAGERS).await?;
    demo_portal(db, &harbour, &cms).await?;
    demo_messaging(db, &harbour).await?;

    let ortiz = doctor_id(db, "ortiz@riverside.example").await?;
    let okafor = doctor_id(db, "okafor@riverside.example").await?;
    let chen = doctor_id(db, "chen@hillside.example").await?;
    let fischer = doctor_id(db, "fischer@hillside.example").await?;
    let pat = riverside_people
        .iter()
        .find(|u| u.role == Role::Staff)
        .map(|u| u.id);
    // Dr Ortiz has taken one of the cases referred to him; the rest wait
    // in Riverside's "Unassigned" queue.
    let ortiz_user = riverside_people
        .iter()
        .find(|u| u.email == "ortiz@riverside.example")
        .map(|u| u.id);

    // (patient, reason, urgency, by, to, status, days ago)
    #[rustfmt::skip]
    let cases = [
        ("Maria Gonzalez", "Chest pain on exertion", Urgency::Urgent, ortiz, chen, CaseStatus::Requested, 1),
        ("Tom Becker", "Knee pain after fall", Urgency::Routine, okafor, fischer, CaseStatus::Received, 3),
        ("Aisha Khan", "Palpitations, abnormal ECG", Urgency::Urgent, ortiz, chen, CaseStatus::Accepted, 6),
        ("Lena Novak", "Hip replacement assessment", Urgency::Routine, ortiz, fischer, CaseStatus::InProgress, 12),
        ("George Miller", "Shoulder imaging already done", Urgency::Routine, okafor, fischer, CaseStatus::Rejected, 20),
        ("Priya Patel", "Hypertension follow-up", Urgency::Routine, chen, ortiz, CaseStatus::Completed, 40),
        ("Jonas Weber", "Growth assessment", Urgency::Routine, fischer, okafor, CaseStatus::Requested, 2),
        ("Sofia Rossi", "Referral withdrawn by patient", Urgency::Routine, okafor, chen, CaseStatus::Cancelled, 30),
        ("Omar Haddad", "Awaiting test results", Urgency::Urgent, chen, ortiz, CaseStatus::OnHold, 9),
        ("Emma Wilson", "Diabetes management review", Urgency::Routine, chen, ortiz, CaseStatus::Received, 4),
        ("Noah Schmidt", "Migraine follow-up", Urgency::Routine, fischer, okafor, CaseStatus::Requested, 5),
    ];
    for (i, (patient, reason, urgency, by, to, status, days)) in cases.into_iter().enumerate() {
        let exists = case::Entity::find()
            .filter(case::Column::PatientName.eq(patient))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let when = Utc::now() - Duration::days(days);
        let txn = begin_write(db).await?;
        // A waiting referral has the deadline its practice gives it today.
        // Escalations already due count as sent: the demo starts quiet.
        let respond_by = if app::cases::deadlines::awaits_response(status) {
            let org = user_org(&txn, to).await?;
            Some(app::cases::service::deadlines::respond_by(&txn, org, urgency, when).await?)
        } else {
            None
        };
        let step = respond_by.map_or(0, |by| {
            app::cases::deadlines::step_due(by, Utc::now()) as i32
        });
        let created = case::ActiveModel {
            respond_by: Set(respond_by),
            escalation_step: Set(step),
            patient_name: Set(patient.to_string()),
            patient_date_of_birth: Set(None),
            patient_contact: Set(Some(format!("+1 555 01{i:02}"))),
            reason: Set(reason.to_string()),
            urgency: Set(urgency),
            notes: Set(None),
            referred_by_doctor_id: Set(by),
            referred_to_doctor_id: Set(to),
            status: Set(status),
            version: Set(1),
            created_at: Set(when),
            updated_at: Set(when),
            search_text: Set(format!("{patient} {reason}").to_lowercase()),
            owner_user_id: Set(ortiz_user.filter(|_| patient == "Emma Wilson")),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // Pat (plain staff) helps on the first case only.
        if i == 0
            && let Some(pat) = pat
        {
            case_associate::ActiveModel {
                case_id: Set(created.id),
                user_id: Set(pat),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        app::cases::service::rebuild_links(&txn, &created).await?;
        demo_notification(&txn, &created, days).await?;
        txn.commit().await?;
    }

    let clients = [
        ("Alice Brown", 40, false),
        ("Carlos Diaz", 30, false),
        ("Dorothy Evans", 20, false),
        ("Edward Archer", 10, true),
    ];
    let mut client_ids = Vec::new();
    for (name, hours, archived) in clients {
        let existing = client::Entity::find()
            .filter(client::Column::FullName.eq(name))
            .filter(client::Column::OrganisationId.eq(harbour.id))
            .one(db)
            .await?;
        let id = match existing {
            Some(c) => c.id,
            None => {
                client::ActiveModel {
                    organisation_id: Set(harbour.id),
                    full_name: Set(name.to_string()),
                    date_of_birth: Set(None),
                    phone: Set(Some("+1 555 0199".into())),
                    email: Set(None),
                    address: Set(Some("1 Harbour Road".into())),
                    authorised_hours_per_month: Set(hours),
                    archived_at: Set(archived.then(Utc::now)),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(db)
                .await?
                .id
            }
        };
        client_ids.push(id);
    }
    // Erin: Primary for Alice, Secondary for Carlos, and once assigned to
    // the archived Edward; Frank: Supervisor for Alice, Primary for Dorothy.
    let assignments = [
        (0, 0, Relationship::Primary),
        (0, 1, Relationship::Secondary),
        (0, 3, Relationship::Primary),
        (1, 0, Relationship::Supervisor),
        (1, 2, Relationship::Primary),
    ];
    for (cm, cl, relationship) in assignments {
        let (cm, cl) = (cms[cm].id, client_ids[cl]);
        let exists = client_assignment::Entity::find()
            .filter(client_assignment::Column::CaseManagerUserId.eq(cm))
            .filter(client_assignment::Column::ClientId.eq(cl))
            .one(db)
            .await?
            .is_some();
        if !exists {
            client_assignment::ActiveModel {
                client_id: Set(cl),
                case_manager_user_id: Set(cm),
                relationship: Set(relationship),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    demo_care(db, &harbour, &client_ids, &harbour_staff).await?;
    Ok(())
}

const DEMO_TERMS: &str = "You may use this portal only for the clients assigned to you, \
and only to coordinate their care. Keep what you see confidential, do not share your \
password, and sign out on shared computers. Harbour Care Agency records every sign-in, page \
view and download.";

/// The demo agency's portal is on, branded, with the case managers'
/// employer filled in.
async fn demo_portal(
    db: &DatabaseConnection,
    harbour: &organisation::Model,
    cms: &[user::Model],
) -> Result<(), AppError> {
    let Some(settings) = portal_setting::Entity::find_by_id(harbour.id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    if settings.welcome_message.is_empty() {
        let mut s: portal_setting::ActiveModel = settings.into();
        s.portal_enabled = Set(true);
        s.brand_colour = Set("#0f766e".into());
        s.welcome_message =
            Set("Welcome, case managers. Sign in to see the clients you manage with us.".into());
        s.contact_details = Set("Harbour Care Agency · care@harbour.example · +1 555 0100".into());
        s.terms_text = Set(DEMO_TERMS.into());
        s.terms_version = Set(1);
        s.terms_require_acceptance = Set(true);
        s.update(db).await?;
        // Erin has accepted these terms already; Frank has not.
        if let Some(erin) = cms.first()
            && let Some(p) = case_manager_profile::Entity::find_by_id(erin.id)
                .one(db)
                .await?
        {
            let mut p: case_manager_profile::ActiveModel = p.into();
            p.terms_version_accepted = Set(Some(1));
            p.update(db).await?;
        }
    }
    for cm in cms {
        if let Some(p) = case_manager_profile::Entity::find_by_id(cm.id)
            .one(db)
            .await?
            && p.employer.is_none()
        {
            let mut p: case_manager_profile::ActiveModel = p.into();
            p.employer = Set(Some("North County Case Management".into()));
            p.update(db).await?;
        }
    }
    Ok(())
}

/// Several months of care records for the demo clients: weekly visits,
/// most of them done, a few cancelled or missed, some still to come; a
/// note for each visit done; one annual assessment each. Runs once per
/// client.
/// Harbour takes messages from its case managers; all admins receive them.
async fn demo_messaging(
    db: &DatabaseConnection,
    harbour: &organisation::Model,
) -> Result<(), AppError> {
    use app::entities::messaging_setting;
    if messaging_setting::Entity::find_by_id(harbour.id)
        .one(db)
        .await?
        .is_none()
    {
        messaging_setting::ActiveModel {
            organisation_id: Set(harbour.id),
            enabled: Set(true),
            recipients: Set(app::messages::Routing::AllAdmins.key().into()),
            updated_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn demo_care(
    db: &DatabaseConnection,
    harbour: &organisation::Model,
    client_ids: &[i32],
    staff: &[user::Model],
) -> Result<(), AppError> {
    let Some(sam) = staff.iter().find(|u| u.role == Role::Staff) else {
        return Ok(());
    };
    let services = ["Personal care", "Home support", "Community access"];
    // Visits at round hours of the agency's own clock.
    let zone = harbour.zone();
    let today = zone.date_of(Utc::now());
    for (ci, &client_id) in client_ids.iter().enumerate() {
        let has_records = appointment::Entity::find()
            .filter(appointment::Column::ClientId.eq(client_id))
            .one(db)
            .await?
            .is_some();
        if has_records {
            continue;
        }
        let txn = begin_write(db).await?;
        // Weekly from 16 weeks ago to 4 weeks ahead, on a client-specific
        // weekday and hour.
        for week in -16i64..=4 {
            let day = today + Duration::days(week * 7 + ci as i64);
            let hour = 9 + (ci as u32 % 3) * 2;
            let minutes = if week % 2 == 0 { 120 } else { 90 };
            let time = chrono::NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default();
            let starts = zone
                .place(day, time)
                .map_or_else(|_| day.and_time(time).and_utc(), |p| p.at);
            let status = if starts > Utc::now() {
                AppointmentStatus::Scheduled
            } else if week % 7 == 3 {
                AppointmentStatus::Cancelled
            } else if week % 11 == 5 {
                AppointmentStatus::NoShow
            } else {
                AppointmentStatus::Completed
            };
            let service = services[(week.unsigned_abs() as usize + ci) % services.len()];
            let a = appointment::ActiveModel {
                organisation_id: Set(harbour.id),
                client_id: Set(client_id),
                staff_user_id: Set(Some(sam.id)),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::minutes(minutes)),
                service_type: Set(service.to_string()),
                status: Set(status),
                minutes: Set(minutes as i32),
                created_by: Set(sam.id),
                created_at: Set(starts - Duration::days(14)),
                updated_at: Set(starts),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            if status == AppointmentStatus::Completed {
                service_note::ActiveModel {
                    organisation_id: Set(harbour.id),
                    client_id: Set(client_id),
                    appointment_id: Set(Some(a.id)),
                    author_user_id: Set(sam.id),
                    written_at: Set(starts + Duration::minutes(minutes + 15)),
                    general_content: Set(format!(
                        "{service} visit completed. Client in good spirits; goals for the week reviewed."
                    )),
                    internal_content: Set(if week % 4 == 0 {
                        "Internal: billing query raised with the funder.".into()
                    } else {
                        String::new()
                    }),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        let assessed = today - Duration::days(60 + 20 * ci as i64);
        assessment::ActiveModel {
            organisation_id: Set(harbour.id),
            client_id: Set(client_id),
            assessed_on: Set(assessed),
            title: Set("Annual needs assessment".into()),
            summary: Set(
                "Needs reviewed with the client and family. Current support hours remain appropriate."
                    .into(),
            ),
            next_due: Set(Some(assessed + Duration::days(365))),
            author_user_id: Set(sam.id),
            created_at: Set(assessed.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // Two care-plan goals with monthly progress, for the Progress Report.
        for (gi, title) in [
            "Walk to the local shops independently",
            "Prepare a simple meal weekly",
        ]
        .into_iter()
        .enumerate()
        {
            let g = goal::ActiveModel {
                organisation_id: Set(harbour.id),
                client_id: Set(client_id),
                title: Set(title.into()),
                description: Set("Agreed with the client at the annual assessment.".into()),
                target_date: Set(Some(today + Duration::days(120))),
                status: Set("active".into()),
                created_by: Set(sam.id),
                created_at: Set(Utc::now() - Duration::days(120)),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            for month in 0..4i64 {
                goal_progress::ActiveModel {
                    goal_id: Set(g.id),
                    recorded_on: Set(today - Duration::days(100 - month * 30 + gi as i64)),
                    percent: Set((15 + month * 20 - gi as i64 * 10).clamp(0, 100) as i32),
                    note: Set(format!("Month {} review: steady progress.", month + 1)),
                    recorded_by: Set(sam.id),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        txn.commit().await?;
    }
    Ok(())
}
