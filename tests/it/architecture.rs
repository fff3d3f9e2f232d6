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
    assert!(!files.is_empty(), "{} has no Rust files", folder.display());
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Fails, with `why` and every offending line, when `offends` finds fault with a line of the
/// `.rs` files under `src/<folder>` for each of `folders` (`""` is all of `src/`). `offends` is
/// given the file's path and the whole line, comments included, and names what is wrong.
fn assert_no_line(folders: &[&str], why: &str, offends: impl Fn(&Path, &str) -> Option<String>) {
    let mut found = Vec::new();
    for folder in folders {
        for (path, text) in rust_files(&src(folder)) {
            for (number, line) in text.lines().enumerate() {
                if let Some(what) = offends(&path, line) {
                    let what = if what.is_empty() {
                        what
                    } else {
                        format!("{what}: ")
                    };
                    found.push(format!(
                        "{}:{}: {what}{}",
                        relative(&path),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{why}:\n{}", found.join("\n"));
}

/// Things the pure core must not mention.
const IMPURE: &[&str] = &[
    "teloxide", "tokio", "std::fs", "std::net", "std::io", "reqwest", "println",
];

#[test]
fn the_triage_core_does_no_io() {
    let why = "the triage core must stay pure (no Telegram, async, files, network or printing)";
    assert_no_line(&["triage"], why, |_, line| {
        let words: Vec<String> = IMPURE
            .iter()
            .filter(|word| line.contains(*word))
            .map(|word| format!("`{word}`"))
            .collect();
        (!words.is_empty()).then(|| words.join(", "))
    });
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
    let why = "src/bot/ must not assess cases itself; go through `conversation` and show the core's step";
    assert_no_line(&["bot"], why, |_, line| {
        let code = code(line);
        let calls_core = code.contains("triage::assess")
            || code.contains("triage::level")
            || calls_free_function(code, "assess")
            || calls_free_function(code, "level");
        calls_core.then(String::new)
    });
}

#[test]
fn free_function_calls_are_told_from_methods() {
    assert!(calls_free_function("let a = assess(&protocol, &case);", "assess"));
    assert!(calls_free_function("let l = triage::level(p, &c);", "level"));
    assert!(!calls_free_function("if step.level() == Some(x) {", "level"));
    assert!(!calls_free_function("let x = reassess(a);", "assess"));
    assert!(!calls_free_function("fn advice_level(x: u8) {}", "level"));
}

/// The layers, lowest first. A module may use the layers below it, never one above: the core
/// knows nothing of its front ends, the content nothing of Telegram, and the adapter nothing of
/// the command line that starts it. (`batch` is the JSON front end's own layer, beside
/// `conversation`.)
const LAYERS: &[&[&str]] = &[
    &["triage"],
    &["content"],
    &["conversation", "batch"],
    &["bot"],
    &["cli"],
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
        .unwrap_or_else(|| panic!("src/{module} is in no layer of LAYERS"))
}

/// The crate's top-level modules a line of code names (`crate::bot`, `crate::cli::…`).
fn modules_named(line: &str) -> Vec<&str> {
    line.match_indices("crate::")
        .map(|(start, _)| {
            let rest = &line[start + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| LAYERS.iter().any(|layer| layer.contains(name)))
        .collect()
}

/// The top-level module a source file belongs to: `src/bot/private.rs` and `src/bot.rs` → `bot`.
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix(src("")).expect("a file under src/");
    let first = relative.components().next().expect("a path").as_os_str();
    Path::new(first)
        .file_stem()
        .expect("a name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn imports_run_one_way_from_the_command_line_down_to_the_core() {
    let why = "a layer uses one above it or beside it (cli → bot → conversation → content → triage)";
    assert_no_line(&[""], why, |path, line| {
        let module = module_of(path);
        if matches!(module.as_str(), "lib" | "main") {
            return None;
        }
        let own = layer_of(&module);
        let wrong: Vec<&str> = modules_named(code(line))
            .into_iter()
            .filter(|&named| layer_of(named) > own || (layer_of(named) == own && named != module))
            .collect();
        (!wrong.is_empty()).then(|| format!("{module} uses {}", wrong.join(", ")))
    });
}

#[test]
fn only_the_adapter_and_the_command_line_know_telegram() {
    let why = "below the adapter, nothing knows Telegram";
    assert_no_line(&["triage", "content", "conversation"], why, |_, line| {
        (code(line).contains("teloxide") || code(line).contains("tokio")).then(String::new)
    });
}

#[test]
fn the_layer_check_reads_module_names() {
    assert_eq!(modules_named("use crate::bot::{Tg, State};"), ["bot"]);
    assert_eq!(
        modules_named("crate::content::DEFAULT_LANGUAGE, crate::cli::refuse(&e)"),
        ["content", "cli"]
    );
    assert!(modules_named("use crate_name::bot;").is_empty());
    assert_eq!(module_of(&src("bot").join("storage").join("mod.rs")), "bot");
    assert_eq!(module_of(&src("batch.rs")), "batch");
    assert!(layer_of("cli") > layer_of("bot") && layer_of("bot") > layer_of("conversation"));
}

/// The catalogue's constants: (name, message id).
fn catalogue_entries() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(src("content").join("catalogue.rs")).expect("the catalogue");
    text.lines()
        .filter_map(|line| {
            let (name, rest) = line.trim().split_once(" = \"")?;
            let id = rest.split('"').next()?;
            let is_constant = name.chars().all(|c| c.is_ascii_uppercase() || c == '_');
            is_constant.then(|| (name.to_string(), id.to_string()))
        })
        .collect()
}

/// Whether `word` occurs in `text` as a whole identifier.
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        let part_of_name = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !part_of_name(before) && !part_of_name(after)
    })
}

#[test]
fn every_message_of_the_catalogue_is_shown_somewhere() {
    let entries = catalogue_entries();
    assert!(entries.len() > 50, "the catalogue was not read: {entries:?}");
    let sources: Vec<(PathBuf, String)> = rust_files(&src(""))
        .into_iter()
        .filter(|(path, _)| !path.ends_with("catalogue.rs"))
        .map(|(path, text)| (path, text.lines().map(code).collect::<Vec<_>>().join("\n")))
        .collect();
    let unused: Vec<String> = entries
        .iter()
        .filter(|(name, _)| !sources.iter().any(|(_, text)| names(text, name)))
        .map(|(name, id)| format!("{name} ({id})"))
        .collect();
    assert!(
        unused.is_empty(),
        "messages the code never shows: delete them from the catalogue and the .ftl files:\n{}",
        unused.join("\n")
    );
}

#[test]
fn code_names_the_catalogues_messages_by_their_constants() {
    let ids: Vec<String> = catalogue_entries().into_iter().map(|(_, id)| id).collect();
    let why = "a message id written out: use its constant from content::catalogue, so a typo cannot compile";
    assert_no_line(&[""], why, |path, line| {
        let written = |id: &String| code(line).contains(&format!("\"{id}\""));
        let named = !path.ends_with("catalogue.rs") && ids.iter().any(written);
        named.then(String::new)
    });
}

#[test]
fn the_catalogue_check_reads_whole_names() {
    assert!(names("texts.text(BOT_HELP)", "BOT_HELP"));
    assert!(!names("texts.text(BOT_HELP_MORE)", "BOT_HELP"));
    assert!(!names("MY_BOT_HELP", "BOT_HELP"));
}
