//! "What does this case manager see?": an agency admin's read-only preview
//! of one case manager's portal, with the reasons behind what is missing —
//! the troubleshooting the product promises (cannot sign in, cannot see a
//! client, missing documents). Every preview is logged.

use serde::{Deserialize, Serialize};

use crate::agency::DataKind;
use crate::assignments::Relationship;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

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
