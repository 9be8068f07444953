//! Roles granted to accounts. They are read with the user ([`super::users::User::roles`]),
//! so every request sees the roles as they are now; these are the writes.

use sqlx::Executor;

use super::Db;
use crate::domain::Role;

/// Grants a role; `false` when the user already had it.
pub async fn grant<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    role: &Role,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, role) DO NOTHING",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Revokes a role; `false` when the user did not have it.
pub async fn revoke<'e>(db: impl Executor<'e, Database = Db>, user_id: i64, role: &Role) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(role.as_str())
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}
