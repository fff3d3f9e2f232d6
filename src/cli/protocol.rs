//! `spotcheck protocol`: the question set as JSON (contract §4) or as a Mermaid flowchart.

use std::process::ExitCode;

use serde_json::json;

use crate::content::Dialogues;
use crate::triage::{Comparison, Condition, FactKind, Level, Protocol, Question, QuestionKind, Rule, Test};

pub fn run(dialogues: &Dialogues, json: bool, mermaid: bool) -> ExitCode {
    if mermaid {
        print!("{}", render_mermaid(&dialogues.protocol));
    } else if json {
        println!("{}", render_json(&dialogues.protocol));
    } else {
        eprintln!("choose --json or --mermaid");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Contract §4, plus every fact `assess` accepts (extra findings included).
pub fn render_json(protocol: &Protocol) -> serde_json::Value {
    let questions: Vec<serde_json::Value> = protocol
        .questions
        .iter()
        .map(|question| {
            json!({
                "id": question.id,
                "facts": question.facts.iter().map(|&fact| &protocol.facts[fact].key).collect::<Vec<_>>(),
                "kind": question.kind.key(),
                "options": question.buttons,
                "red_flag": !question.red_flags.is_empty(),
                "red_flags": question.red_flags.iter().map(|&fact| &protocol.facts[fact].key).collect::<Vec<_>>(),
            })
        })
        .collect();
    let facts: serde_json::Map<String, serde_json::Value> = protocol
        .facts
        .iter()
        .map(|fact| {
            let description = match &fact.kind {
                FactKind::Bool => json!({"kind": "bool"}),
                FactKind::Number { bands } => {
                    json!({"kind": "number", "bands": bands.iter().map(|band| &band.id).collect::<Vec<_>>()})
                }
                FactKind::Choice { values } => json!({"kind": "choice", "values": values}),
            };
            let mut description = description;
            description["extra"] = json!(fact.extra);
            (fact.key.clone(), description)
        })
        .collect();
    json!({"questions": questions, "facts": facts})
}

/// The question order, what each question depends on, and every rule, for a clinician's review.
pub fn render_mermaid(protocol: &Protocol) -> String {
    let mut out = String::from("flowchart TD\n    start([Start a check]) --> q0\n");
    for (index, question) in protocol.questions.iter().enumerate() {
        let facts: Vec<&str> = question
            .facts
            .iter()
            .map(|&fact| protocol.facts[fact].key.as_str())
            .collect();
        let mut label = format!(
            "{}<br/>{}: {}",
            question.id,
            question.kind.key(),
            facts.join(", ")
        );
        for (name, alternatives) in [("only if", &question.applies_if), ("asked if", &question.ask_if)] {
            if !alternatives.is_empty() {
                let text: Vec<String> = alternatives
                    .iter()
                    .map(|all| conjunction(protocol, all))
                    .collect();
                label.push_str(&format!("<br/><i>{name} {}</i>", text.join(" or ")));
            }
        }
        out.push_str(&format!("    q{index}{{\"{}\"}}\n", escape(&label)));
        if let Some(edge) = red_flag_edge(protocol, question) {
            out.push_str(&format!(
                "    q{index} -- \"{}\" --> L_emergency\n",
                escape(&edge)
            ));
        }
        let next = if index + 1 < protocol.questions.len() {
            format!("q{}", index + 1)
        } else {
            "decide".to_string()
        };
        out.push_str(&format!("    q{index} --> {next}\n"));
    }
    out.push_str("    decide[[\"Assess: the highest level of all matching rules.<br/>The check also ends as soon as no answer left could change the level.\"]]\n");
    for level in Level::ALL.into_iter().rev() {
        out.push_str(&format!(
            "    decide --> L_{0}\n    L_{0}([\"{1} {0}\"])\n",
            level.key(),
            level.sign()
        ));
        let rules: Vec<&Rule> = protocol.rules.iter().filter(|rule| rule.level == level).collect();
        out.push_str(&format!(
            "    subgraph rules_{0} [\"{1} {0} rules\"]\n",
            level.key(),
            level.sign()
        ));
        for rule in rules {
            out.push_str(&format!(
                "        r_{}[\"{}\"]\n",
                rule.id,
                escape(&rule_label(protocol, rule))
            ));
        }
        out.push_str(&format!("    end\n    rules_{0} --> L_{0}\n", level.key()));
    }
    if !protocol.advice_lines.is_empty() {
        out.push_str("    subgraph advice_lines [\"Advice lines: shown in the advice of their levels when the answers say so\"]\n");
        for line in &protocol.advice_lines {
            let levels: Vec<&str> = line.levels.iter().map(|level| level.key()).collect();
            let sources: Vec<&str> = line
                .sources
                .iter()
                .map(|&source| protocol.sources[source].short.as_str())
                .collect();
            let label = format!(
                "<b>{}</b> ({})<br/>{}<br/><small>{}</small>",
                line.id,
                levels.join(", "),
                conjunction(protocol, &line.when),
                sources.join("; ")
            );
            out.push_str(&format!("        a_{}[\"{}\"]\n", line.id, escape(&label)));
        }
        out.push_str("    end\n");
    }
    out
}

fn rule_label(protocol: &Protocol, rule: &Rule) -> String {
    let mut parts = Vec::new();
    if !rule.when.is_empty() {
        parts.push(conjunction(protocol, &rule.when));
    }
    if !rule.when_any.is_empty() {
        let facts: Vec<&str> = rule
            .when_any
            .iter()
            .map(|&fact| protocol.facts[fact].key.as_str())
            .collect();
        parts.push(format!("any of ({})", facts.join(", ")));
    }
    let mut label = format!("<b>{}</b><br/>{}", rule.id, parts.join(" and "));
    if let Some(exception) = &rule.unless {
        let mut unless = Vec::new();
        if !exception.all.is_empty() {
            unless.push(conjunction(protocol, &exception.all));
        }
        if !exception.any_of.is_empty() {
            let alternatives: Vec<String> = exception
                .any_of
                .iter()
                .map(|all| format!("({})", conjunction(protocol, all)))
                .collect();
            unless.push(alternatives.join(" or "));
        }
        label.push_str(&format!("<br/><i>unless {}</i>", unless.join(" and ")));
    }
    let sources: Vec<&str> = rule
        .sources
        .iter()
        .map(|&source| protocol.sources[source].short.as_str())
        .collect();
    label.push_str(&format!("<br/><small>{}</small>", sources.join("; ")));
    label
}

fn conjunction(protocol: &Protocol, conditions: &[Condition]) -> String {
    let parts: Vec<String> = conditions
        .iter()
        .map(|condition| describe(protocol, condition))
        .collect();
    parts.join(" and ")
}

fn describe(protocol: &Protocol, condition: &Condition) -> String {
    let fact = &protocol.facts[condition.fact];
    match (&condition.test, &fact.kind) {
        (Test::Is(true), _) => fact.key.clone(),
        (Test::Is(false), _) => format!("no {}", fact.key),
        (Test::OneOf(values), FactKind::Choice { values: names }) => {
            let names: Vec<&str> = values.iter().map(|&value| names[value].as_str()).collect();
            format!("{} {}", fact.key, names.join("/"))
        }
        (Test::Compare(comparison, edge), _) => {
            let symbol = match comparison {
                Comparison::Less => "&lt;",
                Comparison::LessOrEqual => "≤",
                Comparison::Greater => "&gt;",
                Comparison::GreaterOrEqual => "≥",
            };
            format!("{} {symbol} {edge}", fact.key)
        }
        (test, _) => format!("{} {test:?}", fact.key),
    }
}

fn escape(text: &str) -> String {
    text.replace('"', "#quot;")
}

/// The label of the arrow from a red-flag question straight to the emergency advice.
fn red_flag_edge(protocol: &Protocol, question: &Question) -> Option<String> {
    match question.kind {
        _ if question.red_flags.is_empty() => None,
        QuestionKind::Checklist => {
            let keys: Vec<&str> = question
                .red_flags
                .iter()
                .map(|&fact| protocol.facts[fact].key.as_str())
                .collect();
            Some(format!("{} ticked, or not sure", keys.join(" / ")))
        }
        _ => Some("yes / not sure".into()),
    }
}
