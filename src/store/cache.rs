//! A read cache for the two rows every signed-in request needs (its session and its user),
//! and the grant every use of an app's access token checks,
//! on SQLite only, that serves no row older than the last committed write.
//!
//! Reading them from SQLite costs two hand-offs to sqlx's connection threads per request,
//! most of the time `/api/me` takes. The cache is safe because of how SQLite itself tells
//! its readers of a commit, from any connection of any process (another instance, the
//! operator's `gatehouse user disable`): in WAL mode a commit ends by rewriting the header
//! of the WAL index, at the start of the database's `-shm` file, which every connection
//! maps into memory; a reader starts by reading that header. This process maps the same
//! header, and every lookup first compares it with the one it last saw: any difference
//! empties the cache. So a lookup that starts after a commit has finished always misses
//! and reads the database, as a new read transaction would see the commit; and it costs
//! no system call. Writes that do not touch sessions or users empty it too: that costs a
//! read, never a wrong answer. (Until 2026-12 a lookup asked inotify instead: a system
//! call per request, and a commit's file event came a few microseconds before SQLite
//! published the commit.)
//!
//! The header's layout is part of SQLite's documented file format
//! (<https://www.sqlite.org/walformat.html>). The `-shm` file stays in place while any
//! connection has the database open (the last one to close deletes it), so the cache
//! holds a connection of its own for as long as it lives. Where the header cannot be
//! mapped (another OS, an in-memory database, a database not in WAL mode) there is no
//! cache. No row is used for longer than [`MAX_AGE`] after it was read all the same: a
//! bound on what any mistake here could cost.
//!
//! In one place: what is cached is [`ReadCache`]'s tables (sessions by key, users by id,
//! OpenID Connect grants by id); every cached read goes through `Store::read_through`;
//! what empties it is any change of the WAL index header (or [`MAX_AGE`], or a full
//! table).
//!
//! PostgreSQL instances learn of writes differently: their writers are on other machines,
//! which no local memory can report. There, triggers on the same tables (migration
//! `read_cache_notifications`) `NOTIFY` every instance at commit, and a task per instance
//! ([`listen`]) empties its cache on each notification. The notification reaches the other
//! instances a little after the commit (well under a millisecond on one network), and
//! while the listening connection is down the cache is not used at all. That "little
//! after" holds for the writing instance too, so it also empties its own cache at once
//! (`Store::forget_cached_reads`): when it saves a session, and when an unsafe request
//! ends. A browser's next request then reads what its last one wrote.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Entries per table before the table starts again empty: a bound on memory, not an LRU.
const MAX_ENTRIES: usize = 10_000;

/// How long a row read from the database may be used (see the module's second paragraph).
const MAX_AGE: Duration = Duration::from_secs(1);

/// One generation of cached rows: entries from an older one are never returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

pub struct ReadCache {
    /// The SQLite database's commits (none on PostgreSQL).
    commits: Option<Mutex<commits::Commits>>,
    /// Set while writes may go unseen: on PostgreSQL until the listening connection is up
    /// (and again while it is down). SQLite's header is always there to read.
    failed: AtomicBool,
    generation: AtomicU64,
    pub(super) sessions: Table<String, std::sync::Arc<super::sessions::StoredSession>>,
    pub(super) users: Table<i64, super::users::User>,
    pub(super) grants: Table<String, super::oauth_grants::Grant>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").field("generation", &self.generation.load(Ordering::Relaxed)).finish()
    }
}

impl ReadCache {
    /// Watches the commits to the SQLite database at `database` through `open`, a
    /// connection to it that the cache keeps; `None` where they cannot be watched (see the
    /// module's second paragraph).
    pub fn watch(database: &Path, open: sqlx::AnyConnection) -> Option<Self> {
        let commits = match commits::Commits::watch(database, open) {
            Ok(commits) => commits,
            Err(error) => {
                tracing::info!(error = %error, "no read cache: cannot watch the database's commits");
                return None;
            }
        };
        Some(Self {
            commits: Some(Mutex::new(commits)),
            failed: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            sessions: Table::new(MAX_AGE),
            users: Table::new(MAX_AGE),
            grants: Table::new(MAX_AGE),
        })
    }

    /// A cache told of writes by PostgreSQL notifications ([`listen`]); unused until that
    /// connection is listening.
    pub fn notified() -> Self {
        Self {
            commits: None,
            failed: AtomicBool::new(true),
            generation: AtomicU64::new(0),
            sessions: Table::new(MAX_AGE),
            users: Table::new(MAX_AGE),
            grants: Table::new(MAX_AGE),
        }
    }

    /// The generation a lookup may use, after taking every write reported so far; `None`
    /// while writes may go unseen, when the cache must not be trusted.
    pub fn current(&self) -> Option<Generation> {
        if self.failed.load(Ordering::Acquire) {
            return None;
        }
        if let Some(commits) = &self.commits {
            // Locked until the cache is emptied, so that a lookup on another thread cannot
            // take the new header as already seen while the old rows are still there.
            let mut commits = commits.lock().unwrap_or_else(PoisonError::into_inner);
            if commits.changed() {
                self.invalidate();
            }
        }
        Some(Generation(self.generation.load(Ordering::Acquire)))
    }

    /// After this process wrote: only a notified cache (PostgreSQL) needs telling; on
    /// SQLite the commit rewrote the header before the write returned.
    pub(super) fn written_here(&self) {
        if self.commits.is_none() {
            self.invalidate();
        }
    }

    fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.sessions.clear();
        self.users.clear();
        self.grants.clear();
    }

    /// Whether rows read under `generation` may still be kept.
    fn is_current(&self, generation: Generation) -> bool {
        self.generation.load(Ordering::Acquire) == generation.0
    }
}

/// The PostgreSQL channel the migration's triggers notify on each change to a cached table.
pub const CHANNEL: &str = "gatehouse_read_cache";

/// Keeps `cache` told of every write to the database at `database_url`, for as long as the
/// cache is in use: empties it on each notification, and stops using it while the
/// listening connection is down (notifications sent then are lost).
pub async fn listen(cache: std::sync::Weak<ReadCache>, database_url: String) {
    use sqlx::postgres::PgListener;
    const RETRY: Duration = Duration::from_secs(1);
    loop {
        let listening = async {
            let mut listener = PgListener::connect(&database_url).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = match listening.await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(error = %error, "read cache: cannot listen for changes; reading without the cache");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        // Nothing seen before now counts: start from an empty cache.
        let Some(live) = cache.upgrade() else { return };
        live.invalidate();
        live.failed.store(false, Ordering::Release);
        drop(live);
        loop {
            let notification = listener.try_recv().await;
            let Some(live) = cache.upgrade() else { return };
            live.invalidate();
            if !matches!(notification, Ok(Some(_))) {
                // The connection broke: until a new one listens, a write could go unseen.
                live.failed.store(true, Ordering::Release);
                live.invalidate();
                tracing::warn!(
                    "read cache: the listening connection dropped; reading without the cache until it is back"
                );
                break;
            }
        }
    }
}

/// Rows of one kind, each tagged with the generation it was read in and when.
pub struct Table<K, V> {
    rows: Mutex<HashMap<K, Entry<V>>>,
    max_age: Duration,
}

struct Entry<V> {
    generation: Generation,
    read_at: Instant,
    row: V,
}

impl<K: Eq + Hash, V: Clone> Table<K, V> {
    pub fn new(max_age: Duration) -> Self {
        Self { rows: Mutex::new(HashMap::new()), max_age }
    }

    pub fn get<Q: Eq + Hash + ?Sized>(&self, key: &Q, generation: Generation) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let rows = self.rows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = rows.get(key)?;
        let usable = entry.generation == generation && entry.read_at.elapsed() < self.max_age;
        usable.then(|| entry.row.clone())
    }

    /// Keeps a row read from the database under `generation`, unless a write has been
    /// reported since (the row may predate it).
    pub fn put(&self, cache: &ReadCache, key: K, row: V, generation: Generation) {
        let mut rows = self.rows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !cache.is_current(generation) {
            return;
        }
        if rows.len() >= MAX_ENTRIES {
            rows.clear();
        }
        rows.insert(key, Entry { generation, read_at: Instant::now(), row });
    }

    fn clear(&self) {
        self.rows.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
}

#[cfg(target_os = "linux")]
mod commits {
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;
    use std::path::Path;
    use std::ptr::NonNull;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// The WAL index header, twice (SQLite writes the second copy, then the first), in
    /// 32-bit words: the change counter, the last frame, the salts and checksums. Every
    /// commit changes it.
    const HEADER_WORDS: usize = 24;
    const HEADER_BYTES: usize = HEADER_WORDS * 4;

    /// The WAL index header of one database, mapped read-only from its `-shm` file.
    pub struct Commits {
        header: NonNull<AtomicU32>,
        seen: [u32; HEADER_WORDS],
        /// Keeps the `-shm` file in place: SQLite deletes it when its last connection
        /// closes, and would start a new one that this mapping would not see.
        _open: sqlx::AnyConnection,
    }

    // SAFETY: the mapping belongs to the process, not to a thread, and is only read
    // through atomics; it stays valid until `drop`.
    unsafe impl Send for Commits {}

    impl Commits {
        pub fn watch(database: &Path, open: sqlx::AnyConnection) -> io::Result<Self> {
            // SQLite names the file after the database's full path, links resolved.
            let mut shm = database.canonicalize()?.into_os_string();
            shm.push("-shm");
            let file = File::open(&shm)?;
            if file.metadata()?.len() < HEADER_BYTES as u64 {
                return Err(io::Error::other("the -shm file holds no WAL index"));
            }
            // SAFETY: a new read-only shared mapping of a file we opened, at offset 0 and
            // no longer than the file; no Rust reference to it exists yet. The kernel keeps
            // the mapping after the descriptor is closed. SQLite never shrinks the file while
            // a connection (`open`) has the database open.
            let mapped = unsafe {
                libc::mmap(std::ptr::null_mut(), HEADER_BYTES, libc::PROT_READ, libc::MAP_SHARED, file.as_raw_fd(), 0)
            };
            if mapped == libc::MAP_FAILED {
                return Err(io::Error::last_os_error());
            }
            let header = NonNull::new(mapped.cast::<AtomicU32>()).ok_or_else(|| io::Error::other("mmap gave null"))?;
            let mut commits = Self { header, seen: [0; HEADER_WORDS], _open: open };
            commits.seen = commits.read();
            Ok(commits)
        }

        /// Whether the header differs from when this was last asked: a commit since.
        pub fn changed(&mut self) -> bool {
            let now = self.read();
            let changed = now != self.seen;
            self.seen = now;
            changed
        }

        fn read(&self) -> [u32; HEADER_WORDS] {
            // SAFETY: the mapping is page-aligned and at least HEADER_BYTES long; other
            // processes write it concurrently, so it is read only through atomics.
            std::array::from_fn(|word| unsafe { self.header.add(word).as_ref().load(Ordering::Acquire) })
        }
    }

    impl Drop for Commits {
        fn drop(&mut self) {
            // SAFETY: unmaps exactly what `watch` mapped; nothing reads it after this.
            unsafe { libc::munmap(self.header.as_ptr().cast(), HEADER_BYTES) };
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod commits {
    use std::io;
    use std::path::Path;

    pub struct Commits;

    impl Commits {
        pub fn watch(_database: &Path, _open: sqlx::AnyConnection) -> io::Result<Self> {
            Err(io::Error::other("the commits are only watched on Linux"))
        }

        pub fn changed(&mut self) -> bool {
            true
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use sqlx::{AnyConnection, Connection};

    use super::*;

    /// A connection to `app.db` in a fresh directory, in WAL mode, with one table.
    async fn connect(dir: &Path) -> AnyConnection {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}?mode=rwc", dir.join("app.db").display());
        let mut connection = AnyConnection::connect(&url).await.unwrap();
        sqlx::raw_sql("PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS t (x INTEGER)")
            .execute(&mut connection)
            .await
            .unwrap();
        connection
    }

    async fn write(connection: &mut AnyConnection) {
        sqlx::query("INSERT INTO t (x) VALUES (1)").execute(connection).await.unwrap();
    }

    /// A cache watching a new database, and a second connection to write with.
    async fn watching_a_new_database() -> (tempfile::TempDir, AnyConnection, ReadCache) {
        let dir = tempfile::tempdir().unwrap();
        let kept = connect(dir.path()).await;
        let writer = connect(dir.path()).await;
        let cache = ReadCache::watch(&dir.path().join("app.db"), kept).unwrap();
        (dir, writer, cache)
    }

    #[tokio::test]
    async fn every_commit_by_another_connection_starts_a_new_generation() {
        let (dir, mut writer, cache) = watching_a_new_database().await;
        let first = cache.current().unwrap();
        assert_eq!(cache.current(), Some(first), "nothing written yet");

        for round in 0..3 {
            let before = cache.current().unwrap();
            write(&mut writer).await;
            assert_ne!(cache.current(), Some(before), "commit {round} was missed");
        }
        // A checkpoint that starts the WAL again changes the header too.
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut writer).await.unwrap();
        let before = cache.current().unwrap();
        write(&mut writer).await;
        assert_ne!(cache.current(), Some(before), "the commit after a checkpoint was missed");

        // The writer's connection closing does not end the watch: the cache keeps one open.
        writer.close().await.unwrap();
        let mut next = connect(dir.path()).await;
        let before = cache.current().unwrap();
        write(&mut next).await;
        assert_ne!(cache.current(), Some(before), "a commit by a later connection was missed");
    }

    #[tokio::test]
    async fn a_database_reached_through_a_link_is_watched_where_sqlite_keeps_its_index() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        drop(connect(elsewhere.path()).await);
        std::os::unix::fs::symlink(elsewhere.path().join("app.db"), dir.path().join("app.db")).unwrap();
        let kept = connect(dir.path()).await;
        let mut writer = connect(dir.path()).await;
        let cache = ReadCache::watch(&dir.path().join("app.db"), kept).unwrap();
        let before = cache.current().unwrap();
        write(&mut writer).await;
        assert_ne!(cache.current(), Some(before), "a commit through the link was missed");
    }

    #[tokio::test]
    async fn a_database_not_in_wal_mode_gets_no_cache() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("app.db").display());
        let mut connection = AnyConnection::connect(&url).await.unwrap();
        sqlx::raw_sql("PRAGMA journal_mode = DELETE; CREATE TABLE t (x INTEGER)")
            .execute(&mut connection)
            .await
            .unwrap();
        assert!(ReadCache::watch(&dir.path().join("app.db"), connection).is_none());
    }

    #[tokio::test]
    async fn a_row_is_not_used_after_its_maximum_age_even_with_no_write_reported() {
        let (_dir, _writer, cache) = watching_a_new_database().await;
        let rows = Table::<i64, String>::new(Duration::from_millis(50));
        let generation = cache.current().unwrap();
        rows.put(&cache, 1, "read now".to_owned(), generation);
        assert_eq!(rows.get(&1, generation).as_deref(), Some("read now"));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.current(), Some(generation), "nothing was written");
        assert_eq!(rows.get(&1, generation), None, "too old to be trusted");
    }

    #[tokio::test]
    async fn rows_read_before_a_write_are_not_kept_or_returned() {
        let (_dir, mut writer, cache) = watching_a_new_database().await;
        let rows = Table::<i64, String>::new(MAX_AGE);

        let generation = cache.current().unwrap();
        rows.put(&cache, 1, "before".to_owned(), generation);
        assert_eq!(rows.get(&1, generation).as_deref(), Some("before"));

        write(&mut writer).await;
        let next = cache.current().unwrap();
        assert_eq!(rows.get(&1, next), None);
        // A row read under the old generation arrives late: it must not be kept.
        rows.put(&cache, 2, "late".to_owned(), generation);
        assert_eq!(rows.get(&2, next), None);
    }
}
