//! Helpers shared by the integration tests, and by `benches/load.rs` and `benches/replicas.rs`
//! (which include some of these files by path).

pub mod answers;
pub mod fake_telegram;
pub mod golden;
pub mod harness;
pub mod people;
pub mod process;
pub mod redis;
pub mod skips;
pub mod vignettes;
pub mod webhook;

use std::sync::{Arc, OnceLock};

use spotcheck::content::{Dialogues, FileSet};

/// The built-in dialogues, loaded and verified once for the whole test binary: the verifier walks
/// every answer path, which each test would otherwise pay again.
pub fn dialogues() -> &'static Arc<Dialogues> {
    static LOADED: OnceLock<Arc<Dialogues>> = OnceLock::new();
    LOADED.get_or_init(|| {
        let loaded = Dialogues::from_files(&FileSet::embedded())
            .unwrap_or_else(|problems| panic!("the built-in dialogues do not load:\n{problems}"));
        Arc::new(loaded)
    })
}
