//! The names of SpotCheck's Redis keys. Every key of a bot starts with `spotcheck:<bot id>:`, so
//! two bots can share one Redis; the bot id is the public number before the token's colon.
//!
//! Versions before the prefix used `spotcheck:` alone. A bot adopts those keys when it opens the
//! storage (`adopt_legacy_keys`), so an upgrade keeps every check, reminder and setting.

use redis::aio::ConnectionManager;
use redis::AsyncCommands;
use sha2::{Digest, Sha256};

use super::StorageError;

/// What came before the per-bot prefix, and what storages opened without a bot still use.
const LEGACY_PREFIX: &str = "spotcheck:";

/// The kinds of key worth keeping across an upgrade (locks and the health probe's heartbeat
/// last seconds), as they follow the prefix.
const ADOPTED: [&str; 4] = ["dialogue:", "settings:", "reminder:", "reminders:"];

#[derive(Clone, Debug)]
pub(super) struct RedisKeys {
    prefix: String,
}

impl Default for RedisKeys {
    fn default() -> RedisKeys {
        RedisKeys {
            prefix: LEGACY_PREFIX.to_string(),
        }
    }
}

impl RedisKeys {
    /// The keys of the bot with this token. The bot id is public (it is in the bot's links);
    /// a token without one is hashed, so the prefix never shows the token.
    pub(super) fn for_token(token: &str) -> RedisKeys {
        let id = token.split(':').next().unwrap_or_default();
        let id = if !id.is_empty() && id.bytes().all(|byte| byte.is_ascii_digit()) {
            id.to_string()
        } else {
            let digest = Sha256::digest(token.as_bytes());
            digest[..6].iter().map(|byte| format!("{byte:02x}")).collect()
        };
        RedisKeys {
            prefix: format!("{LEGACY_PREFIX}{id}:"),
        }
    }

    /// Passed to the Lua scripts, which name a reminder's keys from its id.
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    pub(super) fn dialogue(&self, chat: i64) -> String {
        format!("{}dialogue:{chat}", self.prefix)
    }

    /// Every chat's dialogue, as a `KEYS`/`SCAN` pattern.
    pub(super) fn dialogues(&self) -> String {
        format!("{}dialogue:*", self.prefix)
    }

    pub(super) fn settings(&self, chat: i64) -> String {
        format!("{}settings:{chat}", self.prefix)
    }

    pub(super) fn heartbeat(&self) -> String {
        format!("{}heartbeat", self.prefix)
    }

    pub(super) fn lock(&self, chat: i64) -> String {
        format!("{}lock:{chat}", self.prefix)
    }

    pub(super) fn reminder_queue(&self) -> String {
        format!("{}reminders:queue", self.prefix)
    }

    pub(super) fn reminder_next_id(&self) -> String {
        format!("{}reminders:next_id", self.prefix)
    }

    pub(super) fn reminder(&self, id: i64) -> String {
        format!("{}reminder:{id}", self.prefix)
    }

    pub(super) fn chat_reminders(&self, chat: i64) -> String {
        format!("{}reminders:chat:{chat}", self.prefix)
    }

    /// Moves the keys an older version left under `spotcheck:` to this bot's prefix; returns
    /// how many. Each key moves in one script, so replicas starting together do not clash: a key
    /// already moved is gone. Where both exist (an old replica wrote on after a new one started)
    /// the two are merged: a reminder index keeps both sets, the id counter the larger value,
    /// and otherwise this bot's newer key stays.
    pub(super) async fn adopt_legacy_keys(
        &self,
        connection: &ConnectionManager,
    ) -> Result<u64, StorageError> {
        if self.prefix == LEGACY_PREFIX {
            return Ok(0);
        }
        let mut connection = connection.clone();
        let mut moved = 0;
        for kind in ADOPTED {
            let pattern = format!("{LEGACY_PREFIX}{kind}*");
            let mut legacy = Vec::new();
            let mut keys = connection.scan_match::<_, String>(&pattern).await?;
            while let Some(key) = keys.next_item().await {
                legacy.push(key?);
            }
            drop(keys);
            for old in legacy {
                let new = format!("{}{}", self.prefix, &old[LEGACY_PREFIX.len()..]);
                let adopted: i64 = redis::cmd("EVAL")
                    .arg(REDIS_ADOPT)
                    .arg(2)
                    .arg(&old)
                    .arg(&new)
                    .query_async(&mut connection)
                    .await?;
                moved += adopted as u64;
            }
        }
        Ok(moved)
    }
}

/// Moves KEYS[1] to KEYS[2], or merges it into an existing KEYS[2] (see `adopt_legacy_keys`).
const REDIS_ADOPT: &str = r#"
local old, new = KEYS[1], KEYS[2]
local kind = redis.call('TYPE', old).ok
if kind == 'none' then return 0 end
if redis.call('EXISTS', new) == 0 then
  redis.call('RENAME', old, new)
  return 1
end
if kind == 'zset' then
  local ttl = redis.call('PTTL', new)
  redis.call('ZUNIONSTORE', new, 2, new, old, 'AGGREGATE', 'MAX')
  if ttl > 0 then redis.call('PEXPIRE', new, ttl) end
elseif kind == 'string' and string.sub(new, -8) == ':next_id' then
  local larger = math.max(tonumber(redis.call('GET', new)) or 0, tonumber(redis.call('GET', old)) or 0)
  redis.call('SET', new, larger)
end
redis.call('DEL', old)
return 1
"#;
