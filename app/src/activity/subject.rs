//! What an activity-log entry is about. Stored as a kind (`subject_type`)
//! and an id, so the log can be filtered by either; written only through
//! this type, so a kind is never misspelt.

/// The thing an entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A personal API token.
    ApiToken(i32),
    Appointment(i32),
    Assessment(i32),
    Case(i32),
    /// A case-list export: no single case.
    CaseList,
    CaseManager(i32),
    Client(i32),
    Document(i32),
    DocumentCategory(i32),
    Goal(i32),
    Message(i32),
    Organisation(i32),
    Report(i32),
    ReportSchedule(i32),
    ServiceNote(i32),
    /// The stored two-factor keys as a whole (a resealing).
    TwoFactorKeys,
    User(i32),
    /// A sign-in for an address no account has.
    UnknownUser,
    /// A FHIR search or export: many records, or none in particular.
    FhirApi,
}

impl Subject {
    /// The stored kind.
    pub fn kind(self) -> &'static str {
        match self {
            Subject::ApiToken(_) => "api_token",
            Subject::Appointment(_) => "appointment",
            Subject::Assessment(_) => "assessment",
            Subject::Case(_) => "case",
            Subject::CaseList => "case_list",
            Subject::CaseManager(_) => "case_manager",
            Subject::Client(_) => "client",
            Subject::Document(_) => "document",
            Subject::DocumentCategory(_) => "document_category",
            Subject::Goal(_) => "goal",
            Subject::Message(_) => "message",
            Subject::Organisation(_) => "organisation",
            Subject::Report(_) => "report",
            Subject::ReportSchedule(_) => "report_schedule",
            Subject::ServiceNote(_) => "service_note",
            Subject::TwoFactorKeys => "two_factor",
            Subject::User(_) | Subject::UnknownUser => "user",
            Subject::FhirApi => "fhir",
        }
    }

    /// The stored id, where the subject has one.
    pub fn id(self) -> Option<i32> {
        match self {
            Subject::CaseList
            | Subject::TwoFactorKeys
            | Subject::UnknownUser
            | Subject::FhirApi => None,
            Subject::ApiToken(id)
            | Subject::Appointment(id)
            | Subject::Assessment(id)
            | Subject::Case(id)
            | Subject::CaseManager(id)
            | Subject::Client(id)
            | Subject::Document(id)
            | Subject::DocumentCategory(id)
            | Subject::Goal(id)
            | Subject::Message(id)
            | Subject::Organisation(id)
            | Subject::Report(id)
            | Subject::ReportSchedule(id)
            | Subject::ServiceNote(id)
            | Subject::User(id) => Some(id),
        }
    }
}
