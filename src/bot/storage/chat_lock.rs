//! One writer per chat at a time. teloxide already handles a chat's updates one after another,
//! but the reminder scheduler writes a chat's state too, and replicas sharing Redis each run a
//! dispatcher: without this lock two of them could read the same state and one answer be lost.
//!
//! Every backend takes an in-process mutex per chat. With Redis the holder then also takes a key
//! (`SET NX PX`), so the lock holds across replicas and expires if its holder dies; while its
//! holder runs it is renewed, since a handler can outlast its lifetime (a Bot API call that meets
//! a 5xx is paused 10 s inside teloxide).
//!
//! The storage writes a chat's state only for the lock's holder (`ChatLocks::write_permit`): with
//! Redis the write is fenced by the key's token in the same script, so a holder whose lock
//! expired, or was never taken because Redis refused, cannot overwrite another's state.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;

use super::{Backend, DialogueStorage, StorageError, GAVE_UP_WAITING};
use crate::bot::metrics::METRICS;

/// How long a Redis lock outlives a holder that died without releasing it.
const REDIS_LOCK_LIFETIME: Duration = Duration::from_secs(10);
/// How often a held Redis lock's lifetime is renewed: twice more before it could run out.
const REDIS_RENEW_EVERY: Duration = Duration::from_secs(3);
/// How long to wait between two tries of a held Redis lock.
const REDIS_RETRY: Duration = Duration::from_millis(3);

type LocalLocks = Arc<Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>>;
/// The Redis lock of each chat whose lock a task of this process holds. The in-process mutex is
/// taken first, so there is at most one per chat.
type RedisHolds = Arc<Mutex<HashMap<i64, Arc<RedisHold>>>>;

/// The locks this process holds or waits for.
#[derive(Default)]
pub(super) struct ChatLocks {
    local: LocalLocks,
    redis: RedisHolds,
}

/// A Redis lock held: its token, and whether a renewal found it gone.
struct RedisHold {
    token: String,
    lost: AtomicBool,
}

/// What a write of a chat's state needs: the chat's lock, and with Redis its token for the fence.
pub(super) enum WritePermit {
    Local,
    Redis { token: String },
}

impl ChatLocks {
    /// Whether the chat's lock is held here, so its state may be written. Refused (as
    /// `StorageError::NotLocked`) when nobody holds it, or when its Redis key was not taken or
    /// has been found lost.
    pub(super) fn write_permit(&self, chat: i64, redis: bool) -> Result<WritePermit, StorageError> {
        if redis {
            let holds = self.redis.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            return match holds.get(&chat) {
                Some(hold) if !hold.lost.load(Ordering::Relaxed) => Ok(WritePermit::Redis {
                    token: hold.token.clone(),
                }),
                _ => Err(StorageError::NotLocked),
            };
        }
        let local = self.local.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // The mutex exists while someone holds or awaits it; it cannot be taken here if held.
        match local.get(&chat) {
            Some(lock) if lock.try_lock().is_err() => Ok(WritePermit::Local),
            _ => Err(StorageError::NotLocked),
        }
    }
}

/// Held while a chat's state is read and written; released when dropped.
pub struct ChatGuard {
    chat: i64,
    local: Option<OwnedMutexGuard<()>>,
    locks: LocalLocks,
    redis: Option<RedisHeld>,
}

struct RedisHeld {
    connection: redis::aio::ConnectionManager,
    /// The lock's key.
    key: String,
    holds: RedisHolds,
    /// `None` when Redis refused the `SET NX`: the guard goes on without the key, and the
    /// storage refuses its writes.
    hold: Option<Arc<RedisHold>>,
    /// Renews the lock's lifetime until the guard is dropped.
    renewer: Option<tokio::task::JoinHandle<()>>,
}

/// Deletes the lock only if it is still ours (it may have expired and been taken since).
const REDIS_RELEASE: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#;

/// Renews the lock only if it is still ours.
const REDIS_RENEW: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"#;

/// A token no other holder has: this process, and a counter.
fn unique_token() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl DialogueStorage {
    /// Waits until this process holds the chat's lock. With Redis, a guard may come back
    /// without the key when Redis refused it (`ChatGuard::is_held`): the handler can still
    /// read and answer, but the storage will not write the chat's state for it.
    pub async fn lock_chat(&self, chat: i64) -> ChatGuard {
        let locks = self.locks.local.clone();
        let lock = {
            let mut map = locks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            map.entry(chat).or_default().clone()
        };
        let local = Some(lock.lock_owned().await);
        let redis = match &self.backend {
            Backend::Redis(connection) => {
                let key = self.keys.lock(chat);
                Some(lock_redis(connection.clone(), chat, key, self.locks.redis.clone()).await)
            }
            _ => None,
        };
        ChatGuard {
            chat,
            local,
            locks,
            redis,
        }
    }
}

impl ChatGuard {
    /// Whether the chat's lock is held, so its state can be written. Always with SQLite and
    /// memory; with Redis, unless Redis refused the key or a renewal found it gone.
    pub fn is_held(&self) -> bool {
        self.redis.as_ref().is_none_or(|redis| {
            redis
                .hold
                .as_ref()
                .is_some_and(|hold| !hold.lost.load(Ordering::Relaxed))
        })
    }
}

async fn lock_redis(
    mut connection: redis::aio::ConnectionManager,
    chat: i64,
    key: String,
    holds: RedisHolds,
) -> RedisHeld {
    let token = unique_token();
    let mut failures = 0;
    loop {
        let started = std::time::Instant::now();
        let taken: Result<Option<String>, _> = redis::cmd("SET")
            .arg(&key)
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(REDIS_LOCK_LIFETIME.as_millis() as u64)
            .query_async(&mut connection)
            .await;
        match taken {
            Ok(Some(_)) => {
                let hold = Arc::new(RedisHold {
                    token,
                    lost: AtomicBool::new(false),
                });
                holds
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(chat, hold.clone());
                let renewer = Some(tokio::spawn(renew_redis(
                    connection.clone(),
                    key.clone(),
                    hold.clone(),
                )));
                return RedisHeld {
                    connection,
                    key,
                    holds,
                    hold: Some(hold),
                    renewer,
                };
            }
            Ok(None) => tokio::time::sleep(REDIS_RETRY).await,
            // A quick failure (the connection being made again) is tried again, as a read is;
            // one that waited out its timeout is not, so the person hears at once.
            Err(error) if failures < 2 && started.elapsed() < GAVE_UP_WAITING => {
                failures += 1;
                log::debug!("could not take a chat's lock (attempt {failures}): {error}");
                tokio::time::sleep(Duration::from_millis(100 * failures)).await;
            }
            Err(error) => {
                // The handler still reads and answers (an emergency's advice must go out), but
                // without the key the storage refuses to write this chat's state.
                log::warn!("could not take a chat's lock: {error}");
                let error = StorageError::from(error);
                METRICS.storage_error("lock", error.kind());
                return RedisHeld {
                    connection,
                    key,
                    holds,
                    hold: None,
                    renewer: None,
                };
            }
        }
    }
}

/// Keeps a held lock alive until aborted (when its guard is dropped), or until it is found lost.
async fn renew_redis(mut connection: redis::aio::ConnectionManager, key: String, hold: Arc<RedisHold>) {
    loop {
        tokio::time::sleep(REDIS_RENEW_EVERY).await;
        let renewed: Result<i64, _> = redis::cmd("EVAL")
            .arg(REDIS_RENEW)
            .arg(1)
            .arg(&key)
            .arg(&hold.token)
            .arg(REDIS_LOCK_LIFETIME.as_millis() as u64)
            .query_async(&mut connection)
            .await;
        match renewed {
            Ok(1) => {}
            Ok(_) => {
                log::warn!("a chat's lock expired while held (Redis was out of reach for its lifetime)");
                hold.lost.store(true, Ordering::Relaxed);
                return;
            }
            // A blip: the next renewal, due well before the lock runs out, tries again.
            Err(error) => log::debug!("could not renew a chat's lock: {error}"),
        }
    }
}

impl Drop for ChatGuard {
    fn drop(&mut self) {
        if let Some(redis) = &mut self.redis {
            release_redis(self.chat, redis);
        }
        // Last, so that no other task of this process takes the chat before its key is gone
        // from `holds`.
        drop(self.local.take());
        let mut map = self.locks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Only the map holds it now: nobody waits, so forget it (memory stays bounded).
        if map
            .get(&self.chat)
            .is_some_and(|lock| Arc::strong_count(lock) == 1)
        {
            map.remove(&self.chat);
        }
    }
}

fn release_redis(chat: i64, redis: &mut RedisHeld) {
    if let Some(renewer) = redis.renewer.take() {
        renewer.abort();
    }
    let Some(hold) = redis.hold.take() else {
        return;
    };
    redis
        .holds
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .remove(&chat);
    let mut connection = redis.connection.clone();
    let key = std::mem::take(&mut redis.key);
    // Drop cannot wait; if this fails the lock expires by itself.
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let released: Result<i64, _> = redis::cmd("EVAL")
                .arg(REDIS_RELEASE)
                .arg(1)
                .arg(key)
                .arg(&hold.token)
                .query_async(&mut connection)
                .await;
            if let Err(error) = released {
                log::debug!("could not release a chat's lock: {error}");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::config::StorageChoice;

    #[tokio::test]
    async fn a_chat_lock_is_exclusive_and_forgotten_when_free() {
        let storage = DialogueStorage::open(&StorageChoice::Memory, Duration::from_secs(60))
            .await
            .unwrap();
        let first = storage.lock_chat(1).await;
        let other_chat = tokio::time::timeout(Duration::from_millis(100), storage.lock_chat(2)).await;
        assert!(other_chat.is_ok(), "another chat is not blocked");
        let second = tokio::time::timeout(Duration::from_millis(100), storage.lock_chat(1)).await;
        assert!(second.is_err(), "the same chat waits");
        drop(other_chat);
        drop(first);
        let again = tokio::time::timeout(Duration::from_millis(100), storage.lock_chat(1)).await;
        assert!(again.is_ok(), "free again once released");
        drop(again);
        assert!(
            storage.locks.local.lock().unwrap().is_empty(),
            "no lock kept for idle chats"
        );
    }
}
