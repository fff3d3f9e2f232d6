//! The verifier behind `spotcheck check` and every start of the bot.
//!
//! Besides the texts (every message present in every language, no extra ones, renderable with the
//! variables the code passes and leaving none of them out, within Telegram's limits, and no level
//! sign outside the advice), it
//! walks every answer path of the protocol and proves on each:
//! - the path ends in an assessment, and no question is asked twice (so at most as many questions
//!   as the protocol has);
//! - a "yes" or "not sure" to a red-flag question, and any answer after which an emergency rule
//!   holds on known findings alone, ends the questions at once with emergency advice;
//! - the level is monotone: changing any one answer to a worse one never lowers it;
//! - the questions skipped as unable to matter could not have raised the level, even all together.
//!   With monotone levels this means the shorter check decides exactly as asking every question
//!   would: the path's level is that of the skipped findings at their least alarming, and no
//!   answers to them, up to all at their worst, give another;
//! - every path has at least one reason, and every question is reached by some path.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::catalogue::{BOT_REMINDER_DUE, BOT_REMINDER_LATE, EMERGENCY_NUMBERS};
use super::problems::Problems;
use super::texts::{required_messages, Use};
use super::{advice, with_reminder_offer, Dialogues};
use crate::triage::{
    self, Assessment, Case, Fact, FactKind, Level, Protocol, QuestionId, Reading, Reason, Session, Step,
    Value,
};

/// What the walk found.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Complete answer paths, each ending in an assessment.
    pub paths: usize,
    /// The most questions on one path.
    pub longest_path: usize,
    /// Paths ending at each level, from self-care to emergency.
    pub paths_per_level: [usize; 4],
    pub languages: Vec<String>,
    pub elapsed: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [self_care, routine, urgent, emergency] = self.paths_per_level;
        writeln!(
            f,
            "dialogues OK: languages {} complete",
            self.languages.join(", ")
        )?;
        writeln!(
            f,
            "walked {} answer paths (emergency {emergency}, urgent {urgent}, routine {routine}, self-care {self_care}); longest {} questions",
            self.paths, self.longest_path
        )?;
        write!(
            f,
            "proved on every path: ends in advice, red flags end in emergency at once, monotone levels, skipped questions cannot raise the level, so the shorter check decides as asking every question would ({:.0} ms)",
            self.elapsed.as_secs_f64() * 1000.0
        )
    }
}

pub fn verify(dialogues: &Dialogues) -> Result<Report, Problems> {
    let started = Instant::now();
    let mut problems = Problems::default();
    check_texts(dialogues, &mut problems);
    check_pictures(dialogues, &mut problems);
    check_cards(dialogues, &mut problems);
    check_emergency_findings(dialogues, &mut problems);
    let mut walk = Walk {
        protocol: &dialogues.protocol,
        problems: Problems::default(),
        paths: 0,
        longest_path: 0,
        paths_per_level: [0; 4],
        reached: vec![false; dialogues.protocol.questions.len()],
        outcomes: HashSet::new(),
        outcome_examples: Vec::new(),
    };
    let root = Session::new();
    let (step, case) = root.next_with_case(&dialogues.protocol);
    walk.visit(&root, step, &case, 0);
    for (id, reached) in walk.reached.iter().enumerate() {
        if !reached {
            walk.problems.add(
                "protocol.toml",
                format!("question.{}", dialogues.protocol.questions[id].id),
                "no answer path reaches this question",
            );
        }
    }
    check_advice_lengths(dialogues, &walk.outcome_examples, &mut walk.problems);
    problems.extend(walk.problems);
    problems.into_result()?;
    Ok(Report {
        paths: walk.paths,
        longest_path: walk.longest_path,
        paths_per_level: walk.paths_per_level,
        languages: dialogues
            .languages
            .iter()
            .map(|language| language.code.clone())
            .collect(),
        elapsed: started.elapsed(),
    })
}

fn check_texts(dialogues: &Dialogues, problems: &mut Problems) {
    let specs = required_messages(&dialogues.protocol, &dialogues.cards);
    for language in &dialogues.languages {
        let file = format!("{}/", language.code);
        for spec in &specs {
            let sample: Vec<(&str, &str)> = spec.args.iter().map(|&arg| (arg, sample_value(arg))).collect();
            let text = match language.texts.render(&spec.id, &sample) {
                Ok(text) => text,
                Err(why) => {
                    problems.add(&file, &spec.id, why);
                    continue;
                }
            };
            check_text(&file, &spec.id, &text, spec.usage, problems);
            let read = language.texts.variables_read(&spec.id);
            for arg in spec.args.iter().filter(|arg| !read.contains(**arg)) {
                problems.add(
                    &file,
                    &spec.id,
                    format!("leaves out {{ ${arg} }}, which SpotCheck gives it to show"),
                );
            }
        }
        // A late reminder's caption is the late notice and the reminder together.
        let late = language.texts.with(BOT_REMINDER_LATE, ["12 h"]);
        let due = language.texts.text(BOT_REMINDER_DUE);
        let length = late.chars().count() + 2 + due.chars().count();
        if length > Use::Caption.max_chars() {
            problems.add(
                &file,
                BOT_REMINDER_DUE.id,
                format!(
                    "is {length} characters with {}; a photo caption allows 1024",
                    BOT_REMINDER_LATE.id
                ),
            );
        }
        for (id, defined_in) in language.texts.defined_ids() {
            if !specs.iter().any(|spec| spec.id == id) {
                problems.add(defined_in, id, "is not used by SpotCheck (a typo, or left over?)");
            }
        }
    }
}

fn check_text(file: &str, id: &str, text: &str, usage: Use, problems: &mut Problems) {
    let length = text.chars().count();
    if text.trim().is_empty() {
        problems.add(file, id, "is empty");
    }
    if length > usage.max_chars() {
        problems.add(
            file,
            id,
            format!("is {length} characters; the limit here is {}", usage.max_chars()),
        );
    }
    let advice_level = Level::ALL
        .into_iter()
        .find(|level| id == format!("advice-{}", level.key()));
    let starts_with_sign = Level::ALL.iter().any(|level| text.starts_with(level.sign()));
    match advice_level {
        Some(level) if !text.starts_with(level.sign()) => problems.add(
            file,
            id,
            format!("must start with {} (contract §1)", level.sign()),
        ),
        None if starts_with_sign => {
            problems.add(file, id, "only the final advice may start with a level sign")
        }
        _ => {}
    }
}

/// Values for rendering with every variable set, long enough to catch texts near a limit.
fn sample_value(arg: &str) -> &'static str {
    match arg {
        "reasons" => "• a sample reason that is about as long as the longest real one, to check lengths",
        "lines" => "How to help at home:\n• a sample line of advice about as long as a real one, to check lengths\n• and a second sample line of advice, since several lines can fit one case",
        "assumed" => "Because you were not sure about the glass test, SpotCheck assumed the worse answer.",
        "sources" => "NICE NG240, NICE NG143, NICE NG51/NG253/NG254, Meningitis Now, NHS",
        "emergency_numbers" => "112 (Europe), 999 (UK), 911 (North America), 000 (Australia)",
        "current" => "3",
        "total" => "7",
        "ttl_hours" => "24",
        "delay" | "late" | "remaining" => "12 h",
        "count" | "number" => "3",
        _ => "sample",
    }
}

fn check_cards(dialogues: &Dialogues, problems: &mut Problems) {
    for card in &dialogues.cards {
        if let Some(picture) = &card.picture {
            if !dialogues.pictures.contains_key(picture) {
                problems.add(
                    "cards.toml",
                    format!("card.{}.picture", card.id),
                    format!("pictures/{picture}.png is missing"),
                );
            }
        }
        // A card with a picture goes out as a photo caption.
        let limit = if card.picture.is_some() {
            Use::Caption
        } else {
            Use::Message
        };
        for language in &dialogues.languages {
            let text = super::card_text(&dialogues.protocol, &language.texts, card);
            let length = text.chars().count();
            if length > limit.max_chars() {
                problems.add(
                    &format!("{}/cards.ftl", language.code),
                    format!("card-{}", card.id),
                    format!(
                        "is {length} characters with its sources; the limit is {}",
                        limit.max_chars()
                    ),
                );
            }
        }
    }
}

/// Each finding of a red-flag question, and each finding a typed emergency phrase reports, must
/// lead to emergency on its own: in a case where everything else is at its least alarming, at
/// every age. (A red-flag "yes" sets all its findings at once, so the walk alone would not notice
/// one rule being weakened.)
fn check_emergency_findings(dialogues: &Dialogues, problems: &mut Problems) {
    let protocol = &dialogues.protocol;
    // (fact, file, key) of every finding treated as an emergency sign.
    let mut findings: Vec<(usize, String, String)> = protocol
        .questions
        .iter()
        .flat_map(|question| {
            question.red_flags.iter().map(move |&fact| {
                (
                    fact,
                    "protocol.toml".to_string(),
                    format!("question.{}", question.id),
                )
            })
        })
        .collect();
    for language in &dialogues.languages {
        for fact in language.typed.emergency_facts() {
            let key = format!("emergency_phrases.{}", protocol.facts[fact].key);
            findings.push((fact, format!("{}/typed.toml", language.code), key));
        }
    }
    let Some(age) = protocol.fact_id("age_years") else {
        return;
    };
    for (fact, file, key) in findings {
        let mut calm = Case::unknown(protocol);
        for (id, definition) in protocol.facts.iter().enumerate() {
            calm.set(id, definition.best());
        }
        let weakest = protocol.facts[age]
            .answer_values()
            .into_iter()
            .map(|value| {
                let case = calm
                    .clone()
                    .with(age, Some(value))
                    .with(fact, Some(crate::triage::Value::Bool(true)));
                triage::level(protocol, &case)
            })
            .min();
        if weakest.is_some_and(|level| level < Level::Emergency) {
            problems.add(
                &file,
                key,
                format!(
                    "`{}` alone does not lead to emergency, but it is treated as an emergency sign",
                    protocol.facts[fact].key
                ),
            );
        }
    }
}

fn check_pictures(dialogues: &Dialogues, problems: &mut Problems) {
    for question in &dialogues.protocol.questions {
        if let Some(picture) = &question.picture {
            if !dialogues.pictures.contains_key(picture) {
                problems.add(
                    "protocol.toml",
                    format!("question.{}.picture", question.id),
                    format!("pictures/{picture}.png is missing"),
                );
            }
        }
    }
}

/// Renders the advice for every distinct outcome the walk met, in every language.
fn check_advice_lengths(dialogues: &Dialogues, outcomes: &[Assessment], problems: &mut Problems) {
    for language in &dialogues.languages {
        let numbers = language.texts.text(EMERGENCY_NUMBERS);
        for assessment in outcomes {
            let text = advice(&dialogues.protocol, &language.texts, assessment, &numbers);
            let text = with_reminder_offer(&language.texts, assessment.level, text);
            let length = text.chars().count();
            if length > Use::Message.max_chars() {
                problems.add(
                    &format!("{}/", language.code),
                    format!("advice-{}", assessment.level.key()),
                    format!("is {length} characters with the reasons of one path; Telegram allows 4096"),
                );
            }
        }
    }
}

struct Walk<'a> {
    protocol: &'a Protocol,
    problems: Problems,
    paths: usize,
    longest_path: usize,
    paths_per_level: [usize; 4],
    reached: Vec<bool>,
    outcomes: HashSet<(Level, Vec<Reason>, Vec<usize>)>,
    outcome_examples: Vec<Assessment>,
}

impl Walk<'_> {
    fn visit(&mut self, session: &Session, step: Step, case: &Case, depth: usize) {
        match step {
            Step::Done(assessment) => self.leaf(session, case, assessment, depth),
            Step::Ask(question) => {
                if depth >= self.protocol.questions.len() {
                    self.fail(session, "the path is longer than the number of questions");
                    return;
                }
                self.reached[question] = true;
                for option in 0..self.protocol.questions[question].options.len() {
                    let mut child = session.clone();
                    child.push_current_answer(question, option);
                    let (step, case) = child.next_with_case(self.protocol);
                    self.check_emergency_ends(&child, &case, question, option, &step);
                    self.visit(&child, step, &case, depth + 1);
                }
            }
        }
    }

    /// A red flag (or an emergency finding known for certain) must end the questions at once.
    fn check_emergency_ends(
        &mut self,
        session: &Session,
        case: &Case,
        question: QuestionId,
        option: usize,
        step: &Step,
    ) {
        let red_flag_raised = self.protocol.questions[question].may_raise_red_flag(option);
        let emergency_known = self.protocol.rules.iter().any(|rule| {
            rule.level == Level::Emergency && case.matches(self.protocol, rule, Reading::Certainly)
        });
        if (red_flag_raised || emergency_known) && step.level() != Some(Level::Emergency) {
            self.fail(
                session,
                "an emergency finding did not end the check with emergency advice at once",
            );
        }
    }

    fn leaf(&mut self, session: &Session, case: &Case, assessment: Assessment, depth: usize) {
        self.paths += 1;
        self.longest_path = self.longest_path.max(depth);
        self.paths_per_level[assessment.level as usize] += 1;
        if assessment.reasons.is_empty() {
            self.fail(session, "the advice has no reason");
        }
        self.check_monotone(session, case, assessment.level);
        self.check_skipped_cannot_raise(session, case, assessment.level);
        let key = (
            assessment.level,
            assessment.reasons.clone(),
            assessment.assumed.clone(),
        );
        if self.outcomes.insert(key) {
            self.outcome_examples.push(assessment);
        }
    }

    /// Changing any one answered fact to a worse value never lowers the level ("not sure" sits
    /// between the best and the worst value). Fact by fact, so a checklist's items and an any-of
    /// question's findings are each checked on their own.
    fn check_monotone(&mut self, session: &Session, case: &Case, level: Level) {
        for &(question, chosen) in session.answers() {
            let definition = &self.protocol.questions[question];
            for (fact, value) in definition.option_values(self.protocol, chosen) {
                let fact_def = &self.protocol.facts[fact];
                let Some(current) = value_rank(fact_def, value) else {
                    continue;
                };
                // The values an answer to this question can give the fact.
                let mut worse_values: Vec<Option<Value>> =
                    fact_def.answer_values().into_iter().map(Some).collect();
                if matches!(fact_def.kind, FactKind::Bool) {
                    worse_values.push(None);
                }
                for worse in worse_values {
                    if value_rank(fact_def, worse).is_none_or(|rank| rank <= current) {
                        continue;
                    }
                    if triage::level(self.protocol, &case.clone().with(fact, worse)) < level {
                        let named =
                            worse.map_or_else(|| "not sure".to_string(), |value| fact_def.value_name(value));
                        self.fail(
                            session,
                            &format!(
                                "answering `{named}` for `{}` in `{}` instead lowers the level",
                                fact_def.key, definition.id
                            ),
                        );
                    }
                }
            }
        }
    }

    /// Questions never asked on this path (skipped by `ask_if`, or left when the level was
    /// decided) could not have raised the level, even with all of them at their worst.
    fn check_skipped_cannot_raise(&mut self, session: &Session, case: &Case, level: Level) {
        let answered: Vec<QuestionId> = session.answers().iter().map(|&(question, _)| question).collect();
        let mut worst = case.clone();
        let mut changed = Vec::new();
        for (id, question) in self.protocol.questions.iter().enumerate() {
            let applies = case.any_alternative_holds(self.protocol, &question.applies_if, Reading::Possibly);
            if answered.contains(&id) || !applies {
                continue;
            }
            for &fact in &question.facts {
                if session.findings().contains(&fact) {
                    continue;
                }
                let fact_worst = self.protocol.facts[fact].worst();
                worst.set(fact, fact_worst);
                if fact_worst.is_some() {
                    changed.push(question.id.as_str());
                }
            }
        }
        let raised = triage::level(self.protocol, &worst);
        if raised > level {
            let list = changed.join(", ");
            self.fail(
                session,
                &format!(
                    "skipped questions ({list}) could raise the level to {} if asked",
                    raised.key()
                ),
            );
        }
    }

    fn fail(&mut self, session: &Session, message: &str) {
        // Keep the report readable: a broken rule usually fails on thousands of paths.
        if self.problems.len() >= 20 {
            return;
        }
        let path: Vec<String> = session
            .answers()
            .iter()
            .map(|&(question, option)| {
                let question = &self.protocol.questions[question];
                format!("{}={}", question.id, question.options[option])
            })
            .collect();
        self.problems.add(
            "protocol.toml",
            format!("path [{}]", path.join(" ")),
            message.to_string(),
        );
    }
}

/// How alarming a value is: its place in the fact's order, doubled; "not sure" (`None`) sits
/// between the best and the worst value. Unordered facts (age) have no rank.
fn value_rank(fact: &Fact, value: Option<Value>) -> Option<usize> {
    match value {
        Some(value) => fact.rank(value).map(|rank| rank * 2),
        None => (!fact.order.is_empty()).then_some(1),
    }
}
