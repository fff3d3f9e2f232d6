//! `spotcheck chat`: the same check as the bot, in the terminal, so anyone can try SpotCheck
//! without a Telegram token. Numbers answer, `b` goes back, `q` quits; typed answers and
//! emergency words work as in the bot.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use crate::content::{advice, Dialogues, Language};
use crate::conversation::{self, Turn};
use crate::triage::{QuestionKind, Session, Step};

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
    let mut out = std::io::stdout().lock();
    let mut session = Session::new();
    let _ = writeln!(out, "{}\n", language.texts.plain("chat-intro"));
    loop {
        let question = match session.next(&dialogues.protocol) {
            Step::Done(assessment) => {
                let numbers = language.texts.plain("emergency-numbers");
                let _ = writeln!(
                    out,
                    "{}",
                    advice(&dialogues.protocol, &language.texts, &assessment, &numbers)
                );
                return ExitCode::SUCCESS;
            }
            Step::Ask(question) => question,
        };
        show_question(&mut out, dialogues, language, &session, question);
        let _ = write!(out, "{} ", language.texts.plain("chat-prompt"));
        let _ = out.flush();
        let Some(Ok(line)) = lines.next() else {
            let _ = writeln!(out, "\n{}", language.texts.plain("chat-bye"));
            return ExitCode::SUCCESS;
        };
        if echo {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out);
        match line.trim() {
            "q" | "Q" => {
                let _ = writeln!(out, "{}", language.texts.plain("chat-bye"));
                return ExitCode::SUCCESS;
            }
            "b" | "B" => {
                session.back();
            }
            input => {
                // A checklist takes the numbers of every item that applies ("1 3"), as typed.
                let checklist = dialogues.protocol.questions[question].kind == QuestionKind::Checklist;
                let turn = match input.parse::<usize>() {
                    Ok(number) if !checklist => press_number(dialogues, &mut session, question, number),
                    _ => conversation::typed(dialogues, language, &mut session, input),
                };
                match turn {
                    Turn::TypedEmergency(_) => {
                        let _ = writeln!(out, "{}\n", language.texts.plain("bot-emergency-typed"));
                    }
                    Turn::NotUnderstood(_) | Turn::Stale | Turn::Toggled(_) => {
                        let _ = writeln!(out, "{}\n", language.texts.plain("chat-invalid"));
                    }
                    Turn::Answered(_) | Turn::Finished => {}
                }
            }
        }
    }
}

fn press_number(dialogues: &Dialogues, session: &mut Session, question: usize, number: usize) -> Turn {
    let definition = &dialogues.protocol.questions[question];
    match number
        .checked_sub(1)
        .and_then(|index| definition.options.get(index))
    {
        Some(option) => conversation::press(dialogues, session, &definition.id, option),
        None => Turn::NotUnderstood(question),
    }
}

fn show_question(
    out: &mut impl Write,
    dialogues: &Dialogues,
    language: &Language,
    session: &Session,
    question: usize,
) {
    let _ = writeln!(
        out,
        "{}",
        conversation::question_text(dialogues, language, session, question)
    );
    let labels = conversation::option_labels(dialogues, language, question);
    let definition = &dialogues.protocol.questions[question];
    if definition.kind == QuestionKind::Checklist {
        // The items by number; the terminal takes "1 3", or 0 for none (no done button needed).
        for (index, label) in labels.iter().take(definition.facts.len()).enumerate() {
            let _ = writeln!(out, "  {}) {label}", index + 1);
        }
        let _ = writeln!(out, "{}", language.texts.plain("chat-checklist-hint"));
        return;
    }
    for (index, label) in labels.iter().enumerate() {
        let _ = writeln!(out, "  {}) {label}", index + 1);
    }
}
