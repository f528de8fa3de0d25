//! The agency side of the case-manager portal: portal settings, the
//! case-manager profiles behind the directory, their access history,
//! invitations, document categories and documents.

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PortalSettings {
    Table,
    OrganisationId,
    PortalEnabled,
    BrandName,
    BrandColour,
    LogoKey,
    LogoContentType,
    WelcomeMessage,
    ContactDetails,
    TermsText,
    TermsVersion,
    TermsRequireAcceptance,
    PasswordMinLength,
    PasswordRequireClasses,
    RequireTwoFactorStaff,
    RequireTwoFactorCaseManagers,
    InvitationValidDays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CaseManagerProfiles {
    Table,
    UserId,
    Phone,
    Employer,
    Notes,
    AccessStatus,
    AccessReason,
    InvitedAt,
    AcceptedAt,
    TermsVersionAccepted,
}

#[derive(DeriveIden)]
enum AccessChanges {
    Table,
    Id,
    CaseManagerUserId,
    FromStatus,
    ToStatus,
    Reason,
    ChangedBy,
    ChangedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    CaseManagerUserId,
    TokenHash,
    Message,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum DocumentCategories {
    Table,
    Id,
    OrganisationId,
    Name,
    Sharing,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    OrganisationId,
    ClientId,
    CategoryId,
    OriginalName,
    ContentType,
    SizeBytes,
    Sha256,
    StorageKey,
    Shared,
    UploadedBy,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// The product's recommended document categories, for agencies that exist
/// already (new agencies get them when they are created).
const DEFAULT_CATEGORIES: [(&str, &str); 6] = [
    ("Care Plans", "always"),
    ("Assessments", "always"),
    ("Progress Reports", "always"),
    ("Internal Notes", "never"),
    ("Financial Documents", "never"),
    ("Medical Records", "manual"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PortalSettings::Table)
                    .if_not_exists()
                    .col(integer(PortalSettings::OrganisationId).primary_key())
                    .col(boolean(PortalSettings::PortalEnabled).default(false))
                    .col(string_len(PortalSettings::BrandName, 200))
                    .col(string_len(PortalSettings::BrandColour, 7).default("#1d4ed8"))
                    .col(string_len_null(PortalSettings::LogoKey, 100))
                    .col(string_len_null(PortalSettings::LogoContentType, 50))
                    .col(text(PortalSettings::WelcomeMessage).default(""))
                    .col(text(PortalSettings::ContactDetails).default(""))
                    .col(text(PortalSettings::TermsText).default(""))
                    .col(integer(PortalSettings::TermsVersion).default(0))
                    .col(boolean(PortalSettings::TermsRequireAcceptance).default(false))
                    .col(integer(PortalSettings::PasswordMinLength).default(12))
                    .col(boolean(PortalSettings::PasswordRequireClasses).default(false))
                    .col(boolean(PortalSettings::RequireTwoFactorStaff).default(false))
                    .col(boolean(PortalSettings::RequireTwoFactorCaseManagers).default(false))
                    .col(integer(PortalSettings::InvitationValidDays).default(7))
                    .col(timestamp_with_time_zone(PortalSettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_portal_settings_organisation",
                        (PortalSettings::Table, PortalSettings::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseManagerProfiles::Table)
                    .if_not_exists()
                    .col(integer(CaseManagerProfiles::UserId).primary_key())
                    .col(string_len_null(CaseManagerProfiles::Phone, 40))
                    .col(string_len_null(CaseManagerProfiles::Employer, 200))
                    .col(text_null(CaseManagerProfiles::Notes))
                    .col(string_len(CaseManagerProfiles::AccessStatus, 16))
                    .col(string_len_null(CaseManagerProfiles::AccessReason, 500))
                    .col(timestamp_with_time_zone_null(
                        CaseManagerProfiles::InvitedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        CaseManagerProfiles::AcceptedAt,
                    ))
                    .col(integer_null(CaseManagerProfiles::TermsVersionAccepted))
                    .foreign_key(&mut fk(
                        "fk_case_manager_profiles_user",
                        (CaseManagerProfiles::Table, CaseManagerProfiles::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccessChanges::Table)
                    .if_not_exists()
                    .col(pk_auto(AccessChanges::Id))
                    .col(integer(AccessChanges::CaseManagerUserId))
                    .col(string_len(AccessChanges::FromStatus, 16))
                    .col(string_len(AccessChanges::ToStatus, 16))
                    .col(string_len_null(AccessChanges::Reason, 500))
                    .col(integer(AccessChanges::ChangedBy))
                    .col(timestamp_with_time_zone(AccessChanges::ChangedAt))
                    .foreign_key(&mut fk(
                        "fk_access_changes_case_manager",
                        (AccessChanges::Table, AccessChanges::CaseManagerUserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_access_changes_changed_by",
                        (AccessChanges::Table, AccessChanges::ChangedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_access_changes_case_manager")
                    .table(AccessChanges::Table)
                    .col(AccessChanges::CaseManagerUserId)
                    .col(AccessChanges::ChangedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .if_not_exists()
                    .col(pk_auto(Invitations::Id))
                    .col(integer(Invitations::CaseManagerUserId))
                    .col(string_len_uniq(Invitations::TokenHash, 64))
                    .col(text_null(Invitations::Message))
                    .col(integer(Invitations::CreatedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::UsedAt))
                    .col(timestamp_with_time_zone_null(Invitations::VoidedAt))
                    .foreign_key(&mut fk(
                        "fk_invitations_case_manager",
                        (Invitations::Table, Invitations::CaseManagerUserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_invitations_created_by",
                        (Invitations::Table, Invitations::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_invitations_case_manager")
                    .table(Invitations::Table)
                    .col(Invitations::CaseManagerUserId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DocumentCategories::Table)
                    .if_not_exists()
                    .col(pk_auto(DocumentCategories::Id))
                    .col(integer(DocumentCategories::OrganisationId))
                    .col(string_len(DocumentCategories::Name, 100))
                    .col(string_len(DocumentCategories::Sharing, 16))
                    .foreign_key(&mut fk(
                        "fk_document_categories_organisation",
                        (
                            DocumentCategories::Table,
                            DocumentCategories::OrganisationId,
                        ),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_categories_org_name")
                    .table(DocumentCategories::Table)
                    .col(DocumentCategories::OrganisationId)
                    .col(DocumentCategories::Name)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .if_not_exists()
                    .col(pk_auto(Documents::Id))
                    .col(integer(Documents::OrganisationId))
                    .col(integer(Documents::ClientId))
                    .col(integer(Documents::CategoryId))
                    .col(string_len(Documents::OriginalName, 255))
                    .col(string_len(Documents::ContentType, 100))
                    .col(big_integer(Documents::SizeBytes))
                    .col(string_len(Documents::Sha256, 64))
                    .col(string_len_uniq(Documents::StorageKey, 100))
                    .col(boolean(Documents::Shared).default(false))
                    .col(integer(Documents::UploadedBy))
                    .col(timestamp_with_time_zone(Documents::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_documents_organisation",
                        (Documents::Table, Documents::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_documents_client",
                        (Documents::Table, Documents::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_documents_category",
                        (Documents::Table, Documents::CategoryId),
                        (DocumentCategories::Table, DocumentCategories::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_documents_uploaded_by",
                        (Documents::Table, Documents::UploadedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_documents_client")
                    .table(Documents::Table)
                    .col(Documents::ClientId)
                    .col(Documents::CreatedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        // One Primary case manager per client, and one assignment per pair,
        // held by the database too (partial indexes: SQLite and PostgreSQL).
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_client_assignments_one_primary \
             ON client_assignments (client_id) WHERE relationship = 'primary'",
        )
        .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_client_assignments_pair \
             ON client_assignments (client_id, case_manager_user_id)",
        )
        .await?;

        // Agencies that exist already get the product's defaults: portal
        // off, the recommended categories.
        db.execute_unprepared(
            "INSERT INTO portal_settings (organisation_id, portal_enabled, brand_name, \
             brand_colour, welcome_message, contact_details, terms_text, terms_version, \
             terms_require_acceptance, password_min_length, password_require_classes, \
             require_two_factor_staff, require_two_factor_case_managers, \
             invitation_valid_days, updated_at) \
             SELECT id, FALSE, name, '#1d4ed8', '', '', '', 0, FALSE, 12, FALSE, FALSE, FALSE, 7, \
             created_at FROM organisations WHERE kind = 'agency'",
        )
        .await?;
        for (name, sharing) in DEFAULT_CATEGORIES {
            db.execute_unprepared(&format!(
                "INSERT INTO document_categories (organisation_id, name, sharing) \
                 SELECT id, '{name}', '{sharing}' FROM organisations WHERE kind = 'agency'"
            ))
            .await?;
        }
        // Portal users that exist already are treated as accepted, active
        // case managers of the organisation they belong to.
        db.execute_unprepared(
            "INSERT INTO case_manager_profiles (user_id, access_status, accepted_at) \
             SELECT id, 'active', created_at FROM users WHERE role = 'external_case_manager'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS idx_client_assignments_one_primary")
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_client_assignments_pair")
            .await?;
        for table in [
            Documents::Table.into_iden(),
            DocumentCategories::Table.into_iden(),
            Invitations::Table.into_iden(),
            AccessChanges::Table.into_iden(),
            CaseManagerProfiles::Table.into_iden(),
            PortalSettings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
