//! Simulated people for the fault and abuse tests. Each follows its own chat with its own cursor
//! over the fake's requests: `FakeTelegram::wait_for` shares one cursor, which people acting at
//! the same time would take from each other.

use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use spotcheck::bot::StorageChoice;

use super::answers::presses_for;
use super::fake_telegram::{FakeTelegram, Request};
use super::harness::{self, question_id, Harness};

/// Runs the bot in this process against `fake`, paced by teloxide's `Throttle` or not
/// (`SPOTCHECK_THROTTLE`, on in production).
pub async fn start_bot(fake: FakeTelegram, throttle: bool) -> Harness {
    let mut config = Harness::config(&fake, StorageChoice::Memory);
    config.throttle = throttle;
    Harness::start_config(fake, config).await
}

/// Someone watching one chat: sees the bot's requests for it, in order, once each.
pub struct Follower {
    pub fake: FakeTelegram,
    pub chat: i64,
    seen: usize,
}

impl Follower {
    /// Starts watching from now on.
    pub fn new(fake: &FakeTelegram, chat: i64) -> Follower {
        Follower {
            fake: fake.clone(),
            chat,
            seen: fake.requests().len(),
        }
    }

    /// Watches from the very first request.
    pub fn from_start(fake: &FakeTelegram, chat: i64) -> Follower {
        Follower {
            fake: fake.clone(),
            chat,
            seen: 0,
        }
    }

    /// The next request for this chat matching `pred`, within `within`.
    pub async fn next(&mut self, within: Duration, pred: impl Fn(&Request) -> bool) -> Option<Request> {
        let chat = self.chat;
        let (index, request) = self
            .fake
            .wait_for_from(self.seen, within, |request| {
                request.chat_id() == Some(chat) && pred(request)
            })
            .await?;
        self.seen = index + 1;
        Some(request)
    }

    /// The next message the bot sent and got back (a retried send counts once, when it worked).
    pub async fn next_message(&mut self, within: Duration) -> Option<Request> {
        self.next(within, |request| is_send(request) && request.delivered())
            .await
    }
}

pub fn is_send(request: &Request) -> bool {
    matches!(request.method.as_str(), "sendMessage" | "sendPhoto")
}

/// A question sent (not a checklist's keyboard edited to show its ticks).
pub fn is_question(request: &Request) -> bool {
    is_send(request) && request.callback_data().iter().any(|data| data.starts_with("a:"))
}

pub fn is_advice(request: &Request) -> bool {
    request.text().is_some_and(harness::is_advice)
}

/// One person's check, as they lived it.
#[derive(Debug)]
pub struct CheckRun {
    /// The advice as sent, with the buttons under it.
    pub advice: Request,
    /// From each press to the bot's next message, as the fake saw them.
    pub waits: Vec<Duration>,
}

impl CheckRun {
    pub fn text(&self) -> &str {
        self.advice.text().unwrap_or_default()
    }

    /// The advice's message id, for the buttons under it.
    pub fn advice_id(&self) -> i64 {
        self.advice.message_id().expect("a delivered message has an id")
    }
}

/// Goes through a whole check by buttons, answering from the facts (the vignette convention for
/// the rest), taking `think` before each press. Fails if any step takes longer than `patience`.
pub async fn complete_check(
    fake: &FakeTelegram,
    chat: i64,
    facts: &Map<String, Value>,
    think: Duration,
    patience: Duration,
) -> Result<CheckRun, String> {
    let follower = Follower::new(fake, chat);
    fake.private_text(chat, "/check");
    answer_until_advice(follower, facts, think, patience).await
}

/// Answers every question that reaches the follower's chat from the facts, taking `think` before
/// each press, until the advice comes: for a check already started (by `/check`, or by a
/// re-check's "feels worse"). The first wait counts from now. Fails if any step takes longer
/// than `patience`.
pub async fn answer_until_advice(
    mut follower: Follower,
    facts: &Map<String, Value>,
    think: Duration,
    patience: Duration,
) -> Result<CheckRun, String> {
    let fake = follower.fake.clone();
    let chat = follower.chat;
    let protocol = &super::dialogues().protocol;
    let mut waits = Vec::new();
    let mut asked_at = Instant::now();
    for _ in 0..=protocol.questions.len() {
        let step = follower
            .next(patience, |request| {
                request.method == "sendMessage"
                    && request.delivered()
                    && (is_question(request) || is_advice(request))
            })
            .await
            .ok_or_else(|| {
                format!(
                    "chat {chat}: no question or advice within {patience:?}; its requests: {:#?}",
                    requests_in(&fake, chat)
                )
            })?;
        waits.push(step.at.saturating_duration_since(asked_at));
        if is_advice(&step) {
            return Ok(CheckRun { advice: step, waits });
        }
        let question = question_id(&step);
        let message = step.message_id().expect("a delivered message has an id");
        tokio::time::sleep(think).await;
        asked_at = Instant::now();
        // A checklist takes several presses in a row: its items, then Done.
        for option in presses_for(protocol, &question, facts) {
            fake.callback(chat, message, &format!("a:{question}:{option}"));
        }
    }
    Err(format!("chat {chat}: more questions than the protocol has"))
}

/// What the bot did in a chat, a line a request, for a test's failure message.
pub fn requests_in(fake: &FakeTelegram, chat: i64) -> Vec<String> {
    fake.requests()
        .iter()
        .filter(|request| request.chat_id() == Some(chat))
        .map(|request| {
            let text: String = request.text().unwrap_or_default().chars().take(40).collect();
            let at = request.at.elapsed();
            format!(
                "{} {text:?} {:?} {:?}, {at:?} ago",
                request.method,
                request.fault,
                request.error()
            )
        })
        .collect()
}

/// A small seeded generator (splitmix64): the tests' random inputs are the same in every run.
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// Text from the awkward corners of Unicode: right-to-left scripts and overrides, emoji
    /// sequences, zero-width characters, control characters, combining marks, lone surrogates'
    /// replacement, and plain letters. At most `max_chars` characters.
    pub fn odd_text(&mut self, max_chars: usize) -> String {
        const PIECES: &[&str] = &[
            "مرحبا",
            "שלום",
            "\u{202E}",
            "\u{202B}",
            "\u{200F}",
            "\u{200B}",
            "\u{200C}",
            "\u{200D}",
            "\u{FEFF}",
            "\u{2060}",
            "\u{0000}",
            "\u{0007}",
            "\u{001B}",
            "\u{007F}",
            "\u{0085}",
            "\u{2028}",
            "\u{0301}",
            "\u{0489}",
            "👨‍👩‍👧‍👦",
            "🏳️‍🌈",
            "🇫🇷",
            "😀",
            "𝕳𝖊𝖑𝖑𝖔",
            "İ",
            "ß",
            "ﬃ",
            "\u{FFFD}",
            "\u{10FFFF}",
            "漢字",
            "한국어",
            "ไทย",
            "<b>",
            "&amp;",
            "\\",
            "\"",
            "'",
            "`",
            " ",
            "\n",
            "\t",
            "a",
            "Z",
            "9",
            ".",
            ",",
            "?",
            ":",
            "/",
        ];
        let mut text = String::new();
        let target = 1 + self.below(max_chars.max(1));
        while text.chars().count() < target {
            text.push_str(PIECES[self.below(PIECES.len())]);
        }
        text.chars().take(max_chars).collect()
    }
}
