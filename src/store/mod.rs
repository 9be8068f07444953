//! All SQL lives here. One code path for SQLite and PostgreSQL: queries go through
//! sqlx's `Any` driver with `$n` placeholders and portable SQL; only the migrations
//! differ per engine.

pub mod api_tokens;
pub mod cache;
pub mod events;
pub mod invitations;
pub mod keys;
pub mod known_devices;
pub mod links;
pub mod login_codes;
pub mod mail_budget;
pub mod mail_requests;
pub mod oauth;
pub mod oauth_grants;
pub mod outbox;
pub mod passkeys;
pub mod refresh_tokens;
pub mod roles;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod two_factor;
pub mod users;

use std::cell::Cell;
use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};

pub type Db = sqlx::Any;
pub type Tx = sqlx::Transaction<'static, Db>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How many connections to keep, and how long a request may wait for one.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl PoolSettings {
    pub const DEFAULT_MAX_CONNECTIONS: u32 = 10;
    pub const DEFAULT_ACQUIRE_TIMEOUT_SECS: u64 = 5;
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            acquire_timeout: Duration::from_secs(Self::DEFAULT_ACQUIRE_TIMEOUT_SECS),
        }
    }
}

/// How long a PostgreSQL connection may sit unused before it is pinged ahead of its next use.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

tokio::task_local! {
    /// The read-cache generation of a [`Store::snapshot`], once its first cached read took it.
    static SNAPSHOT: Cell<Option<cache::Generation>>;
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    cache: Option<Arc<cache::ReadCache>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Opens the database named by `DATABASE_URL` (creating a SQLite file if needed).
    pub async fn connect(database_url: &str, settings: PoolSettings) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if database_url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
        let url = match backend {
            Backend::Sqlite => with_create_mode(database_url),
            Backend::Postgres => database_url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url).context("DATABASE_URL is not a valid database URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.acquire_timeout)
            // A ping finds network connections that were dropped while they sat idle (by a
            // firewall, a restart): a PostgreSQL connection idle for a while is pinged before
            // use. One in constant use is not: that ping added a round trip to every query
            // (sqlx pings again when a connection is returned, which finds broken ones).
            // A SQLite file cannot drop, and its ping is a hand-off to a thread.
            .test_before_acquire(false)
            .before_acquire(move |conn, meta| {
                Box::pin(async move {
                    if backend == Backend::Postgres && meta.idle_for >= PING_AFTER_IDLE {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; NORMAL is durable in WAL mode
                        // except for the last transactions on power loss, never corrupt.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .context("DATABASE_URL: cannot open the database")?;
        Ok(Self { pool, backend, cache: None })
    }

    /// Lets the server keep sessions and users in memory (see [`cache`]), told of writes by
    /// SQLite's WAL index or by PostgreSQL's notifications (a task that ends with the
    /// store).
    pub async fn with_read_cache(mut self, database_url: &str) -> Self {
        self.cache = match self.backend {
            Backend::Sqlite => self.watch_sqlite(database_url).await.map(Arc::new),
            Backend::Postgres => {
                let cache = Arc::new(cache::ReadCache::notified());
                tokio::spawn(cache::listen(Arc::downgrade(&cache), database_url.to_owned()));
                Some(cache)
            }
        };
        self
    }

    /// A read cache watching the commits to the SQLite database, through a connection of
    /// its own, out of the pool (which opens another). Its first read opens the WAL index
    /// (the `-shm` file), if no connection has yet.
    async fn watch_sqlite(&self, database_url: &str) -> Option<cache::ReadCache> {
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(database_url).ok()?;
        let mut open = self.pool.acquire().await.ok()?.detach();
        sqlx::query("SELECT count(*) FROM sqlite_master").fetch_one(&mut open).await.ok()?;
        cache::ReadCache::watch(options.get_filename(), open)
    }

    /// The read cache with the generation a lookup may use now, if this store has one
    /// that can be trusted: the one the [`Store::snapshot`] around this lookup already
    /// took, else a fresh look at the database's writes.
    fn read_cache(&self) -> Option<(&cache::ReadCache, cache::Generation)> {
        let cache = self.cache.as_deref()?;
        let generation = match SNAPSHOT.try_with(Cell::get) {
            Ok(Some(taken)) => taken,
            Ok(None) => {
                let generation = cache.current()?;
                SNAPSHOT.with(|snapshot| snapshot.set(Some(generation)));
                generation
            }
            Err(_outside_any_snapshot) => cache.current()?,
        };
        Some((cache, generation))
    }

    /// The one way a row is read through the read cache: the cached row when the current
    /// generation has it, else `read`'s, kept for the next lookup. Without a cache (on
    /// PostgreSQL, or when the watcher failed) it is just `read`.
    pub(super) async fn read_through<K, Q, V, E>(
        &self,
        table: fn(&cache::ReadCache) -> &cache::Table<K, V>,
        key: &Q,
        read: impl Future<Output = Result<Option<V>, E>>,
    ) -> Result<Option<V>, E>
    where
        K: Eq + std::hash::Hash + std::borrow::Borrow<Q>,
        Q: Eq + std::hash::Hash + ToOwned<Owned = K> + ?Sized,
        V: Clone,
    {
        let Some((cache, generation)) = self.read_cache() else { return read.await };
        if let Some(row) = table(cache).get(key, generation) {
            return Ok(Some(row));
        }
        let row = read.await?;
        if let Some(row) = &row {
            table(cache).put(cache, key.to_owned(), row.clone(), generation);
        }
        Ok(row)
    }

    /// Drops what the read cache holds, after this instance wrote: PostgreSQL's
    /// notification of the write comes a little later, and the writer's next reads must
    /// see it already. (SQLite's WAL index shows a commit before the write returns.)
    pub fn forget_cached_reads(&self) {
        if let Some(cache) = &self.cache {
            cache.written_here();
        }
    }

    /// Runs `lookups` with one look at the database's writes for all their cached reads
    /// (a signed-in request reads its session, then its user), taken by the first: they
    /// see the database as it was then, as one read transaction would, and pay for one
    /// look instead of one each, or none if they read nothing. Writes made inside are not
    /// seen by the reads after them.
    pub async fn snapshot<F: Future>(&self, lookups: F) -> F::Output {
        SNAPSHOT.scope(Cell::new(None), lookups).await
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("DATABASE_URL: applying migrations failed")
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up front:
    /// a deferred transaction that reads and then writes fails (SQLITE_BUSY_SNAPSHOT) when
    /// another connection wrote in between, instead of waiting its turn.
    ///
    /// Cancel-safe: a request's future may be dropped at any await (its client went away).
    /// sqlx 0.8's `begin` is not: dropped after `BEGIN` ran but before it returned its
    /// `Transaction`, it left the pooled connection inside a transaction that nothing
    /// would end — on SQLite holding the write lock for good. So `BEGIN` runs in a task of
    /// its own, which always finishes: if the request is gone by then, the `Transaction`
    /// is dropped in that task, and sqlx rolls a dropped `Transaction` back. Once the
    /// caller holds the `Transaction`, dropping it at any later await rolls back too.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        let (pool, backend) = (self.pool.clone(), self.backend);
        let begun = tokio::spawn(async move {
            match backend {
                Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
                Backend::Postgres => pool.begin().await,
            }
        });
        begun.await.map_err(|failed| sqlx::Error::Io(std::io::Error::other(failed)))?
    }

    /// Proves the database takes a write, without keeping it.
    pub async fn check_writable(&self) -> Result<(), sqlx::Error> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO signing_keys (name, secret, created_at) VALUES ('healthz', '', 0) \
             ON CONFLICT (name) DO UPDATE SET created_at = 0",
        )
        .execute(&mut *tx)
        .await?;
        tx.rollback().await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// sqlx opens SQLite files read-write but does not create them unless asked.
/// The file a `sqlite://` URL names; `None` for other databases (and in-memory SQLite).
pub fn sqlite_file(database_url: &str) -> Option<std::path::PathBuf> {
    if !database_url.starts_with("sqlite:") {
        return None;
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(database_url).ok()?;
    let file = options.get_filename();
    (file != std::path::Path::new(":memory:")).then(|| file.to_path_buf())
}

/// The database URL as it may be shown: without a password.
pub fn describe_url(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => database_url.to_owned(),
    }
}

fn with_create_mode(url: &str) -> String {
    if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// The current time as stored in the database: Unix seconds, UTC.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether the database is unreachable, restarting, or (SQLite) locked past the busy
/// timeout: the request may succeed if tried again, so it is answered 503, not 500.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code();
            // SQLite: SQLITE_BUSY and its extended codes. PostgreSQL: class 08 (connection
            // exception) and 57P01-57P03 (the server is shutting down or starting up).
            matches!(code.as_deref(), Some("5" | "517" | "261" | "57P01" | "57P02" | "57P03"))
                || code.is_some_and(|code| code.starts_with("08"))
                || db.message().contains("database is locked")
        }
        _ => false,
    }
}

/// Whether an error is a unique-constraint violation (a duplicate that the caller can explain).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    async fn email_of_user_1(store: &Store) -> String {
        users::find_by_id_cached(store, 1).await.unwrap().unwrap().email
    }

    #[tokio::test]
    async fn reads_in_one_snapshot_see_the_database_as_it_began_and_the_next_one_sees_more() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("app.db").display());
        let store = Store::connect(&url, PoolSettings::default()).await.unwrap().with_read_cache(&url).await;
        store.migrate().await.unwrap();
        let email = crate::domain::Email::parse("ada@example.com").unwrap();
        users::insert_if_new(store.pool(), &email, "x", 0).await.unwrap();
        let mut other = sqlx::AnyConnection::connect(&url).await.unwrap();

        let (first, second) = store
            .snapshot(async {
                let first = email_of_user_1(&store).await;
                sqlx::query("UPDATE users SET email = 'bea@example.com'").execute(&mut other).await.unwrap();
                (first, email_of_user_1(&store).await)
            })
            .await;
        assert_eq!((first.as_str(), second.as_str()), ("ada@example.com", "ada@example.com"));

        let next = store.snapshot(email_of_user_1(&store)).await;
        assert_eq!(next, "bea@example.com", "a snapshot begun after the write must see it");
        assert_eq!(email_of_user_1(&store).await, "bea@example.com", "and so must a lookup outside any snapshot");
    }
}

#[cfg(test)]
mod query_plans {
    use super::*;

    /// Every lookup by one column that the store makes. A scan would cost in proportion to
    /// the users; bench/run measures the same with a million of them on PostgreSQL.
    const LOOKUPS: [(&str, &str); 12] = [
        ("users", "id"),
        ("users", "email"),
        ("sessions", "id_hash"),
        ("sessions", "user_id"),
        ("email_tokens", "selector"),
        ("api_tokens", "selector"),
        ("api_tokens", "user_id"),
        ("refresh_tokens", "selector"),
        ("login_throttle", "email"),
        ("account_events", "user_id"),
        ("outbox", "recipient"),
        ("signing_keys", "name"),
    ];

    #[tokio::test]
    async fn every_lookup_by_key_searches_an_index_instead_of_scanning_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("app.db").display());
        let store = Store::connect(&url, PoolSettings::default()).await.unwrap();
        store.migrate().await.unwrap();
        for (table, column) in LOOKUPS {
            let plan: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(&format!("EXPLAIN QUERY PLAN SELECT * FROM {table} WHERE {column} = $1"))
                    .bind("x")
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            let steps: Vec<&str> = plan.iter().map(|(.., detail)| detail.as_str()).collect();
            assert!(
                steps.iter().all(|step| step.starts_with("SEARCH ")),
                "{table}.{column} is not looked up by index: {steps:?}"
            );
        }
    }
}
