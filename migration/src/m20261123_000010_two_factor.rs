//! Two-factor sign-in: one TOTP secret per user, hashed one-time recovery
//! codes, and the short-lived challenges that sit between the password and
//! the code at sign-in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TwoFactor {
    Table,
    UserId,
    Secret,
    CreatedAt,
    EnabledAt,
    LastStep,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInChallenges {
    Table,
    Id,
    UserId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    Attempts,
}

fn user_fk(
    name: &str,
    from: impl IntoIden + 'static,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from, col)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TwoFactor::Table)
                    .if_not_exists()
                    .col(integer(TwoFactor::UserId).primary_key())
                    // Base32, as the authenticator app shows it. The server
                    // must read it back to check codes, so it cannot be hashed.
                    .col(string_len(TwoFactor::Secret, 64))
                    .col(timestamp_with_time_zone(TwoFactor::CreatedAt))
                    // Empty while enrolment waits for the first code.
                    .col(timestamp_with_time_zone_null(TwoFactor::EnabledAt))
                    // The last 30-second step a code was accepted for: a code
                    // of that step or an earlier one is a replay.
                    .col(big_integer_null(TwoFactor::LastStep))
                    .foreign_key(&mut user_fk(
                        "fk_two_factor_user",
                        TwoFactor::Table,
                        TwoFactor::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .if_not_exists()
                    .col(pk_auto(RecoveryCodes::Id))
                    .col(integer(RecoveryCodes::UserId))
                    .col(string_len(RecoveryCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone(RecoveryCodes::CreatedAt))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .foreign_key(&mut user_fk(
                        "fk_recovery_codes_user",
                        RecoveryCodes::Table,
                        RecoveryCodes::UserId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_recovery_codes_user_hash")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::UserId)
                    .col(RecoveryCodes::CodeHash)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInChallenges::Table)
                    .if_not_exists()
                    // SHA-256 of the token handed to the browser.
                    .col(string_len(SignInChallenges::Id, 64).primary_key())
                    .col(integer(SignInChallenges::UserId))
                    // "code" (enrolled: enter a code) or "enrol" (required but
                    // not set up: set up now, then sign in).
                    .col(string_len(SignInChallenges::Purpose, 16))
                    .col(timestamp_with_time_zone(SignInChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(SignInChallenges::ExpiresAt))
                    .col(integer(SignInChallenges::Attempts).default(0))
                    .foreign_key(&mut user_fk(
                        "fk_sign_in_challenges_user",
                        SignInChallenges::Table,
                        SignInChallenges::UserId,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SignInChallenges::Table.into_iden(),
            RecoveryCodes::Table.into_iden(),
            TwoFactor::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
