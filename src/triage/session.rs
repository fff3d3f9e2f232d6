//! A check in progress: the answers so far, and from them the next question or the assessment.
//!
//! A `Session` holds only the answers (and findings typed in free text); everything else is derived
//! again from the protocol on each step. So a saved session is small, and one saved by an older
//! protocol is replayed and either fits the current protocol exactly or is refused as a whole.

use serde::{Deserialize, Serialize};

use super::assess::{self, Assessment, Reason};
use super::case::{Case, Reading};
use super::model::{FactId, Level, Protocol, Question, QuestionId, QuestionKind, Value};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    answers: Vec<(QuestionId, usize)>,
    /// Yes/no facts found true outside a question, e.g. "she's having a fit" typed in the chat.
    findings: Vec<FactId>,
}

/// What the person sees next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Ask(QuestionId),
    Done(Assessment),
}

impl Step {
    pub fn level(&self) -> Option<Level> {
        match self {
            Step::Done(assessment) => Some(assessment.level),
            Step::Ask(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("that question is not the one being asked now")]
    NotCurrentQuestion,
    #[error("that question has no such option")]
    UnknownOption,
    #[error("the check is already finished")]
    Finished,
}

/// What a re-check, hours after a check, found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecheckFinding {
    StillFades,
    NoLongerFades,
    /// Feels worse, or new symptoms.
    Worse,
}

impl RecheckFinding {
    pub const ALL: [RecheckFinding; 3] = [
        RecheckFinding::StillFades,
        RecheckFinding::NoLongerFades,
        RecheckFinding::Worse,
    ];
}

/// A session as stored: names, not indices, so it survives edits of the protocol that keep them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedSession {
    pub answers: Vec<SavedAnswer>,
    #[serde(default)]
    pub findings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedAnswer {
    pub question: String,
    pub option: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the saved check no longer fits the protocol at answer {position}")]
pub struct RestoreError {
    pub position: usize,
}

/// Where a session stands: the case so far, and the questions that may still be asked.
struct Position {
    case: Case,
    open: Vec<QuestionId>,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    pub fn answers(&self) -> &[(QuestionId, usize)] {
        &self.answers
    }

    pub fn findings(&self) -> &[FactId] {
        &self.findings
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty() && self.findings.is_empty()
    }

    /// The next question, or the assessment once no remaining answer could change the level.
    pub fn next(&self, protocol: &Protocol) -> Step {
        self.next_with_case(protocol).0
    }

    /// The next step, and the case as the assessment reads it now.
    pub fn next_with_case(&self, protocol: &Protocol) -> (Step, Case) {
        let position = self.position(protocol);
        let case = settled_case(protocol, &position);
        match position.open.first() {
            Some(&question) if !is_decided(protocol, &position) => (Step::Ask(question), case),
            _ => (Step::Done(self.assess(protocol, &case)), case),
        }
    }

    /// The assessment, with the rules set off by a "yes" to an any-of question given as that one
    /// answer: the person said "at least one of these", not which.
    fn assess(&self, protocol: &Protocol, case: &Case) -> Assessment {
        let mut assessment = assess::assess_with_lines_from(protocol, case, &self.said(protocol));
        for &(question, option) in &self.answers {
            let definition = &protocol.questions[question];
            if definition.kind != QuestionKind::AnyOf || option != 0 {
                continue;
            }
            let from_group = |reason: &Reason| match reason {
                Reason::Rule(rule) => {
                    let rule = &protocol.rules[*rule];
                    rule.when_any.is_empty()
                        && !rule.when.is_empty()
                        && rule
                            .when
                            .iter()
                            .all(|condition| definition.facts.contains(&condition.fact))
                }
                Reason::AnyOf(_) => false,
            };
            if let Some(first) = assessment.reasons.iter().position(from_group) {
                assessment.reasons.retain(|reason| !from_group(reason));
                assessment
                    .reasons
                    .insert(first.min(assessment.reasons.len()), Reason::AnyOf(question));
            }
        }
        assessment
    }

    /// Appends an answer to a question the caller knows is the current one (the verifier's walk,
    /// which just asked it); `answer` is the checked way.
    pub fn push_current_answer(&mut self, question: QuestionId, option: usize) {
        self.answers.push((question, option));
    }

    /// Answers the current question. An answer to any other question is refused and changes
    /// nothing: that is how a stale button is recognised.
    pub fn answer(
        &mut self,
        protocol: &Protocol,
        question: QuestionId,
        option: usize,
    ) -> Result<Step, AnswerError> {
        match self.next(protocol) {
            Step::Done(_) => return Err(AnswerError::Finished),
            Step::Ask(current) if current != question => return Err(AnswerError::NotCurrentQuestion),
            Step::Ask(_) => {}
        }
        if option >= protocol.questions[question].options.len() {
            return Err(AnswerError::UnknownOption);
        }
        self.answers.push((question, option));
        Ok(self.next(protocol))
    }

    /// The answer to record when `ticked` items of the checklist `question` already make the
    /// advice an emergency, whatever the items not ticked: the level is an emergency even with
    /// every item not ticked at its least alarming (absent, or present for an item that can lower
    /// the level, such as a hard cough before spots above the nipples), and levels are monotone
    /// (the verifier proves it), so no answer to them could lower it. The person need not finish
    /// the list; the items not ticked are recorded as not known. `None` when the ticks alone do
    /// not decide.
    pub fn emergency_from_ticks(
        &self,
        protocol: &Protocol,
        question: QuestionId,
        ticked: &[FactId],
    ) -> Option<usize> {
        let definition = &protocol.questions[question];
        let calmest = calmest_submission(protocol, definition, ticked)?;
        let mut probe = self.clone();
        match probe.answer(protocol, question, calmest) {
            Ok(Step::Done(assessment)) if assessment.level == Level::Emergency => {
                definition.submission(ticked, true)
            }
            _ => None,
        }
    }

    /// Takes back the last answer. Returns false when there was none.
    pub fn back(&mut self) -> bool {
        self.answers.pop().is_some()
    }

    /// The same check with one answer changed, as a re-check finds it ("the spots don't fade
    /// now"). Every other answer is kept wherever its question is still asked, in the protocol's
    /// order; a question the change opens is left for the person to answer.
    pub fn revised(&self, protocol: &Protocol, question: QuestionId, option: usize) -> Session {
        let mut revised = Session {
            answers: Vec::new(),
            findings: self.findings.clone(),
        };
        while let Step::Ask(current) = revised.next(protocol) {
            let known = if current == question {
                Some(option)
            } else {
                self.answers
                    .iter()
                    .find(|&&(answered, _)| answered == current)
                    .map(|&(_, option)| option)
            };
            match known {
                Some(option) => revised.answers.push((current, option)),
                None => break,
            }
        }
        revised
    }

    /// The check a reminder's re-check leads to. The spots still fading or no longer fading
    /// revise the glass test's answer (`[recheck]` in the protocol); feeling worse or new symptoms
    /// start a new check, warning signs first, rather than guess which answer changed.
    pub fn rechecked(&self, protocol: &Protocol, found: RecheckFinding) -> Session {
        let Some(recheck) = &protocol.recheck else {
            return Session::new();
        };
        match found {
            RecheckFinding::StillFades => self.revised(protocol, recheck.question, recheck.still_fades),
            RecheckFinding::NoLongerFades => {
                self.revised(protocol, recheck.question, recheck.no_longer_fades)
            }
            RecheckFinding::Worse => Session::new(),
        }
    }

    /// Records a yes/no finding reported outside a question (an emergency typed in free text).
    pub fn add_finding(&mut self, protocol: &Protocol, fact: FactId) -> Step {
        if !self.findings.contains(&fact) {
            self.findings.push(fact);
        }
        self.next(protocol)
    }

    /// (number of the current question, estimated number of questions in all) for a progress
    /// line. The estimate follows the path where every remaining answer is the least alarming.
    pub fn progress(&self, protocol: &Protocol) -> (usize, usize) {
        let current = self.answers.len() + 1;
        let mut probe = self.clone();
        while let Step::Ask(question) = probe.next(protocol) {
            let option = least_alarming_option(protocol, question);
            if probe.answer(protocol, question, option).is_err() || probe.answers.len() > 64 {
                break;
            }
        }
        (current, probe.answers.len().max(current))
    }

    pub fn save(&self, protocol: &Protocol) -> SavedSession {
        SavedSession {
            answers: self
                .answers
                .iter()
                .map(|&(question, option)| {
                    let question = &protocol.questions[question];
                    SavedAnswer {
                        question: question.id.clone(),
                        option: question.options[option].clone(),
                    }
                })
                .collect(),
            findings: self
                .findings
                .iter()
                .map(|&fact| protocol.facts[fact].key.clone())
                .collect(),
        }
    }

    /// Replays a saved session. Every answer must still be an answer to the question the protocol
    /// asks at that point; otherwise the whole session is refused (never half-applied).
    /// Typed findings end a check, so every answer came before them: the answers are replayed
    /// first, then the findings added.
    pub fn restore(protocol: &Protocol, saved: &SavedSession) -> Result<Session, RestoreError> {
        let mut session = Session::new();
        for (position, answer) in saved.answers.iter().enumerate() {
            let fits = protocol.question_id(&answer.question).and_then(|question| {
                let option = protocol.questions[question].option_index(&answer.option)?;
                session.answer(protocol, question, option).ok()
            });
            fits.ok_or(RestoreError { position })?;
        }
        for key in &saved.findings {
            let fact = protocol.fact_id(key).ok_or(RestoreError {
                position: saved.answers.len(),
            })?;
            session.findings.push(fact);
        }
        Ok(session)
    }

    /// Only what the person said: their answers and typed findings; every other fact unknown.
    fn said(&self, protocol: &Protocol) -> Case {
        let mut case = Case::unknown(protocol);
        for &fact in &self.findings {
            case.set(fact, Some(Value::Bool(true)));
        }
        for &(question, option) in &self.answers {
            for (fact, value) in protocol.questions[question].option_values(protocol, option) {
                // A typed finding is never undone by a later "no".
                if !self.findings.contains(&fact) {
                    case.set(fact, value);
                }
            }
        }
        case
    }

    fn position(&self, protocol: &Protocol) -> Position {
        let mut case = self.said(protocol);
        let mut answered = vec![false; protocol.questions.len()];
        for &(question, _) in &self.answers {
            answered[question] = true;
        }
        let mut open = Vec::new();
        for (id, question) in protocol.questions.iter().enumerate() {
            if answered[id] {
                continue;
            }
            let wanted = case.any_alternative_holds(protocol, &question.applies_if, Reading::Possibly)
                && case.any_alternative_holds(protocol, &question.ask_if, Reading::Possibly);
            if wanted {
                open.push(id);
            } else {
                // Not applicable, or unable to matter: the finding counts as absent.
                for &fact in &question.facts {
                    if case.get(fact).is_none() && !self.findings.contains(&fact) {
                        case.set(fact, protocol.facts[fact].best());
                    }
                }
            }
        }
        Position { case, open }
    }
}

/// The facts the open questions would set.
fn open_facts<'a>(protocol: &'a Protocol, position: &'a Position) -> impl Iterator<Item = FactId> + 'a {
    position
        .open
        .iter()
        .flat_map(|&question| protocol.questions[question].facts.iter().copied())
        .filter(|&fact| position.case.get(fact).is_none())
}

/// True when no answers to the open questions could give another level than any other answers.
/// Levels are monotone in each ordered fact, so the extremes bound every completion; facts
/// without an order (age) are tried value by value.
fn is_decided(protocol: &Protocol, position: &Position) -> bool {
    let facts: Vec<FactId> = open_facts(protocol, position).collect();
    let (lowest, highest) = level_bounds(protocol, &position.case, &facts);
    lowest == highest
}

fn level_bounds(protocol: &Protocol, case: &Case, open: &[FactId]) -> (Level, Level) {
    let mut best = case.clone();
    let mut worst = case.clone();
    let mut unordered = Vec::new();
    for &fact in open {
        match (protocol.facts[fact].best(), protocol.facts[fact].worst()) {
            (Some(low), Some(high)) => {
                best.set(fact, Some(low));
                worst.set(fact, Some(high));
            }
            _ => unordered.push(fact),
        }
    }
    let mut lowest = Level::Emergency;
    let mut highest = Level::SelfCare;
    for_each_completion(protocol, &unordered, best, &mut |completed| {
        lowest = lowest.min(assess::level(protocol, completed));
    });
    for_each_completion(protocol, &unordered, worst, &mut |completed| {
        highest = highest.max(assess::level(protocol, completed));
    });
    (lowest, highest)
}

fn for_each_completion(protocol: &Protocol, facts: &[FactId], case: Case, visit: &mut dyn FnMut(&Case)) {
    match facts.split_first() {
        None => visit(&case),
        Some((&fact, rest)) => {
            for value in protocol.facts[fact].answer_values() {
                for_each_completion(protocol, rest, case.clone().with(fact, Some(value)), visit);
            }
        }
    }
}

/// The case the final assessment reads: questions that were never asked because they could not
/// matter count as their least alarming answer, so the reasons name only real findings.
fn settled_case(protocol: &Protocol, position: &Position) -> Case {
    let mut case = position.case.clone();
    let open: Vec<FactId> = open_facts(protocol, position).collect();
    for fact in open {
        if let Some(best) = protocol.facts[fact].best() {
            case.set(fact, Some(best));
        }
    }
    case
}

/// The least alarming submission of a checklist with `ticked` ticked: every other item at its
/// least alarming, which is absent, or ticked for an item that lowers the level (a hard cough
/// before spots above the nipples). `None` when `ticked` names a fact the checklist lacks.
fn calmest_submission(protocol: &Protocol, checklist: &Question, ticked: &[FactId]) -> Option<usize> {
    let reassuring =
        checklist.facts.iter().copied().filter(|&fact| {
            !ticked.contains(&fact) && protocol.facts[fact].best() == Some(Value::Bool(true))
        });
    let calmest: Vec<FactId> = ticked.iter().copied().chain(reassuring).collect();
    checklist.submission(&calmest, false)
}

/// The option that sets the least alarming values: the answer the progress estimate assumes.
pub fn least_alarming_option(protocol: &Protocol, question: QuestionId) -> usize {
    let question = &protocol.questions[question];
    match question.kind {
        QuestionKind::YesNo | QuestionKind::AnyOf => {
            let fact = &protocol.facts[question.facts[0]];
            if fact.best() == Some(Value::Bool(true)) {
                0
            } else {
                1
            }
        }
        QuestionKind::Checklist => calmest_submission(protocol, question, &[]).unwrap_or(0),
        QuestionKind::Band | QuestionKind::Choice => {
            let fact = &protocol.facts[question.facts[0]];
            let best = fact.best();
            (0..question.options.len())
                .find(|&option| {
                    question
                        .option_values(protocol, option)
                        .first()
                        .is_some_and(|(_, value)| *value == best)
                })
                .unwrap_or(question.options.len() / 2)
        }
    }
}
