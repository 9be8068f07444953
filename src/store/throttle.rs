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

/// Claims one attempt on `key` before it is made, when `wait` (given the failures so far)
/// says none is due: the attempt counts as a failure until [`clear`] forgets it. The look
/// and the count are one atomic step across instances (compare-and-set on the count), so
/// concurrent attempts cannot all pass the look before any is counted. `Err` is the wait.
pub async fn claim_attempt(
    pool: &sqlx::AnyPool,
    key: &str,
    now: i64,
    forget_before: i64,
    wait: impl Fn(Option<Failures>) -> Option<u64>,
) -> Result<Result<(), u64>, sqlx::Error> {
    // Each lost race means another attempt was counted; a few in a row are plenty.
    for _ in 0..16 {
        let current = get(pool, key).await?;
        if let Some(wait) = wait(current) {
            return Ok(Err(wait));
        }
        let claimed = match current {
            None => sqlx::query(
                "INSERT INTO login_throttle (email, failures, last_failure_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (email) DO NOTHING",
            )
            .bind(key)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected(),
            Some(seen) => {
                let failures = if seen.last_failure_at < forget_before { 1 } else { seen.failures + 1 };
                sqlx::query(
                    "UPDATE login_throttle SET failures = $2, last_failure_at = $3 \
                     WHERE email = $1 AND failures = $4 AND last_failure_at = $5",
                )
                .bind(key)
                .bind(failures)
                .bind(now)
                .bind(seen.failures)
                .bind(seen.last_failure_at)
                .execute(pool)
                .await?
                .rows_affected()
            }
        };
        if claimed == 1 {
            return Ok(Ok(()));
        }
    }
    // So many attempts at once: refuse this one for now rather than let it through.
    Ok(Err(1))
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
