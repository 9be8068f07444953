//! Refresh tokens: opaque, single use, rotated on every use, revoked by family on reuse.

use sqlx::{Executor, FromRow};

use super::Db;
use crate::domain::Token;

#[derive(Debug, Clone, FromRow)]
pub struct RefreshToken {
    pub selector: String,
    verifier_hash: String,
    pub user_id: i64,
    pub family: String,
    /// The factors of the sign-in, as [`crate::domain::Amr::to_column`] writes them.
    pub amr: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The OpenID Connect client it was issued to; `None` for the API's own programs.
    pub client_id: Option<String>,
    /// For a client's token: the granted scopes, and when the user signed in.
    pub scope: Option<String>,
    pub auth_time: Option<i64>,
}

impl RefreshToken {
    pub fn matches(&self, token: &Token) -> bool {
        token.matches(&self.verifier_hash)
    }
}

/// What an OpenID Connect client's refresh token carries besides the program's.
pub struct ClientGrant<'a> {
    pub client_id: &'a str,
    pub scope: &'a str,
    pub auth_time: i64,
}

/// A new refresh token: a program's, or with `grant` an OpenID Connect client's.
#[allow(clippy::too_many_arguments)]
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Db>,
    token: &Token,
    user_id: i64,
    family: &str,
    amr: &str,
    grant: Option<&ClientGrant<'_>>,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    let parts = token.parts();
    sqlx::query(
        "INSERT INTO refresh_tokens (selector, verifier_hash, user_id, family, amr, created_at, expires_at, \
         client_id, scope, auth_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(parts.selector)
    .bind(parts.verifier_hash)
    .bind(user_id)
    .bind(family)
    .bind(amr)
    .bind(now)
    .bind(expires_at)
    .bind(grant.map(|grant| grant.client_id))
    .bind(grant.map(|grant| grant.scope))
    .bind(grant.map(|grant| grant.auth_time))
    .execute(db)
    .await?;
    Ok(())
}

/// When the user takes an app's access away: every refresh token it holds for them.
pub async fn revoke_for_client<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    client_id: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $3 WHERE user_id = $1 AND client_id = $2 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(client_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

pub async fn find<'e>(
    db: impl Executor<'e, Database = Db>,
    token: &Token,
) -> Result<Option<RefreshToken>, sqlx::Error> {
    sqlx::query_as(
        "SELECT selector, verifier_hash, user_id, family, amr, expires_at, used_at, revoked_at, client_id, scope, \
         auth_time FROM refresh_tokens WHERE selector = $1",
    )
    .bind(token.selector())
    .fetch_optional(db)
    .await
}

/// Marks the token used; `false` if another request used it first.
pub async fn consume<'e>(db: impl Executor<'e, Database = Db>, selector: &str, now: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE refresh_tokens SET used_at = $2 WHERE selector = $1 AND used_at IS NULL")
        .bind(selector)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn revoke_family<'e>(
    db: impl Executor<'e, Database = Db>,
    family: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE family = $1 AND revoked_at IS NULL")
        .bind(family)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// On logout, a password change or session revocation: every refresh token of the user.
pub async fn revoke_for_user<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
