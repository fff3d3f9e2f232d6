//! What the chat front ends (Telegram and the terminal) share: turning what a person did (a button,
//! typed words) into a step of the triage `Session`, and the texts that show a question.
//!
//! No clinical decision is made here: answers go to the core, and the core decides.

use crate::content::{option_label_id, Dialogues, Language, YesNo};
use crate::triage::{FactKind, QuestionId, QuestionKind, Session, Step};

/// The outcome of one thing the person did.
#[derive(Clone, Debug, PartialEq)]
pub enum Turn {
    /// The answer was taken; show the step.
    Answered(Step),
    /// Typed words signalled an emergency: the step is the emergency advice.
    TypedEmergency(Step),
    /// Typed words that answer nothing here: nudge, and show the question again.
    NotUnderstood(QuestionId),
    /// A button for another question or an old check: changes nothing.
    Stale,
    /// The check has already ended.
    Finished,
}

/// A press of an answer button `a:<question>:<option>` (contract §5).
pub fn press(dialogues: &Dialogues, session: &mut Session, question: &str, option: &str) -> Turn {
    let protocol = &dialogues.protocol;
    let Some(question) = protocol.question_id(question) else {
        return Turn::Stale;
    };
    let Some(option) = protocol.questions[question].option_index(option) else {
        return Turn::Stale;
    };
    match session.answer(protocol, question, option) {
        Ok(step) => Turn::Answered(step),
        Err(crate::triage::AnswerError::Finished) => Turn::Finished,
        Err(_) => Turn::Stale,
    }
}

/// Typed text during a check: an emergency phrase at any point, or a natural answer to the
/// current question ("yes", "2 years", an option's label).
pub fn typed(dialogues: &Dialogues, language: &Language, session: &mut Session, text: &str) -> Turn {
    let protocol = &dialogues.protocol;
    if let Some(fact) = language.typed.emergency_fact(text) {
        return Turn::TypedEmergency(session.add_finding(protocol, fact));
    }
    let Step::Ask(question) = session.next(protocol) else {
        return Turn::Finished;
    };
    match typed_option(dialogues, language, question, text) {
        Some(option) => match session.answer(protocol, question, option) {
            Ok(step) => Turn::Answered(step),
            Err(_) => Turn::NotUnderstood(question),
        },
        None => Turn::NotUnderstood(question),
    }
}

/// The option a typed reply stands for, if it clearly stands for one.
pub fn typed_option(
    dialogues: &Dialogues,
    language: &Language,
    question: QuestionId,
    text: &str,
) -> Option<usize> {
    let protocol = &dialogues.protocol;
    let definition = &protocol.questions[question];
    let by_label = (0..definition.options.len()).find(|&option| {
        let label = language.texts.plain(&option_label_id(protocol, question, option));
        crate::content::normalise(&label) == crate::content::normalise(text)
    });
    if by_label.is_some() {
        return by_label;
    }
    match definition.kind {
        QuestionKind::YesNo | QuestionKind::AnyOf => language.typed.yes_no(text).map(|answer| match answer {
            YesNo::Yes => 0,
            YesNo::No => 1,
            YesNo::Unsure => 2,
        }),
        QuestionKind::Band => {
            let fact = &protocol.facts[definition.facts[0]];
            let FactKind::Number { .. } = fact.kind else {
                return None;
            };
            // A bare number is in the fact's own unit: years for age, days for days present.
            let years = language.typed.age_years(text)?;
            let number = if fact.key == "days_present" && has_unit(text) {
                years * 365.25
            } else {
                years
            };
            fact.band_of(number)
        }
        QuestionKind::Choice => None,
    }
}

fn has_unit(text: &str) -> bool {
    text.trim().chars().any(char::is_alphabetic)
}

/// A question's text with its progress line.
pub fn question_text(
    dialogues: &Dialogues,
    language: &Language,
    session: &Session,
    question: QuestionId,
) -> String {
    let (current, total) = session.progress(&dialogues.protocol);
    let progress = language.texts.get(
        "bot-progress",
        &[("current", &current.to_string()), ("total", &total.to_string())],
    );
    let text = language
        .texts
        .plain(&format!("q-{}", dialogues.protocol.questions[question].id));
    format!("{progress}\n\n{text}")
}

/// The labels of a question's options, in button order.
pub fn option_labels(dialogues: &Dialogues, language: &Language, question: QuestionId) -> Vec<String> {
    (0..dialogues.protocol.questions[question].options.len())
        .map(|option| {
            language
                .texts
                .plain(&option_label_id(&dialogues.protocol, question, option))
        })
        .collect()
}

/// A short summary of the answers and the outcome, to forward to a doctor or nurse.
pub fn summary(dialogues: &Dialogues, language: &Language, session: &Session) -> String {
    let protocol = &dialogues.protocol;
    let mut lines: Vec<String> = session
        .answers()
        .iter()
        .map(|&(question, option)| {
            let label = language
                .texts
                .plain(&format!("short-{}", protocol.questions[question].id));
            let answer = language.texts.plain(&option_label_id(protocol, question, option));
            format!("• {label}: {answer}")
        })
        .collect();
    for &fact in session.findings() {
        lines.push(format!(
            "• {}",
            language
                .texts
                .plain(&format!("fact-{}", protocol.facts[fact].key))
        ));
    }
    let outcome = match session.next(protocol) {
        Step::Done(assessment) => language
            .texts
            .plain(&format!("bot-summary-outcome-{}", assessment.level.key())),
        Step::Ask(_) => String::new(),
    };
    language.texts.get(
        "bot-summary",
        &[("answers", &lines.join("\n")), ("outcome", &outcome)],
    )
}
