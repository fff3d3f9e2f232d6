//! A private chat's turn as a pure function: the chat's state and what the person did in, the
//! new state and the replies out. Telegram's executor (`bot::private`) and the terminal
//! (`cli::chat`) perform the same replies, and the golden transcripts test them without HTTP.
//!
//! No clinical decision is made here: answers go to the triage core (through this module's
//! parent), and the replies show what the core decided.

use std::time::Duration;

use crate::content::{advice, offers_reminder, with_reminder_offer, Dialogues, Language};
use crate::triage::{Assessment, FactId, QuestionKind, RecheckFinding, Session, Step};

use super::callback::{parse_press, recheck_data, remind_data, Control, Press, NO_REMINDER_DATA};
use super::menus::{card_message, choice_confirmation, country_menu, language_menu, learn_menu};
use super::reply::{Button, Event, Keyboard, Message, Reply, Work};
use super::state::{ChatSettings, Check, Choice, ReminderDelay, State};
use super::Turn;
use crate::content::catalogue::{
    Plain, BOT_ADVICE_UNSAVED, BOT_ANSWERED, BOT_CANCELLED, BOT_CHOICE_UNSAVED, BOT_EMERGENCY_TYPED,
    BOT_FORGET_FAILED, BOT_FORGOTTEN, BOT_GLASS_CAPTION, BOT_HELP, BOT_NO_CHECK, BOT_NUDGE, BOT_PRIVACY,
    BOT_RECHECK_WORSE, BOT_REMINDERS_UNAVAILABLE, BOT_REMINDER_LIMIT, BOT_REMINDER_SET, BOT_STALE_BUTTON,
    BOT_STATE_RESET, BOT_STORAGE_UNAVAILABLE, BOT_WELCOME, BTN_BACK, BTN_CANCEL, BTN_GLASS_PICTURE,
    BTN_ITEM_TICKED, BTN_ITEM_UNTICKED, BTN_NO_REMINDER, BTN_RECHECK_FADES, BTN_RECHECK_STAYS,
    BTN_RECHECK_WORSE, BTN_REMIND, BTN_SHARE_SUMMARY, BTN_START_AGAIN, BTN_START_CHECK,
};

/// What the person did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Command(Command),
    /// A message with text that is not a command.
    Text(String),
    /// A message without text: a sticker, a photo, a voice note.
    NoText,
    /// A button pressed: its data, and the message it is on. `answered`: flood control already
    /// answered the press when it held it back, so it must not be answered again.
    Press {
        data: String,
        on: Option<i32>,
        answered: bool,
    },
}

/// The private chat's commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `/start`, or `/start check` from the deep link (contract §6).
    Start {
        check: bool,
    },
    Check,
    Restart,
    Cancel,
    Help,
    Privacy,
    Forget,
    Learn,
    Language,
    Country,
    Reminders,
}

impl Command {
    /// A command by its name (`check` for `/check`) and what follows it; `None` for a name that
    /// is not one of the private chat's commands.
    pub fn named(name: &str, rest: &str) -> Option<Command> {
        Some(match name {
            // The deep link `t.me/<bot>?start=check` arrives as `/start check` (contract §6).
            "start" => Command::Start {
                check: rest.trim() == "check",
            },
            "check" => Command::Check,
            "restart" => Command::Restart,
            "cancel" => Command::Cancel,
            "help" => Command::Help,
            "privacy" => Command::Privacy,
            "forget" => Command::Forget,
            "learn" => Command::Learn,
            "language" => Command::Language,
            "country" => Command::Country,
            "reminders" => Command::Reminders,
            _ => return None,
        })
    }

    /// Whether the command reads or replaces the chat's stored check (so cannot run while the
    /// storage is away); the others only show texts, or (/forget) try and say how it went.
    fn needs_state(&self) -> bool {
        !matches!(
            self,
            Command::Help
                | Command::Privacy
                | Command::Learn
                | Command::Language
                | Command::Country
                | Command::Forget
        )
    }
}

/// What a turn needs to know about the chat and the deployment.
pub struct Settings<'a> {
    /// The chat's chosen language, else the person's, else the default.
    pub language: &'a Language,
    pub chat: &'a ChatSettings,
    /// The emergency numbers the advice names: the chat's country's, or the common ones.
    pub numbers: &'a str,
    /// The re-check delays offered below advice that is not an emergency.
    pub reminder_delays: &'a [ReminderDelay],
    /// How long an idle check is kept (`SPOTCHECK_STATE_TTL`), for /privacy.
    pub state_ttl: Duration,
    /// For the link below a card that opens this chat.
    pub bot_username: &'a str,
}

/// One turn: the state after it, and the replies, in the order they are to be performed.
pub fn step(dialogues: &Dialogues, settings: &Settings, state: State, input: Input) -> (State, Vec<Reply>) {
    let mut turn = Replies {
        dialogues,
        settings,
        state: state.clone(),
        replies: Vec::new(),
    };
    match input {
        Input::Command(command) => turn.command(command, state),
        Input::Text(text) => turn.message(Some(&text), state),
        Input::NoText => turn.message(None, state),
        Input::Press { data, on, answered } => turn.press(&data, on, answered, state),
    }
    (turn.state, turn.replies)
}

/// A turn being worked out: the state so far and the replies so far.
struct Replies<'a> {
    dialogues: &'a Dialogues,
    settings: &'a Settings<'a>,
    state: State,
    replies: Vec<Reply>,
}

/// What a current button press does.
enum Action {
    /// An answer to the current question: the session before it, and with it.
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
    CancelReminder(i64),
    /// The answer to a reminder's re-check, and the finished check it revises.
    Recheck {
        check: Check,
        previous: Session,
        found: RecheckFinding,
    },
    Choose(Choice),
    Card(String),
    /// "Start a check" or "Start again", outside a check.
    Start(State),
}

/// The entry points: a command, a message, a press.
impl Replies<'_> {
    fn command(&mut self, command: Command, state: State) {
        let state = match state {
            State::Unavailable if command.needs_state() => return self.say(BOT_STORAGE_UNAVAILABLE),
            // The other commands do not use the check, and must not reset the stored one.
            State::Unavailable => State::Idle,
            state => self.recover(state).0,
        };
        match command {
            Command::Start { check: true } | Command::Check | Command::Restart => self.start_check(&state),
            Command::Start { check: false } => self.welcome(),
            Command::Cancel => self.cancel(&state),
            Command::Help => self.say(BOT_HELP),
            Command::Privacy => {
                // Rounded up: the text promises "at the latest".
                let hours = self
                    .settings
                    .state_ttl
                    .as_secs()
                    .div_ceil(3600)
                    .max(1)
                    .to_string();
                self.send(self.texts().with(BOT_PRIVACY, [&hours]));
            }
            Command::Forget => self.forget(&state),
            Command::Learn => self.send_message(learn_menu(self.settings.language)),
            Command::Language => self.send_message(language_menu(self.dialogues, self.settings.language)),
            Command::Country => self.send_message(country_menu(self.dialogues, self.settings.language)),
            Command::Reminders => self.task(Work::ListReminders { edit: None }, BOT_REMINDERS_UNAVAILABLE),
        }
    }

    fn message(&mut self, text: Option<&str>, state: State) {
        if state == State::Unavailable {
            // An emergency phrase still gets the emergency advice; anything else is told to
            // try again in a moment.
            return match text {
                Some(text) if self.is_emergency(text) => self.typed_outside_check(&State::Idle, text),
                _ => self.say(BOT_STORAGE_UNAVAILABLE),
            };
        }
        let (state, session) = self.recover(state);
        match (text, state) {
            (Some(text), State::Checking(check)) => self.typed_during_check(check, session, text),
            (Some(text), state @ State::Rechecking(_)) if self.is_emergency(text) => {
                self.typed_outside_check(&state, text)
            }
            (_, State::Rechecking(_)) => self.say(BOT_NUDGE),
            (Some(text), state) => self.typed_outside_check(&state, text),
            (None, State::Checking(check)) => self.nudge(check, session),
            (None, _) => self.no_check(),
        }
    }

    /// Whether a press acts is decided first, from the press, the state and the message pressed
    /// on; the press is answered at once (the person's client shows a spinner until then), and
    /// only then does the bot do what it asks.
    fn press(&mut self, data: &str, on: Option<i32>, answered: bool, state: State) {
        if state == State::Unavailable {
            // Nothing can be decided without the check: the press changes nothing, and the
            // person can press it again once the storage answers.
            let notice = self.texts().text(BOT_STORAGE_UNAVAILABLE);
            if !answered {
                self.replies.push(Reply::AnswerPress {
                    notice: Some(notice.clone()),
                });
            }
            return self.send(notice);
        }
        let (state, session, readable) = match self.open(state) {
            Some((state, session)) => (state, session, true),
            None => (State::Idle, None, false),
        };
        let action = self.judge(parse_press(data), state.clone(), session.clone(), on);
        if let Some(Action::CancelReminder(id)) = action {
            // Only the storage knows whether it was still pending: it answers the press.
            let work = Work::CancelReminder {
                id,
                list: on,
                answer_press: !answered,
            };
            return self.task(work, BOT_REMINDERS_UNAVAILABLE);
        }
        if !answered {
            let notice = action.is_none().then(|| self.texts().text(BOT_STALE_BUTTON));
            self.replies.push(Reply::AnswerPress { notice });
        }
        if !readable {
            self.reset();
        }
        match (action, state) {
            (Some(action), _) => self.act(action, on),
            // A press held back by flood control was answered then; replayed now the chat is
            // calm, it no longer acts, so the bot carries on with the current question.
            (None, State::Checking(check)) if answered => self.ask_again(check, session),
            (None, _) => {}
        }
    }
}

/// Deciding a press.
impl Replies<'_> {
    /// What a press does, or `None` when its button is stale (an earlier question, a finished
    /// check) or forged. `session` is the state's check, restored.
    fn judge(&self, press: Press, state: State, session: Option<Session>, on: Option<i32>) -> Option<Action> {
        let current = |check: &Check| check.message_id == on;
        let dialogues = self.dialogues;
        match (press, state) {
            (Press::Answer { question, option }, State::Checking(check)) if current(&check) => {
                let before = session?;
                let mut after = before.clone();
                let turn = if self.is_checklist(&question) {
                    let ticked = self.ticked(&check);
                    super::press_checklist(dialogues, &mut after, &question, &option, &ticked)
                } else {
                    super::press(dialogues, &mut after, &question, &option)
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
                let mut session = session?;
                session.back().then_some(Action::Back { check, session })
            }
            (Press::Control(Control::Cancel), State::Checking(check)) if current(&check) => {
                Some(Action::Cancel(check))
            }
            (Press::Control(Control::Picture), State::Checking(check)) if current(&check) => {
                let session = session?;
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
                Some(Action::Summary(session?))
            }
            (Press::Remind(spec), State::Finished(check)) if current(&check) => {
                let delays = self.settings.reminder_delays;
                let delay = delays.iter().find(|delay| delay.spec == spec)?.clone();
                Some(Action::Remind { check, delay })
            }
            (Press::NoReminder, State::Finished(check)) if current(&check) => Some(Action::NoReminder(check)),
            (Press::CancelReminder(id), _) => Some(Action::CancelReminder(id)),
            (Press::Recheck(found), State::Rechecking(check)) if current(&check) => {
                let previous = session?;
                Some(Action::Recheck {
                    check,
                    previous,
                    found,
                })
            }
            (Press::Language(code), _) if dialogues.has_language(&code) => {
                Some(Action::Choose(Choice::Language(code)))
            }
            (Press::Country(code), _) => Some(Action::Choose(Choice::Country(dialogues.known_country(code)))),
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

    /// Does what a press decided, once it is answered.
    fn act(&mut self, action: Action, on: Option<i32>) {
        match action {
            Action::Answer { check, before, after } => self.answer(check, &before, after),
            Action::Toggle {
                check,
                session,
                ticked,
            } => self.toggle(check, &session, &ticked),
            Action::Back { check, session } => {
                self.drop_buttons(check.message_id);
                self.show(session, false);
            }
            Action::Cancel(check) => self.cancel(&State::Checking(check)),
            Action::Picture {
                check,
                session,
                picture,
            } => {
                self.replies.push(Reply::Send {
                    message: Message {
                        text: self.texts().text(BOT_GLASS_CAPTION),
                        buttons: Vec::new(),
                        picture: Some(picture),
                    },
                    current: false,
                });
                // Asked again below the picture, so the buttons stay in view.
                self.drop_buttons(check.message_id);
                self.show(session, false);
            }
            Action::Summary(session) => {
                let summary = super::summary(self.dialogues, self.settings.language, &session);
                self.send(summary);
            }
            Action::Remind { check, delay } => self.remind(&check, &delay),
            Action::NoReminder(check) => self.take_reminder_offer_away(&check),
            // Handed to the storage in `press`.
            Action::CancelReminder(_) => {}
            Action::Recheck {
                check,
                previous,
                found,
            } => {
                self.drop_buttons(check.message_id);
                self.replies.push(Reply::Event(Event::RecheckAnswered));
                if found == RecheckFinding::Worse {
                    self.say(BOT_RECHECK_WORSE);
                }
                self.show(previous.rechecked(&self.dialogues.protocol, found), false);
            }
            Action::Choose(choice) => {
                let chosen = choice.applied_to(self.settings.chat);
                let if_failed = vec![self.notice(BOT_CHOICE_UNSAVED)];
                self.replies.push(Reply::Task {
                    work: Work::SaveSettings(chosen.clone()),
                    if_failed,
                });
                // Confirmed in the language chosen.
                let language = self
                    .dialogues
                    .language(chosen.language.as_deref().unwrap_or(&self.settings.language.code));
                self.send_message(choice_confirmation(self.dialogues, language, &choice));
            }
            Action::Card(id) => {
                let card = card_message(
                    self.dialogues,
                    self.settings.language,
                    &id,
                    self.settings.bot_username,
                );
                if let Some(card) = card {
                    self.send_message(card);
                }
            }
            Action::Start(state) => {
                self.drop_buttons(on);
                self.start_check(&state);
            }
        }
    }
}

/// The check: starting it, asking, advising, and what typed words do.
impl Replies<'_> {
    fn start_check(&mut self, state: &State) {
        if let State::Checking(check) = state {
            self.drop_buttons(check.message_id);
        }
        self.replies.push(Reply::Event(Event::CheckStarted));
        self.show(Session::new(), false);
    }

    /// Shows where a session stands: its next question, or its advice.
    fn show(&mut self, session: Session, typed_emergency: bool) {
        match session.next(&self.dialogues.protocol) {
            Step::Ask(question) => self.ask(&session, question),
            Step::Done(assessment) => {
                if typed_emergency {
                    self.say(BOT_EMERGENCY_TYPED);
                }
                self.advise(&session, &assessment);
            }
        }
    }

    fn ask(&mut self, session: &Session, question: usize) {
        let text = super::question_text(self.dialogues, self.settings.language, session, question);
        let buttons = self.question_buttons(session, question, &[]);
        self.send_current(Message::with_buttons(text, buttons));
        self.save(State::Checking(self.check(session)), BOT_STORAGE_UNAVAILABLE);
    }

    fn advise(&mut self, session: &Session, assessment: &Assessment) {
        let texts = self.texts();
        let text = advice(&self.dialogues.protocol, texts, assessment, self.settings.numbers);
        // Offered only where reminders can be kept (the terminal keeps none).
        let reminder = offers_reminder(assessment.level) && !self.settings.reminder_delays.is_empty();
        let mut rows = Vec::new();
        let text = if reminder {
            rows.push(self.reminder_offer());
            with_reminder_offer(texts, assessment.level, text)
        } else {
            text
        };
        rows.push(self.after_advice_buttons());
        self.send_current(Message::with_buttons(text, rows));
        self.replies
            .push(Reply::Event(Event::CheckFinished(assessment.level)));
        // Never "try again" after advice, least of all an emergency's: the advice stands.
        self.save(State::Finished(self.check(session)), BOT_ADVICE_UNSAVED);
    }

    /// An answer pressed: the next question or the advice, and once that is saved the question
    /// answered shows its answer (until then its buttons still take it).
    fn answer(&mut self, check: Check, before: &Session, after: Session) {
        let label = self.last_answer_label(&after);
        self.show(after, false);
        self.settle(&check, before, label);
    }

    /// Shows the answered question with its answer and without buttons.
    fn settle(&mut self, check: &Check, before: &Session, answer: String) {
        let (Step::Ask(question), Some(message)) = (before.next(&self.dialogues.protocol), check.message_id)
        else {
            return;
        };
        let question_text = self
            .texts()
            .plain(&format!("q-{}", self.dialogues.protocol.questions[question].id));
        let text = self.texts().with(BOT_ANSWERED, [&question_text, &answer]);
        self.replies.push(Reply::Edit {
            message,
            text,
            buttons: Vec::new(),
        });
    }

    /// A checklist item ticked or unticked: the ticks are saved, then the keyboard shows them.
    fn toggle(&mut self, check: Check, session: &Session, ticked: &[FactId]) {
        let Step::Ask(question) = session.next(&self.dialogues.protocol) else {
            return;
        };
        let protocol = &self.dialogues.protocol;
        let message = check.message_id;
        let ticked_keys = ticked
            .iter()
            .map(|&fact| protocol.facts[fact].key.clone())
            .collect();
        let state = State::Checking(Check {
            ticked: ticked_keys,
            ..check
        });
        self.save(state, BOT_STORAGE_UNAVAILABLE);
        if let Some(message) = message {
            let buttons = self.question_buttons(session, question, ticked);
            self.replies.push(Reply::SetButtons { message, buttons });
        }
    }

    fn typed_during_check(&mut self, check: Check, session: Option<Session>, text: &str) {
        let Some(before) = session else {
            return self.no_check();
        };
        let mut session = before.clone();
        match super::typed(self.dialogues, self.settings.language, &mut session, text) {
            Turn::Answered(_) => {
                let label = self.last_answer_label(&session);
                self.show(session, false);
                self.settle(&check, &before, label);
            }
            Turn::TypedEmergency(_) => {
                self.drop_buttons(check.message_id);
                self.show(session, true);
            }
            // Typed words never toggle a checklist item.
            Turn::NotUnderstood(_) | Turn::Toggled(_) => self.nudge(check, Some(before)),
            Turn::Stale | Turn::Finished => self.no_check(),
        }
    }

    /// Outside a check, only an emergency phrase is acted on: with the emergency advice at once.
    fn typed_outside_check(&mut self, state: &State, text: &str) {
        let Some(fact) = self.settings.language.typed.emergency_fact(text) else {
            return self.no_check();
        };
        if let State::Finished(check) | State::Rechecking(check) = state {
            self.drop_buttons(check.message_id);
        }
        let mut session = Session::new();
        session.add_finding(&self.dialogues.protocol, fact);
        self.show(session, true);
    }

    /// A reply that answers nothing: a short nudge, and the question again.
    fn nudge(&mut self, check: Check, session: Option<Session>) {
        if session.is_none() {
            return self.no_check();
        }
        self.say(BOT_NUDGE);
        self.ask_again(check, session);
    }

    /// The current question again, with live buttons only on the newest copy.
    fn ask_again(&mut self, check: Check, session: Option<Session>) {
        let Some(session) = session else {
            return self.no_check();
        };
        self.drop_buttons(check.message_id);
        self.show(session, false);
    }

    fn cancel(&mut self, state: &State) {
        if let State::Checking(check) = state {
            self.drop_buttons(check.message_id);
        }
        self.save(State::Idle, BOT_STORAGE_UNAVAILABLE);
        self.say(BOT_CANCELLED);
    }

    fn forget(&mut self, state: &State) {
        self.task(Work::Forget, BOT_FORGET_FAILED);
        // Only now: if nothing was deleted, the check's buttons still work.
        self.drop_buttons(state.check().and_then(|check| check.message_id));
        self.state = State::Idle;
        self.say(BOT_FORGOTTEN);
    }

    fn welcome(&mut self) {
        let text = self.texts().with(BOT_WELCOME, [self.settings.numbers]);
        let start = vec![vec![self.control(BTN_START_CHECK, Control::Start)]];
        self.send_message(Message::with_buttons(text, start));
    }

    fn no_check(&mut self) {
        let start = vec![vec![self.control(BTN_START_CHECK, Control::Start)]];
        self.send_message(Message::with_buttons(self.texts().text(BOT_NO_CHECK), start));
    }
}

/// Reminders offered below advice.
impl Replies<'_> {
    fn reminder_offer(&self) -> Vec<Button> {
        let mut row: Vec<Button> = self
            .settings
            .reminder_delays
            .iter()
            .map(|delay| {
                Button::press(
                    self.texts().with(BTN_REMIND, [&self.delay_text(delay)]),
                    remind_data(&delay.spec),
                )
            })
            .collect();
        row.push(Button::press(
            self.texts().text(BTN_NO_REMINDER),
            NO_REMINDER_DATA,
        ));
        row
    }

    /// The buttons that stay below the advice.
    fn after_advice_buttons(&self) -> Vec<Button> {
        vec![
            self.control(BTN_START_AGAIN, Control::Again),
            self.control(BTN_SHARE_SUMMARY, Control::Summary),
        ]
    }

    /// "Remind me in 4 h": the reminder is stored with the finished check, the offer is taken
    /// off the advice, and the reminder confirmed.
    fn remind(&mut self, check: &Check, delay: &ReminderDelay) {
        let count = super::MAX_PENDING_REMINDERS.to_string();
        let full = self.texts().with(BOT_REMINDER_LIMIT, [&count]);
        let work = Work::AddReminder {
            session: check.session.clone(),
            language: check.language.clone(),
            after: delay.duration,
            if_full: vec![Reply::Send {
                message: Message::text(full),
                current: false,
            }],
        };
        self.task(work, BOT_REMINDERS_UNAVAILABLE);
        self.take_reminder_offer_away(check);
        self.send(self.texts().with(BOT_REMINDER_SET, [&self.delay_text(delay)]));
    }

    fn delay_text(&self, delay: &ReminderDelay) -> String {
        super::amount_text(self.texts(), delay.amount, delay.unit)
    }

    fn take_reminder_offer_away(&mut self, check: &Check) {
        if let Some(message) = check.message_id {
            let buttons = vec![self.after_advice_buttons()];
            self.replies.push(Reply::SetButtons { message, buttons });
        }
    }
}

/// The re-check's answer buttons, below a reminder.
pub fn recheck_buttons(language: &Language) -> Keyboard {
    let answer =
        |found: RecheckFinding, text: Plain| Button::press(language.texts.text(text), recheck_data(found));
    vec![
        vec![
            answer(RecheckFinding::StillFades, BTN_RECHECK_FADES),
            answer(RecheckFinding::NoLongerFades, BTN_RECHECK_STAYS),
        ],
        vec![answer(RecheckFinding::Worse, BTN_RECHECK_WORSE)],
    ]
}

/// Small pieces.
impl Replies<'_> {
    fn texts(&self) -> &crate::content::Texts {
        &self.settings.language.texts
    }

    fn send_message(&mut self, message: Message) {
        self.replies.push(Reply::Send {
            message,
            current: false,
        });
    }

    fn send_current(&mut self, message: Message) {
        self.replies.push(Reply::Send {
            message,
            current: true,
        });
    }

    fn send(&mut self, text: String) {
        self.send_message(Message::text(text));
    }

    fn say(&mut self, text: Plain) {
        self.send(self.texts().text(text));
    }

    fn notice(&self, text: Plain) -> Reply {
        Reply::Send {
            message: Message::text(self.texts().text(text)),
            current: false,
        }
    }

    /// Storage work; when it fails, the person is told `notice` and the turn stops.
    fn task(&mut self, work: Work, notice: Plain) {
        let if_failed = vec![self.notice(notice)];
        self.replies.push(Reply::Task { work, if_failed });
    }

    /// Stores `state` as the chat's state; `notice` is what the person is told if that fails.
    fn save(&mut self, state: State, notice: Plain) {
        let notice = Some(self.texts().text(notice));
        self.state = state.clone();
        self.replies.push(Reply::Save { state, notice });
    }

    fn drop_buttons(&mut self, message: Option<i32>) {
        if let Some(message) = message {
            self.replies.push(Reply::SetButtons {
                message,
                buttons: Vec::new(),
            });
        }
    }

    fn control(&self, label: Plain, control: Control) -> Button {
        Button::press(self.texts().text(label), control.data())
    }

    fn is_emergency(&self, text: &str) -> bool {
        self.settings.language.typed.emergency_fact(text).is_some()
    }

    /// The state with its check's answers replayed into a session (once per turn), or `None`
    /// when this build cannot continue it: saved by an older build, or not read at all.
    fn open(&self, state: State) -> Option<(State, Option<Session>)> {
        let session = match &state {
            State::Unreadable | State::Unavailable => return None,
            State::Idle => None,
            State::Checking(check) | State::Finished(check) | State::Rechecking(check) => {
                Some(Session::restore(&self.dialogues.protocol, &check.session).ok()?)
            }
        };
        Some((state, session))
    }

    /// A state this build cannot continue is reset with an apology, never ignored (#1156).
    fn recover(&mut self, state: State) -> (State, Option<Session>) {
        self.open(state).unwrap_or_else(|| {
            self.reset();
            (State::Idle, None)
        })
    }

    /// Tells the person their saved check could not be continued, and deletes it. Told first:
    /// if the storage is what failed, deleting may fail too (then it is only logged).
    fn reset(&mut self) {
        self.replies.push(Reply::Event(Event::CheckReset));
        self.say(BOT_STATE_RESET);
        self.state = State::Idle;
        self.replies.push(Reply::Save {
            state: State::Idle,
            notice: None,
        });
    }

    /// The check as saved, pointed at its message by the executor once it is sent.
    fn check(&self, session: &Session) -> Check {
        Check {
            session: session.save(&self.dialogues.protocol),
            language: self.settings.language.code.clone(),
            message_id: None,
            ticked: Vec::new(),
        }
    }

    fn last_answer_label(&self, session: &Session) -> String {
        session
            .answers()
            .last()
            .map_or_else(String::new, |&(question, option)| {
                super::answer_label(self.dialogues, self.settings.language, question, option)
            })
    }

    /// Whether a question id names a checklist.
    fn is_checklist(&self, question: &str) -> bool {
        let protocol = &self.dialogues.protocol;
        protocol
            .question_id(question)
            .is_some_and(|question| protocol.questions[question].kind == QuestionKind::Checklist)
    }

    /// The items of the current checklist ticked so far.
    fn ticked(&self, check: &Check) -> Vec<FactId> {
        let protocol = &self.dialogues.protocol;
        check
            .ticked
            .iter()
            .filter_map(|key| protocol.fact_id(key))
            .collect()
    }

    /// A question's buttons: its answers (a checklist's items show ✅ when ticked), the glass
    /// test's picture where it has one, then back and cancel.
    fn question_buttons(&self, session: &Session, question: usize, ticked: &[FactId]) -> Keyboard {
        let dialogues = self.dialogues;
        let definition = &dialogues.protocol.questions[question];
        let labels = super::option_labels(dialogues, self.settings.language, question);
        let answers: Vec<Button> = labels
            .into_iter()
            .zip(&definition.buttons)
            .enumerate()
            .map(|(index, (label, key))| {
                let item = definition
                    .facts
                    .get(index)
                    .filter(|_| definition.kind == QuestionKind::Checklist);
                let label = match item {
                    Some(fact) if ticked.contains(fact) => self.texts().with(BTN_ITEM_TICKED, [&label]),
                    Some(_) => self.texts().with(BTN_ITEM_UNTICKED, [&label]),
                    None => label,
                };
                Button::press(label, super::callback::answer_data(&definition.id, key))
            })
            .collect();
        let mut rows: Keyboard = match definition.kind {
            // Items one per row; then Done; then "none of these" and "not sure" side by side.
            QuestionKind::Checklist => {
                let mut answers = answers;
                let tail = answers.split_off(definition.facts.len());
                let mut rows: Keyboard = answers.into_iter().map(|item| vec![item]).collect();
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
            rows.push(vec![self.control(BTN_GLASS_PICTURE, Control::Picture)]);
        }
        let mut controls = Vec::new();
        if !session.answers().is_empty() {
            controls.push(self.control(BTN_BACK, Control::Back));
        }
        controls.push(self.control(BTN_CANCEL, Control::Cancel));
        rows.push(controls);
        rows
    }
}
