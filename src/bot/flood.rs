//! Flood control: a chat that sends far more than a person could (a script, a stuck key, a
//! forwarded pile of messages) is slowed down politely, and no one else waits for it.
//!
//! Each chat (or, for inline queries, each person) has a token bucket: a burst of updates, then a
//! steady rate. A chat that runs dry is told once, in its own language, that the bot will carry
//! on in a few seconds; its updates are then ignored until it has been quiet for a moment.
//!
//! The check runs in the dispatcher's per-chat worker, which sees a chat's updates one after the
//! other, only once the previous one has been handled. Time taken to handle an update is not
//! time between a person's messages: an update that was already waiting when the previous one
//! finished is counted as arriving with it, so a backlog of a flood cannot refill the bucket. A
//! backlog behind slow replies is itself a flood: with Telegram's pace of about one message a
//! second per chat, each reply to a backlog holds the chat's worker for a second. (What keeps
//! that backlog from filling the dispatcher's queue, and holding up everyone, is `backlog.rs`.)
//! Nothing is kept about a chat once it has been idle long enough for that to make no difference.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use teloxide::types::{ChatId, Update};

use super::handlers::Context;
use super::telegram::Tg;
use crate::content::DEFAULT_LANGUAGE;

/// How much a chat may send: a burst, then a steady rate.
#[derive(Clone, Copy, Debug)]
pub struct Allowance {
    pub burst: f64,
    pub per_second: f64,
}

/// Private chats (and inline queries): ten taps in three seconds stay well inside this, and so
/// does a whole check (at most 21 updates) answered at machine speed, as the load bench does.
pub const PRIVATE: Allowance = Allowance {
    burst: 30.0,
    per_second: 2.0,
};
/// Groups and channels: Telegram lets a bot post 20 messages a minute in a group, so admitting
/// more commands than that would only queue replies that cannot be sent.
pub const GROUP: Allowance = Allowance {
    burst: 10.0,
    per_second: 1.0 / 3.0,
};
/// More updates than this in a row, each waiting behind a slow reply, is not a person. Each one
/// admitted holds the chat's worker for about a second, and once 64 are waiting, everyone. A
/// person can be behind a slow reply too, when the bot's answer to their button press meets a
/// 429 or 5xx after the next question went out (the press is answered last); six in a row is
/// rare even at the fault tests' rates of one in eight.
const MAX_SLOW_BACKLOG: u32 = 5;
/// A reply that took this long was paced (by `Throttle` or a 429), not just computed.
const SLOW_REPLY: Duration = Duration::from_millis(250);
/// How long a flooding chat must stay quiet before it is answered again.
const CALM: Duration = Duration::from_secs(3);
/// At most one notice per chat in this long, however often it floods.
const NOTICE_EVERY: Duration = Duration::from_secs(60);
/// An update that starts being handled this soon after the chat's previous one finished was
/// waiting in the queue. People cannot react in 20 ms; the worker picks the next update up in
/// microseconds.
const QUEUED_WITHIN: Duration = Duration::from_millis(20);
/// After this long without updates a chat's bucket is full, its quiet period and notice window
/// are over: forgetting it changes nothing.
const FORGET_AFTER: Duration = Duration::from_secs(60);
/// How many updates between two sweeps of idle chats.
const SWEEP_EVERY: u32 = 512;
/// A hard cap on the chats remembered; beyond it new chats pass unchecked rather than grow memory.
const MAX_CHATS: usize = 100_000;

/// What to do with one update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Handle,
    /// Ignore it, after telling the chat once that it is sending too fast.
    NoticeThenIgnore,
    Ignore,
}

#[derive(Debug)]
struct Flow {
    tokens: f64,
    /// The estimated arrival of the chat's latest update; the bucket is filled up to here.
    arrived: Instant,
    /// When the chat's previous update finished being handled, if one ever did.
    finished: Option<Instant>,
    /// When the admitted update in hand started being handled.
    busy_since: Option<Instant>,
    /// How long the previous admitted update took to handle.
    last_reply: Duration,
    /// How many updates in a row were already waiting behind a slow reply when their turn came.
    backlog: u32,
    muted_until: Option<Instant>,
    noticed_at: Option<Instant>,
}

impl Flow {
    fn new(allowance: Allowance, now: Instant) -> Flow {
        Flow {
            tokens: allowance.burst,
            arrived: now,
            finished: None,
            busy_since: None,
            last_reply: Duration::ZERO,
            backlog: 0,
            muted_until: None,
            noticed_at: None,
        }
    }
}

/// The buckets of every recently active chat; one per dispatcher.
#[derive(Debug, Default)]
pub struct FloodControl {
    state: Mutex<Flows>,
}

#[derive(Debug, Default)]
struct Flows {
    chats: HashMap<i64, Flow>,
    since_sweep: u32,
}

impl FloodControl {
    pub fn new() -> FloodControl {
        FloodControl::default()
    }

    /// How many chats are remembered.
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.lock().chats.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Flows> {
        // A panic elsewhere while holding the lock leaves plain counters, still usable.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Decides about an update from `chat` that starts being handled at `now`. After `Handle`,
    /// call `finished` once the update has been handled.
    pub fn decide(&self, chat: i64, allowance: Allowance, now: Instant) -> Verdict {
        let mut flows = self.lock();
        flows.since_sweep += 1;
        if flows.since_sweep >= SWEEP_EVERY || flows.chats.len() >= MAX_CHATS {
            flows.since_sweep = 0;
            flows.chats.retain(|_, flow| {
                flow.busy_since.is_some()
                    || flow
                        .finished
                        .is_some_and(|finished| now.saturating_duration_since(finished) < FORGET_AFTER)
            });
        }
        if !flows.chats.contains_key(&chat) && flows.chats.len() >= MAX_CHATS {
            log::warn!("flood control already tracks {MAX_CHATS} chats; a new one passes unchecked");
            return Verdict::Handle;
        }
        let flow = flows
            .chats
            .entry(chat)
            .or_insert_with(|| Flow::new(allowance, now));
        let queued = flow.busy_since.is_some()
            || flow
                .finished
                .is_some_and(|finished| now.saturating_duration_since(finished) < QUEUED_WITHIN);
        if queued {
            if flow.last_reply >= SLOW_REPLY {
                flow.backlog += 1;
            }
        } else {
            flow.backlog = 0;
            if now > flow.arrived {
                let refill = now.duration_since(flow.arrived).as_secs_f64() * allowance.per_second;
                flow.tokens = (flow.tokens + refill).min(allowance.burst);
                flow.arrived = now;
            }
        }
        let arrived = flow.arrived;
        // An ignored update is done with at once.
        flow.finished = Some(now);
        if let Some(until) = flow.muted_until.filter(|until| arrived < *until) {
            // Still flooding: the quiet period starts again from this update.
            flow.muted_until = Some(until.max(arrived + CALM));
            return Verdict::Ignore;
        }
        flow.muted_until = None;
        // Until it is handled, this update's reply counts as quick.
        flow.last_reply = Duration::ZERO;
        if flow.tokens >= 1.0 && flow.backlog <= MAX_SLOW_BACKLOG {
            flow.tokens -= 1.0;
            flow.busy_since = Some(now);
            return Verdict::Handle;
        }
        flow.muted_until = Some(arrived + CALM);
        let notice_due = flow
            .noticed_at
            .is_none_or(|noticed| arrived.saturating_duration_since(noticed) >= NOTICE_EVERY);
        if notice_due {
            flow.noticed_at = Some(arrived);
            Verdict::NoticeThenIgnore
        } else {
            Verdict::Ignore
        }
    }

    /// Marks the chat's update as handled, at `now`.
    pub fn finished(&self, chat: i64, now: Instant) {
        if let Some(flow) = self.lock().chats.get_mut(&chat) {
            if let Some(since) = flow.busy_since.take() {
                flow.last_reply = now.saturating_duration_since(since);
            }
            flow.finished = Some(now);
        }
    }
}

/// Held while an admitted update is handled; dropping it tells flood control the chat's worker is
/// free again. The dispatcher drops it with the update's dependencies.
#[derive(Clone, Debug)]
pub struct Handling {
    _chat: Option<Arc<HandlingChat>>,
}

#[derive(Debug)]
struct HandlingChat {
    control: Arc<FloodControl>,
    chat: i64,
}

impl Drop for HandlingChat {
    fn drop(&mut self) {
        self.control.finished(self.chat, Instant::now());
    }
}

/// Who an update counts against: its chat, or the person for updates without one (inline
/// queries). A private chat's id is its person's id, so both count together.
fn sender(update: &Update) -> Option<i64> {
    update
        .chat()
        .map(|chat| chat.id.0)
        .or_else(|| update.from().map(|user| user.id.0 as i64))
}

/// The dispatcher's first step: `Some` to handle the update, `None` to drop it (after a notice).
pub async fn screen(
    control: &Arc<FloodControl>,
    update: Update,
    bot: Tg,
    context: Arc<Context>,
) -> Option<Handling> {
    let Some(chat) = sender(&update) else {
        return Some(Handling { _chat: None });
    };
    let allowance = if chat < 0 { GROUP } else { PRIVATE };
    match control.decide(chat, allowance, Instant::now()) {
        Verdict::Handle => Some(Handling {
            _chat: Some(Arc::new(HandlingChat {
                control: control.clone(),
                chat,
            })),
        }),
        Verdict::NoticeThenIgnore => {
            log::info!("a chat is sending faster than a person could; its updates wait a few seconds");
            // Sent on the side: a paced send would hold the chat's worker, and with it the
            // backlog that holds up everyone else.
            tokio::spawn(async move { notice(&update, &bot, &context).await });
            None
        }
        Verdict::Ignore => None,
    }
}

/// Tells the chat, in its language, that the bot will carry on shortly. Channels and inline
/// queries have nowhere to say it.
async fn notice(update: &Update, bot: &Tg, context: &Context) {
    let Some(chat) = update.chat().filter(|chat| !chat.is_channel()) else {
        return;
    };
    let settings = context.storage.settings(chat.id.0).await;
    let person = update
        .from()
        .and_then(|user| user.language_code.as_deref())
        .filter(|_| chat.is_private());
    let code = settings
        .language
        .as_deref()
        .or(person)
        .unwrap_or(DEFAULT_LANGUAGE);
    let text = context.dialogues.language(code).texts.plain("bot-flood");
    if let Err(error) = bot.send_text(ChatId(chat.id.0), text, None).await {
        log::debug!("could not send the flood notice: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAT: i64 = 7;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Sends updates at the given offsets; each admitted one takes `handling` to handle, and the
    /// next starts no earlier than the previous one finished (the per-chat worker).
    fn run(control: &FloodControl, offsets: &[Duration], handling: Duration, start: Instant) -> Vec<Verdict> {
        let mut free_at = start;
        offsets
            .iter()
            .map(|offset| {
                let begins = (start + *offset).max(free_at);
                let verdict = control.decide(CHAT, PRIVATE, begins);
                if verdict == Verdict::Handle {
                    free_at = begins + handling;
                    control.finished(CHAT, free_at);
                } else {
                    free_at = begins + ms(0);
                }
                verdict
            })
            .collect()
    }

    #[test]
    fn a_fast_person_is_never_slowed() {
        let control = FloodControl::new();
        // Ten taps in three seconds, twice, a few seconds apart.
        let taps: Vec<Duration> = (0..10)
            .map(|i| ms(300 * i))
            .chain((0..10).map(|i| ms(8000 + 300 * i)))
            .collect();
        let verdicts = run(&control, &taps, ms(50), Instant::now());
        assert!(verdicts.iter().all(|v| *v == Verdict::Handle), "{verdicts:?}");
    }

    #[test]
    fn a_program_that_waits_for_each_reply_can_do_a_whole_check_at_once() {
        let control = FloodControl::new();
        // The load bench: each update arrives while the reply to the previous one is finishing,
        // 21 of them (a check of twenty questions), replies taking 30 ms.
        let updates: Vec<Duration> = (0..21).map(|i| ms(30 * i)).collect();
        let verdicts = run(&control, &updates, ms(30), Instant::now());
        assert!(verdicts.iter().all(|v| *v == Verdict::Handle), "{verdicts:?}");
    }

    #[test]
    fn a_flood_gets_one_notice_and_is_ignored_even_when_each_reply_is_slow() {
        let control = FloodControl::new();
        // Two hundred updates within a second, while every admitted one takes a second to
        // handle (Telegram's pace for one chat): the backlog must not refill the bucket.
        let flood: Vec<Duration> = (0..200).map(|i| ms(5 * i)).collect();
        let verdicts = run(&control, &flood, Duration::from_secs(1), Instant::now());
        let handled = verdicts.iter().filter(|v| **v == Verdict::Handle).count();
        let notices = verdicts
            .iter()
            .filter(|v| **v == Verdict::NoticeThenIgnore)
            .count();
        // The first, then five waiting behind slow replies.
        assert_eq!(handled, 1 + MAX_SLOW_BACKLOG as usize);
        assert_eq!(notices, 1);
        assert_eq!(verdicts[..handled], vec![Verdict::Handle; handled]);
    }

    #[test]
    fn a_flooding_chat_is_answered_again_once_it_calms_down() {
        let control = FloodControl::new();
        let start = Instant::now();
        let flood: Vec<Duration> = (0..50).map(|i| ms(10 * i)).collect();
        run(&control, &flood, ms(10), start);
        // Another update a second later is still part of the flood, and restarts the quiet period.
        assert_eq!(control.decide(CHAT, PRIVATE, start + ms(1000)), Verdict::Ignore);
        assert_eq!(control.decide(CHAT, PRIVATE, start + ms(3500)), Verdict::Ignore);
        assert_eq!(control.decide(CHAT, PRIVATE, start + ms(7000)), Verdict::Handle);
    }

    #[test]
    fn a_bucket_runs_dry_at_a_steady_flood_that_never_queues() {
        let control = FloodControl::new();
        // Ten updates a second, each handled at once: no backlog, so the bucket decides.
        let steady: Vec<Duration> = (0..100).map(|i| ms(100 * i)).collect();
        let verdicts = run(&control, &steady, ms(1), Instant::now());
        let first_refused = verdicts.iter().position(|v| *v != Verdict::Handle);
        // 30 at once, refilled at 2 a second while 10 a second arrive: dry after about 37.
        assert!(matches!(first_refused, Some(35..=40)), "{first_refused:?}");
        assert_eq!(
            verdicts
                .iter()
                .filter(|v| **v == Verdict::NoticeThenIgnore)
                .count(),
            1
        );
    }

    #[test]
    fn other_chats_are_not_affected() {
        let control = FloodControl::new();
        let start = Instant::now();
        for i in 0..100 {
            control.decide(CHAT, PRIVATE, start + ms(i));
        }
        assert_eq!(
            control.decide(CHAT + 1, PRIVATE, start + ms(100)),
            Verdict::Handle
        );
    }

    #[test]
    fn idle_chats_are_forgotten() {
        let control = FloodControl::new();
        let start = Instant::now();
        for chat in 0..1000 {
            control.decide(chat, PRIVATE, start);
            control.finished(chat, start);
        }
        assert_eq!(control.remembered(), 1000);
        let later = start + FORGET_AFTER + ms(1);
        for i in 0..SWEEP_EVERY {
            control.decide(-1, GROUP, later + ms(u64::from(i) * 100));
        }
        assert_eq!(
            control.remembered(),
            1,
            "only the chat still active is remembered"
        );
    }
}
