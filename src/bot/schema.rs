//! The routing table: which updates reach which handler. Private chats go to the check
//! (`private`), through the chat's lock and its stored state; groups, channels, memberships and
//! inline queries to `groups`. Nothing is decided here.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt;
use teloxide::dispatching::dialogue::ErasedStorage;
use teloxide::dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{Me, Message};
use teloxide::utils::command::parse_command;

use super::context::{Context, HandlerError, Outcome};
use super::groups;
use super::metrics::{HandlingTimer, METRICS};
use super::private;
use super::storage::ChatGuard;
use super::telegram::Tg;
use crate::conversation::{self, State};

/// A private chat's command, addressed to this bot or to none in particular.
fn private_command(message: &Message, me: &Me) -> Option<conversation::Command> {
    let text = message.text().or_else(|| message.caption())?;
    let (name, words) = parse_command(text, me.username())?;
    conversation::Command::named(name, &words.join(" "))
}

/// The routing table. Only private chats reach the check and the dialogue storage; groups,
/// channels and inline queries get education cards (`groups`).
pub fn schema() -> UpdateHandler<HandlerError> {
    let private_messages = Update::filter_message()
        .filter(|message: Message| message.chat.is_private())
        .chain(dptree::map_async_with_description(
            entry_description(),
            |message: Message, context: Arc<Context>| lock_chat(context, message.chat.id),
        ))
        .enter_dialogue::<Message, ErasedStorage<State>, State>()
        .branch(
            dptree::filter_map(|message: Message, me: Me| private_command(&message, &me)).endpoint(
                |bot, dialogue, message, command, state, me, context| {
                    shielded(private::on_command(
                        bot, dialogue, message, command, state, me, context,
                    ))
                },
            ),
        )
        .branch(dptree::endpoint(|bot, dialogue, message, state, me, context| {
            shielded(private::on_message(bot, dialogue, message, state, me, context))
        }));
    let group_messages = Update::filter_message()
        .filter(|message: Message| message.chat.is_group() || message.chat.is_supergroup())
        .endpoint(|bot, message, me, context| shielded(groups::on_group_message(bot, message, me, context)));
    let private_buttons = Update::filter_callback_query()
        .filter(|query: CallbackQuery| {
            query
                .message
                .as_ref()
                .is_some_and(|message| message.chat().is_private())
        })
        .chain(dptree::map_async_with_description(
            entry_description(),
            |query: CallbackQuery, context: Arc<Context>| {
                // The filter above guarantees the message, hence the chat.
                let chat = query
                    .message
                    .as_ref()
                    .map_or(query.from.id.into(), |message| message.chat().id);
                lock_chat(context, chat)
            },
        ))
        .enter_dialogue::<CallbackQuery, ErasedStorage<State>, State>()
        .endpoint(|bot, dialogue, query, state, me, context| {
            shielded(private::on_button(bot, dialogue, query, state, me, context))
        });
    let other_buttons = Update::filter_callback_query()
        .endpoint(|bot, query, me, context| shielded(groups::on_group_button(bot, query, me, context)));
    let channel_posts = Update::filter_channel_post()
        .endpoint(|bot, post, me, context| shielded(groups::on_channel_post(bot, post, me, context)));
    let memberships = Update::filter_my_chat_member()
        .endpoint(|bot, update, context| shielded(groups::on_membership(bot, update, context)));
    let inline_queries = Update::filter_inline_query()
        .endpoint(|bot, query, me, context| shielded(groups::on_inline_query(bot, query, me, context)));
    // Counted, then screened: an update that waited in its chat's queue through the start of a
    // flood is superseded by the flood's latest update (`intake.rs`).
    let counted = dptree::filter_with_description(
        entry_description(),
        |update: Update, bot: Tg, context: Arc<Context>| {
            METRICS.update_received(&update);
            context.intake.take_turn(&update, &bot)
        },
    );
    let timed = dptree::map_with_description(entry_description(), || Arc::new(HandlingTimer::start()));
    counted
        .chain(timed)
        .branch(private_messages)
        .branch(group_messages)
        .branch(private_buttons)
        .branch(other_buttons)
        .branch(channel_posts)
        .branch(memberships)
        .branch(inline_queries)
}

/// For steps that neither filter nor handle: described as an entry, so the dispatcher still asks
/// Telegram only for the update kinds the tree handles (an opaque step would make that every kind).
fn entry_description() -> teloxide::dispatching::DpHandlerDescription {
    <teloxide::dispatching::DpHandlerDescription as dptree::HandlerDescription>::entry()
}

/// Holds the chat's lock from before its state is read until its handler is done (dptree drops
/// the value after the rest of the branch has run).
async fn lock_chat(context: Arc<Context>, chat: ChatId) -> Arc<ChatGuard> {
    Arc::new(context.storage.lock_chat(chat.0).await)
}

/// Runs a handler so that a panic drops this one update instead of the dispatcher (teloxide #1435).
async fn shielded(work: impl std::future::Future<Output = Outcome>) -> Outcome {
    match AssertUnwindSafe(work).catch_unwind().await {
        Ok(outcome) => outcome,
        Err(_) => {
            log::error!("a handler panicked; the update was dropped and the bot carries on");
            Ok(())
        }
    }
}
