//! What a private chat keeps between turns, and its settings. Only the `State` is stored per
//! check, and only for as long as `SPOTCHECK_STATE_TTL` allows.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::triage::SavedSession;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    #[default]
    Idle,
    /// A check in progress.
    Checking(Check),
    /// A check that ended with advice; kept so "Share a summary" still works.
    Finished(Check),
    /// A reminder asked for a new glass test; `message_id` is the reminder, and the session is
    /// the finished check its answer revises.
    Rechecking(Check),
    /// A stored state this build cannot read (saved by an older one, teloxide #1156): the person
    /// is told, and starts again. Never stored.
    #[serde(skip)]
    Unreadable,
    /// The storage did not answer when the state was read (Redis away, SQLite locked or
    /// failing): the person is told to try again in a moment, and nothing is written over the
    /// stored check. Never stored.
    #[serde(skip)]
    Unavailable,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub session: SavedSession,
    pub language: String,
    /// The message with the current question's buttons (or the advice); a button on any other
    /// message is stale.
    pub message_id: Option<i32>,
    /// The items of the current checklist ticked so far (fact keys), until it is submitted.
    /// Absent from states saved before checklists, hence the default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ticked: Vec<String>,
}

impl State {
    /// The check the state holds, if any.
    pub fn check(&self) -> Option<&Check> {
        match self {
            State::Checking(check) | State::Finished(check) | State::Rechecking(check) => Some(check),
            State::Idle | State::Unreadable | State::Unavailable => None,
        }
    }

    /// Points the check at the message that now carries its buttons (the executor knows its id
    /// only once Telegram has taken it).
    pub fn point_at(&mut self, message: i32) {
        if let State::Checking(check) | State::Finished(check) | State::Rechecking(check) = self {
            check.message_id = Some(message);
        }
    }
}

/// A chat's choices (/language, /country). Not health data, so kept until /forget, not expired.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatSettings {
    pub language: Option<String>,
    pub country: Option<String>,
}

/// A change to a chat's settings, from the /language or /country menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Language(String),
    /// A country with a known emergency number, or `None` for the common numbers.
    Country(Option<String>),
}

impl Choice {
    /// The settings with this choice made.
    pub fn applied_to(&self, settings: &ChatSettings) -> ChatSettings {
        match self {
            Choice::Language(code) => ChatSettings {
                language: Some(code.clone()),
                ..settings.clone()
            },
            Choice::Country(code) => ChatSettings {
                country: code.clone(),
                ..settings.clone()
            },
        }
    }
}

/// A re-check delay offered after advice (`SPOTCHECK_REMINDER_DELAYS`; parsed in `bot::config`).
/// Shown in the unit the operator chose ("90 s" stays "90 s"), written the language's way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderDelay {
    /// The delay as written in the setting, compact: "4h". Also the button's data.
    pub spec: String,
    pub amount: u64,
    pub unit: TimeUnit,
    pub duration: Duration,
}

/// The units durations are shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}
