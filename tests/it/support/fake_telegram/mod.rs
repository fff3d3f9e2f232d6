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

mod errors;
mod faults;
mod limits;
mod objects;
mod server;
mod state;

use errors::*;
use faults::*;
use limits::*;
use objects::*;
use server::*;
use state::*;

pub use faults::{FaultRates, RateLimitHit, RateLimits};
pub use state::Presses;

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
    /// An HTML error page with this 5xx status, as a proxy in front of the Bot API sends
    /// ("502 Bad Gateway" from nginx). teloxide cannot read it (`InvalidJson`), and pauses 10 s
    /// first, as after any 5xx status. Nothing was done.
    HtmlServerError(u16),
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
        self.callback_query(chat_id, message_id, data).0
    }

    /// `callback`, returning the update id and the query id (which the bot's answer names).
    pub fn callback_query(&self, chat_id: i64, message_id: i64, data: &str) -> (i64, String) {
        let mut query = String::new();
        let update = self.enqueue_with(|s| {
            let user = s.user_in(chat_id);
            let message = s.message_json_or_placeholder(chat_id, message_id);
            let id = format!("cbq-{}", s.next_number());
            query = id.clone();
            json!({ "callback_query": {
                "id": id,
                "from": user_json(user),
                "message": message,
                "chat_instance": format!("instance{chat_id}"),
                "data": data,
            }})
        });
        (update, query)
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
            let photo = s.new_photo("user-photo", 48_000);
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

    /// `sendMessage`, `sendPhoto` and `editMessageText`
    /// requests for `chat_id`, whether Telegram accepted them or not.
    pub fn sent_to(&self, chat_id: i64) -> Vec<Request> {
        const SENDS: [&str; 3] = ["sendMessage", "sendPhoto", "editMessageText"];
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
