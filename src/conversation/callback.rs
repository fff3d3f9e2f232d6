//! Every button's callback data, encoded and parsed here and nowhere else. Answer buttons are
//! `a:<question>:<option>` (contract §5); the others have prefixes of their own.

use crate::triage::RecheckFinding;

/// An answer button's data (contract §5).
pub fn answer_data(question: &str, option: &str) -> String {
    crate::content::answer_callback_data(question, option)
}

/// A card from the /learn menu.
pub fn card_data(card: &str) -> String {
    format!("c:{card}")
}

/// A language of the /language menu.
pub fn language_data(code: &str) -> String {
    format!("l:{code}")
}

/// A country of the /country menu; `None` for "another country" (the common numbers).
pub fn country_data(code: Option<&str>) -> String {
    format!("n:{}", code.unwrap_or("none"))
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
    pub const ALL: [Control; 6] = [
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
