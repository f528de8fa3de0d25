//! Portal messaging: one conversation per client and case manager, the
//! agency's messaging switch and who receives the messages, and each
//! client's team lead (one of the routing choices).

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
enum Messages {
    Table,
    Id,
    OrganisationId,
    ClientId,
    CaseManagerUserId,
    AuthorUserId,
    Body,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum MessagingSettings {
    Table,
    OrganisationId,
    Enabled,
    Recipients,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MessageRecipients {
    Table,
    OrganisationId,
    UserId,
}

#[derive(DeriveIden)]
enum ClientTeamLeads {
    Table,
    ClientId,
    UserId,
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
                    .table(Messages::Table)
                    .if_not_exists()
                    .col(pk_auto(Messages::Id))
                    .col(integer(Messages::OrganisationId))
                    .col(integer(Messages::ClientId))
                    // The conversation: this client, this case manager.
                    .col(integer(Messages::CaseManagerUserId))
                    .col(integer(Messages::AuthorUserId))
                    .col(text(Messages::Body))
                    .col(timestamp_with_time_zone(Messages::CreatedAt))
                    // When the other side first opened it.
                    .col(timestamp_with_time_zone_null(Messages::ReadAt))
                    .foreign_key(&mut fk(
                        "fk_messages_organisation",
                        (Messages::Table, Messages::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_messages_client",
                        (Messages::Table, Messages::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_messages_case_manager",
                        (Messages::Table, Messages::CaseManagerUserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_messages_author",
                        (Messages::Table, Messages::AuthorUserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_conversation")
                    .table(Messages::Table)
                    .col(Messages::ClientId)
                    .col(Messages::CaseManagerUserId)
                    .col(Messages::CreatedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_organisation_created")
                    .table(Messages::Table)
                    .col(Messages::OrganisationId)
                    .col(Messages::CreatedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MessagingSettings::Table)
                    .if_not_exists()
                    .col(integer(MessagingSettings::OrganisationId).primary_key())
                    .col(boolean(MessagingSettings::Enabled))
                    // `all_admins`, `team_lead` or `specific`.
                    .col(string_len(MessagingSettings::Recipients, 16))
                    .col(timestamp_with_time_zone(MessagingSettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_messaging_settings_organisation",
                        (MessagingSettings::Table, MessagingSettings::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MessageRecipients::Table)
                    .if_not_exists()
                    .col(integer(MessageRecipients::OrganisationId))
                    .col(integer(MessageRecipients::UserId))
                    .primary_key(
                        Index::create()
                            .col(MessageRecipients::OrganisationId)
                            .col(MessageRecipients::UserId),
                    )
                    .foreign_key(&mut fk(
                        "fk_message_recipients_organisation",
                        (MessageRecipients::Table, MessageRecipients::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_message_recipients_user",
                        (MessageRecipients::Table, MessageRecipients::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClientTeamLeads::Table)
                    .if_not_exists()
                    .col(integer(ClientTeamLeads::ClientId).primary_key())
                    .col(integer(ClientTeamLeads::UserId))
                    .foreign_key(&mut fk(
                        "fk_client_team_leads_client",
                        (ClientTeamLeads::Table, ClientTeamLeads::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_client_team_leads_user",
                        (ClientTeamLeads::Table, ClientTeamLeads::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ClientTeamLeads::Table.into_iden(),
            MessageRecipients::Table.into_iden(),
            MessagingSettings::Table.into_iden(),
            Messages::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
