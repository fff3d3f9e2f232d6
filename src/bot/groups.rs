//! Groups, channels and inline mode: SpotCheck teaches there, and never asks anyone about their
//! own health where others can read it. A check only ever happens in a private chat, reached by
//! the "Check privately" deep link.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{
    ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, InlineQuery, InlineQueryResult,
    InlineQueryResultArticle, InputMessageContent, InputMessageContentText, Me, MessageId,
};

use super::handlers::{Context, HandlerError};
use super::telegram::{button, keyboard, parse_press, Press, Tg};
use crate::content::{card_text, search_cards, Card, Language};

type Outcome = Result<(), HandlerError>;

/// What a command in a group or channel asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupCommand {
    /// `/check` or `/start`: answered with the private deep link.
    Private,
    /// `/learn` or `/help`: the card menu.
    Menu,
    /// `/language`: the group's language, which admins may change.
    Language,
    /// `/country`: the group's country, which admins may change.
    Country,
    Card(String),
    /// Another bot's command, or one SpotCheck does not know.
    Other,
}

/// Reads `/name@bot args` addressed to this bot (or to no bot in particular).
pub fn parse_group_command(text: &str, bot_username: &str, cards: &[Card]) -> Option<GroupCommand> {
    let first = text.split_whitespace().next()?.strip_prefix('/')?;
    let (name, addressee) = match first.split_once('@') {
        Some((name, addressee)) => (name, Some(addressee)),
        None => (first, None),
    };
    if addressee.is_some_and(|addressee| !addressee.eq_ignore_ascii_case(bot_username)) {
        return Some(GroupCommand::Other);
    }
    let name = name.to_lowercase();
    Some(match name.as_str() {
        "check" | "start" => GroupCommand::Private,
        "learn" | "help" => GroupCommand::Menu,
        "language" => GroupCommand::Language,
        "country" => GroupCommand::Country,
        _ if cards.iter().any(|card| card.id == name) => GroupCommand::Card(name),
        _ => GroupCommand::Other,
    })
}

/// The button that opens the private chat and starts a check at once.
pub fn private_check_button(language: &Language, me: &Me) -> InlineKeyboardMarkup {
    let link = format!("https://t.me/{}?start=check", me.username());
    match link.parse() {
        Ok(url) => InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::url(
            language.texts.plain("btn-check-privately"),
            url,
        )]]),
        Err(_) => InlineKeyboardMarkup::default(),
    }
}

/// A group's language: the one its admins chose, else the default language.
async fn group_language(context: &Context, chat: ChatId) -> &Language {
    let settings = context.storage.settings(chat.0).await;
    context.dialogues.language(
        settings
            .language
            .as_deref()
            .unwrap_or(crate::content::DEFAULT_LANGUAGE),
    )
}

/// A message in a group: commands addressed to SpotCheck, and replies or mentions.
pub async fn on_group_message(bot: Tg, message: Message, me: Me, context: Arc<Context>) -> Outcome {
    let language = group_language(&context, message.chat.id).await;
    let Some(text) = message.text() else { return Ok(()) };
    let cards = &context.dialogues.cards;
    match parse_group_command(text, me.username(), cards) {
        Some(GroupCommand::Private) => point_to_private(&bot, &message, language, &me).await,
        Some(GroupCommand::Menu) => send_menu(&bot, message.chat.id, Some(message.id), language).await,
        Some(GroupCommand::Card(id)) => {
            post_card(
                &bot,
                &context,
                language,
                &id,
                message.chat.id,
                Some(message.id),
                &me,
            )
            .await
        }
        Some(GroupCommand::Language) => {
            send_language_menu(&bot, &context, message.chat.id, Some(message.id), language).await
        }
        Some(GroupCommand::Country) => {
            send_country_menu(&bot, &context, message.chat.id, Some(message.id), language).await
        }
        Some(GroupCommand::Other) => Ok(()),
        None if addresses_bot(&message, &me) => point_to_private(&bot, &message, language, &me).await,
        None => Ok(()),
    }
}

/// A reply to one of SpotCheck's messages, or a mention of it.
fn addresses_bot(message: &Message, me: &Me) -> bool {
    let replied_to_bot = message
        .reply_to_message()
        .and_then(|replied| replied.from.as_ref())
        .is_some_and(|author| author.id == me.id);
    let mentioned = message.text().is_some_and(|text| {
        text.to_lowercase()
            .contains(&format!("@{}", me.username().to_lowercase()))
    });
    replied_to_bot || mentioned
}

async fn point_to_private(bot: &Tg, message: &Message, language: &Language, me: &Me) -> Outcome {
    let text = language.texts.plain("bot-group-only-private");
    bot.post(
        message.chat.id,
        text,
        None,
        Some(private_check_button(language, me)),
        Some(message.id),
    )
    .await?;
    Ok(())
}

pub async fn send_menu(bot: &Tg, chat: ChatId, reply_to: Option<MessageId>, language: &Language) -> Outcome {
    Ok(send_menu_with(bot, chat, reply_to, language, &language_cards(language)).await?)
}

fn language_cards(language: &Language) -> Vec<(String, String)> {
    // The menu is built from the card ids the language defines titles for; the verifier makes
    // those exactly the cards of cards.toml.
    language
        .texts
        .defined_ids()
        .filter_map(|(id, _)| {
            id.strip_prefix("card-")?
                .strip_suffix("-title")
                .map(str::to_string)
        })
        .map(|card| (language.texts.plain(&format!("card-{card}-title")), card))
        .collect()
}

async fn send_menu_with(
    bot: &Tg,
    chat: ChatId,
    reply_to: Option<MessageId>,
    language: &Language,
    cards: &[(String, String)],
) -> Result<(), teloxide::RequestError> {
    let rows = cards
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|(title, id)| button(title.clone(), &format!("c:{id}")))
                .collect()
        })
        .collect();
    post_menu(bot, chat, reply_to, language, "bot-learn-menu", rows).await
}

/// A menu: a line of text above rows of buttons, optionally as a reply.
async fn post_menu(
    bot: &Tg,
    chat: ChatId,
    reply_to: Option<MessageId>,
    language: &Language,
    text_id: &str,
    rows: Vec<Vec<InlineKeyboardButton>>,
) -> Result<(), teloxide::RequestError> {
    bot.post(
        chat,
        language.texts.plain(text_id),
        None,
        Some(keyboard(rows)),
        reply_to,
    )
    .await?;
    Ok(())
}

/// Posts a card (with its picture, if it has one) and the "Check privately" button.
pub async fn post_card(
    bot: &Tg,
    context: &Context,
    language: &Language,
    id: &str,
    chat: ChatId,
    reply_to: Option<MessageId>,
    me: &Me,
) -> Outcome {
    let Some(card) = context.dialogues.cards.iter().find(|card| card.id == id) else {
        return Ok(());
    };
    let text = card_text(&context.dialogues.protocol, &language.texts, card);
    context
        .post(
            bot,
            chat,
            text,
            card.picture.as_deref(),
            Some(private_check_button(language, me)),
            reply_to,
        )
        .await?;
    Ok(())
}

/// A button pressed in a group: a card from the menu, or a language or country (admins only).
/// Anything else (a check's answer button, forged) is never acted on.
pub async fn on_group_button(bot: Tg, query: CallbackQuery, me: Me, context: Arc<Context>) -> Outcome {
    let press = parse_press(query.data.as_deref().unwrap_or(""));
    let Some((chat, message)) = query
        .message
        .as_ref()
        .map(|message| (message.chat().id, message.id()))
    else {
        let language = context.dialogues.language(crate::content::DEFAULT_LANGUAGE);
        let _ = bot
            .answer_button(query.id.clone(), Some(language.texts.plain("bot-stale-button")))
            .await;
        return Ok(());
    };
    let language = group_language(&context, chat).await;
    let (notice, done) = match press {
        Press::Card(id) => (
            None,
            post_card(&bot, &context, language, &id, chat, Some(message), &me).await,
        ),
        Press::Language(_) | Press::Country(_) if !bot.is_admin(chat, query.from.id).await => {
            (Some(language.texts.plain("bot-admins-only")), Ok(()))
        }
        Press::Language(code) if context.dialogues.has_language(&code) => (
            None,
            choose_for_group(&bot, &context, chat, |settings| settings.language = Some(code)).await,
        ),
        Press::Country(code) => {
            let country = context.dialogues.known_country(code);
            let done = choose_for_group(&bot, &context, chat, |settings| settings.country = country).await;
            (None, done)
        }
        _ => (Some(language.texts.plain("bot-stale-button")), Ok(())),
    };
    // Answered whatever happened, so the client's spinner stops; a failure says so.
    let notice = if done.is_err() {
        Some(language.texts.plain("bot-button-failed"))
    } else {
        notice
    };
    if let Err(error) = bot.answer_button(query.id.clone(), notice).await {
        log::debug!("could not answer a button press: {error}");
    }
    done
}

/// A channel post: a card command from the channel's admins becomes the card, and the command
/// post is deleted.
pub async fn on_channel_post(bot: Tg, post: Message, me: Me, context: Arc<Context>) -> Outcome {
    let Some(text) = post.text() else { return Ok(()) };
    if let Some(GroupCommand::Card(id)) = parse_group_command(text, me.username(), &context.dialogues.cards) {
        let language = group_language(&context, post.chat.id).await;
        post_card(&bot, &context, language, &id, post.chat.id, None, &me).await?;
        if let Err(error) = bot.delete(post.chat.id, post.id).await {
            log::warn!("could not delete a card command in a channel (is the bot an admin?): {error}");
        }
    }
    Ok(())
}

/// The bot was added to a group: it introduces itself in three lines.
pub async fn on_membership(bot: Tg, update: ChatMemberUpdated, context: Arc<Context>) -> Outcome {
    let joined = !update.old_chat_member.is_present() && update.new_chat_member.is_present();
    if joined && (update.chat.is_group() || update.chat.is_supergroup()) {
        let language = group_language(&context, update.chat.id).await;
        bot.post(
            update.chat.id,
            language.texts.plain("bot-group-intro"),
            None,
            None,
            None,
        )
        .await?;
        log::info!("added to a group");
    }
    Ok(())
}

/// Inline mode: cards matching the query, in the person's language; all for an empty query.
pub async fn on_inline_query(bot: Tg, query: InlineQuery, me: Me, context: Arc<Context>) -> Outcome {
    let language = context.dialogues.language(
        query
            .from
            .language_code
            .as_deref()
            .unwrap_or(crate::content::DEFAULT_LANGUAGE),
    );
    let dialogues = &context.dialogues;
    let results: Vec<InlineQueryResult> = search_cards(&dialogues.cards, &language.texts, &query.query)
        .into_iter()
        .map(|card| {
            let text = card_text(&dialogues.protocol, &language.texts, card);
            let title = language.texts.plain(&format!("card-{}-title", card.id));
            let content = InputMessageContent::Text(InputMessageContentText::new(text));
            InlineQueryResult::Article(
                InlineQueryResultArticle::new(card.id.clone(), title, content)
                    .reply_markup(private_check_button(language, &me)),
            )
        })
        .collect();
    bot.answer_inline(query.id.clone(), results).await?;
    Ok(())
}

async fn choose_for_group(
    bot: &Tg,
    context: &Context,
    chat: ChatId,
    change: impl FnOnce(&mut super::storage::ChatSettings),
) -> Outcome {
    let mut settings = context.storage.settings(chat.0).await;
    change(&mut settings);
    let language = context.dialogues.language(
        settings
            .language
            .as_deref()
            .unwrap_or(crate::content::DEFAULT_LANGUAGE),
    );
    if let Err(error) = context.storage.save_settings(chat.0, &settings).await {
        // The group must not believe a choice (its emergency number) that was not kept.
        log::warn!("a group's choice could not be saved: {error}");
        let notice = language.texts.plain("bot-choice-unsaved");
        bot.post(chat, notice, None, None, None).await?;
        return Ok(());
    }
    Ok(confirm_choice(bot, context, chat, language, &settings).await?)
}

/// Confirms a new language (in that language) or country (with its number).
pub async fn confirm_choice(
    bot: &Tg,
    context: &Context,
    chat: ChatId,
    language: &Language,
    settings: &super::storage::ChatSettings,
) -> Result<(), teloxide::RequestError> {
    let texts = &language.texts;
    let chosen = settings.country.as_deref().and_then(|code| {
        context
            .dialogues
            .countries
            .iter()
            .find(|known| known.code == code)
    });
    let text = match chosen {
        Some(country) => texts.get(
            "bot-country-set",
            &[("country", &country.name), ("number", &country.number)],
        ),
        None => texts.plain("bot-language-set"),
    };
    bot.post(chat, text, None, None, None).await?;
    Ok(())
}

/// Buttons for every language, each labelled in its own language.
pub async fn send_language_menu(
    bot: &Tg,
    context: &Context,
    chat: ChatId,
    reply_to: Option<MessageId>,
    language: &Language,
) -> Outcome {
    let buttons = context
        .dialogues
        .languages
        .iter()
        .map(|known| {
            vec![button(
                known.texts.plain("language-name"),
                &format!("l:{}", known.code),
            )]
        })
        .collect();
    Ok(post_menu(bot, chat, reply_to, language, "bot-language-menu", buttons).await?)
}

/// Buttons for every country with a known emergency number, and "other".
pub async fn send_country_menu(
    bot: &Tg,
    context: &Context,
    chat: ChatId,
    reply_to: Option<MessageId>,
    language: &Language,
) -> Outcome {
    let mut rows: Vec<Vec<_>> = context
        .dialogues
        .countries
        .chunks(3)
        .map(|row| {
            row.iter()
                .map(|country| button(country.name.clone(), &format!("n:{}", country.code)))
                .collect()
        })
        .collect();
    rows.push(vec![button(language.texts.plain("bot-country-other"), "n:none")]);
    Ok(post_menu(bot, chat, reply_to, language, "bot-country-menu", rows).await?)
}
