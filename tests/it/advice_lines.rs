//! The advice lines of `[[advice_line]]` (protocol.toml): each appears exactly where it applies,
//! in every language, and the safety net is in every advice whatever lines it has.

use serde_json::{Map, Value as Json};
use spotcheck::batch::{answer, case_from_json};
use spotcheck::content::ADVICE_ARGS;
use spotcheck::triage::assess;

use crate::support::answers::check_in_core;

use crate::support::dialogues;
use crate::vignettes::with_convention;

/// A case in the vignette convention (what it does not mention is absent), the level it gets,
/// and the advice lines it must show; every other line must be absent.
struct Expect {
    facts: Json,
    level: &'static str,
    lines: &'static [&'static str],
}

fn cases() -> Vec<Expect> {
    use serde_json::json;
    let case = |facts: Json, level, lines| Expect { facts, level, lines };
    vec![
        // The example: a well adult, no fever, spots that fade. No fever line, no heat line.
        case(json!({"age_years": 30, "blanching": "fades"}), "self_care", &[]),
        case(
            json!({"age_years": 30, "blanching": "fades", "heat_or_new_skin_product": true}),
            "self_care",
            &["heat", "new_product"],
        ),
        case(
            json!({"age_years": 30, "blanching": "fades", "heat_or_new_skin_product": true, "days_present": 5}),
            "routine",
            &["heat", "new_product"],
        ),
        // Pregnant: urgent, where home care is not the advice.
        case(
            json!({"age_years": 30, "blanching": "fades", "heat_or_new_skin_product": true, "pregnant": true}),
            "urgent",
            &[],
        ),
        case(
            json!({"age_years": 3, "blanching": "fades", "fever": true}),
            "self_care",
            &["child_fever"],
        ),
        case(
            json!({"age_years": 30, "blanching": "fades", "fever": true}),
            "self_care",
            &["adult_fever"],
        ),
        case(json!({"age_years": 0.5, "blanching": "fades"}), "routine", &[]),
        case(
            json!({"age_years": 28, "blanching": "stays", "recent_injury_or_friction_at_site": true}),
            "self_care",
            &["pressure"],
        ),
        // A fading rash where a strap rubbed: the chat never asks about pressure then.
        case(
            json!({"age_years": 28, "blanching": "fades", "recent_injury_or_friction_at_site": true}),
            "self_care",
            &[],
        ),
        // "Not sure" never shows a line.
        case(
            json!({"age_years": 30, "blanching": "fades", "heat_or_new_skin_product": "unsure"}),
            "self_care",
            &[],
        ),
        case(
            json!({"age_years": 50, "blanching": "fades", "fever": true, "chronic_condition": true, "immunocompromised": true}),
            "emergency",
            &["oncology_line"],
        ),
        case(
            json!({"age_years": 50, "blanching": "fades", "chronic_condition": true, "immunocompromised": true}),
            "urgent",
            &[],
        ),
        case(
            json!({"age_years": 50, "blanching": "fades", "fever": true, "chronic_condition": true, "immunocompromised": false}),
            "urgent",
            &[],
        ),
        // An emergency for another reason, with a fever: no home care, no oncology line.
        case(
            json!({"age_years": 4, "blanching": "stays", "fever": true}),
            "emergency",
            &[],
        ),
    ]
}

#[test]
fn each_advice_line_appears_exactly_where_it_applies_in_every_language() {
    let dialogues = dialogues();
    let protocol = &dialogues.protocol;
    let cases = cases();
    for line in &protocol.advice_lines {
        assert!(
            cases.iter().any(|case| case.lines.contains(&line.id.as_str())),
            "advice line `{}` has no case here that shows it",
            line.id
        );
    }
    for expect in &cases {
        let Json::Object(facts) = &expect.facts else {
            unreachable!()
        };
        let facts: Map<String, Json> = with_convention(protocol, facts);
        let case = case_from_json(protocol, &facts).expect("a valid case");
        for language in &dialogues.languages {
            let answered = answer(dialogues, &language.code, &case);
            assert_eq!(answered["level"], expect.level, "{}", expect.facts);
            let advice = answered["advice"].as_str().expect("advice text");
            for line in &protocol.advice_lines {
                let text = language.texts.plain(&format!("line-{}", line.id));
                let shown = advice.contains(&format!("• {text}"));
                let expected = expect.lines.contains(&line.id.as_str());
                assert_eq!(
                    shown, expected,
                    "{}: line `{}` shown {shown}, expected {expected} ({}):\n{advice}",
                    expect.facts, line.id, language.code
                );
            }
            // The safety net is in every advice, with or without lines.
            let empty: Vec<(&str, &str)> = ADVICE_ARGS.iter().map(|&arg| (arg, "")).collect();
            let template = language
                .texts
                .render(&format!("advice-{}", expect.level), &empty)
                .expect("the advice renders");
            let not_a_diagnosis = template.lines().last().unwrap().to_string();
            assert!(advice.contains(&not_a_diagnosis), "{advice}");
        }
    }
}

/// `spotcheck assess` gives the advice the chat would send (contract §3): for every vignette, a
/// check answered from its facts ends with the same level and the same advice lines as the
/// batch assessment of those facts.
#[test]
fn the_chat_and_assess_choose_the_same_lines_for_every_vignette() {
    let protocol = &dialogues().protocol;
    let mut compared = 0;
    for vignette in crate::support::vignettes::all() {
        // The chat always learns an age band; a case of unknown age is for `assess` only.
        if !vignette.facts.get("age_years").is_some_and(|age| age.is_number()) {
            continue;
        }
        let facts = with_convention(protocol, &vignette.facts);
        let batch = assess(protocol, &case_from_json(protocol, &facts).expect("a valid case"));
        let (_, chat) = check_in_core(protocol, &facts);
        let names = |lines: &[usize]| -> Vec<String> {
            lines
                .iter()
                .map(|&line| protocol.advice_lines[line].id.clone())
                .collect()
        };
        assert_eq!(chat.level, batch.level, "{}", vignette.id);
        assert_eq!(names(&chat.lines), names(&batch.lines), "{}", vignette.id);
        compared += 1;
    }
    assert!(compared >= 180, "only {compared} vignettes");
}
