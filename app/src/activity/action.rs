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
}

impl ActivityAction {
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
            ActivityAction::CaseExported => "Cases exported",
            ActivityAction::UserRoleChanged => "Role changed",
            ActivityAction::UserDeactivated => "User deactivated",
            ActivityAction::UserReactivated => "User reactivated",
            ActivityAction::PasswordChanged => "Password changed",
            ActivityAction::SessionsEnded => "Sessions ended",
        }
    }
}
