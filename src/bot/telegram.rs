//! Talking to the Bot API: retries, keyboards and callback data. No clinical content here.

use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::prelude::*;
use teloxide::requests::{Output, Request};
use teloxide::types::{
    AllowedUpdate, BotCommand, BotCommandScope, CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup,
    InlineQueryId, InlineQueryResult, InputFile, Message, MessageId, Recipient, ReplyParameters, UserId,
};
use teloxide::{ApiError, RequestError};

use super::metrics::METRICS;
use crate::triage::RecheckFinding;

/// The bot handle every handler uses: direct, or paced by `Throttle` (`SPOTCHECK_THROTTLE`).
/// Only the calls SpotCheck makes are offered, each retried by [`call`].
#[derive(Clone)]
pub enum Tg {
    Direct(Bot),
    Paced(Throttle<Bot>),
}

/// Names the kind only: teloxide's `Bot` prints its token.
impl std::fmt::Debug for Tg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tg::Direct(_) => f.write_str("Tg::Direct"),
            Tg::Paced(_) => f.write_str("Tg::Paced"),
        }
    }
}

/// Runs the same request code on either kind of bot.
macro_rules! on_bot {
    ($tg:expr, |$bot:ident| $body:expr) => {
        match $tg {
            Tg::Direct($bot) => $body,
            Tg::Paced($bot) => $body,
        }
    };
}

impl Tg {
    pub async fn send_text(
        &self,
        chat: ChatId,
        text: String,
        buttons: Option<InlineKeyboardMarkup>,
    ) -> Result<Message, RequestError> {
        on_bot!(self, |bot| {
            let mut request = bot.send_message(chat, text);
            if let Some(buttons) = buttons {
                request = request.reply_markup(buttons);
            }
            call(request).await
        })
    }

    /// Replaces a message's text, and its buttons with `buttons` (none when `None`).
    pub async fn edit_text(
        &self,
        chat: ChatId,
        message: MessageId,
        text: String,
        buttons: Option<InlineKeyboardMarkup>,
    ) -> Result<Message, RequestError> {
        on_bot!(self, |bot| {
            let mut request = bot.edit_message_text(chat, message, text);
            if let Some(buttons) = buttons {
                request = request.reply_markup(buttons);
            }
            call(request).await
        })
    }

    /// Replaces a message's buttons (removes them when `None`), keeping its text.
    pub async fn set_buttons(
        &self,
        chat: ChatId,
        message: MessageId,
        buttons: Option<InlineKeyboardMarkup>,
    ) -> Result<Message, RequestError> {
        on_bot!(self, |bot| {
            let mut request = bot.edit_message_reply_markup(chat, message);
            if let Some(buttons) = buttons {
                request = request.reply_markup(buttons);
            }
            call(request).await
        })
    }

    pub async fn answer_button(
        &self,
        query: CallbackQueryId,
        notice: Option<String>,
    ) -> Result<(), RequestError> {
        on_bot!(self, |bot| {
            let mut request = bot.answer_callback_query(query);
            if let Some(text) = notice {
                request = request.text(text);
            }
            call(request).await.map(|_| ())
        })
    }

    /// A message, optionally a reply and optionally with a picture (then the text is its caption).
    pub async fn post(
        &self,
        chat: ChatId,
        text: String,
        picture: Option<InputFile>,
        buttons: Option<InlineKeyboardMarkup>,
        reply_to: Option<MessageId>,
    ) -> Result<Message, RequestError> {
        let reply = reply_to.map(|message| ReplyParameters::new(message).allow_sending_without_reply());
        on_bot!(self, |bot| match picture {
            Some(file) => {
                let mut request = bot.send_photo(chat, file).caption(text);
                if let Some(buttons) = buttons {
                    request = request.reply_markup(buttons);
                }
                if let Some(reply) = reply {
                    request = request.reply_parameters(reply);
                }
                call(request).await
            }
            None => {
                let mut request = bot.send_message(chat, text);
                if let Some(buttons) = buttons {
                    request = request.reply_markup(buttons);
                }
                if let Some(reply) = reply {
                    request = request.reply_parameters(reply);
                }
                call(request).await
            }
        })
    }

    /// Whether a user administers a chat (for group settings). An error counts as "no".
    pub async fn is_admin(&self, chat: ChatId, user: UserId) -> bool {
        on_bot!(self, |bot| match call(bot.get_chat_member(chat, user)).await {
            Ok(member) => member.is_privileged(),
            Err(error) => {
                log::warn!("could not check a group admin: {error}");
                false
            }
        })
    }

    pub async fn delete(&self, chat: ChatId, message: MessageId) -> Result<(), RequestError> {
        on_bot!(self, |bot| call(bot.delete_message(Recipient::Id(chat), message))
            .await
            .map(|_| ()))
    }

    pub async fn answer_inline(
        &self,
        query: InlineQueryId,
        results: Vec<InlineQueryResult>,
    ) -> Result<(), RequestError> {
        on_bot!(self, |bot| call(
            bot.answer_inline_query(query, results)
                .cache_time(300)
                .is_personal(true)
        )
        .await
        .map(|_| ()))
    }

    /// Registers the webhook with its secret and the update kinds the bot handles.
    pub async fn set_webhook(
        &self,
        url: url::Url,
        secret: String,
        allowed_updates: Vec<AllowedUpdate>,
    ) -> Result<(), RequestError> {
        on_bot!(self, |bot| call(
            bot.set_webhook(url)
                .secret_token(secret)
                .allowed_updates(allowed_updates)
        )
        .await
        .map(|_| ()))
    }

    pub async fn set_commands(
        &self,
        commands: Vec<BotCommand>,
        scope: BotCommandScope,
        language: Option<String>,
    ) -> Result<(), RequestError> {
        on_bot!(self, |bot| {
            let mut request = bot.set_my_commands(commands).scope(scope);
            if let Some(language) = language {
                request = request.language_code(language);
            }
            call(request).await.map(|_| ())
        })
    }
}

const ATTEMPTS: u32 = 4;

/// Idle connections to the Bot API kept open between bursts. Each is an HTTP connection (to
/// Telegram, a TLS session too), and the client kept every connection it ever opened: a burst of
/// 100 busy chats left 128 connections and ~5 MB of buffers behind (benches/load.rs). Bounding
/// what is kept, instead of the calls in flight (as a semaphore did before), means no call ever
/// waits for a slot another call holds through teloxide's 10 s pause after a 5xx, or through a
/// pacing queue. 32 connections at Telegram's 50–100 ms round trip carry over 300 calls a second,
/// ten times what it accepts from one bot.
pub const MAX_IDLE_CONNECTIONS: usize = 32;

/// teloxide's HTTP client (its timeouts, and the proxy `Bot::new` would read) keeping at most
/// `MAX_IDLE_CONNECTIONS` idle connections.
pub fn http_client(proxy: Option<reqwest::Proxy>) -> Result<reqwest::Client, reqwest::Error> {
    let settings = teloxide::net::default_reqwest_settings().pool_max_idle_per_host(MAX_IDLE_CONNECTIONS);
    match proxy {
        Some(proxy) => settings.proxy(proxy),
        None => settings,
    }
    .build()
}

/// Sends a request, retrying what a retry can fix: a dropped connection, a 5xx from Telegram, or
/// a 429 with `retry_after` (which `Throttle` handles too, when it is on).
pub async fn call<R>(request: R) -> Result<Output<R>, RequestError>
where
    R: Request<Err = RequestError>,
{
    let mut attempt = 1;
    loop {
        let result = request.send_ref().await;
        if let Err(error) = &result {
            METRICS.api_error(error);
        }
        match result {
            Err(error) if attempt < ATTEMPTS => match retry_delay(&error, attempt) {
                Some(delay) => {
                    log::warn!("Bot API call failed ({error}); retry {attempt} in {delay:?}");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return Err(error),
            },
            result => return result,
        }
    }
}

fn retry_delay(error: &RequestError, attempt: u32) -> Option<Duration> {
    let backoff = Duration::from_millis(250 * 2u64.pow(attempt));
    match error {
        RequestError::RetryAfter(seconds) => Some(seconds.duration()),
        RequestError::Network(_) | RequestError::Io(_) => Some(backoff),
        _ if server_error_code(error).is_some() => Some(backoff),
        _ => None,
    }
}

/// The 5xx status behind an error, when it is one: Telegram's own JSON error, or the HTML page a
/// proxy in front of the Bot API sends ("502 Bad Gateway"), which teloxide cannot read as JSON.
/// Either way the call was not carried out, so it can be retried.
pub fn server_error_code(error: &RequestError) -> Option<&'static str> {
    const STATUSES: [(&str, &str); 4] = [
        ("Internal Server Error", "500"),
        ("Bad Gateway", "502"),
        ("Service Unavailable", "503"),
        ("Gateway Timeout", "504"),
    ];
    let text: &str = match error {
        RequestError::Api(ApiError::Unknown(description)) => description,
        RequestError::InvalidJson { raw, .. } => raw,
        _ => return None,
    };
    STATUSES
        .iter()
        .find(|(reason, _)| text.contains(reason))
        .map(|&(_, code)| code)
}

/// Buttons that are not answers (contract §5 keeps `a:` for answers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Start,
    Back,
    Cancel,
    Again,
    Summary,
    Picture,
}

impl Control {
    const ALL: [Control; 6] = [
        Control::Start,
        Control::Back,
        Control::Cancel,
        Control::Again,
        Control::Summary,
        Control::Picture,
    ];

    pub fn data(self) -> &'static str {
        match self {
            Control::Start => "k:start",
            Control::Back => "k:back",
            Control::Cancel => "k:cancel",
            Control::Again => "k:again",
            Control::Summary => "k:summary",
            Control::Picture => "k:picture",
        }
    }
}

/// What a button's callback data asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    Answer {
        question: String,
        option: String,
    },
    /// Post an education card (`c:<card>`), from the /learn menu.
    Card(String),
    /// Choose the chat's language (`l:<code>`).
    Language(String),
    /// Choose the chat's country (`n:<code>`; an unknown code means "show the common numbers").
    Country(String),
    Control(Control),
    /// Remind me to re-check after this delay (`m:add:<delay>`, e.g. `m:add:4h`).
    Remind(String),
    /// No reminder, thanks (`m:no`).
    NoReminder,
    /// Cancel a pending reminder (`m:cancel:<id>`).
    CancelReminder(i64),
    /// The answer to a reminder's re-check (`r:fades`, `r:stays`, `r:worse`).
    Recheck(RecheckFinding),
    /// Forged or from an older build: answered with a notice, nothing changes.
    Unknown,
}

/// The callback data of a re-check's answer.
pub fn recheck_data(found: RecheckFinding) -> &'static str {
    match found {
        RecheckFinding::StillFades => "r:fades",
        RecheckFinding::NoLongerFades => "r:stays",
        RecheckFinding::Worse => "r:worse",
    }
}

pub fn remind_data(delay_spec: &str) -> String {
    format!("m:add:{delay_spec}")
}

pub const NO_REMINDER_DATA: &str = "m:no";

pub fn cancel_reminder_data(id: i64) -> String {
    format!("m:cancel:{id}")
}

pub fn parse_press(data: &str) -> Press {
    if let Some(spec) = data.strip_prefix("m:add:") {
        return Press::Remind(spec.to_string());
    }
    if data == NO_REMINDER_DATA {
        return Press::NoReminder;
    }
    if let Some(id) = data.strip_prefix("m:cancel:") {
        return id.parse().map_or(Press::Unknown, Press::CancelReminder);
    }
    if let Some(found) = RecheckFinding::ALL
        .into_iter()
        .find(|&found| recheck_data(found) == data)
    {
        return Press::Recheck(found);
    }
    if let Some(rest) = data.strip_prefix("a:") {
        if let Some((question, option)) = rest.split_once(':') {
            return Press::Answer {
                question: question.to_string(),
                option: option.to_string(),
            };
        }
    }
    if let Some(card) = data.strip_prefix("c:") {
        return Press::Card(card.to_string());
    }
    if let Some(code) = data.strip_prefix("l:") {
        return Press::Language(code.to_string());
    }
    if let Some(code) = data.strip_prefix("n:") {
        return Press::Country(code.to_string());
    }
    Control::ALL
        .into_iter()
        .find(|control| control.data() == data)
        .map_or(Press::Unknown, Press::Control)
}

pub fn button(label: String, data: &str) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(label, data.to_string())
}

pub fn keyboard(rows: Vec<Vec<InlineKeyboardButton>>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows)
}

/// Edits a message's text and drops its buttons; failures are logged, not fatal (the message
/// may be too old to edit, or already show this text).
pub async fn settle_message(bot: &Tg, chat: ChatId, message: Option<i32>, text: String) {
    let Some(message) = message else { return };
    if let Err(error) = bot.edit_text(chat, MessageId(message), text, None).await {
        log::debug!("could not edit an old message: {error}");
    }
}

/// Removes the buttons of an old message, keeping its text.
pub async fn drop_buttons(bot: &Tg, chat: ChatId, message: Option<i32>) {
    let Some(message) = message else { return };
    if let Err(error) = bot.set_buttons(chat, MessageId(message), None).await {
        log::debug!("could not remove old buttons: {error}");
    }
}
