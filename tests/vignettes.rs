//! The clinical vignette suite: each case, the level it must get, and the guideline that says so.
//!
//! The vignette convention of clinical-rules.md applies: a finding a case does not mention is
//! absent, the glass test "not done", the spot size "pinpoint", and days present 0.5. Only facts
//! given as "unsure" (or "not_done") are unknown.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value as Json};
use spotcheck::batch::case_from_json;
use spotcheck::content::{Dialogues, FileSet};
use spotcheck::triage::{assess, FactKind, Level, Protocol};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VignetteFile {
    vignette: Vec<Vignette>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vignette {
    id: String,
    case: String,
    facts: Map<String, Json>,
    expected: String,
    source: String,
    #[serde(default)]
    disputed: Option<String>,
}

fn vignettes() -> Vec<(String, Vignette)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vignettes");
    let mut all = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    for path in files
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        let file: VignetteFile =
            toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        all.extend(file.vignette.into_iter().map(|vignette| (name.clone(), vignette)));
    }
    all
}

/// The facts as the vignette convention reads them: unmentioned findings filled in.
fn with_convention(protocol: &Protocol, facts: &Map<String, Json>) -> Map<String, Json> {
    let mut complete = facts.clone();
    for fact in &protocol.facts {
        let default = match (&fact.kind, fact.key.as_str()) {
            (FactKind::Bool, _) => Json::Bool(false),
            (_, "blanching") => Json::from("not_done"),
            (_, "spot_size") => Json::from("pinpoint"),
            (_, "days_present") => Json::from(0.5),
            // Age is always given; leaving it out makes it unknown.
            _ => continue,
        };
        complete.entry(fact.key.clone()).or_insert(default);
    }
    complete
}

#[test]
fn every_vignette_gets_its_expected_level() {
    let dialogues = Dialogues::from_files(&FileSet::embedded()).unwrap();
    let protocol = &dialogues.protocol;
    let all = vignettes();
    let mut failures = Vec::new();
    let mut under_triaged_emergencies = 0;
    for (file, vignette) in &all {
        assert!(
            !vignette.source.trim().is_empty(),
            "{} cites no source",
            vignette.id
        );
        assert!(!vignette.case.trim().is_empty(), "{} tells no case", vignette.id);
        let expected = Level::from_key(&vignette.expected)
            .unwrap_or_else(|| panic!("{}: unknown level {}", vignette.id, vignette.expected));
        let case = case_from_json(protocol, &with_convention(protocol, &vignette.facts))
            .unwrap_or_else(|error| panic!("{}: {error}", vignette.id));
        let got = assess(protocol, &case).level;
        if got != expected {
            if expected == Level::Emergency {
                under_triaged_emergencies += 1;
            }
            let disputed = vignette
                .disputed
                .as_deref()
                .map(|why| format!(" (disputed: {why})"))
                .unwrap_or_default();
            failures.push(format!(
                "{file} {}: expected {}, got {} — {} [{}]{disputed}",
                vignette.id,
                expected.key(),
                got.key(),
                vignette.case,
                vignette.source
            ));
        }
    }
    println!("{} vignettes, {} mismatches", all.len(), failures.len());
    assert!(all.len() >= 60, "the suite must keep at least 60 vignettes");
    assert_eq!(
        under_triaged_emergencies,
        0,
        "emergencies under-triaged:\n{}",
        failures.join("\n")
    );
    assert!(
        failures.is_empty(),
        "{} of {} vignettes mismatch:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn vignette_ids_are_unique() {
    let all = vignettes();
    let mut ids: Vec<&str> = all.iter().map(|(_, vignette)| vignette.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate vignette ids");
}
