//! Browsers that signed in to an account before ([`crate::accounts::devices`]).

use sqlx::AnyConnection;

/// The most browsers remembered per account; the first seen are forgotten first.
pub const KEEP: i64 = 200;

/// Remembers the browser; `true` when it was new to the account.
pub async fn remember(
    conn: &mut AnyConnection,
    user_id: i64,
    device_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO known_devices (user_id, device_hash, first_seen_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, device_hash) DO NOTHING",
    )
    .bind(user_id)
    .bind(device_hash)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Forgets all but the [`KEEP`] browsers seen most recently first.
pub async fn forget_oldest(conn: &mut AnyConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM known_devices WHERE user_id = $1 AND device_hash NOT IN \
         (SELECT device_hash FROM known_devices WHERE user_id = $1 ORDER BY first_seen_at DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(KEEP)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn is_known(conn: &mut AnyConnection, user_id: i64, device_hash: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM known_devices WHERE user_id = $1 AND device_hash = $2")
        .bind(user_id)
        .bind(device_hash)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

pub async fn count(conn: &mut AnyConnection, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM known_devices WHERE user_id = $1").bind(user_id).fetch_one(conn).await
}
