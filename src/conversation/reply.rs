//! What a turn asks the shell to do, as data. The shell (Telegram's executor in `bot::private`,
//! or the terminal in `cli::chat`) performs the replies in order; the turn itself does no I/O.

use std::time::Duration;

use crate::triage::{Level, SavedSession};

use super::state::{ChatSettings, State};

/// A button under a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Button {
    /// Pressing it sends `data` back (`callback`).
    Press { label: String, data: String },
    /// Opens a link (the private chat's deep link, below a card).
    Link { label: String, url: String },
}

impl Button {
    pub fn press(label: String, data: impl Into<String>) -> Button {
        Button::Press {
            label,
            data: data.into(),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Button::Press { label, .. } | Button::Link { label, .. } => label,
        }
    }
}

/// Rows of buttons; empty for none.
pub type Keyboard = Vec<Vec<Button>>;

/// A message to send: text (a picture's caption, when it has one) and buttons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub buttons: Keyboard,
    /// The name of a picture under `dialogues/pictures/` sent with the text as its caption.
    pub picture: Option<String>,
}

impl Message {
    pub fn text(text: String) -> Message {
        Message {
            text,
            buttons: Vec::new(),
            picture: None,
        }
    }

    pub fn with_buttons(text: String, buttons: Keyboard) -> Message {
        Message {
            text,
            buttons,
            picture: None,
        }
    }
}

/// One thing to do. The executor performs them in order and stops at the first that fails
/// (the person has been told where telling is possible).
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// Answers the press that started the turn (its spinner stops), with a notice as a toast.
    AnswerPress { notice: Option<String> },
    /// Sends a message. `current`: the check's buttons are on it, so the saved state points at
    /// it (a press on any other message is stale).
    Send { message: Message, current: bool },
    /// Replaces an earlier message's text and buttons (none: removed). An answered question is
    /// settled this way, showing its answer.
    Edit {
        message: i32,
        text: String,
        buttons: Keyboard,
    },
    /// Replaces an earlier message's buttons, keeping its text (none: removed).
    SetButtons { message: i32, buttons: Keyboard },
    /// Stores the chat's state, pointed at the current message sent this turn if there is one.
    /// When the storage fails and there is a `notice`, the current message's buttons are removed
    /// (a press on them could not be taken), the person is told the notice, and the turn stops
    /// there: the stored check stays as it was. Without a notice the failure is only logged.
    Save { state: State, notice: Option<String> },
    /// Work on the storage beyond the chat's check. Only if it succeeds do the next replies run;
    /// if it fails, `if_failed` runs instead and the turn stops.
    Task { work: Work, if_failed: Vec<Reply> },
    /// For the logs and the metrics.
    Event(Event),
}

/// Storage work a turn needs done.
#[derive(Clone, Debug, PartialEq)]
pub enum Work {
    /// Keep a reminder to re-check this finished check after `after`. When the chat already has
    /// the most reminders allowed, `if_full` runs instead, and the turn stops.
    AddReminder {
        session: SavedSession,
        language: String,
        after: Duration,
        if_full: Vec<Reply>,
    },
    /// `/reminders`: the pending reminders, sent as a new list (`edit: None`) or into the list
    /// message a cancel button was pressed on.
    ListReminders { edit: Option<i32> },
    /// A reminder's cancel button: the press is answered once the storage said whether the
    /// reminder was still pending (a stale notice if it was not); then the list is shown again.
    CancelReminder {
        id: i64,
        list: Option<i32>,
        answer_press: bool,
    },
    /// Store the chat's new language or country.
    SaveSettings(ChatSettings),
    /// `/forget`: delete everything stored about the chat.
    Forget,
}

/// What the logs and metrics count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    CheckStarted,
    CheckFinished(Level),
    /// A saved check this build cannot continue was reset.
    CheckReset,
    RecheckAnswered,
}
