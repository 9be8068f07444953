//! The tower-sessions store: server-side sessions in the application's own database,
//! with the user id, device and times in columns so a user's sessions can be listed
//! and revoked at once.

use std::sync::Arc;

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Executor, FromRow};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::{Db, Store, now};
use crate::domain::{AuthSession, SessionPolicy};

/// A read refreshes `last_seen_at` at most this often, so most requests only read.
const TOUCH_INTERVAL_SECS: i64 = 60;

#[derive(Debug, Clone)]
pub struct SqlSessionStore {
    store: Store,
    pool: AnyPool,
}

impl SqlSessionStore {
    pub fn new(store: Store) -> Self {
        Self { pool: store.pool().clone(), store }
    }

    /// The session under `id` while it lasts (one that has lapsed is deleted), shared with
    /// the read cache rather than copied: a signed-in request reads one value of it. Reading
    /// keeps a session alive too, with a write at most once a minute.
    pub async fn find_live(&self, id: &Id) -> session_store::Result<Option<Arc<StoredSession>>> {
        let key = id_hash(id);
        let Some(session) = self.find(&key).await? else { return Ok(None) };
        let now = now();
        if now >= session.expires_at || now >= session.last_seen_at + session.idle_timeout {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(&key)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
            self.store.forget_cached_reads();
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_INTERVAL_SECS {
            sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
                .bind(&key)
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
            self.store.forget_cached_reads();
        }
        Ok(Some(session))
    }

    /// The stored session, from the read cache when it has it.
    async fn find(&self, key: &str) -> session_store::Result<Option<Arc<StoredSession>>> {
        self.store.read_through(|cache| &cache.sessions, key, self.read(key)).await
    }

    async fn read(&self, key: &str) -> session_store::Result<Option<Arc<StoredSession>>> {
        let row: Option<Row> =
            sqlx::query_as("SELECT data, last_seen_at, idle_timeout, expires_at FROM sessions WHERE id_hash = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Arc::new(StoredSession {
            data: serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))?,
            last_seen_at: row.last_seen_at,
            idle_timeout: row.idle_timeout,
            expires_at: row.expires_at,
        })))
    }
}

/// The database never sees a usable session id: a stolen dump cannot be replayed as cookies.
/// The hash is of the id as the cookie carries it (22 characters of base64), built on the
/// stack: this runs on every signed-in request.
pub fn id_hash(id: &Id) -> String {
    use std::io::Write;
    let mut cookie_value = [0u8; 22];
    write!(&mut cookie_value[..], "{id}").expect("a session id is 22 characters");
    let mut hex = [0u8; 64];
    hex::encode_to_slice(Sha256::digest(cookie_value), &mut hex).expect("a SHA-256 is 32 bytes");
    String::from_utf8(hex.to_vec()).expect("hex digits are ASCII")
}

/// The columns a session's data fills in.
struct Columns {
    user_id: Option<i64>,
    policy: SessionPolicy,
    ip: String,
    user_agent: String,
}

impl Columns {
    fn of(record: &Record) -> Self {
        let auth = record
            .data
            .get(AuthSession::KEY)
            .and_then(|value| serde_json::from_value::<AuthSession>(value.clone()).ok());
        match auth {
            Some(auth) => {
                Self { user_id: Some(auth.user_id), policy: auth.policy(), ip: auth.ip, user_agent: auth.user_agent }
            }
            None => {
                Self { user_id: None, policy: SessionPolicy::BROWSER, ip: String::new(), user_agent: String::new() }
            }
        }
    }
}

/// tower-sessions carries a store's errors as text only, so "worth retrying" is written
/// into that text here and read back by [`is_unavailable`], and nowhere else.
const UNAVAILABLE: &str = "database unavailable: ";

fn backend(error: sqlx::Error) -> session_store::Error {
    let prefix = if super::is_unavailable(&error) { UNAVAILABLE } else { "" };
    session_store::Error::Backend(format!("{prefix}{error}"))
}

/// Whether a session store error came from a database that is down or busy (answered
/// `503`, not `500`).
pub fn is_unavailable(error: &session_store::Error) -> bool {
    matches!(error, session_store::Error::Backend(message) if message.starts_with(UNAVAILABLE))
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[derive(FromRow)]
struct Row {
    data: String,
    last_seen_at: i64,
    idle_timeout: i64,
    expires_at: i64,
}

/// A session as loaded, parsed once (and kept so by the read cache).
#[derive(Debug)]
pub struct StoredSession {
    data: std::collections::HashMap<String, serde_json::Value>,
    last_seen_at: i64,
    idle_timeout: i64,
    expires_at: i64,
}

impl StoredSession {
    /// One value of the session's data, as tower-sessions keeps it under `key`.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.data.get(key)
    }
}

#[async_trait]
impl SessionStore for SqlSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let columns = Columns::of(record);
        let data = encode(record)?;
        let now = now();
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id_hash, user_id, data, created_at, last_seen_at, idle_timeout, expires_at, ip, user_agent) \
                 VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8) ON CONFLICT (id_hash) DO NOTHING",
            )
            .bind(id_hash(&record.id))
            .bind(columns.user_id)
            .bind(&data)
            .bind(now)
            .bind(columns.policy.idle.whole_seconds())
            .bind(now + columns.policy.absolute.whole_seconds())
            .bind(&columns.ip)
            .bind(&columns.user_agent)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                self.store.forget_cached_reads();
                return Ok(());
            }
            // 128 random bits collided: astronomically unlikely, but never share a session.
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let columns = Columns::of(record);
        let updated = sqlx::query("UPDATE sessions SET data = $2, user_id = $3 WHERE id_hash = $1")
            .bind(id_hash(&record.id))
            .bind(encode(record)?)
            .bind(columns.user_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        self.store.forget_cached_reads();
        if updated.rows_affected() == 0 {
            // The session was revoked while this request ran: it must stay ended.
            tracing::debug!("not saving a session that no longer exists");
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(session) = self.find_live(id).await? else { return Ok(None) };
        let expiry = (now() + session.idle_timeout).min(session.expires_at);
        let expiry_date =
            OffsetDateTime::from_unix_timestamp(expiry).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data: session.data.clone(), expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash(id))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        self.store.forget_cached_reads();
        Ok(())
    }
}

/// An active session as its owner sees it in the list.
#[derive(Debug, Clone, FromRow)]
pub struct ActiveSession {
    pub id_hash: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
}

pub async fn list_for_user<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    now: i64,
) -> Result<Vec<ActiveSession>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id_hash, created_at, last_seen_at, ip, user_agent FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at + idle_timeout > $2 \
         ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(db)
    .await
}

/// The key of the user's session whose sign-in carries `sid` ([`AuthSession::sid`]).
pub async fn key_of_sid<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    sid: &str,
) -> Result<Option<String>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id_hash, data FROM sessions WHERE user_id = $1").bind(user_id).fetch_all(db).await?;
    Ok(rows.into_iter().find_map(|(key, data)| {
        let data: serde_json::Value = serde_json::from_str(&data).ok()?;
        (data[AuthSession::KEY]["sid"].as_str() == Some(sid)).then_some(key)
    }))
}

/// Ends one session of a user; `false` if the user has no such session.
pub async fn delete_one<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    id_hash: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash = $2")
        .bind(user_id)
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Ends all but the `keep` most recently used sessions of a user; returns how many ended.
pub async fn keep_most_recent<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    keep: i64,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND id_hash NOT IN \
         (SELECT id_hash FROM sessions WHERE user_id = $1 ORDER BY last_seen_at DESC, created_at DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(keep)
    .execute(db)
    .await?;
    Ok(result.rows_affected())
}

pub async fn delete_others<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    keep: &str,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// Ends every session of a user, e.g. after a password change elsewhere.
pub async fn delete_for_user<'e>(db: impl Executor<'e, Database = Db>, user_id: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(db).await?;
    Ok(result.rows_affected())
}

pub async fn delete_expired<'e>(db: impl Executor<'e, Database = Db>, now: i64) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at + idle_timeout <= $1")
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_key_is_the_sha256_of_the_cookie_value_in_hex() {
        for id in [Id(0), Id(1), Id(-1), Id(i128::MAX), Id::default()] {
            let expected = hex::encode(Sha256::digest(id.to_string().as_bytes()));
            assert_eq!(id_hash(&id), expected, "{id}");
        }
    }
}
