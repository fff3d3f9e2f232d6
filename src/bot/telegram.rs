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
use crate::conversation::{Button, Keyboard};

/// The bot handle every handler uses: direct, or paced by `Throttle` (`SPOTCHECK_THROTTLE`).
/// Only the calls SpotCheck makes are offered, each retried by [`call`].
///
/// Not teloxide's `ErasedRequester`: in teloxide-core 0.13 it holds an
/// `Arc<dyn ErasableRequester>` without `Send` or `Sync`, and its requests are not `Send`, so it
/// can be neither a dptree dependency nor awaited in a spawned task (tried; it does not compile).
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

/// A turn's keyboard as Telegram's; `None` when it has no buttons (sent with none, or an edit
/// that removes them).
pub fn markup(keyboard: &Keyboard) -> Option<InlineKeyboardMarkup> {
    if keyboard.iter().all(Vec::is_empty) {
        return None;
    }
    let rows: Vec<Vec<InlineKeyboardButton>> = keyboard
        .iter()
        .map(|row| row.iter().filter_map(telegram_button).collect::<Vec<_>>())
        .collect();
    Some(InlineKeyboardMarkup::new(rows))
}

fn telegram_button(button: &Button) -> Option<InlineKeyboardButton> {
    match button {
        Button::Press { label, data } => Some(InlineKeyboardButton::callback(label.clone(), data.clone())),
        // A bot username always makes a valid link; a broken one is left out, not sent.
        Button::Link { label, url } => url
            .parse()
            .ok()
            .map(|url| InlineKeyboardButton::url(label.clone(), url)),
    }
}
