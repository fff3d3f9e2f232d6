//! The layering the crate promises (src/triage/mod.rs, ARCHITECTURE.md):
//! - the triage core is pure: no Telegram, no async runtime, no files, network or printing;
//! - the Telegram adapter decides nothing clinical: it asks the core (through `conversation`) and
//!   shows what the core decided.
//!
//! These are plain text searches over the sources, so a comment naming a forbidden thing fails too:
//! say "no I/O" rather than naming the module.

use std::path::{Path, PathBuf};

fn src(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(folder)
}

/// Every `.rs` file under a folder, with its text.
fn rust_files(folder: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display())) {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Things the pure core must not mention.
const IMPURE: &[&str] = &[
    "teloxide", "tokio", "std::fs", "std::net", "std::io", "reqwest", "println",
];

#[test]
fn the_triage_core_does_no_io() {
    let files = rust_files(&src("triage"));
    assert!(!files.is_empty(), "src/triage/ has no Rust files");
    let mut found = Vec::new();
    for (path, text) in &files {
        for (number, line) in text.lines().enumerate() {
            for word in IMPURE {
                if line.contains(word) {
                    found.push(format!(
                        "{}:{}: `{word}`: {}",
                        relative(path),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the triage core must stay pure (no Telegram, async, files, network or printing):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_triage_core_does_not_depend_on_the_front_ends() {
    let mut found = Vec::new();
    for (path, text) in rust_files(&src("triage")) {
        for (number, line) in text.lines().enumerate() {
            for module in [
                "crate::bot",
                "crate::cli",
                "crate::conversation",
                "crate::batch",
                "crate::content",
            ] {
                if line.contains(module) {
                    found.push(format!("{}:{}: {}", relative(&path), number + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the core must not use the layers built on it:\n{}",
        found.join("\n")
    );
}

/// Whether a line calls a free function `name(` (not a method `.name(`, and not a longer name
/// ending in it such as `reassess(`).
fn calls_free_function(line: &str, name: &str) -> bool {
    let pattern = format!("{name}(");
    line.match_indices(&pattern).any(|(start, _)| {
        let before = line[..start].chars().next_back();
        !before.is_some_and(|c| c == '.' || c == '_' || c.is_alphanumeric())
    })
}

/// The code of a line, without a `//` comment.
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

#[test]
fn the_telegram_adapter_makes_no_level_decisions() {
    let bot = src("bot");
    if !bot.exists() {
        // The adapter is not written yet: nothing to check.
        return;
    }
    let mut found = Vec::new();
    for (path, text) in rust_files(&bot) {
        for (number, line) in text.lines().enumerate() {
            let code = code(line);
            let calls_core = code.contains("triage::assess")
                || code.contains("triage::level")
                || calls_free_function(code, "assess")
                || calls_free_function(code, "level");
            if calls_core {
                found.push(format!("{}:{}: {}", relative(&path), number + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "src/bot/ must not assess cases itself; go through `conversation` and show the core's step:\n{}",
        found.join("\n")
    );
}

#[test]
fn free_function_calls_are_told_from_methods() {
    assert!(calls_free_function("let a = assess(&protocol, &case);", "assess"));
    assert!(calls_free_function("let l = triage::level(p, &c);", "level"));
    assert!(!calls_free_function("if step.level() == Some(x) {", "level"));
    assert!(!calls_free_function("let x = reassess(a);", "assess"));
    assert!(!calls_free_function("fn advice_level(x: u8) {}", "level"));
}
