//! What the bot keeps per private chat between updates. Only this is stored, and only for as
//! long as `SPOTCHECK_STATE_TTL` allows.

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

/// Decodes a stored state; anything unreadable becomes `State::Unreadable`, never an error, so
/// no person is silently stuck.
pub fn decode(bytes: &[u8]) -> State {
    serde_json::from_slice(bytes).unwrap_or(State::Unreadable)
}

/// Encodes a state to store. `Unreadable` and `Unavailable` describe a failed read and are
/// never stored: writing one is refused rather than stored as bytes that read back as
/// `Unreadable`.
pub fn encode(state: &State) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(state)
}
