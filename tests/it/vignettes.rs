//! The clinical vignette suite: each case, the level it must get, and the guideline that says so.
//!
//! The vignette convention of clinical-rules.md applies: a finding a case does not mention is
//! absent, the glass test "not done", the spot size "pinpoint", and days present 0.5. Only facts
//! given as "unsure" (or "not_done") are unknown.

use spotcheck::batch::case_from_json;
use spotcheck::triage::{assess, Level};

use crate::support::vignettes;
pub use crate::support::vignettes::with_convention;

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
