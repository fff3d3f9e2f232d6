//! The bot's settings, read from the environment (and `.env`). See `.env.example`.

use std::net::SocketAddr;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use std::time::Duration;

use super::clock::{Clock, SystemClock};
pub use crate::conversation::ReminderDelay;
use crate::conversation::TimeUnit;

/// How long an idle check is kept when `SPOTCHECK_STATE_TTL` is not set.
pub const DEFAULT_STATE_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// The re-check reminders offered when `SPOTCHECK_REMINDER_DELAYS` is not set (contract §6).
pub const DEFAULT_REMINDER_DELAYS: &str = "1h,4h,8h";
/// More would not fit one row of buttons on a phone.
const MAX_REMINDER_DELAYS: usize = 4;

#[derive(Clone)]
pub struct Config {
    /// Never printed or logged.
    pub token: String,
    pub api_url: Option<url::Url>,
    /// `TELOXIDE_PROXY`, as `Bot::new` reads it: every Bot API call goes through it. Checked
    /// here, so a bad one is refused at start with its name instead of a panic.
    pub proxy: Option<reqwest::Proxy>,
    pub storage: StorageChoice,
    pub state_ttl: Duration,
    pub throttle: bool,
    pub reminder_delays: Vec<ReminderDelay>,
    /// What the reminder scheduler reads the time from; tests pass a `ManualClock`.
    pub clock: Arc<dyn Clock>,
    /// Webhook mode (`SPOTCHECK_WEBHOOK_URL`); polling when `None`.
    pub webhook: Option<Webhook>,
    /// Where `/healthz` and `/metrics` are served (`SPOTCHECK_OPS_LISTEN`), in both modes and
    /// never on the webhook's public listener: watching a result counter while a known person
    /// does a check would tell their result. `None` only in tests that build a `Config` by hand.
    pub ops_listen: Option<SocketAddr>,
}

/// Without the token, and without the proxy's URL (it can hold a password).
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("api_url", &self.api_url)
            .field("proxy", &self.proxy.as_ref().map(|_| "set"))
            .field("storage", &self.storage)
            .field("state_ttl", &self.state_ttl)
            .field("throttle", &self.throttle)
            .field("reminder_delays", &self.reminder_delays)
            .field("webhook", &self.webhook)
            .field("ops_listen", &self.ops_listen)
            .finish_non_exhaustive()
    }
}

/// Where Telegram posts updates, the secret it must send with them, and the public address the
/// webhook alone is served on (`SPOTCHECK_LISTEN`).
#[derive(Clone)]
pub struct Webhook {
    pub url: url::Url,
    /// Never printed or logged.
    pub secret: String,
    pub listen: SocketAddr,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.url)
            .field("listen", &self.listen)
            .finish_non_exhaustive()
    }
}

/// Where the webhook server listens when `SPOTCHECK_LISTEN` is not set (contract §6).
pub const DEFAULT_LISTEN: &str = "0.0.0.0:8080";

/// Where `/healthz` and `/metrics` are served when `SPOTCHECK_OPS_LISTEN` is not set: this
/// machine only (contract §6). `127.0.0.1:0` takes any free port. Not 8081: that is where a local
/// Bot API server (`telegram-bot-api`) listens by default. 9464 is the usual metrics-exporter port.
pub const DEFAULT_OPS_LISTEN: &str = "127.0.0.1:9464";

/// The secret Telegram sends with each webhook request: `SPOTCHECK_WEBHOOK_SECRET`, or derived
/// from the token, so that replicas agree on it without sharing another setting (and nobody
/// without the token can compute it). Telegram allows 1-256 of `A-Z a-z 0-9 _ -`.
fn webhook_secret(configured: Option<String>, token: &str) -> Result<String, ConfigError> {
    if let Some(secret) = configured {
        let valid = (1..=256).contains(&secret.len())
            && secret
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-');
        if !valid {
            return Err(ConfigError::Invalid {
                name: "SPOTCHECK_WEBHOOK_SECRET",
                why: "use 1 to 256 of the characters A-Z, a-z, 0-9, _ and -".into(),
            });
        }
        return Ok(secret);
    }
    let digest = Sha256::digest(format!("spotcheck webhook secret\n{token}").as_bytes());
    Ok(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// A re-check delay is read as written: "4h" is offered as "4 h", "90s" as "90 s".
impl ReminderDelay {
    pub fn parse(text: &str) -> Result<ReminderDelay, String> {
        let (number, unit) = split_duration(text)?;
        Ok(ReminderDelay {
            spec: format!("{number}{}", unit.suffix),
            amount: number,
            unit: unit.shown_in,
            duration: Duration::from_secs(number * unit.seconds),
        })
    }

    /// A comma-separated list, such as `1h,4h,8h`.
    pub fn parse_list(text: &str) -> Result<Vec<ReminderDelay>, String> {
        let delays = text
            .split(',')
            .map(ReminderDelay::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if delays.len() > MAX_REMINDER_DELAYS {
            return Err(format!("at most {MAX_REMINDER_DELAYS} delays fit on the buttons"));
        }
        Ok(delays)
    }
}

#[derive(Clone, PartialEq, Eq)]
pub enum StorageChoice {
    Sqlite(String),
    Redis(String),
    /// For tests: nothing survives the process.
    Memory,
}

/// A Redis URL's password is shown as `***`.
impl std::fmt::Debug for StorageChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageChoice::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            StorageChoice::Redis(url) => f.debug_tuple("Redis").field(&without_password(url)).finish(),
            StorageChoice::Memory => f.write_str("Memory"),
        }
    }
}

fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => "(not a URL)".to_string(),
    }
}

/// Why the bot cannot start; each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "TELOXIDE_TOKEN is not set.\n\
         To run the Telegram bot you need a token: open Telegram, talk to @BotFather, send /newbot, \
         and put the token it gives you in a file named .env as TELOXIDE_TOKEN=... (see .env.example).\n\
         To try SpotCheck without a token, run: spotcheck chat"
    )]
    NoToken,
    #[error("{name} is not valid: {why}")]
    Invalid { name: &'static str, why: String },
}

impl Config {
    /// Reads the settings through a lookup function, so tests need not touch the environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let token = lookup("TELOXIDE_TOKEN").ok_or(ConfigError::NoToken)?;
        let api_url = lookup("TELOXIDE_API_URL")
            .map(|url| url.parse().map_err(|error| invalid("TELOXIDE_API_URL", error)))
            .transpose()?;
        // Only whether it parses is said: a proxy URL can hold a password.
        let proxy = lookup("TELOXIDE_PROXY")
            .map(|url| reqwest::Proxy::all(url).map_err(|_| invalid("TELOXIDE_PROXY", "not a proxy URL")))
            .transpose()?;
        let storage = match (lookup("REDIS_URL"), lookup("SPOTCHECK_DB")) {
            (Some(redis), _) => StorageChoice::Redis(redis),
            (None, Some(path)) if path == ":memory:" => StorageChoice::Memory,
            (None, path) => StorageChoice::Sqlite(path.unwrap_or_else(|| "spotcheck.db".into())),
        };
        let state_ttl = match lookup("SPOTCHECK_STATE_TTL") {
            Some(text) => parse_duration(&text).map_err(|why| ConfigError::Invalid {
                name: "SPOTCHECK_STATE_TTL",
                why,
            })?,
            None => DEFAULT_STATE_TTL,
        };
        let throttle = match lookup("SPOTCHECK_THROTTLE")
            .as_deref()
            .map(str::to_lowercase)
            .as_deref()
        {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "SPOTCHECK_THROTTLE",
                    why: format!("`{other}` (use on or off)"),
                })
            }
        };
        let reminder_delays = ReminderDelay::parse_list(
            lookup("SPOTCHECK_REMINDER_DELAYS")
                .as_deref()
                .unwrap_or(DEFAULT_REMINDER_DELAYS),
        )
        .map_err(|why| ConfigError::Invalid {
            name: "SPOTCHECK_REMINDER_DELAYS",
            why,
        })?;
        let address = |name: &'static str, default: &str| -> Result<SocketAddr, ConfigError> {
            lookup(name)
                .as_deref()
                .unwrap_or(default)
                .parse()
                .map_err(|error| invalid(name, error))
        };
        let webhook = match lookup("SPOTCHECK_WEBHOOK_URL") {
            Some(url) => Some(Webhook {
                url: url
                    .parse()
                    .map_err(|error| invalid("SPOTCHECK_WEBHOOK_URL", error))?,
                secret: webhook_secret(lookup("SPOTCHECK_WEBHOOK_SECRET"), &token)?,
                listen: address("SPOTCHECK_LISTEN", DEFAULT_LISTEN)?,
            }),
            None => None,
        };
        Ok(Config {
            webhook,
            ops_listen: Some(address("SPOTCHECK_OPS_LISTEN", DEFAULT_OPS_LISTEN)?),
            token,
            api_url,
            proxy,
            storage,
            state_ttl,
            throttle,
            reminder_delays,
            clock: Arc::new(SystemClock),
        })
    }
}

fn invalid(name: &'static str, error: impl std::fmt::Display) -> ConfigError {
    ConfigError::Invalid {
        name,
        why: error.to_string(),
    }
}

/// A duration such as `24h`, `90s`, `15m`, `2d`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = split_duration(text)?;
    Ok(Duration::from_secs(number * unit.seconds))
}

struct Unit {
    seconds: u64,
    /// How the unit is written in a compact duration (`4h`).
    suffix: &'static str,
    /// How it is shown to people (each language writes it its own way).
    shown_in: TimeUnit,
}

fn split_duration(text: &str) -> Result<(u64, Unit), String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 90s, 15m, 24h"))?;
    let unit = match unit.trim() {
        "" | "s" => Unit {
            seconds: 1,
            suffix: "s",
            shown_in: TimeUnit::Seconds,
        },
        "m" | "min" => Unit {
            seconds: 60,
            suffix: "m",
            shown_in: TimeUnit::Minutes,
        },
        "h" => Unit {
            seconds: 3600,
            suffix: "h",
            shown_in: TimeUnit::Hours,
        },
        "d" => Unit {
            seconds: 86_400,
            suffix: "d",
            shown_in: TimeUnit::Days,
        },
        other => return Err(format!("unknown unit `{other}` in `{text}` (use s, m, h or d)")),
    };
    if number == 0 {
        return Err(format!("`{text}` must be more than zero"));
    }
    Ok((number, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_delays_keep_the_unit_they_were_given() {
        let delays = ReminderDelay::parse_list(" 90s, 15m,1h ,2d").unwrap();
        let shown: Vec<(&str, u64, TimeUnit, u64)> = delays
            .iter()
            .map(|delay| {
                (
                    delay.spec.as_str(),
                    delay.amount,
                    delay.unit,
                    delay.duration.as_secs(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("90s", 90, TimeUnit::Seconds, 90),
                ("15m", 15, TimeUnit::Minutes, 900),
                ("1h", 1, TimeUnit::Hours, 3600),
                ("2d", 2, TimeUnit::Days, 172_800)
            ]
        );
    }

    fn webhook_config(secret: Option<&str>, token: &str) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| match name {
            "TELOXIDE_TOKEN" => Some(token.into()),
            "SPOTCHECK_WEBHOOK_URL" => Some("https://bot.example/hook".into()),
            "SPOTCHECK_WEBHOOK_SECRET" => secret.map(str::to_string),
            _ => None,
        })
    }

    #[test]
    fn the_webhook_secret_is_checked_or_derived_the_same_on_every_replica() {
        let secret = |config: Config| config.webhook.expect("webhook mode").secret;
        let derived = secret(webhook_config(None, "1:A").unwrap());
        assert_eq!(
            derived,
            secret(webhook_config(None, "1:A").unwrap()),
            "replicas agree"
        );
        assert_ne!(
            derived,
            secret(webhook_config(None, "1:B").unwrap()),
            "another bot, another secret"
        );
        assert!(!derived.contains("1:A"), "the token is not in it");
        assert_eq!(
            secret(webhook_config(Some("my_secret-1"), "1:A").unwrap()),
            "my_secret-1"
        );
        let config = webhook_config(None, "1:A").unwrap();
        assert_eq!(
            config.webhook.unwrap().listen,
            DEFAULT_LISTEN.parse().unwrap(),
            "webhook mode listens by default"
        );
        assert_eq!(
            config.ops_listen,
            Some(DEFAULT_OPS_LISTEN.parse().unwrap()),
            "the operator endpoints are on this machine only by default"
        );
        for bad in ["has space", "ünïcode", &"x".repeat(257)] {
            let error = webhook_config(Some(bad), "1:A").unwrap_err().to_string();
            assert!(error.contains("SPOTCHECK_WEBHOOK_SECRET"), "{bad}: {error}");
        }
    }

    #[test]
    fn a_bad_operator_address_or_proxy_is_refused_by_name() {
        let with = |name: &'static str, value: &'static str| {
            Config::from_lookup(move |asked| match asked {
                "TELOXIDE_TOKEN" => Some("1:A".into()),
                _ if asked == name => Some(value.into()),
                _ => None,
            })
        };
        let error = with("SPOTCHECK_OPS_LISTEN", "localhost").unwrap_err().to_string();
        assert!(error.contains("SPOTCHECK_OPS_LISTEN"), "{error}");
        let config = with("SPOTCHECK_OPS_LISTEN", "127.0.0.1:0").unwrap();
        assert_eq!(config.ops_listen, Some("127.0.0.1:0".parse().unwrap()));
        let error = with("TELOXIDE_PROXY", "::not a url:secret@")
            .unwrap_err()
            .to_string();
        assert!(error.contains("TELOXIDE_PROXY"), "{error}");
        assert!(
            !error.contains("secret"),
            "the proxy URL is not repeated: {error}"
        );
        assert!(with("TELOXIDE_PROXY", "http://proxy.example:3128")
            .unwrap()
            .proxy
            .is_some());
    }

    #[test]
    fn bad_reminder_delays_are_refused_with_the_reason() {
        for (setting, why) in [
            ("1h,,4h", "not a duration"),
            ("1w", "unknown unit"),
            ("0s", "more than zero"),
            ("1h,2h,3h,4h,5h", "at most 4"),
        ] {
            let error = Config::from_lookup(|name| match name {
                "TELOXIDE_TOKEN" => Some("t".into()),
                "SPOTCHECK_REMINDER_DELAYS" => Some(setting.into()),
                _ => None,
            })
            .unwrap_err()
            .to_string();
            assert!(
                error.contains("SPOTCHECK_REMINDER_DELAYS") && error.contains(why),
                "{setting}: {error}"
            );
        }
    }

    #[test]
    fn debug_output_holds_no_token_secret_or_password() {
        let config = Config::from_lookup(|name| match name {
            "TELOXIDE_TOKEN" => Some("123456:TOKEN-SECRET-PART".into()),
            "TELOXIDE_PROXY" => Some("http://user:proxy-password@proxy.example:3128".into()),
            "REDIS_URL" => Some("redis://:redis-password@redis.example:6379/0".into()),
            "SPOTCHECK_WEBHOOK_URL" => Some("https://bot.example/hook".into()),
            "SPOTCHECK_WEBHOOK_SECRET" => Some("webhook-secret".into()),
            _ => None,
        })
        .unwrap();
        let bot = teloxide::Bot::new(config.token.clone());
        let shown = [
            format!("{config:?}"),
            format!("{config:#?}"),
            format!("{:?}", super::super::telegram::Tg::Direct(bot.clone())),
        ];
        for text in &shown {
            for secret in [
                "TOKEN-SECRET-PART",
                "proxy-password",
                "redis-password",
                "webhook-secret",
            ] {
                assert!(!text.contains(secret), "{secret} shown in: {text}");
            }
        }
        assert!(
            shown[0].contains("redis.example"),
            "the rest is shown: {}",
            shown[0]
        );
    }
}
