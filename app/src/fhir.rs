//! A read-only HL7 FHIR R4 view of Caseport: referral cases as
//! ServiceRequest + Task (the BSeR / SDOH referral pattern), their history as
//! Provenance naming whom a case manager acted for, an agency's visits as
//! Appointment, the activity log as AuditEvent. Every read goes through the
//! same policy as the pages do (`read`, `search`), and is logged like a page
//! view. The server's `http::fhir` routes it and turns errors into
//! OperationOutcome.

pub mod bundle;
pub mod capability;
pub mod export;
pub mod params;
pub mod read;
pub mod resources;
pub mod search;

use crate::api_tokens::Scope;
use crate::auth::caller::Caller;

/// The media type of every FHIR answer.
pub const FHIR_JSON: &str = "application/fhir+json";
/// The media type of a bulk-export file.
pub const FHIR_NDJSON: &str = "application/fhir+ndjson";
/// Where the API lives, below the public address.
pub const BASE_PATH: &str = "/fhir/r4";

/// Who asks, and with what: a browser session reads all its user may; a
/// token only its scopes.
#[derive(Clone, Debug)]
pub struct FhirCaller {
    pub caller: Caller,
    /// `None` for a browser session.
    pub scopes: Option<Vec<Scope>>,
    pub token_id: Option<i32>,
}

impl FhirCaller {
    /// The policy's answer on a scope, for this request.
    pub fn may_read(&self, scope: Scope) -> Result<(), crate::error::AppError> {
        crate::auth::policy::scope_allows(&self.caller, self.scopes.as_deref(), scope)
    }
}

/// The resource types the API serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceType {
    ServiceRequest,
    Task,
    Provenance,
    Patient,
    Practitioner,
    PractitionerRole,
    Organization,
    Appointment,
    AuditEvent,
}

impl ResourceType {
    pub const ALL: [ResourceType; 9] = [
        ResourceType::ServiceRequest,
        ResourceType::Task,
        ResourceType::Provenance,
        ResourceType::Patient,
        ResourceType::Practitioner,
        ResourceType::PractitionerRole,
        ResourceType::Organization,
        ResourceType::Appointment,
        ResourceType::AuditEvent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ResourceType::ServiceRequest => "ServiceRequest",
            ResourceType::Task => "Task",
            ResourceType::Provenance => "Provenance",
            ResourceType::Patient => "Patient",
            ResourceType::Practitioner => "Practitioner",
            ResourceType::PractitionerRole => "PractitionerRole",
            ResourceType::Organization => "Organization",
            ResourceType::Appointment => "Appointment",
            ResourceType::AuditEvent => "AuditEvent",
        }
    }

    pub fn parse(name: &str) -> Option<ResourceType> {
        ResourceType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The search parameters each type answers; any other is refused, so a
    /// misspelt filter never silently returns everything.
    pub fn search_params(self) -> &'static [&'static str] {
        match self {
            ResourceType::ServiceRequest => &["patient", "status"],
            ResourceType::Task => &["status", "owner"],
            ResourceType::Provenance => &["target"],
            ResourceType::Appointment => &["patient", "date", "status"],
            ResourceType::AuditEvent => &["date"],
            ResourceType::Patient
            | ResourceType::Practitioner
            | ResourceType::PractitionerRole
            | ResourceType::Organization => &["_id"],
        }
    }
}
