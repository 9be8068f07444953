//! Passkeys: each account's WebAuthn credentials, found by their credential id when a
//! browser signs in with one.

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, FromRow)]
pub struct StoredPasskey {
    pub id: i64,
    pub user_id: i64,
    pub credential_id: String,
    pub user_handle: String,
    pub name: String,
    /// webauthn-rs's `Passkey` as JSON (public key, counter, backup flags).
    pub credential: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, credential_id, user_handle, name, credential, created_at, last_used_at";

/// The new passkey; a credential id already registered (to any account) is a unique
/// violation, which the caller turns into a refusal.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Db>,
    new: &StoredPasskey,
) -> Result<StoredPasskey, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO passkeys (user_id, credential_id, user_handle, name, credential, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
    ))
    .bind(new.user_id)
    .bind(&new.credential_id)
    .bind(&new.user_handle)
    .bind(&new.name)
    .bind(&new.credential)
    .bind(new.created_at)
    .fetch_one(db)
    .await
}

/// The user's passkeys, oldest first.
pub async fn for_user<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
) -> Result<Vec<StoredPasskey>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"))
        .bind(user_id)
        .fetch_all(db)
        .await
}

pub async fn by_credential_id<'e>(
    db: impl Executor<'e, Database = Db>,
    credential_id: &str,
) -> Result<Option<StoredPasskey>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = $1"))
        .bind(credential_id)
        .fetch_optional(db)
        .await
}

/// The user handle the account's passkeys share, if it has any.
pub async fn user_handle<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_handle FROM passkeys WHERE user_id = $1 ORDER BY id LIMIT 1")
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Records a use: the credential as updated (counter, backup flags) and the time. Only
/// when it is still as `seen` was read, so two uses racing with the same counter cannot
/// both pass; `false` for the loser (or a passkey deleted meanwhile).
pub async fn record_use<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    seen: &str,
    updated: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE passkeys SET credential = $3, last_used_at = $4 WHERE id = $1 AND credential = $2")
        .bind(id)
        .bind(seen)
        .bind(updated)
        .bind(now)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// `false` when the user has no passkey `id`.
pub async fn rename<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    id: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE passkeys SET name = $3 WHERE id = $2 AND user_id = $1")
        .bind(user_id)
        .bind(id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// `false` when the user has no passkey `id`.
pub async fn delete<'e>(db: impl Executor<'e, Database = Db>, user_id: i64, id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM passkeys WHERE id = $2 AND user_id = $1").bind(user_id).bind(id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count<'e>(db: impl Executor<'e, Database = Db>, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE user_id = $1").bind(user_id).fetch_one(db).await
}
