//! Personal API tokens.

use sqlx::{Executor, FromRow};

use super::Db;
use crate::domain::Token;

#[derive(Debug, Clone, FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub scope: String,
    verifier_hash: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, name, scope, verifier_hash, created_at, expires_at, last_used_at";

pub async fn insert<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    name: &str,
    scope: &str,
    token: &Token,
    now: i64,
    expires_at: Option<i64>,
) -> Result<ApiToken, sqlx::Error> {
    let parts = token.parts();
    sqlx::query_as(&format!(
        "INSERT INTO api_tokens (user_id, name, scope, selector, verifier_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    ))
    .bind(user_id)
    .bind(name)
    .bind(scope)
    .bind(parts.selector)
    .bind(parts.verifier_hash)
    .bind(now)
    .bind(expires_at)
    .fetch_one(db)
    .await
}

/// The live token this secret belongs to, if any (unknown, forged and expired are all `None`).
pub async fn authenticate<'e, E>(db: E, token: &Token, now: i64) -> Result<Option<ApiToken>, sqlx::Error>
where
    E: Executor<'e, Database = Db> + Copy,
{
    let row: Option<ApiToken> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE selector = $1"))
        .bind(token.selector())
        .fetch_optional(db)
        .await?;
    let Some(row) = row.filter(|row| token.matches(&row.verifier_hash) && row.expires_at.is_none_or(|at| at > now))
    else {
        return Ok(None);
    };
    // Last use is kept to the minute: enough to spot stale tokens, without a write per call.
    if row.last_used_at.is_none_or(|at| now - at >= 60) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1").bind(row.id).bind(now).execute(db).await?;
    }
    Ok(Some(row))
}

pub async fn list<'e>(db: impl Executor<'e, Database = Db>, user_id: i64) -> Result<Vec<ApiToken>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id"))
        .bind(user_id)
        .fetch_all(db)
        .await
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Db>, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1 AND id = $2").bind(user_id).bind(id).execute(db).await?;
    Ok(result.rows_affected() == 1)
}

/// Revokes every API token of a user; returns how many there were.
pub async fn delete_for_user<'e>(db: impl Executor<'e, Database = Db>, user_id: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(user_id).execute(db).await?;
    Ok(result.rows_affected())
}
