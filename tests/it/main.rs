//! SpotCheck's integration and end-to-end tests, as one test binary with one module per area.
//!
//! One binary, not one per file: the fake Bot API server and the helpers in `support` are
//! compiled and linked once, and the dialogues are loaded and verified once per run
//! (`support::dialogues`). Test data lives beside this folder: `tests/vignettes`, `tests/golden`
//! and `tests/broken`.
//!
//! Run one area with its module name, e.g. `cargo test --test it pacing::`.

mod support;

mod abuse;
mod advice_lines;
mod architecture;
mod bot;
mod broken_dialogues;
mod checklist;
mod cli;
mod core_properties;
mod deploy;
mod fake_telegram_selftest;
mod faults;
mod fuzz_parsing;
mod groups;
mod operator;
mod outages;
mod pacing;
mod privacy;
mod process;
mod progress;
mod public_listener;
mod readability;
mod reminders;
mod replicas;
mod storage;
mod turns;
mod vignettes;
