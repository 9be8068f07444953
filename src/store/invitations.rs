//! Invitations to make an account ([`crate::accounts::invitations`] has the rules).

use sqlx::{Executor, FromRow};

use super::Db;
use crate::domain::Token;

#[derive(Debug, Clone, FromRow)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    /// Comma-separated role names, granted when the invitation is accepted.
    pub roles: String,
    verifier_hash: String,
    pub invited_by: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Invitation {
    pub fn role_names(&self) -> impl Iterator<Item = &str> {
        self.roles.split(',').filter(|role| !role.is_empty())
    }
}

const COLUMNS: &str = "id, email, roles, verifier_hash, invited_by, created_at, expires_at, accepted_at, revoked_at";

/// A new invitation; an older one to the same address that is still open is revoked.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    email: &str,
    roles: &str,
    token: &Token,
    invited_by: Option<i64>,
    now: i64,
    expires_at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = $2 WHERE email = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(email)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let parts = token.parts();
    sqlx::query_scalar(
        "INSERT INTO invitations (email, roles, selector, verifier_hash, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(email)
    .bind(roles)
    .bind(parts.selector)
    .bind(parts.verifier_hash)
    .bind(invited_by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut *conn)
    .await
}

/// The invitation a link names, if its verifier matches.
pub async fn find_by_token<'e>(
    db: impl Executor<'e, Database = Db>,
    token: &Token,
) -> Result<Option<Invitation>, sqlx::Error> {
    let row: Option<Invitation> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM invitations WHERE selector = $1"))
        .bind(token.selector())
        .fetch_optional(db)
        .await?;
    Ok(row.filter(|row| token.matches(&row.verifier_hash)))
}

pub async fn find<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<Option<Invitation>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM invitations WHERE id = $1")).bind(id).fetch_optional(db).await
}

/// Invitations neither accepted nor revoked, expired ones too (an admin may resend them),
/// newest first.
pub async fn open<'e>(db: impl Executor<'e, Database = Db>) -> Result<Vec<Invitation>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM invitations WHERE accepted_at IS NULL AND revoked_at IS NULL \
         ORDER BY created_at DESC, id DESC LIMIT 500"
    ))
    .fetch_all(db)
    .await
}

/// Marks it accepted; `false` when another request accepted it first, or it was revoked
/// or expired meanwhile.
pub async fn accept<'e>(db: impl Executor<'e, Database = Db>, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET accepted_at = $2 \
         WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A new link for an open invitation (the old link stops working); `false` when it is
/// accepted or revoked.
pub async fn renew<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    token: &Token,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let parts = token.parts();
    let done = sqlx::query(
        "UPDATE invitations SET selector = $2, verifier_hash = $3, expires_at = $4 \
         WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(parts.selector)
    .bind(parts.verifier_hash)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `false` when it was accepted or revoked already.
pub async fn revoke<'e>(db: impl Executor<'e, Database = Db>, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = $2 WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
