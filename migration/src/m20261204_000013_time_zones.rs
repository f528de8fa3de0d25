//! Organisations get a time zone (an IANA name). Every timestamp already
//! holds an instant, except appointments: until now the time a user typed
//! was stored as if it were UTC. Those keep their meaning by being read
//! again as local times of the zone the organisations start with:
//! `CASEPORT_DEFAULT_TIME_ZONE` when it is set at upgrade, else UTC, in
//! which case nothing moves.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    TimeZone,
}

#[derive(DeriveIden)]
enum Appointments {
    Table,
    Id,
    StartsAt,
    EndsAt,
}

/// The zone the upgrade starts every organisation in.
fn upgrade_zone() -> Result<Tz, DbErr> {
    match std::env::var("CASEPORT_DEFAULT_TIME_ZONE") {
        Ok(name) if !name.trim().is_empty() => name.trim().parse::<Tz>().map_err(|_| {
            DbErr::Migration(format!(
                "CASEPORT_DEFAULT_TIME_ZONE={name} is not an IANA time zone"
            ))
        }),
        _ => Ok(Tz::UTC),
    }
}

/// The instant a wall-clock time stored as UTC meant in `zone`; a time the
/// clocks skipped moves an hour on, a repeated one is the first.
fn reread(zone: Tz, stored: DateTime<Utc>) -> DateTime<Utc> {
    let wall = stored.naive_utc();
    zone.from_local_datetime(&wall)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(wall + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or(stored, |t| t.with_timezone(&Utc))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let zone = upgrade_zone()?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .add_column(string_len(Organisations::TimeZone, 64).default(zone.name()))
                    .to_owned(),
            )
            .await?;
        if zone == Tz::UTC {
            return Ok(());
        }
        let db = manager.get_connection();
        let select = Query::select()
            .columns([
                Appointments::Id,
                Appointments::StartsAt,
                Appointments::EndsAt,
            ])
            .from(Appointments::Table)
            .to_owned();
        let rows = db.query_all(&select).await?;
        for row in rows {
            let id: i32 = row.try_get("", "id")?;
            let starts: DateTime<Utc> = row.try_get("", "starts_at")?;
            let ends: DateTime<Utc> = row.try_get("", "ends_at")?;
            let update = Query::update()
                .table(Appointments::Table)
                .values([
                    (Appointments::StartsAt, reread(zone, starts).into()),
                    (Appointments::EndsAt, reread(zone, ends).into()),
                ])
                .and_where(Expr::col(Appointments::Id).eq(id))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Appointments stay instants: read as UTC wall times they would be
        // off by the zone's offset, which is less wrong than moving them.
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .drop_column(Organisations::TimeZone)
                    .to_owned(),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("instant")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_stored_wall_time_becomes_the_instant_it_meant_locally() {
        let chicago: Tz = "America/Chicago".parse().expect("zone");
        // Typed as 09:00, stored as 09:00 "UTC": it meant 09:00 in Chicago.
        assert_eq!(
            reread(chicago, utc("2026-12-02T09:00:00Z")),
            utc("2026-12-02T15:00:00Z")
        );
        assert_eq!(
            reread(chicago, utc("2026-07-02T09:00:00Z")),
            utc("2026-07-02T14:00:00Z")
        );
        // 02:30 on the spring-forward night never happened: an hour on.
        assert_eq!(
            reread(chicago, utc("2026-03-08T02:30:00Z")),
            utc("2026-03-08T08:30:00Z")
        );
        // 01:30 on the fall-back night happened twice: the first.
        assert_eq!(
            reread(chicago, utc("2026-11-01T01:30:00Z")),
            utc("2026-11-01T06:30:00Z")
        );
        // In UTC nothing moves.
        assert_eq!(
            reread(Tz::UTC, utc("2026-12-02T09:00:00Z")),
            utc("2026-12-02T09:00:00Z")
        );
    }
}
