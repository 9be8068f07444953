use sqlx::Executor;

use super::Db;

/// Returns the key stored under `name`, storing `fresh` first if there is none yet.
/// Every instance on one database thus agrees on the same key with no setting.
pub async fn get_or_create<'e, E>(db: E, name: &str, fresh: &str, now: i64) -> Result<String, sqlx::Error>
where
    E: Executor<'e, Database = Db> + Copy,
{
    sqlx::query(
        "INSERT INTO signing_keys (name, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(fresh)
    .bind(now)
    .execute(db)
    .await?;
    sqlx::query_scalar("SELECT secret FROM signing_keys WHERE name = $1").bind(name).fetch_one(db).await
}
