//! `spotcheck assess`: one case (or one a line) from standard input to JSON answers.

use std::io::{BufRead, Read, Write};
use std::process::ExitCode;

use crate::batch::{answer, case_from_json_text, InputError};
use crate::content::Dialogues;

/// Exit code for bad input (contract §3).
const BAD_INPUT: u8 = 2;

pub fn run(dialogues: &Dialogues, language: &str, jsonl: bool) -> ExitCode {
    if !dialogues.has_language(language) {
        eprintln!(
            "unknown language `{language}`; available: {}",
            available(dialogues)
        );
        return ExitCode::from(BAD_INPUT);
    }
    let result = if jsonl {
        assess_lines(dialogues, language)
    } else {
        assess_one(dialogues, language)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(BAD_INPUT)
        }
    }
}

fn available(dialogues: &Dialogues) -> String {
    let codes: Vec<&str> = dialogues
        .languages
        .iter()
        .map(|language| language.code.as_str())
        .collect();
    codes.join(", ")
}

fn assess_one(dialogues: &Dialogues, language: &str) -> Result<(), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| format!("cannot read standard input: {error}"))?;
    let case = case_from_json_text(&dialogues.protocol, &input).map_err(describe)?;
    println!("{}", answer(dialogues, language, &case));
    Ok(())
}

/// One answer a line, flushed as it goes; stops at the first bad line so answers stay aligned
/// with the cases.
fn assess_lines(dialogues: &Dialogues, language: &str) -> Result<(), String> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (index, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.map_err(|error| format!("cannot read standard input: {error}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let case = case_from_json_text(&dialogues.protocol, &line)
            .map_err(|error| format!("line {}: {}", index + 1, describe(error)))?;
        writeln!(out, "{}", answer(dialogues, language, &case)).map_err(|error| error.to_string())?;
    }
    Ok(())
}

fn describe(error: InputError) -> String {
    match error.key {
        Some(key) => format!("bad input at key `{key}`: {}", error.message),
        None => format!("bad input: {}", error.message),
    }
}
