//! Requests for a sign-in code by email ([`crate::accounts::email_codes`]).

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, FromRow)]
pub struct CodeRow {
    pub id: i64,
    pub email: String,
    pub salt: String,
    pub expires_at: i64,
    pub attempts: i64,
    pub mailed_at: Option<i64>,
    pub used_at: Option<i64>,
}

const COLUMNS: &str = "id, email, salt, expires_at, attempts, mailed_at, used_at";

pub async fn insert<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &str,
    salt: &str,
    browser_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_codes (email, salt, browser_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(email)
    .bind(salt)
    .bind(browser_hash)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Requests for `email` not mailed yet and still valid, oldest first (a few: the mail
/// budget allows no more).
pub async fn unmailed<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &str,
    now: i64,
) -> Result<Vec<CodeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM login_codes WHERE email = $1 AND mailed_at IS NULL AND expires_at > $2 \
         ORDER BY id LIMIT 10"
    ))
    .bind(email)
    .bind(now)
    .fetch_all(db)
    .await
}

/// Marks the request mailed: from now on its code may be tried.
pub async fn mark_mailed<'e>(db: impl Executor<'e, Database = Db>, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_codes SET mailed_at = $2 WHERE id = $1").bind(id).bind(now).execute(db).await?;
    Ok(())
}

/// The newest request this browser made for `email`.
pub async fn newest_of_browser<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &str,
    browser_hash: &str,
) -> Result<Option<CodeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM login_codes WHERE email = $1 AND browser_hash = $2 ORDER BY id DESC LIMIT 1"
    ))
    .bind(email)
    .bind(browser_hash)
    .fetch_optional(db)
    .await
}

/// Counts one try at the code; the count is what is checked, so two racing tries both count.
pub async fn count_attempt<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("UPDATE login_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts")
        .bind(id)
        .fetch_one(db)
        .await
}

/// Uses the code up; `false` when another request used it first.
pub async fn consume<'e>(db: impl Executor<'e, Database = Db>, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE login_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets requests a day after they expired.
pub async fn delete_stale<'e>(db: impl Executor<'e, Database = Db>, now: i64) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM login_codes WHERE expires_at < $1").bind(now - 24 * 60 * 60).execute(db).await?;
    Ok(done.rows_affected())
}
