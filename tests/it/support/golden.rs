//! Golden files: each `*.in` in a folder is turned into a text, which must equal the `*.txt`
//! beside it. `UPDATE_GOLDEN=1` rewrites the `*.txt` files instead (read the diff!).

use std::path::{Path, PathBuf};

/// Checks (or, under `UPDATE_GOLDEN`, rewrites) every golden file of `folder`. `produce` turns an
/// input file's text into the output; `rerun` is the command that rewrites them, for the
/// failure message.
pub fn check_folder(folder: &Path, at_least: usize, rerun: &str, produce: impl Fn(&str, &str) -> String) {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "in"))
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= at_least,
        "at least {at_least} golden inputs expected in {}, found {}",
        folder.display(),
        inputs.len()
    );
    let mut failures = Vec::new();
    for input_path in &inputs {
        let name = input_path
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .to_string();
        let input = std::fs::read_to_string(input_path).expect("read the input");
        let output = produce(&name, &input);
        let expected_path = input_path.with_extension("txt");
        if update {
            std::fs::write(&expected_path, &output).expect("write the golden file");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == output => {}
            Ok(expected) => failures.push(format!(
                "{} differs from what {name}.in gives now; {}",
                expected_path.display(),
                first_difference(&expected, &output)
            )),
            Err(error) => failures.push(format!("{} cannot be read: {error}", expected_path.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden file(s) differ. If the change is intended, run\n    UPDATE_GOLDEN=1 {rerun}\nand read the diff before committing.\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Where two texts first differ, line by line, with a little context.
pub fn first_difference(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let line = (0..expected.len().max(actual.len()))
        .find(|&index| expected.get(index) != actual.get(index))
        .unwrap_or(expected.len().min(actual.len()));
    let mut out = format!(
        "first difference at line {} (committed {} lines, now {}):\n",
        line + 1,
        expected.len(),
        actual.len()
    );
    let mut show = |lines: &[&str], from: usize, count: usize, mark: &str| {
        for (index, text) in lines.iter().enumerate().skip(from).take(count) {
            out.push_str(&format!("  {mark} {:>4}   {text}\n", index + 1));
        }
    };
    // Context before, then the committed lines (-) and the new ones (+) from the difference on.
    show(&expected, line.saturating_sub(3), line.min(3), " ");
    show(&expected, line, 4, "-");
    show(&actual, line, 4, "+");
    out
}
