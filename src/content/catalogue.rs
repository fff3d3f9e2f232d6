//! The message catalogue: every message id the code shows, with the variables it is given and
//! what it is used for. Code names a message by its constant (`catalogue::BOT_HELP`), so a typo
//! does not compile and a message given the wrong number of values does not either
//! (`texts.with(BOT_PRIVACY, [hours])`). The verifier requires exactly these of every language,
//! with the messages the protocol and the cards derive (`texts::required_messages`).
//!
//! A message the code stops showing is deleted here, and then from the `.ftl` files: the
//! verifier refuses a language that defines a message nobody needs.

use super::texts::Use;

/// A message of the catalogue, given `N` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text<const N: usize> {
    pub id: &'static str,
    /// The names of its variables, in the order `Texts::with` takes their values.
    pub args: [&'static str; N],
    pub usage: Use,
}

/// A message without variables.
pub type Plain = Text<0>;

macro_rules! catalogue {
    ($(#[$list_doc:meta])* $list:ident: $( $(#[$doc:meta])* $name:ident = $id:literal ( $($arg:literal),* ) $usage:ident; )*) => {
        $(
            $(#[$doc])*
            pub const $name: Text<{ <[&str]>::len(&[$($arg),*]) }> = Text {
                id: $id,
                args: [$($arg),*],
                usage: Use::$usage,
            };
        )*
        $(#[$list_doc])*
        pub const $list: &[(&str, &[&str], Use)] = &[ $( ($id, &[$($arg),*], Use::$usage) ),* ];
    };
}

catalogue! {
    /// The messages every language needs: id, variables and use.
    ALWAYS:

    // The advice (the level's own message comes from the protocol).
    ADVICE_ASSUMED = "advice-assumed" ("facts") Part;
    EMERGENCY_NUMBERS = "emergency-numbers" () Part;
    /// A line of a list: a reason, a line of home care, a finding in the summary.
    LIST_ITEM = "list-item" ("item") Part;
    LIST_MORE = "list-more" ("list", "item") Part;

    // The private chat.
    BOT_WELCOME = "bot-welcome" ("emergency_numbers") Message;
    BOT_HELP = "bot-help" () Message;
    BOT_PRIVACY = "bot-privacy" ("ttl_hours") Message;
    BOT_FORGOTTEN = "bot-forgotten" () Message;
    BOT_FORGET_FAILED = "bot-forget-failed" () Message;
    BOT_CANCELLED = "bot-cancelled" () Message;
    BOT_PROGRESS = "bot-progress" ("current", "total") Part;
    BOT_ANSWERED = "bot-answered" ("question", "answer") Message;
    BOT_NUDGE = "bot-nudge" () Message;
    BOT_NO_CHECK = "bot-no-check" () Message;
    BOT_STALE_BUTTON = "bot-stale-button" () Notice;
    BOT_FLOOD = "bot-flood" () Message;
    BOT_STATE_RESET = "bot-state-reset" () Message;
    BOT_STORAGE_UNAVAILABLE = "bot-storage-unavailable" () Notice;
    BOT_REMINDERS_UNAVAILABLE = "bot-reminders-unavailable" () Message;
    BOT_CHOICE_UNSAVED = "bot-choice-unsaved" () Message;
    BOT_BUTTON_FAILED = "bot-button-failed" () Notice;
    BOT_ADVICE_UNSAVED = "bot-advice-unsaved" () Message;
    BOT_EMERGENCY_TYPED = "bot-emergency-typed" () Part;
    BOT_SUMMARY = "bot-summary" ("answers", "outcome") Message;
    /// An answer in the summary: the question's short name and what was answered.
    BOT_SUMMARY_ANSWER = "bot-summary-answer" ("question", "answer") Part;
    BOT_GLASS_CAPTION = "bot-glass-caption" () Caption;
    BTN_START_CHECK = "btn-start-check" () Button;
    BTN_BACK = "btn-back" () Button;
    BTN_CANCEL = "btn-cancel" () Button;
    BTN_START_AGAIN = "btn-start-again" () Button;
    BTN_SHARE_SUMMARY = "btn-share-summary" () Button;
    BTN_GLASS_PICTURE = "btn-glass-picture" () Button;

    // The command menus (setMyCommands).
    CMD_CHECK = "cmd-check" () Command;
    CMD_LEARN = "cmd-learn" () Command;
    CMD_REMINDERS = "cmd-reminders" () Command;
    CMD_HELP = "cmd-help" () Command;
    CMD_PRIVACY = "cmd-privacy" () Command;
    CMD_FORGET = "cmd-forget" () Command;

    // The terminal (`spotcheck chat`).
    CHAT_INTRO = "chat-intro" () Message;
    CHAT_PROMPT = "chat-prompt" () Part;
    CHAT_BYE = "chat-bye" () Part;

    // Groups, channels, cards and the chat's settings.
    BOT_GROUP_ONLY_PRIVATE = "bot-group-only-private" () Message;
    BOT_GROUP_INTRO = "bot-group-intro" () Message;
    BTN_CHECK_PRIVATELY = "btn-check-privately" () Button;
    CARD_SOURCES = "card-sources" ("sources") Part;
    BOT_LEARN_MENU = "bot-learn-menu" () Message;
    LANGUAGE_NAME = "language-name" () Button;
    BOT_LANGUAGE_MENU = "bot-language-menu" () Message;
    BOT_LANGUAGE_SET = "bot-language-set" () Message;
    BOT_COUNTRY_MENU = "bot-country-menu" () Message;
    BOT_COUNTRY_SET = "bot-country-set" ("country", "number") Message;
    /// "Another country" chosen: the advice gives the common numbers.
    BOT_COUNTRY_CLEARED = "bot-country-cleared" ("numbers") Message;
    BOT_COUNTRY_OTHER = "bot-country-other" () Button;
    BOT_ADMINS_ONLY = "bot-admins-only" () Notice;

    /// "Not sure", which every question offers (a checklist's "not sure about some" in the summary).
    OPT_UNSURE = "opt-unsure" () Button;

    // Re-check reminders.
    BOT_REMINDER_OFFER = "bot-reminder-offer" () Part;
    BTN_REMIND = "btn-remind" ("delay") Button;
    BTN_NO_REMINDER = "btn-no-reminder" () Button;
    BOT_REMINDER_SET = "bot-reminder-set" ("delay") Message;
    BOT_REMINDER_LIMIT = "bot-reminder-limit" ("count") Message;
    BOT_REMINDER_DUE = "bot-reminder-due" () Caption;
    BOT_REMINDER_LATE = "bot-reminder-late" ("late") Part;
    BTN_RECHECK_FADES = "btn-recheck-fades" () Button;
    BTN_RECHECK_STAYS = "btn-recheck-stays" () Button;
    BTN_RECHECK_WORSE = "btn-recheck-worse" () Button;
    BOT_RECHECK_WORSE = "bot-recheck-worse" () Message;
    BOT_REMINDERS_NONE = "bot-reminders-none" () Message;
    BOT_REMINDERS_LIST = "bot-reminders-list" ("reminders") Message;
    BOT_REMINDERS_ITEM = "bot-reminders-item" ("number", "remaining") Part;
    BTN_CANCEL_REMINDER = "btn-cancel-reminder" ("number") Button;

    // Durations ("3 h 20 min"): each unit with its amount, and two of them together.
    UNIT_SECONDS = "unit-seconds" ("amount") Part;
    UNIT_MINUTES = "unit-minutes" ("amount") Part;
    UNIT_HOURS = "unit-hours" ("amount") Part;
    UNIT_DAYS = "unit-days" ("amount") Part;
    DURATION_PAIR = "duration-pair" ("larger", "smaller") Part;
}

catalogue! {
    /// The messages a language needs when the protocol has a checklist question.
    WITH_CHECKLISTS:

    OPT_CHECKLIST_DONE = "opt-checklist-done" () Button;
    OPT_CHECKLIST_NONE = "opt-checklist-none" () Button;
    OPT_CHECKLIST_UNSURE = "opt-checklist-unsure" () Button;
    /// A checklist item's button, ticked and not yet ticked.
    BTN_ITEM_TICKED = "btn-item-ticked" ("item") Button;
    BTN_ITEM_UNTICKED = "btn-item-unticked" ("item") Button;
    /// The terminal's hint below a checklist's items.
    CHAT_CHECKLIST_HINT = "chat-checklist-hint" () Part;
}
