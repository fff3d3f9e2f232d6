//! Tests that could not run on this machine, listed once, when the test binary exits.
//!
//! A skipped test returns at once and libtest counts it as passed, so the list is printed after
//! libtest's summary, where it is seen, instead of in each test's captured output, where it is
//! not.

use std::collections::BTreeMap;
use std::sync::{Mutex, Once};

/// Skipped tests, by the reason they were skipped (which also says how to run them).
static SKIPPED: Mutex<BTreeMap<&'static str, Vec<String>>> = Mutex::new(BTreeMap::new());

/// Records the calling test as skipped for `reason`.
pub fn skip(reason: &'static str) {
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    SKIPPED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(reason)
        .or_default()
        .push(test);
    static AT_EXIT: Once = Once::new();
    AT_EXIT.call_once(|| {
        extern "C" {
            fn atexit(callback: extern "C" fn()) -> std::os::raw::c_int;
        }
        // SAFETY: `atexit` is the C library's; the callback is a plain function that lives for
        // the whole process.
        unsafe { atexit(print_skipped) };
    });
}

extern "C" fn print_skipped() {
    let skipped = SKIPPED.lock().map(|skipped| skipped.clone()).unwrap_or_default();
    let mut note = String::new();
    for (reason, tests) in skipped {
        let mut tests = tests;
        tests.sort();
        note.push_str(&format!(
            "\n{} test(s) were SKIPPED (counted as passed): {reason}\n",
            tests.len()
        ));
        for test in &tests {
            note.push_str(&format!("  {test}\n"));
        }
    }
    use std::io::Write as _;
    let _ = std::io::stderr().write_all(note.as_bytes());
}
