//! The links Caseport mails (password resets, portal invitations) are keys
//! to an account. When an admin shuts someone out, every such key still
//! unused stops working in the same transaction, so nobody comes back
//! through a link sent before.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entities::{invitation, password_reset};

/// Ends every unused reset link and invitation of `user_id`; returns how
/// many there were.
pub async fn void_pending(
    conn: &impl ConnectionTrait,
    user_id: i32,
) -> Result<u64, sea_orm::DbErr> {
    let now = Utc::now();
    let resets = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::ExpiresAt, Expr::value(now))
        .filter(password_reset::Column::UserId.eq(user_id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?
        .rows_affected;
    let invitations = invitation::Entity::update_many()
        .col_expr(invitation::Column::VoidedAt, Expr::value(now))
        .filter(invitation::Column::CaseManagerUserId.eq(user_id))
        .filter(invitation::Column::UsedAt.is_null())
        .filter(invitation::Column::VoidedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected;
    Ok(resets + invitations)
}
