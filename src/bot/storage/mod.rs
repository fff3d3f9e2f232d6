//! Where dialogue states live: SQLite (default), Redis (`REDIS_URL`), or memory (tests).
//!
//! teloxide's own storages keep a state forever; health answers must not outlive their use, so
//! this one gives every state an expiry (`SPOTCHECK_STATE_TTL`) and deletes it once passed.
//! It plugs into teloxide's `Dialogue` through the `Storage` trait, erased to `ErasedStorage`.
//! Re-check reminders live in the same storage (`reminders.rs`).

mod chat_lock;
mod redis_keys;
mod reminders;
mod sqlite;

pub use chat_lock::ChatGuard;
pub use reminders::Reminder;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use redis::AsyncCommands;
use rusqlite::{params, OptionalExtension};
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

use super::config::StorageChoice;
use super::metrics::METRICS;
use crate::conversation::State;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("Redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// A chat's state written by a task that does not hold the chat's lock (never taken, or
    /// lost): refused, since another replica may hold it and have written since.
    #[error("the chat's lock is not held")]
    NotLocked,
    /// A state that only describes a failed read (`Unreadable`, `Unavailable`) given to be
    /// written: a defect in the caller, refused so no unreadable bytes are stored.
    #[error("this state is never stored: {0}")]
    NotStorable(#[from] serde_json::Error),
}

impl StorageError {
    /// What went wrong, as a metrics label. All but `other` and `corrupt` mean the storage is
    /// unavailable for now (away, busy, full or read-only, or the chat's lock not held): the
    /// stored data is intact, and the same call can work again later.
    pub fn kind(&self) -> &'static str {
        use rusqlite::ErrorCode;
        match self {
            StorageError::NotLocked => "unlocked",
            StorageError::NotStorable(_) => "other",
            StorageError::Sqlite(rusqlite::Error::SqliteFailure(failure, _)) => match failure.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => "busy",
                ErrorCode::DiskFull => "full",
                ErrorCode::ReadOnly | ErrorCode::PermissionDenied => "read_only",
                ErrorCode::SystemIoFailure | ErrorCode::CannotOpen | ErrorCode::FileLockingProtocolFailed => {
                    "io"
                }
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => "corrupt",
                _ => "other",
            },
            StorageError::Sqlite(_) => "other",
            StorageError::Redis(error) if error.is_timeout() => "timeout",
            StorageError::Redis(error)
                if error.is_io_error() || error.is_connection_refusal() || error.is_connection_dropped() =>
            {
                "unavailable"
            }
            StorageError::Redis(error) => match error.code() {
                Some("OOM") => "full",
                Some("READONLY" | "MISCONF") => "read_only",
                Some("LOADING" | "BUSY" | "TRYAGAIN") => "busy",
                _ => "other",
            },
        }
    }
}

/// Counts a failed storage call in `/metrics`, by operation and kind, and passes the result on.
fn counted<T>(operation: &'static str, result: Result<T, StorageError>) -> Result<T, StorageError> {
    if let Err(error) = &result {
        METRICS.storage_error(operation, error.kind());
    }
    result
}

enum Backend {
    Sqlite(sqlite::Sqlite),
    Redis(redis::aio::ConnectionManager),
    Memory(Mutex<MemoryStore>),
}

/// Everything the memory backend keeps, under one lock.
#[derive(Default)]
struct MemoryStore {
    /// chat → (state, expires at, in seconds)
    dialogues: HashMap<i64, (Vec<u8>, u64)>,
    settings: HashMap<i64, Vec<u8>>,
    reminders: reminders::MemoryReminders,
}

impl Backend {
    fn memory(store: &Mutex<MemoryStore>) -> std::sync::MutexGuard<'_, MemoryStore> {
        store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub struct DialogueStorage {
    backend: Backend,
    ttl: Duration,
    locks: chat_lock::ChatLocks,
    /// The names of this bot's keys, with Redis.
    keys: redis_keys::RedisKeys,
}

pub use crate::conversation::ChatSettings;

/// Which half of the health probe failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Read,
    Write,
}

/// How the Redis connection behaves when Redis is away. The client's defaults wait forever for a
/// connection or an answer and back off for up to two minutes between reconnections, so a handler
/// (and `/healthz`) hung through an outage and for 90 s after it ended (tests/it/operator.rs).
/// Every command the bot sends takes well under a millisecond.
///
/// Each command waits for the reconnection under way, and a failed reconnection makes the next
/// command start another. The client's retries wait a second or more each, so with them a
/// command took 4.5 s to fail while Redis was down and a press (a lock, a read, a settings read)
/// went unanswered for 18.7 s; with one connection attempt per reconnection the person is told
/// at once (tests/it/outages.rs). Start-up waits for Redis itself (`connect_redis`).
fn redis_settings() -> redis::aio::ConnectionManagerConfig {
    redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(0)
}

/// How long start-up waits for Redis, which may be starting beside the bot.
const REDIS_START_WAIT: Duration = Duration::from_secs(10);

async fn connect_redis(url: &str) -> Result<redis::aio::ConnectionManager, StorageError> {
    let client = redis::Client::open(url)?;
    let started = std::time::Instant::now();
    loop {
        match redis::aio::ConnectionManager::new_with_config(client.clone(), redis_settings()).await {
            Ok(connection) => return Ok(connection),
            Err(error) if started.elapsed() < REDIS_START_WAIT => {
                log::warn!("waiting for Redis: {error}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// A storage call that failed after this long had waited for an answer that never came.
const GAVE_UP_WAITING: Duration = Duration::from_secs(1);

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

impl DialogueStorage {
    /// A storage shared by no other bot: with Redis its keys start with `spotcheck:` alone.
    pub async fn open(choice: &StorageChoice, ttl: Duration) -> Result<Arc<DialogueStorage>, StorageError> {
        Self::open_with_keys(choice, ttl, redis_keys::RedisKeys::default()).await
    }

    /// The storage of the bot with this token: with Redis its keys start with
    /// `spotcheck:<bot id>:`, so several bots can share one Redis, and the keys an older
    /// version left under `spotcheck:` are adopted first.
    pub async fn open_for_bot(
        choice: &StorageChoice,
        ttl: Duration,
        token: &str,
    ) -> Result<Arc<DialogueStorage>, StorageError> {
        let storage = Self::open_with_keys(choice, ttl, redis_keys::RedisKeys::for_token(token)).await?;
        if storage.redis_appends_every_write().await == Some(false) {
            log::warn!(
                "Redis runs without appendonly: a restart of Redis loses every check and reminder \
                 since its last snapshot (set `appendonly yes`)"
            );
        }
        if let Backend::Redis(connection) = &storage.backend {
            let adopted = storage.keys.adopt_legacy_keys(connection).await?;
            if adopted > 0 {
                log::info!("adopted {adopted} Redis keys of an older version under this bot's prefix");
            }
        }
        Ok(storage)
    }

    /// Whether Redis writes every command to its append-only file, so a restart of Redis loses
    /// nothing; `None` for the other storages, or when Redis does not say (`CONFIG` can be
    /// disabled on a managed Redis).
    pub async fn redis_appends_every_write(&self) -> Option<bool> {
        let Backend::Redis(connection) = &self.backend else {
            return None;
        };
        let mut connection = connection.clone();
        let setting: Vec<String> = redis::cmd("CONFIG")
            .arg("GET")
            .arg("appendonly")
            .query_async(&mut connection)
            .await
            .ok()?;
        Some(setting.get(1)? == "yes")
    }

    async fn open_with_keys(
        choice: &StorageChoice,
        ttl: Duration,
        keys: redis_keys::RedisKeys,
    ) -> Result<Arc<DialogueStorage>, StorageError> {
        let backend = match choice {
            StorageChoice::Sqlite(path) => Backend::Sqlite(sqlite::Sqlite::open(path)?),
            StorageChoice::Redis(url) => Backend::Redis(connect_redis(url).await?),
            StorageChoice::Memory => Backend::Memory(Mutex::new(MemoryStore::default())),
        };
        Ok(Arc::new(DialogueStorage {
            backend,
            ttl,
            locks: chat_lock::ChatLocks::default(),
            keys,
        }))
    }

    /// Deletes every expired state. Redis expires keys itself.
    pub async fn sweep(&self) -> Result<u64, StorageError> {
        match &self.backend {
            Backend::Sqlite(sqlite) => {
                // In small batches, so a large backlog never holds the connection for long.
                const BATCH: usize = 100;
                let mut deleted = 0;
                loop {
                    let batch = sqlite.with(|connection| {
                        connection
                            .prepare_cached(
                                "DELETE FROM dialogues WHERE rowid IN \
                                 (SELECT rowid FROM dialogues WHERE expires_at <= ? LIMIT ?)",
                            )?
                            .execute(params![now_secs() as i64, BATCH as i64])
                    })?;
                    deleted += batch as u64;
                    if batch < BATCH {
                        return Ok(deleted);
                    }
                    tokio::task::yield_now().await;
                }
            }
            Backend::Redis(_) => Ok(0),
            Backend::Memory(store) => {
                let map = &mut Backend::memory(store).dialogues;
                let before = map.len();
                let now = now_secs();
                map.retain(|_, (_, expires_at)| *expires_at > now);
                Ok((before - map.len()) as u64)
            }
        }
    }

    /// Closes the storage cleanly: SQLite merges its write-ahead log, so the next start does
    /// not replay it.
    pub async fn close(&self) {
        if let Backend::Sqlite(sqlite) = &self.backend {
            sqlite.close().await;
        }
    }

    /// Whether the storage answers a read and takes a write, for `/healthz`: the first that
    /// fails is named. The write is a one-row heartbeat, so a full or read-only storage shows.
    pub async fn probe(&self) -> Result<(), Probe> {
        let read = match &self.backend {
            Backend::Sqlite(sqlite) => sqlite
                .with(|connection| connection.query_row("SELECT COUNT(*) FROM dialogues", [], |_| Ok(())))
                .map_err(StorageError::from),
            Backend::Redis(connection) => {
                let mut connection = connection.clone();
                connection
                    .exists::<_, bool>(self.keys.heartbeat())
                    .await
                    .map(|_| ())
                    .map_err(StorageError::from)
            }
            Backend::Memory(..) => Ok(()),
        };
        counted("probe_read", read).map_err(|_| Probe::Read)?;
        let now = now_secs() as i64;
        let written = match &self.backend {
            Backend::Sqlite(sqlite) => sqlite
                .with(|connection| {
                    connection
                        .prepare_cached("INSERT OR REPLACE INTO heartbeat (id, at) VALUES (1, ?)")?
                        .execute([now])
                })
                .map(|_| ())
                .map_err(StorageError::from),
            Backend::Redis(connection) => {
                let mut connection = connection.clone();
                connection
                    .set_ex::<_, _, ()>(self.keys.heartbeat(), now, 60)
                    .await
                    .map_err(StorageError::from)
            }
            Backend::Memory(..) => Ok(()),
        };
        counted("probe_write", written).map_err(|_| Probe::Write)
    }

    /// How many states are stored (expired ones included until swept).
    pub async fn count(&self) -> Result<u64, StorageError> {
        match &self.backend {
            Backend::Sqlite(sqlite) => {
                let count: i64 = sqlite.with(|connection| {
                    connection.query_row("SELECT COUNT(*) FROM dialogues", [], |row| row.get(0))
                })?;
                Ok(count as u64)
            }
            Backend::Redis(connection) => {
                let mut connection = connection.clone();
                let keys: Vec<String> = connection.keys(self.keys.dialogues()).await?;
                Ok(keys.len() as u64)
            }
            Backend::Memory(store) => Ok(Backend::memory(store).dialogues.len() as u64),
        }
    }

    async fn get(&self, chat: i64) -> Result<Option<Vec<u8>>, StorageError> {
        match &self.backend {
            Backend::Sqlite(sqlite) => Ok(sqlite.with(|connection| {
                connection
                    .prepare_cached("SELECT state FROM dialogues WHERE chat_id = ? AND expires_at > ?")?
                    .query_row(params![chat, now_secs() as i64], |row| row.get(0))
                    .optional()
            })?),
            Backend::Redis(connection) => {
                let mut connection = connection.clone();
                Ok(connection.get(self.keys.dialogue(chat)).await?)
            }
            Backend::Memory(store) => {
                let now = now_secs();
                Ok(Backend::memory(store)
                    .dialogues
                    .get(&chat)
                    .filter(|(_, expires_at)| *expires_at > now)
                    .map(|(state, _)| state.clone()))
            }
        }
    }

    /// Writes a chat's state, or deletes it (`None`), for the holder of the chat's lock only.
    /// With Redis the write is fenced: one script checks that the lock's key still holds this
    /// holder's token and writes, so a holder whose lock expired cannot overwrite the state
    /// another replica wrote since.
    async fn write_state(&self, chat: i64, state: Option<Vec<u8>>) -> Result<(), StorageError> {
        let permit = self
            .locks
            .write_permit(chat, matches!(self.backend, Backend::Redis(_)))?;
        let expires_at = now_secs() + self.ttl.as_secs();
        match (&self.backend, permit) {
            (Backend::Sqlite(sqlite), _) => {
                sqlite.with(|connection| match &state {
                    Some(state) => connection
                        .prepare_cached(
                            "INSERT INTO dialogues (chat_id, state, expires_at) VALUES (?, ?, ?) \
                             ON CONFLICT(chat_id) DO UPDATE \
                             SET state = excluded.state, expires_at = excluded.expires_at",
                        )?
                        .execute(params![chat, state, expires_at as i64]),
                    None => connection
                        .prepare_cached("DELETE FROM dialogues WHERE chat_id = ?")?
                        .execute([chat]),
                })?;
            }
            (Backend::Redis(connection), chat_lock::WritePermit::Redis { token }) => {
                let mut connection = connection.clone();
                let written: i64 = redis::cmd("EVAL")
                    .arg(REDIS_FENCED_WRITE)
                    .arg(2)
                    .arg(self.keys.lock(chat))
                    .arg(self.keys.dialogue(chat))
                    .arg(token)
                    .arg(state.unwrap_or_default())
                    .arg(self.ttl.as_secs().max(1))
                    .query_async(&mut connection)
                    .await?;
                if written == 0 {
                    return Err(StorageError::NotLocked);
                }
            }
            (Backend::Redis(_), chat_lock::WritePermit::Local) => return Err(StorageError::NotLocked),
            (Backend::Memory(store), _) => {
                let dialogues = &mut Backend::memory(store).dialogues;
                match state {
                    Some(state) => dialogues.insert(chat, (state, expires_at)),
                    None => dialogues.remove(&chat),
                };
            }
        }
        Ok(())
    }
}

/// Writes (an empty value: deletes) a chat's state if the chat's lock (`KEYS[1]`) holds the
/// writer's token; returns 0 without writing if not.
const REDIS_FENCED_WRITE: &str = r#"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[2])
else redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
return 1
"#;

impl Storage<State> for DialogueStorage {
    type Error = StorageError;

    fn remove_dialogue(self: Arc<Self>, chat: ChatId) -> BoxFuture<'static, Result<(), StorageError>> {
        Box::pin(async move { counted("write_check", self.write_state(chat.0, None).await) })
    }

    fn update_dialogue(
        self: Arc<Self>,
        chat: ChatId,
        state: State,
    ) -> BoxFuture<'static, Result<(), StorageError>> {
        Box::pin(async move {
            // An idle chat needs no row: nothing about it is kept.
            let written = async {
                let state = (state != State::Idle).then(|| encode(&state)).transpose()?;
                self.write_state(chat.0, state).await
            };
            counted("write_check", written.await)
        })
    }

    /// Never fails: teloxide drops an update without a word when this errs, so a read that keeps
    /// failing becomes `State::Unavailable`, and the person is told to try again in a moment.
    /// A quick failure (a dropped connection, SQLite busy) is retried; a read that waited out
    /// its whole timeout is not, so the person hears at once that storage is away.
    fn get_dialogue(
        self: Arc<Self>,
        chat: ChatId,
    ) -> BoxFuture<'static, Result<Option<State>, StorageError>> {
        Box::pin(async move {
            for attempt in 1..=3u64 {
                let started = std::time::Instant::now();
                match counted("read_check", self.get(chat.0).await) {
                    // Nothing stored reads as `Idle`, never `None`: on `None` teloxide writes
                    // the default state back, and that write, refused when the chat's lock is
                    // not held (Redis full), would drop the update without a word.
                    Ok(bytes) => return Ok(Some(bytes.map_or(State::Idle, |bytes| decode(&bytes)))),
                    Err(error) => {
                        log::warn!("reading a chat's state failed (attempt {attempt}): {error}");
                        if started.elapsed() >= GAVE_UP_WAITING {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                    }
                }
            }
            Ok(Some(State::Unavailable))
        })
    }
}

impl DialogueStorage {
    /// A chat's settings; none stored (or unreadable) means the defaults.
    pub async fn settings(&self, chat: i64) -> ChatSettings {
        let stored: Result<Option<Vec<u8>>, StorageError> = match &self.backend {
            Backend::Sqlite(sqlite) => sqlite
                .with(|connection| {
                    connection
                        .prepare_cached("SELECT settings FROM chat_settings WHERE chat_id = ?")?
                        .query_row([chat], |row| row.get(0))
                        .optional()
                })
                .map_err(StorageError::from),
            Backend::Redis(connection) => {
                let mut connection = connection.clone();
                connection
                    .get(self.keys.settings(chat))
                    .await
                    .map_err(StorageError::from)
            }
            Backend::Memory(store) => Ok(Backend::memory(store).settings.get(&chat).cloned()),
        };
        match counted("read_settings", stored) {
            Ok(bytes) => bytes
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                .unwrap_or_default(),
            Err(error) => {
                log::warn!("could not read a chat's settings: {error}");
                ChatSettings::default()
            }
        }
    }

    pub async fn save_settings(&self, chat: i64, settings: &ChatSettings) -> Result<(), StorageError> {
        counted("write_settings", self.write_settings(chat, settings).await)
    }

    async fn write_settings(&self, chat: i64, settings: &ChatSettings) -> Result<(), StorageError> {
        let bytes = serde_json::to_vec(settings).unwrap_or_default();
        match &self.backend {
            Backend::Sqlite(sqlite) => {
                sqlite.with(|connection| {
                    connection
                        .prepare_cached(
                            "INSERT INTO chat_settings (chat_id, settings) VALUES (?, ?) \
                             ON CONFLICT(chat_id) DO UPDATE SET settings = excluded.settings",
                        )?
                        .execute(params![chat, bytes])
                })?;
            }
            Backend::Redis(connection) => {
                let mut connection = connection.clone();
                let _: () = connection.set(self.keys.settings(chat), bytes).await?;
            }
            Backend::Memory(store) => {
                Backend::memory(store).settings.insert(chat, bytes);
            }
        }
        Ok(())
    }

    /// Deletes everything stored about a chat, all or nothing: its check, its reminders and its
    /// settings (`/forget`). SQLite does it in one transaction, Redis in one script, so a failure
    /// part way leaves everything as it was, and the person can be told so.
    pub async fn forget_chat(&self, chat: i64) -> Result<(), StorageError> {
        counted("forget", self.delete_everything_about(chat).await)
    }

    async fn delete_everything_about(&self, chat: i64) -> Result<(), StorageError> {
        match &self.backend {
            Backend::Sqlite(sqlite) => sqlite.with(|connection| {
                let transaction = connection.unchecked_transaction()?;
                for table in ["dialogues", "reminders", "chat_settings"] {
                    transaction
                        .prepare_cached(&format!("DELETE FROM {table} WHERE chat_id = ?"))?
                        .execute([chat])?;
                }
                transaction.commit()
            })?,
            Backend::Redis(connection) => {
                let mut connection = connection.clone();
                let also = [self.keys.dialogue(chat), self.keys.settings(chat)];
                let _: i64 = reminders::forget_chat_command(&self.keys, chat, &also)
                    .query_async(&mut connection)
                    .await?;
            }
            Backend::Memory(store) => {
                let mut store = Backend::memory(store);
                store.dialogues.remove(&chat);
                store.settings.remove(&chat);
                store.reminders.forget_chat(chat);
            }
        }
        Ok(())
    }
}

/// Decodes a stored state; anything unreadable becomes `State::Unreadable`, never an error, so
/// no person is silently stuck.
fn decode(bytes: &[u8]) -> State {
    serde_json::from_slice(bytes).unwrap_or(State::Unreadable)
}

/// Encodes a state to store. `Unreadable` and `Unavailable` describe a failed read and are
/// never stored: writing one is refused rather than stored as bytes that read back as
/// `Unreadable`.
fn encode(state: &State) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(state)
}
