//! `spotcheck chat`: the same check as the bot, in the terminal, so anyone can try SpotCheck
//! without a Telegram token. Each line is a turn of `conversation::step`, the function the bot
//! runs, and its replies are printed: the terminal and Telegram cannot drift apart. A number
//! presses that answer's button, `b` presses "back", `q` quits; anything else is typed words.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use crate::content::catalogue::{CHAT_BYE, CHAT_CHECKLIST_HINT, CHAT_INTRO, CHAT_PROMPT, EMERGENCY_NUMBERS};
use crate::content::{Dialogues, Language};
use crate::conversation::{
    option_labels, parse_press, step, Button, ChatSettings, Command, Control, Input, Keyboard, Press, Reply,
    Settings, State,
};
use crate::triage::{QuestionId, QuestionKind, Session, Step};

pub fn run(dialogues: &Dialogues, language: &str) -> ExitCode {
    if !dialogues.has_language(language) {
        eprintln!("unknown language `{language}`");
        return ExitCode::from(2);
    }
    let language = dialogues.language(language);
    let stdin = std::io::stdin();
    // When the answers come from a file or another program, show them, so a transcript reads
    // like the conversation it was.
    let echo = !stdin.is_terminal();
    let mut lines = stdin.lock().lines();
    let mut terminal = Terminal {
        dialogues,
        language,
        out: std::io::stdout().lock(),
        state: State::Idle,
        current: None,
        buttons: Vec::new(),
        sent: 0,
    };
    terminal.print(&language.texts.text(CHAT_INTRO));
    terminal.turn(Input::Command(Command::Check));
    while matches!(terminal.state, State::Checking(_)) {
        let _ = write!(terminal.out, "{} ", language.texts.text(CHAT_PROMPT));
        let _ = terminal.out.flush();
        let Some(Ok(line)) = lines.next() else {
            let _ = writeln!(terminal.out);
            terminal.print(&language.texts.text(CHAT_BYE));
            return ExitCode::SUCCESS;
        };
        if echo {
            let _ = writeln!(terminal.out, "{line}");
        }
        let _ = writeln!(terminal.out);
        if line.trim().eq_ignore_ascii_case("q") {
            terminal.print(&language.texts.text(CHAT_BYE));
            return ExitCode::SUCCESS;
        }
        let input = terminal.input(line.trim());
        terminal.turn(input);
    }
    ExitCode::SUCCESS
}

/// The terminal as a chat: it numbers the messages it prints, as Telegram does, so a press
/// names the message it is on.
struct Terminal<'a, W: Write> {
    dialogues: &'a Dialogues,
    language: &'a Language,
    out: W,
    state: State,
    /// The message with the current question, and its buttons: a line presses only a button
    /// the person could press in Telegram.
    current: Option<i32>,
    buttons: Keyboard,
    sent: i32,
}

impl<W: Write> Terminal<'_, W> {
    fn turn(&mut self, input: Input) {
        // The terminal keeps no reminders, and has no country setting: the common numbers.
        let numbers = self.language.texts.text(EMERGENCY_NUMBERS);
        let settings = Settings {
            language: self.language,
            chat: &ChatSettings::default(),
            numbers: &numbers,
            reminder_delays: &[],
            state_ttl: Duration::ZERO,
            bot_username: "",
        };
        let (mut state, replies) = step(self.dialogues, &settings, self.state.clone(), input);
        let before = self.sent;
        self.perform(replies);
        // Kept in memory, as the bot would store it: pointed at the question just printed.
        if let Some(current) = self.current.filter(|&current| current > before) {
            state.point_at(current);
        }
        self.state = state;
    }

    /// Prints what a turn sends. Nothing is stored, and old messages cannot be edited here.
    fn perform(&mut self, replies: Vec<Reply>) {
        for reply in replies {
            match reply {
                Reply::AnswerPress { notice: Some(notice) } => self.print(&notice),
                Reply::Send { message, current } => {
                    self.sent += 1;
                    if !current {
                        self.print(&message.text);
                        continue;
                    }
                    // The question (its answers follow with its save, then the prompt) or the
                    // advice.
                    let _ = writeln!(self.out, "{}", message.text);
                    self.current = Some(self.sent);
                    self.buttons = message.buttons;
                }
                // No storage here: the work cannot be done, and the turn says so.
                Reply::Task { if_failed, .. } => return self.perform(if_failed),
                Reply::AnswerPress { notice: None }
                | Reply::Edit { .. }
                | Reply::SetButtons { .. }
                | Reply::Event(_) => {}
                // The state the question just printed is saved with: its answers.
                Reply::Save { state, .. } => {
                    if self.current == Some(self.sent) {
                        self.print_answers(&state);
                    }
                }
            }
        }
    }

    /// The current question's answers, numbered. A checklist takes the numbers of every item
    /// that applies ("1 3"), typed, so its done button is not needed.
    fn print_answers(&mut self, state: &State) {
        let Some(question) = self.question_of(state) else {
            return;
        };
        let definition = &self.dialogues.protocol.questions[question];
        let labels = option_labels(self.dialogues, self.language, question);
        let checklist = definition.kind == QuestionKind::Checklist;
        let shown = if checklist {
            definition.facts.len()
        } else {
            labels.len()
        };
        for (index, label) in labels.iter().take(shown).enumerate() {
            let _ = writeln!(self.out, "  {}) {label}", index + 1);
        }
        if checklist {
            let _ = writeln!(self.out, "{}", self.language.texts.text(CHAT_CHECKLIST_HINT));
        }
    }

    /// A line as what the person did: a number presses that answer's button, `b` the back
    /// button, when the current question has them; the rest (a checklist's "1 3") is typed.
    fn input(&self, line: &str) -> Input {
        let pressable: Vec<&str> = self
            .buttons
            .iter()
            .flatten()
            .filter_map(|button| match button {
                Button::Press { data, .. } => Some(data.as_str()),
                Button::Link { .. } => None,
            })
            .collect();
        let back = Control::Back.data();
        let checklist = self.question_of(&self.state).is_some_and(|question| {
            self.dialogues.protocol.questions[question].kind == QuestionKind::Checklist
        });
        let answers: Vec<&str> = pressable
            .iter()
            .copied()
            .filter(|data| matches!(parse_press(data), Press::Answer { .. }))
            .collect();
        let data = match line.parse::<usize>() {
            _ if line.eq_ignore_ascii_case("b") => pressable.iter().copied().find(|&data| data == back),
            Ok(number) if !checklist => number
                .checked_sub(1)
                .and_then(|index| answers.get(index).copied()),
            _ => None,
        };
        match data {
            Some(data) => Input::Press {
                data: data.to_string(),
                on: self.current,
                answered: false,
            },
            None => Input::Text(line.to_string()),
        }
    }

    /// The question a state waits for an answer to.
    fn question_of(&self, state: &State) -> Option<QuestionId> {
        let State::Checking(check) = state else {
            return None;
        };
        let session = Session::restore(&self.dialogues.protocol, &check.session).ok()?;
        match session.next(&self.dialogues.protocol) {
            Step::Ask(question) => Some(question),
            Step::Done(_) => None,
        }
    }

    fn print(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}\n");
    }
}
