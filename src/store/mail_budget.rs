//! The per-address mail budget: how many messages a visitor made us send to an address
//! in the current window.

use sqlx::Executor;

use super::Db;

/// Counts one more message to `address` and returns how many the current window now
/// holds (a window older than `window_secs` starts again at one). One statement, so
/// two requests at once are counted one after the other on both engines.
pub async fn take<'e>(
    db: impl Executor<'e, Database = Db>,
    address: &str,
    now: i64,
    window_secs: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO mail_budget (address, window_start, sent) VALUES ($1, $2, 1) \
         ON CONFLICT (address) DO UPDATE SET \
           sent = CASE WHEN mail_budget.window_start <= $3 THEN 1 ELSE mail_budget.sent + 1 END, \
           window_start = CASE WHEN mail_budget.window_start <= $3 THEN $2 ELSE mail_budget.window_start END \
         RETURNING sent",
    )
    .bind(address)
    .bind(now)
    .bind(now - window_secs)
    .fetch_one(db)
    .await
}

/// Forgets windows that have ended.
pub async fn delete_stale<'e>(db: impl Executor<'e, Database = Db>, before: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM mail_budget WHERE window_start <= $1").bind(before).execute(db).await?;
    Ok(result.rows_affected())
}
