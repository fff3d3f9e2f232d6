//! The advice lines of `[[advice_line]]` (protocol.toml): each appears exactly where it applies,
//! in every language, and the safety net is in every advice whatever lines it has.

use serde_json::{Map, Value as Json};
use spotcheck::batch::{answer, case_from_json};
use spotcheck::content::ADVICE_ARGS;

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
