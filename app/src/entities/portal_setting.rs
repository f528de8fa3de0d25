use sea_orm::entity::prelude::*;

/// An agency's case-manager portal: switch, branding, legal text and the
/// security settings its users are held to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i32,
    pub portal_enabled: bool,
    pub brand_name: String,
    pub brand_colour: String,
    /// Storage key of the uploaded logo, never a user-supplied name.
    pub logo_key: Option<String>,
    pub logo_content_type: Option<String>,
    pub welcome_message: String,
    pub contact_details: String,
    pub terms_text: String,
    /// Bumped whenever the text changes, so acceptance is asked again.
    pub terms_version: i32,
    pub terms_require_acceptance: bool,
    pub password_min_length: i32,
    pub password_require_classes: bool,
    pub require_two_factor_staff: bool,
    pub require_two_factor_case_managers: bool,
    pub invitation_valid_days: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
