//! A case: what is known about the person, fact by fact. Unknown is a real state, not `false`.

use super::model::{Condition, Exception, FactId, Protocol, Rule, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    values: Vec<Option<Value>>,
}

/// How an unknown fact is read by a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Unknown counts as matching: the worse answer is assumed (rules' `when`, `ask_if`).
    Possibly,
    /// Unknown never matches (exceptions, and reasons that need certainty).
    Certainly,
}

impl Case {
    /// A case where every fact is unknown.
    pub fn unknown(protocol: &Protocol) -> Case {
        Case {
            values: vec![None; protocol.facts.len()],
        }
    }

    pub fn get(&self, fact: FactId) -> Option<Value> {
        self.values[fact]
    }

    pub fn set(&mut self, fact: FactId, value: Option<Value>) {
        self.values[fact] = value;
    }

    pub fn with(mut self, fact: FactId, value: Option<Value>) -> Case {
        self.set(fact, value);
        self
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether a condition holds, reading an unknown fact as `reading` says.
    pub fn holds(&self, protocol: &Protocol, condition: &Condition, reading: Reading) -> bool {
        match self.values[condition.fact] {
            Some(value) => condition.accepts(value),
            None if reading == Reading::Certainly => false,
            None => {
                let fact = &protocol.facts[condition.fact];
                match (fact.unknown_is_absent, fact.best()) {
                    (true, Some(best)) => condition.accepts(best),
                    _ => true,
                }
            }
        }
    }

    pub fn all_hold(&self, protocol: &Protocol, conditions: &[Condition], reading: Reading) -> bool {
        conditions
            .iter()
            .all(|condition| self.holds(protocol, condition, reading))
    }

    /// Whether any alternative holds; no alternatives at all means "always".
    pub fn any_alternative_holds(
        &self,
        protocol: &Protocol,
        alternatives: &[Vec<Condition>],
        reading: Reading,
    ) -> bool {
        alternatives.is_empty()
            || alternatives
                .iter()
                .any(|conditions| self.all_hold(protocol, conditions, reading))
    }

    fn exception_holds(&self, protocol: &Protocol, exception: &Exception) -> bool {
        // An exception lowers the level, so it must hold for certain.
        self.all_hold(protocol, &exception.all, Reading::Certainly)
            && (exception.any_of.is_empty()
                || exception
                    .any_of
                    .iter()
                    .any(|alternative| self.all_hold(protocol, alternative, Reading::Certainly)))
    }

    fn any_yes(&self, protocol: &Protocol, facts: &[FactId], reading: Reading) -> bool {
        facts.is_empty()
            || facts.iter().any(|&fact| {
                let yes = Condition {
                    fact,
                    test: super::model::Test::Is(true),
                };
                self.holds(protocol, &yes, reading)
            })
    }

    /// Whether a rule applies. With `Reading::Possibly` unknown findings count against the
    /// person (the rule's level is reached); with `Certainly` only known findings count.
    pub fn matches(&self, protocol: &Protocol, rule: &Rule, reading: Reading) -> bool {
        self.all_hold(protocol, &rule.when, reading)
            && self.any_yes(protocol, &rule.when_any, reading)
            && !rule
                .unless
                .as_ref()
                .is_some_and(|exception| self.exception_holds(protocol, exception))
    }

    /// The facts a rule relies on that are unknown here.
    pub fn unknown_facts_of(&self, rule: &Rule) -> Vec<FactId> {
        let mentioned = rule
            .when
            .iter()
            .map(|condition| condition.fact)
            .chain(rule.when_any.iter().copied());
        let mut unknown: Vec<FactId> = mentioned.filter(|&fact| self.values[fact].is_none()).collect();
        unknown.dedup();
        unknown
    }
}
