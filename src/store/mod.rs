//! All SQL lives here. One code path for SQLite and PostgreSQL: queries go through
//! sqlx's `Any` driver with `$n` placeholders and portable SQL; only the migrations
//! differ per engine.

pub mod api_tokens;
pub mod cache;
pub mod events;
pub mod keys;
pub mod outbox;
pub mod refresh_tokens;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

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

impl Default for PoolSettings {
    fn default() -> Self {
        Self { max_connections: 10, acquire_timeout: Duration::from_secs(5) }
    }
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
            // A ping before each use finds dropped network connections; a SQLite file cannot
            // drop, and the ping is a round trip to its worker thread on every query.
            .test_before_acquire(backend == Backend::Postgres)
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

    /// Lets the server keep sessions and users in memory (see [`cache`]): SQLite only.
    pub fn with_read_cache(mut self, database_url: &str) -> Self {
        if self.backend == Backend::Sqlite {
            let file = sqlx::sqlite::SqliteConnectOptions::from_str(database_url).ok();
            self.cache = file.and_then(|options| cache::ReadCache::watch(options.get_filename())).map(Arc::new);
        }
        self
    }

    /// The read cache with the generation a lookup may use now, if this store has one
    /// that can be trusted.
    fn read_cache(&self) -> Option<(&cache::ReadCache, cache::Generation)> {
        let cache = self.cache.as_deref()?;
        Some((cache, cache.current()?))
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("DATABASE_URL: applying migrations failed")
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up front:
    /// a deferred transaction that reads and then writes fails (SQLITE_BUSY_SNAPSHOT) when
    /// another connection wrote in between, instead of waiting its turn.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
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

/// Whether an error is a unique-constraint violation (a duplicate that the caller can explain).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
