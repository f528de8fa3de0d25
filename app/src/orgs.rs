//! Organisations: a practice (doctors referring cases) or an agency (clients
//! and an external case-manager portal).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum OrgKind {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "practice"))]
    Practice,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "agency"))]
    Agency,
}
