use sqlx::{Executor, FromRow};

use super::Db;
use crate::domain::Email;

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    pub last_login_ip: Option<String>,
    /// Failed logins since the last successful one.
    pub failed_logins: i64,
    pub disabled_at: Option<i64>,
    /// When two-step login was turned on; `None` while it is off.
    pub two_factor_since: Option<i64>,
}

impl User {
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    pub fn has_two_factor(&self) -> bool {
        self.two_factor_since.is_some()
    }

    /// The stored address as an `Email` (it was parsed before it was stored).
    pub fn address(&self) -> anyhow::Result<Email> {
        Email::parse(&self.email).map_err(|_| anyhow::anyhow!("stored email of user {} is invalid", self.id))
    }
}

const COLUMNS: &str = "id, email, password_hash, email_verified_at, created_at, last_login_at, last_login_ip, failed_logins, disabled_at, two_factor_since";

/// Inserts a user unless the address is taken; `None` means it was.
pub async fn insert_if_new<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &Email,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

pub async fn find_by_email<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &Email,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
        .bind(email.as_str())
        .fetch_optional(db)
        .await
}

/// The user with this id, from the read cache when it has them.
pub async fn find_by_id_cached(store: &super::Store, id: i64) -> Result<Option<User>, sqlx::Error> {
    store.read_through(|cache| &cache.users, &id, find_by_id(store.pool(), id)).await
}

pub async fn find_by_id<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(db).await
}

/// Marks the address verified, but only if it is still the account's address.
pub async fn mark_verified<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $1 AND email = $2",
    )
    .bind(id)
    .bind(email)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn set_password_hash<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1").bind(id).bind(password_hash).execute(db).await?;
    Ok(())
}

pub async fn record_login<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    ip: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = $2, last_login_ip = $3, failed_logins = 0 WHERE id = $1")
        .bind(id)
        .bind(now)
        .bind(ip)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn record_failed_login<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

/// Sets a new, confirmed address. A unique violation means another account has it now.
pub async fn change_email<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    new_email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1")
        .bind(id)
        .bind(new_email)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes the account; its tokens, sessions and activity go with it (foreign keys cascade).
pub async fn delete<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(db).await?;
    Ok(result.rows_affected() == 1)
}

/// Every account, oldest first, optionally only the unverified ones.
pub async fn list<'e>(db: impl Executor<'e, Database = Db>, unverified_only: bool) -> Result<Vec<User>, sqlx::Error> {
    let filter = if unverified_only { "WHERE email_verified_at IS NULL" } else { "" };
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users {filter} ORDER BY id")).fetch_all(db).await
}

/// Disables (`Some(now)`) or enables (`None`) an account.
pub async fn set_disabled<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1").bind(id).bind(at).execute(db).await?;
    Ok(())
}

/// Inserts an account created by an operator; `None` if the address is taken.
pub async fn insert_verified<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &Email,
    password_hash: &str,
    verified_at: Option<i64>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, email_verified_at, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.as_str())
    .bind(password_hash)
    .bind(verified_at)
    .bind(now)
    .fetch_optional(db)
    .await
}
