//! Faults to inject (429, 5xx, dropped connections, slow answers) and Telegram's rate limits.

use super::*;

/// How often to inject each fault into the methods listed, as probabilities
/// per call.
#[derive(Clone, Debug)]
pub struct FaultRates {
    /// 429 with `retry_after`.
    pub too_many: f64,
    pub retry_after: u32,
    /// `Fault::QuickServerError(500)`.
    pub server_error: f64,
    /// `Fault::Drop`: the connection closes before anything happened.
    pub drop: f64,
    /// `Fault::AnswerLost`: the request is carried out, the answer is lost.
    pub answer_lost: f64,
    pub methods: Vec<String>,
}

pub(super) struct RandomFaults {
    pub(super) rates: FaultRates,
    pub(super) methods: Vec<String>,
    pub(super) seed: u64,
    /// Calls so far per (method, chat).
    pub(super) calls: HashMap<(String, i64), u64>,
}

impl RandomFaults {
    pub(super) fn draw(&mut self, method: &str, chat: i64) -> Option<Fault> {
        if !self.methods.iter().any(|m| m == method) {
            return None;
        }
        let n = self.calls.entry((method.to_owned(), chat)).or_default();
        *n += 1;
        let mut key = self.seed ^ (chat as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for byte in method.bytes() {
            key = splitmix64(key ^ u64::from(byte));
        }
        let roll = (splitmix64(key ^ *n) >> 11) as f64 / (1u64 << 53) as f64;
        let rates = &self.rates;
        let mut threshold = 0.0;
        for (rate, fault) in [
            (
                rates.too_many,
                Fault::TooManyRequests {
                    retry_after: rates.retry_after,
                },
            ),
            (rates.server_error, Fault::QuickServerError(500)),
            (rates.drop, Fault::Drop),
            (rates.answer_lost, Fault::AnswerLost),
        ] {
            threshold += rate;
            if roll < threshold {
                return Some(fault);
            }
        }
        None
    }
}

/// A small, well-mixed hash: enough to turn a seed and a counter into
/// independent-looking draws without a random number crate.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Telegram's limits on messages (bots/faq, "My bot is hitting limits").
#[derive(Clone, Debug)]
pub struct RateLimits {
    /// A private chat may take a burst of this many messages ...
    pub private_burst: f64,
    /// ... and then about this many a second.
    pub private_per_second: f64,
    /// Messages per minute in one group, supergroup or channel.
    pub group_per_minute: usize,
    /// Messages per second across all chats.
    pub overall_per_second: usize,
}

impl RateLimits {
    /// "Avoid more than one message per second" in a chat, with short bursts
    /// (Telegram does not say how long; 20 lets a person who answers ten
    /// questions in three seconds see every edit and reply), 20 a minute in a
    /// group, 30 a second overall.
    pub fn telegram() -> RateLimits {
        RateLimits {
            private_burst: 20.0,
            private_per_second: 1.0,
            group_per_minute: 20,
            overall_per_second: 30,
        }
    }
}

/// A request refused by the enforced rate limits.
#[derive(Clone, Debug)]
pub struct RateLimitHit {
    pub chat_id: i64,
    /// The bot asked again before an earlier `retry_after` for this chat
    /// had passed: what turns one 429 into a storm.
    pub during_penalty: bool,
}

/// Methods that put or change a message in a chat: Telegram counts edits
/// against the same limits as new messages.
pub(super) const RATE_LIMITED_METHODS: &[&str] = &[
    "sendMessage",
    "sendPhoto",
    "editMessageText",
    "editMessageReplyMarkup",
];

pub(super) struct RateLimiter {
    pub(super) limits: RateLimits,
    /// Private chat → (tokens, when last refilled).
    buckets: HashMap<i64, (f64, Instant)>,
    /// Group → when its recent messages went out.
    group_sent: HashMap<i64, VecDeque<Instant>>,
    overall_sent: VecDeque<Instant>,
    /// Chat → until when it must wait, after a 429.
    penalties: HashMap<i64, Instant>,
}

impl RateLimiter {
    pub(super) fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter {
            limits,
            buckets: HashMap::new(),
            group_sent: HashMap::new(),
            overall_sent: VecDeque::new(),
            penalties: HashMap::new(),
        }
    }

    /// Counts a message for `chat`, or returns (retry_after, during_penalty).
    pub(super) fn admit(&mut self, chat: i64, now: Instant) -> Result<(), (u32, bool)> {
        if let Some(until) = self.penalties.get(&chat).filter(|until| **until > now) {
            return Err((seconds_until(*until, now), true));
        }
        let wait = self.wait_needed(chat, now);
        if wait > Duration::ZERO {
            let retry_after = wait.as_secs_f64().ceil().max(1.0) as u32;
            self.penalties
                .insert(chat, now + Duration::from_secs(u64::from(retry_after)));
            return Err((retry_after, false));
        }
        if chat > 0 {
            let bucket = self.buckets.get_mut(&chat).expect("refilled by wait_needed");
            bucket.0 -= 1.0;
        } else {
            self.group_sent.entry(chat).or_default().push_back(now);
        }
        self.overall_sent.push_back(now);
        Ok(())
    }

    /// How long until `chat` may get one more message.
    fn wait_needed(&mut self, chat: i64, now: Instant) -> Duration {
        let second = Duration::from_secs(1);
        let minute = Duration::from_secs(60);
        while self.overall_sent.front().is_some_and(|at| now - *at >= second) {
            self.overall_sent.pop_front();
        }
        let overall = if self.overall_sent.len() >= self.limits.overall_per_second {
            second - (now - self.overall_sent[0])
        } else {
            Duration::ZERO
        };
        let own = if chat > 0 {
            let limits = &self.limits;
            let bucket = self.buckets.entry(chat).or_insert((limits.private_burst, now));
            let refilled = bucket.0 + (now - bucket.1).as_secs_f64() * limits.private_per_second;
            *bucket = (refilled.min(limits.private_burst), now);
            if bucket.0 >= 1.0 {
                Duration::ZERO
            } else {
                Duration::from_secs_f64((1.0 - bucket.0) / limits.private_per_second)
            }
        } else {
            let sent = self.group_sent.entry(chat).or_default();
            while sent.front().is_some_and(|at| now - *at >= minute) {
                sent.pop_front();
            }
            if sent.len() >= self.limits.group_per_minute {
                minute - (now - sent[0])
            } else {
                Duration::ZERO
            }
        };
        overall.max(own)
    }
}

fn seconds_until(until: Instant, now: Instant) -> u32 {
    (until - now).as_secs_f64().ceil().max(1.0) as u32
}
