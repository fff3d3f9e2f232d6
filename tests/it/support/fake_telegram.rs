//! A fake Telegram Bot API server for end-to-end tests.
//!
//! It speaks real HTTP on `127.0.0.1` (an ephemeral port), so the real
//! teloxide `Bot`, with whatever adaptors spotcheck wraps it in, runs
//! unchanged against it: `Bot::new(TOKEN).set_api_url(url)`, the
//! `TELOXIDE_API_URL` variable, or simply [`FakeTelegram::bot`].
//!
//! What it does:
//! - queues updates for `getUpdates` (long polling capped at one second, so
//!   a dispatcher under test shuts down fast), with builders for realistic
//!   messages, callback queries, inline queries and membership changes;
//! - answers the methods spotcheck uses with realistic objects, and keeps the
//!   messages the bot sent so edits, deletes and button presses behave;
//! - records every request, and checks Telegram's limits on each one: a
//!   breach is recorded in [`FakeTelegram::violations`] *and* answered with
//!   the same error Telegram gives, so the bot's error handling is exercised;
//! - injects faults on demand: 429 flood control, 5xx, dropped connections
//!   and slow answers, one at a time ([`FakeTelegram::fail_next`]) or at
//!   random rates from a seed ([`FakeTelegram::fail_randomly`]);
//! - on request, enforces Telegram's rate limits the way Telegram does, with
//!   429 and `retry_after`, and keeps each refusal in
//!   [`FakeTelegram::rate_limit_hits`].
//!
//! ```ignore
//! let tg = FakeTelegram::start().await;
//! // ... run the bot with tg.bot() ...
//! tg.private_text(42, "/start");
//! let reply = tg.wait_for(Duration::from_secs(5), |r| r.method == "sendMessage").await;
//! assert!(tg.violations().is_empty(), "{:#?}", tg.violations());
//! assert!(tg.wait_until_idle(Duration::from_secs(5)).await); // then stop the dispatcher
//! ```
//!
//! Known simplifications: chats are not checked to exist, MarkdownV2 text is
//! counted as sent (so it is over-counted, never under-counted), and
//! "message is not modified" compares the raw text and parse mode.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Multipart, Path, State as With};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::serve::{IncomingStream, Listener};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// The token the fake accepts; any other token gets `401 Unauthorized`.
pub const TOKEN: &str = "123456:TEST";
/// The bot's user id: Telegram derives it from the token.
pub const BOT_ID: i64 = 123456;
pub const BOT_USERNAME: &str = "spotcheck_test_bot";
/// Who presses buttons or sends media in a group where no user spoke yet.
pub const DEFAULT_GROUP_USER: i64 = 1000;

/// Telegram's own cap on uploads through the Bot API.
const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;
/// Long polls never wait longer than this, whatever `timeout` says.
const MAX_LONG_POLL: Duration = Duration::from_secs(1);

const QUERY_TOO_OLD: &str = "query is too old and response timeout expired or query ID is invalid";

/// One request the bot made, recorded as the fake answers it.
#[derive(Clone, Debug)]
pub struct Request {
    /// The method as Telegram spells it (`sendMessage`), whatever case was used.
    pub method: String,
    /// JSON bodies as sent. Multipart bodies become an object: JSON-encoded
    /// fields (`reply_markup`, `chat_id`, ...) are parsed, free text stays a
    /// string, and uploaded files become `{"file_name": .., "size": ..}`.
    pub body: Value,
    /// When the request arrived.
    pub at: Instant,
    /// The answer as sent: `{"ok": true, "result": ..}` or Telegram's error
    /// object; `Null` when `Fault::Drop` cut the connection instead. For
    /// `Fault::AnswerLost` it is the answer the bot never received.
    pub response: Value,
    /// The fault injected into this request, if any.
    pub fault: Option<Fault>,
}

impl Request {
    /// `chat_id`, whether it was sent as a number or a numeric string.
    pub fn chat_id(&self) -> Option<i64> {
        as_i64(self.body.get("chat_id")?)
    }

    /// The message text, or the caption for media.
    pub fn text(&self) -> Option<&str> {
        self.body
            .get("text")
            .or_else(|| self.body.get("caption"))?
            .as_str()
    }

    /// The `callback_data` of every inline button, row by row.
    pub fn callback_data(&self) -> Vec<String> {
        inline_buttons(&self.body)
            .filter_map(|b| b.get("callback_data")?.as_str().map(str::to_owned))
            .collect()
    }

    /// What Telegram returned, if it accepted the request.
    pub fn result(&self) -> Option<&Value> {
        self.response.get("result")
    }

    /// The id of the message this request sent or edited, if accepted.
    pub fn message_id(&self) -> Option<i64> {
        self.result()?.get("message_id")?.as_i64()
    }

    /// Telegram's description, if it refused the request.
    pub fn error(&self) -> Option<&str> {
        self.response.get("description")?.as_str()
    }

    /// Whether the bot received a successful answer: Telegram acted on the
    /// request and the bot knows it.
    pub fn delivered(&self) -> bool {
        self.result().is_some() && self.fault != Some(Fault::AnswerLost)
    }
}

/// A failure to inject with [`FakeTelegram::fail_next`].
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// 429 with `parameters.retry_after`, as Telegram's flood control answers.
    TooManyRequests { retry_after: u32 },
    /// A 5xx such as 500 or 502. Note: teloxide-core sleeps 10 s after any
    /// HTTP 5xx status, whatever the method, before it reports the error.
    ServerError(u16),
    /// The same error object as `ServerError` (`error_code` 500, "Internal
    /// Server Error"), sent with HTTP status 200. teloxide reads the body and
    /// reports exactly the error it reports after a real 5xx, so the bot's
    /// handling is the same; only teloxide-core's fixed 10 s pause, which
    /// looks at the status alone, is skipped. Lets a test inject many 5xx.
    QuickServerError(u16),
    /// Close the TCP connection without sending a single byte back, before
    /// doing anything: the request had no effect.
    Drop,
    /// Carry out the request (a message is sent, a query answered), then
    /// close the connection without answering: the bot cannot know it worked.
    AnswerLost,
    /// Answer normally, but only after this long (teloxide's default client
    /// gives up after 17 s).
    Slow(Duration),
}

/// Handle to a running fake server. Clones share it; the server stops on
/// [`FakeTelegram::shutdown`] or when the last clone is dropped.
#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    api_url: String,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.shared.shutdown.notify_one();
    }
}

/// What the HTTP handlers and the handles share.
#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Woken when an update is queued or a newer `getUpdates` starts.
    poll_wakeup: Notify,
    /// Woken when a request is recorded.
    requests_changed: Notify,
    shutdown: Notify,
}

impl Shared {
    fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        // A panicking test must not hide its own failure behind a poisoned lock.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state)
    }

    fn record(&self, request: Request) {
        self.with_state(|s| s.requests.push(request));
        self.requests_changed.notify_waiters();
    }

    /// Telegram's refusal; one caused by the bot is also a violation.
    fn refuse(&self, method: &str, error: TgError) -> (StatusCode, Value) {
        if error.is_violation() {
            let violation = format!("{method}: {}{}", error.description, error.detail);
            self.with_state(|s| s.violations.push(violation));
        }
        error.answer()
    }
}

// ---------------------------------------------------------------------------
// The handle: starting, stopping, queueing updates, observing requests.
// ---------------------------------------------------------------------------

impl FakeTelegram {
    /// Binds 127.0.0.1 on a free port and serves until shut down.
    pub async fn start() -> FakeTelegram {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let api_url = format!("http://{}", listener.local_addr().expect("local address"));
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/{token}/{method}", any(handle))
            .fallback(|| async { TgError::not_found() })
            .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
            .with_state(shared.clone());
        let stop = shared.clone();
        tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<Conn>();
            axum::serve(KillableListener(listener), service)
                .with_graceful_shutdown(async move { stop.shutdown.notified().await })
                .await
                .expect("fake Telegram server failed");
        });
        FakeTelegram {
            inner: Arc::new(Inner { shared, api_url }),
        }
    }

    /// Base URL to hand to teloxide, e.g. `http://127.0.0.1:40123`.
    pub fn api_url(&self) -> String {
        self.inner.api_url.clone()
    }

    pub fn token(&self) -> &str {
        TOKEN
    }

    /// A real teloxide `Bot` pointed at this server.
    pub fn bot(&self) -> teloxide::Bot {
        teloxide::Bot::new(TOKEN).set_api_url(self.api_url().parse().expect("api url"))
    }

    /// Stops accepting connections; requests in flight still finish.
    pub fn shutdown(&self) {
        self.inner.shared.shutdown.notify_one();
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        self.inner.shared.with_state(f)
    }

    /// Queues a raw update and returns its `update_id` (assigned if missing).
    /// Like Telegram, updates of a kind outside the bot's `allowed_updates`
    /// are never delivered.
    pub fn push_update(&self, update: Value) -> i64 {
        self.enqueue_with(|_| update)
    }

    fn enqueue_with(&self, build: impl FnOnce(&mut State) -> Value) -> i64 {
        let id = self.with_state(|s| {
            let update = build(s);
            s.enqueue(update)
        });
        self.inner.shared.poll_wakeup.notify_waiters();
        id
    }

    /// A text message from user `chat_id` in their private chat with the bot.
    pub fn private_text(&self, chat_id: i64, text: &str) -> i64 {
        assert!(chat_id > 0, "private chat ids are the user's id, so positive");
        self.enqueue_with(|s| s.incoming("message", chat_id, Some(chat_id), text_content(text)))
    }

    /// A text message from `user_id` in supergroup `chat_id`.
    pub fn group_text(&self, chat_id: i64, user_id: i64, text: &str) -> i64 {
        assert!(chat_id < 0, "group chat ids are negative");
        self.enqueue_with(|s| {
            s.chat_types.entry(chat_id).or_insert("supergroup");
            s.last_user_in_chat.insert(chat_id, user_id);
            s.incoming("message", chat_id, Some(user_id), text_content(text))
        })
    }

    /// A press on a button with `data` under the bot's message `message_id`.
    /// The query id is new, so the bot may answer it exactly once.
    pub fn callback(&self, chat_id: i64, message_id: i64, data: &str) -> i64 {
        self.enqueue_with(|s| {
            let user = s.user_in(chat_id);
            let message = s.message_json_or_placeholder(chat_id, message_id);
            let id = format!("cbq-{}", s.next_number());
            json!({ "callback_query": {
                "id": id,
                "from": user_json(user),
                "message": message,
                "chat_instance": format!("instance{chat_id}"),
                "data": data,
            }})
        })
    }

    pub fn sticker(&self, chat_id: i64) -> i64 {
        self.enqueue_with(|s| {
            let file_id = format!("sticker-{}", s.next_number());
            let sticker = json!({
                "file_id": file_id, "file_unique_id": format!("u{file_id}"),
                "type": "regular", "width": 512, "height": 512,
                "is_animated": false, "is_video": false,
                "emoji": "👍", "set_name": "SpotcheckTestStickers", "file_size": 20480,
            });
            let from = s.user_in(chat_id);
            s.incoming("message", chat_id, Some(from), json!({ "sticker": sticker }))
        })
    }

    /// A photo from the user; its file ids can be sent back by the bot.
    pub fn photo(&self, chat_id: i64) -> i64 {
        self.enqueue_with(|s| {
            let photo = s.new_media(MediaKind::Photo, "user-photo", 48_000, "");
            let from = s.user_in(chat_id);
            s.incoming("message", chat_id, Some(from), json!({ "photo": photo }))
        })
    }

    pub fn channel_post(&self, chat_id: i64, text: &str) -> i64 {
        assert!(chat_id < 0, "channel ids are negative");
        self.enqueue_with(|s| {
            s.chat_types.insert(chat_id, "channel");
            let mut content = text_content(text);
            content["sender_chat"] = s.chat_json(chat_id);
            s.incoming("channel_post", chat_id, None, content)
        })
    }

    pub fn inline_query(&self, user_id: i64, query: &str) -> i64 {
        self.enqueue_with(|s| {
            let id = format!("iq-{}", s.next_number());
            json!({ "inline_query": {
                "id": id, "from": user_json(user_id), "query": query,
                "offset": "", "chat_type": "sender",
            }})
        })
    }

    /// The bot was added to group `chat_id` by `user_id`, or, for a private
    /// chat, unblocked by the user.
    pub fn my_chat_member_added(&self, chat_id: i64, user_id: i64) -> i64 {
        self.enqueue_with(|s| {
            let old_status = if chat_id > 0 {
                json!({ "user": bot_user_json(), "status": "kicked", "until_date": 0 })
            } else {
                s.chat_types.entry(chat_id).or_insert("supergroup");
                s.last_user_in_chat.insert(chat_id, user_id);
                json!({ "user": bot_user_json(), "status": "left" })
            };
            json!({ "my_chat_member": {
                "chat": s.chat_json(chat_id),
                "from": user_json(user_id),
                "date": now(),
                "old_chat_member": old_status,
                "new_chat_member": { "user": bot_user_json(), "status": "member" },
            }})
        })
    }

    /// Takes a queued update out of the queue (to post it to a webhook instead of polling).
    pub fn take_update(&self, update_id: i64) -> Option<Value> {
        self.with_state(|s| {
            let position = s
                .updates
                .iter()
                .position(|update| update["update_id"] == json!(update_id))?;
            s.updates.remove(position)
        })
    }

    /// Updates queued and not yet confirmed by a later `offset`.
    pub fn pending_updates(&self) -> Vec<Value> {
        self.with_state(|s| s.updates.iter().cloned().collect())
    }

    pub fn requests(&self) -> Vec<Request> {
        self.with_state(|s| s.requests.clone())
    }

    /// `sendMessage`, `sendPhoto`, `sendDocument` and `editMessageText`
    /// requests for `chat_id`, whether Telegram accepted them or not.
    pub fn sent_to(&self, chat_id: i64) -> Vec<Request> {
        const SENDS: [&str; 4] = ["sendMessage", "sendPhoto", "sendDocument", "editMessageText"];
        self.requests()
            .into_iter()
            .filter(|r| SENDS.contains(&r.method.as_str()) && r.chat_id() == Some(chat_id))
            .collect()
    }

    /// Every request Telegram would have refused, as "method: description".
    pub fn violations(&self) -> Vec<String> {
        self.with_state(|s| s.violations.clone())
    }

    /// Button presses queued for the bot that it has not answered yet: each leaves a spinner
    /// on the person's button until it is answered.
    pub fn unanswered_presses(&self) -> Vec<String> {
        let mut open: Vec<String> = self.with_state(|s| s.open_callback_queries.iter().cloned().collect());
        open.sort();
        open
    }

    /// How many button presses the bot was sent, and how many it answered (each at most once:
    /// a second answer is refused as a violation).
    pub fn presses(&self) -> Presses {
        self.with_state(|s| s.presses)
    }

    /// Methods the fake does not implement (answered with 404).
    pub fn unknown_methods(&self) -> Vec<String> {
        self.with_state(|s| s.unknown_methods.clone())
    }

    /// The bot's messages still in `chat_id`, oldest first, as they are now
    /// (after edits, without deleted ones).
    pub fn bot_messages(&self, chat_id: i64) -> Vec<Value> {
        self.with_state(|s| {
            let mut ids: Vec<i64> = s
                .messages
                .iter()
                .filter(|((chat, _), m)| *chat == chat_id && m.from_bot)
                .map(|((_, id), _)| *id)
                .collect();
            ids.sort_unstable();
            ids.iter()
                .map(|id| s.messages[&(chat_id, *id)].json.clone())
                .collect()
        })
    }

    pub fn last_bot_message_id(&self, chat_id: i64) -> Option<i64> {
        self.bot_messages(chat_id).last()?.get("message_id")?.as_i64()
    }

    /// Waits for the next request matching `pred` (requests are recorded as
    /// they are answered). Requests are looked at from a shared cursor, so repeated calls see successive requests: the cursor
    /// moves past the request returned (and the ones skipped before it).
    pub async fn wait_for(&self, timeout: Duration, pred: impl Fn(&Request) -> bool) -> Option<Request> {
        self.wait_for_count(timeout, 1, pred).await.pop()
    }

    /// Waits until `count` requests after the cursor match, and moves the
    /// cursor past the last of them. On timeout returns the (fewer) matches
    /// found so far, for the assertion message, and leaves the cursor alone.
    pub async fn wait_for_count(
        &self,
        timeout: Duration,
        count: usize,
        pred: impl Fn(&Request) -> bool,
    ) -> Vec<Request> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before looking, so a request recorded in between still wakes us.
            let changed = self.inner.shared.requests_changed.notified();
            let (found, complete) = self.with_state(|s| s.take_matching(count, &pred));
            if complete || tokio::time::Instant::now() >= deadline {
                return found;
            }
            let _ = tokio::time::timeout_at(deadline, changed).await;
        }
    }

    /// Waits for the first request at or after index `from` matching `pred`, and gives its
    /// index: for a caller with a cursor of its own (`wait_for` shares one). Scans under the
    /// lock and sleeps until a request is recorded, so many waiting callers cost little.
    pub async fn wait_for_from(
        &self,
        from: usize,
        timeout: Duration,
        pred: impl Fn(&Request) -> bool,
    ) -> Option<(usize, Request)> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Registered before looking, so a request recorded in between still wakes us.
            let changed = self.inner.shared.requests_changed.notified();
            let found = self.with_state(|s| {
                let (index, request) = s.requests.iter().enumerate().skip(from).find(|(_, r)| pred(r))?;
                Some((index, request.clone()))
            });
            if found.is_some() || tokio::time::Instant::now() >= deadline {
                return found;
            }
            let _ = tokio::time::timeout_at(deadline, changed).await;
        }
    }

    /// Waits until the bot has taken every queued update and has been
    /// long-polling for more for a moment; false on timeout. Its handlers may
    /// still be running.
    ///
    /// Call this before `ShutdownToken::shutdown`: teloxide 0.17's dispatcher
    /// loses a shutdown request that arrives while it is between two updates
    /// (its `Notify::notify_waiters` finds nobody waiting) and then never
    /// stops. While it long-polls with nothing to hand out, it is listening.
    pub async fn wait_until_idle(&self, timeout: Duration) -> bool {
        // Long enough for the dispatcher to be back in its select after
        // sending the poll; the poll leaves first.
        const SETTLED: Duration = Duration::from_millis(50);
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let idle_since = self.with_state(|s| s.polling_idle_since);
            if idle_since.is_some_and(|since| since.elapsed() >= SETTLED) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }

    /// Makes `user` an administrator of `chat` (what `getChatMember` answers).
    pub fn make_admin(&self, chat_id: i64, user_id: i64) {
        self.with_state(|s| s.admins.insert((chat_id, user_id)));
    }

    /// Answers the next `times` calls of `method` (any case) with `fault`.
    /// These come before any random fault.
    pub fn fail_next(&self, method: &str, fault: Fault, times: usize) {
        let key = canonical_method(method);
        self.with_state(|s| s.faults.entry(key).or_default().extend(vec![fault; times]));
    }

    /// From now on, injects faults at random into the methods `rates` names.
    /// The draw for the n-th call of a method for a chat depends only on the
    /// seed, the method, the chat and n, so each chat sees the same faults in
    /// every run however the chats interleave (`getUpdates` counts as one
    /// chat, so its faults also depend on how often the bot polls).
    pub fn fail_randomly(&self, rates: FaultRates, seed: u64) {
        let methods = rates.methods.iter().map(|m| canonical_method(m)).collect();
        self.with_state(|s| {
            s.random_faults = Some(RandomFaults {
                rates,
                methods,
                seed,
                calls: HashMap::new(),
            })
        });
    }

    /// Stops injecting random faults.
    pub fn stop_failing(&self) {
        self.with_state(|s| s.random_faults = None);
    }

    /// Every fault injected so far, as (method, chat, fault); chat 0 for
    /// requests without one.
    pub fn injected_faults(&self) -> Vec<(String, i64, Fault)> {
        self.requests()
            .into_iter()
            .filter_map(|r| Some((r.method.clone(), r.chat_id().unwrap_or(0), r.fault?)))
            .collect()
    }

    /// From now on, refuses messages beyond Telegram's rate limits with 429
    /// and `retry_after`, as Telegram does.
    pub fn enforce_rate_limits(&self, limits: RateLimits) {
        self.with_state(|s| s.rate_limiter = Some(RateLimiter::new(limits)));
    }

    /// Every request refused by the enforced rate limits.
    pub fn rate_limit_hits(&self) -> Vec<RateLimitHit> {
        self.with_state(|s| s.rate_limit_hits.clone())
    }

    /// The update kinds the bot asked for, or `None` if it never set them.
    pub fn allowed_updates(&self) -> Option<Vec<String>> {
        self.with_state(|s| {
            let mut kinds: Vec<String> = s.allowed_updates.as_ref()?.iter().cloned().collect();
            kinds.sort();
            Some(kinds)
        })
    }

    /// Queues an update that is delivered even if its kind is outside the
    /// bot's `allowed_updates`: Telegram keeps updates queued before the bot
    /// changed the setting, and a bot must cope with them.
    pub fn push_update_anyway(&self, update: Value) -> i64 {
        self.enqueue_with(|s| {
            let id = s.last_update_id + 1;
            s.delivered_anyway.insert(id);
            let mut update = update;
            update["update_id"] = json!(id);
            update
        })
    }

    /// A voice message from the user in their private chat.
    pub fn voice(&self, chat_id: i64) -> i64 {
        self.enqueue_with(|s| {
            let file_id = format!("voice-{}", s.next_number());
            let voice = json!({
                "file_id": file_id, "file_unique_id": format!("u{file_id}"),
                "duration": 4, "mime_type": "audio/ogg", "file_size": 9000,
            });
            let from = s.user_in(chat_id);
            s.incoming("message", chat_id, Some(from), json!({ "voice": voice }))
        })
    }

    /// The user edited their earlier message `message_id` to `text`.
    pub fn edited_text(&self, chat_id: i64, message_id: i64, text: &str) -> i64 {
        self.enqueue_with(|s| {
            let from = s.user_in(chat_id);
            let mut message = json!({
                "message_id": message_id, "chat": s.chat_json(chat_id), "date": now() - 60,
                "edit_date": now(), "from": user_json(from),
            });
            merge(&mut message, text_content(text));
            json!({ "edited_message": message })
        })
    }
}

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

struct RandomFaults {
    rates: FaultRates,
    methods: Vec<String>,
    seed: u64,
    /// Calls so far per (method, chat).
    calls: HashMap<(String, i64), u64>,
}

impl RandomFaults {
    fn draw(&mut self, method: &str, chat: i64) -> Option<Fault> {
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
const RATE_LIMITED_METHODS: &[&str] = &[
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "editMessageText",
    "editMessageReplyMarkup",
];

struct RateLimiter {
    limits: RateLimits,
    /// Private chat → (tokens, when last refilled).
    buckets: HashMap<i64, (f64, Instant)>,
    /// Group → when its recent messages went out.
    group_sent: HashMap<i64, VecDeque<Instant>>,
    overall_sent: VecDeque<Instant>,
    /// Chat → until when it must wait, after a 429.
    penalties: HashMap<i64, Instant>,
}

impl RateLimiter {
    fn new(limits: RateLimits) -> RateLimiter {
        RateLimiter {
            limits,
            buckets: HashMap::new(),
            group_sent: HashMap::new(),
            overall_sent: VecDeque::new(),
            penalties: HashMap::new(),
        }
    }

    /// Counts a message for `chat`, or returns (retry_after, during_penalty).
    fn admit(&mut self, chat: i64, now: Instant) -> Result<(), (u32, bool)> {
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

// ---------------------------------------------------------------------------
// HTTP: a listener whose connections a handler can sever, and the handler.
// ---------------------------------------------------------------------------

/// Per-connection switch, handed to handlers as connect info, so that
/// `Fault::Drop` can close its own connection without answering.
#[derive(Clone, Debug, Default)]
struct Conn {
    killed: Arc<AtomicBool>,
}

impl Conn {
    fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

struct KillableListener(TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = Conn;

    async fn accept(&mut self) -> (KillableStream, Conn) {
        // axum's own TcpListener impl already retries failed accepts.
        let (stream, _peer) = <TcpListener as Listener>::accept(&mut self.0).await;
        let conn = Conn::default();
        (
            KillableStream {
                inner: stream,
                killed: conn.killed.clone(),
            },
            conn,
        )
    }

    fn local_addr(&self) -> io::Result<Conn> {
        Ok(Conn::default())
    }
}

/// A TCP stream that fails all I/O once killed. hyper then abandons the
/// connection before writing the response, and dropping the socket closes
/// it: the client sees the connection end with no answer at all.
struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

impl KillableStream {
    fn alive(&self) -> io::Result<()> {
        if self.killed.load(Ordering::SeqCst) {
            Err(io::Error::new(io::ErrorKind::ConnectionAborted, "Fault::Drop"))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// Every Bot API call: `POST /bot{token}/{method}`. The request is
/// recorded, with its answer, just before the answer goes out.
async fn handle(
    With(shared): With<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    Path((token_segment, raw_method)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let at = Instant::now();
    let method = canonical_method(&raw_method);
    let (body, answered) = match read_body(request).await {
        Ok(body) => {
            let answered = answer(&shared, &method, &token_segment, &body, &conn).await;
            (body, answered)
        }
        Err(error) => (Value::Null, Answered::plain(shared.refuse(&method, error))),
    };
    let response = answered
        .reply
        .as_ref()
        .map_or(Value::Null, |(_, json)| json.clone());
    shared.record(Request {
        method,
        body,
        at,
        response,
        fault: answered.fault,
    });
    match answered.reply {
        Some(_) if answered.lost => StatusCode::INTERNAL_SERVER_ERROR.into_response(), // the connection is gone
        Some((status, json)) => (status, Json(json)).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(), // the connection is gone
    }
}

/// What the fake did with a request.
struct Answered {
    /// What Telegram answered, or `None` when the connection was dropped
    /// before anything happened.
    reply: Option<(StatusCode, Value)>,
    /// The connection was dropped after `reply` was decided.
    lost: bool,
    fault: Option<Fault>,
}

impl Answered {
    fn plain(reply: (StatusCode, Value)) -> Answered {
        Answered {
            reply: Some(reply),
            lost: false,
            fault: None,
        }
    }

    fn faulted(reply: Option<(StatusCode, Value)>, fault: Fault) -> Answered {
        Answered {
            reply,
            lost: false,
            fault: Some(fault),
        }
    }
}

/// What Telegram would answer, with any injected fault.
async fn answer(shared: &Shared, method: &str, token_segment: &str, body: &Value, conn: &Conn) -> Answered {
    if token_segment != format!("bot{TOKEN}") {
        return Answered::plain(shared.refuse(method, TgError::unauthorized()));
    }
    let fault = shared.with_state(|s| s.take_fault(method, body));
    match &fault {
        Some(Fault::TooManyRequests { retry_after }) => {
            let reply = TgError::flood(*retry_after).answer();
            return Answered::faulted(
                Some(reply),
                Fault::TooManyRequests {
                    retry_after: *retry_after,
                },
            );
        }
        Some(Fault::ServerError(code)) => {
            return Answered::faulted(Some(TgError::server(*code).answer()), Fault::ServerError(*code));
        }
        Some(Fault::QuickServerError(code)) => {
            let (_, json) = TgError::server(*code).answer();
            return Answered::faulted(Some((StatusCode::OK, json)), Fault::QuickServerError(*code));
        }
        Some(Fault::Drop) => {
            conn.kill();
            return Answered::faulted(None, Fault::Drop);
        }
        Some(Fault::Slow(delay)) => tokio::time::sleep(*delay).await,
        Some(Fault::AnswerLost) | None => {}
    }
    if let Some((retry_after, during_penalty)) = shared.with_state(|s| s.rate_limit(method, body)) {
        let mut answered = Answered::plain(TgError::flood(retry_after).answer());
        answered.fault = fault.filter(|f| matches!(f, Fault::Slow(_)));
        let chat_id = chat_id(body).unwrap_or_default();
        let hit = RateLimitHit {
            chat_id,
            during_penalty,
        };
        shared.with_state(|s| s.rate_limit_hits.push(hit));
        return answered;
    }
    let result = if method == "getUpdates" {
        get_updates(shared, body).await
    } else {
        shared.with_state(|s| s.call(method, body))
    };
    let reply = match result {
        Ok(result) => (StatusCode::OK, json!({ "ok": true, "result": result })),
        Err(error) => shared.refuse(method, error),
    };
    let lost = fault == Some(Fault::AnswerLost);
    if lost {
        conn.kill();
    }
    Answered {
        reply: Some(reply),
        lost,
        fault,
    }
}

/// Long polling: answers at once if updates are queued, otherwise waits for
/// one up to min(timeout, 1 s). Like Telegram, a newer `getUpdates` ends an
/// older one with 409.
async fn get_updates(shared: &Shared, body: &Value) -> Result<Value, TgError> {
    let poll = shared.with_state(|s| s.start_poll(body))?;
    shared.poll_wakeup.notify_waiters();
    let deadline = tokio::time::Instant::now() + poll.wait;
    loop {
        let wakeup = shared.poll_wakeup.notified();
        if let Some(updates) = shared.with_state(|s| s.deliverable(poll.generation, poll.limit))? {
            return Ok(updates);
        }
        if tokio::time::timeout_at(deadline, wakeup).await.is_err() {
            return Ok(json!([]));
        }
    }
}

/// Turns the body into JSON, whether it came as JSON or multipart.
async fn read_body(request: axum::extract::Request) -> Result<Value, TgError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|e| TgError::bad_request(e.body_text()))?;
        return read_multipart(multipart).await;
    }
    let bytes = axum::body::to_bytes(request.into_body(), UPLOAD_LIMIT)
        .await
        .map_err(|e| TgError::bad_request(e.to_string()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({})); // e.g. getMe sent without a body
    }
    serde_json::from_slice(&bytes).map_err(|e| TgError::bad_request(format!("can't parse JSON: {e}")))
}

/// Fields whose multipart value is free text, never JSON to decode.
const FREE_TEXT_FIELDS: &[&str] = &["text", "caption", "parse_mode", "title", "description"];

async fn read_multipart(mut multipart: Multipart) -> Result<Value, TgError> {
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        parts.push((name, file_name, bytes));
    }
    // teloxide sends `photo=attach://<id>` plus a file part named `<id>`.
    let attached: HashSet<String> = parts
        .iter()
        .filter_map(|(_, _, bytes)| std::str::from_utf8(bytes).ok()?.strip_prefix("attach://"))
        .map(str::to_owned)
        .collect();
    let mut fields = Map::new();
    let mut files = Map::new();
    for (name, file_name, bytes) in parts {
        if file_name.is_some() || attached.contains(&name) {
            let file = json!({ "file_name": file_name.unwrap_or_default(), "size": bytes.len() });
            files.insert(name, file);
        } else {
            let value = multipart_value(&name, String::from_utf8_lossy(&bytes).into_owned());
            fields.insert(name, value);
        }
    }
    for value in fields.values_mut() {
        let id = value
            .as_str()
            .and_then(|v| v.strip_prefix("attach://"))
            .map(str::to_owned);
        if let Some(file) = id.and_then(|id| files.remove(&id)) {
            *value = file;
        }
    }
    fields.extend(files); // files nobody referred to, under their part names
    Ok(Value::Object(fields))
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> TgError {
    TgError::bad_request(error.body_text())
}

/// Multipart carries every non-file field as text; structured ones
/// (`reply_markup`, numbers, booleans) are JSON-encoded.
fn multipart_value(name: &str, text: String) -> Value {
    if FREE_TEXT_FIELDS.contains(&name) {
        return Value::String(text);
    }
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

// ---------------------------------------------------------------------------
// The server's state and the methods it implements.
// ---------------------------------------------------------------------------

/// Button presses the bot was sent, and how many it answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Presses {
    pub sent: usize,
    pub answered: usize,
}

#[derive(Default)]
struct State {
    updates: VecDeque<Value>,
    last_update_id: i64,
    /// `None` until the bot sets it: then Telegram's default applies.
    allowed_updates: Option<HashSet<String>>,
    poll_generation: u64,
    /// Since when the bot has been long-polling with nothing left to take.
    polling_idle_since: Option<Instant>,
    webhook_url: String,
    requests: Vec<Request>,
    cursor: usize,
    violations: Vec<String>,
    unknown_methods: Vec<String>,
    faults: HashMap<String, VecDeque<Fault>>,
    last_message_id: i64,
    messages: HashMap<(i64, i64), StoredMessage>,
    chat_types: HashMap<i64, &'static str>,
    last_user_in_chat: HashMap<i64, i64>,
    open_callback_queries: HashSet<String>,
    /// Button presses queued for the bot, and how many of them it answered.
    presses: Presses,
    open_inline_queries: HashSet<String>,
    last_number: u64,
    files: HashMap<String, (MediaKind, Value)>,
    commands: HashMap<String, Value>,
    /// (chat, user) pairs that administer the chat, for `getChatMember`.
    admins: HashSet<(i64, i64)>,
    random_faults: Option<RandomFaults>,
    rate_limiter: Option<RateLimiter>,
    rate_limit_hits: Vec<RateLimitHit>,
    /// Updates delivered whatever `allowed_updates` says.
    delivered_anyway: HashSet<i64>,
}

struct StoredMessage {
    from_bot: bool,
    /// Text and parse mode as the bot sent them; `None` for media.
    raw_text: Option<(String, Option<String>)>,
    /// Inline keyboard, the only kind Telegram echoes in a Message.
    markup: Option<Value>,
    json: Value,
}

struct PollRequest {
    generation: u64,
    limit: usize,
    wait: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum MediaKind {
    Photo,
    Document,
}

impl MediaKind {
    fn field(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Document => "document",
        }
    }
}

/// Methods as Telegram names them; requests match these case-insensitively.
const METHODS: &[&str] = &[
    "getUpdates",
    "getMe",
    "getWebhookInfo",
    "setWebhook",
    "deleteWebhook",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendChatAction",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "answerInlineQuery",
    "close",
    "logOut",
    "getChatMember",
];

/// teloxide sends `SendMessage`; Telegram documents `sendMessage`.
fn canonical_method(raw: &str) -> String {
    if let Some(known) = METHODS.iter().find(|m| m.eq_ignore_ascii_case(raw)) {
        return (*known).to_owned();
    }
    let mut chars = raw.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Update kinds Telegram leaves out unless the bot asks for them.
const NOT_DELIVERED_BY_DEFAULT: [&str; 3] = ["chat_member", "message_reaction", "message_reaction_count"];

impl State {
    /// An owner for the pairs marked with `make_admin`, else an ordinary member.
    fn chat_member(&self, body: &Value) -> Value {
        let chat = body.get("chat_id").and_then(as_i64).unwrap_or_default();
        let user = body.get("user_id").and_then(as_i64).unwrap_or_default();
        let person = json!({"id": user, "is_bot": false, "first_name": "Member"});
        if self.admins.contains(&(chat, user)) {
            json!({"status": "creator", "user": person, "is_anonymous": false})
        } else {
            json!({"status": "member", "user": person})
        }
    }

    fn next_number(&mut self) -> u64 {
        self.last_number += 1;
        self.last_number
    }

    fn next_message_id(&mut self) -> i64 {
        self.last_message_id += 1;
        self.last_message_id
    }

    fn enqueue(&mut self, mut update: Value) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.last_update_id + 1;
                update["update_id"] = json!(id);
                id
            }
        };
        self.last_update_id = self.last_update_id.max(id);
        // Queries in hand-made updates must be answerable too.
        if let Some(query) = update.pointer("/callback_query/id").and_then(Value::as_str) {
            self.open_callback_queries.insert(query.to_owned());
            self.presses.sent += 1;
        }
        if let Some(query) = update.pointer("/inline_query/id").and_then(Value::as_str) {
            self.open_inline_queries.insert(query.to_owned());
        }
        self.updates.push_back(update);
        self.polling_idle_since = None;
        id
    }

    /// A message from a user (or a channel when `from` is `None`), wrapped
    /// in an update of `kind`.
    fn incoming(&mut self, kind: &str, chat_id: i64, from: Option<i64>, content: Value) -> Value {
        let id = self.next_message_id();
        let mut message = json!({ "message_id": id, "chat": self.chat_json(chat_id), "date": now() });
        if let Some(user) = from {
            message["from"] = user_json(user);
        }
        merge(&mut message, content);
        let stored = StoredMessage {
            from_bot: false,
            raw_text: None,
            markup: None,
            json: message.clone(),
        };
        self.messages.insert((chat_id, id), stored);
        json!({ kind: message })
    }

    fn user_in(&self, chat_id: i64) -> i64 {
        if chat_id > 0 {
            return chat_id;
        }
        self.last_user_in_chat
            .get(&chat_id)
            .copied()
            .unwrap_or(DEFAULT_GROUP_USER)
    }

    fn chat_json(&self, chat_id: i64) -> Value {
        if chat_id > 0 {
            return json!({
                "id": chat_id, "type": "private",
                "first_name": format!("User{chat_id}"), "username": format!("user{chat_id}"),
            });
        }
        let kind = self.chat_types.get(&chat_id).copied().unwrap_or("supergroup");
        json!({ "id": chat_id, "type": kind, "title": format!("Test {kind} {chat_id}") })
    }

    /// The bot's message as it is now, or a stand-in if the fake never saw
    /// it (say, a button under a message from before a restart).
    fn message_json_or_placeholder(&self, chat_id: i64, message_id: i64) -> Value {
        match self.messages.get(&(chat_id, message_id)) {
            Some(stored) => stored.json.clone(),
            None => json!({
                "message_id": message_id, "from": bot_user_json(),
                "chat": self.chat_json(chat_id), "date": now(), "text": "(unknown to the fake)",
            }),
        }
    }

    /// A fault planned with `fail_next`, else a random one, if any.
    fn take_fault(&mut self, method: &str, body: &Value) -> Option<Fault> {
        if let Some(fault) = self.faults.get_mut(method).and_then(VecDeque::pop_front) {
            return Some(fault);
        }
        let chat = body.get("chat_id").and_then(as_i64).unwrap_or(0);
        self.random_faults.as_mut()?.draw(method, chat)
    }

    /// `Some((retry_after, during_penalty))` if Telegram would refuse this
    /// message now.
    fn rate_limit(&mut self, method: &str, body: &Value) -> Option<(u32, bool)> {
        let limiter = self.rate_limiter.as_mut()?;
        if !RATE_LIMITED_METHODS.contains(&method) {
            return None;
        }
        let chat = body.get("chat_id").and_then(as_i64)?;
        limiter.admit(chat, Instant::now()).err()
    }

    fn take_matching(&mut self, count: usize, pred: &dyn Fn(&Request) -> bool) -> (Vec<Request>, bool) {
        if count == 0 {
            return (Vec::new(), true);
        }
        let mut found = Vec::new();
        let unseen = self.requests.iter().enumerate().skip(self.cursor);
        for (index, request) in unseen.filter(|(_, request)| pred(request)) {
            found.push(request.clone());
            if found.len() == count {
                self.cursor = index + 1;
                return (found, true);
            }
        }
        (found, false)
    }

    fn call(&mut self, method: &str, body: &Value) -> Result<Value, TgError> {
        match method {
            "getMe" => Ok(me_json()),
            "getWebhookInfo" => Ok(self.webhook_info()),
            "setWebhook" => self.set_webhook(body),
            "deleteWebhook" => Ok(self.delete_webhook(body)),
            "setMyCommands" => self.set_my_commands(body),
            "getMyCommands" => Ok(self
                .commands
                .get(&commands_key(body))
                .cloned()
                .unwrap_or(json!([]))),
            "deleteMyCommands" => {
                self.commands.remove(&commands_key(body));
                Ok(json!(true))
            }
            "sendMessage" => self.send_message(body),
            "sendPhoto" => self.send_media(body, MediaKind::Photo),
            "sendDocument" => self.send_media(body, MediaKind::Document),
            "sendChatAction" => send_chat_action(body),
            "editMessageText" => self.edit_message_text(body),
            "editMessageReplyMarkup" => self.edit_message_reply_markup(body),
            "deleteMessage" => self.delete_message(body),
            "answerCallbackQuery" => self.answer_callback_query(body),
            "answerInlineQuery" => self.answer_inline_query(body),
            "close" | "logOut" => Ok(json!(true)),
            "getChatMember" => Ok(self.chat_member(body)),
            _ => {
                self.unknown_methods.push(method.to_owned());
                Err(TgError::not_found())
            }
        }
    }

    // --- updates and webhooks ---

    fn start_poll(&mut self, body: &Value) -> Result<PollRequest, TgError> {
        if !self.webhook_url.is_empty() {
            return Err(TgError::new(
                409,
                "Conflict: can't use getUpdates method while webhook is active; \
                 use deleteWebhook to delete the webhook first",
            ));
        }
        self.confirm(body.get("offset").and_then(Value::as_i64).unwrap_or(0));
        if let Some(kinds) = body.get("allowed_updates").and_then(Value::as_array) {
            // The setting sticks until changed; an empty list means the default.
            let kinds: HashSet<String> = kinds
                .iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect();
            self.allowed_updates = (!kinds.is_empty()).then_some(kinds);
        }
        self.drop_unwanted_updates();
        if self.updates.is_empty() {
            self.polling_idle_since.get_or_insert_with(Instant::now);
        } else {
            self.polling_idle_since = None;
        }
        self.poll_generation += 1;
        let limit = body
            .get("limit")
            .and_then(Value::as_u64)
            .unwrap_or(100)
            .clamp(1, 100);
        let timeout = body.get("timeout").and_then(Value::as_u64).unwrap_or(0);
        Ok(PollRequest {
            generation: self.poll_generation,
            limit: limit as usize,
            wait: Duration::from_secs(timeout).min(MAX_LONG_POLL),
        })
    }

    /// Forgets updates below `offset`; a negative offset keeps only the last
    /// `-offset` updates.
    fn confirm(&mut self, offset: i64) {
        if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            let excess = self.updates.len().saturating_sub(keep);
            self.updates.drain(..excess);
        } else {
            self.updates
                .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
        }
    }

    /// Up to `limit` queued updates, or `None` if there are none yet.
    fn deliverable(&mut self, generation: u64, limit: usize) -> Result<Option<Value>, TgError> {
        if generation != self.poll_generation {
            return Err(TgError::new(
                409,
                "Conflict: terminated by other getUpdates request; \
                 make sure that only one bot instance is running",
            ));
        }
        self.drop_unwanted_updates();
        if self.updates.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.updates.iter().take(limit).cloned().collect()))
    }

    fn drop_unwanted_updates(&mut self) {
        let allowed = self.allowed_updates.clone();
        let anyway = &self.delivered_anyway;
        self.updates.retain(|update| {
            if update["update_id"]
                .as_i64()
                .is_some_and(|id| anyway.contains(&id))
            {
                return true;
            }
            let kind = update_kind(update);
            let wanted = match &allowed {
                Some(kinds) => kinds.contains(&kind),
                None => !NOT_DELIVERED_BY_DEFAULT.contains(&kind.as_str()),
            };
            if !wanted {
                // Shown only when a test fails: explains an update that "vanished".
                eprintln!("fake_telegram: dropped a {kind} update, not in allowed_updates {allowed:?}");
            }
            wanted
        });
    }

    fn webhook_info(&self) -> Value {
        json!({
            "url": self.webhook_url,
            "has_custom_certificate": false,
            "pending_update_count": self.updates.len(),
        })
    }

    fn set_webhook(&mut self, body: &Value) -> Result<Value, TgError> {
        let url = str_field(body, "url").unwrap_or_default();
        if !url.is_empty() && !url.starts_with("https://") {
            return Err(TgError::bad_request(
                "bad webhook: An HTTPS URL must be provided for webhook",
            ));
        }
        self.webhook_url = url.to_owned();
        Ok(json!(true))
    }

    fn delete_webhook(&mut self, body: &Value) -> Value {
        self.webhook_url.clear();
        if body.get("drop_pending_updates") == Some(&json!(true)) {
            self.updates.clear();
        }
        json!(true)
    }

    fn set_my_commands(&mut self, body: &Value) -> Result<Value, TgError> {
        let commands = body
            .get("commands")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        check_commands(&commands)?;
        self.commands.insert(commands_key(body), Value::Array(commands));
        Ok(json!(true))
    }

    // --- messages ---

    fn send_message(&mut self, body: &Value) -> Result<Value, TgError> {
        let chat_id = chat_id(body)?;
        let text = str_field(body, "text").unwrap_or_default();
        let visible = visible_text(text, parse_mode(body))?;
        check_text(&visible, "message is too long")?;
        let markup = checked_markup(body)?;
        let raw = (text.to_owned(), parse_mode(body).map(str::to_owned));
        Ok(self.store_bot_message(chat_id, json!({ "text": visible }), Some(raw), markup))
    }

    fn send_media(&mut self, body: &Value, kind: MediaKind) -> Result<Value, TgError> {
        let chat_id = chat_id(body)?;
        let caption = visible_text(str_field(body, "caption").unwrap_or_default(), parse_mode(body))?;
        let length = caption.chars().count();
        if length > 1024 {
            let detail = format!(" ({length} characters, limit 1024)");
            return Err(TgError::bad_request("message caption is too long").detail(detail));
        }
        let markup = checked_markup(body)?;
        let media = self.media_from(body.get(kind.field()), kind)?;
        let mut content = json!({ kind.field(): media });
        if !caption.is_empty() {
            content["caption"] = json!(caption);
        }
        Ok(self.store_bot_message(chat_id, content, None, markup))
    }

    /// The media object for an upload, a URL, or a file id Telegram issued.
    fn media_from(&mut self, source: Option<&Value>, kind: MediaKind) -> Result<Value, TgError> {
        let field = kind.field();
        match source {
            None => Err(TgError::bad_request(format!(
                "there is no {field} in the request"
            ))),
            Some(Value::Object(upload)) => {
                let size = upload.get("size").and_then(Value::as_u64).unwrap_or(0);
                if size == 0 {
                    return Err(TgError::bad_request("file must be non-empty"));
                }
                let name = upload
                    .get("file_name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                Ok(self.new_media(kind, field, size, name))
            }
            Some(Value::String(url)) if url.starts_with("http://") || url.starts_with("https://") => {
                Ok(self.new_media(kind, field, 100_000, "from_url"))
            }
            Some(Value::String(file_id)) => match self.files.get(file_id) {
                Some((stored_kind, media)) if *stored_kind == kind => Ok(media.clone()),
                Some((stored_kind, _)) => Err(TgError::bad_request(format!(
                    "can't use file of type {stored_kind:?} as {kind:?}"
                ))),
                None => Err(TgError::bad_request("wrong file identifier/HTTP URL specified")),
            },
            Some(_) => Err(TgError::bad_request("wrong file identifier/HTTP URL specified")),
        }
    }

    /// Issues file ids (`photo-1`, ...) that the bot can send again later.
    fn new_media(&mut self, kind: MediaKind, prefix: &str, size: u64, file_name: &str) -> Value {
        let file_id = format!("{prefix}-{}", self.next_number());
        let media = match kind {
            MediaKind::Photo => {
                let thumb = photo_size(&format!("{file_id}-thumb"), 90, 68, size / 10);
                json!([thumb, photo_size(&file_id, 1280, 960, size)])
            }
            MediaKind::Document => json!({
                "file_id": file_id, "file_unique_id": format!("u{file_id}"),
                "file_name": file_name, "mime_type": "application/octet-stream", "file_size": size,
            }),
        };
        if kind == MediaKind::Photo {
            self.files
                .insert(format!("{file_id}-thumb"), (kind, media.clone()));
        }
        self.files.insert(file_id, (kind, media.clone()));
        media
    }

    fn store_bot_message(
        &mut self,
        chat_id: i64,
        content: Value,
        raw_text: Option<(String, Option<String>)>,
        markup: Option<Value>,
    ) -> Value {
        let id = self.next_message_id();
        let mut json = json!({
            "message_id": id, "from": bot_user_json(), "chat": self.chat_json(chat_id), "date": now(),
        });
        merge(&mut json, content);
        if let Some(markup) = &markup {
            json["reply_markup"] = markup.clone();
        }
        let stored = StoredMessage {
            from_bot: true,
            raw_text,
            markup,
            json: json.clone(),
        };
        self.messages.insert((chat_id, id), stored);
        json
    }

    /// The (chat, message) a request points at, if that message exists.
    fn target(&self, body: &Value, not_found: &str) -> Result<(i64, i64), TgError> {
        let chat = body.get("chat_id").and_then(as_i64);
        let message = body.get("message_id").and_then(as_i64);
        let (Some(chat), Some(message)) = (chat, message) else {
            return Err(TgError::bad_request("message identifier is not specified"));
        };
        if !self.messages.contains_key(&(chat, message)) {
            return Err(TgError::bad_request(not_found));
        }
        Ok((chat, message))
    }

    fn edit_message_text(&mut self, body: &Value) -> Result<Value, TgError> {
        let text = str_field(body, "text").unwrap_or_default();
        let visible = visible_text(text, parse_mode(body))?;
        check_text(&visible, "MESSAGE_TOO_LONG")?;
        let markup = checked_markup(body)?;
        if body.get("inline_message_id").is_some() {
            return Ok(json!(true)); // inline messages are not tracked
        }
        let key = self.target(body, "message to edit not found")?;
        let new_raw = Some((text.to_owned(), parse_mode(body).map(str::to_owned)));
        let stored = self.messages.get_mut(&key).expect("checked by target");
        if !stored.from_bot {
            return Err(TgError::bad_request("message can't be edited"));
        }
        if stored.raw_text.is_none() {
            return Err(TgError::bad_request("there is no text in the message to edit"));
        }
        if stored.raw_text == new_raw && stored.markup == markup {
            return Err(not_modified());
        }
        stored.raw_text = new_raw;
        stored.json["text"] = json!(visible);
        Ok(stored.replace_markup(markup))
    }

    fn edit_message_reply_markup(&mut self, body: &Value) -> Result<Value, TgError> {
        let markup = checked_markup(body)?;
        if body.get("inline_message_id").is_some() {
            return Ok(json!(true));
        }
        let key = self.target(body, "message to edit not found")?;
        let stored = self.messages.get_mut(&key).expect("checked by target");
        if !stored.from_bot {
            return Err(TgError::bad_request("message can't be edited"));
        }
        if stored.markup == markup {
            return Err(not_modified());
        }
        Ok(stored.replace_markup(markup))
    }

    fn delete_message(&mut self, body: &Value) -> Result<Value, TgError> {
        let key = self.target(body, "message to delete not found")?;
        self.messages.remove(&key);
        Ok(json!(true))
    }

    // --- queries ---

    fn answer_callback_query(&mut self, body: &Value) -> Result<Value, TgError> {
        let id = str_field(body, "callback_query_id").unwrap_or_default();
        if !self.open_callback_queries.contains(id) {
            return Err(TgError::bad_request(QUERY_TOO_OLD));
        }
        let length = str_field(body, "text").map_or(0, |t| t.chars().count());
        if length > 200 {
            let detail = format!(" (text is {length} characters, limit 200)");
            return Err(TgError::bad_request("MESSAGE_TOO_LONG").detail(detail));
        }
        self.open_callback_queries.remove(id);
        self.presses.answered += 1;
        Ok(json!(true))
    }

    fn answer_inline_query(&mut self, body: &Value) -> Result<Value, TgError> {
        let id = str_field(body, "inline_query_id").unwrap_or_default();
        if !self.open_inline_queries.contains(id) {
            return Err(TgError::bad_request(QUERY_TOO_OLD));
        }
        let results = body.get("results").and_then(Value::as_array).map_or(0, Vec::len);
        if results > 50 {
            return Err(TgError::bad_request("RESULTS_TOO_MUCH").detail(format!(" ({results} results)")));
        }
        self.open_inline_queries.remove(id);
        Ok(json!(true))
    }
}

impl StoredMessage {
    /// Sets the inline keyboard (an edit without one removes it) and returns
    /// the edited message.
    fn replace_markup(&mut self, markup: Option<Value>) -> Value {
        let message = self.json.as_object_mut().expect("messages are objects");
        match &markup {
            Some(markup) => message.insert("reply_markup".into(), markup.clone()),
            None => message.remove("reply_markup"),
        };
        message.insert("edit_date".into(), json!(now()));
        self.markup = markup;
        self.json.clone()
    }
}

// ---------------------------------------------------------------------------
// Telegram's limits.
// ---------------------------------------------------------------------------

/// Text as the user will see it: HTML is parsed (and refused the way
/// Telegram refuses it); other modes are counted as sent.
fn visible_text(text: &str, parse_mode: Option<&str>) -> Result<String, TgError> {
    if !parse_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("html")) {
        return Ok(text.to_owned());
    }
    parse_html(text).map_err(|reason| TgError::bad_request(format!("can't parse entities: {reason}")))
}

/// 1..=4096 characters after entity parsing. Telegram counts characters
/// here, while entity offsets are in UTF-16 units.
fn check_text(visible: &str, too_long: &str) -> Result<(), TgError> {
    if visible.trim().is_empty() {
        return Err(TgError::bad_request("message text is empty"));
    }
    let length = visible.chars().count();
    if length > 4096 {
        let detail = format!(" ({length} characters, limit 4096)");
        return Err(TgError::bad_request(too_long).detail(detail));
    }
    Ok(())
}

const HTML_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Parses Telegram's HTML subset; returns the visible text, or the reason
/// Telegram would give for refusing it.
fn parse_html(html: &str) -> Result<String, String> {
    let mut visible = String::new();
    let mut open_tags = Vec::new();
    let mut at = 0;
    while let Some(c) = html[at..].chars().next() {
        match c {
            '<' => {
                let length = tag_length(&html[at..])
                    .ok_or_else(|| format!("Unclosed start tag at byte offset {at}"))?;
                handle_tag(&html[at + 1..at + length - 1], at, &mut open_tags)?;
                at += length;
            }
            '&' => {
                let (decoded, length) = decode_entity(&html[at..]);
                visible.push(decoded);
                at += length;
            }
            _ => {
                visible.push(c);
                at += c.len_utf8();
            }
        }
    }
    match open_tags.last() {
        Some(tag) => Err(format!("Can't find end tag corresponding to start tag \"{tag}\"")),
        None => Ok(visible),
    }
}

/// Bytes from `<` to the matching `>`, skipping `>` inside quoted values.
fn tag_length(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn handle_tag(inner: &str, at: usize, open_tags: &mut Vec<String>) -> Result<(), String> {
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        return match open_tags.pop() {
            None => Err(format!("Unexpected end tag at byte offset {at}")),
            Some(open) if open == name => Ok(()),
            Some(open) => Err(format!(
                "Unmatched end tag at byte offset {at}, expected \"</{open}>\", found \"</{name}>\""
            )),
        };
    }
    let name_end = inner
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !HTML_TAGS.contains(&name.as_str()) {
        return Err(format!("Unsupported start tag \"{name}\" at byte offset {at}"));
    }
    if name == "span" && !has_spoiler_class(&inner[name_end..]) {
        return Err(format!(
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset {at}"
        ));
    }
    open_tags.push(name);
    Ok(())
}

fn has_spoiler_class(attributes: &str) -> bool {
    attributes.split_whitespace().any(|attribute| {
        attribute
            .strip_prefix("class=")
            .map(|v| v.trim_matches(['"', '\'']))
            == Some("tg-spoiler")
    })
}

/// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric entities; any other
/// `&` is literal text, as in Telegram. Returns the char and bytes consumed.
fn decode_entity(s: &str) -> (char, usize) {
    let end = s.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i);
    let decoded = end.and_then(|end| Some((entity_char(&s[1..end])?, end + 1)));
    decoded.unwrap_or(('&', 1))
}

fn entity_char(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

const BUTTON_ACTIONS: &[&str] = &[
    "url",
    "login_url",
    "callback_data",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

/// Checks `reply_markup`; returns it if Telegram would echo it in the
/// Message, which it does for inline keyboards only.
fn checked_markup(body: &Value) -> Result<Option<Value>, TgError> {
    let Some(markup) = body.get("reply_markup") else {
        return Ok(None);
    };
    if markup.get("inline_keyboard").is_none() {
        return Ok(None);
    }
    for button in inline_buttons(body) {
        check_button(button)?;
    }
    Ok(Some(markup.clone()))
}

fn inline_buttons(body: &Value) -> impl Iterator<Item = &Value> {
    let rows = body
        .pointer("/reply_markup/inline_keyboard")
        .and_then(Value::as_array);
    rows.into_iter().flatten().filter_map(Value::as_array).flatten()
}

fn check_button(button: &Value) -> Result<(), TgError> {
    if let Some(data) = button.get("callback_data") {
        let bytes = data.as_str().map_or(0, str::len);
        if !(1..=64).contains(&bytes) {
            let detail = format!(" (callback_data is {bytes} bytes, allowed 1..=64: {data})");
            return Err(TgError::bad_request("BUTTON_DATA_INVALID").detail(detail));
        }
    }
    if let Some(url) = button.get("url").and_then(Value::as_str) {
        if !["http://", "https://", "tg://"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
        {
            return Err(TgError::bad_request("BUTTON_URL_INVALID").detail(format!(" ({url})")));
        }
    }
    if !BUTTON_ACTIONS.iter().any(|action| button.get(action).is_some()) {
        return Err(TgError::bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ));
    }
    Ok(())
}

/// At most 100 commands; names `^[a-z0-9_]{1,32}$`; descriptions 1..=256.
fn check_commands(commands: &[Value]) -> Result<(), TgError> {
    if commands.len() > 100 {
        let detail = format!(" ({} commands, limit 100)", commands.len());
        return Err(TgError::bad_request("BOT_COMMANDS_TOO_MUCH").detail(detail));
    }
    for command in commands {
        let name = command.get("command").and_then(Value::as_str).unwrap_or_default();
        let name_ok = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Err(TgError::bad_request("BOT_COMMAND_INVALID").detail(format!(" ({name:?})")));
        }
        let description = command
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !(1..=256).contains(&description.chars().count()) {
            let detail = format!(" (/{name}: {} characters)", description.chars().count());
            return Err(TgError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID").detail(detail));
        }
    }
    Ok(())
}

/// Commands are kept per scope and language, as Telegram does.
fn commands_key(body: &Value) -> String {
    let scope = body.get("scope").cloned().unwrap_or(json!({ "type": "default" }));
    let language = str_field(body, "language_code").unwrap_or_default();
    format!("{scope}|{language}")
}

fn send_chat_action(body: &Value) -> Result<Value, TgError> {
    const ACTIONS: &[&str] = &[
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ];
    chat_id(body)?;
    if !ACTIONS.contains(&str_field(body, "action").unwrap_or_default()) {
        return Err(TgError::bad_request("wrong parameter action in request"));
    }
    Ok(json!(true))
}

fn not_modified() -> TgError {
    TgError::bad_request(
        "message is not modified: specified new message content and reply markup are \
         exactly the same as a current content and reply markup of the message",
    )
}

// ---------------------------------------------------------------------------
// Errors as Telegram sends them.
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct TgError {
    code: u16,
    description: String,
    retry_after: Option<u32>,
    /// Extra context for the violation log; never sent to the bot.
    detail: String,
}

impl TgError {
    fn new(code: u16, description: impl Into<String>) -> Self {
        TgError {
            code,
            description: description.into(),
            retry_after: None,
            detail: String::new(),
        }
    }

    fn bad_request(what: impl std::fmt::Display) -> Self {
        TgError::new(400, format!("Bad Request: {what}"))
    }

    fn unauthorized() -> Self {
        TgError::new(401, "Unauthorized")
    }

    fn not_found() -> Self {
        TgError::new(404, "Not Found: method not found")
    }

    fn flood(retry_after: u32) -> Self {
        let mut error = TgError::new(429, format!("Too Many Requests: retry after {retry_after}"));
        error.retry_after = Some(retry_after);
        error
    }

    fn server(code: u16) -> Self {
        let reason = StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason());
        TgError::new(code, reason.unwrap_or("Internal Server Error"))
    }

    fn detail(mut self, detail: String) -> Self {
        self.detail = detail;
        self
    }

    /// Refusals caused by the bot breaking the rules. Not 404 (the fake's
    /// gap, see `unknown_methods`) nor 409 (a superseded long poll, whose
    /// client has normally gone already).
    fn is_violation(&self) -> bool {
        matches!(self.code, 400 | 401 | 403)
    }
}

impl TgError {
    /// The HTTP status and body Telegram sends for this error.
    fn answer(&self) -> (StatusCode, Value) {
        let mut body = json!({ "ok": false, "error_code": self.code, "description": self.description });
        if let Some(seconds) = self.retry_after {
            body["parameters"] = json!({ "retry_after": seconds });
        }
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::BAD_REQUEST);
        (status, body)
    }
}

impl IntoResponse for TgError {
    fn into_response(self) -> Response {
        let (status, body) = self.answer();
        (status, Json(body)).into_response()
    }
}

// ---------------------------------------------------------------------------
// JSON building blocks.
// ---------------------------------------------------------------------------

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn bot_user_json() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "Spotcheck Test", "username": BOT_USERNAME })
}

/// `getMe`: a `User` plus the bot-only fields teloxide's `Me` requires.
fn me_json() -> Value {
    let mut me = bot_user_json();
    merge(
        &mut me,
        json!({
            "can_join_groups": true,
            "can_read_all_group_messages": false,
            "supports_inline_queries": true,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        }),
    );
    me
}

fn user_json(id: i64) -> Value {
    json!({
        "id": id, "is_bot": false, "first_name": format!("User{id}"),
        "username": format!("user{id}"), "language_code": "en",
    })
}

fn photo_size(file_id: &str, width: u32, height: u32, size: u64) -> Value {
    json!({
        "file_id": file_id, "file_unique_id": format!("u{file_id}"),
        "width": width, "height": height, "file_size": size,
    })
}

/// A text message's fields; a leading `/command` gets its `bot_command`
/// entity, measured in UTF-16 units as Telegram does.
fn text_content(text: &str) -> Value {
    let mut content = json!({ "text": text });
    if text.starts_with('/') {
        let command = text.split_whitespace().next().unwrap_or(text);
        let length = command.encode_utf16().count();
        content["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
    }
    content
}

fn update_kind(update: &Value) -> String {
    let mut keys = update.as_object().into_iter().flat_map(|o| o.keys());
    keys.find(|k| *k != "update_id").cloned().unwrap_or_default()
}

fn merge(target: &mut Value, extra: Value) {
    if let (Some(target), Value::Object(extra)) = (target.as_object_mut(), extra) {
        target.extend(extra);
    }
}

fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name)?.as_str()
}

fn parse_mode(body: &Value) -> Option<&str> {
    str_field(body, "parse_mode")
}

/// The fake only knows numeric chat ids; `@channel` names are "not found".
fn chat_id(body: &Value) -> Result<i64, TgError> {
    body.get("chat_id")
        .and_then(as_i64)
        .ok_or_else(|| TgError::bad_request("chat not found"))
}
