use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::clients::Relationship;
use crate::error::AppError;

/// A client as listed in a case manager's portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedClient {
    pub id: i32,
    pub full_name: String,
    pub relationship: Relationship,
}

/// External case managers: the clients assigned to them that are not
/// archived. Everyone else gets an empty list.
#[server(endpoint = "portal/clients", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_my_clients() -> Result<Vec<AssignedClient>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::clients::service::list_assigned(&ctx.db, &user.actor()).await
    })
    .await
}
