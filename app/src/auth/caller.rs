//! Who is calling a server function: the signed-in user, the policy's view
//! of them, their session and the address they call from. Server functions
//! get one from `server_context::signed_in` and hand it to the service,
//! which asks the policy with it and names it in the activity log.

use std::ops::Deref;

use crate::activity::service::Entry;
use crate::auth::CurrentUser;
use crate::auth::policy::Actor;

#[derive(Clone, Debug)]
pub struct Caller {
    pub actor: Actor,
    /// The user behind the session (name, e-mail, session id).
    pub user: CurrentUser,
    /// The client's address as the server trusted it, for the log.
    pub ip: Option<String>,
}

impl Caller {
    pub fn new(user: CurrentUser, ip: Option<String>) -> Caller {
        Caller {
            actor: user.actor(),
            user,
            ip,
        }
    }

    /// The `sessions` row id of this request's session.
    pub fn session_id(&self) -> &str {
        &self.user.session_id
    }
}

impl Entry {
    /// Done by the caller of a server function, from their address.
    pub fn by_caller(mut self, caller: &Caller) -> Self {
        self.actor_user_id = Some(caller.user_id);
        self.organisation_id = Some(caller.organisation_id);
        self.ip = caller.ip.clone();
        self
    }
}

/// A caller is asked about as its actor: `can(caller, …)`,
/// `caller.user_id`.
impl Deref for Caller {
    type Target = Actor;

    fn deref(&self) -> &Actor {
        &self.actor
    }
}
