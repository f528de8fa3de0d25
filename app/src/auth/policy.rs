//! Every access decision in Caseport, in one place, deny by default.
//!
//! Server functions call [`can`] before they read or write anything; the UI
//! only mirrors these answers. A record the actor may not see is reported as
//! `NotFound`, so guessing ids reveals nothing; an action on a record they
//! may see but not change is `Forbidden`.

use crate::api_tokens::Scope;
use crate::auth::Navigation;
use crate::auth::Role;
use crate::auth::admission::Standing;
use crate::auth::grants::{DataKind, Visibility};
use crate::entities::organisation;
use crate::error::AppError;
use crate::orgs::OrgKind;
use crate::zone::Zone;

/// The signed-in user an access decision is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i32,
    pub organisation_id: i32,
    /// A practice refers cases; an agency runs a portal. Some rooms exist
    /// in one kind only.
    pub organisation_kind: OrgKind,
    pub role: Role,
    /// External case managers: their access is Active and their agency's
    /// portal is on. Checked again here, although the session layer already
    /// refuses closed portals, so no path around it can leak data.
    pub portal_open: bool,
    /// The clock the actor reads times on: their organisation's zone (for
    /// a case manager, the agency's, where the client's visits happen).
    pub zone: Zone,
}

impl Actor {
    /// An agency's external case manager as the policy sees them, for asking
    /// on their behalf (a report addressed to them, an admin's preview of
    /// their portal).
    pub fn agency_case_manager(
        user_id: i32,
        agency: &organisation::Model,
        portal_open: bool,
    ) -> Actor {
        Actor {
            user_id,
            organisation_id: agency.id,
            organisation_kind: OrgKind::Agency,
            role: Role::ExternalCaseManager,
            portal_open,
            zone: agency.zone(),
        }
    }

    fn at_agency(&self) -> bool {
        self.organisation_kind == OrgKind::Agency
    }
}

/// What the actor wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    View,
    Accept,
    Reject,
    Refer,
    Modify,
    Cancel,
    /// Start a new referral (the referring side).
    Create,
    /// Move an accepted case along: receive, start, complete, hold, resume.
    Progress,
    /// Choose who on the receiving side owns a case.
    Assign,
    /// Manage an organisation's users and settings.
    Administer,
}

/// Someone on a case, with the practice they belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub user_id: i32,
    pub organisation_id: i32,
    pub is_doctor: bool,
}

/// The facts about a case that access depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    pub referred_by: Participant,
    pub referred_to: Participant,
    pub associates: Vec<Participant>,
}

/// The facts about an agency client that access depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFacts {
    pub organisation_id: i32,
    pub archived: bool,
    /// User ids of the external case managers assigned to the client.
    pub assigned_case_managers: Vec<i32>,
    /// What the agency lets its case managers see.
    pub visible: Visibility,
}

/// What the actor wants to act on.
#[derive(Clone, Debug)]
pub enum Resource<'a> {
    Case(&'a CaseFacts),
    /// A post in a case's conversation. `internal_to` set: an internal
    /// note, for that practice alone, whoever else is on the case.
    CasePost {
        case: &'a CaseFacts,
        internal_to: Option<i32>,
    },
    Client(&'a ClientFacts),
    /// One kind of a client's data (schedules, notes, …), subject to the
    /// agency's visibility settings for case managers.
    ClientData(&'a ClientFacts, DataKind),
    /// A client document; `shared` is what its category and mark decide.
    Document {
        client: &'a ClientFacts,
        shared: bool,
    },
    /// The conversations about a client between the agency and its case
    /// managers; `enabled` is the agency's messaging switch.
    Messages {
        client: &'a ClientFacts,
        enabled: bool,
    },
    /// A stored report of a client; `owner` is the case manager whose
    /// portal holds it (`None` for a staff copy).
    Report {
        client: &'a ClientFacts,
        kind: DataKind,
        owner: Option<i32>,
    },
    /// The case manager's own pages of an agency's portal (my clients, my
    /// reports, the terms of use).
    Portal {
        organisation_id: i32,
    },
    /// The staff side of an agency: inboxes, client lists, sending reports.
    AgencyDesk {
        organisation_id: i32,
    },
    /// An agency's case-manager directory.
    CaseManagers {
        organisation_id: i32,
    },
    Organisation {
        id: i32,
    },
    /// A user's own notifications: theirs alone to read and mark read.
    Notifications {
        recipient: i32,
    },
    /// A user's saved views of the case list: theirs alone, and only for
    /// those who have a case list.
    SavedViews {
        owner: i32,
    },
    /// A practice's members: its doctors and staff, and who of them is a
    /// case manager. Agencies keep case managers in [`Resource::CaseManagers`].
    Members {
        organisation_id: i32,
    },
    /// The cross-practice doctor directory.
    DoctorDirectory,
    /// A user account's own sign-in settings (e-mail, two-factor): its
    /// owner changes them; an admin of its organisation may only reset
    /// them (Administer), e.g. for a lost phone.
    Account {
        user_id: i32,
        organisation_id: i32,
    },
    /// A user's personal API tokens: theirs alone to make, list and revoke.
    ApiTokens {
        owner: i32,
    },
    /// A person as the FHIR API describes them (name, role, organisation).
    Person {
        user_id: i32,
        organisation_id: i32,
        is_doctor: bool,
        active: bool,
    },
    /// An organisation as the FHIR API describes it (name, kind).
    OrganisationCard {
        id: i32,
        kind: OrgKind,
    },
    /// A bulk export of every referral a practice's people are on.
    ReferralExport {
        organisation_id: i32,
    },
}

/// A permission granted, and for whom the actor acts: a practice case
/// manager acts for one of their practice's doctors; the activity log names
/// both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    pub on_behalf_of: Option<i32>,
}

impl Grant {
    const SELF: Grant = Grant { on_behalf_of: None };
}

/// The actor works at their own agency's staff desk (its clients, its
/// messages): `can` on [`Resource::AgencyDesk`], as a check.
pub fn works_at_own_desk(actor: &Actor) -> Result<(), AppError> {
    can(
        actor,
        Action::View,
        &Resource::AgencyDesk {
            organisation_id: actor.organisation_id,
        },
    )
    .map(|_| ())
}

/// The actor administers their own organisation (its settings, schedules
/// and log): `can` on [`Resource::Organisation`], as a check.
pub fn administers_own(actor: &Actor) -> Result<(), AppError> {
    can(
        actor,
        Action::Administer,
        &Resource::Organisation {
            id: actor.organisation_id,
        },
    )
    .map(|_| ())
}

/// Decides whether `actor` may do `action` on `resource`.
pub fn can(actor: &Actor, action: Action, resource: &Resource<'_>) -> Result<Grant, AppError> {
    match resource {
        Resource::Case(case) => can_on_case(actor, action, case),
        Resource::CasePost { case, internal_to } => {
            // Reading follows the case; writing, changing it (plain staff
            // read along). Another practice's note does not exist for you.
            let on_case = match action {
                Action::View => can_on_case(actor, Action::View, case)?,
                Action::Create => can_on_case(actor, Action::Modify, case)?,
                _ => {
                    can_on_case(actor, Action::View, case)?;
                    return Err(AppError::Forbidden);
                }
            };
            match internal_to {
                Some(org) if *org != actor.organisation_id => Err(AppError::NotFound),
                _ => Ok(on_case),
            }
        }
        Resource::Client(client) => can_on_client(actor, action, client),
        Resource::ClientData(client, kind) => {
            let grant = can_on_client(actor, action, client)?;
            if actor.role == Role::ExternalCaseManager && !client.visible.allows(*kind) {
                return Err(AppError::NotFound);
            }
            Ok(grant)
        }
        Resource::Document { client, shared } => {
            let grant = can_on_client(actor, action, client)?;
            let hidden = !client.visible.allows(DataKind::Documents) || !*shared;
            if actor.role == Role::ExternalCaseManager && hidden {
                return Err(AppError::NotFound);
            }
            Ok(grant)
        }
        Resource::Messages { client, enabled } => {
            // Whoever may see the client may read its conversations; a
            // case manager only while messaging is on, and only their own
            // (the service picks the conversation by the actor).
            let grant = can_on_client(actor, Action::View, client)?;
            match (actor.role, action) {
                (Role::ExternalCaseManager, _) if !*enabled => Err(AppError::NotFound),
                (_, Action::View) => Ok(grant),
                (_, Action::Create) if *enabled => Ok(grant),
                _ => Err(AppError::Forbidden),
            }
        }
        Resource::Report {
            client,
            kind,
            owner,
        } => {
            let grant = can(actor, action, &Resource::ClientData(client, *kind))?;
            if actor.role == Role::ExternalCaseManager && *owner != Some(actor.user_id) {
                return Err(AppError::NotFound);
            }
            Ok(grant)
        }
        Resource::Portal { organisation_id } => {
            let own = *organisation_id == actor.organisation_id;
            match (actor.role, action) {
                (Role::ExternalCaseManager, Action::View) if own && actor.portal_open => {
                    Ok(Grant::SELF)
                }
                (Role::ExternalCaseManager, _) if own && actor.portal_open => {
                    Err(AppError::Forbidden)
                }
                _ => Err(AppError::NotFound),
            }
        }
        Resource::AgencyDesk { organisation_id } => {
            let own = *organisation_id == actor.organisation_id && actor.at_agency();
            match actor.role {
                Role::Admin | Role::Staff if own => match action {
                    Action::View | Action::Modify | Action::Create => Ok(Grant::SELF),
                    _ => Err(AppError::Forbidden),
                },
                _ => Err(AppError::NotFound),
            }
        }
        Resource::CaseManagers { organisation_id } => {
            let own = *organisation_id == actor.organisation_id && actor.at_agency();
            match (actor.role, action) {
                (Role::Admin, _) if own => Ok(Grant::SELF),
                // Staff pick case managers when assigning clients.
                (Role::Staff, Action::View) if own => Ok(Grant::SELF),
                (Role::Staff, _) if own => Err(AppError::Forbidden),
                _ => Err(AppError::NotFound),
            }
        }
        // Anyone working in a practice or agency looks doctors up to refer
        // or associate them; portal users have no business there.
        Resource::DoctorDirectory => match (actor.role, action) {
            (Role::ExternalCaseManager, _) | (_, Action::Administer) => Err(AppError::NotFound),
            (_, Action::View) => Ok(Grant::SELF),
            _ => Err(AppError::Forbidden),
        },
        Resource::Account {
            user_id,
            organisation_id,
        } => match action {
            Action::View | Action::Modify if *user_id == actor.user_id => Ok(Grant::SELF),
            Action::Administer
                if actor.role == Role::Admin
                    && *organisation_id == actor.organisation_id
                    && *user_id != actor.user_id =>
            {
                Ok(Grant::SELF)
            }
            _ => Err(AppError::NotFound),
        },
        Resource::Members { organisation_id } => {
            let own = *organisation_id == actor.organisation_id;
            match (actor.role, action) {
                (Role::Admin, Action::Administer | Action::View) if own && !actor.at_agency() => {
                    Ok(Grant::SELF)
                }
                // An agency's admin sees the page refuse, not vanish.
                (Role::Admin, _) if own => Err(AppError::Forbidden),
                _ => Err(AppError::NotFound),
            }
        }
        Resource::Organisation { id } => {
            let own = *id == actor.organisation_id;
            match (actor.role, action) {
                (Role::Admin, Action::Administer | Action::View) if own => Ok(Grant::SELF),
                _ => Err(AppError::NotFound),
            }
        }
        Resource::ApiTokens { owner } => match action {
            Action::View | Action::Create | Action::Modify
                if *owner == actor.user_id && !token_scopes(actor).is_empty() =>
            {
                Ok(Grant::SELF)
            }
            _ => Err(AppError::NotFound),
        },
        Resource::Person {
            user_id,
            organisation_id,
            is_doctor,
            active,
        } => {
            // Colleagues (they appear in a case's history) and, like the
            // doctor directory, the active doctors of other practices.
            let seen = *user_id == actor.user_id
                || (actor.role != Role::ExternalCaseManager
                    && (*organisation_id == actor.organisation_id
                        || (*is_doctor
                            && *active
                            && can(actor, Action::View, &Resource::DoctorDirectory).is_ok())));
            match action {
                Action::View if seen => Ok(Grant::SELF),
                _ => Err(AppError::NotFound),
            }
        }
        Resource::OrganisationCard { id, kind } => {
            // Practices are public to whoever may look doctors up; an
            // agency only to its own people.
            let seen = *id == actor.organisation_id
                || (*kind == OrgKind::Practice
                    && can(actor, Action::View, &Resource::DoctorDirectory).is_ok());
            match action {
                Action::View if seen => Ok(Grant::SELF),
                _ => Err(AppError::NotFound),
            }
        }
        Resource::ReferralExport { organisation_id } => {
            let own = *organisation_id == actor.organisation_id && !actor.at_agency();
            match (actor.role, action) {
                (Role::Admin, Action::Administer) if own => Ok(Grant::SELF),
                _ => Err(AppError::NotFound),
            }
        }
        Resource::Notifications { recipient } => match action {
            Action::View | Action::Modify if *recipient == actor.user_id => Ok(Grant::SELF),
            _ => Err(AppError::NotFound),
        },
        Resource::SavedViews { owner } => {
            let has_cases = matches!(
                actor.role,
                Role::Doctor | Role::Staff | Role::PracticeCaseManager
            );
            match action {
                Action::View | Action::Create | Action::Modify
                    if has_cases && *owner == actor.user_id =>
                {
                    Ok(Grant::SELF)
                }
                _ => Err(AppError::NotFound),
            }
        }
    }
}

/// The API-token scopes the actor's role can use: what a token made by
/// them may be given. Everything else stays closed to their tokens.
pub fn token_scopes(actor: &Actor) -> Vec<Scope> {
    match (actor.organisation_kind, actor.role) {
        (OrgKind::Practice, Role::Doctor | Role::Staff | Role::PracticeCaseManager) => {
            vec![Scope::Referrals, Scope::Directory]
        }
        (OrgKind::Practice, Role::Admin) => vec![Scope::Directory, Scope::Audit, Scope::Export],
        (OrgKind::Agency, Role::Staff) => vec![Scope::Care, Scope::Directory],
        (OrgKind::Agency, Role::Admin) => vec![Scope::Care, Scope::Directory, Scope::Audit],
        (OrgKind::Agency, Role::ExternalCaseManager) if actor.portal_open => vec![Scope::Care],
        _ => Vec::new(),
    }
}

/// Whether a request may read `needed`: a browser session may read all
/// its user may; a token only its scopes, and only those its user's role
/// still offers (a role changed since the token was made narrows it).
pub fn scope_allows(
    actor: &Actor,
    granted: Option<&[Scope]>,
    needed: Scope,
) -> Result<(), AppError> {
    match granted {
        None => Ok(()),
        Some(scopes) if scopes.contains(&needed) && token_scopes(actor).contains(&needed) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Whether the actor sees a client's date of birth: the agency's own
/// people do; the portal never shows it to a case manager.
pub fn sees_client_birth_date(actor: &Actor) -> bool {
    actor.role != Role::ExternalCaseManager
}

/// Whether an account may still use a password-reset link: never once
/// deactivated, and a case manager not while the agency has suspended or
/// revoked their access. (Their portal being off, or the invitation not yet
/// accepted, does not stop them choosing a password.)
pub fn may_use_reset_link(active: bool, standing: Option<Standing>) -> bool {
    active && !matches!(standing, Some(Standing::Suspended | Standing::Revoked))
}

/// Which kinds of a client's data the actor's reports may hold: a case
/// manager what the agency shows them; agency staff everything (internal
/// notes are in no report at all).
pub fn report_contents(actor: &Actor, client: &ClientFacts) -> Visibility {
    if actor.role == Role::ExternalCaseManager {
        client.visible
    } else {
        Visibility::everything()
    }
}

/// Whose conversation about a client the actor opens: a case manager only
/// their own, whatever they name; agency staff the case manager they name,
/// any past one to read it and one on the client's team to write. Call it
/// after `can` on [`Resource::Messages`].
pub fn conversation_with(
    actor: &Actor,
    action: Action,
    client: &ClientFacts,
    named: Option<i32>,
) -> Result<i32, AppError> {
    if actor.role == Role::ExternalCaseManager {
        return Ok(actor.user_id);
    }
    match (action, named) {
        (Action::View, Some(id)) => Ok(id),
        (Action::View, None) => Err(AppError::invalid(
            "case_manager_id",
            "Choose a conversation.",
        )),
        (_, Some(id)) if client.assigned_case_managers.contains(&id) => Ok(id),
        _ => Err(AppError::invalid(
            "case_manager_id",
            "Choose one of this client's case managers.",
        )),
    }
}

/// What the header offers the actor, decided here so the page only draws
/// it: the agency's desk (clients, case managers, messages), its settings
/// and log, and a case manager's portal.
pub fn navigation(actor: &Actor) -> Navigation {
    let own = actor.organisation_id;
    Navigation {
        agency_desk: can(
            actor,
            Action::View,
            &Resource::AgencyDesk {
                organisation_id: own,
            },
        )
        .is_ok(),
        agency_settings: can(
            actor,
            Action::Administer,
            &Resource::CaseManagers {
                organisation_id: own,
            },
        )
        .is_ok(),
        portal: can(
            actor,
            Action::View,
            &Resource::Portal {
                organisation_id: own,
            },
        )
        .is_ok(),
        // Case events are told to the people on cases: a practice's
        // doctors, staff and case managers (admins are on none); portal
        // events to an agency's case managers.
        notifications: match actor.organisation_kind {
            OrgKind::Practice => matches!(
                actor.role,
                Role::Doctor | Role::Staff | Role::PracticeCaseManager
            ),
            OrgKind::Agency => actor.role == Role::ExternalCaseManager && actor.portal_open,
        },
    }
}

fn can_on_client(actor: &Actor, action: Action, client: &ClientFacts) -> Result<Grant, AppError> {
    let own_agency = client.organisation_id == actor.organisation_id;
    match actor.role {
        // The portal is read-only, and archived clients vanish from it.
        Role::ExternalCaseManager => {
            let open = actor.portal_open
                && own_agency
                && !client.archived
                && client.assigned_case_managers.contains(&actor.user_id);
            match action {
                Action::View if open => Ok(Grant::SELF),
                _ if open => Err(AppError::Forbidden),
                _ => Err(AppError::NotFound),
            }
        }
        Role::Admin | Role::Staff if own_agency => match action {
            Action::View | Action::Modify => Ok(Grant::SELF),
            Action::Administer if actor.role == Role::Admin => Ok(Grant::SELF),
            _ => Err(AppError::Forbidden),
        },
        _ => Err(AppError::NotFound),
    }
}

/// Whether someone may own a case: an active case manager of the practice
/// the case is referred to, or an active doctor of that practice who is on
/// the case. Both can see it; another doctor of the practice, or plain
/// staff, could not, so they are not offered.
pub fn may_own(candidate: &Participant, role: Role, active: bool, case: &CaseFacts) -> bool {
    let receiving = case.referred_to.organisation_id;
    if !active || candidate.organisation_id != receiving {
        return false;
    }
    match role {
        Role::PracticeCaseManager => true,
        Role::Doctor => std::iter::once(&case.referred_to)
            .chain(&case.associates)
            .any(|p| p.user_id == candidate.user_id),
        _ => false,
    }
}

/// Which side of a case a participant is on, for the workflow rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    ReferredTo,
    ReferredBy,
    Associated,
}

fn can_on_case(actor: &Actor, action: Action, case: &CaseFacts) -> Result<Grant, AppError> {
    // Every side the actor stands on, with the doctor they stand there for.
    let mut sides: Vec<(Side, Option<i32>)> = Vec::new();
    match actor.role {
        Role::Doctor => {
            if case.referred_to.user_id == actor.user_id {
                sides.push((Side::ReferredTo, None));
            }
            if case.referred_by.user_id == actor.user_id {
                sides.push((Side::ReferredBy, None));
            }
            if case.associates.iter().any(|a| a.user_id == actor.user_id) {
                sides.push((Side::Associated, None));
            }
        }
        Role::PracticeCaseManager => {
            let mine = |p: &Participant| p.is_doctor && p.organisation_id == actor.organisation_id;
            if mine(&case.referred_to) {
                sides.push((Side::ReferredTo, Some(case.referred_to.user_id)));
            }
            if mine(&case.referred_by) {
                sides.push((Side::ReferredBy, Some(case.referred_by.user_id)));
            }
            if let Some(a) = case.associates.iter().find(|a| mine(a)) {
                sides.push((Side::Associated, Some(a.user_id)));
            }
        }
        Role::Staff => {
            // Plain staff see the cases they are personally associated with,
            // and change nothing.
            if case.associates.iter().any(|a| a.user_id == actor.user_id) {
                return match action {
                    Action::View => Ok(Grant::SELF),
                    _ => Err(AppError::Forbidden),
                };
            }
        }
        // Admins run the organisation, not its clinical work; portal users
        // never see referral cases.
        Role::Admin | Role::ExternalCaseManager => {}
    }
    if sides.is_empty() {
        return Err(AppError::NotFound);
    }
    let allowed_on = |side: Side| match action {
        Action::View | Action::Modify => true,
        Action::Accept | Action::Reject | Action::Refer | Action::Progress | Action::Assign => {
            side == Side::ReferredTo
        }
        Action::Cancel | Action::Create => side == Side::ReferredBy,
        Action::Administer => false,
    };
    sides
        .into_iter()
        .find(|(side, _)| allowed_on(*side))
        .map(|(_, for_doctor)| Grant {
            on_behalf_of: for_doctor,
        })
        .ok_or(AppError::Forbidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRACTICE_A: i32 = 1;
    const PRACTICE_B: i32 = 2;
    const PRACTICE_C: i32 = 3;
    const AGENCY: i32 = 4;

    fn doctor(user_id: i32, org: i32) -> Participant {
        Participant {
            user_id,
            organisation_id: org,
            is_doctor: true,
        }
    }

    fn actor(user_id: i32, org: i32, role: Role) -> Actor {
        Actor {
            user_id,
            organisation_id: org,
            organisation_kind: if org == AGENCY {
                OrgKind::Agency
            } else {
                OrgKind::Practice
            },
            role,
            portal_open: true,
            zone: Zone::UTC,
        }
    }

    /// Dr 10 (practice A) referred a case to Dr 20 (practice B); Dr 30
    /// (practice C) and staff member 40 (practice A) are associated.
    fn case() -> CaseFacts {
        CaseFacts {
            referred_by: doctor(10, PRACTICE_A),
            referred_to: doctor(20, PRACTICE_B),
            associates: vec![
                doctor(30, PRACTICE_C),
                Participant {
                    user_id: 40,
                    organisation_id: PRACTICE_A,
                    is_doctor: false,
                },
            ],
        }
    }

    #[derive(Debug, PartialEq)]
    enum Want {
        Allow(Option<i32>),
        Forbidden,
        NotFound,
    }
    use Want::*;

    fn outcome(r: Result<Grant, AppError>) -> Want {
        match r {
            Ok(g) => Allow(g.on_behalf_of),
            Err(AppError::Forbidden) => Forbidden,
            Err(AppError::NotFound) => NotFound,
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn case_access_follows_the_table() {
        use Action::*;
        let c = case();
        let referred_to = actor(20, PRACTICE_B, Role::Doctor);
        let referred_by = actor(10, PRACTICE_A, Role::Doctor);
        let associated = actor(30, PRACTICE_C, Role::Doctor);
        let stranger = actor(99, PRACTICE_A, Role::Doctor);
        let cm_of_b = actor(50, PRACTICE_B, Role::PracticeCaseManager);
        let cm_of_a = actor(51, PRACTICE_A, Role::PracticeCaseManager);
        let cm_of_c = actor(52, PRACTICE_C, Role::PracticeCaseManager);
        let cm_elsewhere = actor(53, 77, Role::PracticeCaseManager);
        let associated_staff = actor(40, PRACTICE_A, Role::Staff);
        let plain_staff = actor(41, PRACTICE_B, Role::Staff);
        let external = actor(60, AGENCY, Role::ExternalCaseManager);
        let admin_of_b = actor(70, PRACTICE_B, Role::Admin);

        #[rustfmt::skip]
        let table: Vec<(&Actor, [Want; 6])> = vec![
            //                   View              Accept            Reject            Refer             Modify            Cancel
            (&referred_to,      [Allow(None),     Allow(None),      Allow(None),      Allow(None),      Allow(None),      Forbidden]),
            (&referred_by,      [Allow(None),     Forbidden,        Forbidden,        Forbidden,        Allow(None),      Allow(None)]),
            (&associated,       [Allow(None),     Forbidden,        Forbidden,        Forbidden,        Allow(None),      Forbidden]),
            (&stranger,         [NotFound,        NotFound,         NotFound,         NotFound,         NotFound,         NotFound]),
            (&cm_of_b,          [Allow(Some(20)), Allow(Some(20)),  Allow(Some(20)),  Allow(Some(20)),  Allow(Some(20)),  Forbidden]),
            (&cm_of_a,          [Allow(Some(10)), Forbidden,        Forbidden,        Forbidden,        Allow(Some(10)),  Allow(Some(10))]),
            (&cm_of_c,          [Allow(Some(30)), Forbidden,        Forbidden,        Forbidden,        Allow(Some(30)),  Forbidden]),
            (&cm_elsewhere,     [NotFound,        NotFound,         NotFound,         NotFound,         NotFound,         NotFound]),
            (&associated_staff, [Allow(None),     Forbidden,        Forbidden,        Forbidden,        Forbidden,        Forbidden]),
            (&plain_staff,      [NotFound,        NotFound,         NotFound,         NotFound,         NotFound,         NotFound]),
            (&external,         [NotFound,        NotFound,         NotFound,         NotFound,         NotFound,         NotFound]),
            (&admin_of_b,       [NotFound,        NotFound,         NotFound,         NotFound,         NotFound,         NotFound]),
        ];
        let actions = [View, Accept, Reject, Refer, Modify, Cancel];
        for (who, wants) in table {
            // Progress (start, complete, hold…) belongs to the same side as
            // Accept; creating a referral to the same side as cancelling it.
            let accept = outcome(can(who, Accept, &Resource::Case(&c)));
            assert_eq!(
                outcome(can(who, Progress, &Resource::Case(&c))),
                accept,
                "{who:?} Progress"
            );
            assert_eq!(
                outcome(can(who, Assign, &Resource::Case(&c))),
                accept,
                "{who:?} Assign"
            );
            let cancel = outcome(can(who, Cancel, &Resource::Case(&c)));
            assert_eq!(
                outcome(can(who, Create, &Resource::Case(&c))),
                cancel,
                "{who:?} Create"
            );
            for (action, want) in actions.iter().zip(wants) {
                let got = outcome(can(who, *action, &Resource::Case(&c)));
                assert_eq!(got, want, "{who:?} {action:?}");
            }
        }
    }

    #[test]
    fn an_internal_note_stays_in_its_practice_and_plain_staff_only_read() {
        use Action::*;
        let c = case();
        let post = |internal_to| Resource::CasePost {
            case: &c,
            internal_to,
        };
        let referred_to = actor(20, PRACTICE_B, Role::Doctor);
        let referred_by = actor(10, PRACTICE_A, Role::Doctor);
        let cm_of_b = actor(50, PRACTICE_B, Role::PracticeCaseManager);
        let associated_staff = actor(40, PRACTICE_A, Role::Staff);
        let stranger = actor(99, PRACTICE_B, Role::Doctor);
        let of_b = Some(PRACTICE_B);

        // The shared thread: everyone on the case reads it; who may change
        // the case writes in it, a case manager for their doctor.
        assert_eq!(outcome(can(&referred_by, View, &post(None))), Allow(None));
        assert_eq!(outcome(can(&referred_by, Create, &post(None))), Allow(None));
        assert_eq!(outcome(can(&cm_of_b, Create, &post(None))), Allow(Some(20)));
        assert_eq!(
            outcome(can(&associated_staff, View, &post(None))),
            Allow(None)
        );
        assert_eq!(
            outcome(can(&associated_staff, Create, &post(None))),
            Forbidden
        );
        assert_eq!(outcome(can(&stranger, View, &post(None))), NotFound);

        // Practice B's note: B's doctor and case manager, nobody at A.
        assert_eq!(outcome(can(&referred_to, View, &post(of_b))), Allow(None));
        assert_eq!(outcome(can(&cm_of_b, View, &post(of_b))), Allow(Some(20)));
        assert_eq!(outcome(can(&referred_by, View, &post(of_b))), NotFound);
        assert_eq!(outcome(can(&referred_by, Create, &post(of_b))), NotFound);
        assert_eq!(outcome(can(&associated_staff, View, &post(of_b))), NotFound);
        // A stranger of practice B is still off the case.
        assert_eq!(outcome(can(&stranger, View, &post(of_b))), NotFound);
        // Posts are not edited.
        assert_eq!(outcome(can(&referred_to, Modify, &post(None))), Forbidden);
    }

    #[test]
    fn only_the_receiving_practices_case_managers_and_its_doctors_on_the_case_may_own_it() {
        // Dr 10 (A) referred to Dr 20 (B); Dr 30 (C) and Dr 21 (B) are
        // associated; Dr 22 (B) is not on the case.
        let mut c = case();
        c.associates.push(doctor(21, PRACTICE_B));
        let p = |user_id, org, is_doctor| Participant {
            user_id,
            organisation_id: org,
            is_doctor,
        };
        let owns = |who: Participant, role| may_own(&who, role, true, &c);
        assert!(owns(p(20, PRACTICE_B, true), Role::Doctor));
        assert!(owns(p(21, PRACTICE_B, true), Role::Doctor));
        assert!(owns(p(50, PRACTICE_B, false), Role::PracticeCaseManager));
        assert!(
            !owns(p(22, PRACTICE_B, true), Role::Doctor),
            "not on the case"
        );
        assert!(
            !owns(p(10, PRACTICE_A, true), Role::Doctor),
            "referring side"
        );
        assert!(
            !owns(p(30, PRACTICE_C, true), Role::Doctor),
            "other practice"
        );
        assert!(!owns(p(51, PRACTICE_A, false), Role::PracticeCaseManager));
        assert!(!owns(p(40, PRACTICE_B, false), Role::Staff), "plain staff");
        assert!(!owns(p(41, PRACTICE_B, false), Role::Admin));
        assert!(
            !may_own(&p(20, PRACTICE_B, true), Role::Doctor, false, &c),
            "inactive"
        );
    }

    #[test]
    fn a_case_manager_never_acts_for_a_staff_member_of_their_practice() {
        // Staff member 40 of practice A is associated, but is not a doctor:
        // practice A's case manager gains nothing from that.
        let c = CaseFacts {
            referred_by: doctor(10, PRACTICE_B),
            referred_to: doctor(20, PRACTICE_B),
            associates: vec![Participant {
                user_id: 40,
                organisation_id: PRACTICE_A,
                is_doctor: false,
            }],
        };
        let cm_of_a = actor(51, PRACTICE_A, Role::PracticeCaseManager);
        assert_eq!(
            outcome(can(&cm_of_a, Action::View, &Resource::Case(&c))),
            NotFound
        );
    }

    #[test]
    fn a_portal_user_sees_only_assigned_unarchived_clients_and_changes_nothing() {
        let client = |archived, assigned: Vec<i32>| ClientFacts {
            organisation_id: AGENCY,
            archived,
            assigned_case_managers: assigned,
            visible: Visibility::default(),
        };
        let cm = actor(60, AGENCY, Role::ExternalCaseManager);
        let assigned = client(false, vec![60]);
        let archived = client(true, vec![60]);
        let other = client(false, vec![61]);
        assert_eq!(
            outcome(can(&cm, Action::View, &Resource::Client(&assigned))),
            Allow(None)
        );
        assert_eq!(
            outcome(can(&cm, Action::Modify, &Resource::Client(&assigned))),
            Forbidden
        );
        assert_eq!(
            outcome(can(&cm, Action::View, &Resource::Client(&archived))),
            NotFound
        );
        assert_eq!(
            outcome(can(&cm, Action::View, &Resource::Client(&other))),
            NotFound
        );
        let staff = actor(5, AGENCY, Role::Staff);
        let foreign_staff = actor(6, PRACTICE_A, Role::Staff);
        assert_eq!(
            outcome(can(&staff, Action::Modify, &Resource::Client(&other))),
            Allow(None)
        );
        assert_eq!(
            outcome(can(&staff, Action::Administer, &Resource::Client(&other))),
            Forbidden
        );
        assert_eq!(
            outcome(can(&foreign_staff, Action::View, &Resource::Client(&other))),
            NotFound
        );
        let doctor = actor(7, AGENCY, Role::Doctor);
        assert_eq!(
            outcome(can(&doctor, Action::View, &Resource::Client(&other))),
            NotFound
        );
    }

    fn agency_client(assigned: Vec<i32>, visible: Visibility) -> ClientFacts {
        ClientFacts {
            organisation_id: AGENCY,
            archived: false,
            assigned_case_managers: assigned,
            visible,
        }
    }

    #[test]
    fn a_closed_portal_or_another_agency_shows_a_case_manager_nothing() {
        let c = agency_client(vec![60], Visibility::default());
        let mut closed = actor(60, AGENCY, Role::ExternalCaseManager);
        closed.portal_open = false;
        assert_eq!(
            outcome(can(&closed, Action::View, &Resource::Client(&c))),
            NotFound
        );
        let elsewhere = actor(60, PRACTICE_A, Role::ExternalCaseManager);
        assert_eq!(
            outcome(can(&elsewhere, Action::View, &Resource::Client(&c))),
            NotFound
        );
    }

    #[test]
    fn hidden_data_kinds_are_refused_to_case_managers_only() {
        let cm = actor(60, AGENCY, Role::ExternalCaseManager);
        let staff = actor(5, AGENCY, Role::Staff);
        for kind in DataKind::ALL {
            let mut visible = Visibility::default();
            visible.set(kind, false);
            let hidden = agency_client(vec![60], visible);
            visible.set(kind, true);
            let shown = agency_client(vec![60], visible);
            assert_eq!(
                outcome(can(&cm, Action::View, &Resource::ClientData(&hidden, kind))),
                NotFound,
                "{kind:?} hidden"
            );
            assert_eq!(
                outcome(can(&cm, Action::View, &Resource::ClientData(&shown, kind))),
                Allow(None),
                "{kind:?} shown"
            );
            assert_eq!(
                outcome(can(
                    &staff,
                    Action::View,
                    &Resource::ClientData(&hidden, kind)
                )),
                Allow(None),
                "staff see {kind:?} whatever the portal shows"
            );
        }
    }

    #[test]
    fn case_managers_get_shared_documents_only() {
        let cm = actor(60, AGENCY, Role::ExternalCaseManager);
        let c = agency_client(vec![60], Visibility::default());
        let doc = |shared| Resource::Document { client: &c, shared };
        assert_eq!(outcome(can(&cm, Action::View, &doc(true))), Allow(None));
        assert_eq!(outcome(can(&cm, Action::View, &doc(false))), NotFound);
        assert_eq!(outcome(can(&cm, Action::Modify, &doc(true))), Forbidden);
        let no_documents = Visibility {
            documents: false,
            ..Visibility::default()
        };
        let c2 = agency_client(vec![60], no_documents);
        assert_eq!(
            outcome(can(
                &cm,
                Action::View,
                &Resource::Document {
                    client: &c2,
                    shared: true
                }
            )),
            NotFound
        );
        let staff = actor(5, AGENCY, Role::Staff);
        assert_eq!(
            outcome(can(&staff, Action::Modify, &doc(false))),
            Allow(None)
        );
    }

    #[test]
    fn the_case_manager_directory_is_the_agencys_admins_and_staff_look_it_up() {
        let dir = Resource::CaseManagers {
            organisation_id: AGENCY,
        };
        let admin = actor(1, AGENCY, Role::Admin);
        let staff = actor(2, AGENCY, Role::Staff);
        assert_eq!(outcome(can(&admin, Action::Modify, &dir)), Allow(None));
        assert_eq!(outcome(can(&staff, Action::View, &dir)), Allow(None));
        assert_eq!(outcome(can(&staff, Action::Modify, &dir)), Forbidden);
        for outsider in [
            actor(3, PRACTICE_A, Role::Admin),
            actor(60, AGENCY, Role::ExternalCaseManager),
            actor(4, AGENCY, Role::Doctor),
        ] {
            assert_eq!(outcome(can(&outsider, Action::View, &dir)), NotFound);
        }
    }

    #[test]
    fn the_doctor_directory_is_for_everyone_but_portal_users() {
        for role in [
            Role::Admin,
            Role::Staff,
            Role::Doctor,
            Role::PracticeCaseManager,
        ] {
            assert_eq!(
                outcome(can(
                    &actor(1, PRACTICE_A, role),
                    Action::View,
                    &Resource::DoctorDirectory
                )),
                Allow(None)
            );
            assert_eq!(
                outcome(can(
                    &actor(1, PRACTICE_A, role),
                    Action::Modify,
                    &Resource::DoctorDirectory
                )),
                Forbidden
            );
        }
        let external = actor(2, AGENCY, Role::ExternalCaseManager);
        assert_eq!(
            outcome(can(&external, Action::View, &Resource::DoctorDirectory)),
            NotFound
        );
    }

    #[test]
    fn conversations_follow_the_client_and_the_messaging_switch() {
        let c = agency_client(vec![60], Visibility::default());
        let on = Resource::Messages {
            client: &c,
            enabled: true,
        };
        let off = Resource::Messages {
            client: &c,
            enabled: false,
        };
        let assigned = actor(60, AGENCY, Role::ExternalCaseManager);
        let stranger = actor(61, AGENCY, Role::ExternalCaseManager);
        let staff = actor(5, AGENCY, Role::Staff);
        let elsewhere = actor(6, PRACTICE_A, Role::Staff);
        assert_eq!(outcome(can(&assigned, Action::Create, &on)), Allow(None));
        assert_eq!(outcome(can(&assigned, Action::View, &on)), Allow(None));
        assert_eq!(outcome(can(&assigned, Action::View, &off)), NotFound);
        assert_eq!(outcome(can(&assigned, Action::Create, &off)), NotFound);
        assert_eq!(outcome(can(&assigned, Action::Modify, &on)), Forbidden);
        assert_eq!(outcome(can(&stranger, Action::View, &on)), NotFound);
        assert_eq!(outcome(can(&staff, Action::Create, &on)), Allow(None));
        // Staff keep the history when messaging is off, but write nothing.
        assert_eq!(outcome(can(&staff, Action::View, &off)), Allow(None));
        assert_eq!(outcome(can(&staff, Action::Create, &off)), Forbidden);
        assert_eq!(outcome(can(&elsewhere, Action::View, &on)), NotFound);
    }

    #[test]
    fn a_report_is_its_case_managers_while_the_data_kind_is_shown() {
        let c = agency_client(vec![60, 61], Visibility::default());
        let report = |owner| Resource::Report {
            client: &c,
            kind: DataKind::Notes,
            owner,
        };
        let erin = actor(60, AGENCY, Role::ExternalCaseManager);
        let frank = actor(61, AGENCY, Role::ExternalCaseManager);
        let staff = actor(5, AGENCY, Role::Staff);
        assert_eq!(
            outcome(can(&erin, Action::View, &report(Some(60)))),
            Allow(None)
        );
        assert_eq!(
            outcome(can(&frank, Action::View, &report(Some(60)))),
            NotFound
        );
        assert_eq!(outcome(can(&erin, Action::View, &report(None))), NotFound);
        assert_eq!(
            outcome(can(&staff, Action::View, &report(Some(60)))),
            Allow(None)
        );
        let hidden = agency_client(
            vec![60],
            Visibility {
                notes: false,
                ..Visibility::default()
            },
        );
        let gone = Resource::Report {
            client: &hidden,
            kind: DataKind::Notes,
            owner: Some(60),
        };
        assert_eq!(outcome(can(&erin, Action::View, &gone)), NotFound);
    }

    #[test]
    fn the_portal_is_for_its_case_managers_and_the_desk_for_its_staff() {
        let portal = Resource::Portal {
            organisation_id: AGENCY,
        };
        let desk = Resource::AgencyDesk {
            organisation_id: AGENCY,
        };
        let cm = actor(60, AGENCY, Role::ExternalCaseManager);
        let closed = Actor {
            portal_open: false,
            ..cm.clone()
        };
        let staff = actor(5, AGENCY, Role::Staff);
        let other_staff = actor(6, PRACTICE_A, Role::Staff);
        assert_eq!(outcome(can(&cm, Action::View, &portal)), Allow(None));
        assert_eq!(outcome(can(&cm, Action::Modify, &portal)), Forbidden);
        assert_eq!(outcome(can(&closed, Action::View, &portal)), NotFound);
        assert_eq!(outcome(can(&staff, Action::View, &portal)), NotFound);
        assert_eq!(outcome(can(&staff, Action::Create, &desk)), Allow(None));
        assert_eq!(outcome(can(&cm, Action::View, &desk)), NotFound);
        assert_eq!(outcome(can(&other_staff, Action::View, &desk)), NotFound);
    }

    #[test]
    fn notifications_are_their_recipients_alone() {
        let mine = Resource::Notifications { recipient: 7 };
        for role in [Role::Doctor, Role::PracticeCaseManager, Role::Admin] {
            let me = actor(7, PRACTICE_A, role);
            let colleague = actor(8, PRACTICE_A, role);
            assert_eq!(outcome(can(&me, Action::View, &mine)), Allow(None));
            assert_eq!(outcome(can(&me, Action::Modify, &mine)), Allow(None));
            assert_eq!(outcome(can(&me, Action::Administer, &mine)), NotFound);
            assert_eq!(outcome(can(&colleague, Action::View, &mine)), NotFound);
            assert_eq!(outcome(can(&colleague, Action::Modify, &mine)), NotFound);
        }
    }

    #[test]
    fn saved_views_are_their_owners_alone_and_only_where_there_are_cases() {
        let mine = Resource::SavedViews { owner: 7 };
        for role in [Role::Doctor, Role::Staff, Role::PracticeCaseManager] {
            let me = actor(7, PRACTICE_A, role);
            let colleague = actor(8, PRACTICE_A, role);
            for action in [Action::View, Action::Create, Action::Modify] {
                assert_eq!(outcome(can(&me, action, &mine)), Allow(None));
                assert_eq!(outcome(can(&colleague, action, &mine)), NotFound);
            }
            assert_eq!(outcome(can(&me, Action::Administer, &mine)), NotFound);
        }
        for role in [Role::Admin, Role::ExternalCaseManager] {
            let me = actor(7, PRACTICE_A, role);
            assert_eq!(outcome(can(&me, Action::View, &mine)), NotFound);
        }
    }

    #[test]
    fn the_notification_centre_is_for_people_on_cases_and_portal_case_managers() {
        let has = |org, role| navigation(&actor(1, org, role)).notifications;
        assert!(has(PRACTICE_A, Role::Doctor));
        assert!(has(PRACTICE_A, Role::Staff));
        assert!(has(PRACTICE_A, Role::PracticeCaseManager));
        assert!(!has(PRACTICE_A, Role::Admin));
        assert!(!has(AGENCY, Role::Staff));
        assert!(!has(AGENCY, Role::Admin));
        assert!(has(AGENCY, Role::ExternalCaseManager));
    }

    #[test]
    fn only_an_organisations_own_admin_administers_it() {
        let org = Resource::Organisation { id: PRACTICE_A };
        let cases = [
            (actor(1, PRACTICE_A, Role::Admin), Allow(None)),
            (actor(2, PRACTICE_B, Role::Admin), NotFound),
            (actor(3, PRACTICE_A, Role::Staff), NotFound),
            (actor(4, PRACTICE_A, Role::Doctor), NotFound),
            (actor(5, PRACTICE_A, Role::PracticeCaseManager), NotFound),
            (actor(6, PRACTICE_A, Role::ExternalCaseManager), NotFound),
        ];
        for (who, want) in cases {
            assert_eq!(
                outcome(can(&who, Action::Administer, &org)),
                want,
                "{who:?}"
            );
        }
    }

    #[test]
    fn tokens_carry_only_what_the_role_could_read_and_sessions_everything() {
        let doc = actor(10, PRACTICE_A, Role::Doctor);
        let admin = actor(1, PRACTICE_A, Role::Admin);
        let cm = actor(50, AGENCY, Role::ExternalCaseManager);
        assert_eq!(token_scopes(&doc), vec![Scope::Referrals, Scope::Directory]);
        assert_eq!(token_scopes(&cm), vec![Scope::Care]);
        assert!(token_scopes(&admin).contains(&Scope::Export));
        // A closed portal: no scope at all, so no token section either.
        let closed = Actor {
            portal_open: false,
            ..cm.clone()
        };
        assert!(token_scopes(&closed).is_empty());
        assert_eq!(
            can(&closed, Action::View, &Resource::ApiTokens { owner: 50 }),
            Err(AppError::NotFound)
        );
        // Sessions read all; a token its scopes, and only those its role
        // still offers (an audit scope left on a doctor's token grants nothing).
        assert!(scope_allows(&doc, None, Scope::Audit).is_ok());
        assert!(scope_allows(&doc, Some(&[Scope::Referrals]), Scope::Referrals).is_ok());
        assert_eq!(
            scope_allows(&doc, Some(&[Scope::Referrals]), Scope::Directory),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            scope_allows(&doc, Some(&[Scope::Audit]), Scope::Audit),
            Err(AppError::Forbidden)
        );
        // Tokens are their owner's alone.
        assert!(can(&doc, Action::Modify, &Resource::ApiTokens { owner: 10 }).is_ok());
        assert_eq!(
            can(&doc, Action::Modify, &Resource::ApiTokens { owner: 20 }),
            Err(AppError::NotFound)
        );
    }

    #[test]
    fn the_directory_shows_doctors_and_colleagues_and_a_case_manager_only_themselves() {
        let doc = actor(10, PRACTICE_A, Role::Doctor);
        let cm = actor(50, AGENCY, Role::ExternalCaseManager);
        let person = |user_id, organisation_id, is_doctor| Resource::Person {
            user_id,
            organisation_id,
            is_doctor,
            active: true,
        };
        assert!(can(&doc, Action::View, &person(20, PRACTICE_B, true)).is_ok());
        assert!(can(&doc, Action::View, &person(40, PRACTICE_A, false)).is_ok());
        assert_eq!(
            can(&doc, Action::View, &person(41, PRACTICE_B, false)),
            Err(AppError::NotFound)
        );
        assert!(can(&cm, Action::View, &person(50, AGENCY, false)).is_ok());
        // A deactivated doctor of another practice is out of the directory.
        let gone = Resource::Person {
            user_id: 21,
            organisation_id: PRACTICE_B,
            is_doctor: true,
            active: false,
        };
        assert_eq!(can(&doc, Action::View, &gone), Err(AppError::NotFound));
        assert_eq!(
            can(&cm, Action::View, &person(20, PRACTICE_B, true)),
            Err(AppError::NotFound)
        );
        let card = |id, kind| Resource::OrganisationCard { id, kind };
        assert!(can(&doc, Action::View, &card(PRACTICE_B, OrgKind::Practice)).is_ok());
        assert_eq!(
            can(&doc, Action::View, &card(AGENCY, OrgKind::Agency)),
            Err(AppError::NotFound)
        );
        assert_eq!(
            can(&cm, Action::View, &card(PRACTICE_B, OrgKind::Practice)),
            Err(AppError::NotFound)
        );
        // Exports: a practice's own admin only.
        let export = Resource::ReferralExport {
            organisation_id: PRACTICE_A,
        };
        assert!(
            can(
                &actor(1, PRACTICE_A, Role::Admin),
                Action::Administer,
                &export
            )
            .is_ok()
        );
        for who in [
            doc,
            actor(2, PRACTICE_B, Role::Admin),
            actor(3, AGENCY, Role::Admin),
        ] {
            assert_eq!(
                can(&who, Action::Administer, &export),
                Err(AppError::NotFound),
                "{who:?}"
            );
        }
    }
}
