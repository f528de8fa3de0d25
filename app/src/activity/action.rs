use serde::{Deserialize, Serialize};

/// What an activity-log row records. Stored as a stable string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(48))"
    )
)]
pub enum ActivityAction {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sign_in"))]
    SignIn,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sign_in_failed"))]
    SignInFailed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sign_out"))]
    SignOut,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "user_created"))]
    UserCreated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_viewed"))]
    CaseViewed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_created"))]
    CaseCreated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_status_changed"))]
    CaseStatusChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_modified"))]
    CaseModified,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_referred_on"))]
    CaseReferredOn,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_exported"))]
    CaseExported,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "user_role_changed"))]
    UserRoleChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "user_deactivated"))]
    UserDeactivated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "user_reactivated"))]
    UserReactivated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "password_changed"))]
    PasswordChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sessions_ended"))]
    SessionsEnded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "settings_changed"))]
    SettingsChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_manager_added"))]
    CaseManagerAdded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_manager_updated"))]
    CaseManagerUpdated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "invitation_sent"))]
    InvitationSent,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "invitation_accepted"))]
    InvitationAccepted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "invitation_refused"))]
    InvitationRefused,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "access_changed"))]
    AccessChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "client_assigned"))]
    ClientAssigned,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "client_unassigned"))]
    ClientUnassigned,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "client_archived"))]
    ClientArchived,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "client_restored"))]
    ClientRestored,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "document_uploaded"))]
    DocumentUploaded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "document_sharing_changed"))]
    DocumentSharingChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "document_downloaded"))]
    DocumentDownloaded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "category_changed"))]
    CategoryChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "page_viewed"))]
    PageViewed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "appointment_added"))]
    AppointmentAdded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "appointment_status_changed"))]
    AppointmentStatusChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "appointment_updated"))]
    AppointmentUpdated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "note_added"))]
    NoteAdded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "assessment_added"))]
    AssessmentAdded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "terms_accepted"))]
    TermsAccepted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "portal_previewed"))]
    PortalPreviewed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "password_reset_requested"))]
    PasswordResetRequested,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "password_reset_sent"))]
    PasswordResetSent,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "password_reset"))]
    PasswordReset,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "report_generated"))]
    ReportGenerated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "report_sent"))]
    ReportSent,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "report_downloaded"))]
    ReportDownloaded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "report_schedule_added"))]
    ReportScheduleAdded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "report_schedule_stopped"))]
    ReportScheduleStopped,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "goal_added"))]
    GoalAdded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "goal_progress_recorded"))]
    GoalProgressRecorded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "message_sent"))]
    MessageSent,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "team_lead_changed"))]
    TeamLeadChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "session_timed_out"))]
    SessionTimedOut,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "activity_exported"))]
    ActivityExported,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "two_factor_enabled"))]
    TwoFactorEnabled,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "two_factor_disabled"))]
    TwoFactorDisabled,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "two_factor_reset"))]
    TwoFactorReset,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "recovery_codes_renewed"))]
    RecoveryCodesRenewed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "recovery_code_used"))]
    RecoveryCodeUsed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "email_changed"))]
    EmailChanged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "secrets_resealed"))]
    SecretsResealed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_assigned"))]
    CaseAssigned,
    /// The deadline watch told someone of a missed response deadline.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_escalated"))]
    CaseEscalated,
    /// A post in a case's conversation or an internal note; the row keeps
    /// which, never the text.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_post_added"))]
    CasePostAdded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_file_attached"))]
    CaseFileAttached,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "case_file_downloaded"))]
    CaseFileDownloaded,
    /// A personal API token was made or revoked; the row names the token,
    /// never its value.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "api_token_created"))]
    ApiTokenCreated,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "api_token_revoked"))]
    ApiTokenRevoked,
    /// A read or search of the FHIR API, like a page view.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "api_read"))]
    ApiRead,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "bulk_export_started"))]
    BulkExportStarted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "bulk_export_downloaded"))]
    BulkExportDownloaded,
}

impl ActivityAction {
    /// Every action, for the log's filter. A test checks none is missing.
    pub const ALL: &[ActivityAction] = &[
        ActivityAction::SignIn,
        ActivityAction::SignInFailed,
        ActivityAction::SignOut,
        ActivityAction::UserCreated,
        ActivityAction::CaseViewed,
        ActivityAction::CaseCreated,
        ActivityAction::CaseStatusChanged,
        ActivityAction::CaseModified,
        ActivityAction::CaseReferredOn,
        ActivityAction::CaseExported,
        ActivityAction::UserRoleChanged,
        ActivityAction::UserDeactivated,
        ActivityAction::UserReactivated,
        ActivityAction::PasswordChanged,
        ActivityAction::SessionsEnded,
        ActivityAction::SettingsChanged,
        ActivityAction::CaseManagerAdded,
        ActivityAction::CaseManagerUpdated,
        ActivityAction::InvitationSent,
        ActivityAction::InvitationAccepted,
        ActivityAction::InvitationRefused,
        ActivityAction::AccessChanged,
        ActivityAction::ClientAssigned,
        ActivityAction::ClientUnassigned,
        ActivityAction::ClientArchived,
        ActivityAction::ClientRestored,
        ActivityAction::DocumentUploaded,
        ActivityAction::DocumentSharingChanged,
        ActivityAction::DocumentDownloaded,
        ActivityAction::CategoryChanged,
        ActivityAction::PageViewed,
        ActivityAction::AppointmentAdded,
        ActivityAction::AppointmentStatusChanged,
        ActivityAction::AppointmentUpdated,
        ActivityAction::NoteAdded,
        ActivityAction::AssessmentAdded,
        ActivityAction::TermsAccepted,
        ActivityAction::PortalPreviewed,
        ActivityAction::PasswordResetRequested,
        ActivityAction::PasswordResetSent,
        ActivityAction::PasswordReset,
        ActivityAction::ReportGenerated,
        ActivityAction::ReportSent,
        ActivityAction::ReportDownloaded,
        ActivityAction::ReportScheduleAdded,
        ActivityAction::ReportScheduleStopped,
        ActivityAction::GoalAdded,
        ActivityAction::GoalProgressRecorded,
        ActivityAction::MessageSent,
        ActivityAction::TeamLeadChanged,
        ActivityAction::SessionTimedOut,
        ActivityAction::ActivityExported,
        ActivityAction::TwoFactorEnabled,
        ActivityAction::TwoFactorDisabled,
        ActivityAction::TwoFactorReset,
        ActivityAction::RecoveryCodesRenewed,
        ActivityAction::RecoveryCodeUsed,
        ActivityAction::EmailChanged,
        ActivityAction::SecretsResealed,
        ActivityAction::CaseAssigned,
        ActivityAction::CaseEscalated,
        ActivityAction::CasePostAdded,
        ActivityAction::CaseFileAttached,
        ActivityAction::CaseFileDownloaded,
        ActivityAction::ApiTokenCreated,
        ActivityAction::ApiTokenRevoked,
        ActivityAction::ApiRead,
        ActivityAction::BulkExportStarted,
        ActivityAction::BulkExportDownloaded,
    ];

    /// The stable name used in URLs: the variant's serde name.
    pub fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub fn from_key(key: &str) -> Option<ActivityAction> {
        Self::ALL.iter().copied().find(|a| a.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityAction::SignIn => "Signed in",
            ActivityAction::SignInFailed => "Sign-in failed",
            ActivityAction::SignOut => "Signed out",
            ActivityAction::UserCreated => "User created",
            ActivityAction::CaseViewed => "Viewed case",
            ActivityAction::CaseCreated => "Case created",
            ActivityAction::CaseStatusChanged => "Case status changed",
            ActivityAction::CaseModified => "Case modified",
            ActivityAction::CaseReferredOn => "Case referred on",
            ActivityAction::CaseAssigned => "Case owner changed",
            ActivityAction::CaseEscalated => "Missed deadline escalated",
            ActivityAction::CasePostAdded => "Case message or note posted",
            ActivityAction::CaseFileAttached => "File attached to a case",
            ActivityAction::CaseFileDownloaded => "Case file downloaded",
            ActivityAction::CaseExported => "Cases exported",
            ActivityAction::UserRoleChanged => "Role changed",
            ActivityAction::UserDeactivated => "User deactivated",
            ActivityAction::UserReactivated => "User reactivated",
            ActivityAction::PasswordChanged => "Password changed",
            ActivityAction::SessionsEnded => "Sessions ended",
            ActivityAction::SettingsChanged => "Settings changed",
            ActivityAction::CaseManagerAdded => "Case manager added",
            ActivityAction::CaseManagerUpdated => "Case manager updated",
            ActivityAction::InvitationSent => "Portal invitation sent",
            ActivityAction::InvitationAccepted => "Portal invitation accepted",
            ActivityAction::InvitationRefused => "Portal invitation refused",
            ActivityAction::AccessChanged => "Portal access changed",
            ActivityAction::ClientAssigned => "Case manager assigned",
            ActivityAction::ClientUnassigned => "Case manager unassigned",
            ActivityAction::ClientArchived => "Client archived",
            ActivityAction::ClientRestored => "Client restored",
            ActivityAction::DocumentUploaded => "Document uploaded",
            ActivityAction::DocumentSharingChanged => "Document sharing changed",
            ActivityAction::DocumentDownloaded => "Document downloaded",
            ActivityAction::CategoryChanged => "Document category changed",
            ActivityAction::PageViewed => "Page viewed",
            ActivityAction::AppointmentAdded => "Appointment added",
            ActivityAction::AppointmentStatusChanged => "Appointment status changed",
            ActivityAction::AppointmentUpdated => "Appointment changed",
            ActivityAction::NoteAdded => "Service note added",
            ActivityAction::AssessmentAdded => "Assessment added",
            ActivityAction::TermsAccepted => "Terms of use accepted",
            ActivityAction::PortalPreviewed => "Portal previewed as a case manager",
            ActivityAction::PasswordResetRequested => "Password reset requested",
            ActivityAction::PasswordResetSent => "Password-reset link sent",
            ActivityAction::PasswordReset => "Password reset",
            ActivityAction::ReportGenerated => "Report generated",
            ActivityAction::ReportSent => "Report sent to a case manager",
            ActivityAction::ReportDownloaded => "Report downloaded",
            ActivityAction::ReportScheduleAdded => "Automated report added",
            ActivityAction::ReportScheduleStopped => "Automated report stopped",
            ActivityAction::GoalAdded => "Goal added",
            ActivityAction::GoalProgressRecorded => "Goal progress recorded",
            ActivityAction::MessageSent => "Message sent",
            ActivityAction::TeamLeadChanged => "Team lead changed",
            ActivityAction::SessionTimedOut => "Signed out after inactivity",
            ActivityAction::ActivityExported => "Activity log exported",
            ActivityAction::TwoFactorEnabled => "Two-factor sign-in turned on",
            ActivityAction::TwoFactorDisabled => "Two-factor sign-in turned off",
            ActivityAction::TwoFactorReset => "Two-factor sign-in reset by an admin",
            ActivityAction::RecoveryCodesRenewed => "New recovery codes made",
            ActivityAction::RecoveryCodeUsed => "Recovery code used to sign in",
            ActivityAction::EmailChanged => "E-mail address changed",
            ActivityAction::SecretsResealed => "Stored secrets resealed under the current key",
            ActivityAction::ApiTokenCreated => "API token created",
            ActivityAction::ApiTokenRevoked => "API token revoked",
            ActivityAction::ApiRead => "Read through the FHIR API",
            ActivityAction::BulkExportStarted => "Bulk export started",
            ActivityAction::BulkExportDownloaded => "Bulk export file downloaded",
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::ActivityAction;
    use sea_orm::Iterable;

    #[test]
    fn the_filter_list_holds_every_action_and_keys_round_trip() {
        assert_eq!(ActivityAction::ALL.len(), ActivityAction::iter().count());
        for a in ActivityAction::iter() {
            assert_eq!(ActivityAction::from_key(&a.key()), Some(a));
        }
    }
}
