//! A SpotCheck bot running in the test process against the fake Bot API server.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use spotcheck::bot::{Config, StorageChoice};
use spotcheck::content::Dialogues;
use tokio::sync::oneshot;

use super::fake_telegram::{FakeTelegram, Request};

pub const WAIT: Duration = Duration::from_secs(10);
pub const SIGNS: [&str; 4] = ["🔴", "🟠", "🟡", "🟢"];

/// A bot running in this process against a fake Telegram.
pub struct Harness {
    pub fake: FakeTelegram,
    pub dialogues: Arc<Dialogues>,
    pub stop: Option<oneshot::Sender<()>>,
    pub running: tokio::task::JoinHandle<()>,
}

impl Harness {
    pub async fn start(storage: StorageChoice) -> Harness {
        Harness::start_with(FakeTelegram::start().await, storage).await
    }

    pub async fn start_with(fake: FakeTelegram, storage: StorageChoice) -> Harness {
        let config = Harness::config(&fake, storage);
        Harness::start_config(fake, config).await
    }

    /// The settings a test bot runs with: pacing off, a 1-hour state TTL, the default reminders.
    pub fn config(fake: &FakeTelegram, storage: StorageChoice) -> Config {
        let mut config = Config::from_lookup(|name| match name {
            "TELOXIDE_TOKEN" => Some(fake.token().to_string()),
            "TELOXIDE_API_URL" => Some(fake.api_url()),
            "SPOTCHECK_THROTTLE" => Some("off".into()),
            "SPOTCHECK_STATE_TTL" => Some("1h".into()),
            // Any free port: many test bots run side by side.
            "SPOTCHECK_OPS_LISTEN" => Some("127.0.0.1:0".into()),
            _ => None,
        })
        .expect("the test settings are valid");
        config.storage = storage;
        config
    }

    pub async fn start_config(fake: FakeTelegram, config: Config) -> Harness {
        let dialogues = super::dialogues().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let running = tokio::spawn({
            let dialogues = dialogues.clone();
            async move {
                spotcheck::bot::serve(config, dialogues, async move {
                    let _ = stopped.await;
                })
                .await
                .expect("the bot runs");
            }
        });
        Harness {
            fake,
            dialogues,
            stop: Some(stop),
            running,
        }
    }

    /// Stops the bot and waits until it has stopped.
    pub async fn stop(mut self) -> FakeTelegram {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(Duration::from_secs(6), &mut self.running)
            .await
            .expect("the bot stops within 6 s")
            .expect("the bot task ends cleanly");
        self.fake.clone()
    }

    /// The next message the bot sends to a chat (new messages only, not edits).
    pub async fn next_message(&self, chat: i64) -> Request {
        self.fake
            .wait_for(WAIT, |request| {
                matches!(request.method.as_str(), "sendMessage" | "sendPhoto")
                    && request.chat_id() == Some(chat)
                    && request.result().is_some()
            })
            .await
            .unwrap_or_else(|| panic!("no message to chat {chat} within {WAIT:?}"))
    }

    /// Waits for the next question: a message with answer buttons. Returns it and its message id.
    pub async fn next_question(&self, chat: i64) -> (Request, i64) {
        let request = self
            .fake
            .wait_for(WAIT, |request| {
                request.method == "sendMessage"
                    && request.chat_id() == Some(chat)
                    && request.result().is_some()
                    && request.callback_data().iter().any(|data| data.starts_with("a:"))
            })
            .await
            .unwrap_or_else(|| panic!("no question to chat {chat} within {WAIT:?}"));
        let id = self.message_id_of(chat, &request).await;
        (request, id)
    }

    /// The message id Telegram gave a sent message. The fake records a request before it
    /// stores the message, so this waits for the message to appear.
    pub async fn message_id_of(&self, chat: i64, request: &Request) -> i64 {
        let text = request.text().unwrap_or_default();
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let found = self
                .fake
                .bot_messages(chat)
                .iter()
                .rev()
                .find(|message| message.get("text").and_then(Value::as_str) == Some(text))
                .and_then(|message| message.get("message_id")?.as_i64());
            match found {
                Some(id) => return id,
                None if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(5)).await
                }
                None => panic!("the sent message never appeared in chat {chat}"),
            }
        }
    }

    /// Waits for the final advice: the message that starts with a level sign.
    pub async fn advice(&self, chat: i64) -> String {
        let request = self
            .fake
            .wait_for(WAIT, |request| {
                request.method == "sendMessage"
                    && request.chat_id() == Some(chat)
                    && request
                        .text()
                        .is_some_and(|text| SIGNS.iter().any(|sign| text.starts_with(sign)))
            })
            .await
            .unwrap_or_else(|| panic!("no advice to chat {chat} within {WAIT:?}"));
        request.text().unwrap_or_default().to_string()
    }

    /// Stops the bot after the checks a person's chat should end with: every press answered, and
    /// nothing Telegram would refuse.
    pub async fn stop_with_every_press_answered(self) -> FakeTelegram {
        assert_eq!(
            self.fake.unanswered_presses(),
            Vec::<String>::new(),
            "every press answered"
        );
        self.assert_no_violations();
        self.stop().await
    }

    /// No request Telegram would refuse, and no method the fake does not know: the fake must
    /// answer everything the bot and teloxide call, or it tests less than it seems to.
    pub fn assert_no_violations(&self) {
        assert_eq!(
            self.fake.violations(),
            Vec::<String>::new(),
            "requests Telegram would refuse"
        );
        assert_eq!(
            self.fake.unknown_methods(),
            Vec::<String>::new(),
            "methods the fake Bot API does not implement"
        );
    }
}

pub fn question_id(request: &Request) -> String {
    let data = request.callback_data();
    let first = data
        .iter()
        .find(|data| data.starts_with("a:"))
        .expect("an answer button");
    first.split(':').nth(1).unwrap().to_string()
}

pub fn is_advice(text: &str) -> bool {
    SIGNS.iter().any(|sign| text.starts_with(sign))
}

pub fn level_of(advice: &str) -> &'static str {
    match SIGNS.iter().position(|sign| advice.starts_with(sign)) {
        Some(0) => "emergency",
        Some(1) => "urgent",
        Some(2) => "routine",
        Some(3) => "self_care",
        _ => "none",
    }
}
