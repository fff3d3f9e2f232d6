//! `assess`: from a case to a level with the findings that decided it.

use super::case::{Case, Reading};
use super::model::{FactId, Level, LineId, Protocol, QuestionId, RuleId, SourceId};

/// A finding that decided the level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A rule that matched.
    Rule(RuleId),
    /// "Yes" to an any-of question: at least one of its findings, the person did not say which.
    AnyOf(QuestionId),
}

/// The outcome of a check. The advice text is rendered from it per language by `content::Texts`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub level: Level,
    /// The findings that decided the level, in protocol order.
    pub reasons: Vec<Reason>,
    /// Facts that were unknown and assumed to be the worse answer to reach this level.
    pub assumed: Vec<FactId>,
    /// The advice lines that fit the answers at this level, in protocol order.
    pub lines: Vec<LineId>,
    /// The sources of the deciding rules and of the lines, without repeats.
    pub sources: Vec<SourceId>,
}

/// The level of a case: the highest level of all rules that match, unknown facts counting against
/// the person. Total: any case gets a level (self-care when no rule matches at all, which the
/// verifier proves cannot happen on a chat path).
pub fn level(protocol: &Protocol, case: &Case) -> Level {
    protocol
        .rules_by_level()
        .find(|rule| case.matches(protocol, rule, Reading::Possibly))
        .map_or(Level::SelfCare, |rule| rule.level)
}

pub fn assess(protocol: &Protocol, case: &Case) -> Assessment {
    assess_with_lines_from(protocol, case, case)
}

/// `assess`, with the advice lines chosen from `said`: what the person actually answered. A chat
/// reads a question it skipped as its least alarming answer, which for a fact that lowers the
/// level ("only where a strap pressed") is "yes"; a line must not rest on that.
pub fn assess_with_lines_from(protocol: &Protocol, case: &Case, said: &Case) -> Assessment {
    let level = level(protocol, case);
    let at_level: Vec<RuleId> = (0..protocol.rules.len())
        .filter(|&rule| protocol.rules[rule].level == level)
        .filter(|&rule| case.matches(protocol, &protocol.rules[rule], Reading::Possibly))
        .collect();
    let certain: Vec<RuleId> = at_level
        .iter()
        .copied()
        .filter(|&rule| case.matches(protocol, &protocol.rules[rule], Reading::Certainly))
        .collect();
    // When some rule holds on known findings alone, the level rests on them; otherwise it rests on
    // assuming the worse answer for what is unknown, and the person is told which.
    let (reasons, assumed) = if certain.is_empty() {
        let mut assumed: Vec<FactId> = at_level
            .iter()
            .flat_map(|&rule| case.unknown_facts_of(&protocol.rules[rule]))
            .collect();
        assumed.sort_unstable();
        assumed.dedup();
        (at_level, assumed)
    } else {
        (certain, Vec::new())
    };
    let lines = advice_lines(protocol, said, level);
    let mut sources: Vec<SourceId> = Vec::new();
    let cited = reasons
        .iter()
        .flat_map(|&rule| &protocol.rules[rule].sources)
        .chain(
            lines
                .iter()
                .flat_map(|&line| &protocol.advice_lines[line].sources),
        );
    for &source in cited {
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    Assessment {
        level,
        reasons: reasons.into_iter().map(Reason::Rule).collect(),
        assumed,
        lines,
        sources,
    }
}

/// The advice lines of `level` whose conditions hold for certain: a line is shown only for what
/// the person said, never for what they were not asked or were unsure of.
pub fn advice_lines(protocol: &Protocol, case: &Case, level: Level) -> Vec<LineId> {
    (0..protocol.advice_lines.len())
        .filter(|&line| {
            let line = &protocol.advice_lines[line];
            line.levels.contains(&level) && case.all_hold(protocol, &line.when, Reading::Certainly)
        })
        .collect()
}
