//! Commands that write demo data or undo the schema must not be run by
//! mistake against a database that people use. "Real data" is any account
//! outside the demo and bulk generators' reserved `.example` addresses
//! (RFC 2606): such a database is refused unless the operator says `--yes`.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use app::entities::user;

/// How many accounts hold real (non-`.example`) addresses. A database
/// without the users table yet (nothing migrated) holds none.
pub async fn real_accounts(db: &DatabaseConnection) -> u64 {
    user::Entity::find()
        .filter(user::Column::Email.not_like("%.example"))
        .count(db)
        .await
        .unwrap_or(0)
}

/// Refuses `what` on a database with real accounts, unless `yes`.
pub async fn confirm(db: &DatabaseConnection, what: &str, yes: bool) -> Result<(), String> {
    let real = real_accounts(db).await;
    if real > 0 && !yes {
        return Err(format!(
            "refusing to {what}: this database holds {real} real account(s). \
             Check DATABASE_URL; if you mean it, run the command again with --yes"
        ));
    }
    Ok(())
}
