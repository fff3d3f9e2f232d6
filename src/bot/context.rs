//! What every handler shares: the dialogues, the storage, the reminder settings, the pictures
//! already uploaded and flood control. Built once at start-up from the `Config`.

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::types::FileId;
use tokio::sync::Notify;

use super::clock::Clock;
use super::config::{Config, ReminderDelay};
use super::intake::Intake;
use super::storage::DialogueStorage;
use crate::content::{Dialogues, Language};

pub type HandlerError = Box<dyn Error + Send + Sync>;
pub type Outcome = Result<(), HandlerError>;

pub struct Context {
    pub dialogues: Arc<Dialogues>,
    pub storage: Arc<DialogueStorage>,
    pub state_ttl: Duration,
    pub reminders: Reminders,
    /// Picture name → the `file_id` Telegram gave it, so each picture is uploaded once.
    pub(super) pictures: Mutex<HashMap<String, FileId>>,
    /// Flood control on arrival, and the held-back presses it already answered (`intake.rs`).
    pub(super) intake: Arc<Intake>,
}

impl Context {
    pub fn new(dialogues: Arc<Dialogues>, storage: Arc<DialogueStorage>, config: &Config) -> Context {
        Context {
            intake: Arc::new(Intake::new(dialogues.clone(), storage.clone())),
            dialogues,
            storage,
            state_ttl: config.state_ttl,
            reminders: Reminders::new(config),
            pictures: Mutex::new(HashMap::new()),
        }
    }

    pub(super) fn language(&self, code: Option<&str>) -> &Language {
        self.dialogues
            .language(code.unwrap_or(crate::content::DEFAULT_LANGUAGE))
    }
}

/// The reminder settings and the scheduler's doorbell.
pub struct Reminders {
    pub delays: Vec<ReminderDelay>,
    pub clock: Arc<dyn Clock>,
    /// Rung when a reminder is added, so the scheduler recomputes its next wake-up.
    pub(super) wake: Notify,
}

impl Reminders {
    pub fn new(config: &Config) -> Reminders {
        Reminders {
            delays: config.reminder_delays.clone(),
            clock: config.clock.clone(),
            wake: Notify::new(),
        }
    }
}
