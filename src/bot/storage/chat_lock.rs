//! One writer per chat at a time. teloxide already handles a chat's updates one after another,
//! but the reminder scheduler writes a chat's state too, and replicas sharing Redis each run a
//! dispatcher: without this lock two of them could read the same state and one answer be lost.
//!
//! With Redis the lock is a key (`SET NX PX`), so it holds across replicas and expires if its
//! holder dies; while its holder runs it is renewed, since a handler can outlast its lifetime (a
//! Bot API call that meets a 5xx is paused 10 s inside teloxide). Otherwise it is an in-process
//! mutex per chat.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;

use super::{Backend, DialogueStorage};

/// How long a Redis lock outlives a holder that died without releasing it.
const REDIS_LOCK_LIFETIME: Duration = Duration::from_secs(10);
/// How often a held Redis lock's lifetime is renewed: twice more before it could run out.
const REDIS_RENEW_EVERY: Duration = Duration::from_secs(3);
/// How long to wait between two tries of a held Redis lock.
const REDIS_RETRY: Duration = Duration::from_millis(3);

type LocalLocks = Arc<Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>>;

/// The in-process locks, one per chat currently locked or waited for.
#[derive(Default)]
pub(super) struct ChatLocks {
    local: LocalLocks,
}

/// Held while a chat's state is read and written; released when dropped.
pub struct ChatGuard {
    chat: i64,
    held: Held,
}

enum Held {
    Local {
        guard: Option<OwnedMutexGuard<()>>,
        locks: LocalLocks,
    },
    Redis {
        connection: redis::aio::ConnectionManager,
        token: String,
        /// Renews the lock's lifetime until the guard is dropped.
        renewer: Option<tokio::task::JoinHandle<()>>,
    },
}

fn redis_key(chat: i64) -> String {
    format!("spotcheck:lock:{chat}")
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
    /// Waits until this process holds the chat's lock.
    pub async fn lock_chat(&self, chat: i64) -> ChatGuard {
        let held = match &self.backend {
            Backend::Redis(connection) => lock_redis(connection.clone(), chat).await,
            _ => {
                let locks = self.locks.local.clone();
                let lock = {
                    let mut map = locks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    map.entry(chat).or_default().clone()
                };
                Held::Local {
                    guard: Some(lock.lock_owned().await),
                    locks,
                }
            }
        };
        ChatGuard { chat, held }
    }
}

async fn lock_redis(mut connection: redis::aio::ConnectionManager, chat: i64) -> Held {
    let token = unique_token();
    loop {
        let taken: Result<Option<String>, _> = redis::cmd("SET")
            .arg(redis_key(chat))
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(REDIS_LOCK_LIFETIME.as_millis() as u64)
            .query_async(&mut connection)
            .await;
        match taken {
            Ok(Some(_)) => {
                let renewer = Some(tokio::spawn(renew_redis(connection.clone(), chat, token.clone())));
                return Held::Redis {
                    connection,
                    token,
                    renewer,
                };
            }
            Ok(None) => tokio::time::sleep(REDIS_RETRY).await,
            Err(error) => {
                // Without Redis nothing can be stored anyway; go on and let the storage report it.
                log::warn!("could not take a chat's lock: {error}");
                return Held::Redis {
                    connection,
                    token,
                    renewer: None,
                };
            }
        }
    }
}

/// Keeps a held lock alive until aborted (when its guard is dropped), or until it is found lost.
async fn renew_redis(mut connection: redis::aio::ConnectionManager, chat: i64, token: String) {
    loop {
        tokio::time::sleep(REDIS_RENEW_EVERY).await;
        let renewed: Result<i64, _> = redis::cmd("EVAL")
            .arg(REDIS_RENEW)
            .arg(1)
            .arg(redis_key(chat))
            .arg(&token)
            .arg(REDIS_LOCK_LIFETIME.as_millis() as u64)
            .query_async(&mut connection)
            .await;
        match renewed {
            Ok(1) => {}
            Ok(_) => {
                log::warn!("a chat's lock expired while held (Redis was out of reach for its lifetime)");
                return;
            }
            // A blip: the next renewal, due well before the lock runs out, tries again.
            Err(error) => log::debug!("could not renew a chat's lock: {error}"),
        }
    }
}

impl Drop for ChatGuard {
    fn drop(&mut self) {
        match &mut self.held {
            Held::Local { guard, locks } => {
                drop(guard.take());
                let mut map = locks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                // Only the map holds it now: nobody waits, so forget it (memory stays bounded).
                if map
                    .get(&self.chat)
                    .is_some_and(|lock| Arc::strong_count(lock) == 1)
                {
                    map.remove(&self.chat);
                }
            }
            Held::Redis {
                connection,
                token,
                renewer,
            } => {
                if let Some(renewer) = renewer.take() {
                    renewer.abort();
                }
                let mut connection = connection.clone();
                let token = std::mem::take(token);
                let key = redis_key(self.chat);
                // Drop cannot wait; if this fails the lock expires by itself.
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(async move {
                        let released: Result<i64, _> = redis::cmd("EVAL")
                            .arg(REDIS_RELEASE)
                            .arg(1)
                            .arg(key)
                            .arg(token)
                            .query_async(&mut connection)
                            .await;
                        if let Err(error) = released {
                            log::debug!("could not release a chat's lock: {error}");
                        }
                    });
                }
            }
        }
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
