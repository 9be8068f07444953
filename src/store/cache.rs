//! A read cache for the two rows every signed-in request needs (its session and its user),
//! and the grant every use of an app's access token checks,
//! on SQLite only, that serves no row older than the last committed write (but for the
//! one moment described last, which it bounds to a second).
//!
//! Reading them from SQLite costs two hand-offs to sqlx's connection threads per request,
//! most of the time `/api/me` takes. The cache is safe because SQLite writes every commit,
//! from any connection of any process (another instance, the operator's `gatehouse user
//! disable`), to the database's files before the commit returns, and the kernel queues an
//! inotify event for each such write before the `write` call returns. Every lookup first
//! takes the events queued so far; any event for the database's files empties the cache.
//! So a lookup that starts after a commit has finished always misses and reads the database.
//! Writes that do not touch sessions or users empty it too: that costs a read, never a
//! wrong answer.
//!
//! One moment escapes the events: SQLite writes a commit to the WAL (the event) a few
//! microseconds before it publishes it in the `-shm` index (memory, no event). A lookup that
//! takes the event and starts its database read inside that moment still reads the old
//! row and keeps it, and no later event would report the write. So no row is used for
//! longer than [`MAX_AGE`] after it was read: that rare row is gone within a second.
//!
//! In one place: what is cached is [`ReadCache`]'s tables (sessions by key, users by id,
//! OpenID Connect grants by id); every cached read goes through `Store::read_through`;
//! what empties it is any inotify event for the database's files (or [`MAX_AGE`], or a
//! full table).
//!
//! PostgreSQL instances learn of writes differently: their writers are on other machines,
//! which no local event can report. There, triggers on the same tables (migration
//! `read_cache_notifications`) `NOTIFY` every instance at commit, and a task per instance
//! ([`listen`]) empties its cache on each notification. The notification reaches the other
//! instances a little after the commit (well under a millisecond on one network), and
//! while the listening connection is down the cache is not used at all. That "little
//! after" holds for the writing instance too, so it also empties its own cache at once
//! (`Store::forget_cached_reads`): when it saves a session, and when an unsafe request
//! ends. A browser's next request then reads what its last one wrote.
//!
//! The SQLite watcher relies on a local filesystem, which SQLite needs for its locks anyway.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::{Duration, Instant};

/// Entries per table before the table starts again empty: a bound on memory, not an LRU.
const MAX_ENTRIES: usize = 10_000;

/// How long a row read from the database may be used (see the module's last paragraph).
const MAX_AGE: Duration = Duration::from_secs(1);

/// One generation of cached rows: entries from an older one are never returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

pub struct ReadCache {
    /// Several watchers of the same SQLite files (none on PostgreSQL). Each is told of every
    /// write, so a lookup may ask any of them, and takes one that no other lookup holds: with
    /// a single one, lookups on two threads queued behind each other's system call.
    watchers: Vec<Mutex<watcher::Watcher>>,
    /// Set while writes may go unseen: for good once a watcher fails, and on PostgreSQL
    /// until the listening connection is up (and again while it is down).
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
    /// Watches the SQLite file at `database`; `None` where the files cannot be watched
    /// (another OS, an in-memory database, no inotify instances left).
    pub fn watch(database: &Path) -> Option<Self> {
        let count = std::thread::available_parallelism().map_or(1, |n| n.get()) + 1;
        let watchers = (0..count).map(|_| watcher::Watcher::new(database).map(Mutex::new)).collect();
        let watchers = match watchers {
            Ok(watchers) => watchers,
            Err(error) => {
                tracing::info!(error = %error, "no read cache: cannot watch the database file");
                return None;
            }
        };
        Some(Self {
            watchers,
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
            watchers: Vec::new(),
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
        if self.watchers.is_empty() {
            return Some(Generation(self.generation.load(Ordering::Acquire)));
        }
        // The watcher stays locked while its events are read and applied, so a lookup on
        // another thread cannot take it while it holds events taken but not yet applied.
        // That lookup asks another watcher instead, which was told of the same writes.
        let mut watcher = self.free_watcher();
        match watcher.database_written() {
            Ok(false) => {}
            Ok(true) => self.invalidate(),
            Err(error) => {
                tracing::warn!(error = %error, "the database watcher failed; reading without the cache from now on");
                self.failed.store(true, Ordering::Release);
                self.invalidate();
                return None;
            }
        }
        Some(Generation(self.generation.load(Ordering::Acquire)))
    }

    /// A watcher no other lookup holds; if all are held, the first one, once it is free.
    fn free_watcher(&self) -> MutexGuard<'_, watcher::Watcher> {
        let free = self.watchers.iter().find_map(|watcher| match watcher.try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        });
        free.unwrap_or_else(|| self.watchers[0].lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    /// After this process wrote: only a notified cache (PostgreSQL) needs telling; a
    /// watched one (SQLite) had the file event before the write returned.
    pub(super) fn written_here(&self) {
        if self.watchers.is_empty() {
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
mod watcher {
    use std::ffi::OsString;
    use std::io;
    use std::path::Path;

    use inotify::{EventMask, Inotify, WatchMask};

    /// inotify on the database's directory, so the `-wal` and `-journal` files are seen
    /// even when SQLite deletes and creates them again.
    pub struct Watcher {
        inotify: Inotify,
        file_name: OsString,
        buffer: Vec<u8>,
    }

    impl Watcher {
        pub fn new(database: &Path) -> io::Result<Self> {
            let database = database.canonicalize()?;
            let (Some(directory), Some(file_name)) = (database.parent(), database.file_name()) else {
                return Err(io::Error::other("the database path has no directory"));
            };
            let inotify = Inotify::init()?;
            inotify.watches().add(
                directory,
                WatchMask::MODIFY
                    | WatchMask::CREATE
                    | WatchMask::DELETE
                    | WatchMask::MOVED_FROM
                    | WatchMask::MOVED_TO
                    | WatchMask::DELETE_SELF
                    | WatchMask::MOVE_SELF,
            )?;
            Ok(Self { inotify, file_name: file_name.to_owned(), buffer: vec![0; 4096] })
        }

        /// Takes the queued events without blocking: whether any of them was a write to the
        /// database's files (or may have been: an overflowed queue counts as one).
        pub fn database_written(&mut self) -> io::Result<bool> {
            let mut written = false;
            loop {
                let events = match self.inotify.read_events(&mut self.buffer) {
                    Ok(events) => events,
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Ok(written),
                    Err(error) => return Err(error),
                };
                for event in events {
                    if event.mask.intersects(EventMask::DELETE_SELF | EventMask::MOVE_SELF | EventMask::IGNORED) {
                        return Err(io::Error::other("the database's directory is gone"));
                    }
                    let ours = event
                        .name
                        .is_some_and(|name| name.as_encoded_bytes().starts_with(self.file_name.as_encoded_bytes()));
                    written |= ours || event.mask.contains(EventMask::Q_OVERFLOW);
                }
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod watcher {
    use std::io;
    use std::path::Path;

    pub struct Watcher;

    impl Watcher {
        pub fn new(_database: &Path) -> io::Result<Self> {
            Err(io::Error::other("file events are only watched on Linux"))
        }

        pub fn database_written(&mut self) -> io::Result<bool> {
            Ok(true)
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::io::Write;

    use super::*;

    fn append(path: &Path) {
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
        file.write_all(b"x").unwrap();
    }

    /// A cache watching `app.db` in a fresh directory.
    fn watching_a_new_database() -> (tempfile::TempDir, std::path::PathBuf, ReadCache) {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("app.db");
        append(&database);
        let cache = ReadCache::watch(&database).unwrap();
        (dir, database, cache)
    }

    #[test]
    fn a_write_to_any_of_the_database_files_starts_a_new_generation() {
        let (dir, _, cache) = watching_a_new_database();
        let first = cache.current().unwrap();
        assert_eq!(cache.current(), Some(first), "nothing written yet");

        append(&dir.path().join("unrelated.txt"));
        assert_eq!(cache.current(), Some(first), "other files do not matter");

        for file in ["app.db", "app.db-wal", "app.db-journal"] {
            let before = cache.current().unwrap();
            append(&dir.path().join(file));
            assert_ne!(cache.current(), Some(before), "a write to {file} was missed");
        }
    }

    #[test]
    fn a_lookup_while_another_holds_a_watcher_still_sees_every_write() {
        let (_dir, database, cache) = watching_a_new_database();
        let before = cache.current().unwrap();
        // Another lookup is in the middle of reading the first watcher's events.
        let _held = cache.watchers[0].lock().unwrap();
        append(&database);
        assert_ne!(cache.current(), Some(before), "the write was reported by another watcher");
    }

    #[test]
    fn a_row_is_not_used_after_its_maximum_age_even_with_no_write_reported() {
        let (_dir, _database, cache) = watching_a_new_database();
        let rows = Table::<i64, String>::new(Duration::from_millis(50));
        let generation = cache.current().unwrap();
        rows.put(&cache, 1, "read now".to_owned(), generation);
        assert_eq!(rows.get(&1, generation).as_deref(), Some("read now"));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.current(), Some(generation), "nothing was written");
        assert_eq!(rows.get(&1, generation), None, "too old to be trusted");
    }

    #[test]
    fn rows_read_before_a_write_are_not_kept_or_returned() {
        let (_dir, database, cache) = watching_a_new_database();
        let rows = Table::<i64, String>::new(MAX_AGE);

        let generation = cache.current().unwrap();
        rows.put(&cache, 1, "before".to_owned(), generation);
        assert_eq!(rows.get(&1, generation).as_deref(), Some("before"));

        append(&database);
        let next = cache.current().unwrap();
        assert_eq!(rows.get(&1, next), None);
        // A row read under the old generation arrives late: it must not be kept.
        rows.put(&cache, 2, "late".to_owned(), generation);
        assert_eq!(rows.get(&2, next), None);
    }
}
