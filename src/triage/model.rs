//! The validated protocol: facts, questions and rules, as the loader in `content` builds them.
//!
//! Everything here is plain data with indices instead of names, so the core can assess a case
//! with array look-ups. Names stay available for messages, storage and the command line.

use serde::{Deserialize, Serialize};

/// Index of a fact in [`Protocol::facts`].
pub type FactId = usize;
/// Index of a question in [`Protocol::questions`].
pub type QuestionId = usize;
/// Index of a rule in [`Protocol::rules`].
pub type RuleId = usize;
/// Index of a source in [`Protocol::sources`].
pub type SourceId = usize;
/// Index of an advice line in [`Protocol::advice_lines`].
pub type LineId = usize;

/// The four triage levels of the contract, ordered from least to most urgent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    SelfCare,
    Routine,
    Urgent,
    Emergency,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::SelfCare, Level::Routine, Level::Urgent, Level::Emergency];

    /// The key used in the contract, the data files and the message ids.
    pub fn key(self) -> &'static str {
        match self {
            Level::SelfCare => "self_care",
            Level::Routine => "routine",
            Level::Urgent => "urgent",
            Level::Emergency => "emergency",
        }
    }

    /// The sign that starts every advice of this level (contract §1), and no other message.
    pub fn sign(self) -> &'static str {
        match self {
            Level::SelfCare => "🟢",
            Level::Routine => "🟡",
            Level::Urgent => "🟠",
            Level::Emergency => "🔴",
        }
    }

    pub fn from_key(key: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.key() == key)
    }
}

/// A known value of a fact. An unknown fact is `None` in a [`crate::triage::Case`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Bool(bool),
    Number(f64),
    /// Index into the fact's [`FactKind::Choice`] values.
    Choice(usize),
}

/// The upper edge of a band of a number fact; the last band has none.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge {
    /// The band holds numbers strictly below the edge.
    Below(f64),
    /// The band holds numbers up to and including the edge.
    AtMost(f64),
}

impl Edge {
    pub fn contains(self, number: f64) -> bool {
        match self {
            Edge::Below(edge) => number < edge,
            Edge::AtMost(edge) => number <= edge,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub id: String,
    pub upper: Option<Edge>,
    /// The number a chat answer of this band stands for.
    pub typical: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FactKind {
    Bool,
    Number { bands: Vec<Band> },
    Choice { values: Vec<String> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub key: String,
    pub kind: FactKind,
    /// The fact's values from best to worst, for "not sure" and the monotonicity proof.
    /// Empty for a fact without an order (age: both ends of life carry more risk).
    pub order: Vec<Value>,
    /// An unknown value is not assumed to be the worse one (clinical-rules 1.6, `spreading`).
    pub unknown_is_absent: bool,
    /// Not a key of the contract, but asked by SpotCheck.
    pub extra: bool,
    /// For an extra fact missing from a batch case: it is unknown (not absent) when this holds.
    pub missing_is_unknown_when: Vec<Condition>,
}

impl Fact {
    /// The least alarming value, which a skipped or not-applicable question stands for.
    pub fn best(&self) -> Option<Value> {
        self.order.first().copied()
    }

    pub fn worst(&self) -> Option<Value> {
        self.order.last().copied()
    }

    /// The position of a value in [`Fact::order`]: higher is worse.
    pub fn rank(&self, value: Value) -> Option<usize> {
        self.order.iter().position(|candidate| *candidate == value)
    }

    /// Every value a band or choice answer can give, for facts without an order.
    pub fn answer_values(&self) -> Vec<Value> {
        match &self.kind {
            FactKind::Bool => vec![Value::Bool(false), Value::Bool(true)],
            FactKind::Number { bands } => bands.iter().map(|b| Value::Number(b.typical)).collect(),
            FactKind::Choice { values } => (0..values.len()).map(Value::Choice).collect(),
        }
    }

    /// The band a number falls in.
    pub fn band_of(&self, number: f64) -> Option<usize> {
        let FactKind::Number { bands } = &self.kind else {
            return None;
        };
        bands
            .iter()
            .position(|band| band.upper.is_none_or(|edge| edge.contains(number)))
    }

    /// The name of a value as the contract writes it (`"stays"`, `"1_to_4y"`, `true`).
    pub fn value_name(&self, value: Value) -> String {
        match (&self.kind, value) {
            (FactKind::Choice { values }, Value::Choice(index)) => values[index].clone(),
            (FactKind::Number { bands }, Value::Number(number)) => self
                .band_of(number)
                .map(|band| bands[band].id.clone())
                .unwrap_or_else(|| number.to_string()),
            (_, Value::Bool(flag)) => flag.to_string(),
            (_, other) => format!("{other:?}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    Is(bool),
    OneOf(Vec<usize>),
    Compare(Comparison, f64),
}

/// One condition on one fact, as written in `when`, `unless`, `ask_if` and `applies_if`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub fact: FactId,
    pub test: Test,
}

impl Condition {
    /// Whether a known value passes the test.
    pub fn accepts(&self, value: Value) -> bool {
        match (&self.test, value) {
            (Test::Is(expected), Value::Bool(actual)) => *expected == actual,
            (Test::OneOf(allowed), Value::Choice(actual)) => allowed.contains(&actual),
            (Test::Compare(comparison, edge), Value::Number(actual)) => match comparison {
                Comparison::Less => actual < *edge,
                Comparison::LessOrEqual => actual <= *edge,
                Comparison::Greater => actual > *edge,
                Comparison::GreaterOrEqual => actual >= *edge,
            },
            // The loader only builds tests that fit their fact's kind.
            _ => false,
        }
    }
}

/// An exception to a rule: all of `all`, and at least one alternative of `any_of` (when given).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Exception {
    pub all: Vec<Condition>,
    pub any_of: Vec<Vec<Condition>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: String,
    pub level: Level,
    pub when: Vec<Condition>,
    /// Yes/no facts of which at least one must be yes; empty means no such requirement.
    pub when_any: Vec<FactId>,
    pub unless: Option<Exception>,
    pub sources: Vec<SourceId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    YesNo,
    AnyOf,
    Band,
    Choice,
    /// Several yes/no facts on one screen: "tick all that apply" (contract §4).
    Checklist,
}

impl QuestionKind {
    pub fn key(self) -> &'static str {
        match self {
            QuestionKind::YesNo => "yes_no",
            QuestionKind::AnyOf => "any_of",
            QuestionKind::Band => "band",
            QuestionKind::Choice => "choice",
            QuestionKind::Checklist => "checklist",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub facts: Vec<FactId>,
    /// The answers a check records, by key. For most kinds these are the buttons. A checklist
    /// records what was submitted: for every set of ticked facts, their keys joined by `+`
    /// (`none` when nothing is ticked; the others are then false), and the same again starting
    /// `unsure` (the facts left unticked are unknown); see [`Question::submission`].
    pub options: Vec<String>,
    /// The keys of the answer buttons (contract §5): the options, or for a checklist its fact
    /// keys, then `done`, `none` and `unsure`.
    pub buttons: Vec<String>,
    /// Its facts that are emergency signs alone: every fact of a `red_flag = true` yes/no or any-of
    /// question, or those a checklist names in `red_flags`. An answer that may mean one of them is
    /// present ([`Question::may_raise_red_flag`]) ends the check with emergency advice.
    pub red_flags: Vec<FactId>,
    /// Alternatives (any one suffices); empty means always.
    pub applies_if: Vec<Vec<Condition>>,
    pub ask_if: Vec<Vec<Condition>>,
    pub picture: Option<String>,
}

impl Question {
    /// The fact values an option sets. `None` is "not sure": the fact stays unknown.
    pub fn option_values(&self, protocol: &Protocol, option: usize) -> Vec<(FactId, Option<Value>)> {
        let yes_no = |flag: Option<bool>| -> Vec<(FactId, Option<Value>)> {
            self.facts
                .iter()
                .map(|&fact| (fact, flag.map(Value::Bool)))
                .collect()
        };
        match self.kind {
            QuestionKind::YesNo | QuestionKind::AnyOf => match option {
                0 => yes_no(Some(true)),
                1 => yes_no(Some(false)),
                _ => yes_no(None),
            },
            QuestionKind::Band => {
                let fact = self.facts[0];
                let FactKind::Number { bands } = &protocol.facts[fact].kind else {
                    return Vec::new();
                };
                vec![(fact, bands.get(option).map(|band| Value::Number(band.typical)))]
            }
            QuestionKind::Choice => vec![(self.facts[0], Some(Value::Choice(option)))],
            QuestionKind::Checklist => {
                let sets = 1usize << self.facts.len();
                let rest = (option < sets).then_some(Value::Bool(false));
                let ticked = option % sets;
                self.facts
                    .iter()
                    .enumerate()
                    .map(|(bit, &fact)| {
                        let value = if ticked & (1 << bit) != 0 {
                            Some(Value::Bool(true))
                        } else {
                            rest
                        };
                        (fact, value)
                    })
                    .collect()
            }
        }
    }

    /// The option a checklist records when `ticked` are submitted with `done` (or `none`), or
    /// with `unsure` (the others unknown). `None` when a fact is not on this checklist.
    pub fn submission(&self, ticked: &[FactId], unsure: bool) -> Option<usize> {
        let mut set = 0usize;
        for fact in ticked {
            set |= 1 << self.facts.iter().position(|own| own == fact)?;
        }
        let sets = 1usize << self.facts.len();
        Some(if unsure { sets + set } else { set })
    }

    /// The facts a checklist option ticks.
    pub fn ticked(&self, option: usize) -> Vec<FactId> {
        let ticked = option % (1usize << self.facts.len());
        (0..self.facts.len())
            .filter(|bit| ticked & (1 << bit) != 0)
            .map(|bit| self.facts[bit])
            .collect()
    }

    /// Whether `option` says, or leaves open, that a red flag is present: a "yes" or "not sure" to
    /// a red-flag question, or a checklist submission that ticks a red flag, or is "not sure
    /// about some" with a red flag left unticked.
    pub fn may_raise_red_flag(&self, option: usize) -> bool {
        match self.kind {
            _ if self.red_flags.is_empty() => false,
            QuestionKind::Checklist => {
                let ticked = self.ticked(option);
                let unsure = option >= 1usize << self.facts.len();
                self.red_flags.iter().any(|fact| ticked.contains(fact) || unsure)
            }
            _ => option != 1,
        }
    }

    pub fn option_index(&self, key: &str) -> Option<usize> {
        self.options.iter().position(|option| option == key)
    }
}

/// A line of advice that fits some answers (home care for a child's fever, say): shown in the
/// advice of its levels when every condition holds for certain.
#[derive(Clone, Debug, PartialEq)]
pub struct AdviceLine {
    pub id: String,
    pub levels: Vec<Level>,
    pub when: Vec<Condition>,
    pub sources: Vec<SourceId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub id: String,
    pub short: String,
    pub title: String,
    pub url: String,
}

/// A re-check hours after a finished check (a reminder): the question asked again, and its options
/// for "the spots still fade" and "they don't fade now".
#[derive(Clone, Debug, PartialEq)]
pub struct Recheck {
    pub question: QuestionId,
    pub still_fades: usize,
    pub no_longer_fades: usize,
}

/// The whole validated protocol. Build it with `content::load`.
#[derive(Clone, Debug, PartialEq)]
pub struct Protocol {
    pub facts: Vec<Fact>,
    pub questions: Vec<Question>,
    pub rules: Vec<Rule>,
    pub sources: Vec<Source>,
    /// The re-check a reminder asks for; `None` only in a protocol built by hand.
    pub recheck: Option<Recheck>,
    pub advice_lines: Vec<AdviceLine>,
    /// Rule ids from the most to the least urgent level, so the level of a case is the level of
    /// the first rule that matches.
    rules_by_level: Vec<RuleId>,
}

impl Protocol {
    pub fn new(
        facts: Vec<Fact>,
        questions: Vec<Question>,
        rules: Vec<Rule>,
        sources: Vec<Source>,
    ) -> Protocol {
        let mut rules_by_level: Vec<RuleId> = (0..rules.len()).collect();
        rules_by_level.sort_by_key(|&rule| std::cmp::Reverse(rules[rule].level));
        Protocol {
            facts,
            questions,
            rules,
            sources,
            recheck: None,
            advice_lines: Vec::new(),
            rules_by_level,
        }
    }

    pub fn rules_by_level(&self) -> impl Iterator<Item = &Rule> {
        self.rules_by_level.iter().map(|&rule| &self.rules[rule])
    }

    pub fn fact_id(&self, key: &str) -> Option<FactId> {
        self.facts.iter().position(|fact| fact.key == key)
    }

    pub fn question_id(&self, key: &str) -> Option<QuestionId> {
        self.questions.iter().position(|question| question.id == key)
    }

    /// The question that asks about a fact, if any.
    pub fn question_of_fact(&self, fact: FactId) -> Option<QuestionId> {
        self.questions
            .iter()
            .position(|question| question.facts.contains(&fact))
    }
}
