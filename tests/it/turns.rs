//! The bot's private-chat behaviour as golden transcripts, without HTTP: each script in
//! `tests/golden/turns/*.in` is a list of things a person does, fed one by one to
//! `conversation::step`, the function the Telegram adapter runs; every reply is written down in
//! `*.txt`. The fake Bot API tests then only need to cover the transport.
//!
//! Script lines: `/command [args]`; `text <words>`; `no-text` (a sticker); `press <data>` (on the
//! message with the current buttons); `press-on <message> <data>` (on an older message);
//! `replayed <data>` (a press flood control already answered); `state unreadable` or
//! `state unavailable` (how the next read of the stored state goes); `reminder-due` (the
//! scheduler sends the re-check reminder of the finished check, as `bot::reminders` does).
//! `#` starts a comment.
//!
//! After an intended change: `UPDATE_GOLDEN=1 cargo test --test it turns::` (read the diff!).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use spotcheck::bot::ReminderDelay;
use spotcheck::content::catalogue::BOT_REMINDER_DUE;
use spotcheck::conversation::{
    recheck_buttons, step, Button, ChatSettings, Check, Command, Input, Keyboard, Reply, Settings, State,
    Work,
};

fn turns_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/turns")
}

/// A private chat as Telegram keeps it: messages are numbered as they are sent, and the stored
/// state follows the saves.
struct Chat {
    stored: State,
    /// The chat's language and country, as the storage keeps them.
    settings: ChatSettings,
    /// The state the next turn reads: the stored one, unless the script says the read fails.
    next_read: Option<State>,
    current: Option<i32>,
    sent: i32,
    transcript: String,
}

/// `/name rest` as the bot reads it.
fn command(line: &str) -> Command {
    let (name, rest) = line[1..].split_once(' ').unwrap_or((&line[1..], ""));
    Command::named(name, rest).unwrap_or_else(|| panic!("not a command: {line}"))
}

impl Chat {
    fn new() -> Chat {
        Chat {
            stored: State::Idle,
            settings: ChatSettings::default(),
            next_read: None,
            current: None,
            sent: 0,
            transcript: String::new(),
        }
    }

    /// One script line: `None` when it only sets up the next turn.
    fn input(&mut self, line: &str) -> Option<Input> {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let press = |data: &str, on: Option<i32>, answered: bool| Input::Press {
            data: data.to_string(),
            on,
            answered,
        };
        Some(match word {
            _ if word.starts_with('/') => Input::Command(command(line)),
            "text" => Input::Text(rest.to_string()),
            "no-text" => Input::NoText,
            "press" => press(rest, self.current, false),
            "replayed" => press(rest, self.current, true),
            "press-on" => {
                let (message, data) = rest.split_once(' ').expect("press-on <message> <data>");
                press(data, Some(message.parse().expect("a message number")), false)
            }
            "reminder-due" => {
                self.reminder_due();
                return None;
            }
            "state" => {
                self.next_read = Some(match rest {
                    "unreadable" => State::Unreadable,
                    "unavailable" => State::Unavailable,
                    other => panic!("unknown state {other}"),
                });
                return None;
            }
            _ => panic!("cannot read the script line: {line}"),
        })
    }

    /// What the scheduler does when a reminder is due: the glass test's picture with the three
    /// re-check answers, and the finished check stored as being re-checked.
    fn reminder_due(&mut self) {
        let State::Finished(check) = self.stored.clone() else {
            panic!(
                "a reminder re-checks a finished check; the chat is {:?}",
                self.stored
            );
        };
        let language = crate::support::dialogues().language(&check.language);
        self.sent += 1;
        self.current = Some(self.sent);
        self.note(&format!(
            "(the scheduler) send #{} with picture glass-test:",
            self.sent
        ));
        self.text(&language.texts.text(BOT_REMINDER_DUE));
        self.buttons(&recheck_buttons(language));
        self.stored = State::Rechecking(Check {
            message_id: Some(self.sent),
            ..check
        });
    }

    fn turn(&mut self, line: &str) {
        let _ = writeln!(self.transcript, "> {line}");
        let Some(input) = self.input(line) else { return };
        let read = self.next_read.take().unwrap_or_else(|| self.stored.clone());
        // As the bot does: the chat's chosen language, its country's emergency numbers.
        let dialogues = crate::support::dialogues();
        let language = dialogues.language(self.settings.language.as_deref().unwrap_or("en"));
        let numbers = dialogues.emergency_numbers(language, self.settings.country.as_deref());
        let delays = ReminderDelay::parse_list("1h,4h").expect("delays");
        let chosen = self.settings.clone();
        let settings = Settings {
            language,
            chat: &chosen,
            numbers: &numbers,
            reminder_delays: &delays,
            state_ttl: Duration::from_secs(24 * 3600),
            bot_username: "spotcheck_test_bot",
        };
        let owed = matches!(input, Input::Press { answered: false, .. });
        let (_, replies) = step(dialogues, &settings, read, input);
        // Every press is answered exactly once: Telegram shows a spinner until then, and
        // refuses a second answer (a press flood control answered on arrival is owed none).
        let answers = replies.iter().filter(|reply| answers_the_press(reply)).count();
        assert_eq!(
            answers,
            usize::from(owed),
            "`{line}` answers its press {answers} times: {replies:#?}"
        );
        self.perform(replies);
        self.transcript.push('\n');
    }

    /// Writes the replies down, as the executor would perform them, every storage call working.
    fn perform(&mut self, replies: Vec<Reply>) {
        let mut sent_current = false;
        for reply in replies {
            match reply {
                Reply::AnswerPress { notice } => {
                    self.note(&format!("answer the press{}", quoted(notice.as_deref())))
                }
                Reply::Send { message, current } => {
                    self.sent += 1;
                    if current {
                        self.current = Some(self.sent);
                    }
                    sent_current |= current;
                    let picture = message
                        .picture
                        .map(|name| format!(" with picture {name}"))
                        .unwrap_or_default();
                    let mark = if current { " (current)" } else { "" };
                    self.note(&format!("send #{}{mark}{picture}:", self.sent));
                    self.text(&message.text);
                    self.buttons(&message.buttons);
                }
                Reply::Edit {
                    message,
                    text,
                    buttons,
                } => {
                    self.note(&format!("edit #{message}:"));
                    self.text(&text);
                    self.buttons(&buttons);
                }
                Reply::SetButtons { message, buttons } if buttons.is_empty() => {
                    self.note(&format!("remove the buttons of #{message}"))
                }
                Reply::SetButtons { message, buttons } => {
                    self.note(&format!("set the buttons of #{message}:"));
                    self.buttons(&buttons);
                }
                Reply::Save { mut state, notice } => {
                    if sent_current {
                        state.point_at(self.current.expect("a current message"));
                    }
                    self.stored = state.clone();
                    let notice = notice.map(|notice| format!(" (if it fails: {})", first_line(&notice)));
                    self.note(&format!(
                        "save {}{}",
                        describe(&state),
                        notice.unwrap_or_default()
                    ));
                }
                Reply::Task { work, .. } => {
                    self.note(&format!("storage: {}", work_name(&work)));
                    if let Work::SaveSettings(settings) = work {
                        self.settings = settings;
                    }
                }
                Reply::Event(event) => self.note(&format!("event: {event:?}")),
            }
        }
    }

    fn note(&mut self, line: &str) {
        let _ = writeln!(self.transcript, "  - {line}");
    }

    fn text(&mut self, text: &str) {
        for line in text.lines() {
            let _ = writeln!(self.transcript, "      | {line}");
        }
    }

    fn buttons(&mut self, keyboard: &Keyboard) {
        for row in keyboard {
            let row: Vec<String> = row
                .iter()
                .map(|button| match button {
                    Button::Press { label, data } => format!("[{label} → {data}]"),
                    Button::Link { label, url } => format!("[{label} ↗ {url}]"),
                })
                .collect();
            let _ = writeln!(self.transcript, "      {}", row.join(" "));
        }
    }
}

/// Whether a reply answers the turn's press: itself, or the storage work that answers it once it
/// knows whether the reminder was still pending.
fn answers_the_press(reply: &Reply) -> bool {
    matches!(
        reply,
        Reply::AnswerPress { .. }
            | Reply::Task {
                work: Work::CancelReminder {
                    answer_press: true,
                    ..
                },
                ..
            }
    )
}

fn quoted(notice: Option<&str>) -> String {
    notice
        .map(|notice| format!(" with “{notice}”"))
        .unwrap_or_default()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn describe(state: &State) -> String {
    match state {
        State::Idle => "idle".into(),
        State::Checking(check) => format!(
            "checking at #{} ({} answers{})",
            check.message_id.unwrap_or(0),
            check.session.answers.len(),
            if check.ticked.is_empty() {
                String::new()
            } else {
                format!(", ticked {}", check.ticked.join(" "))
            }
        ),
        State::Finished(check) => format!("finished at #{}", check.message_id.unwrap_or(0)),
        State::Rechecking(check) => format!("rechecking at #{}", check.message_id.unwrap_or(0)),
        State::Unreadable | State::Unavailable => format!("{state:?}"),
    }
}

fn work_name(work: &Work) -> String {
    match work {
        Work::AddReminder { after, .. } => format!("add a reminder in {} s", after.as_secs()),
        Work::ListReminders { edit } => format!("list the reminders (edit: {edit:?})"),
        Work::CancelReminder {
            id,
            list,
            answer_press,
        } => {
            let answer = if *answer_press {
                ", then answer the press"
            } else {
                ""
            };
            format!("cancel reminder {id} (list: {list:?}){answer}")
        }
        Work::SaveSettings(settings) => format!("save the settings {settings:?}"),
        Work::Forget => "forget the chat".into(),
    }
}

fn transcript(script: &str) -> String {
    let mut chat = Chat::new();
    for line in script.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        chat.turn(line);
    }
    chat.transcript
}

#[test]
fn the_bots_turns_match_their_golden_transcripts() {
    let rerun = "cargo test --test it turns::";
    crate::support::golden::check_folder(&turns_dir(), 5, rerun, |_, script| transcript(script));
}

/// The order the executor relies on: a press is answered before anything else, and an answered
/// question is settled only after the next step is saved (until then its buttons take it).
#[test]
fn a_press_is_answered_first_and_the_question_settled_after_the_save() {
    let script = "/check\npress a:red_flags:none\n";
    let text = transcript(script);
    let turn = text.split("> press").nth(1).expect("the press's turn");
    let position = |needle: &str| {
        turn.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in:\n{turn}"))
    };
    assert!(position("answer the press") < position("send #2"), "{turn}");
    assert!(position("send #2") < position("save checking at #2"), "{turn}");
    assert!(position("save checking at #2") < position("edit #1"), "{turn}");
}

#[test]
fn commands_are_read_by_their_names() {
    assert_eq!(
        Command::named("start", "check"),
        Some(Command::Start { check: true })
    );
    assert_eq!(Command::named("start", ""), Some(Command::Start { check: false }));
    assert_eq!(
        Command::named("start", "check later"),
        Some(Command::Start { check: false })
    );
    assert_eq!(Command::named("reminders", ""), Some(Command::Reminders));
    // Telegram's menu sends them in lowercase; anything else is typed words.
    assert_eq!(Command::named("Check", ""), None);
    assert_eq!(Command::named("weather", ""), None);
}
