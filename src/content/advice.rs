//! Turning an assessment into the advice message and its reasons, in one language.

use super::catalogue::{ADVICE_ASSUMED, BOT_REMINDER_OFFER, LIST_ITEM};
use super::texts::Texts;
use crate::triage::{Assessment, Level, Protocol, Reason};

/// The reasons of an assessment as sentences, in protocol order.
pub fn reasons(protocol: &Protocol, texts: &Texts, assessment: &Assessment) -> Vec<String> {
    assessment
        .reasons
        .iter()
        .map(|reason| texts.plain(&reason_message_id(protocol, *reason)))
        .collect()
}

/// The final advice message (contract §1): it starts with the level's sign, and says what to do,
/// why, what to watch for, and that it is not a diagnosis (those parts live in the texts).
pub fn advice(
    protocol: &Protocol,
    texts: &Texts,
    assessment: &Assessment,
    emergency_numbers: &str,
) -> String {
    let reasons: Vec<String> = reasons(protocol, texts, assessment)
        .into_iter()
        .map(|reason| texts.with(LIST_ITEM, [&reason]))
        .collect();
    let assumed = if assessment.assumed.is_empty() {
        String::new()
    } else {
        let facts: Vec<String> = assessment
            .assumed
            .iter()
            .map(|&fact| texts.plain(&format!("fact-{}", protocol.facts[fact].key)))
            .collect();
        texts.with(ADVICE_ASSUMED, [&texts.list(&facts)])
    };
    let lines = advice_lines(protocol, texts, assessment);
    let sources: Vec<&str> = assessment
        .sources
        .iter()
        .map(|&source| protocol.sources[source].short.as_str())
        .collect();
    let text = texts.get(
        &format!("advice-{}", assessment.level.key()),
        &[
            ("reasons", &reasons.join("\n")),
            ("lines", &lines),
            ("assumed", &assumed),
            ("sources", &texts.list(&sources)),
            ("emergency_numbers", emergency_numbers),
        ],
    );
    collapse_blank_lines(&text)
}

/// The lines that fit the answers under their level's heading (`advice-lines-<level>`), or
/// nothing when none fits.
fn advice_lines(protocol: &Protocol, texts: &Texts, assessment: &Assessment) -> String {
    if assessment.lines.is_empty() {
        return String::new();
    }
    let bullets: Vec<String> = assessment
        .lines
        .iter()
        .map(|&line| {
            let line = texts.plain(&format!("line-{}", protocol.advice_lines[line].id));
            texts.with(LIST_ITEM, [&line])
        })
        .collect();
    texts.get(
        &format!("advice-lines-{}", assessment.level.key()),
        &[("lines", &bullets.join("\n"))],
    )
}

/// Whether advice at this level offers a re-check reminder: all but an emergency.
pub fn offers_reminder(level: Level) -> bool {
    level != Level::Emergency
}

/// The advice as the bot sends it: below anything but an emergency, the offer of a re-check
/// reminder (an emergency needs help now, not a reminder).
pub fn with_reminder_offer(texts: &Texts, level: Level, advice: String) -> String {
    if !offers_reminder(level) {
        return advice;
    }
    format!("{advice}\n\n{}", texts.text(BOT_REMINDER_OFFER))
}

/// An empty variable (no assumed answers) leaves an empty line behind; keep at most one in a row.
fn collapse_blank_lines(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() && out.last().is_none_or(|last| last.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|last| last.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// The message id of a reason.
pub fn reason_message_id(protocol: &Protocol, reason: Reason) -> String {
    match reason {
        Reason::Rule(rule) => format!("reason-{}", protocol.rules[rule].id),
        Reason::AnyOf(question) => format!("reason-{}-yes", protocol.questions[question].id),
    }
}
