//! The clinical vignette suite: each case, the level it must get, and the guideline that says so.
//!
//! The vignette convention of clinical-rules.md applies: a finding a case does not mention is
//! absent, the glass test "not done", the spot size "pinpoint", and days present 0.5. Only facts
//! given as "unsure" (or "not_done") are unknown.

use serde_json::{Map, Value as Json};
use spotcheck::batch::case_from_json;
use spotcheck::triage::{assess, FactKind, Level, Protocol};

use crate::support::vignettes;

/// The facts as the vignette convention reads them: unmentioned findings filled in.
pub fn with_convention(protocol: &Protocol, facts: &Map<String, Json>) -> Map<String, Json> {
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
    let protocol = &crate::support::dialogues().protocol;
    let all = vignettes::all();
    let mut failures = Vec::new();
    let mut under_triaged_emergencies = 0;
    for vignette in &all {
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
                "{} {}: expected {}, got {} — {} [{}]{disputed}",
                vignette.file,
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
    let all = vignettes::all();
    let mut ids: Vec<&str> = all.iter().map(|vignette| vignette.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "duplicate vignette ids");
}
