//! The first slice of the model: organisations, users, doctors, clients,
//! cases, assignments, visibility settings, sessions and the activity log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Slug,
    Name,
    Kind,
    IdleTimeoutMinutes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    OrganisationId,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    MustChangePassword,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Doctors {
    Table,
    Id,
    UserId,
    Specialty,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
    OrganisationId,
    FullName,
    DateOfBirth,
    Phone,
    Email,
    Address,
    AuthorisedHoursPerMonth,
    ArchivedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    PatientName,
    PatientDateOfBirth,
    PatientContact,
    Reason,
    Urgency,
    Notes,
    ReferredByDoctorId,
    ReferredToDoctorId,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CaseAssociates {
    Table,
    Id,
    CaseId,
    UserId,
}

#[derive(DeriveIden)]
enum ClientAssignments {
    Table,
    Id,
    ClientId,
    CaseManagerUserId,
    Relationship,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VisibilitySettings {
    Table,
    Id,
    OrganisationId,
    Schedules,
    Notes,
    HoursSummary,
    Documents,
    StaffInfo,
    ContactInfo,
    Assessments,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum ActivityLogs {
    Table,
    Id,
    OrganisationId,
    ActorUserId,
    OnBehalfOfUserId,
    Action,
    SubjectType,
    SubjectId,
    Detail,
    Ip,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .if_not_exists()
                    .col(pk_auto(Organisations::Id))
                    .col(string_len_uniq(Organisations::Slug, 64))
                    .col(string_len(Organisations::Name, 200))
                    .col(string_len(Organisations::Kind, 16))
                    .col(integer(Organisations::IdleTimeoutMinutes).default(30))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(pk_auto(Users::Id))
                    .col(integer(Users::OrganisationId))
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::DisplayName, 200))
                    .col(string_len(Users::PasswordHash, 200))
                    .col(string_len(Users::Role, 32))
                    .col(boolean(Users::Active).default(true))
                    .col(boolean(Users::MustChangePassword).default(false))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_users_organisation",
                        (Users::Table, Users::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_organisation_role")
                    .table(Users::Table)
                    .col(Users::OrganisationId)
                    .col(Users::Role)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Doctors::Table)
                    .if_not_exists()
                    .col(pk_auto(Doctors::Id))
                    .col(integer_uniq(Doctors::UserId))
                    .col(string_len(Doctors::Specialty, 120))
                    .foreign_key(&mut fk(
                        "fk_doctors_user",
                        (Doctors::Table, Doctors::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Clients::Table)
                    .if_not_exists()
                    .col(pk_auto(Clients::Id))
                    .col(integer(Clients::OrganisationId))
                    .col(string_len(Clients::FullName, 200))
                    .col(date_null(Clients::DateOfBirth))
                    .col(string_len_null(Clients::Phone, 40))
                    .col(string_len_null(Clients::Email, 254))
                    .col(string_len_null(Clients::Address, 400))
                    .col(integer(Clients::AuthorisedHoursPerMonth).default(0))
                    .col(timestamp_with_time_zone_null(Clients::ArchivedAt))
                    .col(timestamp_with_time_zone(Clients::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_clients_organisation",
                        (Clients::Table, Clients::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_clients_organisation_name")
                    .table(Clients::Table)
                    .col(Clients::OrganisationId)
                    .col(Clients::FullName)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Cases::Table)
                    .if_not_exists()
                    .col(pk_auto(Cases::Id))
                    .col(string_len(Cases::PatientName, 200))
                    .col(date_null(Cases::PatientDateOfBirth))
                    .col(string_len_null(Cases::PatientContact, 200))
                    .col(text(Cases::Reason))
                    .col(string_len(Cases::Urgency, 16))
                    .col(text_null(Cases::Notes))
                    .col(integer(Cases::ReferredByDoctorId))
                    .col(integer(Cases::ReferredToDoctorId))
                    .col(string_len(Cases::Status, 16))
                    .col(integer(Cases::Version).default(1))
                    .col(timestamp_with_time_zone(Cases::CreatedAt))
                    .col(timestamp_with_time_zone(Cases::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_cases_referred_by",
                        (Cases::Table, Cases::ReferredByDoctorId),
                        (Doctors::Table, Doctors::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_cases_referred_to",
                        (Cases::Table, Cases::ReferredToDoctorId),
                        (Doctors::Table, Doctors::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_cases_referred_by", Cases::ReferredByDoctorId),
            ("idx_cases_referred_to", Cases::ReferredToDoctorId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Cases::Table)
                        .col(col)
                        .col(Cases::UpdatedAt)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(CaseAssociates::Table)
                    .if_not_exists()
                    .col(pk_auto(CaseAssociates::Id))
                    .col(integer(CaseAssociates::CaseId))
                    .col(integer(CaseAssociates::UserId))
                    .foreign_key(&mut fk(
                        "fk_case_associates_case",
                        (CaseAssociates::Table, CaseAssociates::CaseId),
                        (Cases::Table, Cases::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_associates_user",
                        (CaseAssociates::Table, CaseAssociates::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_case_associates_case_user")
                    .table(CaseAssociates::Table)
                    .col(CaseAssociates::CaseId)
                    .col(CaseAssociates::UserId)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_case_associates_user")
                    .table(CaseAssociates::Table)
                    .col(CaseAssociates::UserId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClientAssignments::Table)
                    .if_not_exists()
                    .col(pk_auto(ClientAssignments::Id))
                    .col(integer(ClientAssignments::ClientId))
                    .col(integer(ClientAssignments::CaseManagerUserId))
                    .col(string_len(ClientAssignments::Relationship, 16))
                    .col(timestamp_with_time_zone(ClientAssignments::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_client_assignments_client",
                        (ClientAssignments::Table, ClientAssignments::ClientId),
                        (Clients::Table, Clients::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_client_assignments_user",
                        (
                            ClientAssignments::Table,
                            ClientAssignments::CaseManagerUserId,
                        ),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_client_assignments_client_user")
                    .table(ClientAssignments::Table)
                    .col(ClientAssignments::ClientId)
                    .col(ClientAssignments::CaseManagerUserId)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_client_assignments_user")
                    .table(ClientAssignments::Table)
                    .col(ClientAssignments::CaseManagerUserId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VisibilitySettings::Table)
                    .if_not_exists()
                    .col(pk_auto(VisibilitySettings::Id))
                    .col(integer_uniq(VisibilitySettings::OrganisationId))
                    .col(boolean(VisibilitySettings::Schedules).default(true))
                    .col(boolean(VisibilitySettings::Notes).default(true))
                    .col(boolean(VisibilitySettings::HoursSummary).default(true))
                    .col(boolean(VisibilitySettings::Documents).default(true))
                    .col(boolean(VisibilitySettings::StaffInfo).default(false))
                    .col(boolean(VisibilitySettings::ContactInfo).default(false))
                    .col(boolean(VisibilitySettings::Assessments).default(true))
                    .foreign_key(&mut fk(
                        "fk_visibility_organisation",
                        (
                            VisibilitySettings::Table,
                            VisibilitySettings::OrganisationId,
                        ),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .if_not_exists()
                    // The SHA-256 of the cookie token: a stolen table holds no
                    // usable session ids.
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(integer(Sessions::UserId))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(string_len_null(Sessions::Ip, 64))
                    .col(string_len_null(Sessions::UserAgent, 300))
                    .foreign_key(&mut fk(
                        "fk_sessions_user",
                        (Sessions::Table, Sessions::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivityLogs::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ActivityLogs::Id))
                    .col(integer_null(ActivityLogs::OrganisationId))
                    .col(integer_null(ActivityLogs::ActorUserId))
                    .col(integer_null(ActivityLogs::OnBehalfOfUserId))
                    .col(string_len(ActivityLogs::Action, 48))
                    .col(string_len(ActivityLogs::SubjectType, 32))
                    .col(integer_null(ActivityLogs::SubjectId))
                    .col(text(ActivityLogs::Detail))
                    .col(string_len_null(ActivityLogs::Ip, 64))
                    .col(timestamp_with_time_zone(ActivityLogs::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            (
                "idx_activity_logs_org_created",
                ActivityLogs::OrganisationId,
            ),
            ("idx_activity_logs_actor_created", ActivityLogs::ActorUserId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ActivityLogs::Table)
                        .col(col)
                        .col(ActivityLogs::CreatedAt)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ActivityLogs::Table.into_iden(),
            Sessions::Table.into_iden(),
            VisibilitySettings::Table.into_iden(),
            ClientAssignments::Table.into_iden(),
            CaseAssociates::Table.into_iden(),
            Cases::Table.into_iden(),
            Clients::Table.into_iden(),
            Doctors::Table.into_iden(),
            Users::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
