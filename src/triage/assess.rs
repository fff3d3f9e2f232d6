//! `assess`: from a case to a level with the findings that decided it.

use super::case::{Case, Reading};
use super::model::{FactId, Level, Protocol, QuestionId, RuleId, SourceId};

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
    /// The sources of the deciding rules, without repeats.
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
    let mut sources: Vec<SourceId> = Vec::new();
    for &rule in &reasons {
        for &source in &protocol.rules[rule].sources {
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
    }
    Assessment {
        level,
        reasons: reasons.into_iter().map(Reason::Rule).collect(),
        assumed,
        sources,
    }
}
