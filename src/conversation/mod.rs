//! What the chat front ends (Telegram and the terminal) share: turning what a person did (a button,
//! typed words) into a step of the triage `Session`, and the texts that show a question.
//!
//! No clinical decision is made here: answers go to the core, and the core decides.

mod callback;
mod menus;
mod reply;
mod state;
mod step;

pub use callback::{
    answer_data, cancel_reminder_data, country_data, language_data, parse_press, recheck_data, remind_data,
    Control, Press, NO_REMINDER_DATA,
};
pub use menus::{
    card_message, choice_confirmation, country_menu, language_menu, learn_menu, private_check_button,
    reminder_list, Pending,
};
pub use reply::{Button, Event, Keyboard, Message, Reply, Work};
pub use state::{ChatSettings, Check, Choice, ReminderDelay, State, TimeUnit};
pub use step::{recheck_buttons, step, Command, Input, Settings};

use std::time::Duration;

use crate::content::Texts;

use crate::content::catalogue::{
    BOT_PROGRESS, BOT_SUMMARY, BOT_SUMMARY_ANSWER, DURATION_PAIR, LIST_ITEM, OPT_CHECKLIST_DONE,
    OPT_CHECKLIST_NONE, OPT_CHECKLIST_UNSURE, OPT_UNSURE, UNIT_DAYS, UNIT_HOURS, UNIT_MINUTES, UNIT_SECONDS,
};
use crate::content::{option_label_id, tick_label_id, Dialogues, Language, YesNo};
use crate::content::{CHECKLIST_DONE, CHECKLIST_NONE, CHECKLIST_UNSURE};
use crate::triage::{FactId, FactKind, Question, QuestionId, QuestionKind, Session, Step};

/// The outcome of one thing the person did.
#[derive(Clone, Debug, PartialEq)]
pub enum Turn {
    /// The answer was taken; show the step.
    Answered(Step),
    /// Typed words signalled an emergency: the step is the emergency advice.
    TypedEmergency(Step),
    /// Typed words that answer nothing here: nudge, and show the question again.
    NotUnderstood(QuestionId),
    /// A checklist item was ticked or unticked; show the same question with the new ticks.
    Toggled(Vec<FactId>),
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

/// A press on a checklist's button `a:<question>:<fact>` (a toggle) or `…:done|none|unsure`,
/// with the items ticked so far. A tick that alone makes the advice an emergency ends the
/// checklist at once (the core decides: `Session::emergency_from_ticks`).
pub fn press_checklist(
    dialogues: &Dialogues,
    session: &mut Session,
    question: &str,
    button: &str,
    ticked: &[FactId],
) -> Turn {
    let protocol = &dialogues.protocol;
    let Some(question) = protocol.question_id(question) else {
        return Turn::Stale;
    };
    let definition = &protocol.questions[question];
    match session.next(protocol) {
        Step::Done(_) => return Turn::Finished,
        Step::Ask(current) if current != question || definition.kind != QuestionKind::Checklist => {
            return Turn::Stale
        }
        Step::Ask(_) => {}
    }
    let ticked: Vec<FactId> = ticked
        .iter()
        .copied()
        .filter(|fact| definition.facts.contains(fact))
        .collect();
    let submission = match button {
        CHECKLIST_DONE => definition.submission(&ticked, false),
        CHECKLIST_NONE => definition.submission(&[], false),
        CHECKLIST_UNSURE => definition.submission(&ticked, true),
        item => {
            let Some(fact) = protocol
                .fact_id(item)
                .filter(|fact| definition.facts.contains(fact))
            else {
                return Turn::Stale;
            };
            let mut toggled = ticked;
            match toggled.iter().position(|&own| own == fact) {
                Some(at) => {
                    toggled.remove(at);
                }
                None => toggled.push(fact),
            }
            match session.emergency_from_ticks(protocol, question, &toggled) {
                Some(option) => Some(option),
                None => return Turn::Toggled(toggled),
            }
        }
    };
    match submission.map(|option| session.answer(protocol, question, option)) {
        Some(Ok(step)) => Turn::Answered(step),
        _ => Turn::Stale,
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
        QuestionKind::Checklist => typed_checklist(language, definition, text),
    }
}

/// A checklist answered in words or numbers: the numbers of the facts that apply ("1 3"), 0 for
/// none of them, or a plain "no" (none) or "not sure" (nothing known).
fn typed_checklist(language: &Language, definition: &Question, text: &str) -> Option<usize> {
    let numbers: Option<Vec<usize>> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().ok())
        .collect();
    match numbers {
        Some(numbers) if numbers == [0] => definition.submission(&[], false),
        Some(numbers) if !numbers.is_empty() => {
            let ticked: Option<Vec<_>> = numbers
                .iter()
                .map(|&number| definition.facts.get(number.checked_sub(1)?).copied())
                .collect();
            definition.submission(&ticked?, false)
        }
        _ => match language.typed.yes_no(text)? {
            YesNo::No => definition.submission(&[], false),
            YesNo::Unsure => definition.submission(&[], true),
            YesNo::Yes => None,
        },
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
    let progress = language
        .texts
        .with(BOT_PROGRESS, [&current.to_string(), &total.to_string()]);
    let text = language
        .texts
        .plain(&format!("q-{}", dialogues.protocol.questions[question].id));
    format!("{progress}\n\n{text}")
}

/// The labels of a question's answer buttons, in order.
pub fn option_labels(dialogues: &Dialogues, language: &Language, question: QuestionId) -> Vec<String> {
    let protocol = &dialogues.protocol;
    let definition = &protocol.questions[question];
    if definition.kind != QuestionKind::Checklist {
        return (0..definition.options.len())
            .map(|option| language.texts.plain(&option_label_id(protocol, question, option)))
            .collect();
    }
    let mut labels: Vec<String> = definition
        .facts
        .iter()
        .map(|&fact| language.texts.plain(&tick_label_id(&protocol.facts[fact].key)))
        .collect();
    for text in [OPT_CHECKLIST_DONE, OPT_CHECKLIST_NONE, OPT_CHECKLIST_UNSURE] {
        labels.push(language.texts.text(text));
    }
    labels
}

/// What an answer says, for the summary and the settled question: the option's label, or for a
/// checklist the ticked items ("none of these" when none), and "not sure" for the rest.
pub fn answer_label(
    dialogues: &Dialogues,
    language: &Language,
    question: QuestionId,
    option: usize,
) -> String {
    let protocol = &dialogues.protocol;
    let definition = &protocol.questions[question];
    if definition.kind != QuestionKind::Checklist {
        return language.texts.plain(&option_label_id(protocol, question, option));
    }
    let mut parts: Vec<String> = definition
        .ticked(option)
        .iter()
        .map(|&fact| language.texts.plain(&tick_label_id(&protocol.facts[fact].key)))
        .collect();
    let unsure = option >= 1 << definition.facts.len();
    if parts.is_empty() && !unsure {
        parts.push(language.texts.text(OPT_CHECKLIST_NONE));
    }
    if unsure {
        parts.push(language.texts.text(OPT_UNSURE));
    }
    language.texts.list(&parts)
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
            let answer = answer_label(dialogues, language, question, option);
            language.texts.with(BOT_SUMMARY_ANSWER, [&label, &answer])
        })
        .collect();
    for &fact in session.findings() {
        let finding = language
            .texts
            .plain(&format!("fact-{}", protocol.facts[fact].key));
        lines.push(language.texts.with(LIST_ITEM, [&finding]));
    }
    let outcome = match session.next(protocol) {
        Step::Done(assessment) => language
            .texts
            .plain(&format!("bot-summary-outcome-{}", assessment.level.key())),
        Step::Ask(_) => String::new(),
    };
    language.texts.with(BOT_SUMMARY, [&lines.join("\n"), &outcome])
}

/// Pending reminders per chat: enough for "in 1 h, and again in 4 h", not a flood.
pub const MAX_PENDING_REMINDERS: usize = 3;

/// A duration in the largest units that matter, as the language writes them: "3 h 20 min",
/// "45 min", "30 s"; in French "1 j 2 h".
pub fn duration_text(texts: &Texts, duration: Duration) -> String {
    let seconds = duration.as_secs();
    let units = [
        (seconds / 86_400, TimeUnit::Days),
        (seconds / 3600 % 24, TimeUnit::Hours),
        (seconds / 60 % 60, TimeUnit::Minutes),
    ];
    let parts: Vec<String> = units
        .into_iter()
        .skip_while(|&(amount, _)| amount == 0)
        .take(2)
        .filter(|&(amount, _)| amount > 0)
        .map(|(amount, unit)| amount_text(texts, amount, unit))
        .collect();
    match parts.as_slice() {
        [] => amount_text(texts, seconds, TimeUnit::Seconds),
        [one] => one.clone(),
        [larger, smaller, ..] => texts.with(DURATION_PAIR, [larger, smaller]),
    }
}

/// An amount of one unit: "4 h", "90 s".
pub fn amount_text(texts: &Texts, amount: u64, unit: TimeUnit) -> String {
    let message = match unit {
        TimeUnit::Seconds => UNIT_SECONDS,
        TimeUnit::Minutes => UNIT_MINUTES,
        TimeUnit::Hours => UNIT_HOURS,
        TimeUnit::Days => UNIT_DAYS,
    };
    texts.with(message, [&amount.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Dialogues;

    #[test]
    fn durations_read_in_their_largest_units_in_each_language() {
        let (dialogues, _) = Dialogues::load_from(None).expect("the built-in dialogues");
        let minutes = |m: u64| Duration::from_secs(m * 60);
        let in_language =
            |code: &str, duration: Duration| duration_text(&dialogues.language(code).texts, duration);
        assert_eq!(in_language("en", Duration::from_secs(30)), "30 s");
        assert_eq!(in_language("en", minutes(45)), "45 min");
        assert_eq!(in_language("en", minutes(200)), "3 h 20 min");
        assert_eq!(in_language("en", minutes(240)), "4 h");
        assert_eq!(in_language("en", minutes(60 * 26 + 5)), "1 d 2 h");
        assert_eq!(in_language("fr", minutes(60 * 26 + 5)), "1 j 2 h");
        assert_eq!(in_language("es", minutes(60 * 26 + 5)), "1 d 2 h");
    }
}
