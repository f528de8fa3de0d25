//! An admin's preview of a case manager's portal: the same policy
//! answers the portal gives, asked as that case manager.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{PortalPreview, PreviewClient};
use crate::activity::service::{Entry, record};
use crate::activity::{ActivityAction, Subject};
use crate::agency::DataKind;
use crate::assignments::service::facts;
use crate::auth::Role;
use crate::auth::admission::{Admission, Standing, admission};
use crate::auth::caller::Caller;
use crate::auth::policy::{Action, Actor, Resource, can};
use crate::db::begin_write;
use crate::entities::{client, client_assignment, document, document_category, organisation, user};
use crate::error::AppError;

fn sign_in_text(s: Standing) -> &'static str {
    match s {
        Standing::Open => "Can sign in.",
        Standing::NotAccepted => "Cannot sign in: the invitation has not been accepted.",
        Standing::Suspended => "Cannot sign in: access is Suspended.",
        Standing::Revoked => "Cannot sign in: access is Revoked.",
        Standing::PortalOff => "Cannot sign in: the Case Manager Portal is turned off.",
    }
}

pub async fn preview(
    db: &DatabaseConnection,
    caller: &Caller,
    case_manager_id: i32,
) -> Result<PortalPreview, AppError> {
    can(
        caller,
        Action::Administer,
        &Resource::CaseManagers {
            organisation_id: caller.organisation_id,
        },
    )?;
    let cm = user::Entity::find_by_id(case_manager_id)
        .filter(user::Column::OrganisationId.eq(caller.organisation_id))
        .filter(user::Column::Role.eq(Role::ExternalCaseManager))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let Admission {
        standing,
        terms_pending,
    } = admission(db, cm.id, cm.organisation_id).await?;
    // The same decisions the portal makes, asked as the case manager.
    let agency = organisation::Entity::find_by_id(cm.organisation_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let as_cm = Actor::agency_case_manager(cm.id, &agency, standing == Standing::Open);
    let mut clients = Vec::new();
    for (a, c) in client_assignment::Entity::find()
        .filter(client_assignment::Column::CaseManagerUserId.eq(cm.id))
        .find_also_related(client::Entity)
        .order_by_asc(client_assignment::Column::Id)
        .all(db)
        .await?
    {
        let Some(c) = c else { continue };
        let f = facts(db, &c).await?;
        let hidden_because = if c.organisation_id != cm.organisation_id {
            Some("No: another agency's client".to_string())
        } else if f.archived {
            Some("No: the client is archived".to_string())
        } else if standing != Standing::Open {
            Some("No: they cannot sign in".to_string())
        } else {
            None
        };
        let tabs = DataKind::ALL
            .into_iter()
            .filter(|k| can(&as_cm, Action::View, &Resource::ClientData(&f, *k)).is_ok())
            .collect();
        let mut shared_documents = 0;
        let mut private_documents = 0;
        for (d, cat) in document::Entity::find()
            .filter(document::Column::ClientId.eq(c.id))
            .find_also_related(document_category::Entity)
            .all(db)
            .await?
        {
            let shared = cat.is_some_and(|cat| cat.sharing.shares(d.shared));
            let doc = Resource::Document { client: &f, shared };
            if can(&as_cm, Action::View, &doc).is_ok() {
                shared_documents += 1;
            } else {
                private_documents += 1;
            }
        }
        clients.push(PreviewClient {
            id: c.id,
            full_name: c.full_name,
            relationship: a.relationship,
            hidden_because,
            tabs,
            shared_documents,
            private_documents,
        });
    }
    let txn = begin_write(db).await?;
    record(
        &txn,
        Entry::new(ActivityAction::PortalPreviewed, Subject::User(cm.id))
            .by_caller(caller)
            .detail(json!({ "case_manager": cm.display_name })),
    )
    .await?;
    txn.commit().await?;
    Ok(PortalPreview {
        name: cm.display_name,
        sign_in: sign_in_text(standing).to_string(),
        terms_pending,
        clients,
    })
}
