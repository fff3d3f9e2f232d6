//! Reading `protocol.toml`: raw TOML first, then a validated [`Protocol`], like a compiler checks
//! a program. Each entry is read on its own, so one run lists every problem in the file.

use serde::Deserialize;
use toml::{Table, Value as TomlValue};

use super::problems::Problems;
use crate::triage::{
    AdviceLine, Band, Comparison, Condition, Edge, Exception, Fact, FactKind, Level, Protocol, Question,
    QuestionKind, Recheck, Rule, Source, Test, Value,
};

pub const FILE: &str = "protocol.toml";

/// The fact keys of the triage contract (§2); every one must be defined.
pub const CONTRACT_FACTS: &[&str] = &[
    "age_years",
    "blanching",
    "spot_size",
    "days_present",
    "spreading",
    "itchy",
    "fever",
    "scarlet_fever_signs",
    "feels_very_unwell",
    "headache",
    "stiff_neck",
    "light_sensitivity",
    "drowsy_or_confused",
    "fast_breathing_or_heart",
    "cold_hands_feet_or_mottled",
    "vomiting",
    "seizure",
    "unusual_bleeding",
    "recent_strain",
    "rash_only_above_nipple_line",
    "recent_injury_or_friction_at_site",
    "heat_or_new_skin_product",
    "takes_blood_thinner",
    "recent_infection",
    "chronic_condition",
    "pregnant",
    "tick_bite_or_travel",
];

/// Telegram's limit for `callback_data`.
pub const MAX_CALLBACK_BYTES: usize = 64;

/// The callback data of an answer button (contract §5).
pub fn answer_callback_data(question: &str, option: &str) -> String {
    format!("a:{question}:{option}")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    short: String,
    title: String,
    url: String,
    #[serde(default)]
    letter: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    kind: String,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    bands: Vec<RawBand>,
    #[serde(default)]
    worse: Option<TomlValue>,
    #[serde(default)]
    order: Vec<String>,
    #[serde(default)]
    if_unknown: Option<String>,
    #[serde(default)]
    extra: bool,
    #[serde(default)]
    missing_is_unknown_when: Option<TomlValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    id: String,
    below: Option<f64>,
    at_most: Option<f64>,
    typical: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: String,
    facts: Vec<String>,
    #[serde(default)]
    red_flag: bool,
    /// A checklist's facts that are red flags (a yes/no or any-of question is one as a whole).
    #[serde(default)]
    red_flags: Vec<String>,
    #[serde(default)]
    applies_if: Option<TomlValue>,
    #[serde(default)]
    ask_if: Option<TomlValue>,
    #[serde(default)]
    picture: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdviceLine {
    id: String,
    levels: Vec<String>,
    when: Table,
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    level: String,
    #[serde(default)]
    when: Table,
    #[serde(default)]
    when_any: Vec<String>,
    #[serde(default)]
    unless: Option<RawException>,
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecheck {
    question: String,
    still_fades: String,
    no_longer_fades: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    #[serde(default)]
    all: Table,
    #[serde(default)]
    any_of: Vec<Table>,
}

/// The most facts one checklist may hold: its answers number 2^(facts + 1), and the verifier walks
/// each of them.
pub const MAX_CHECKLIST_FACTS: usize = 8;
/// The buttons that end a checklist (contract §4).
pub const CHECKLIST_DONE: &str = "done";
pub const CHECKLIST_NONE: &str = "none";
pub const CHECKLIST_UNSURE: &str = "unsure";

/// Parses and validates `protocol.toml`, listing every problem found.
pub fn parse(text: &str) -> Result<Protocol, Problems> {
    let mut problems = Problems::default();
    let top: Table = match text.parse() {
        Ok(table) => table,
        Err(error) => {
            problems.add(FILE, "(file)", super::problems::toml_error(&error));
            return Err(problems);
        }
    };
    for key in top.keys() {
        if !["sources", "facts", "question", "rule", "recheck", "advice_line"].contains(&key.as_str()) {
            problems.add(
                FILE,
                key,
                "unknown section (expected sources, facts, question, rule, recheck, advice_line)",
            );
        }
    }
    let mut builder = Builder {
        problems,
        protocol: Protocol::new(Vec::new(), Vec::new(), Vec::new(), Vec::new()),
    };
    builder.sources(top.get("sources"));
    builder.facts(top.get("facts"));
    builder.questions(top.get("question"));
    builder.rules(top.get("rule"));
    let recheck = builder.recheck(top.get("recheck"));
    let advice_lines = builder.advice_lines(top.get("advice_line"));
    builder.problems.into_result()?;
    let Protocol {
        facts,
        questions,
        rules,
        sources,
        ..
    } = builder.protocol;
    let mut protocol = Protocol::new(facts, questions, rules, sources);
    protocol.recheck = recheck;
    protocol.advice_lines = advice_lines;
    Ok(protocol)
}

struct Builder {
    problems: Problems,
    protocol: Protocol,
}

/// Reads one entry into its raw type, recording a problem instead of failing.
fn entry<T: for<'de> Deserialize<'de>>(problems: &mut Problems, key: &str, value: &TomlValue) -> Option<T> {
    match value.clone().try_into::<T>() {
        Ok(raw) => Some(raw),
        Err(error) => {
            let message = error.message().trim();
            let message = if message.is_empty() {
                "has an unexpected form"
            } else {
                message
            };
            problems.add(FILE, key, message.to_string());
            None
        }
    }
}

fn table<'a>(problems: &mut Problems, key: &str, value: Option<&'a TomlValue>) -> Option<&'a Table> {
    match value {
        Some(TomlValue::Table(table)) => Some(table),
        Some(_) => {
            problems.add(FILE, key, "must be a table");
            None
        }
        None => {
            problems.add(FILE, key, "is missing");
            None
        }
    }
}

fn array<'a>(problems: &mut Problems, key: &str, value: Option<&'a TomlValue>) -> &'a [TomlValue] {
    match value {
        Some(TomlValue::Array(items)) => items,
        Some(_) => {
            problems.add(FILE, key, format!("must be written as [[{key}]] entries"));
            &[]
        }
        None => {
            problems.add(FILE, key, "is missing");
            &[]
        }
    }
}

impl Builder {
    fn sources(&mut self, value: Option<&TomlValue>) {
        let Some(sources) = table(&mut self.problems, "sources", value) else {
            return;
        };
        for (id, value) in sources {
            let key = format!("sources.{id}");
            let Some(raw) = entry::<RawSource>(&mut self.problems, &key, value) else {
                continue;
            };
            for (field, text) in [("short", &raw.short), ("title", &raw.title), ("url", &raw.url)] {
                if text.trim().is_empty() {
                    self.problems.add(FILE, format!("{key}.{field}"), "is empty");
                }
            }
            let _ = raw.letter;
            self.protocol.sources.push(Source {
                id: id.clone(),
                short: raw.short,
                title: raw.title,
                url: raw.url,
            });
        }
    }

    fn facts(&mut self, value: Option<&TomlValue>) {
        let Some(facts) = table(&mut self.problems, "facts", value) else {
            return;
        };
        let mut pending_conditions = Vec::new();
        for (key, value) in facts {
            let path = format!("facts.{key}");
            let Some(raw) = entry::<RawFact>(&mut self.problems, &path, value) else {
                continue;
            };
            if let Some(fact) = self.fact(&path, key, &raw) {
                pending_conditions.push((self.protocol.facts.len(), raw.missing_is_unknown_when));
                self.protocol.facts.push(fact);
            }
        }
        for contract_key in CONTRACT_FACTS {
            if self.protocol.fact_id(contract_key).is_none() {
                self.problems.add(
                    FILE,
                    format!("facts.{contract_key}"),
                    "a fact of the triage contract is missing",
                );
            }
        }
        // Conditions may name any fact, so they are read once all facts are known.
        for (fact, raw) in pending_conditions {
            if let Some(raw) = raw {
                let path = format!("facts.{}.missing_is_unknown_when", self.protocol.facts[fact].key);
                self.protocol.facts[fact].missing_is_unknown_when =
                    self.alternatives(&path, &raw).into_iter().flatten().collect();
            }
        }
    }

    fn fact(&mut self, path: &str, key: &str, raw: &RawFact) -> Option<Fact> {
        let is_contract = CONTRACT_FACTS.contains(&key);
        if !is_contract && !raw.extra {
            self.problems.add(
                FILE,
                path,
                "is not a fact of the triage contract; mark it `extra = true`",
            );
        }
        if is_contract && raw.extra {
            self.problems.add(
                FILE,
                path,
                "is a fact of the triage contract, so it cannot be `extra`",
            );
        }
        if !is_snake_case(key) {
            self.problems.add(FILE, path, "fact keys must be snake_case");
        }
        let unknown_is_absent = match raw.if_unknown.as_deref() {
            None => false,
            Some("absent") => true,
            Some(other) => {
                self.problems.add(
                    FILE,
                    format!("{path}.if_unknown"),
                    format!("unknown value `{other}` (only \"absent\")"),
                );
                false
            }
        };
        let (kind, order) = match raw.kind.as_str() {
            "bool" => (FactKind::Bool, self.bool_order(path, raw)),
            "number" => {
                let bands = self.bands(path, &raw.bands);
                let order = self.band_order(path, raw, &bands);
                (FactKind::Number { bands }, order)
            }
            "choice" => {
                let order = self.choice_order(path, raw);
                (
                    FactKind::Choice {
                        values: raw.values.clone(),
                    },
                    order,
                )
            }
            other => {
                self.problems.add(
                    FILE,
                    format!("{path}.kind"),
                    format!("unknown kind `{other}` (bool, number, choice)"),
                );
                return None;
            }
        };
        if unknown_is_absent && order.is_empty() {
            self.problems.add(
                FILE,
                path,
                "`if_unknown = \"absent\"` needs an order of its values",
            );
        }
        Some(Fact {
            key: key.to_string(),
            kind,
            order,
            unknown_is_absent,
            extra: raw.extra,
            missing_is_unknown_when: Vec::new(),
        })
    }

    fn bool_order(&mut self, path: &str, raw: &RawFact) -> Vec<Value> {
        match &raw.worse {
            None | Some(TomlValue::Boolean(true)) => vec![Value::Bool(false), Value::Bool(true)],
            Some(TomlValue::Boolean(false)) => vec![Value::Bool(true), Value::Bool(false)],
            Some(_) => {
                self.problems
                    .add(FILE, format!("{path}.worse"), "must be true or false");
                Vec::new()
            }
        }
    }

    fn bands(&mut self, path: &str, raw: &[RawBand]) -> Vec<Band> {
        if raw.is_empty() {
            self.problems.add(FILE, path, "a number fact needs `bands`");
        }
        let mut bands = Vec::new();
        let mut previous_edge = f64::NEG_INFINITY;
        for (index, band) in raw.iter().enumerate() {
            let band_path = format!("{path}.bands.{}", band.id);
            let last = index + 1 == raw.len();
            let upper = match (band.below, band.at_most) {
                (Some(edge), None) => Some(Edge::Below(edge)),
                (None, Some(edge)) => Some(Edge::AtMost(edge)),
                (None, None) => None,
                (Some(_), Some(_)) => {
                    self.problems
                        .add(FILE, &band_path, "give `below` or `at_most`, not both");
                    None
                }
            };
            let edge = upper.map(|edge| match edge {
                Edge::Below(value) | Edge::AtMost(value) => value,
            });
            match (upper, last) {
                (None, false) => self
                    .problems
                    .add(FILE, &band_path, "only the last band may be open-ended"),
                (Some(_), true) => self
                    .problems
                    .add(FILE, &band_path, "the last band must be open-ended"),
                _ => {}
            }
            if let Some(edge) = edge {
                if edge <= previous_edge {
                    self.problems.add(FILE, &band_path, "band edges must increase");
                }
            }
            let in_band =
                band.typical >= previous_edge && upper.is_none_or(|edge| edge.contains(band.typical));
            if !in_band {
                self.problems
                    .add(FILE, &band_path, "`typical` lies outside the band");
            }
            previous_edge = edge.unwrap_or(previous_edge);
            bands.push(Band {
                id: band.id.clone(),
                upper,
                typical: band.typical,
            });
        }
        bands
    }

    fn band_order(&mut self, path: &str, raw: &RawFact, bands: &[Band]) -> Vec<Value> {
        let ascending: Vec<Value> = bands.iter().map(|band| Value::Number(band.typical)).collect();
        match &raw.worse {
            None => Vec::new(),
            Some(TomlValue::String(worse)) if bands.last().is_some_and(|band| &band.id == worse) => ascending,
            Some(TomlValue::String(worse)) if bands.first().is_some_and(|band| &band.id == worse) => {
                ascending.into_iter().rev().collect()
            }
            Some(_) => {
                self.problems.add(
                    FILE,
                    format!("{path}.worse"),
                    "must name the first or the last band",
                );
                Vec::new()
            }
        }
    }

    fn choice_order(&mut self, path: &str, raw: &RawFact) -> Vec<Value> {
        if raw.values.is_empty() {
            self.problems.add(FILE, path, "a choice fact needs `values`");
        }
        let mut sorted = raw.order.clone();
        sorted.sort();
        let mut values = raw.values.clone();
        values.sort();
        if sorted != values {
            self.problems.add(
                FILE,
                format!("{path}.order"),
                "must list every value of `values` once, best first",
            );
            return Vec::new();
        }
        if let Some(TomlValue::String(worse)) = &raw.worse {
            if raw.order.last() != Some(worse) {
                self.problems
                    .add(FILE, format!("{path}.worse"), "must be the last value of `order`");
            }
        }
        raw.order
            .iter()
            .filter_map(|name| raw.values.iter().position(|value| value == name))
            .map(Value::Choice)
            .collect()
    }

    /// The re-check a reminder asks: a question of the protocol and two of its options.
    fn recheck(&mut self, value: Option<&TomlValue>) -> Option<Recheck> {
        let value = value.or_else(|| {
            self.problems.add(FILE, "recheck", "is missing");
            None
        })?;
        let raw = entry::<RawRecheck>(&mut self.problems, "recheck", value)?;
        let Some(question) = self.protocol.question_id(&raw.question) else {
            // A question that failed to load is already reported; do not report it twice.
            if !self.problems.is_empty() {
                return None;
            }
            self.problems.add(
                FILE,
                "recheck.question",
                format!("`{}` is not a question", raw.question),
            );
            return None;
        };
        let mut option = |field: &str, name: &str| {
            let index = self.protocol.questions[question].option_index(name);
            if index.is_none() {
                self.problems.add(
                    FILE,
                    format!("recheck.{field}"),
                    format!("`{name}` is not an option of `{}`", raw.question),
                );
            }
            index
        };
        let still_fades = option("still_fades", &raw.still_fades);
        let no_longer_fades = option("no_longer_fades", &raw.no_longer_fades);
        Some(Recheck {
            question,
            still_fades: still_fades?,
            no_longer_fades: no_longer_fades?,
        })
    }

    fn questions(&mut self, value: Option<&TomlValue>) {
        let mut asked_facts: Vec<usize> = Vec::new();
        for (index, value) in array(&mut self.problems, "question", value).iter().enumerate() {
            let fallback = format!("question[{index}]");
            let id = value
                .get("id")
                .and_then(TomlValue::as_str)
                .unwrap_or(&fallback)
                .to_string();
            let path = format!("question.{id}");
            let Some(raw) = entry::<RawQuestion>(&mut self.problems, &path, value) else {
                continue;
            };
            if self.protocol.question_id(&raw.id).is_some() {
                self.problems.add(FILE, &path, "the question id is used twice");
            }
            let Some(question) = self.question(&path, &raw, &asked_facts) else {
                continue;
            };
            for &fact in &question.facts {
                if asked_facts.contains(&fact) {
                    self.problems.add(
                        FILE,
                        &path,
                        format!(
                            "`{}` is already asked by another question",
                            self.protocol.facts[fact].key
                        ),
                    );
                }
                asked_facts.push(fact);
            }
            self.protocol.questions.push(question);
        }
    }

    fn question(&mut self, path: &str, raw: &RawQuestion, earlier_facts: &[usize]) -> Option<Question> {
        let kind = match raw.kind.as_str() {
            "yes_no" => QuestionKind::YesNo,
            "any_of" => QuestionKind::AnyOf,
            "band" => QuestionKind::Band,
            "choice" => QuestionKind::Choice,
            "checklist" => QuestionKind::Checklist,
            other => {
                self.problems.add(
                    FILE,
                    format!("{path}.kind"),
                    format!("unknown kind `{other}` (yes_no, any_of, band, choice, checklist)"),
                );
                return None;
            }
        };
        let facts: Vec<usize> = raw
            .facts
            .iter()
            .filter_map(|key| self.fact_ref(path, key))
            .collect();
        if facts.len() != raw.facts.len() {
            return None;
        }
        let fits = match kind {
            QuestionKind::YesNo => facts.len() == 1 && self.is_bool(facts[0]),
            QuestionKind::AnyOf => facts.len() >= 2 && facts.iter().all(|&fact| self.is_bool(fact)),
            QuestionKind::Band => {
                facts.len() == 1 && matches!(self.protocol.facts[facts[0]].kind, FactKind::Number { .. })
            }
            QuestionKind::Choice => {
                facts.len() == 1 && matches!(self.protocol.facts[facts[0]].kind, FactKind::Choice { .. })
            }
            QuestionKind::Checklist => {
                (2..=MAX_CHECKLIST_FACTS).contains(&facts.len())
                    && facts.iter().all(|&fact| self.is_bool(fact))
            }
        };
        if !fits {
            self.problems.add(
                FILE,
                format!("{path}.facts"),
                format!("a `{}` question needs {}", kind.key(), kind_needs(kind)),
            );
            return None;
        }
        let red_flags = self.red_flags(path, raw, kind, &facts);
        let (options, buttons) = match kind {
            QuestionKind::Checklist => self.checklist_options(&facts),
            _ => {
                let options = self.options(kind, facts[0]);
                (options.clone(), options)
            }
        };
        for option in &buttons {
            let data = answer_callback_data(&raw.id, option);
            if data.len() > MAX_CALLBACK_BYTES {
                self.problems.add(
                    FILE,
                    path,
                    format!(
                        "callback data `{data}` is {} bytes; Telegram allows {MAX_CALLBACK_BYTES}",
                        data.len()
                    ),
                );
            }
        }
        let mut conditions = |name: &str, value: &Option<TomlValue>| -> Vec<Vec<Condition>> {
            let Some(value) = value else {
                return Vec::new();
            };
            let alternatives = self.alternatives(&format!("{path}.{name}"), value);
            for condition in alternatives.iter().flatten() {
                if !earlier_facts.contains(&condition.fact) {
                    self.problems.add(
                        FILE,
                        format!("{path}.{name}"),
                        format!(
                            "`{}` is not a fact of an earlier question",
                            self.protocol.facts[condition.fact].key
                        ),
                    );
                }
            }
            alternatives
        };
        let applies_if = conditions("applies_if", &raw.applies_if);
        let ask_if = conditions("ask_if", &raw.ask_if);
        Some(Question {
            id: raw.id.clone(),
            kind,
            facts,
            options,
            buttons,
            red_flags,
            applies_if,
            ask_if,
            picture: raw.picture.clone(),
        })
    }

    /// The red-flag facts of a question: all of a `red_flag = true` yes/no or any-of question's, or
    /// the `red_flags` of a checklist, each one of its own facts.
    fn red_flags(
        &mut self,
        path: &str,
        raw: &RawQuestion,
        kind: QuestionKind,
        facts: &[usize],
    ) -> Vec<usize> {
        let whole = matches!(kind, QuestionKind::YesNo | QuestionKind::AnyOf);
        if raw.red_flag && !whole {
            self.problems.add(
                FILE,
                path,
                "only yes/no and any-of questions can be red flags (a checklist names its `red_flags`)",
            );
        }
        if !raw.red_flags.is_empty() && kind != QuestionKind::Checklist {
            self.problems.add(
                FILE,
                format!("{path}.red_flags"),
                "only a checklist names its red flags (a yes/no or any-of question sets `red_flag = true`)",
            );
            return Vec::new();
        }
        if raw.red_flag && whole {
            return facts.to_vec();
        }
        let mut named = Vec::new();
        for key in &raw.red_flags {
            match facts
                .iter()
                .copied()
                .find(|&fact| self.protocol.facts[fact].key == *key)
            {
                Some(fact) => named.push(fact),
                None => self.problems.add(
                    FILE,
                    format!("{path}.red_flags"),
                    format!("`{key}` is not one of the checklist's facts"),
                ),
            }
        }
        named
    }

    /// A checklist's recorded options (every submission, in `Question::submission`'s order) and
    /// its buttons: the facts, then `done`, `none` and `unsure`.
    fn checklist_options(&self, facts: &[usize]) -> (Vec<String>, Vec<String>) {
        let keys: Vec<&str> = facts
            .iter()
            .map(|&fact| self.protocol.facts[fact].key.as_str())
            .collect();
        let mut options = Vec::new();
        for unsure in [false, true] {
            for set in 0..1usize << keys.len() {
                let mut parts: Vec<&str> = Vec::new();
                if unsure {
                    parts.push(CHECKLIST_UNSURE);
                }
                parts.extend(
                    (0..keys.len())
                        .filter(|bit| set & (1 << bit) != 0)
                        .map(|bit| keys[bit]),
                );
                if parts.is_empty() {
                    parts.push(CHECKLIST_NONE);
                }
                options.push(parts.join("+"));
            }
        }
        let mut buttons: Vec<String> = keys.iter().map(|key| key.to_string()).collect();
        buttons.extend([CHECKLIST_DONE, CHECKLIST_NONE, CHECKLIST_UNSURE].map(String::from));
        (options, buttons)
    }

    fn options(&self, kind: QuestionKind, fact: usize) -> Vec<String> {
        match (&self.protocol.facts[fact].kind, kind) {
            (FactKind::Number { bands }, _) => bands.iter().map(|band| band.id.clone()).collect(),
            (FactKind::Choice { values }, _) => values.clone(),
            (FactKind::Bool, _) => ["yes", "no", "unsure"].map(String::from).to_vec(),
        }
    }

    fn rules(&mut self, value: Option<&TomlValue>) {
        for (index, value) in array(&mut self.problems, "rule", value).iter().enumerate() {
            let fallback = format!("rule[{index}]");
            let id = value
                .get("id")
                .and_then(TomlValue::as_str)
                .unwrap_or(&fallback)
                .to_string();
            let path = format!("rule.{id}");
            let Some(raw) = entry::<RawRule>(&mut self.problems, &path, value) else {
                continue;
            };
            if self.protocol.rules.iter().any(|rule| rule.id == raw.id) {
                self.problems.add(FILE, &path, "the rule id is used twice");
            }
            if let Some(rule) = self.rule(&path, raw) {
                self.protocol.rules.push(rule);
            }
        }
    }

    fn rule(&mut self, path: &str, raw: RawRule) -> Option<Rule> {
        let Some(level) = Level::from_key(&raw.level) else {
            self.problems.add(
                FILE,
                format!("{path}.level"),
                format!(
                    "unknown level `{}` (emergency, urgent, routine, self_care)",
                    raw.level
                ),
            );
            return None;
        };
        if raw.when.is_empty() && raw.when_any.is_empty() {
            self.problems.add(FILE, path, "a rule needs `when` or `when_any`");
        }
        let when = self.conditions(&format!("{path}.when"), &raw.when);
        let when_any = raw
            .when_any
            .iter()
            .filter_map(|key| self.fact_ref(&format!("{path}.when_any"), key))
            .collect::<Vec<_>>();
        for &fact in &when_any {
            if !self.is_bool(fact) {
                self.problems.add(
                    FILE,
                    format!("{path}.when_any"),
                    format!("`{}` is not a yes/no fact", self.protocol.facts[fact].key),
                );
            }
        }
        let unless = raw.unless.map(|exception| Exception {
            all: self.conditions(&format!("{path}.unless.all"), &exception.all),
            any_of: exception
                .any_of
                .iter()
                .map(|alternative| self.conditions(&format!("{path}.unless.any_of"), alternative))
                .collect(),
        });
        let sources = self.source_refs(path, "rule", &raw.sources);
        Some(Rule {
            id: raw.id,
            level,
            when,
            when_any,
            unless,
            sources,
        })
    }

    /// The sources an entry cites; it must cite at least one.
    fn source_refs(&mut self, path: &str, what: &str, cited: &[String]) -> Vec<usize> {
        if cited.is_empty() {
            self.problems.add(
                FILE,
                format!("{path}.sources"),
                format!("every {what} must cite a source"),
            );
        }
        let mut sources = Vec::new();
        for source in cited {
            match self.protocol.sources.iter().position(|known| &known.id == source) {
                Some(index) => sources.push(index),
                None => self.problems.add(
                    FILE,
                    format!("{path}.sources"),
                    format!("unknown source `{source}`"),
                ),
            }
        }
        sources
    }

    /// `[[advice_line]]` entries; the section may be left out.
    fn advice_lines(&mut self, value: Option<&TomlValue>) -> Vec<AdviceLine> {
        let Some(value) = value else {
            return Vec::new();
        };
        let mut lines: Vec<AdviceLine> = Vec::new();
        for (index, value) in array(&mut self.problems, "advice_line", Some(value))
            .iter()
            .enumerate()
        {
            let fallback = format!("advice_line[{index}]");
            let id = value
                .get("id")
                .and_then(TomlValue::as_str)
                .unwrap_or(&fallback)
                .to_string();
            let path = format!("advice_line.{id}");
            let Some(raw) = entry::<RawAdviceLine>(&mut self.problems, &path, value) else {
                continue;
            };
            if lines.iter().any(|line| line.id == raw.id) {
                self.problems.add(FILE, &path, "the advice line id is used twice");
            }
            if raw.when.is_empty() || raw.levels.is_empty() {
                self.problems
                    .add(FILE, &path, "an advice line needs `levels` and `when`");
            }
            let mut levels = Vec::new();
            for key in &raw.levels {
                match Level::from_key(key) {
                    Some(level) => levels.push(level),
                    None => self.problems.add(
                        FILE,
                        format!("{path}.levels"),
                        format!("unknown level `{key}` (emergency, urgent, routine, self_care)"),
                    ),
                }
            }
            let when = self.conditions(&format!("{path}.when"), &raw.when);
            let sources = self.source_refs(&path, "advice line", &raw.sources);
            lines.push(AdviceLine {
                id: raw.id,
                levels,
                when,
                sources,
            });
        }
        lines
    }

    /// A table of conditions, or an array of such tables (alternatives).
    fn alternatives(&mut self, path: &str, value: &TomlValue) -> Vec<Vec<Condition>> {
        match value {
            TomlValue::Table(table) => vec![self.conditions(path, table)],
            TomlValue::Array(items) => items
                .iter()
                .filter_map(|item| match item {
                    TomlValue::Table(table) => Some(self.conditions(path, table)),
                    _ => {
                        self.problems
                            .add(FILE, path, "alternatives must be tables of conditions");
                        None
                    }
                })
                .collect(),
            _ => {
                self.problems
                    .add(FILE, path, "must be a table of conditions or a list of them");
                Vec::new()
            }
        }
    }

    fn conditions(&mut self, path: &str, table: &Table) -> Vec<Condition> {
        table
            .iter()
            .filter_map(|(key, expected)| {
                let fact = self.fact_ref(path, key)?;
                let test = self.test(&format!("{path}.{key}"), fact, expected)?;
                Some(Condition { fact, test })
            })
            .collect()
    }

    fn test(&mut self, path: &str, fact: usize, expected: &TomlValue) -> Option<Test> {
        let test = match (&self.protocol.facts[fact].kind, expected) {
            (FactKind::Bool, TomlValue::Boolean(flag)) => Some(Test::Is(*flag)),
            (FactKind::Choice { values }, TomlValue::String(name)) => values
                .iter()
                .position(|value| value == name)
                .map(|index| Test::OneOf(vec![index])),
            (FactKind::Choice { values }, TomlValue::Array(names)) => names
                .iter()
                .map(|name| {
                    values
                        .iter()
                        .position(|value| Some(value.as_str()) == name.as_str())
                })
                .collect::<Option<Vec<_>>>()
                .map(Test::OneOf),
            (FactKind::Number { bands }, TomlValue::String(text)) => {
                let bands = bands.clone();
                self.comparison(path, &bands, text)
            }
            _ => None,
        };
        if test.is_none() {
            self.problems.add(
                FILE,
                path,
                format!(
                    "`{expected}` is not a valid value for `{}`",
                    self.protocol.facts[fact].key
                ),
            );
        }
        test
    }

    /// A comparison with a band edge. Other thresholds would let an exact number and the band
    /// answered in the chat decide differently (contract §2).
    fn comparison(&mut self, path: &str, bands: &[Band], text: &str) -> Option<Test> {
        let (operator, number) = [
            ("<=", Comparison::LessOrEqual),
            (">=", Comparison::GreaterOrEqual),
            ("<", Comparison::Less),
            (">", Comparison::Greater),
        ]
        .into_iter()
        .find_map(|(symbol, operator)| {
            Some((
                operator,
                text.trim().strip_prefix(symbol)?.trim().parse::<f64>().ok()?,
            ))
        })?;
        let fits_an_edge = bands
            .iter()
            .filter_map(|band| band.upper)
            .any(|edge| match (edge, operator) {
                (Edge::Below(edge), Comparison::Less | Comparison::GreaterOrEqual) => edge == number,
                (Edge::AtMost(edge), Comparison::LessOrEqual | Comparison::Greater) => edge == number,
                _ => false,
            });
        if !fits_an_edge {
            self.problems
                .add(FILE, path, format!("`{text}` does not fall on a band edge"));
        }
        Some(Test::Compare(operator, number))
    }

    fn fact_ref(&mut self, path: &str, key: &str) -> Option<usize> {
        let fact = self.protocol.fact_id(key);
        if fact.is_none() {
            self.problems.add(FILE, path, format!("unknown fact `{key}`"));
        }
        fact
    }

    fn is_bool(&self, fact: usize) -> bool {
        self.protocol.facts[fact].kind == FactKind::Bool
    }
}

fn kind_needs(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::YesNo => "exactly one yes/no fact",
        QuestionKind::AnyOf => "two or more yes/no facts",
        QuestionKind::Band => "exactly one number fact",
        QuestionKind::Choice => "exactly one choice fact",
        QuestionKind::Checklist => "two to eight yes/no facts",
    }
}

fn is_snake_case(key: &str) -> bool {
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
