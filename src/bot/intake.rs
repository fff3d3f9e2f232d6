//! Intake: what happens to an update between Telegram and the dispatcher. A chat that sends far
//! more than a person could (a script, a stuck key, a forwarded pile of messages) is slowed down
//! politely, no one else waits for it, and once it is calm the bot carries on by itself.
//!
//! The screening runs as updates arrive, before teloxide's dispatcher queues them per chat, so it
//! sees the real time between a person's updates. (Screening inside the dispatcher saw an update
//! only when its turn came, and took the bot's own pace, about one message a second per chat
//! under `Throttle`, for a person's flood: a person tapping each answer the moment it appeared
//! was muted after six or seven answers, issue 13.)
//!
//! Each chat (or, for inline queries, each person) has a token bucket: a burst, then a steady
//! rate, refilled by the time between arrivals. A chat also may not have more than a few updates
//! waiting for their turn: no person does, since each of their taps waits for the reply to the one
//! before, and a pile of waiting updates holds the chat's worker for seconds, and once 64 wait,
//! everyone (`Dispatcher::process_update` awaits room in the full queue).
//!
//! A chat that runs dry, or piles up, is muted until it has been quiet for `CALM`. What it sends
//! meanwhile is held back, but never left hanging: a held-back button press is answered at once
//! (with the flood notice as its toast), the chat is told once that the bot will carry on in a
//! few seconds, and when it is calm the latest held-back update is put back into the stream and
//! handled as if it had just arrived (`on_button` then does not answer it twice, and a stale
//! press re-asks the current question). The updates that were already waiting in the chat's queue
//! when it was muted are superseded by that latest one and skipped when their turn comes (a press
//! among them is answered): replied to one by one at Telegram's pace, eight of them held the
//! promised carry-on up for 17 s. A typed emergency phrase in a private chat is never held back
//! or skipped: the emergency advice must not wait.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::future::ready;
use futures::stream::{self, BoxStream, StreamExt};
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, CallbackQueryId, ChatId, Update, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};
use tokio::sync::mpsc;

use super::metrics::METRICS;
use super::storage::DialogueStorage;
use super::telegram::Tg;
use crate::content::catalogue::BOT_FLOOD;
use crate::content::{Dialogues, Language, DEFAULT_LANGUAGE};

/// How much a chat may send: a burst, then a steady rate.
#[derive(Clone, Copy, Debug)]
pub struct Allowance {
    pub burst: f64,
    pub per_second: f64,
}

/// Private chats (and inline queries): ten taps in three seconds stay well inside this, and so
/// does a whole check (at most 21 updates) answered at machine speed, as the load bench does.
/// With pacing on, a person answering at once sends about one update a second, below the rate.
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
/// A chat with this many updates waiting for their turn is muted. A person has one waiting, or
/// a few when they double-tap; each waiting update can hold the chat's worker for a second or
/// more of paced replies.
pub const MAX_WAITING: u32 = 8;
/// Not even an emergency phrase joins a queue this long (it is held back and replayed once calm):
/// far below the dispatcher's 64 that would hold up everyone.
pub const MAX_WAITING_URGENT: u32 = 16;
/// How long a muted chat must stay quiet before the bot carries on.
pub const CALM: Duration = Duration::from_secs(3);
/// At most one notice per chat in this long, however often it floods.
const NOTICE_EVERY: Duration = Duration::from_secs(60);
/// After this long without updates a chat's bucket is full and its notice window over:
/// forgetting it changes nothing.
const FORGET_AFTER: Duration = Duration::from_secs(60);
/// How many arrivals between two sweeps of idle chats.
const SWEEP_EVERY: u32 = 512;
/// A hard cap on the chats remembered; beyond it new chats pass unchecked rather than grow memory.
const MAX_CHATS: usize = 100_000;

/// One arriving update, as the gate needs to know it.
#[derive(Clone, Copy, Debug)]
pub struct Arrival {
    /// The chat, or the person for updates without a chat (inline queries).
    pub sender: i64,
    /// Whether it joins the chat's queue in the dispatcher (updates with a chat do).
    pub queued: bool,
    pub allowance: Allowance,
    /// A typed emergency phrase in a private chat: the bucket never holds it back.
    pub urgent: bool,
    /// Whether it may be put back into the stream once calm (a private chat's updates may).
    pub replayable: bool,
}

/// What to do with one arriving update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Admit,
    /// Held back. `notice`: tell the chat it is sending too fast. `calm_at`: the chat has just
    /// been muted; check back then whether it is calm.
    HoldBack {
        notice: bool,
        calm_at: Option<Instant>,
    },
}

/// What to do with a queued update whose turn has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    Handle,
    /// It was waiting when its chat was muted: the chat's latest update, replayed once calm,
    /// supersedes it.
    Superseded,
}

/// Whether a muted chat has calmed down.
#[derive(Debug, PartialEq, Eq)]
pub enum Calm<T> {
    /// Not yet: something arrived meanwhile; check back then.
    NotYet(Instant),
    /// Calm: the chat is answered again, starting with its latest held-back update, if any.
    Over(Option<T>),
}

#[derive(Debug)]
struct Flow<T> {
    tokens: f64,
    /// The latest arrival; the bucket is filled up to here.
    arrived: Instant,
    /// Updates admitted into the dispatcher's queue and not yet started.
    waiting: u32,
    /// How many of the next updates to start were waiting when the chat was muted: superseded
    /// by its latest held-back update, they are skipped.
    superseded: u32,
    muted_until: Option<Instant>,
    noticed_at: Option<Instant>,
    /// The latest held-back update worth replaying, and whether it is urgent (an urgent one is
    /// not replaced by a later ordinary one).
    latest_held: Option<(T, bool)>,
}

impl<T> Flow<T> {
    fn new(allowance: Allowance, now: Instant) -> Flow<T> {
        Flow {
            tokens: allowance.burst,
            arrived: now,
            waiting: 0,
            superseded: 0,
            muted_until: None,
            noticed_at: None,
            latest_held: None,
        }
    }

    fn forgettable(&self, now: Instant) -> bool {
        self.waiting == 0
            && self.muted_until.is_none()
            && now.saturating_duration_since(self.arrived) >= FORGET_AFTER
    }

    fn hold_back(&mut self, now: Instant, arrival: Arrival, keep: impl FnOnce() -> T) -> Verdict {
        let replace = self
            .latest_held
            .as_ref()
            .is_none_or(|(_, urgent)| arrival.urgent || !urgent);
        if arrival.replayable && replace {
            self.latest_held = Some((keep(), arrival.urgent));
        }
        if let Some(until) = self.muted_until {
            // Still flooding: the quiet period starts again from this update.
            self.muted_until = Some(until.max(now + CALM));
            return Verdict::HoldBack {
                notice: false,
                calm_at: None,
            };
        }
        self.muted_until = Some(now + CALM);
        self.superseded = self.waiting;
        let notice = self
            .noticed_at
            .is_none_or(|noticed| now.saturating_duration_since(noticed) >= NOTICE_EVERY);
        if notice {
            self.noticed_at = Some(now);
        }
        Verdict::HoldBack {
            notice,
            calm_at: Some(now + CALM),
        }
    }
}

/// The buckets and queues of every recently active chat. `T` is what is kept of a held-back
/// update (the update itself; plain numbers in the unit tests).
#[derive(Debug)]
pub struct Gate<T> {
    state: Mutex<Flows<T>>,
}

#[derive(Debug)]
struct Flows<T> {
    chats: HashMap<i64, Flow<T>>,
    since_sweep: u32,
}

impl<T> Default for Gate<T> {
    fn default() -> Gate<T> {
        Gate {
            state: Mutex::new(Flows {
                chats: HashMap::new(),
                since_sweep: 0,
            }),
        }
    }
}

impl<T> Gate<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Flows<T>> {
        // A panic elsewhere while holding the lock leaves plain counters, still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many chats are remembered.
    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.lock().chats.len()
    }

    /// Decides about an update arriving at `now`; `keep` gives what to replay if it is held back.
    pub fn arrive(&self, arrival: Arrival, keep: impl FnOnce() -> T, now: Instant) -> Verdict {
        let mut flows = self.lock();
        flows.since_sweep += 1;
        if flows.since_sweep >= SWEEP_EVERY || flows.chats.len() >= MAX_CHATS {
            flows.since_sweep = 0;
            flows.chats.retain(|_, flow| !flow.forgettable(now));
        }
        if !flows.chats.contains_key(&arrival.sender) && flows.chats.len() >= MAX_CHATS {
            log::warn!("flood control already tracks {MAX_CHATS} chats; a new one passes unchecked");
            return Verdict::Admit;
        }
        let allowance = arrival.allowance;
        let flow = flows
            .chats
            .entry(arrival.sender)
            .or_insert_with(|| Flow::new(allowance, now));
        if now > flow.arrived {
            let refill = now.duration_since(flow.arrived).as_secs_f64() * allowance.per_second;
            flow.tokens = (flow.tokens + refill).min(allowance.burst);
            flow.arrived = now;
        }
        let admitted = if arrival.urgent {
            flow.waiting < MAX_WAITING_URGENT
        } else {
            flow.muted_until.is_none() && flow.tokens >= 1.0 && flow.waiting < MAX_WAITING
        };
        if !admitted {
            return flow.hold_back(now, arrival, keep);
        }
        flow.tokens = (flow.tokens - 1.0).max(0.0);
        if arrival.queued {
            flow.waiting += 1;
        }
        Verdict::Admit
    }

    /// The sender's queued update has come to its turn: whether to handle it, or skip it as
    /// superseded (it was waiting when the chat was muted). The dispatcher keeps each chat's
    /// updates in order, so the superseded ones are the next to start.
    pub fn started(&self, sender: i64) -> Turn {
        let mut flows = self.lock();
        let Some(flow) = flows.chats.get_mut(&sender) else {
            return Turn::Handle;
        };
        flow.waiting = flow.waiting.saturating_sub(1);
        if flow.superseded == 0 {
            return Turn::Handle;
        }
        flow.superseded -= 1;
        Turn::Superseded
    }

    /// Whether a muted sender is calm at `now`. When it is, it is answered again, and its latest
    /// held-back update (returned) counts as waiting in its queue.
    pub fn calm(&self, sender: i64, now: Instant) -> Calm<T> {
        let mut flows = self.lock();
        let Some(flow) = flows.chats.get_mut(&sender) else {
            return Calm::Over(None);
        };
        match flow.muted_until {
            Some(until) if until > now => Calm::NotYet(until),
            _ => {
                flow.muted_until = None;
                let held = flow.latest_held.take().map(|(held, _)| held);
                if held.is_some() {
                    flow.waiting += 1;
                }
                Calm::Over(held)
            }
        }
    }
}

/// The gate for real updates, and the presses it has already answered; the dialogues and the
/// storage to tell a held-back chat in its language.
pub struct Intake {
    dialogues: Arc<Dialogues>,
    storage: Arc<DialogueStorage>,
    gate: Gate<Update>,
    /// Held-back presses that were answered on arrival and then replayed: `on_button` must not
    /// answer them again. An id is removed when its replay is handled.
    answered: Mutex<HashSet<CallbackQueryId>>,
}

impl Intake {
    pub fn new(dialogues: Arc<Dialogues>, storage: Arc<DialogueStorage>) -> Intake {
        Intake {
            dialogues,
            storage,
            gate: Gate::default(),
            answered: Mutex::default(),
        }
    }

    /// The update's turn has come: false when it is skipped as superseded by a flood's latest
    /// update (a press among them is answered, a typed emergency phrase is never skipped).
    pub fn take_turn(self: &Arc<Self>, update: &Update, bot: &Tg) -> bool {
        let Some(chat) = update.chat() else {
            return true;
        };
        if self.gate.started(chat.id.0) == Turn::Handle
            || (chat.is_private() && typed_emergency(update, &self.dialogues))
        {
            return true;
        }
        METRICS.update_held_back();
        // A replayed press was answered when it was first held back (the chat flooded again
        // before its turn): a second answer would be refused.
        if let UpdateKind::CallbackQuery(query) = &update.kind {
            if self.answered_on_arrival(&query.id) {
                return false;
            }
            let (bot, intake, update) = (bot.clone(), self.clone(), update.clone());
            tokio::spawn(async move { intake.tell_held_back(&bot, &update, false).await });
        }
        false
    }

    /// Whether a press was answered when it was held back (it is being replayed). True once.
    pub fn answered_on_arrival(&self, query: &CallbackQueryId) -> bool {
        self.answered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(query)
    }

    fn mark_answered(&self, update: &Update) {
        if let UpdateKind::CallbackQuery(query) = &update.kind {
            self.answered
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(query.id.clone());
        }
    }
}

/// How an update counts at the gate.
/// Drops an update that cannot be read, counted and logged by its id alone: teloxide would log
/// it with its whole text, a person's message perhaps. `None` when not even the id is readable.
pub(super) fn skip_unreadable(id: Option<i64>) {
    METRICS.update_unreadable();
    match id {
        Some(id) => log::warn!("update {id} could not be read and was skipped"),
        None => log::warn!("an update without a readable id was skipped"),
    }
}

fn arrival_of(update: &Update, dialogues: &Dialogues) -> Option<Arrival> {
    // A private chat's id is its person's id, so their inline queries count with their chat.
    let sender = update
        .chat()
        .map(|chat| chat.id.0)
        .or_else(|| update.from().map(|user| user.id.0 as i64))?;
    let private = update.chat().is_some_and(|chat| chat.is_private());
    let urgent = private && typed_emergency(update, dialogues);
    Some(Arrival {
        sender,
        queued: update.chat().is_some(),
        allowance: if sender < 0 { GROUP } else { PRIVATE },
        urgent,
        replayable: private,
    })
}

/// Whether a message's text holds an emergency phrase, in any language: the person's chosen
/// language is in the storage, which the gate does not read.
fn typed_emergency(update: &Update, dialogues: &Dialogues) -> bool {
    let UpdateKind::Message(message) = &update.kind else {
        return false;
    };
    message.text().is_some_and(|text| {
        dialogues
            .languages
            .iter()
            .any(|language| language.typed.emergency_fact(text).is_some())
    })
}

/// What the listener wrapper needs to screen updates and to carry on after a flood.
#[derive(Clone)]
struct Screen {
    bot: Tg,
    intake: Arc<Intake>,
    replays: mpsc::UnboundedSender<Update>,
}

impl Screen {
    /// `Some` to pass the update on to the dispatcher; `None` when it is held back.
    fn admit(&self, update: Update) -> Option<Update> {
        if let UpdateKind::Error(_) = update.kind {
            skip_unreadable(Some(update.id.0.into()));
            return None;
        }
        let Some(arrival) = arrival_of(&update, &self.intake.dialogues) else {
            return Some(update);
        };
        let gate = &self.intake.gate;
        match gate.arrive(arrival, || update.clone(), Instant::now()) {
            Verdict::Admit => Some(update),
            Verdict::HoldBack { notice, calm_at } => {
                METRICS.update_held_back();
                if let Some(calm_at) = calm_at {
                    log::info!("a chat is sending faster than a person could; it waits a few seconds");
                    tokio::spawn(self.clone().carry_on_when_calm(arrival.sender, calm_at));
                }
                // On the side: a paced reply must not hold up the stream of everyone's updates.
                let (bot, intake) = (self.bot.clone(), self.intake.clone());
                tokio::spawn(async move { intake.tell_held_back(&bot, &update, notice).await });
                None
            }
        }
    }

    /// Waits until the muted sender is calm, then puts its latest held-back update back into
    /// the stream: the promise of the notice ("I'll carry on in a few seconds") is kept.
    async fn carry_on_when_calm(self, sender: i64, mut calm_at: Instant) {
        loop {
            tokio::time::sleep_until(calm_at.into()).await;
            match self.intake.gate.calm(sender, Instant::now()) {
                Calm::NotYet(later) => calm_at = later,
                Calm::Over(held) => {
                    if let Some(update) = held {
                        log::debug!("a chat is calm again; its latest held-back update is handled");
                        self.intake.mark_answered(&update);
                        // The receiver lives as long as the listener; after that, nothing runs.
                        let _ = self.replays.send(update);
                    }
                    return;
                }
            }
        }
    }
}

impl Intake {
    /// Answers a held-back press (the person's client shows a spinner until then), and sends the
    /// flood notice when one is due.
    async fn tell_held_back(&self, bot: &Tg, update: &Update, notice: bool) {
        let is_press = matches!(update.kind, UpdateKind::CallbackQuery(_));
        if !is_press && !notice {
            return;
        }
        let language = self.language_of(update).await;
        let text = language.texts.text(BOT_FLOOD);
        if let UpdateKind::CallbackQuery(query) = &update.kind {
            if let Err(error) = bot.answer_button(query.id.clone(), Some(text.clone())).await {
                log::debug!("could not answer a held-back press: {error}");
            }
        }
        // Channels and inline queries have nowhere to say it.
        let chat = update.chat().filter(|chat| !chat.is_channel());
        if let (true, Some(chat)) = (notice, chat) {
            // In turn with the chat's replies: sent beside them, the notice would run into the
            // same rate-limit pause they are waiting out, and ask Telegram again too early.
            let _turn = self.storage.lock_chat(chat.id.0).await;
            if let Err(error) = bot.send_text(ChatId(chat.id.0), text, None).await {
                log::debug!("could not send the flood notice: {error}");
            }
        }
    }

    /// The chat's chosen language, or in a private chat the person's.
    async fn language_of(&self, update: &Update) -> &Language {
        let chat = update.chat();
        let chosen = match chat {
            Some(chat) => self.storage.settings(chat.id.0).await.language,
            None => None,
        };
        let person = update
            .from()
            .and_then(|user| user.language_code.clone())
            .filter(|_| chat.is_none_or(|chat| chat.is_private()));
        let code = chosen.or(person);
        self.dialogues
            .language(code.as_deref().unwrap_or(DEFAULT_LANGUAGE))
    }
}

/// An update listener whose updates pass the intake gate first, joined by the updates it puts
/// back once their chat is calm.
pub struct Gated<L> {
    listener: L,
    screen: Screen,
    replayed: mpsc::UnboundedReceiver<Update>,
}

impl<L> Gated<L> {
    pub fn new(listener: L, bot: Tg, intake: Arc<Intake>) -> Gated<L> {
        let (replays, replayed) = mpsc::unbounded_channel();
        Gated {
            listener,
            screen: Screen { bot, intake, replays },
            replayed,
        }
    }
}

impl<'a, L> AsUpdateStream<'a> for Gated<L>
where
    L: AsUpdateStream<'a>,
    L::StreamErr: Send + 'a,
{
    type StreamErr = L::StreamErr;
    type Stream = BoxStream<'a, Result<Update, L::StreamErr>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let screen = self.screen.clone();
        let arrivals = self.listener.as_stream().filter_map(move |item| {
            ready(match item {
                Ok(update) => screen.admit(update).map(Ok),
                Err(error) => Some(Err(error)),
            })
        });
        let replayed = &mut self.replayed;
        let replays = stream::poll_fn(move |cx| replayed.poll_recv(cx)).map(Ok);
        // The stream ends when the listener's ends (that is how the dispatcher stops), however
        // many replays are still to come: `None` marks the end.
        let arrivals = arrivals.map(Some).chain(stream::once(ready(None)));
        stream::select(arrivals, replays.map(Some))
            .take_while(|item| ready(item.is_some()))
            .filter_map(ready)
            .boxed()
    }
}

impl<L> UpdateListener for Gated<L>
where
    L: UpdateListener,
    L::Err: Send + 'static,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.listener.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.listener.hint_allowed_updates(hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAT: i64 = 7;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn from_person(urgent: bool) -> Arrival {
        Arrival {
            sender: CHAT,
            queued: true,
            allowance: PRIVATE,
            urgent,
            replayable: true,
        }
    }

    /// Sends updates (numbered by their index) at the given offsets; each admitted one waits
    /// until the previous one was handled, which takes `handling` (the chat's worker).
    fn run(gate: &Gate<usize>, offsets: &[Duration], handling: Duration, start: Instant) -> Vec<Verdict> {
        let mut worker_free_at = start;
        let mut starts = Vec::new();
        offsets
            .iter()
            .enumerate()
            .map(|(index, offset)| {
                let now = start + *offset;
                // Updates whose turn has come by now have started.
                starts.retain(|&begins| {
                    let begun = begins <= now;
                    if begun {
                        // A superseded update would take no time; the figures here only count
                        // what is admitted.
                        let _ = gate.started(CHAT);
                    }
                    !begun
                });
                let verdict = gate.arrive(from_person(false), || index, now);
                if verdict == Verdict::Admit {
                    let begins = now.max(worker_free_at);
                    starts.push(begins);
                    worker_free_at = begins + handling;
                }
                verdict
            })
            .collect()
    }

    fn admitted(verdicts: &[Verdict]) -> usize {
        verdicts.iter().filter(|v| **v == Verdict::Admit).count()
    }

    fn notices(verdicts: &[Verdict]) -> usize {
        verdicts
            .iter()
            .filter(|v| matches!(v, Verdict::HoldBack { notice: true, .. }))
            .count()
    }

    #[test]
    fn a_person_answering_each_paced_question_at_once_is_never_held_back() {
        let gate = Gate::default();
        // Eight whole checks of 21 updates in a row: each tap comes the moment the reply is out,
        // and the paced reply takes a second (an edit and a send at Telegram's pace for a chat).
        let taps: Vec<Duration> = (0..8 * 21).map(|i| ms(1000 * i)).collect();
        let verdicts = run(&gate, &taps, ms(1000), Instant::now());
        assert_eq!(admitted(&verdicts), taps.len(), "{verdicts:?}");
    }

    #[test]
    fn a_fast_person_is_never_slowed() {
        let gate = Gate::default();
        // Ten taps in three seconds, twice, a few seconds apart, replies taking a second.
        let taps: Vec<Duration> = (0..10)
            .map(|i| ms(300 * i))
            .chain((0..10).map(|i| ms(8000 + 300 * i)))
            .collect();
        let verdicts = run(&gate, &taps, ms(300), Instant::now());
        assert_eq!(admitted(&verdicts), taps.len(), "{verdicts:?}");
    }

    #[test]
    fn a_program_that_waits_for_each_reply_can_do_a_whole_check_at_once() {
        let gate = Gate::default();
        // The load bench: 21 updates (a check of twenty questions), replies taking 30 ms.
        let updates: Vec<Duration> = (0..21).map(|i| ms(30 * i)).collect();
        let verdicts = run(&gate, &updates, ms(30), Instant::now());
        assert_eq!(admitted(&verdicts), updates.len(), "{verdicts:?}");
    }

    #[test]
    fn a_flood_behind_slow_replies_is_held_back_once_a_few_wait() {
        let gate = Gate::default();
        // Two hundred updates within a second, each admitted one taking a second to handle.
        let flood: Vec<Duration> = (0..200).map(|i| ms(5 * i)).collect();
        let verdicts = run(&gate, &flood, Duration::from_secs(1), Instant::now());
        // The one in hand, and as many waiting as a chat may have.
        assert_eq!(admitted(&verdicts), 1 + MAX_WAITING as usize, "{verdicts:?}");
        assert_eq!(notices(&verdicts), 1);
        let muted: Vec<_> = verdicts
            .iter()
            .filter(|v| matches!(v, Verdict::HoldBack { calm_at: Some(_), .. }))
            .collect();
        assert_eq!(
            muted.len(),
            1,
            "one quiet period, extended by the rest of the flood"
        );
    }

    #[test]
    fn a_steady_flood_that_never_queues_runs_the_bucket_dry() {
        let gate = Gate::default();
        // Ten updates a second, each handled at once: no queue, so the bucket decides.
        let steady: Vec<Duration> = (0..100).map(|i| ms(100 * i)).collect();
        let verdicts = run(&gate, &steady, ms(1), Instant::now());
        let first_held = verdicts.iter().position(|v| *v != Verdict::Admit);
        // 30 at once, refilled at 2 a second while 10 a second arrive: dry after about 37.
        assert!(matches!(first_held, Some(35..=40)), "{first_held:?}");
        assert_eq!(notices(&verdicts), 1);
    }

    #[test]
    fn once_calm_the_latest_held_back_update_is_replayed() {
        let gate = Gate::default();
        let start = Instant::now();
        let flood: Vec<Duration> = (0..50).map(|i| ms(10 * i)).collect();
        let verdicts = run(&gate, &flood, ms(1), start);
        let calm_at = verdicts
            .iter()
            .find_map(|v| match v {
                Verdict::HoldBack { calm_at, .. } => *calm_at,
                Verdict::Admit => None,
            })
            .expect("the flood was held back");
        // Updates kept coming after the mute began, so the quiet period moved on.
        let Calm::NotYet(later) = gate.calm(CHAT, calm_at) else {
            panic!("not calm while the flood went on");
        };
        assert_eq!(later, start + ms(490) + CALM);
        assert_eq!(gate.calm(CHAT, later), Calm::Over(Some(49)), "the latest one");
        assert_eq!(
            gate.arrive(from_person(false), || 50, later + ms(1)),
            Verdict::Admit,
            "answered again"
        );
    }

    #[test]
    fn updates_waiting_when_a_chat_is_muted_are_superseded_by_its_latest() {
        let gate = Gate::default();
        let start = Instant::now();
        assert_eq!(gate.arrive(from_person(false), || 0, start), Verdict::Admit);
        assert_eq!(gate.started(CHAT), Turn::Handle, "the update in hand");
        // Its reply is slow; the queue fills behind it, and the next one mutes the chat.
        for i in 1..=MAX_WAITING as usize {
            assert_eq!(
                gate.arrive(from_person(false), || i, start + ms(i as u64)),
                Verdict::Admit
            );
        }
        let muted_at = start + ms(100);
        assert!(matches!(
            gate.arrive(from_person(false), || 99, muted_at),
            Verdict::HoldBack { notice: true, .. }
        ));
        for _ in 0..MAX_WAITING {
            assert_eq!(gate.started(CHAT), Turn::Superseded);
        }
        assert_eq!(gate.calm(CHAT, muted_at + CALM), Calm::Over(Some(99)));
        assert_eq!(gate.started(CHAT), Turn::Handle, "the latest update, replayed");
        assert_eq!(
            gate.arrive(from_person(false), || 100, muted_at + CALM + ms(1)),
            Verdict::Admit
        );
        assert_eq!(gate.started(CHAT), Turn::Handle, "answered as usual again");
    }

    #[test]
    fn an_emergency_phrase_passes_a_muted_chat_and_is_kept_over_later_noise() {
        let gate = Gate::default();
        let start = Instant::now();
        for i in 0..40 {
            gate.arrive(from_person(false), || i, start + ms(i as u64));
        }
        assert_eq!(
            gate.arrive(from_person(true), || 100, start + ms(50)),
            Verdict::Admit,
            "the emergency advice does not wait"
        );
        // An emergency phrase held back by a full queue is replayed rather than later noise.
        for _ in 0..MAX_WAITING_URGENT {
            gate.arrive(from_person(true), || 101, start + ms(60));
        }
        gate.arrive(from_person(false), || 102, start + ms(70));
        assert_eq!(gate.calm(CHAT, start + ms(70) + CALM), Calm::Over(Some(101)));
    }

    #[test]
    fn other_chats_are_not_affected() {
        let gate = Gate::default();
        let start = Instant::now();
        for i in 0..100 {
            gate.arrive(from_person(false), || i, start + ms(i as u64));
        }
        let other = Arrival {
            sender: CHAT + 1,
            ..from_person(false)
        };
        assert_eq!(gate.arrive(other, || 0, start + ms(100)), Verdict::Admit);
    }

    #[test]
    fn idle_chats_are_forgotten() {
        let gate = Gate::default();
        let start = Instant::now();
        for chat in 0..1000 {
            let arrival = Arrival {
                sender: chat,
                ..from_person(false)
            };
            gate.arrive(arrival, || 0, start);
            gate.started(chat);
        }
        assert_eq!(gate.remembered(), 1000);
        let later = start + FORGET_AFTER + ms(1);
        let group = Arrival {
            sender: -1,
            queued: false,
            allowance: GROUP,
            urgent: false,
            replayable: false,
        };
        for i in 0..SWEEP_EVERY {
            gate.arrive(group, || 0, later + ms(u64::from(i) * 100));
        }
        assert_eq!(gate.remembered(), 1, "only the chat still active is remembered");
    }
}
