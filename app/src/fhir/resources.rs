//! Caseport records as FHIR R4 resources: pure functions from rows to JSON,
//! no database and no policy (the caller has asked it already).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::activity::ActivityAction;
use crate::auth::Role;
use crate::care::AppointmentStatus;
use crate::cases::audit::CaseEvent;
use crate::cases::{CaseStatus, Urgency};
use crate::entities::{activity_log, appointment, case, client, organisation};
use crate::orgs::OrgKind;

/// Where Caseport's own codes live.
pub const CODES: &str = "https://caseport.example/fhir/CodeSystem";

/// A person a resource names, with what FHIR says of them.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: i32,
    pub name: String,
    pub role: Role,
    pub organisation_id: i32,
    pub organisation_name: String,
    pub specialty: Option<String>,
    pub active: bool,
}

/// The users a case names: cases keep doctor ids, FHIR names people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parties {
    /// The referring doctor's user id.
    pub by: i32,
    /// The referred-to doctor's user id.
    pub to: i32,
}

impl Parties {}

/// "2026-12-02T09:30:00Z": FHIR's `instant`.
pub fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn role_ref(p: &Person) -> Value {
    json!({ "reference": format!("PractitionerRole/{}", p.id), "display": p.name })
}

fn role_ref_or(people: &[Person], id: i32) -> Value {
    match people.iter().find(|p| p.id == id) {
        Some(p) => role_ref(p),
        None => json!({ "reference": format!("PractitionerRole/{id}") }),
    }
}

pub fn case_patient_id(case_id: i32) -> String {
    format!("case-{case_id}")
}

pub fn client_patient_id(client_id: i32) -> String {
    format!("client-{client_id}")
}

/// Task status codes are Caseport's own case statuses, by design.
pub fn task_status(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Requested => "requested",
        CaseStatus::Received => "received",
        CaseStatus::Accepted => "accepted",
        CaseStatus::Rejected => "rejected",
        CaseStatus::InProgress => "in-progress",
        CaseStatus::OnHold => "on-hold",
        CaseStatus::Completed => "completed",
        CaseStatus::Cancelled => "cancelled",
    }
}

pub fn case_status_of(code: &str) -> Option<CaseStatus> {
    [
        CaseStatus::Requested,
        CaseStatus::Received,
        CaseStatus::Accepted,
        CaseStatus::Rejected,
        CaseStatus::InProgress,
        CaseStatus::OnHold,
        CaseStatus::Completed,
        CaseStatus::Cancelled,
    ]
    .into_iter()
    .find(|s| task_status(*s) == code)
}

/// The order's own lifecycle: open while the task runs, revoked when it
/// was declined or withdrawn.
pub fn request_status(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Requested
        | CaseStatus::Received
        | CaseStatus::Accepted
        | CaseStatus::InProgress => "active",
        CaseStatus::OnHold => "on-hold",
        CaseStatus::Completed => "completed",
        CaseStatus::Rejected | CaseStatus::Cancelled => "revoked",
    }
}

fn priority(u: Urgency) -> &'static str {
    match u {
        Urgency::Routine => "routine",
        Urgency::Urgent => "urgent",
        Urgency::Emergency => "stat",
    }
}

pub fn appointment_status(s: AppointmentStatus) -> &'static str {
    match s {
        AppointmentStatus::Scheduled => "booked",
        AppointmentStatus::Completed => "fulfilled",
        AppointmentStatus::Cancelled => "cancelled",
        AppointmentStatus::NoShow => "noshow",
    }
}

pub fn appointment_status_of(code: &str) -> Option<AppointmentStatus> {
    [
        AppointmentStatus::Scheduled,
        AppointmentStatus::Completed,
        AppointmentStatus::Cancelled,
        AppointmentStatus::NoShow,
    ]
    .into_iter()
    .find(|s| appointment_status(*s) == code)
}

fn meta(updated: DateTime<Utc>) -> Value {
    json!({ "lastUpdated": instant(updated) })
}

/// The referral as an order: who asks whom for what, how soon.
pub fn service_request(c: &case::Model, parties: Parties, people: &[Person]) -> Value {
    let mut r = json!({
        "resourceType": "ServiceRequest",
        "id": c.id.to_string(),
        "meta": meta(c.updated_at),
        "identifier": [{ "system": format!("{CODES}/case"), "value": c.id.to_string() }],
        "status": request_status(c.status),
        "intent": "order",
        "category": [{ "coding": [{
            "system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral"
        }] }],
        "priority": priority(c.urgency),
        "code": { "text": "Referral" },
        "subject": { "reference": format!("Patient/{}", case_patient_id(c.id)), "display": c.patient_name },
        "authoredOn": instant(c.created_at),
        "requester": role_ref_or(people, parties.by),
        "performer": [role_ref_or(people, parties.to)],
        "reasonCode": [{ "text": c.reason }],
    });
    if let Some(notes) = c.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        r["note"] = json!([{ "text": notes }]);
    }
    if let Some(parent) = c.parent_case_id {
        r["basedOn"] = json!([{ "reference": format!("ServiceRequest/{parent}") }]);
    }
    r
}

/// The work on the referral: its status is the case's status.
pub fn task(
    c: &case::Model,
    parties: Parties,
    people: &[Person],
    rejection: Option<String>,
) -> Value {
    let mut t = json!({
        "resourceType": "Task",
        "id": c.id.to_string(),
        "meta": meta(c.updated_at),
        "identifier": [{ "system": format!("{CODES}/case"), "value": c.id.to_string() }],
        "basedOn": [{ "reference": format!("ServiceRequest/{}", c.id) }],
        "status": task_status(c.status),
        "businessStatus": { "text": c.status.label() },
        "intent": "order",
        "priority": priority(c.urgency),
        "code": { "coding": [{
            "system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill",
            "display": "Fulfill the focal request"
        }] },
        "focus": { "reference": format!("ServiceRequest/{}", c.id) },
        "for": { "reference": format!("Patient/{}", case_patient_id(c.id)), "display": c.patient_name },
        "authoredOn": instant(c.created_at),
        "lastModified": instant(c.updated_at),
        "requester": role_ref_or(people, parties.by),
    });
    // The receiving side's chosen owner; none while the case sits in the
    // Unassigned queue (the performer is on the ServiceRequest).
    if let Some(owner) = c.owner_user_id {
        t["owner"] = role_ref_or(people, owner);
    }
    if let Some(reason) = rejection {
        t["statusReason"] = json!({ "text": reason });
    }
    if let Some(by) = c.respond_by.filter(|_| c.status.is_open()) {
        t["restriction"] = json!({ "period": { "end": instant(by) } });
    }
    t
}

/// The referred patient, as much as the case holds.
pub fn case_patient(c: &case::Model) -> Value {
    let mut p = json!({
        "resourceType": "Patient",
        "id": case_patient_id(c.id),
        "meta": meta(c.updated_at),
        "name": [{ "text": c.patient_name }],
    });
    if let Some(dob) = c.patient_date_of_birth {
        p["birthDate"] = json!(date(dob));
    }
    if let Some(contact) = c
        .patient_contact
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        p["telecom"] = json!([{ "system": "other", "value": contact }]);
    }
    p
}

/// An agency's client; the birth date only for the agency's own staff and
/// contact details only when the reader may see them, as on the pages.
pub fn client_patient(c: &client::Model, with_birth_date: bool, with_contact: bool) -> Value {
    let mut p = json!({
        "resourceType": "Patient",
        "id": client_patient_id(c.id),
        "active": c.archived_at.is_none(),
        "name": [{ "text": c.full_name }],
        "managingOrganization": { "reference": format!("Organization/{}", c.organisation_id) },
    });
    if let Some(dob) = c.date_of_birth.filter(|_| with_birth_date) {
        p["birthDate"] = json!(date(dob));
    }
    if with_contact {
        let mut telecom = Vec::new();
        if let Some(phone) = c.phone.as_deref().filter(|s| !s.is_empty()) {
            telecom.push(json!({ "system": "phone", "value": phone }));
        }
        if let Some(email) = c.email.as_deref().filter(|s| !s.is_empty()) {
            telecom.push(json!({ "system": "email", "value": email }));
        }
        if !telecom.is_empty() {
            p["telecom"] = Value::from(telecom);
        }
        if let Some(address) = c.address.as_deref().filter(|s| !s.is_empty()) {
            p["address"] = json!([{ "text": address }]);
        }
    }
    p
}

pub fn practitioner(p: &Person) -> Value {
    json!({
        "resourceType": "Practitioner",
        "id": p.id.to_string(),
        "active": p.active,
        "name": [{ "text": p.name }],
    })
}

pub fn practitioner_role(p: &Person) -> Value {
    let mut r = json!({
        "resourceType": "PractitionerRole",
        "id": p.id.to_string(),
        "active": p.active,
        "practitioner": { "reference": format!("Practitioner/{}", p.id), "display": p.name },
        "organization": {
            "reference": format!("Organization/{}", p.organisation_id),
            "display": p.organisation_name
        },
        "code": [{ "coding": [{
            "system": format!("{CODES}/role"), "code": role_code(p.role), "display": p.role.label()
        }] }],
    });
    if let Some(s) = p.specialty.as_deref().filter(|s| !s.is_empty()) {
        r["specialty"] = json!([{ "text": s }]);
    }
    r
}

fn role_code(r: Role) -> &'static str {
    match r {
        Role::Admin => "admin",
        Role::Staff => "staff",
        Role::Doctor => "doctor",
        Role::PracticeCaseManager => "practice-case-manager",
        Role::ExternalCaseManager => "external-case-manager",
    }
}

pub fn organization(o: &organisation::Model) -> Value {
    let kind = match o.kind {
        OrgKind::Practice => ("prov", "Healthcare Provider"),
        OrgKind::Agency => ("cg", "Community Group"),
    };
    json!({
        "resourceType": "Organization",
        "id": o.id.to_string(),
        "identifier": [{ "system": format!("{CODES}/organisation"), "value": o.slug }],
        "active": true,
        "type": [{ "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/organization-type",
            "code": kind.0, "display": kind.1
        }] }],
        "name": o.name,
    })
}

/// One change in a case's history: who did it and, for a case manager,
/// the doctor they did it for. `file_names`: the reader is on the case and
/// sees what attached files are called, as in the case's history.
pub fn provenance(row: &activity_log::Model, people: &[Person], file_names: bool) -> Option<Value> {
    let case_id = row.subject_id?;
    let event = CaseEvent::read(row.action, &row.detail)?;
    let event = if file_names {
        event
    } else {
        event.without_file_names()
    };
    let who = match row.actor_user_id {
        Some(id) => role_ref_or(people, id),
        None => json!({ "display": "Caseport (automatic)" }),
    };
    let mut agent = json!({
        "type": { "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
            "code": "author", "display": "Author"
        }] },
        "who": who,
    });
    if let Some(doctor) = row.on_behalf_of_user_id {
        agent["onBehalfOf"] = role_ref_or(people, doctor);
    }
    let operation = match row.action {
        ActivityAction::CaseCreated => ("CREATE", "create"),
        _ => ("UPDATE", "revise"),
    };
    Some(json!({
        "resourceType": "Provenance",
        "id": row.id.to_string(),
        "target": [{ "reference": format!("Task/{case_id}") }],
        "recorded": instant(row.created_at),
        "activity": {
            "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                "code": operation.0, "display": operation.1
            }],
            "text": event.describe(),
        },
        "agent": [agent],
    }))
}

/// A visit; the staff member only when the reader may see staff.
pub fn appointment(
    a: &appointment::Model,
    client_name: &str,
    staff: Option<(i32, String)>,
) -> Value {
    let mut participants = vec![json!({
        "actor": { "reference": format!("Patient/{}", client_patient_id(a.client_id)), "display": client_name },
        "status": "accepted",
    })];
    if let Some((id, name)) = staff {
        participants.push(json!({
            "actor": { "reference": format!("Practitioner/{id}"), "display": name },
            "status": "accepted",
        }));
    }
    json!({
        "resourceType": "Appointment",
        "id": a.id.to_string(),
        "meta": meta(a.updated_at),
        "status": appointment_status(a.status),
        "serviceType": [{ "text": a.service_type }],
        "start": instant(a.starts_at),
        "end": instant(a.ends_at),
        "minutesDuration": a.minutes.max(1),
        "created": date(a.created_at.date_naive()),
        "participant": participants,
    })
}

/// What kind of event a log row is, in DICOM's audit vocabulary (IHE
/// Basic Audit Log Patterns), and its CRUDE action.
fn audit_type(action: ActivityAction) -> (&'static str, &'static str, &'static str) {
    use ActivityAction as A;
    match action {
        A::SignIn | A::SignInFailed | A::SignOut | A::SessionTimedOut | A::RecoveryCodeUsed => {
            ("110114", "User Authentication", "E")
        }
        A::CaseExported | A::ActivityExported | A::BulkExportStarted => ("110106", "Export", "R"),
        A::CaseViewed
        | A::PageViewed
        | A::ApiRead
        | A::DocumentDownloaded
        | A::ReportDownloaded
        | A::CaseFileDownloaded
        | A::BulkExportDownloaded
        | A::PortalPreviewed => ("110110", "Patient Record", "R"),
        A::CaseCreated
        | A::UserCreated
        | A::CaseManagerAdded
        | A::DocumentUploaded
        | A::AppointmentAdded
        | A::NoteAdded
        | A::AssessmentAdded
        | A::GoalAdded
        | A::MessageSent
        | A::CasePostAdded
        | A::CaseFileAttached
        | A::ApiTokenCreated
        | A::ReportGenerated
        | A::ReportScheduleAdded => ("110110", "Patient Record", "C"),
        _ => ("110110", "Patient Record", "U"),
    }
}

/// What a log row is about, as a reference where Caseport serves the
/// resource and as an identifier where it does not.
fn audit_entity(row: &activity_log::Model) -> Option<Value> {
    let id = row.subject_id?;
    let what = match row.subject_type.as_str() {
        "case" => json!({ "reference": format!("Task/{id}") }),
        "client" => json!({ "reference": format!("Patient/{}", client_patient_id(id)) }),
        "appointment" => json!({ "reference": format!("Appointment/{id}") }),
        "user" => json!({ "reference": format!("Practitioner/{id}") }),
        "organisation" => json!({ "reference": format!("Organization/{id}") }),
        kind => {
            json!({ "identifier": { "system": format!("{CODES}/{kind}"), "value": id.to_string() } })
        }
    };
    Some(json!({ "what": what }))
}

/// A log row, its detail already cut to what the log page shows.
pub fn audit_event(row: &activity_log::Model, people: &[Person], shown_detail: &str) -> Value {
    let (code, display, action) = audit_type(row.action);
    let mut agents = Vec::new();
    if let Some(actor) = row.actor_user_id {
        let mut a = json!({ "who": role_ref_or(people, actor), "requestor": true });
        if let Some(ip) = row.ip.as_deref() {
            a["network"] = json!({ "address": ip, "type": "2" });
        }
        agents.push(a);
    }
    if let Some(doctor) = row.on_behalf_of_user_id {
        agents.push(json!({
            "type": { "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                "code": "RESP", "display": "responsible party"
            }] },
            "who": role_ref_or(people, doctor),
            "requestor": false,
        }));
    }
    if agents.is_empty() {
        agents.push(json!({ "name": "Caseport", "requestor": false }));
    }
    let failed = row.action == ActivityAction::SignInFailed;
    let mut e = json!({
        "resourceType": "AuditEvent",
        "id": row.id.to_string(),
        "type": { "system": "http://dicom.nema.org/resources/ontology/DCM", "code": code, "display": display },
        "subtype": [{ "system": format!("{CODES}/activity"), "code": row.action.key(), "display": row.action.label() }],
        "action": action,
        "recorded": instant(row.created_at),
        "outcome": if failed { "4" } else { "0" },
        "agent": agents,
        "source": {
            "site": "Caseport",
            "observer": match row.organisation_id {
                Some(org) => json!({ "reference": format!("Organization/{org}") }),
                None => json!({ "display": "Caseport" }),
            },
            "type": [{
                "system": "http://terminology.hl7.org/CodeSystem/security-source-type",
                "code": "4", "display": "Application Server"
            }],
        },
    });
    let mut entity = audit_entity(row).unwrap_or_else(|| json!({}));
    if shown_detail != "{}" && !shown_detail.is_empty() {
        entity["detail"] = json!([{ "type": "detail", "valueString": shown_detail }]);
    }
    if entity.as_object().is_some_and(|o| !o.is_empty()) {
        e["entity"] = json!([entity]);
    }
    e
}
