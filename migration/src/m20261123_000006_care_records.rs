//! The agency's own care records that the portal shows: appointments,
//! service notes and annual assessments. Monthly hours are computed from
//! appointments against the client's authorised hours.

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
enum Appointments {
    Table,
    Id,
    OrganisationId,
    ClientId,
    StaffUserId,
    StartsAt,
    EndsAt,
    ServiceType,
    Status,
    Minutes,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ServiceNotes {
    Table,
    Id,
    OrganisationId,
    ClientId,
    AppointmentId,
    AuthorUserId,
    WrittenAt,
    GeneralContent,
    InternalContent,
}

#[derive(DeriveIden)]
enum Assessments {
    Table,
    Id,
    OrganisationId,
    ClientId,
    AssessedOn,
    Title,
    Summary,
    NextDue,
    AuthorUserId,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Appointments::Table)
                    .if_not_exists()
                    .col(pk_auto(Appointments::Id))
                    .col(integer(Appointments::OrganisationId))
                    .col(integer(Appointments::ClientId))
                    .col(integer_null(Appointments::StaffUserId))
                    .col(timestamp_with_time_zone(Appointments::StartsAt))
                    .col(timestamp_with_time_zone(Appointments::EndsAt))
                    .col(string_len(Appointments::ServiceType, 80))
                    .col(string_len(Appointments::Status, 16))
                    // Billable length; usually ends − starts, but a visit
                    // can be billed shorter.
                    .col(integer(Appointments::Minutes))
                    .col(integer(Appointments::CreatedBy))
                    .col(timestamp_with_time_zone(Appointments::CreatedAt))
                    .col(timestamp_with_time_zone(Appointments::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_appointments_organisation",
                        (Appointments::Table, Appointments::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_appointments_client",
                        (Appointments::Table, Appointments::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_appointments_staff",
                        (Appointments::Table, Appointments::StaffUserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_appointments_created_by",
                        (Appointments::Table, Appointments::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_appointments_client_starts")
                    .table(Appointments::Table)
                    .col(Appointments::ClientId)
                    .col(Appointments::StartsAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ServiceNotes::Table)
                    .if_not_exists()
                    .col(pk_auto(ServiceNotes::Id))
                    .col(integer(ServiceNotes::OrganisationId))
                    .col(integer(ServiceNotes::ClientId))
                    .col(integer_null(ServiceNotes::AppointmentId))
                    .col(integer(ServiceNotes::AuthorUserId))
                    .col(timestamp_with_time_zone(ServiceNotes::WrittenAt))
                    .col(text(ServiceNotes::GeneralContent))
                    // Never leaves the agency: no portal query selects it.
                    .col(text(ServiceNotes::InternalContent))
                    .foreign_key(&mut fk(
                        "fk_service_notes_organisation",
                        (ServiceNotes::Table, ServiceNotes::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_service_notes_client",
                        (ServiceNotes::Table, ServiceNotes::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_service_notes_appointment",
                        (ServiceNotes::Table, ServiceNotes::AppointmentId),
                        (Appointments::Table, Appointments::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_service_notes_author",
                        (ServiceNotes::Table, ServiceNotes::AuthorUserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_service_notes_client_written")
                    .table(ServiceNotes::Table)
                    .col(ServiceNotes::ClientId)
                    .col(ServiceNotes::WrittenAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assessments::Table)
                    .if_not_exists()
                    .col(pk_auto(Assessments::Id))
                    .col(integer(Assessments::OrganisationId))
                    .col(integer(Assessments::ClientId))
                    .col(date(Assessments::AssessedOn))
                    .col(string_len(Assessments::Title, 200))
                    .col(text(Assessments::Summary))
                    .col(date_null(Assessments::NextDue))
                    .col(integer(Assessments::AuthorUserId))
                    .col(timestamp_with_time_zone(Assessments::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_assessments_organisation",
                        (Assessments::Table, Assessments::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_assessments_client",
                        (Assessments::Table, Assessments::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_assessments_author",
                        (Assessments::Table, Assessments::AuthorUserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assessments_client")
                    .table(Assessments::Table)
                    .col(Assessments::ClientId)
                    .col(Assessments::AssessedOn)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Assessments::Table.into_iden(),
            ServiceNotes::Table.into_iden(),
            Appointments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
