//! Accounts linked to another OpenID Connect provider's subjects.

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, FromRow)]
pub struct Link {
    pub provider: String,
    pub subject: String,
    pub user_id: i64,
    pub email: String,
    pub created_at: i64,
}

const COLUMNS: &str = "provider, subject, user_id, email, created_at";

pub async fn find<'e>(
    db: impl Executor<'e, Database = Db>,
    provider: &str,
    subject: &str,
) -> Result<Option<Link>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM external_links WHERE provider = $1 AND subject = $2"))
        .bind(provider)
        .bind(subject)
        .fetch_optional(db)
        .await
}

/// A unique violation when the subject is linked already, or the account has a link to
/// this provider already; the caller turns it into a refusal.
pub async fn insert<'e>(db: impl Executor<'e, Database = Db>, link: &Link) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("INSERT INTO external_links ({COLUMNS}) VALUES ($1, $2, $3, $4, $5)"))
        .bind(&link.provider)
        .bind(&link.subject)
        .bind(link.user_id)
        .bind(&link.email)
        .bind(link.created_at)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn for_user<'e>(db: impl Executor<'e, Database = Db>, user_id: i64) -> Result<Vec<Link>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM external_links WHERE user_id = $1 ORDER BY provider"))
        .bind(user_id)
        .fetch_all(db)
        .await
}

/// `false` when the account had no link to the provider.
pub async fn delete<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    provider: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM external_links WHERE user_id = $1 AND provider = $2")
        .bind(user_id)
        .bind(provider)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
