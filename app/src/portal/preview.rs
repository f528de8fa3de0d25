//! "What does this case manager see?": an agency admin's read-only preview
//! of one case manager's portal, with the reasons behind what is missing —
//! the troubleshooting the product promises (cannot sign in, cannot see a
//! client, missing documents). Every preview is logged.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::agency::DataKind;
use crate::clients::Relationship;
use crate::error::AppError;
use crate::layout::ErrorNotice;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewClient {
    pub id: i32,
    pub full_name: String,
    pub relationship: Relationship,
    /// Why the client is not in their list, if it is not.
    pub hidden_because: Option<String>,
    /// The tabs they get on the client's page.
    pub tabs: Vec<DataKind>,
    pub shared_documents: usize,
    /// Documents they do not get, by reason ("Never" category, not marked).
    pub private_documents: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalPreview {
    pub name: String,
    /// Whether they can sign in, and if not, why.
    pub sign_in: String,
    pub terms_pending: bool,
    pub clients: Vec<PreviewClient>,
}

/// Agency admins: preview one case manager's portal.
#[server(endpoint = "case-managers/preview", input = leptos::server_fn::codec::GetUrl)]
pub async fn preview_portal(case_manager_id: i32) -> Result<PortalPreview, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::preview(&ctx.db, &user.actor(), case_manager_id, sc::client_ip()).await
    })
    .await
}

#[component]
pub fn PortalPreviewSection(case_manager_id: i32) -> impl IntoView {
    let shown = RwSignal::new(false);
    let preview = Resource::new(
        move || shown.get(),
        move |on| async move {
            if on {
                preview_portal(case_manager_id).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">"Portal preview"</h2>
            <button type="button" on:click=move |_| shown.set(true)>"Preview what they see"</button>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(Some(p)) => view! {
                            <p data-testid="preview-sign-in">{p.sign_in}</p>
                            {p.terms_pending.then(|| view! { <p>"They will be asked to accept the terms of use first."</p> })}
                            <table aria-label="What they see">
                                <thead><tr>
                                    <th scope="col">"Client"</th><th scope="col">"Relationship"</th>
                                    <th scope="col">"Visible"</th><th scope="col">"Tabs"</th><th scope="col">"Documents"</th>
                                </tr></thead>
                                <tbody>
                                    {p.clients.into_iter().map(|c| view! {
                                        <tr>
                                            <td>{c.full_name}</td>
                                            <td>{c.relationship.label()}</td>
                                            <td>{c.hidden_because.unwrap_or_else(|| "Yes".into())}</td>
                                            <td>{c.tabs.iter().map(|t| t.label()).collect::<Vec<_>>().join(", ")}</td>
                                            <td>{format!("{} shared, {} private", c.shared_documents, c.private_documents)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
    use serde_json::json;

    use super::{PortalPreview, PreviewClient};
    use crate::activity::ActivityAction;
    use crate::activity::service::{Entry, record};
    use crate::agency::DataKind;
    use crate::agency::case_managers::service::{Standing, standing};
    use crate::auth::Role;
    use crate::auth::policy::{Action, Actor, Resource, can};
    use crate::clients::service::facts;
    use crate::db::begin_write;
    use crate::entities::{client, client_assignment, document, document_category, user};
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
        actor: &Actor,
        case_manager_id: i32,
        ip: Option<String>,
    ) -> Result<PortalPreview, AppError> {
        can(
            actor,
            Action::Administer,
            &Resource::CaseManagers {
                organisation_id: actor.organisation_id,
            },
        )?;
        let cm = user::Entity::find_by_id(case_manager_id)
            .filter(user::Column::OrganisationId.eq(actor.organisation_id))
            .filter(user::Column::Role.eq(Role::ExternalCaseManager))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let standing = standing(db, cm.id, cm.organisation_id).await?;
        let terms_pending =
            crate::portal::service::terms_pending_for(db, cm.id, cm.organisation_id).await?;
        // The same decisions the portal makes, asked as the case manager.
        let as_cm = Actor {
            user_id: cm.id,
            organisation_id: cm.organisation_id,
            role: Role::ExternalCaseManager,
            portal_open: standing == Standing::Open,
        };
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
            Entry::new(ActivityAction::PortalPreviewed, "user", Some(cm.id))
                .by(actor.user_id, actor.organisation_id)
                .detail(json!({ "case_manager": cm.display_name }))
                .from_ip(ip),
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
}
