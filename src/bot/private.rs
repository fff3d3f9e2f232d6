//! The private chat, where the check happens. Each update becomes an `Input`;
//! `conversation::step` works out the turn (pure); the `Executor` here carries out its replies
//! in order (the press answered first, then the sends, then the save) and owns the failures.

use std::sync::Arc;
use std::time::Duration;

use teloxide::dispatching::dialogue::{Dialogue, ErasedStorage};
use teloxide::types::{CallbackQuery, CallbackQueryId, ChatId, Me, Message, MessageId};

use super::clock::Millis;
use super::context::{Context, HandlerError, Outcome};
use super::metrics::METRICS;
use super::reminders::payload;
use super::telegram::{markup, Tg};
use crate::content::catalogue::BOT_STALE_BUTTON;
use crate::content::Language;
use crate::conversation::{
    reminder_list, step, Event, Input, Pending, Reply, Settings, State, Work, MAX_PENDING_REMINDERS,
};

pub type ChatDialogue = Dialogue<State, ErasedStorage<State>>;

/// A command in a private chat.
pub async fn on_command(
    bot: Tg,
    dialogue: ChatDialogue,
    message: Message,
    command: crate::conversation::Command,
    state: State,
    me: Me,
    context: Arc<Context>,
) -> Outcome {
    let person = Person::of_message(&message);
    take_turn(
        &bot,
        &dialogue,
        &context,
        &me,
        person,
        state,
        Input::Command(command),
    )
    .await
}

/// Any other message in a private chat: typed words, or a sticker, a photo...
pub async fn on_message(
    bot: Tg,
    dialogue: ChatDialogue,
    message: Message,
    state: State,
    me: Me,
    context: Arc<Context>,
) -> Outcome {
    let input = match message.text() {
        Some(text) => Input::Text(text.to_string()),
        None => Input::NoText,
    };
    let person = Person::of_message(&message);
    take_turn(&bot, &dialogue, &context, &me, person, state, input).await
}

/// A button pressed in a private chat.
pub async fn on_button(
    bot: Tg,
    dialogue: ChatDialogue,
    query: CallbackQuery,
    state: State,
    me: Me,
    context: Arc<Context>,
) -> Outcome {
    // True once: a held-back press answered on arrival is being replayed. Telegram refuses a
    // second answer, so the turn has no press left to answer.
    let answered = context.intake.answered_on_arrival(&query.id);
    let input = Input::Press {
        data: query.data.clone().unwrap_or_default(),
        on: query.message.as_ref().map(|message| message.id().0),
        answered,
    };
    let person = Person {
        language: query.from.language_code.clone(),
        press: (!answered).then(|| query.id.clone()),
    };
    take_turn(&bot, &dialogue, &context, &me, person, state, input).await
}

/// What the update tells about the person: their language, and the press to answer.
struct Person {
    language: Option<String>,
    press: Option<CallbackQueryId>,
}

impl Person {
    fn of_message(message: &Message) -> Person {
        Person {
            language: message.from.as_ref().and_then(|user| user.language_code.clone()),
            press: None,
        }
    }
}

async fn take_turn(
    bot: &Tg,
    dialogue: &ChatDialogue,
    context: &Context,
    me: &Me,
    person: Person,
    state: State,
    input: Input,
) -> Outcome {
    let chat = dialogue.chat_id();
    let chosen = context.storage.settings(chat.0).await;
    // The chat's chosen language wins over the one Telegram reports for the person.
    let language = context.language(chosen.language.as_deref().or(person.language.as_deref()));
    let numbers = context
        .dialogues
        .emergency_numbers(language, chosen.country.as_deref());
    let settings = Settings {
        language,
        chat: &chosen,
        numbers: &numbers,
        reminder_delays: &context.reminders.delays,
        state_ttl: context.state_ttl,
        bot_username: me.username(),
    };
    let (_, replies) = step(&context.dialogues, &settings, state, input);
    let mut executor = Executor {
        bot,
        dialogue,
        context,
        language,
        chat,
        press: person.press,
        current: None,
    };
    executor.perform(replies).await
}

/// Carries out a turn's replies.
struct Executor<'a> {
    bot: &'a Tg,
    dialogue: &'a ChatDialogue,
    context: &'a Context,
    language: &'a Language,
    chat: ChatId,
    /// The press to answer, until it is answered.
    press: Option<CallbackQueryId>,
    /// The message sent this turn that carries the check's buttons.
    current: Option<MessageId>,
}

/// Whether the turn goes on after a reply.
enum Then {
    GoOn,
    /// Perform these (the notice of a failure) and stop.
    Stop(Vec<Reply>),
}

impl Executor<'_> {
    async fn perform(&mut self, replies: Vec<Reply>) -> Outcome {
        for reply in replies {
            if let Then::Stop(instead) = self.perform_one(reply).await? {
                // Boxed: a failure's replies are performed by this same function.
                return Box::pin(self.perform(instead)).await;
            }
        }
        Ok(())
    }

    async fn perform_one(&mut self, reply: Reply) -> Result<Then, HandlerError> {
        match reply {
            Reply::AnswerPress { notice } => return self.answer_press(notice).await,
            Reply::Send { message, current } => {
                let buttons = markup(&message.buttons);
                let sent = self
                    .context
                    .post(
                        self.bot,
                        self.chat,
                        message.text,
                        message.picture.as_deref(),
                        buttons,
                        None,
                    )
                    .await?;
                if current {
                    self.current = Some(sent.id);
                }
            }
            Reply::Edit {
                message,
                text,
                buttons,
            } => {
                let edited = self
                    .bot
                    .edit_text(self.chat, MessageId(message), text, markup(&buttons));
                if let Err(error) = edited.await {
                    // It may be too old to edit, or already show this text.
                    log::debug!("could not edit an old message: {error}");
                }
            }
            Reply::SetButtons { message, buttons } => self.set_buttons(MessageId(message), &buttons).await,
            Reply::Save { state, notice } => return self.save(state, notice).await,
            Reply::Task { work, if_failed } => return self.work(work, if_failed).await,
            Reply::Event(event) => note(event),
        }
        Ok(Then::GoOn)
    }

    /// Saves the state the messages just sent depend on. When the storage fails, the current
    /// message's buttons are taken away (a press on them could not be accepted) and the person
    /// is told: the stored check stays as it was, so the question before still takes its answer.
    async fn save(&mut self, mut state: State, notice: Option<String>) -> Result<Then, HandlerError> {
        if let Some(sent) = self.current {
            state.point_at(sent.0);
        }
        let Err(error) = self.dialogue.update(state).await else {
            return Ok(Then::GoOn);
        };
        log::warn!("could not save a chat's check: {error}");
        let Some(notice) = notice else {
            return Ok(Then::GoOn);
        };
        if let Some(sent) = self.current {
            self.set_buttons(sent, &Vec::new()).await;
        }
        self.bot.send_text(self.chat, notice, None).await?;
        Ok(Then::Stop(Vec::new()))
    }

    /// Replaces a message's buttons (none: removes them). A failure is not the person's concern:
    /// the message may be too old to edit.
    async fn set_buttons(&self, message: MessageId, buttons: &crate::conversation::Keyboard) {
        if let Err(error) = self.bot.set_buttons(self.chat, message, markup(buttons)).await {
            log::debug!("could not change an old message's buttons: {error}");
        }
    }

    /// Answers the press (once): with a notice, or with none just to stop the client's spinner.
    async fn answer_press(&mut self, notice: Option<String>) -> Result<Then, HandlerError> {
        if let Some(press) = self.press.take() {
            answer_press(self.bot, press, notice).await;
        }
        Ok(Then::GoOn)
    }

    async fn work(&mut self, work: Work, if_failed: Vec<Reply>) -> Result<Then, HandlerError> {
        let context = self.context;
        let storage = &context.storage;
        let chat = self.chat.0;
        let failed = |error: super::storage::StorageError| {
            log::warn!("a storage call failed: {error}");
            Then::Stop(if_failed.clone())
        };
        Ok(match work {
            Work::AddReminder {
                session,
                language,
                after,
                if_full,
            } => {
                let reminders = &context.reminders;
                let due_at = reminders.clock.now() + after.as_millis() as Millis;
                let payload = payload(&session, &language);
                match storage
                    .add_reminder(chat, due_at, &payload, MAX_PENDING_REMINDERS)
                    .await
                {
                    Err(error) => failed(error),
                    Ok(None) => Then::Stop(if_full),
                    Ok(Some(_)) => {
                        reminders.wake.notify_one();
                        log::info!("reminder scheduled");
                        Then::GoOn
                    }
                }
            }
            Work::ListReminders { edit } => match self.reminder_list().await {
                Err(error) => failed(error),
                Ok(list) => return self.show_list(list, edit).await,
            },
            Work::CancelReminder {
                id,
                list,
                answer_press,
            } => {
                let cancelled = storage.cancel_reminder(chat, id).await;
                if !answer_press {
                    self.press = None;
                }
                match cancelled {
                    Err(error) => {
                        // Answered without a notice: the reminder may be gone.
                        self.answer_press(None).await?;
                        failed(error)
                    }
                    Ok(false) => {
                        self.answer_press(Some(self.language.texts.text(BOT_STALE_BUTTON)))
                            .await?
                    }
                    Ok(true) => {
                        log::info!("reminder cancelled");
                        self.answer_press(None).await?;
                        match (list, self.reminder_list().await) {
                            (None, _) => Then::GoOn,
                            (Some(_), Err(error)) => failed(error),
                            (Some(list), Ok(shown)) => return self.show_list(shown, Some(list)).await,
                        }
                    }
                }
            }
            Work::SaveSettings(settings) => match storage.save_settings(chat, &settings).await {
                Err(error) => failed(error),
                Ok(()) => Then::GoOn,
            },
            Work::Forget => match storage.forget_chat(chat).await {
                Err(error) => {
                    log::warn!("a chat asked to forget its data; nothing was deleted: {error}");
                    Then::Stop(if_failed.clone())
                }
                Ok(()) => {
                    log::info!("a chat asked to forget its data; deleted");
                    Then::GoOn
                }
            },
        })
    }

    async fn reminder_list(&self) -> Result<crate::conversation::Message, super::storage::StorageError> {
        let pending = self.context.storage.reminders_of(self.chat.0).await?;
        let now = self.context.reminders.clock.now();
        let pending: Vec<Pending> = pending
            .iter()
            .map(|reminder| Pending {
                id: reminder.id,
                remaining: Duration::from_millis(reminder.due_at.saturating_sub(now)),
            })
            .collect();
        Ok(reminder_list(self.language, &pending))
    }

    /// The reminder list: sent, or shown in the list message whose cancel button was pressed.
    async fn show_list(
        &mut self,
        list: crate::conversation::Message,
        edit: Option<i32>,
    ) -> Result<Then, HandlerError> {
        let reply = match edit {
            None => Reply::Send {
                message: list,
                current: false,
            },
            Some(message) => Reply::Edit {
                message,
                text: list.text,
                buttons: list.buttons,
            },
        };
        Box::pin(self.perform_one(reply)).await
    }
}

/// For the logs and the metrics. Answers are logged at debug level only.
fn note(event: Event) {
    match event {
        Event::CheckStarted => {
            log::info!("check started");
            METRICS.check_started();
        }
        Event::CheckFinished(level) => {
            log::info!("check finished");
            METRICS.check_finished(level);
            log::debug!("check finished at level {}", level.key());
        }
        Event::CheckReset => {
            log::info!("reset a saved check that could not be read or no longer fits the protocol");
        }
        Event::RecheckAnswered => log::info!("re-check answered"),
    }
}

/// How long a press's work waits for the press's answer. It normally takes one round trip; a
/// failing one (a 429's `retry_after`, or teloxide's 10 s pause after a 5xx) carries on in the
/// background rather than hold up the next question.
const ANSWER_WAIT: Duration = Duration::from_secs(1);

/// Answers a button press: with a notice, or with none just to stop the client's spinner.
async fn answer_press(bot: &Tg, query: CallbackQueryId, notice: Option<String>) {
    let bot = bot.clone();
    let answering = tokio::spawn(async move {
        if let Err(error) = bot.answer_button(query, notice).await {
            log::debug!("could not answer a button press: {error}");
        }
    });
    if tokio::time::timeout(ANSWER_WAIT, answering).await.is_err() {
        log::debug!("a button answer is slow; the press's work goes ahead without it");
    }
}
