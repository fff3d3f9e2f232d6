//! Batch assessment (`spotcheck assess`): a case as a JSON object of facts (contract §3).
//!
//! A contract fact that is missing is unknown and decided conservatively. An extra fact
//! SpotCheck asks about counts as absent when missing (the vignette convention), unless the
//! protocol says it must count as unknown (see `missing_is_unknown_when`).

use serde_json::{Map, Value as Json};

use crate::content::catalogue::EMERGENCY_NUMBERS;
use crate::content::{advice, reasons, Dialogues};
use crate::triage::{assess, Case, FactKind, Protocol, Reading, Value};

/// Bad input, naming the key at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InputError {
    pub key: Option<String>,
    pub message: String,
}

fn error(key: &str, message: String) -> InputError {
    InputError {
        key: Some(key.to_string()),
        message,
    }
}

/// Reads one case from a JSON text.
pub fn case_from_json_text(protocol: &Protocol, text: &str) -> Result<Case, InputError> {
    let json: Json = serde_json::from_str(text).map_err(|parse| InputError {
        key: None,
        message: format!("not valid JSON: {parse}"),
    })?;
    let Json::Object(object) = json else {
        return Err(InputError {
            key: None,
            message: "the case must be a JSON object of facts, like {\"age_years\": 2, \"fever\": true}"
                .into(),
        });
    };
    case_from_json(protocol, &object)
}

pub fn case_from_json(protocol: &Protocol, object: &Map<String, Json>) -> Result<Case, InputError> {
    let mut case = Case::unknown(protocol);
    for (key, json) in object {
        let fact = protocol
            .fact_id(key)
            .ok_or_else(|| error(key, format!("unknown key `{key}`: not a fact of the triage contract (see `spotcheck protocol --json`)")))?;
        case.set(fact, fact_value(protocol, fact, key, json)?);
    }
    // Missing extra facts count as absent, unless the case makes them possibly present.
    for (fact, definition) in protocol.facts.iter().enumerate() {
        let missing = !object.contains_key(&definition.key);
        if missing && definition.extra {
            let unknown = !definition.missing_is_unknown_when.is_empty()
                && case.all_hold(protocol, &definition.missing_is_unknown_when, Reading::Possibly);
            if !unknown {
                case.set(fact, definition.best());
            }
        }
    }
    Ok(case)
}

fn fact_value(protocol: &Protocol, fact: usize, key: &str, json: &Json) -> Result<Option<Value>, InputError> {
    // `null` and "unsure" say "not known", for any fact.
    if json.is_null() || json.as_str() == Some("unsure") && !is_choice_with(protocol, fact, "unsure") {
        return Ok(None);
    }
    match &protocol.facts[fact].kind {
        FactKind::Bool => json.as_bool().map(|flag| Some(Value::Bool(flag))).ok_or_else(|| {
            error(
                key,
                format!("`{key}` must be true or false (or \"unsure\"), not {json}"),
            )
        }),
        FactKind::Number { .. } => match json.as_f64() {
            Some(number) if number.is_finite() && (0.0..=150.0).contains(&number) => {
                Ok(Some(Value::Number(number)))
            }
            _ => Err(error(
                key,
                format!("`{key}` must be a number from 0 to 150, not {json}"),
            )),
        },
        FactKind::Choice { values } => json
            .as_str()
            .and_then(|name| values.iter().position(|value| value == name))
            .map(|index| Some(Value::Choice(index)))
            .ok_or_else(|| {
                let allowed: Vec<String> = values.iter().map(|value| format!("\"{value}\"")).collect();
                error(
                    key,
                    format!("`{key}` must be one of {}, not {json}", allowed.join(", ")),
                )
            }),
    }
}

fn is_choice_with(protocol: &Protocol, fact: usize, name: &str) -> bool {
    matches!(&protocol.facts[fact].kind, FactKind::Choice { values } if values.iter().any(|value| value == name))
}

/// The contract §3 answer for one case.
pub fn answer(dialogues: &Dialogues, language: &str, case: &Case) -> Json {
    let protocol = &dialogues.protocol;
    let language = dialogues.language(language);
    let assessment = assess(protocol, case);
    let numbers = language.texts.text(EMERGENCY_NUMBERS);
    serde_json::json!({
        "level": assessment.level.key(),
        "reasons": reasons(protocol, &language.texts, &assessment),
        "advice": advice(protocol, &language.texts, &assessment, &numbers),
    })
}
