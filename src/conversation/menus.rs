//! Messages that private chats and groups share: the menus (/learn, /language, /country), a
//! choice's confirmation, an education card, and the list of pending reminders.

use crate::content::{card_text, Dialogues, Language};

use super::callback::{cancel_reminder_data, card_data, country_data, language_data};
use super::reply::{Button, Message};
use super::state::Choice;
use crate::content::catalogue::{
    BOT_COUNTRY_CLEARED, BOT_COUNTRY_MENU, BOT_COUNTRY_OTHER, BOT_COUNTRY_SET, BOT_LANGUAGE_MENU,
    BOT_LANGUAGE_SET, BOT_LEARN_MENU, BOT_REMINDERS_ITEM, BOT_REMINDERS_LIST, BOT_REMINDERS_NONE,
    BTN_CANCEL_REMINDER, BTN_CHECK_PRIVATELY, EMERGENCY_NUMBERS, LANGUAGE_NAME,
};

/// `/learn`: a button per card, two to a row. Built from the card titles the language defines;
/// the verifier makes those exactly the cards of cards.toml.
pub fn learn_menu(language: &Language) -> Message {
    let cards: Vec<(String, String)> = language
        .texts
        .defined_ids()
        .filter_map(|(id, _)| id.strip_prefix("card-")?.strip_suffix("-title"))
        .map(|card| {
            (
                language.texts.plain(&format!("card-{card}-title")),
                card.to_string(),
            )
        })
        .collect();
    let rows = cards
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|(title, id)| Button::press(title.clone(), card_data(id)))
                .collect()
        })
        .collect();
    Message::with_buttons(language.texts.text(BOT_LEARN_MENU), rows)
}

/// `/language`: a button for every language, each labelled in its own language.
pub fn language_menu(dialogues: &Dialogues, language: &Language) -> Message {
    let rows = dialogues
        .languages
        .iter()
        .map(|known| {
            vec![Button::press(
                known.texts.text(LANGUAGE_NAME),
                language_data(&known.code),
            )]
        })
        .collect();
    Message::with_buttons(language.texts.text(BOT_LANGUAGE_MENU), rows)
}

/// `/country`: every country with a known emergency number, three to a row, and "another".
pub fn country_menu(dialogues: &Dialogues, language: &Language) -> Message {
    let mut rows: Vec<Vec<Button>> = dialogues
        .countries
        .chunks(3)
        .map(|row| {
            row.iter()
                .map(|country| Button::press(country.name.clone(), country_data(Some(&country.code))))
                .collect()
        })
        .collect();
    rows.push(vec![Button::press(
        language.texts.text(BOT_COUNTRY_OTHER),
        country_data(None),
    )]);
    Message::with_buttons(language.texts.text(BOT_COUNTRY_MENU), rows)
}

/// Confirms what was chosen, in the chat's language after the choice: a language, a country
/// with its number, or the common numbers.
pub fn choice_confirmation(dialogues: &Dialogues, language: &Language, choice: &Choice) -> Message {
    let texts = &language.texts;
    let country = |code: &str| dialogues.countries.iter().find(|known| known.code == code);
    Message::text(match choice {
        Choice::Language(_) => texts.text(BOT_LANGUAGE_SET),
        Choice::Country(Some(code)) if country(code).is_some() => {
            let country = country(code).expect("found just above");
            texts.with(BOT_COUNTRY_SET, [&country.name, &country.number])
        }
        Choice::Country(_) => texts.with(BOT_COUNTRY_CLEARED, [&texts.text(EMERGENCY_NUMBERS)]),
    })
}

/// An education card (with its picture, if it has one) and the button that opens the private
/// chat and starts a check at once. `None` for a card the dialogues do not have.
pub fn card_message(
    dialogues: &Dialogues,
    language: &Language,
    card: &str,
    bot_username: &str,
) -> Option<Message> {
    let card = dialogues.cards.iter().find(|known| known.id == card)?;
    Some(Message {
        text: card_text(&dialogues.protocol, &language.texts, card),
        buttons: vec![vec![private_check_button(language, bot_username)]],
        picture: card.picture.clone(),
    })
}

/// The deep link into the private chat that starts a check (contract §6: `/start check`).
pub fn private_check_button(language: &Language, bot_username: &str) -> Button {
    Button::Link {
        label: language.texts.text(BTN_CHECK_PRIVATELY),
        url: format!("https://t.me/{bot_username}?start=check"),
    }
}

/// A pending reminder as the list shows it: its id, and how long until it is due.
pub struct Pending {
    pub id: i64,
    pub remaining: std::time::Duration,
}

/// `/reminders`: the pending reminders, each with a cancel button.
pub fn reminder_list(language: &Language, pending: &[Pending]) -> Message {
    let texts = &language.texts;
    if pending.is_empty() {
        return Message::text(texts.text(BOT_REMINDERS_NONE));
    }
    let mut lines = Vec::new();
    let mut cancel_buttons = Vec::new();
    for (index, reminder) in pending.iter().enumerate() {
        let number = (index + 1).to_string();
        let remaining = super::duration_text(texts, reminder.remaining);
        lines.push(texts.with(BOT_REMINDERS_ITEM, [&number, &remaining]));
        cancel_buttons.push(vec![Button::press(
            texts.with(BTN_CANCEL_REMINDER, [&number]),
            cancel_reminder_data(reminder.id),
        )]);
    }
    Message::with_buttons(
        texts.with(BOT_REMINDERS_LIST, [&lines.join("\n")]),
        cancel_buttons,
    )
}
