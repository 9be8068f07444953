//! Requests for mail worked off the request path (see `accounts::deferred`).

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, FromRow)]
pub struct MailRequest {
    pub id: i64,
    pub kind: String,
    pub email: String,
}

pub async fn insert<'e>(
    db: impl Executor<'e, Database = Db>,
    kind: &str,
    email: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO mail_requests (kind, email, created_at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(email)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Leases up to `limit` requests to this worker for `lease_secs` (as `outbox::claim_due`).
pub async fn claim<'e>(
    db: impl Executor<'e, Database = Db>,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<MailRequest>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE mail_requests SET locked_until = $2 \
         WHERE id IN (SELECT id FROM mail_requests WHERE locked_until IS NULL OR locked_until <= $1 \
                      ORDER BY id LIMIT $3) \
           AND (locked_until IS NULL OR locked_until <= $1) \
         RETURNING id, kind, email",
    )
    .bind(now)
    .bind(now + lease_secs)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn delete<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mail_requests WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}
