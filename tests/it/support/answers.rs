//! How a simulated person answers each question from a vignette's facts (the vignette
//! convention for what is not mentioned). Shared by the end-to-end tests and benches/load.rs.

use serde_json::{Map, Value};
use spotcheck::triage::{Assessment, FactKind, Protocol, QuestionKind, Session, Step};

/// A finding asked only after a "yes" to a broader one: someone with the narrower finding (a
/// serious bleeding sign, a weak immune system) says yes to the broader question that leads to it.
const BROADER_AND_NARROWER: [(&str, &str); 2] = [
    ("unusual_bleeding", "serious_bleeding_sign"),
    ("chronic_condition", "immunocompromised"),
];

/// The option a person with these facts would press (the vignette convention for the rest).
pub fn option_for(protocol: &Protocol, question: &str, facts: &Map<String, Value>) -> String {
    let definition = &protocol.questions[protocol.question_id(question).unwrap()];
    let mut fact_keys: Vec<&str> = definition
        .facts
        .iter()
        .map(|&fact| protocol.facts[fact].key.as_str())
        .collect();
    for (broader, narrower) in BROADER_AND_NARROWER {
        if fact_keys == [broader] {
            fact_keys.push(narrower);
        }
    }
    match definition.kind {
        QuestionKind::YesNo | QuestionKind::AnyOf => {
            let values: Vec<&Value> = fact_keys.iter().filter_map(|key| facts.get(*key)).collect();
            if values.iter().any(|value| value.as_bool() == Some(true)) {
                "yes".into()
            } else if values.iter().any(|value| value.as_str() == Some("unsure")) {
                "unsure".into()
            } else {
                "no".into()
            }
        }
        QuestionKind::Band => {
            let fact = &protocol.facts[definition.facts[0]];
            let number = facts.get(&fact.key).and_then(Value::as_f64).unwrap_or(0.5);
            let FactKind::Number { bands } = &fact.kind else {
                unreachable!()
            };
            bands[fact.band_of(number).unwrap()].id.clone()
        }
        QuestionKind::Checklist => {
            let (ticked, unsure) = checklist_answer(protocol, definition, facts);
            let option = definition.submission(&ticked, unsure).unwrap();
            definition.options[option].clone()
        }
        QuestionKind::Choice => {
            let default = if fact_keys[0] == "blanching" {
                "not_done"
            } else {
                "pinpoint"
            };
            facts
                .get(fact_keys[0])
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string()
        }
    }
}

/// Four people whose checks end at the four levels (emergency, urgent, routine, self-care), with
/// the facts a vignette would give; for tests and benches that need a mix of short checks.
pub fn one_case_per_level() -> Vec<(Map<String, Value>, &'static str)> {
    let facts = |value: Value| value.as_object().cloned().unwrap_or_default();
    vec![
        (
            facts(serde_json::json!({"age_years": 2, "fever": true, "blanching": "stays"})),
            "emergency",
        ),
        (
            facts(
                serde_json::json!({"age_years": 30, "fever": false, "blanching": "stays", "days_present": 0.5}),
            ),
            "urgent",
        ),
        (
            facts(
                serde_json::json!({"age_years": 30, "fever": false, "blanching": "fades", "days_present": 5}),
            ),
            "routine",
        ),
        (
            facts(
                serde_json::json!({"age_years": 30, "fever": false, "blanching": "fades", "days_present": 0.5}),
            ),
            "self_care",
        ),
    ]
}

/// A checklist answered from facts: the items that are true, and whether any is "unsure".
fn checklist_answer(
    protocol: &Protocol,
    definition: &spotcheck::triage::Question,
    facts: &Map<String, Value>,
) -> (Vec<usize>, bool) {
    let value_of = |fact: usize| facts.get(&protocol.facts[fact].key);
    // As with a yes/no question, someone with the narrower finding ticks the broader item.
    let narrower_of = |fact: usize| {
        BROADER_AND_NARROWER
            .iter()
            .find(|(broader, _)| *broader == protocol.facts[fact].key)
            .and_then(|(_, narrower)| facts.get(*narrower))
    };
    let is_yes = |value: Option<&Value>| value.and_then(Value::as_bool) == Some(true);
    let is_unsure = |value: Option<&Value>| value.and_then(Value::as_str) == Some("unsure");
    let ticked: Vec<usize> = definition
        .facts
        .iter()
        .copied()
        .filter(|&fact| is_yes(value_of(fact)) || is_yes(narrower_of(fact)))
        .collect();
    let unsure = definition
        .facts
        .iter()
        .any(|&fact| is_unsure(value_of(fact)) || is_unsure(narrower_of(fact)));
    (ticked, unsure)
}

/// The answer buttons a person presses, in order, to give `facts` to `question`: one button, or
/// for a checklist each item that applies and then Done ("none of these" when none does, "not
/// sure" when one is not known).
pub fn presses_for(protocol: &Protocol, question: &str, facts: &Map<String, Value>) -> Vec<String> {
    let definition = &protocol.questions[protocol.question_id(question).unwrap()];
    if definition.kind != QuestionKind::Checklist {
        return vec![option_for(protocol, question, facts)];
    }
    let (ticked, unsure) = checklist_answer(protocol, definition, facts);
    let mut presses: Vec<String> = ticked
        .iter()
        .map(|&fact| protocol.facts[fact].key.clone())
        .collect();
    presses.push(
        match (unsure, presses.is_empty()) {
            (true, _) => "unsure",
            (false, true) => "none",
            (false, false) => "done",
        }
        .to_string(),
    );
    presses
}

/// A whole check in the triage core, each question answered from `facts`: the session and its
/// assessment (the person never types, and ticks a checklist's items in one go).
#[allow(dead_code)] // Not every crate that includes this file by path uses it.
pub fn check_in_core(protocol: &Protocol, facts: &Map<String, Value>) -> (Session, Assessment) {
    let mut session = Session::new();
    loop {
        match session.next(protocol) {
            Step::Done(assessment) => return (session, assessment),
            Step::Ask(question) => {
                let definition = &protocol.questions[question];
                let option = option_for(protocol, &definition.id, facts);
                let index = definition
                    .option_index(&option)
                    .expect("an option of the question");
                session
                    .answer(protocol, question, index)
                    .expect("the current question takes the answer");
            }
        }
    }
}
