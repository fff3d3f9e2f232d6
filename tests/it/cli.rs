//! The `spotcheck` binary as a real process: `assess` (contract §3), `protocol --json` (§4) and
//! `--mermaid` (kept in `dialogues/flow.md`), `check`, `chat` against golden transcripts, and the
//! built-in or configured dialogues (§6).
//!
//! Regenerating the committed outputs after an intended change:
//! - `UPDATE_FLOW=1 cargo test --test it cli::flow` rewrites `dialogues/flow.md`;
//! - `UPDATE_GOLDEN=1 cargo test --test it cli::golden` rewrites `tests/golden/*.txt` (read the diff!).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value as Json};

const BIN: &str = env!("CARGO_BIN_EXE_spotcheck");

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a finished run of the binary gave.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn lines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|line| !line.trim().is_empty())
            .collect()
    }
}

/// Runs `spotcheck` with arguments and standard input, from the crate folder, with the built-in
/// dialogues.
fn spotcheck(args: &[&str], stdin: &str) -> Run {
    spotcheck_with(args, stdin, |_| {})
}

fn spotcheck_with(args: &[&str], stdin: &str, configure: impl FnOnce(&mut Command)) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(crate_dir())
        .env_remove("SPOTCHECK_DIALOGUES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    configure(&mut command);
    let mut child = command
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {BIN}: {error}"));
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_string();
    // Written from another thread, so a program that answers before reading everything cannot
    // deadlock the test on a full pipe.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(data.as_bytes());
    });
    let output = child.wait_with_output().expect("the process ends");
    writer.join().expect("the writer thread ends");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Parses the single JSON answer of `spotcheck assess`.
fn answer(run: &Run) -> Json {
    assert_eq!(run.code, Some(0), "assess failed: {run:#?}");
    assert_eq!(
        run.lines().len(),
        1,
        "assess must print one JSON object on one line: {run:#?}"
    );
    serde_json::from_str(run.stdout.trim())
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", run.stdout))
}

fn assess(case: &Json) -> Json {
    answer(&spotcheck(&["assess"], &case.to_string()))
}

const SIGNS: [(&str, &str); 4] = [
    ("emergency", "🔴"),
    ("urgent", "🟠"),
    ("routine", "🟡"),
    ("self_care", "🟢"),
];

/// The yes/no facts of the contract (§2).
const CONTRACT_BOOLS: &[&str] = &[
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

/// Every fact key of the contract (§2).
fn contract_keys() -> Vec<&'static str> {
    let mut keys = vec!["age_years", "blanching", "spot_size", "days_present"];
    keys.extend(CONTRACT_BOOLS);
    keys
}

/// A case where every yes/no finding of the contract is known to be absent, the spots are
/// pinpoint, with the given facts on top.
fn well(facts: Json) -> Json {
    let mut case = serde_json::Map::new();
    for key in CONTRACT_BOOLS {
        case.insert(key.to_string(), Json::Bool(false));
    }
    case.insert("spot_size".into(), json!("pinpoint"));
    for (key, value) in facts.as_object().expect("facts as an object") {
        case.insert(key.clone(), value.clone());
    }
    Json::Object(case)
}

// ------------------------------------------------------------------------------------------------
// spotcheck assess

#[test]
fn assess_answers_the_contract_example() {
    let answer = assess(&json!({"age_years": 2, "blanching": "stays", "fever": true}));
    let object = answer.as_object().expect("a JSON object");
    let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["advice", "level", "reasons"]), "{answer:#}");
    assert_eq!(answer["level"], "emergency", "{answer:#}");
    let reasons = answer["reasons"].as_array().expect("reasons is an array");
    assert!(!reasons.is_empty(), "no reasons: {answer:#}");
    assert!(
        reasons
            .iter()
            .all(|reason| reason.as_str().is_some_and(|text| !text.trim().is_empty())),
        "reasons must be non-empty strings: {answer:#}"
    );
    let advice = answer["advice"].as_str().expect("advice is a string");
    assert!(advice.starts_with("🔴"), "advice must start with 🔴: {advice}");
}

#[test]
fn each_level_starts_its_advice_with_its_sign() {
    let cases = [
        (
            "emergency",
            json!({"age_years": 2, "blanching": "stays", "fever": true}),
        ),
        (
            "emergency",
            well(json!({"age_years": 30, "blanching": "fades", "days_present": 1, "seizure": true})),
        ),
        (
            "emergency",
            well(json!({"age_years": 0.1, "blanching": "fades", "days_present": 1, "fever": true})),
        ),
        (
            "urgent",
            well(json!({"age_years": 30, "blanching": "stays", "days_present": 2})),
        ),
        (
            "urgent",
            well(json!({"age_years": 30, "blanching": "fades", "days_present": 1, "vomiting": true})),
        ),
        (
            "urgent",
            well(json!({"age_years": 70, "blanching": "fades", "days_present": 1, "fever": true})),
        ),
        (
            "routine",
            well(json!({"age_years": 30, "blanching": "fades", "days_present": 5})),
        ),
        (
            "routine",
            well(json!({"age_years": 0.5, "blanching": "fades", "days_present": 1})),
        ),
        (
            "routine",
            well(
                json!({"age_years": 30, "blanching": "fades", "days_present": 1, "tick_bite_or_travel": true}),
            ),
        ),
        (
            "self_care",
            well(json!({"age_years": 30, "blanching": "fades", "days_present": 0.5})),
        ),
        (
            "self_care",
            well(json!({"age_years": 10, "blanching": "fades", "days_present": 2})),
        ),
        (
            "self_care",
            well(
                json!({"age_years": 30, "blanching": "stays", "days_present": 1, "recent_injury_or_friction_at_site": true}),
            ),
        ),
    ];
    // One process for all of them: every start of the binary verifies the dialogues.
    let input: Vec<String> = cases.iter().map(|(_, case)| case.to_string()).collect();
    let run = spotcheck(&["assess", "--jsonl"], &input.join("\n"));
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert_eq!(run.lines().len(), cases.len(), "one answer per case: {run:#?}");
    let mut seen = BTreeSet::new();
    for ((expected, case), line) in cases.iter().zip(run.lines()) {
        let answer: Json =
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
        assert_eq!(answer["level"], *expected, "case {case}");
        seen.insert(*expected);
        let advice = answer["advice"].as_str().expect("advice");
        let (_, sign) = SIGNS
            .iter()
            .find(|(level, _)| level == expected)
            .expect("a level");
        assert!(
            advice.starts_with(sign),
            "{expected} advice must start with {sign}: {advice}"
        );
        for (level, other) in SIGNS {
            if level != *expected {
                assert!(
                    !advice.contains(other),
                    "{expected} advice contains the sign of {level}: {advice}"
                );
            }
        }
        let reasons = answer["reasons"].as_array().expect("reasons");
        assert!(!reasons.is_empty(), "no reasons for {case}");
        for reason in reasons {
            let reason = reason.as_str().expect("a reason is a string");
            assert!(
                advice.contains(reason),
                "the advice does not say why ({reason}): {advice}"
            );
        }
        assert!(
            advice.contains("not a diagnosis"),
            "the advice must say it is not a diagnosis: {advice}"
        );
    }
    assert_eq!(seen.len(), 4, "every level is covered");
}

/// `assess` (one case) and `assess --jsonl` give the same answer.
#[test]
fn assess_and_jsonl_agree() {
    let case = well(json!({"age_years": 30, "blanching": "stays", "days_present": 2}));
    let one = assess(&case);
    let run = spotcheck(&["assess", "--jsonl"], &case.to_string());
    assert_eq!(run.lines().len(), 1, "{run:#?}");
    let from_lines: Json = serde_json::from_str(run.lines()[0]).expect("JSON");
    assert_eq!(one, from_lines);
}

#[test]
fn bad_input_exits_2_naming_the_key() {
    let cases: [(&str, &str, Option<&str>); 7] = [
        (
            "unknown key",
            r#"{"age_years": 2, "colour": "red"}"#,
            Some("colour"),
        ),
        ("wrong type", r#"{"fever": "yes"}"#, Some("fever")),
        (
            "wrong type for a number",
            r#"{"age_years": "two"}"#,
            Some("age_years"),
        ),
        (
            "wrong enum value",
            r#"{"blanching": "purple"}"#,
            Some("blanching"),
        ),
        ("not JSON", "fever: yes", None),
        ("a JSON array", r#"[{"fever": true}]"#, None),
        ("empty input", "", None),
    ];
    for (what, input, key) in cases {
        let run = spotcheck(&["assess"], input);
        assert_eq!(run.code, Some(2), "{what}: exit code 2 expected: {run:#?}");
        assert!(
            run.stdout.trim().is_empty(),
            "{what}: nothing on stdout expected: {run:#?}"
        );
        assert!(
            !run.stderr.trim().is_empty(),
            "{what}: a message on stderr expected"
        );
        if let Some(key) = key {
            assert!(
                run.stderr.contains(key),
                "{what}: stderr must name `{key}`: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn jsonl_answers_one_line_per_case() {
    let input = [
        json!({"age_years": 2, "blanching": "stays", "fever": true}),
        well(json!({"age_years": 30, "blanching": "fades", "days_present": 5})),
        well(json!({"age_years": 30, "blanching": "fades", "days_present": 0.5})),
    ]
    .iter()
    .map(Json::to_string)
    .collect::<Vec<_>>()
    .join("\n");
    let run = spotcheck(&["assess", "--jsonl"], &input);
    assert_eq!(run.code, Some(0), "{run:#?}");
    let levels: Vec<String> = run
        .lines()
        .iter()
        .map(|line| {
            let answer: Json =
                serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
            answer["level"].as_str().expect("a level").to_string()
        })
        .collect();
    assert_eq!(levels, ["emergency", "routine", "self_care"]);
}

#[test]
fn jsonl_stops_at_a_bad_line_after_answering_the_ones_before() {
    let input = format!(
        "{}\n{}\n{}\n",
        json!({"age_years": 2, "blanching": "stays", "fever": true}),
        r#"{"age_years": 30, "fever": "yes"}"#,
        json!({"age_years": 30}),
    );
    let run = spotcheck(&["assess", "--jsonl"], &input);
    assert_eq!(run.code, Some(2), "{run:#?}");
    let lines = run.lines();
    assert_eq!(lines.len(), 1, "only the first case is answered: {run:#?}");
    let first: Json = serde_json::from_str(lines[0]).expect("the first answer is JSON");
    assert_eq!(first["level"], "emergency");
    assert!(
        run.stderr.contains("fever"),
        "stderr must name the key: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("line 2"),
        "stderr should name the line: {}",
        run.stderr
    );
}

#[test]
fn an_unknown_language_is_refused() {
    let case = json!({"age_years": 2, "blanching": "stays", "fever": true}).to_string();
    let run = spotcheck(&["assess", "--lang", "xx"], &case);
    assert_eq!(run.code, Some(2), "{run:#?}");
    assert!(run.stdout.trim().is_empty(), "{run:#?}");
    assert!(
        run.stderr.contains("xx"),
        "stderr must name the language: {}",
        run.stderr
    );

    let run = spotcheck(&["assess", "--lang", "en"], &case);
    assert_eq!(run.code, Some(0), "{run:#?}");
}

// ------------------------------------------------------------------------------------------------
// spotcheck protocol --json

fn protocol_json() -> Json {
    let run = spotcheck(&["protocol", "--json"], "");
    assert_eq!(run.code, Some(0), "{run:#?}");
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("protocol --json is not JSON ({error})"))
}

fn strings(value: &Json) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|item| item.as_str().unwrap_or_else(|| panic!("not a string: {item}")))
        .collect()
}

fn is_snake_case(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[test]
fn protocol_json_follows_the_contract() {
    let protocol = protocol_json();
    let facts = protocol["facts"].as_object().expect("`facts` is an object");
    let questions = protocol["questions"].as_array().expect("`questions` is an array");
    assert!(!questions.is_empty());
    let mut ids = BTreeSet::new();
    let mut asked = BTreeSet::new();
    for question in questions {
        let id = question["id"]
            .as_str()
            .unwrap_or_else(|| panic!("a question without an id: {question}"));
        assert!(ids.insert(id), "question id `{id}` twice");
        let kind = question["kind"].as_str().expect("kind");
        let question_facts = strings(&question["facts"]);
        let options = strings(&question["options"]);
        assert!(!question_facts.is_empty(), "{id}: no facts");
        assert!(!options.is_empty(), "{id}: no options");
        for fact in &question_facts {
            assert!(
                facts.contains_key(*fact),
                "{id}: fact `{fact}` is not listed in `facts`"
            );
            asked.insert(*fact);
        }
        let fact_kind = |fact: &str| facts[fact]["kind"].as_str().expect("a fact kind").to_string();
        match kind {
            "yes_no" => {
                assert_eq!(question_facts.len(), 1, "{id}: a yes_no question asks one fact");
                assert_eq!(fact_kind(question_facts[0]), "bool", "{id}");
                assert_eq!(options, ["yes", "no", "unsure"], "{id}");
            }
            "any_of" => {
                assert!(
                    question_facts.len() >= 2,
                    "{id}: an any_of question asks several facts"
                );
                assert!(
                    question_facts.iter().all(|fact| fact_kind(fact) == "bool"),
                    "{id}"
                );
                assert_eq!(options, ["yes", "no", "unsure"], "{id}");
            }
            "band" => {
                assert_eq!(question_facts.len(), 1, "{id}");
                assert_eq!(fact_kind(question_facts[0]), "number", "{id}");
                assert_eq!(
                    options,
                    strings(&facts[question_facts[0]]["bands"]),
                    "{id}: options are the bands"
                );
            }
            "choice" => {
                assert_eq!(question_facts.len(), 1, "{id}");
                assert_eq!(fact_kind(question_facts[0]), "choice", "{id}");
                assert_eq!(
                    options,
                    strings(&facts[question_facts[0]]["values"]),
                    "{id}: options are the values"
                );
            }
            "checklist" => {
                assert!(question_facts.len() >= 2, "{id}: a checklist holds several facts");
                assert!(
                    question_facts.iter().all(|fact| fact_kind(fact) == "bool"),
                    "{id}"
                );
                // Contract §4: the fact keys themselves, then done, and optionally none and unsure.
                let mut expected = question_facts.clone();
                expected.extend(["done", "none", "unsure"]);
                assert_eq!(options, expected, "{id}");
            }
            other => {
                panic!("{id}: kind `{other}` is not one of the contract's (yes_no, any_of, band, choice, checklist)")
            }
        }
        for option in options {
            let data = format!("a:{id}:{option}");
            assert!(
                data.len() <= 64,
                "callback data `{data}` is {} bytes; Telegram allows 64",
                data.len()
            );
        }
    }

    // Every fact of the contract, with the contract's values.
    for key in contract_keys() {
        assert!(
            facts.contains_key(key),
            "contract fact `{key}` is missing from `facts`"
        );
    }
    for key in CONTRACT_BOOLS {
        assert_eq!(facts[*key]["kind"], "bool", "{key}");
    }
    assert_eq!(facts["age_years"]["kind"], "number");
    assert_eq!(
        strings(&facts["age_years"]["bands"]),
        [
            "under_3m",
            "3_to_11m",
            "1_to_4y",
            "5_to_15y",
            "16_to_64y",
            "65_plus"
        ]
    );
    assert_eq!(facts["days_present"]["kind"], "number");
    assert_eq!(
        strings(&facts["days_present"]["bands"]),
        ["under_1d", "1_to_3d", "over_3d"]
    );
    assert_eq!(
        strings(&facts["blanching"]["values"]),
        ["fades", "stays", "unsure", "not_done"]
    );
    assert_eq!(
        strings(&facts["spot_size"]["values"]),
        ["pinpoint", "larger_bruise_like"]
    );

    // Extra findings: yes/no, snake_case, and accepted by `assess`.
    let contract: BTreeSet<&str> = contract_keys().into_iter().collect();
    let extra: Vec<&str> = facts
        .keys()
        .map(String::as_str)
        .filter(|key| !contract.contains(key))
        .collect();
    for key in &extra {
        assert_eq!(facts[*key]["kind"], "bool", "extra fact `{key}` must be yes/no");
        assert!(is_snake_case(key), "extra fact `{key}` must be snake_case");
    }
    let lines: Vec<String> = extra
        .iter()
        .map(|key| json!({ *key: true, "age_years": 30 }).to_string())
        .collect();
    let run = spotcheck(&["assess", "--jsonl"], &lines.join("\n"));
    assert_eq!(run.code, Some(0), "assess must accept every extra fact: {run:#?}");
    assert_eq!(run.lines().len(), extra.len());
}

#[test]
fn protocol_needs_a_format() {
    let run = spotcheck(&["protocol"], "");
    assert_eq!(run.code, Some(2), "{run:#?}");
}

// ------------------------------------------------------------------------------------------------
// spotcheck protocol --mermaid and dialogues/flow.md

const FLOW_HEADER: &str = "# SpotCheck question flow

This file is generated by `spotcheck protocol --mermaid` from `dialogues/protocol.toml`: the
questions in the order they are asked, when each is asked, every rule by level, and the advice lines
that fit the answers (home care, the oncology line). Do not edit it by hand. After changing the
protocol, regenerate it with

    UPDATE_FLOW=1 cargo test --test it cli::flow

(`cargo test` fails while it is out of date). GitHub and most Markdown viewers draw the chart.
";

fn flow_file() -> PathBuf {
    crate_dir().join("dialogues/flow.md")
}

/// The text inside the ```mermaid fence of flow.md.
fn fenced_mermaid(markdown: &str) -> Option<&str> {
    let start = markdown.find("```mermaid\n")? + "```mermaid\n".len();
    let length = markdown[start..].find("\n```")? + 1;
    Some(&markdown[start..start + length])
}

#[test]
fn flow_md_is_the_current_mermaid_output() {
    let run = spotcheck(&["protocol", "--mermaid"], "");
    assert_eq!(run.code, Some(0), "{run:#?}");
    let mermaid = run.stdout.clone();
    assert!(
        mermaid.starts_with("flowchart"),
        "not a Mermaid flowchart: {mermaid}"
    );
    let mermaid = if mermaid.ends_with('\n') {
        mermaid
    } else {
        format!("{mermaid}\n")
    };
    if std::env::var_os("UPDATE_FLOW").is_some() {
        std::fs::write(flow_file(), format!("{FLOW_HEADER}\n```mermaid\n{mermaid}```\n"))
            .expect("write flow.md");
        return;
    }
    let how = "regenerate it with `UPDATE_FLOW=1 cargo test --test it cli::flow`";
    let committed = std::fs::read_to_string(flow_file())
        .unwrap_or_else(|error| panic!("dialogues/flow.md cannot be read ({error}); {how}"));
    let fenced = fenced_mermaid(&committed)
        .unwrap_or_else(|| panic!("dialogues/flow.md has no ```mermaid fence; {how}"));
    if fenced != mermaid {
        panic!(
            "dialogues/flow.md is out of date with `spotcheck protocol --mermaid`; {how}\n{}",
            crate::support::golden::first_difference(fenced, &mermaid)
        );
    }
}

// ------------------------------------------------------------------------------------------------
// spotcheck check, the working directory, SPOTCHECK_DIALOGUES

#[test]
fn check_passes_and_counts_the_paths() {
    let run = spotcheck(&["check"], "");
    assert_eq!(run.code, Some(0), "{run:#?}");
    let paths: usize = run
        .stdout
        .split("walked ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("`check` must print the number of paths walked: {}", run.stdout));
    assert!(paths > 1000, "only {paths} paths walked");
}

#[test]
fn check_accepts_a_copy_of_the_dialogues_folder() {
    let run = spotcheck(&["check", "dialogues"], "");
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("walked"), "{run:#?}");
}

#[test]
fn the_binary_works_from_another_directory() {
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    let in_tempdir = |command: &mut Command| {
        command.current_dir(elsewhere.path());
    };
    let case = json!({"age_years": 2, "blanching": "stays", "fever": true}).to_string();
    let run = spotcheck_with(&["assess"], &case, in_tempdir);
    assert_eq!(answer(&run)["level"], "emergency");
    let run = spotcheck_with(&["check"], "", in_tempdir);
    assert_eq!(run.code, Some(0), "{run:#?}");
    let run = spotcheck_with(&["chat"], "2\n3\n1\n2\n", in_tempdir);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("🔴"), "{}", run.stdout);
    let run = spotcheck_with(&["protocol", "--json"], "", in_tempdir);
    assert_eq!(run.code, Some(0), "{run:#?}");
    // Nothing was written there.
    let left: Vec<_> = std::fs::read_dir(elsewhere.path()).expect("list").collect();
    assert!(
        left.is_empty(),
        "the binary left files in its working directory: {left:?}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy a file");
        }
    }
}

/// A copy of `dialogues/` with one edit to one file.
fn edited_dialogues(file: &str, find: &str, replace: &str) -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&crate_dir().join("dialogues"), copy.path());
    let path = copy.path().join(file);
    let text = std::fs::read_to_string(&path).expect("read the file to edit");
    assert!(
        text.contains(find),
        "{file} no longer contains {find:?}: update this test"
    );
    std::fs::write(&path, text.replacen(find, replace, 1)).expect("write the edit");
    copy
}

#[test]
fn spotcheck_dialogues_names_the_folder_to_load() {
    let copy = edited_dialogues(
        "en/advice.ftl",
        "🟢 You can look after this at home for now.",
        "🟢 (edited copy) You can look after this at home for now.",
    );
    let case = well(json!({"age_years": 30, "blanching": "fades", "days_present": 0.5})).to_string();
    let run = spotcheck_with(&["assess"], &case, |command| {
        command.env("SPOTCHECK_DIALOGUES", copy.path());
    });
    let answer = answer(&run);
    assert!(
        answer["advice"]
            .as_str()
            .is_some_and(|advice| advice.contains("(edited copy)")),
        "the advice does not come from SPOTCHECK_DIALOGUES: {answer:#}"
    );
}

#[test]
fn assess_refuses_dialogues_with_a_missing_text() {
    let copy = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&crate_dir().join("dialogues"), copy.path());
    let advice = copy.path().join("en/advice.ftl");
    let text = std::fs::read_to_string(&advice).expect("read advice.ftl");
    let without: String = text
        .lines()
        .filter(|line| !line.starts_with("reason-scarlet_fever ="))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(
        without, text,
        "en/advice.ftl no longer defines reason-scarlet_fever: update this test"
    );
    std::fs::write(&advice, without).expect("write advice.ftl");

    let case = json!({"age_years": 2, "blanching": "stays", "fever": true}).to_string();
    let run = spotcheck_with(&["assess"], &case, |command| {
        command.env("SPOTCHECK_DIALOGUES", copy.path());
    });
    assert_ne!(
        run.code,
        Some(0),
        "assess ran on dialogues with a missing text: {run:#?}"
    );
    assert!(run.stdout.trim().is_empty(), "{run:#?}");
    assert!(
        run.stderr.contains("reason-scarlet_fever"),
        "the message must name the missing message id: {}",
        run.stderr
    );
}

// ------------------------------------------------------------------------------------------------
// Golden transcripts of `spotcheck chat`

fn golden_dir() -> PathBuf {
    crate_dir().join("tests/golden")
}

#[test]
fn golden_chat_transcripts() {
    let rerun = "cargo test --test it cli::golden";
    crate::support::golden::check_folder(&golden_dir(), 4, rerun, |name, input| {
        let run = spotcheck(&["chat"], input);
        assert_eq!(run.code, Some(0), "{name}: chat failed: {run:#?}");
        assert!(
            run.stderr.is_empty(),
            "{name}: chat wrote to stderr: {}",
            run.stderr
        );
        run.stdout
    });
}

/// `b` where the question has no back button (the first) is typed words, as in Telegram: the
/// nudge and the question again, never a "stale button" notice for a button that was not there.
#[test]
fn back_at_the_first_question_is_a_nudge_in_the_terminal() {
    let run = spotcheck(&["chat"], "b\nq\n");
    assert_eq!(run.code, Some(0), "{run:#?}");
    let texts = &crate::support::dialogues().language("en").texts;
    assert!(run.stdout.contains(&texts.plain("bot-nudge")), "{}", run.stdout);
    assert!(
        !run.stdout.contains(&texts.plain("bot-stale-button")),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("Question 1 of").count(),
        2,
        "the question again: {}",
        run.stdout
    );
}

/// The committed goldens end as their names say, so a rewrite with UPDATE_GOLDEN cannot quietly
/// accept another outcome for these sessions.
#[test]
fn golden_transcripts_end_at_the_expected_level() {
    let expected = [
        ("feverish_toddler_spots_stay", "🔴"),
        ("well_adult_heat_rash_fades", "🟢"),
        ("typed_fit_mid_check", "🔴"),
        ("baby_glass_test_unsure", "🔴"),
        ("back_at_the_first_question_and_a_ticked_emergency", "🔴"),
    ];
    for (name, sign) in expected {
        let transcript = std::fs::read_to_string(golden_dir().join(format!("{name}.txt")))
            .unwrap_or_else(|error| panic!("tests/golden/{name}.txt: {error}"));
        let advice: Vec<&str> = transcript
            .lines()
            .filter(|line| SIGNS.iter().any(|(_, sign)| line.starts_with(sign)))
            .collect();
        assert_eq!(advice.len(), 1, "{name}: one advice expected, got {advice:?}");
        assert!(
            advice[0].starts_with(sign),
            "{name}: expected {sign} advice, got: {}",
            advice[0]
        );
    }
}

/// Typed emergency words: found in a clause, not when denied or split off by punctuation.
#[test]
fn typed_emergency_phrases_respect_negation_and_clauses() {
    let dialogues = crate::support::dialogues();
    let english = &dialogues.language("en").typed;
    let spanish = &dialogues.language("es").typed;
    assert!(english.emergency_fact("she is having a fit").is_some());
    assert!(english.emergency_fact("He's not breathing!").is_some());
    assert!(english.emergency_fact("no fever, no fit").is_none());
    assert!(english.emergency_fact("she is fit and well").is_none());
    assert!(spanish.emergency_fact("el bebé no respira").is_some());
    assert!(spanish.emergency_fact("no, respira bien").is_none());
}
