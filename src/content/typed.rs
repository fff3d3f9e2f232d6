//! Words a person may type instead of pressing a button, per language (`typed.toml`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::problems::Problems;
use crate::triage::{FactId, FactKind, Protocol};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTyped {
    yes: Vec<String>,
    no: Vec<String>,
    unsure: Vec<String>,
    #[serde(default)]
    age_units: BTreeMap<String, Vec<String>>,
    /// Words that, just before an emergency phrase, deny it ("no fit", "not confused").
    #[serde(default)]
    negations: Vec<String>,
    emergency_phrases: BTreeMap<String, Vec<String>>,
}

/// A typed reply to a yes/no question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YesNo {
    Yes,
    No,
    Unsure,
}

/// The typed words of one language, normalised for whole-word matching.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TypedWords {
    yes: Vec<String>,
    no: Vec<String>,
    unsure: Vec<String>,
    /// Unit word → how many years one unit is.
    age_units: Vec<(String, f64)>,
    negations: Vec<String>,
    emergency: Vec<(String, FactId)>,
}

const AGE_UNITS: &[(&str, f64)] = &[
    ("years", 1.0),
    ("months", 1.0 / 12.0),
    ("weeks", 7.0 / 365.25),
    ("days", 1.0 / 365.25),
];

impl TypedWords {
    pub fn parse(file: &str, text: &str, protocol: &Protocol) -> Result<TypedWords, Problems> {
        let mut problems = Problems::default();
        let raw: RawTyped = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(error) => {
                problems.add(file, "(file)", super::problems::toml_error(&error));
                return Err(problems);
            }
        };
        let mut words = TypedWords {
            yes: raw.yes.iter().map(|w| normalise(w)).collect(),
            no: raw.no.iter().map(|w| normalise(w)).collect(),
            unsure: raw.unsure.iter().map(|w| normalise(w)).collect(),
            negations: raw.negations.iter().map(|w| normalise(w)).collect(),
            ..TypedWords::default()
        };
        for (unit, names) in &raw.age_units {
            match AGE_UNITS.iter().find(|(known, _)| known == unit) {
                Some(&(_, years)) => words
                    .age_units
                    .extend(names.iter().map(|name| (normalise(name), years))),
                None => problems.add(
                    file,
                    format!("age_units.{unit}"),
                    "unknown unit (years, months, weeks, days)",
                ),
            }
        }
        for (key, phrases) in &raw.emergency_phrases {
            match protocol.fact_id(key) {
                Some(fact) if protocol.facts[fact].kind == FactKind::Bool => words
                    .emergency
                    .extend(phrases.iter().map(|phrase| (normalise(phrase), fact))),
                _ => problems.add(
                    file,
                    format!("emergency_phrases.{key}"),
                    "is not a yes/no fact of the protocol",
                ),
            }
        }
        let all = words.yes.iter().chain(&words.no).chain(&words.unsure);
        for phrase in all.chain(words.emergency.iter().map(|(phrase, _)| phrase)) {
            if phrase.is_empty() {
                problems.add(file, "(phrases)", "a phrase is empty after removing punctuation");
            }
        }
        problems.into_result()?;
        Ok(words)
    }

    /// Every fact some emergency phrase reports.
    pub fn emergency_facts(&self) -> Vec<FactId> {
        let mut facts: Vec<FactId> = self.emergency.iter().map(|&(_, fact)| fact).collect();
        facts.sort_unstable();
        facts.dedup();
        facts
    }

    /// The fact an emergency phrase in the text signals, if any. Phrases match whole words
    /// within one clause ("no, he's breathing fine" is two clauses), and not right after a
    /// negation ("no fit").
    pub fn emergency_fact(&self, text: &str) -> Option<FactId> {
        let lowered = text.to_lowercase();
        lowered
            .split([',', '.', ';', '!', '?', '\n', '(', ')'])
            .find_map(|clause| self.emergency_fact_in_clause(&normalise(clause)))
    }

    fn emergency_fact_in_clause(&self, clause: &str) -> Option<FactId> {
        let words: Vec<&str> = clause.split_whitespace().collect();
        self.emergency.iter().find_map(|(phrase, fact)| {
            let phrase: Vec<&str> = phrase.split_whitespace().collect();
            let found = (0..words.len())
                .filter(|&start| words[start..].starts_with(&phrase))
                .any(|start| {
                    start == 0 || !self.negations.iter().any(|negation| negation == words[start - 1])
                });
            found.then_some(*fact)
        })
    }

    /// A typed yes, no or not sure; the whole reply must be one of the words.
    pub fn yes_no(&self, text: &str) -> Option<YesNo> {
        let text = normalise(text);
        [
            (YesNo::Unsure, &self.unsure),
            (YesNo::Yes, &self.yes),
            (YesNo::No, &self.no),
        ]
        .into_iter()
        .find(|(_, words)| words.contains(&text))
        .map(|(answer, _)| answer)
    }

    /// A typed age ("2", "2 years", "8 months", "3 weeks") in years.
    pub fn age_years(&self, text: &str) -> Option<f64> {
        let text = normalise(text);
        let mut parts = text.split_whitespace();
        let number: f64 = parts.next()?.replace(',', ".").parse().ok()?;
        let unit = parts.collect::<Vec<_>>().join(" ");
        let years_per_unit = if unit.is_empty() {
            1.0
        } else {
            self.age_units.iter().find(|(name, _)| *name == unit)?.1
        };
        let years = number * years_per_unit;
        (number.is_finite() && (0.0..=130.0).contains(&years)).then_some(years)
    }
}

/// Lower case, punctuation to spaces (apostrophes dropped, so "can't" matches "cant"), single spaces.
pub fn normalise(text: &str) -> String {
    let cleaned: String = text
        .to_lowercase()
        .chars()
        .filter(|&c| c != '\'' && c != '’')
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == ',' {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .map(|word| word.trim_matches(|c| c == '.' || c == ','))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
