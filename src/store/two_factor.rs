//! Two-step login: the TOTP secret (pending until confirmed), the last accepted step,
//! the recovery codes, and the `users.two_factor_since` flag that says it is on.

use sqlx::{AnyConnection, Executor, FromRow};

use super::Db;

#[derive(Debug, FromRow)]
pub struct PendingSecret {
    /// As stored: sealed when a `SECRET_KEY_FILE` is set.
    pub secret: String,
    pub created_at: i64,
}

/// Keeps a new secret for the user to confirm, replacing an unconfirmed one; `false`
/// when two-step login is already on (an active secret is never overwritten).
pub async fn save_pending<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    secret: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let saved = sqlx::query(
        "INSERT INTO totp_secrets (user_id, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, created_at = $3, last_step = 0 \
         WHERE totp_secrets.confirmed_at IS NULL",
    )
    .bind(user_id)
    .bind(secret)
    .bind(now)
    .execute(db)
    .await?;
    Ok(saved.rows_affected() == 1)
}

pub async fn pending<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
) -> Result<Option<PendingSecret>, sqlx::Error> {
    sqlx::query_as("SELECT secret, created_at FROM totp_secrets WHERE user_id = $1 AND confirmed_at IS NULL")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Turns the pending `secret` on, with `step` as its first accepted step; `false` when
/// it is no longer the pending one (another tab replaced or confirmed it).
pub async fn confirm(
    conn: &mut AnyConnection,
    user_id: i64,
    secret: &str,
    step: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let confirmed = sqlx::query(
        "UPDATE totp_secrets SET confirmed_at = $3, last_step = $4 \
         WHERE user_id = $1 AND secret = $2 AND confirmed_at IS NULL",
    )
    .bind(user_id)
    .bind(secret)
    .bind(now)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    if confirmed.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET two_factor_since = $2 WHERE id = $1")
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// The active secret, as stored.
pub async fn active_secret<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT secret FROM totp_secrets WHERE user_id = $1 AND confirmed_at IS NOT NULL")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Takes `step` as used: `true` for exactly one caller, and only if no step at or after
/// it was taken before (a replayed or older code gets `false`).
pub async fn take_step<'e>(db: impl Executor<'e, Database = Db>, user_id: i64, step: i64) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "UPDATE totp_secrets SET last_step = $2 WHERE user_id = $1 AND confirmed_at IS NOT NULL AND last_step < $2",
    )
    .bind(user_id)
    .bind(step)
    .execute(db)
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Replaces the user's recovery codes with `hashes`: the old set stops working.
pub async fn replace_recovery_codes(
    conn: &mut AnyConnection,
    user_id: i64,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Uses a recovery code up: `true` for exactly one caller, however many race.
pub async fn use_recovery_code<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let used =
        sqlx::query("UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL")
            .bind(user_id)
            .bind(hash)
            .bind(now)
            .execute(db)
            .await?;
    Ok(used.rows_affected() == 1)
}

pub async fn recovery_codes_left<'e>(db: impl Executor<'e, Database = Db>, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(db)
        .await
}

/// Turns two-step login off: the secret, the codes and the flag go together. `false`
/// when it was not on.
pub async fn remove(conn: &mut AnyConnection, user_id: i64) -> Result<bool, sqlx::Error> {
    let was_on = sqlx::query("UPDATE users SET two_factor_since = NULL WHERE id = $1 AND two_factor_since IS NOT NULL")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM totp_secrets WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(was_on.rows_affected() == 1)
}
