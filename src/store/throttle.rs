//! Failed logins per address, shared by every instance on the database.

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, Copy, FromRow)]
pub struct Failures {
    pub failures: i64,
    pub last_failure_at: i64,
}

pub async fn get<'e>(db: impl Executor<'e, Database = Db>, email: &str) -> Result<Option<Failures>, sqlx::Error> {
    sqlx::query_as("SELECT failures, last_failure_at FROM login_throttle WHERE email = $1")
        .bind(email)
        .fetch_optional(db)
        .await
}

/// Counts one more failure; failures older than `forget_before` start the count afresh.
pub async fn record_failure<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &str,
    now: i64,
    forget_before: i64,
) -> Result<Failures, sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO login_throttle (email, failures, last_failure_at) VALUES ($1, 1, $2) \
         ON CONFLICT (email) DO UPDATE SET \
           failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           last_failure_at = $2, \
           notified_at = CASE WHEN login_throttle.last_failure_at < $3 THEN NULL ELSE login_throttle.notified_at END \
         RETURNING failures, last_failure_at",
    )
    .bind(email)
    .bind(now)
    .bind(forget_before)
    .fetch_one(db)
    .await
}

/// Claims the one notice mail of a run of failures; `true` for exactly one caller.
pub async fn claim_notice<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE login_throttle SET notified_at = $2 WHERE email = $1 AND notified_at IS NULL")
        .bind(email)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn clear<'e>(db: impl Executor<'e, Database = Db>, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE email = $1").bind(email).execute(db).await?;
    Ok(())
}

pub async fn delete_stale<'e>(db: impl Executor<'e, Database = Db>, before: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM login_throttle WHERE last_failure_at < $1").bind(before).execute(db).await?;
    Ok(result.rows_affected())
}
