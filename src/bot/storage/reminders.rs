//! Re-check reminders, kept beside the dialogues (SQLite, Redis or memory).
//!
//! A reminder is due at `due_at`; the scheduler *claims* due reminders by moving their
//! `next_try_at` a lease ahead, sends them, then deletes them. A crash between sending and
//! deleting re-sends once the lease ends (a reminder sent twice beats one never sent), and two
//! replicas can never claim the same reminder. A reminder not sent within the state TTL after it
//! was due has lost its use and is deleted unsent. Times are milliseconds since the Unix epoch,
//! from the caller's clock.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, Row};

use super::redis_keys::RedisKeys;
use super::{counted, Backend, DialogueStorage, StorageError};
use crate::bot::clock::Millis;

/// A pending reminder. The payload is the bot's business (the check to re-check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    pub id: i64,
    pub chat: i64,
    pub due_at: Millis,
    pub payload: Vec<u8>,
}

impl Reminder {
    /// Reads a row of `id, chat_id, due_at, payload`.
    fn from_row(row: &Row) -> rusqlite::Result<Reminder> {
        Ok(Reminder {
            id: row.get(0)?,
            chat: row.get(1)?,
            due_at: row.get::<_, i64>(2)? as Millis,
            payload: row.get(3)?,
        })
    }
}

#[derive(Default)]
pub(super) struct MemoryReminders {
    next_id: i64,
    /// id → (reminder, next try)
    by_id: BTreeMap<i64, (Reminder, Millis)>,
}

impl MemoryReminders {
    pub(super) fn forget_chat(&mut self, chat: i64) {
        self.by_id.retain(|_, (reminder, _)| reminder.chat != chat);
    }
}

// The scripts name a reminder's keys from its id with the bot's key prefix (`RedisKeys`), which
// every caller passes as the last argument.

/// Adds a reminder unless the chat already has `limit` pending. Atomic: the count and the insert
/// are one script.
const REDIS_ADD: &str = r#"
local prefix = ARGV[#ARGV]
local chat_key, queue, next_id = KEYS[1], KEYS[2], KEYS[3]
local chat, due, payload, limit, expire_at = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
for _, id in ipairs(redis.call('ZRANGE', chat_key, 0, -1)) do
  if redis.call('EXISTS', prefix .. 'reminder:' .. id) == 0 then redis.call('ZREM', chat_key, id) end
end
if redis.call('ZCARD', chat_key) >= limit then return false end
local id = redis.call('INCR', next_id)
local key = prefix .. 'reminder:' .. id
redis.call('HSET', key, 'chat', chat, 'due', due, 'payload', payload)
redis.call('PEXPIREAT', key, expire_at)
redis.call('ZADD', queue, due, id)
redis.call('ZADD', chat_key, due, id)
-- The chat's index lives as long as its longest-lived reminder.
if redis.call('PTTL', chat_key) == -1 then
  redis.call('PEXPIREAT', chat_key, expire_at)
else
  redis.call('PEXPIREAT', chat_key, expire_at, 'GT')
end
return id
"#;

/// Claims up to ARGV[3] reminders whose next try has come, pushing their next try to the lease's
/// end. Reminders whose data expired are dropped from the queue on the way.
const REDIS_CLAIM: &str = r#"
local prefix = ARGV[#ARGV]
local queue = KEYS[1]
local now, lease_until, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local claimed = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', queue, '-inf', now, 'LIMIT', 0, limit)) do
  local fields = redis.call('HMGET', prefix .. 'reminder:' .. id, 'chat', 'due', 'payload')
  if fields[1] then
    redis.call('ZADD', queue, lease_until, id)
    table.insert(claimed, id)
    table.insert(claimed, fields[1])
    table.insert(claimed, fields[2])
    table.insert(claimed, fields[3])
  else
    redis.call('ZREM', queue, id)
  end
end
return claimed
"#;

/// Deletes one reminder; with ARGV[2] set, only if it belongs to that chat. Returns 1 if deleted.
const REDIS_DELETE: &str = r#"
local prefix = ARGV[#ARGV]
local id, chat = ARGV[1], ARGV[2]
local key = prefix .. 'reminder:' .. id
local owner = redis.call('HGET', key, 'chat')
if not owner or (chat ~= '' and owner ~= chat) then return 0 end
redis.call('DEL', key)
redis.call('ZREM', KEYS[1], id)
redis.call('ZREM', prefix .. 'reminders:chat:' .. owner, id)
return 1
"#;

const REDIS_POSTPONE: &str = r#"
local prefix = ARGV[#ARGV]
local id, due = ARGV[1], ARGV[2]
local key = prefix .. 'reminder:' .. id
local owner = redis.call('HGET', key, 'chat')
if not owner then return 0 end
redis.call('HSET', key, 'due', due)
redis.call('ZADD', KEYS[1], due, id)
redis.call('ZADD', prefix .. 'reminders:chat:' .. owner, due, id)
return 1
"#;

/// Deletes a chat's reminders and the other keys given after the first two, in one script.
const REDIS_FORGET: &str = r#"
local prefix = ARGV[#ARGV]
local chat_key, queue = KEYS[1], KEYS[2]
for _, id in ipairs(redis.call('ZRANGE', chat_key, 0, -1)) do
  redis.call('DEL', prefix .. 'reminder:' .. id)
  redis.call('ZREM', queue, id)
end
redis.call('DEL', chat_key)
for i = 3, #KEYS do
  redis.call('DEL', KEYS[i])
end
return 1
"#;

/// The script that deletes a chat's reminders and `also` (its check and settings) at once.
pub(super) fn forget_chat_command(keys: &RedisKeys, chat: i64, also: &[String]) -> redis::Cmd {
    let mut names = vec![keys.chat_reminders(chat), keys.reminder_queue()];
    names.extend_from_slice(also);
    let mut command = eval(REDIS_FORGET, &names);
    command.arg(keys.prefix());
    command
}

/// Runs a Lua script with EVAL (the `script` feature of the redis crate is not needed for this).
fn eval(script: &str, keys: &[String]) -> redis::Cmd {
    let mut command = redis::cmd("EVAL");
    command.arg(script).arg(keys.len());
    for key in keys {
        command.arg(key);
    }
    command
}

impl DialogueStorage {
    fn reminder_expiry(&self, due_at: Millis) -> Millis {
        due_at + self.ttl.as_millis() as Millis
    }

    /// Stores a reminder, or returns `None` when the chat already has `limit` pending.
    pub async fn add_reminder(
        &self,
        chat: i64,
        due_at: Millis,
        payload: &[u8],
        limit: usize,
    ) -> Result<Option<i64>, StorageError> {
        counted("add_reminder", async {
            match &self.backend {
                Backend::Sqlite(sqlite) => Ok(sqlite.with(|connection| {
                    connection
                        .prepare_cached(
                            "INSERT INTO reminders (chat_id, due_at, next_try_at, payload) \
                             SELECT ?1, ?2, ?2, ?3 WHERE (SELECT COUNT(*) FROM reminders WHERE chat_id = ?1) < ?4 \
                             RETURNING id",
                        )?
                        .query_row(params![chat, due_at as i64, payload, limit as i64], |row| row.get(0))
                        .optional()
                })?),
                Backend::Redis(connection) => {
                    let mut connection = connection.clone();
                    let keys = &self.keys;
                    let id: Option<i64> = eval(
                        REDIS_ADD,
                        &[keys.chat_reminders(chat), keys.reminder_queue(), keys.reminder_next_id()],
                    )
                    .arg(chat)
                    .arg(due_at)
                    .arg(payload)
                    .arg(limit)
                    .arg(self.reminder_expiry(due_at))
                    .arg(keys.prefix())
                    .query_async(&mut connection)
                    .await?;
                    Ok(id)
                }
                Backend::Memory(store) => {
                    let mut store = Backend::memory(store);
                    let reminders = &mut store.reminders;
                    let pending = reminders.by_id.values().filter(|(r, _)| r.chat == chat).count();
                    if pending >= limit {
                        return Ok(None);
                    }
                    reminders.next_id += 1;
                    let id = reminders.next_id;
                    let reminder = Reminder {
                        id,
                        chat,
                        due_at,
                        payload: payload.to_vec(),
                    };
                    reminders.by_id.insert(id, (reminder, due_at));
                    Ok(Some(id))
                }
            }
        }
        .await)
    }

    /// A chat's pending reminders, soonest first.
    pub async fn reminders_of(&self, chat: i64) -> Result<Vec<Reminder>, StorageError> {
        counted("read_reminders", async {
            match &self.backend {
                Backend::Sqlite(sqlite) => Ok(sqlite.with(|connection| {
                    connection
                        .prepare_cached(
                            "SELECT id, chat_id, due_at, payload FROM reminders WHERE chat_id = ? ORDER BY due_at, id",
                        )?
                        .query_map([chat], Reminder::from_row)?
                        .collect()
                })?),
                Backend::Redis(connection) => {
                    let mut connection = connection.clone();
                    let ids: Vec<i64> = redis::cmd("ZRANGE")
                        .arg(self.keys.chat_reminders(chat))
                        .arg(0)
                        .arg(-1)
                        .query_async(&mut connection)
                        .await?;
                    let mut found = Vec::new();
                    for id in ids {
                        let (due_at, payload): (Option<Millis>, Option<Vec<u8>>) = redis::cmd("HMGET")
                            .arg(self.keys.reminder(id))
                            .arg("due")
                            .arg("payload")
                            .query_async(&mut connection)
                            .await?;
                        if let (Some(due_at), Some(payload)) = (due_at, payload) {
                            found.push(Reminder {
                                id,
                                chat,
                                due_at,
                                payload,
                            });
                        }
                    }
                    Ok(found)
                }
                Backend::Memory(store) => {
                    let store = Backend::memory(store);
                    let mut found: Vec<Reminder> = store
                        .reminders
                        .by_id
                        .values()
                        .filter(|(reminder, _)| reminder.chat == chat)
                        .map(|(reminder, _)| reminder.clone())
                        .collect();
                    found.sort_by_key(|reminder| (reminder.due_at, reminder.id));
                    Ok(found)
                }
            }
        }
        .await)
    }

    /// Deletes a chat's reminder (the cancel button). False when it was not this chat's, or gone.
    pub async fn cancel_reminder(&self, chat: i64, id: i64) -> Result<bool, StorageError> {
        self.delete_reminder("cancel_reminder", id, Some(chat)).await
    }

    /// Deletes a reminder once sent.
    pub async fn finish_reminder(&self, id: i64) -> Result<(), StorageError> {
        self.delete_reminder("finish_reminder", id, None)
            .await
            .map(|_| ())
    }

    async fn delete_reminder(
        &self,
        operation: &'static str,
        id: i64,
        owner: Option<i64>,
    ) -> Result<bool, StorageError> {
        counted(
            operation,
            async {
                match &self.backend {
                    Backend::Sqlite(sqlite) => {
                        let deleted = sqlite.with(|connection| {
                            connection
                                .prepare_cached(
                                    "DELETE FROM reminders WHERE id = ?1 AND (?2 IS NULL OR chat_id = ?2)",
                                )?
                                .execute(params![id, owner])
                        })?;
                        Ok(deleted > 0)
                    }
                    Backend::Redis(connection) => {
                        let mut connection = connection.clone();
                        let owner = owner.map_or_else(String::new, |chat| chat.to_string());
                        let deleted: i64 = eval(REDIS_DELETE, &[self.keys.reminder_queue()])
                            .arg(id)
                            .arg(owner)
                            .arg(self.keys.prefix())
                            .query_async(&mut connection)
                            .await?;
                        Ok(deleted == 1)
                    }
                    Backend::Memory(store) => {
                        let mut store = Backend::memory(store);
                        let reminders = &mut store.reminders.by_id;
                        let owned = reminders
                            .get(&id)
                            .is_some_and(|(reminder, _)| owner.is_none_or(|chat| reminder.chat == chat));
                        if owned {
                            reminders.remove(&id);
                        }
                        Ok(owned)
                    }
                }
            }
            .await,
        )
    }

    /// Claims up to `limit` reminders due by `now` for sending, each until `lease_until`; expired
    /// ones are deleted unsent.
    pub async fn claim_due_reminders(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: usize,
    ) -> Result<Vec<Reminder>, StorageError> {
        let expired_before = now.saturating_sub(self.ttl.as_millis() as Millis);
        counted("claim_reminders", async {
            match &self.backend {
                Backend::Sqlite(sqlite) => Ok(sqlite.with(|connection| {
                    connection
                        .prepare_cached("DELETE FROM reminders WHERE due_at <= ?")?
                        .execute([expired_before as i64])?;
                    connection
                        .prepare_cached(
                            "UPDATE reminders SET next_try_at = ?1 WHERE id IN \
                             (SELECT id FROM reminders WHERE next_try_at <= ?2 ORDER BY next_try_at LIMIT ?3) \
                             RETURNING id, chat_id, due_at, payload",
                        )?
                        .query_map(
                            params![lease_until as i64, now as i64, limit as i64],
                            Reminder::from_row,
                        )?
                        .collect()
                })?),
                Backend::Redis(connection) => {
                    let mut connection = connection.clone();
                    let flat: Vec<redis::Value> = eval(REDIS_CLAIM, &[self.keys.reminder_queue()])
                        .arg(now)
                        .arg(lease_until)
                        .arg(limit)
                        .arg(self.keys.prefix())
                        .query_async(&mut connection)
                        .await?;
                    let mut claimed = Vec::new();
                    for fields in flat.chunks(4) {
                        let [id, chat, due_at, payload] = fields else {
                            break;
                        };
                        claimed.push(Reminder {
                            id: redis::from_redis_value_ref(id).map_err(redis::RedisError::from)?,
                            chat: redis::from_redis_value_ref(chat).map_err(redis::RedisError::from)?,
                            due_at: redis::from_redis_value_ref(due_at).map_err(redis::RedisError::from)?,
                            payload: redis::from_redis_value_ref(payload).map_err(redis::RedisError::from)?,
                        });
                    }
                    Ok(claimed)
                }
                Backend::Memory(store) => {
                    let mut store = Backend::memory(store);
                    let reminders = &mut store.reminders.by_id;
                    reminders.retain(|_, (reminder, _)| reminder.due_at > expired_before);
                    let mut due: Vec<_> = reminders
                        .values_mut()
                        .filter(|(_, next_try)| *next_try <= now)
                        .collect();
                    due.sort_by_key(|(reminder, next_try)| (*next_try, reminder.id));
                    Ok(due
                        .into_iter()
                        .take(limit)
                        .map(|(reminder, next_try)| {
                            *next_try = lease_until;
                            reminder.clone()
                        })
                        .collect())
                }
            }
        }
        .await)
    }

    /// Moves a claimed reminder to `until`, as if it had been set for then (the person was busy
    /// with another check; it is not late when it comes).
    pub async fn postpone_reminder(&self, id: i64, until: Millis) -> Result<(), StorageError> {
        counted(
            "postpone_reminder",
            async {
                match &self.backend {
                    Backend::Sqlite(sqlite) => {
                        sqlite.with(|connection| {
                            connection
                                .prepare_cached(
                                    "UPDATE reminders SET due_at = ?1, next_try_at = ?1 WHERE id = ?2",
                                )?
                                .execute(params![until as i64, id])
                        })?;
                    }
                    Backend::Redis(connection) => {
                        let mut connection = connection.clone();
                        let _: i64 = eval(REDIS_POSTPONE, &[self.keys.reminder_queue()])
                            .arg(id)
                            .arg(until)
                            .arg(self.keys.prefix())
                            .query_async(&mut connection)
                            .await?;
                    }
                    Backend::Memory(store) => {
                        if let Some((reminder, next_try)) =
                            Backend::memory(store).reminders.by_id.get_mut(&id)
                        {
                            reminder.due_at = until;
                            *next_try = until;
                        }
                    }
                }
                Ok(())
            }
            .await,
        )
    }

    /// When the scheduler next has something to do: the earliest next try, if any.
    pub async fn next_reminder_at(&self) -> Result<Option<Millis>, StorageError> {
        counted(
            "next_reminder",
            async {
                match &self.backend {
                    Backend::Sqlite(sqlite) => {
                        let next: Option<i64> = sqlite.with(|connection| {
                            connection
                                .prepare_cached("SELECT MIN(next_try_at) FROM reminders")?
                                .query_row([], |row| row.get(0))
                        })?;
                        Ok(next.map(|next| next as Millis))
                    }
                    Backend::Redis(connection) => {
                        let mut connection = connection.clone();
                        let first: Vec<(i64, f64)> = redis::cmd("ZRANGE")
                            .arg(self.keys.reminder_queue())
                            .arg(0)
                            .arg(0)
                            .arg("WITHSCORES")
                            .query_async(&mut connection)
                            .await?;
                        Ok(first.first().map(|&(_, score)| score as Millis))
                    }
                    Backend::Memory(store) => Ok(Backend::memory(store)
                        .reminders
                        .by_id
                        .values()
                        .map(|&(_, next_try)| next_try)
                        .min()),
                }
            }
            .await,
        )
    }
}
