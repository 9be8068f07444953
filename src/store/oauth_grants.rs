//! Grants: what an OpenID Connect client was given at one code exchange (or one client
//! credentials request). Its access tokens name it and are refused once it is revoked;
//! its refresh tokens are the family of the same id.

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, FromRow)]
pub struct Grant {
    pub id: String,
    pub client_id: String,
    /// `None` for a client credentials grant: the client acts for itself.
    pub user_id: Option<i64>,
    /// The browser session the user signed in with, for the ID tokens' `sid`.
    pub sid: Option<String>,
    pub revoked_at: Option<i64>,
}

impl Grant {
    /// A grant as it is made: not revoked.
    pub fn new(id: String, client_id: &str, user_id: Option<i64>, sid: Option<String>) -> Self {
        Self { id, client_id: client_id.to_owned(), user_id, sid, revoked_at: None }
    }

    pub fn is_live(&self) -> bool {
        self.revoked_at.is_none()
    }
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Db>, grant: &Grant, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO oauth_grants (id, client_id, user_id, sid, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&grant.id)
        .bind(&grant.client_id)
        .bind(grant.user_id)
        .bind(&grant.sid)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// The grant, from the read cache when it has it: every use of an access token asks.
pub async fn find_cached(store: &super::Store, id: &str) -> Result<Option<Grant>, sqlx::Error> {
    store.read_through(|cache| &cache.grants, id, find(store.pool(), id)).await
}

pub async fn find<'e>(db: impl Executor<'e, Database = Db>, id: &str) -> Result<Option<Grant>, sqlx::Error> {
    sqlx::query_as("SELECT id, client_id, user_id, sid, revoked_at FROM oauth_grants WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn revoke<'e>(db: impl Executor<'e, Database = Db>, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE oauth_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// On logout, a password change or ended sessions: every grant the user gave.
pub async fn revoke_for_user<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("UPDATE oauth_grants SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// When the user takes an app's access away.
pub async fn revoke_for_client<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    client_id: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE oauth_grants SET revoked_at = $3 WHERE user_id = $1 AND client_id = $2 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(client_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

/// Grants a day old with no live refresh token: no token of theirs can still be used
/// (access tokens live 15 minutes), so the housekeeping drops them.
pub async fn delete_spent<'e>(db: impl Executor<'e, Database = Db>, now: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "DELETE FROM oauth_grants WHERE created_at < $1 AND NOT EXISTS (SELECT 1 FROM refresh_tokens \
         WHERE refresh_tokens.family = oauth_grants.id AND revoked_at IS NULL AND expires_at > $2)",
    )
    .bind(now - 24 * 60 * 60)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}
