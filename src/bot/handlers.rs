//! The handler tree and its endpoints. The adapter only translates between Telegram and the
//! triage `Session`: texts come from `dialogues/`, decisions from `triage`.

use std::collections::HashMap;
use std::error::Error;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use teloxide::dispatching::dialogue::{Dialogue, ErasedStorage};
use teloxide::dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{CallbackQueryId, FileId, InlineKeyboardButton, Me, Message, MessageId};
use teloxide::utils::command::BotCommands;

use super::config::{Config, ReminderDelay};
use super::groups;
use super::intake::Intake;
use super::metrics::{HandlingTimer, METRICS};
use super::reminders::Reminders;
use super::state::{Check, State};
use super::storage::{ChatGuard, ChatSettings, DialogueStorage, StorageError};
use super::telegram::{button, drop_buttons, keyboard, parse_press, settle_message, Control, Press, Tg};
use crate::content::{advice, offers_reminder, with_reminder_offer, Dialogues, Language};
use crate::conversation::{self, Turn};
use crate::triage::{Assessment, FactId, QuestionKind, RecheckFinding, Session, Step};

pub type HandlerError = Box<dyn Error + Send + Sync>;
type Outcome = Result<(), HandlerError>;
pub type ChatDialogue = Dialogue<State, ErasedStorage<State>>;

/// What every handler shares.
pub struct Context {
    pub dialogues: Arc<Dialogues>,
    pub storage: Arc<DialogueStorage>,
    pub state_ttl: Duration,
    pub reminders: Reminders,
    /// Picture name → the `file_id` Telegram gave it, so each picture is uploaded once.
    pub(super) pictures: Mutex<HashMap<String, FileId>>,
    /// Flood control on arrival, and the held-back presses it already answered (`intake.rs`).
    pub(super) intake: Intake,
}

impl Context {
    pub fn new(dialogues: Arc<Dialogues>, storage: Arc<DialogueStorage>, config: &Config) -> Context {
        Context {
            dialogues,
            storage,
            state_ttl: config.state_ttl,
            reminders: Reminders::new(config),
            pictures: Mutex::new(HashMap::new()),
            intake: Intake::default(),
        }
    }

    pub(super) fn language(&self, code: Option<&str>) -> &Language {
        self.dialogues
            .language(code.unwrap_or(crate::content::DEFAULT_LANGUAGE))
    }
}

#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Check,
    Cancel,
    Restart,
    Help,
    Privacy,
    Forget,
    Learn,
    Language,
    Country,
    Reminders,
}

impl Command {
    /// Whether the command reads or replaces the chat's stored check (so cannot run while the
    /// storage is away); the others only show texts.
    fn needs_state(&self) -> bool {
        !matches!(
            self,
            Command::Help
                | Command::Privacy
                | Command::Learn
                | Command::Language
                | Command::Country
                // It tries, and says whether everything or nothing was deleted.
                | Command::Forget
        )
    }
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
        .branch(dptree::entry().filter_command::<Command>().endpoint(on_command))
        .branch(dptree::endpoint(on_message));
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
        .endpoint(on_button);
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
            context.intake.take_turn(&update, &bot, &context)
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
        // Already logged, and the person told.
        Ok(Err(error)) if error.is::<Unsaved>() => Ok(()),
        Ok(outcome) => outcome,
        Err(_) => {
            log::error!("a handler panicked; the update was dropped and the bot carries on");
            Ok(())
        }
    }
}

async fn on_command(
    bot: Tg,
    dialogue: ChatDialogue,
    message: Message,
    command: Command,
    state: State,
    context: Arc<Context>,
) -> Outcome {
    shielded(async {
        let chat = Chat::open(&bot, &dialogue, &context, sender_language(&message)).await;
        let state = match state {
            State::Unavailable if command.needs_state() => {
                return chat.say("bot-storage-unavailable").await;
            }
            // The other commands do not use the check, and must not reset the stored one.
            State::Unavailable => State::Idle,
            state => chat.recover(state).await?,
        };
        match command {
            Command::Start(payload) if payload.trim() == "check" => chat.start_check(&state).await,
            Command::Start(_) => chat.welcome().await,
            Command::Check | Command::Restart => chat.start_check(&state).await,
            Command::Cancel => chat.cancel(&state).await,
            Command::Help => chat.say("bot-help").await,
            Command::Privacy => {
                // Rounded up: the text promises "at the latest".
                let hours = context.state_ttl.as_secs().div_ceil(3600).max(1).to_string();
                chat.send(chat.texts().get("bot-privacy", &[("ttl_hours", &hours)]))
                    .await
            }
            Command::Forget => chat.forget(&state).await,
            Command::Learn => groups::send_menu(&bot, chat.id(), None, chat.language).await,
            Command::Language => {
                groups::send_language_menu(&bot, &context, chat.id(), None, chat.language).await
            }
            Command::Country => {
                groups::send_country_menu(&bot, &context, chat.id(), None, chat.language).await
            }
            Command::Reminders => chat.list_reminders().await,
        }
    })
    .await
}

async fn on_message(
    bot: Tg,
    dialogue: ChatDialogue,
    message: Message,
    state: State,
    context: Arc<Context>,
) -> Outcome {
    shielded(async {
        let chat = Chat::open(&bot, &dialogue, &context, sender_language(&message)).await;
        if state == State::Unavailable {
            return chat.storage_away(message.text()).await;
        }
        let state = chat.recover(state).await?;
        match (message.text(), state) {
            (Some(text), State::Checking(check)) => chat.typed_during_check(check, text).await,
            (Some(text), state @ State::Rechecking(_)) if chat.is_emergency(text) => {
                chat.typed_outside_check(&state, text).await
            }
            (_, State::Rechecking(_)) => chat.say("bot-nudge").await,
            (Some(text), state) => chat.typed_outside_check(&state, text).await,
            (None, State::Checking(check)) => chat.nudge(check).await,
            (None, _) => chat.no_check().await,
        }
    })
    .await
}

/// A button press in a private chat. Whether it acts is decided first, from the press, the
/// chat's state and the message pressed on; the press is answered at once (the person's client
/// shows a spinner on the button until then), and only then does the bot do what it asks.
async fn on_button(
    bot: Tg,
    dialogue: ChatDialogue,
    query: CallbackQuery,
    state: State,
    me: Me,
    context: Arc<Context>,
) -> Outcome {
    shielded(async {
        let chat = Chat::open(&bot, &dialogue, &context, query.from.language_code.as_deref()).await;
        if state == State::Unavailable {
            // Nothing can be decided without the check: the press changes nothing, and the
            // person can press it again once the storage answers.
            let notice = chat.texts().plain("bot-storage-unavailable");
            if !context.intake.answered_on_arrival(&query.id) {
                answer_press(&bot, query.id.clone(), Some(notice.clone())).await;
            }
            return chat.send(notice).await;
        }
        let pressed_on = query.message.as_ref().map(|message| message.id().0);
        let press = parse_press(query.data.as_deref().unwrap_or(""));
        let readable = chat.readable(&state);
        let state = if readable { state } else { State::Idle };
        let decided = chat.decide(press, state.clone(), pressed_on).await;
        // A press held back by flood control was answered then; now that the chat is calm it is
        // replayed, and if it no longer acts, the bot carries on with the current question.
        let replayed = context.intake.answered_on_arrival(&query.id);
        // When the decision failed (the storage did not answer a reminder's cancel), the press
        // is still answered, without a notice since the reminder may be gone; then the error
        // is returned.
        let stale = matches!(decided, Ok(None));
        if !replayed {
            let notice = stale.then(|| chat.texts().plain("bot-stale-button"));
            answer_press(&bot, query.id.clone(), notice).await;
        }
        if !readable {
            chat.reset().await?;
        }
        match (decided?, state) {
            (Some(action), _) => chat.act(action, pressed_on, &me).await,
            (None, State::Checking(check)) if replayed => chat.ask_again(check).await,
            (None, _) => Ok(()),
        }
    })
    .await
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

/// What a current button press does, worked out before the press is answered.
enum Action {
    /// An answer to the current question: the session it answers, and the session with it.
    Answer {
        check: Check,
        before: Session,
        after: Session,
    },
    /// A checklist item ticked or unticked: the items ticked now.
    Toggle {
        check: Check,
        session: Session,
        ticked: Vec<FactId>,
    },
    /// "Change last answer": the session without the last answer.
    Back {
        check: Check,
        session: Session,
    },
    Cancel(Check),
    /// The current question's picture, then the question again below it.
    Picture {
        check: Check,
        session: Session,
        picture: String,
    },
    Summary(Session),
    Remind {
        check: Check,
        delay: ReminderDelay,
    },
    NoReminder(Check),
    /// A reminder's cancel button in the `/reminders` list. Only the storage knows whether the
    /// reminder is still pending, so `decide` cancels it; `act` shows the list again.
    CancelReminder(i64),
    /// The answer to a reminder's re-check, and the finished check it revises.
    Recheck {
        check: Check,
        previous: Session,
        found: RecheckFinding,
    },
    Choose(ChatSettings),
    Card(String),
    /// "Start a check" or "Start again", outside a check.
    Start(State),
}

/// A step the storage failed (the check, a reminder or a choice could not be saved or read);
/// the failure is logged and the person has been told.
#[derive(Debug, thiserror::Error)]
#[error("the storage failed and the person was told")]
struct Unsaved;

/// One private chat during one update: the person's language, and the replies.
pub(super) struct Chat<'a> {
    pub(super) bot: &'a Tg,
    dialogue: &'a ChatDialogue,
    pub(super) context: &'a Context,
    pub(super) language: &'a Language,
    settings: ChatSettings,
    /// The emergency numbers the advice names: the chat's country's, or the common ones.
    numbers: String,
}

/// The language Telegram reports for a message's sender.
fn sender_language(message: &Message) -> Option<&str> {
    message
        .from
        .as_ref()
        .and_then(|user| user.language_code.as_deref())
}

impl<'a> Chat<'a> {
    /// Loads the chat's settings and opens it.
    async fn open(
        bot: &'a Tg,
        dialogue: &'a ChatDialogue,
        context: &'a Context,
        language_code: Option<&str>,
    ) -> Chat<'a> {
        let settings = context.storage.settings(dialogue.chat_id().0).await;
        Chat::new(bot, dialogue, context, settings, language_code)
    }

    /// The chat's chosen language wins over the one Telegram reports for the person.
    fn new(
        bot: &'a Tg,
        dialogue: &'a ChatDialogue,
        context: &'a Context,
        settings: ChatSettings,
        language_code: Option<&str>,
    ) -> Chat<'a> {
        let language = context.language(settings.language.as_deref().or(language_code));
        let numbers = context
            .dialogues
            .emergency_numbers(language, settings.country.as_deref());
        Chat {
            bot,
            dialogue,
            context,
            language,
            settings,
            numbers,
        }
    }

    pub(super) fn id(&self) -> ChatId {
        self.dialogue.chat_id()
    }

    pub(super) fn texts(&self) -> &crate::content::Texts {
        &self.language.texts
    }

    pub(super) fn dialogues(&self) -> &Dialogues {
        &self.context.dialogues
    }

    pub(super) async fn send(&self, text: String) -> Outcome {
        self.bot.send_text(self.id(), text, None).await?;
        Ok(())
    }

    pub(super) async fn say(&self, id: &str) -> Outcome {
        self.send(self.texts().plain(id)).await
    }

    /// The result of a storage call whose failure the person must hear of (a reminder not set, a
    /// choice not saved): on failure they are told `notice`, and the handler stops there.
    pub(super) async fn or_tell<T>(
        &self,
        result: Result<T, StorageError>,
        notice: &str,
    ) -> Result<T, HandlerError> {
        match result {
            Ok(value) => Ok(value),
            Err(error) => {
                log::warn!("a storage call failed: {error}");
                self.say(notice).await?;
                Err(Box::new(Unsaved))
            }
        }
    }

    /// A state this build cannot continue is reset with an apology, never ignored (#1156).
    async fn recover(&self, state: State) -> Result<State, HandlerError> {
        if self.readable(&state) {
            return Ok(state);
        }
        self.reset().await?;
        Ok(State::Idle)
    }

    /// Whether this build can continue the state.
    fn readable(&self, state: &State) -> bool {
        match state {
            State::Unreadable | State::Unavailable => false,
            State::Checking(check) | State::Finished(check) | State::Rechecking(check) => {
                self.restore(check).is_some()
            }
            State::Idle => true,
        }
    }

    /// The storage did not answer when this chat's check was read: an emergency phrase still
    /// gets the emergency advice; anything else is told to try again in a moment.
    async fn storage_away(&self, text: Option<&str>) -> Outcome {
        match text {
            Some(text) if self.is_emergency(text) => self.typed_outside_check(&State::Idle, text).await,
            _ => self.say("bot-storage-unavailable").await,
        }
    }

    /// Tells the person their saved check could not be continued, and deletes it.
    async fn reset(&self) -> Outcome {
        log::info!("reset a saved check that could not be read or no longer fits the protocol");
        // Tell the person first: if the storage is what failed, deleting may fail too.
        self.say("bot-state-reset").await?;
        if let Err(error) = self.dialogue.exit().await {
            log::warn!("could not delete an unreadable check: {error}");
        }
        Ok(())
    }

    pub(super) fn restore(&self, check: &Check) -> Option<Session> {
        Session::restore(&self.dialogues().protocol, &check.session).ok()
    }

    async fn welcome(&self) -> Outcome {
        let numbers = self.numbers.clone();
        let text = self
            .texts()
            .get("bot-welcome", &[("emergency_numbers", &numbers)]);
        let start = keyboard(vec![vec![button(
            self.texts().plain("btn-start-check"),
            Control::Start.data(),
        )]]);
        self.bot.send_text(self.id(), text, Some(start)).await?;
        Ok(())
    }

    async fn no_check(&self) -> Outcome {
        let start = keyboard(vec![vec![button(
            self.texts().plain("btn-start-check"),
            Control::Start.data(),
        )]]);
        self.bot
            .send_text(self.id(), self.texts().plain("bot-no-check"), Some(start))
            .await?;
        Ok(())
    }

    async fn start_check(&self, state: &State) -> Outcome {
        if let State::Checking(check) = state {
            drop_buttons(self.bot, self.id(), check.message_id).await;
        }
        log::info!("check started");
        METRICS.check_started();
        self.show(Session::new(), None).await
    }

    async fn cancel(&self, state: &State) -> Outcome {
        if let State::Checking(check) = state {
            drop_buttons(self.bot, self.id(), check.message_id).await;
        }
        self.dialogue.exit().await?;
        self.say("bot-cancelled").await
    }

    async fn forget(&self, state: &State) -> Outcome {
        match self.context.storage.forget_chat(self.id().0).await {
            Ok(()) => {
                // Only now: if nothing was deleted, the check's buttons still work.
                if let State::Checking(check) | State::Finished(check) | State::Rechecking(check) = state {
                    drop_buttons(self.bot, self.id(), check.message_id).await;
                }
                log::info!("a chat asked to forget its data; deleted");
                self.say("bot-forgotten").await
            }
            Err(error) => {
                log::warn!("a chat asked to forget its data; nothing was deleted: {error}");
                self.say("bot-forget-failed").await
            }
        }
    }

    /// Shows where a session stands: its next question, or its advice.
    pub(super) async fn show(&self, session: Session, typed_emergency: Option<()>) -> Outcome {
        match session.next(&self.dialogues().protocol) {
            Step::Ask(question) => self.ask(&session, question).await,
            Step::Done(assessment) => {
                if typed_emergency.is_some() {
                    self.say("bot-emergency-typed").await?;
                }
                self.advise(&session, &assessment).await
            }
        }
    }

    async fn ask(&self, session: &Session, question: usize) -> Outcome {
        let dialogues = self.dialogues();
        let text = conversation::question_text(dialogues, self.language, session, question);
        let rows = self.question_buttons(session, question, &[]);
        let sent = self.bot.send_text(self.id(), text, Some(keyboard(rows))).await?;
        self.save_for(
            State::Checking(self.check(session, sent.id)),
            sent.id,
            "bot-storage-unavailable",
        )
        .await
    }

    /// A question's buttons: its answers (a checklist's items show ✅ when ticked), the glass
    /// test's picture where it has one, then back and cancel.
    fn question_buttons(
        &self,
        session: &Session,
        question: usize,
        ticked: &[FactId],
    ) -> Vec<Vec<InlineKeyboardButton>> {
        let dialogues = self.dialogues();
        let definition = &dialogues.protocol.questions[question];
        let labels = conversation::option_labels(dialogues, self.language, question);
        let answers: Vec<_> = labels
            .into_iter()
            .zip(&definition.buttons)
            .enumerate()
            .map(|(index, (label, key))| {
                let item = definition
                    .facts
                    .get(index)
                    .filter(|_| definition.kind == QuestionKind::Checklist);
                let label = match item {
                    Some(fact) if ticked.contains(fact) => format!("✅ {label}"),
                    Some(_) => format!("▫️ {label}"),
                    None => label,
                };
                button(label, &crate::content::answer_callback_data(&definition.id, key))
            })
            .collect();
        let mut rows: Vec<Vec<_>> = match definition.kind {
            // Items one per row; then Done; then "none of these" and "not sure" side by side.
            QuestionKind::Checklist => {
                let mut answers = answers;
                let tail = answers.split_off(definition.facts.len());
                let mut rows: Vec<Vec<_>> = answers.into_iter().map(|item| vec![item]).collect();
                let mut tail = tail.into_iter();
                rows.extend(tail.next().map(|done| vec![done]));
                rows.push(tail.collect());
                rows
            }
            // Short yes/no/not sure answers fit on one row; longer choices get a row each.
            QuestionKind::Choice => answers.into_iter().map(|answer| vec![answer]).collect(),
            _ if answers.len() <= 3 => vec![answers],
            _ => answers.into_iter().map(|answer| vec![answer]).collect(),
        };
        if definition.picture.is_some() {
            rows.push(vec![button(
                self.texts().plain("btn-glass-picture"),
                Control::Picture.data(),
            )]);
        }
        let mut controls = Vec::new();
        if !session.answers().is_empty() {
            controls.push(button(self.texts().plain("btn-back"), Control::Back.data()));
        }
        controls.push(button(self.texts().plain("btn-cancel"), Control::Cancel.data()));
        rows.push(controls);
        rows
    }

    /// A checklist item ticked or unticked: the ticks are saved, then the keyboard shows them.
    async fn toggle(&self, check: Check, session: Session, ticked: Vec<FactId>) -> Outcome {
        let Step::Ask(question) = session.next(&self.dialogues().protocol) else {
            return Ok(());
        };
        let message = check.message_id;
        let protocol = &self.dialogues().protocol;
        let check = Check {
            ticked: ticked
                .iter()
                .map(|&fact| protocol.facts[fact].key.clone())
                .collect(),
            ..check
        };
        if let Err(error) = self.dialogue.update(State::Checking(check)).await {
            log::warn!("could not save a checklist's ticks: {error}");
            return self.say("bot-storage-unavailable").await;
        }
        let Some(message) = message else { return Ok(()) };
        let rows = self.question_buttons(&session, question, &ticked);
        if let Err(error) = self
            .bot
            .set_buttons(self.id(), MessageId(message), Some(keyboard(rows)))
            .await
        {
            log::debug!("could not show a checklist's ticks: {error}");
        }
        Ok(())
    }

    /// Whether a question id names a checklist.
    fn is_checklist(&self, question: &str) -> bool {
        let protocol = &self.dialogues().protocol;
        protocol
            .question_id(question)
            .is_some_and(|question| protocol.questions[question].kind == QuestionKind::Checklist)
    }

    /// The items of the current checklist ticked so far.
    fn ticked(&self, check: &Check) -> Vec<FactId> {
        let protocol = &self.dialogues().protocol;
        check
            .ticked
            .iter()
            .filter_map(|key| protocol.fact_id(key))
            .collect()
    }

    async fn advise(&self, session: &Session, assessment: &Assessment) -> Outcome {
        let dialogues = self.dialogues();
        let numbers = self.numbers.clone();
        let text = advice(&dialogues.protocol, self.texts(), assessment, &numbers);
        let text = with_reminder_offer(self.texts(), assessment.level, text);
        let mut rows = Vec::new();
        if offers_reminder(assessment.level) {
            rows.push(self.reminder_offer());
        }
        rows.push(self.after_advice_buttons());
        let sent = self.bot.send_text(self.id(), text, Some(keyboard(rows))).await?;
        log::info!("check finished");
        METRICS.check_finished(assessment.level);
        log::debug!("check finished at level {}", assessment.level.key());
        // Never "try again" after advice, least of all an emergency's: the advice stands.
        self.save_for(
            State::Finished(self.check(session, sent.id)),
            sent.id,
            "bot-advice-unsaved",
        )
        .await
    }

    /// The buttons that stay below the advice.
    pub(super) fn after_advice_buttons(&self) -> Vec<InlineKeyboardButton> {
        vec![
            button(self.texts().plain("btn-start-again"), Control::Again.data()),
            button(self.texts().plain("btn-share-summary"), Control::Summary.data()),
        ]
    }

    pub(super) fn check(&self, session: &Session, message: MessageId) -> Check {
        Check {
            session: session.save(&self.dialogues().protocol),
            language: self.language.code.clone(),
            message_id: Some(message.0),
            ticked: Vec::new(),
        }
    }

    /// Saves the state that a message just sent depends on. When the storage fails, the
    /// message's buttons are taken away (a press on them could not be accepted) and the person
    /// is told with `notice`: the stored check stays as it was, so the question before still
    /// takes its answer. `Err(Unsaved)` tells the caller not to settle that question.
    async fn save_for(&self, state: State, sent: MessageId, notice: &str) -> Outcome {
        if let Err(error) = self.dialogue.update(state).await {
            log::warn!("could not save a chat's check: {error}");
            drop_buttons(self.bot, self.id(), Some(sent.0)).await;
            self.say(notice).await?;
            return Err(Box::new(Unsaved));
        }
        Ok(())
    }

    /// Shows the answered question with its answer and without buttons.
    async fn settle_question(&self, check: &Check, session_before: &Session, option_label: String) {
        if let Step::Ask(question) = session_before.next(&self.dialogues().protocol) {
            let question_text = self
                .texts()
                .plain(&format!("q-{}", self.dialogues().protocol.questions[question].id));
            let text = self.texts().get(
                "bot-answered",
                &[("question", &question_text), ("answer", &option_label)],
            );
            settle_message(self.bot, self.id(), check.message_id, text).await;
        }
    }

    /// An answer pressed: the question shows it, and the next question or the advice follows.
    async fn answer(&self, check: Check, before: Session, after: Session) -> Outcome {
        let label = self.last_answer_label(&after);
        match self.show(after, None).await {
            // Settled only once the answer is saved: until then its buttons still take it.
            Ok(()) => {
                self.settle_question(&check, &before, label).await;
                Ok(())
            }
            Err(error) if error.is::<Unsaved>() => Ok(()),
            Err(error) => Err(error),
        }
    }

    fn last_answer_label(&self, session: &Session) -> String {
        session
            .answers()
            .last()
            .map_or_else(String::new, |&(question, option)| {
                conversation::answer_label(self.dialogues(), self.language, question, option)
            })
    }

    async fn back(&self, check: Check, session: Session) -> Outcome {
        drop_buttons(self.bot, self.id(), check.message_id).await;
        self.show(session, None).await
    }

    async fn typed_during_check(&self, check: Check, text: &str) -> Outcome {
        let Some(before) = self.restore(&check) else {
            return self.no_check().await;
        };
        let mut session = before.clone();
        match conversation::typed(self.dialogues(), self.language, &mut session, text) {
            Turn::Answered(_) => {
                let label = self.last_answer_label(&session);
                self.settle_question(&check, &before, label).await;
                self.show(session, None).await
            }
            Turn::TypedEmergency(_) => {
                drop_buttons(self.bot, self.id(), check.message_id).await;
                self.show(session, Some(())).await
            }
            // Typed words never toggle a checklist item.
            Turn::NotUnderstood(_) | Turn::Toggled(_) => self.nudge(check).await,
            Turn::Stale | Turn::Finished => self.no_check().await,
        }
    }

    fn is_emergency(&self, text: &str) -> bool {
        self.language.typed.emergency_fact(text).is_some()
    }

    /// Outside a check, only an emergency phrase is acted on: with the emergency advice at once.
    async fn typed_outside_check(&self, state: &State, text: &str) -> Outcome {
        match self.language.typed.emergency_fact(text) {
            Some(fact) => {
                if let State::Finished(check) | State::Rechecking(check) = state {
                    drop_buttons(self.bot, self.id(), check.message_id).await;
                }
                let mut session = Session::new();
                session.add_finding(&self.dialogues().protocol, fact);
                self.show(session, Some(())).await
            }
            None => self.no_check().await,
        }
    }

    /// A reply that answers nothing: a short nudge, and the question again (with live buttons
    /// only on the newest copy).
    async fn nudge(&self, check: Check) -> Outcome {
        if self.restore(&check).is_none() {
            return self.no_check().await;
        }
        self.say("bot-nudge").await?;
        self.ask_again(check).await
    }

    /// The current question again, with live buttons only on the newest copy.
    async fn ask_again(&self, check: Check) -> Outcome {
        let Some(session) = self.restore(&check) else {
            return self.no_check().await;
        };
        drop_buttons(self.bot, self.id(), check.message_id).await;
        self.show(session, None).await
    }

    async fn show_picture(&self, check: Check, session: Session, name: &str) -> Outcome {
        self.send_picture(name).await?;
        // Ask again below the picture, so the buttons stay in view.
        drop_buttons(self.bot, self.id(), check.message_id).await;
        self.show(session, None).await
    }

    async fn send_picture(&self, name: &str) -> Outcome {
        let caption = self.texts().plain("bot-glass-caption");
        self.context
            .post(self.bot, self.id(), caption, Some(name), None, None)
            .await?;
        Ok(())
    }

    /// Stores a new language or country for the chat, and confirms it in the chat's language.
    async fn choose(&self, settings: ChatSettings) -> Outcome {
        let saved = self.context.storage.save_settings(self.id().0, &settings).await;
        self.or_tell(saved, "bot-choice-unsaved").await?;
        let language = self.context.language(settings.language.as_deref());
        Ok(groups::confirm_choice(self.bot, self.context, self.id(), language, &settings).await?)
    }

    async fn share_summary(&self, session: &Session) -> Outcome {
        let summary = conversation::summary(self.dialogues(), self.language, session);
        self.send(summary).await
    }
}

/// A button press: the decision, then the action.
impl Chat<'_> {
    /// What a press does, or `None` when its button is stale (an earlier question, a finished
    /// check) or forged. Decided from the press, the state and the message pressed on alone,
    /// without I/O, so that the press can be answered before anything is done.
    fn judge(&self, press: Press, state: State, pressed_on: Option<i32>) -> Option<Action> {
        let current = |check: &Check| check.message_id == pressed_on;
        let dialogues = self.dialogues();
        match (press, state) {
            (Press::Answer { question, option }, State::Checking(check)) if current(&check) => {
                let before = self.restore(&check)?;
                let mut after = before.clone();
                let turn = if self.is_checklist(&question) {
                    let ticked = self.ticked(&check);
                    conversation::press_checklist(dialogues, &mut after, &question, &option, &ticked)
                } else {
                    conversation::press(dialogues, &mut after, &question, &option)
                };
                match turn {
                    Turn::Answered(_) => Some(Action::Answer { check, before, after }),
                    Turn::Toggled(ticked) => Some(Action::Toggle {
                        check,
                        session: before,
                        ticked,
                    }),
                    _ => None,
                }
            }
            (Press::Control(Control::Back), State::Checking(check)) if current(&check) => {
                let mut session = self.restore(&check)?;
                session.back().then_some(Action::Back { check, session })
            }
            (Press::Control(Control::Cancel), State::Checking(check)) if current(&check) => {
                Some(Action::Cancel(check))
            }
            (Press::Control(Control::Picture), State::Checking(check)) if current(&check) => {
                let session = self.restore(&check)?;
                let Step::Ask(question) = session.next(&dialogues.protocol) else {
                    return None;
                };
                let picture = dialogues.protocol.questions[question].picture.clone()?;
                Some(Action::Picture {
                    check,
                    session,
                    picture,
                })
            }
            (Press::Control(Control::Summary), State::Finished(check)) if current(&check) => {
                Some(Action::Summary(self.restore(&check)?))
            }
            (Press::Remind(spec), State::Finished(check)) if current(&check) => {
                let delays = &self.context.reminders.delays;
                let delay = delays.iter().find(|delay| delay.spec == spec)?.clone();
                Some(Action::Remind { check, delay })
            }
            (Press::NoReminder, State::Finished(check)) if current(&check) => Some(Action::NoReminder(check)),
            (Press::CancelReminder(id), _) => Some(Action::CancelReminder(id)),
            (Press::Recheck(found), State::Rechecking(check)) if current(&check) => {
                let previous = self.restore(&check)?;
                Some(Action::Recheck {
                    check,
                    previous,
                    found,
                })
            }
            (Press::Language(code), _) if dialogues.has_language(&code) => {
                Some(Action::Choose(ChatSettings {
                    language: Some(code),
                    ..self.settings.clone()
                }))
            }
            (Press::Country(code), _) => Some(Action::Choose(ChatSettings {
                country: dialogues.known_country(code),
                ..self.settings.clone()
            })),
            (Press::Card(id), _) if dialogues.cards.iter().any(|card| card.id == id) => {
                Some(Action::Card(id))
            }
            (Press::Control(Control::Start | Control::Again), state)
                if !matches!(state, State::Checking(_)) =>
            {
                Some(Action::Start(state))
            }
            _ => None,
        }
    }

    /// `judge`, and for a reminder's cancel button the one fact only the storage knows: whether
    /// the reminder was still pending. It is cancelled here, before the press is answered (a
    /// round trip to the storage, not to Telegram).
    async fn decide(
        &self,
        press: Press,
        state: State,
        pressed_on: Option<i32>,
    ) -> Result<Option<Action>, HandlerError> {
        match self.judge(press, state, pressed_on) {
            Some(Action::CancelReminder(id)) => {
                let cancelled = self.context.storage.cancel_reminder(self.id().0, id).await;
                let cancelled = self.or_tell(cancelled, "bot-reminders-unavailable").await?;
                if cancelled {
                    log::info!("reminder cancelled");
                }
                Ok(cancelled.then_some(Action::CancelReminder(id)))
            }
            decided => Ok(decided),
        }
    }

    /// Does what a press decided, once it is answered.
    async fn act(&self, action: Action, pressed_on: Option<i32>, me: &Me) -> Outcome {
        match action {
            Action::Answer { check, before, after } => self.answer(check, before, after).await,
            Action::Toggle {
                check,
                session,
                ticked,
            } => self.toggle(check, session, ticked).await,
            Action::Back { check, session } => self.back(check, session).await,
            Action::Cancel(check) => self.cancel(&State::Checking(check)).await,
            Action::Picture {
                check,
                session,
                picture,
            } => self.show_picture(check, session, &picture).await,
            Action::Summary(session) => self.share_summary(&session).await,
            Action::Remind { check, delay } => self.schedule_reminder(&check, &delay).await,
            Action::NoReminder(check) => {
                self.decline_reminder(&check).await;
                Ok(())
            }
            Action::CancelReminder(_) => self.update_reminder_list(pressed_on).await,
            Action::Recheck {
                check,
                previous,
                found,
            } => self.recheck(check, previous, found).await,
            Action::Choose(settings) => self.choose(settings).await,
            Action::Card(id) => {
                groups::post_card(self.bot, self.context, self.language, &id, self.id(), None, me).await
            }
            Action::Start(state) => {
                drop_buttons(self.bot, self.id(), pressed_on).await;
                self.start_check(&state).await
            }
        }
    }
}
