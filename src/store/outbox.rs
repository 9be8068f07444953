use sqlx::{Executor, FromRow};

use super::Db;

/// A message waiting in (or sent from) the outbox.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub attempts: i64,
}

pub async fn enqueue<'e>(
    db: impl Executor<'e, Database = Db>,
    recipient: &str,
    subject: &str,
    body_text: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body_text, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body_text)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Leases up to `limit` due messages to this worker for `lease_secs`.
///
/// The outer `WHERE` repeats the conditions so that, on PostgreSQL, a second instance
/// blocked on the same rows re-checks them after the first commits and skips them.
pub async fn claim_due<'e>(
    db: impl Executor<'e, Database = Db>,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<OutboxMessage>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE outbox SET locked_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
                      AND (locked_until IS NULL OR locked_until <= $1) ORDER BY id LIMIT $3) \
           AND sent_at IS NULL AND (locked_until IS NULL OR locked_until <= $1) \
         RETURNING id, recipient, subject, body_text, attempts",
    )
    .bind(now)
    .bind(now + lease_secs)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// A row of the outbox as operators see it.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxEntry {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Messages not yet sent, oldest first.
pub async fn pending<'e>(db: impl Executor<'e, Database = Db>) -> Result<Vec<OutboxEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, recipient, subject, created_at, attempts, next_attempt_at, sent_at, last_error \
         FROM outbox WHERE sent_at IS NULL ORDER BY id",
    )
    .fetch_all(db)
    .await
}

/// Makes every waiting message due now (after an SMTP outage was fixed).
pub async fn retry_now<'e>(db: impl Executor<'e, Database = Db>, now: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE sent_at IS NULL AND next_attempt_at > $1")
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// How many messages wait, and since when the oldest does: for alerting.
pub async fn depth<'e>(db: impl Executor<'e, Database = Db>) -> Result<(i64, Option<i64>), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sent_at IS NULL").fetch_one(db).await
}

/// Records delivery and drops the body: it may hold a live link, and it is not needed again.
pub async fn mark_sent<'e>(db: impl Executor<'e, Database = Db>, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET sent_at = $2, locked_until = NULL, body_text = '', last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn mark_failed<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    next_attempt_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET next_attempt_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1")
        .bind(id)
        .bind(next_attempt_at)
        .bind(error)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_sent_before<'e>(db: impl Executor<'e, Database = Db>, cutoff: i64) -> Result<u64, sqlx::Error> {
    let result =
        sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1").bind(cutoff).execute(db).await?;
    Ok(result.rows_affected())
}

/// Drops mail not yet sent to an address, e.g. when its account is deleted.
pub async fn delete_unsent_to<'e>(db: impl Executor<'e, Database = Db>, recipient: &str) -> Result<u64, sqlx::Error> {
    let result =
        sqlx::query("DELETE FROM outbox WHERE recipient = $1 AND sent_at IS NULL").bind(recipient).execute(db).await?;
    Ok(result.rows_affected())
}
