//! The clinical vignettes of `tests/vignettes/*.toml`, read one way for every test and bench.
//!
//! A vignette is a case, the level it must get and the guideline that says so. The vignette
//! convention of clinical-rules.md applies to its facts: a finding it does not mention is absent,
//! the glass test "not done", the spot size "pinpoint", and days present 0.5.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};
use spotcheck::triage::{FactKind, Protocol};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vignette {
    pub id: String,
    /// The case in words, as a clinician would read it.
    pub case: String,
    pub facts: Map<String, Value>,
    /// The level key: emergency, urgent, routine or self_care.
    pub expected: String,
    /// The guideline that gives the level.
    pub source: String,
    /// Why a clinician might decide otherwise, when the guideline leaves room.
    #[serde(default)]
    pub disputed: Option<String>,
    /// The file it came from, e.g. `urgent.toml`.
    #[serde(skip)]
    pub file: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VignetteFile {
    vignette: Vec<Vignette>,
}

pub fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vignettes")
}

/// Every vignette, file by file (in name order), each file in its own order.
pub fn all() -> Vec<Vignette> {
    let folder = folder();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for path in files {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let parsed: VignetteFile =
            toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        all.extend(parsed.vignette.into_iter().map(|vignette| Vignette {
            file: file.clone(),
            ..vignette
        }));
    }
    all
}

/// Every vignette, by id.
pub fn by_id() -> BTreeMap<String, Vignette> {
    all()
        .into_iter()
        .map(|vignette| (vignette.id.clone(), vignette))
        .collect()
}

/// The first `count` vignettes (by id) expected at `level`.
pub fn at(level: &str, count: usize) -> Vec<Vignette> {
    by_id()
        .into_values()
        .filter(|vignette| vignette.expected == level)
        .take(count)
        .collect()
}

/// The facts as the vignette convention reads them: unmentioned findings filled in.
pub fn with_convention(protocol: &Protocol, facts: &Map<String, Value>) -> Map<String, Value> {
    let mut complete = facts.clone();
    for fact in &protocol.facts {
        let default = match (&fact.kind, fact.key.as_str()) {
            (FactKind::Bool, _) => Value::Bool(false),
            (_, "blanching") => Value::from("not_done"),
            (_, "spot_size") => Value::from("pinpoint"),
            (_, "days_present") => Value::from(0.5),
            // Age is always given; leaving it out makes it unknown.
            _ => continue,
        };
        complete.entry(fact.key.clone()).or_insert(default);
    }
    complete
}
