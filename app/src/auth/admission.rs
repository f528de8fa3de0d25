//! May an external case manager be in the portal now? Their access status,
//! whether they accepted the invitation, whether the agency's portal is on,
//! and whether new terms of use wait for them. The session resolver asks on
//! every request, sign-in asks once, and scheduled reports ask before they
//! send: one answer from one read of the two rows it depends on.

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::auth::grants::AccessStatus;
use crate::entities::{case_manager_profile, portal_setting};

/// Whether a case manager may be in the portal now, and if not, why (for
/// the sign-in log and the session check).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Open,
    NotAccepted,
    Suspended,
    Revoked,
    PortalOff,
}

impl Standing {
    pub fn reason(self) -> &'static str {
        match self {
            Standing::Open => "open",
            Standing::NotAccepted => "invitation_not_accepted",
            Standing::Suspended => "access_suspended",
            Standing::Revoked => "access_revoked",
            Standing::PortalOff => "portal_off",
        }
    }
}

/// A case manager's standing and whether terms of use wait for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admission {
    pub standing: Standing,
    /// They must accept (again) before anything else.
    pub terms_pending: bool,
}

/// Reads the profile and the portal settings once and answers both.
pub async fn admission(
    conn: &impl ConnectionTrait,
    user_id: i32,
    organisation_id: i32,
) -> Result<Admission, sea_orm::DbErr> {
    let profile = case_manager_profile::Entity::find_by_id(user_id)
        .one(conn)
        .await?;
    let setting = portal_setting::Entity::find_by_id(organisation_id)
        .one(conn)
        .await?;
    Ok(decide(profile.as_ref(), setting.as_ref()))
}

/// [`admission`]'s standing alone.
pub async fn standing(
    conn: &impl ConnectionTrait,
    user_id: i32,
    organisation_id: i32,
) -> Result<Standing, sea_orm::DbErr> {
    Ok(admission(conn, user_id, organisation_id).await?.standing)
}

/// Whether a case manager must accept (again) before anything else: the
/// agency asks for acceptance, has a text, and it is not the version they
/// accepted.
pub fn terms_pending(s: &portal_setting::Model, p: &case_manager_profile::Model) -> bool {
    s.terms_require_acceptance
        && !s.terms_text.trim().is_empty()
        && p.terms_version_accepted != Some(s.terms_version)
}

fn decide(
    profile: Option<&case_manager_profile::Model>,
    setting: Option<&portal_setting::Model>,
) -> Admission {
    let Some(p) = profile else {
        return Admission {
            standing: Standing::NotAccepted,
            terms_pending: false,
        };
    };
    let enabled = setting.is_some_and(|s| s.portal_enabled);
    let standing = match p.access_status {
        AccessStatus::Revoked => Standing::Revoked,
        AccessStatus::Suspended => Standing::Suspended,
        AccessStatus::Active if p.accepted_at.is_none() => Standing::NotAccepted,
        AccessStatus::Active if !enabled => Standing::PortalOff,
        AccessStatus::Active => Standing::Open,
    };
    Admission {
        standing,
        terms_pending: setting.is_some_and(|s| terms_pending(s, p)),
    }
}
