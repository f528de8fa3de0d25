use crate::auth::policy::{Actor, navigation};
use crate::auth::{Me, Role};
use crate::orgs::OrgKind;
use crate::zone::Zone;

/// The user behind a request, resolved from the session cookie by the
/// server's session middleware and placed in the request extensions.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user_id: i32,
    pub organisation_id: i32,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub organisation_kind: OrgKind,
    pub role: Role,
    pub display_name: String,
    pub email: String,
    /// SHA-256 of the session token: the `sessions` row id.
    pub session_id: String,
    /// Set by an admin-chosen initial password: nothing else works until
    /// the user picks their own.
    pub must_change_password: bool,
    /// For external case managers: access Active and the portal on.
    pub portal_open: bool,
    /// For external case managers: the agency's current terms of use are
    /// not accepted yet, so nothing but accepting them works.
    pub terms_pending: bool,
    /// The organisation's idle timeout, for the page's countdown.
    pub idle_timeout_minutes: i32,
    /// The organisation's time zone.
    pub zone: Zone,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            organisation_id: self.organisation_id,
            organisation_kind: self.organisation_kind,
            role: self.role,
            portal_open: self.role != crate::auth::Role::ExternalCaseManager || self.portal_open,
            zone: self.zone,
        }
    }
}

/// What the page is told about the user, with the header the policy
/// allows them.
impl From<&CurrentUser> for Me {
    fn from(u: &CurrentUser) -> Self {
        Me {
            user_id: u.user_id,
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            role: u.role,
            organisation_name: u.organisation_name.clone(),
            organisation_kind: u.organisation_kind,
            must_change_password: u.must_change_password,
            organisation_slug: u.organisation_slug.clone(),
            terms_pending: u.terms_pending,
            idle_timeout_minutes: u.idle_timeout_minutes,
            nav: navigation(&u.actor()),
        }
    }
}
