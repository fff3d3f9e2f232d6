//! Groups, channels and inline mode: SpotCheck teaches there, and never asks anyone about their
//! own health where others can read it. A check only ever happens in a private chat, reached by
//! the "Check privately" deep link.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::{
    ChatMemberUpdated, InlineQuery, InlineQueryResult, InlineQueryResultArticle, InputMessageContent,
    InputMessageContentText, Me, MessageId,
};
use teloxide::utils::command::parse_command;

use super::context::{Context, Outcome};
use super::telegram::{markup, Tg};
use crate::content::catalogue::{
    BOT_ADMINS_ONLY, BOT_BUTTON_FAILED, BOT_CHOICE_UNSAVED, BOT_GROUP_INTRO, BOT_GROUP_ONLY_PRIVATE,
    BOT_STALE_BUTTON,
};
use crate::content::{card_text, search_cards, Card, Language};
use crate::conversation::{
    card_message, choice_confirmation, country_menu, language_menu, learn_menu, parse_press,
    private_check_button, Choice, Message as Post, Press,
};

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

/// Reads `/name@bot args` addressed to this bot (or to no bot in particular), by teloxide's
/// `parse_command` as private chats are read.
pub fn parse_group_command(text: &str, bot_username: &str, cards: &[Card]) -> Option<GroupCommand> {
    if !text.starts_with('/') {
        return None;
    }
    // `None` from here: the command is addressed to another bot.
    let Some((name, _)) = parse_command(text, bot_username) else {
        return Some(GroupCommand::Other);
    };
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

/// A group's language: the one its admins chose, else the default language.
async fn group_language(context: &Context, chat: ChatId) -> &Language {
    context.language(context.storage.settings(chat.0).await.language.as_deref())
}

/// A message in a group: commands addressed to SpotCheck, and replies or mentions.
pub async fn on_group_message(bot: Tg, message: Message, me: Me, context: Arc<Context>) -> Outcome {
    let language = group_language(&context, message.chat.id).await;
    let Some(text) = message.text() else { return Ok(()) };
    let cards = &context.dialogues.cards;
    match parse_group_command(text, me.username(), cards) {
        Some(GroupCommand::Private) => point_to_private(&bot, &context, &message, language, &me).await,
        Some(GroupCommand::Menu) => reply(&bot, &context, &message, learn_menu(language)).await,
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
            reply(
                &bot,
                &context,
                &message,
                language_menu(&context.dialogues, language),
            )
            .await
        }
        Some(GroupCommand::Country) => {
            reply(
                &bot,
                &context,
                &message,
                country_menu(&context.dialogues, language),
            )
            .await
        }
        Some(GroupCommand::Other) => Ok(()),
        None if addresses_bot(&message, &me) => {
            point_to_private(&bot, &context, &message, language, &me).await
        }
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

async fn point_to_private(
    bot: &Tg,
    context: &Context,
    message: &Message,
    language: &Language,
    me: &Me,
) -> Outcome {
    let text = language.texts.text(BOT_GROUP_ONLY_PRIVATE);
    let buttons = vec![vec![private_check_button(language, me.username())]];
    reply(bot, context, message, Post::with_buttons(text, buttons)).await
}

/// Posts a message as a reply to `message`.
async fn reply(bot: &Tg, context: &Context, message: &Message, post: Post) -> Outcome {
    send(bot, context, message.chat.id, post, Some(message.id)).await
}

/// Posts a message, optionally as a reply.
async fn send(bot: &Tg, context: &Context, chat: ChatId, post: Post, reply_to: Option<MessageId>) -> Outcome {
    let buttons = markup(&post.buttons);
    context
        .post(bot, chat, post.text, post.picture.as_deref(), buttons, reply_to)
        .await?;
    Ok(())
}

/// Posts a card (with its picture, if it has one) and the "Check privately" button.
async fn post_card(
    bot: &Tg,
    context: &Context,
    language: &Language,
    id: &str,
    chat: ChatId,
    reply_to: Option<MessageId>,
    me: &Me,
) -> Outcome {
    match card_message(&context.dialogues, language, id, me.username()) {
        Some(card) => send(bot, context, chat, card, reply_to).await,
        None => Ok(()),
    }
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
        let language = context.language(None);
        let _ = bot
            .answer_button(query.id.clone(), Some(language.texts.text(BOT_STALE_BUTTON)))
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
            (Some(language.texts.text(BOT_ADMINS_ONLY)), Ok(()))
        }
        Press::Language(code) if context.dialogues.has_language(&code) => (
            None,
            choose_for_group(&bot, &context, chat, Choice::Language(code)).await,
        ),
        Press::Country(code) => {
            let choice = Choice::Country(context.dialogues.known_country(code));
            (None, choose_for_group(&bot, &context, chat, choice).await)
        }
        _ => (Some(language.texts.text(BOT_STALE_BUTTON)), Ok(())),
    };
    // Answered whatever happened, so the client's spinner stops; a failure says so.
    let notice = if done.is_err() {
        Some(language.texts.text(BOT_BUTTON_FAILED))
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
            language.texts.text(BOT_GROUP_INTRO),
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
    let language = context.language(query.from.language_code.as_deref());
    let dialogues = &context.dialogues;
    let results: Vec<InlineQueryResult> = search_cards(&dialogues.cards, &language.texts, &query.query)
        .into_iter()
        .map(|card| {
            let text = card_text(&dialogues.protocol, &language.texts, card);
            let title = language.texts.plain(&format!("card-{}-title", card.id));
            let content = InputMessageContent::Text(InputMessageContentText::new(text));
            InlineQueryResult::Article(
                InlineQueryResultArticle::new(card.id.clone(), title, content).reply_markup(
                    markup(&vec![vec![private_check_button(language, me.username())]]).unwrap_or_default(),
                ),
            )
        })
        .collect();
    bot.answer_inline(query.id.clone(), results).await?;
    Ok(())
}

async fn choose_for_group(bot: &Tg, context: &Context, chat: ChatId, choice: Choice) -> Outcome {
    let settings = choice.applied_to(&context.storage.settings(chat.0).await);
    let language = context.language(settings.language.as_deref());
    if let Err(error) = context.storage.save_settings(chat.0, &settings).await {
        // The group must not believe a choice (its emergency number) that was not kept.
        log::warn!("a group's choice could not be saved: {error}");
        let notice = language.texts.text(BOT_CHOICE_UNSAVED);
        return send(bot, context, chat, Post::text(notice), None).await;
    }
    let confirmation = choice_confirmation(&context.dialogues, language, &choice);
    send(bot, context, chat, confirmation, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_commands_are_read_when_addressed_to_this_bot_or_to_none() {
        let (dialogues, _) = crate::content::Dialogues::load_from(None).expect("the built-in dialogues");
        let read = |text: &str| parse_group_command(text, "SpotCheckBot", &dialogues.cards);
        assert_eq!(read("/check"), Some(GroupCommand::Private));
        assert_eq!(read("/Check@spotcheckbot now"), Some(GroupCommand::Private));
        assert_eq!(read("/learn"), Some(GroupCommand::Menu));
        assert_eq!(
            read("/darkskin@SpotCheckBot"),
            Some(GroupCommand::Card("darkskin".into()))
        );
        assert_eq!(read("/check@OtherBot"), Some(GroupCommand::Other));
        assert_eq!(read("/weather"), Some(GroupCommand::Other));
        assert_eq!(read("/"), Some(GroupCommand::Other));
        assert_eq!(read("a /check in a sentence"), None);
        assert_eq!(read("hello"), None);
    }
}
