//! Deliberately broken dialogues: each must be refused with a problem a clinician or translator
//! can act on ("file: key: message", as `spotcheck check` prints them).
//!
//! Most cases are the built-in dialogues with one edit made in memory (the table below: a name,
//! the file, the text to find, its replacement, and what the problem list must say). Two real
//! folders under `tests/broken/` go through `spotcheck check <folder>`, to show the command lists
//! every problem and fails.

use std::path::Path;
use std::process::Command;

use spotcheck::content::{Dialogues, FileSet, Problems};

/// The built-in dialogues with `find` replaced by `replace` (once) in `file`.
fn edited(file: &str, find: &str, replace: &str) -> FileSet {
    let mut files = FileSet::embedded();
    let text = files
        .text(file)
        .unwrap_or_else(|| panic!("the built-in dialogues have no {file}"));
    assert!(
        text.contains(find),
        "{file} no longer contains {find:?}: update this case to the current dialogues"
    );
    files
        .files
        .insert(file.to_string(), text.replacen(find, replace, 1).into_bytes());
    files
}

/// Loads (parses and verifies) and returns the problems; fails if the dialogues are accepted.
fn problems(files: &FileSet) -> Problems {
    match Dialogues::load(files) {
        Ok((_, report)) => panic!("the broken dialogues were accepted:\n{report}"),
        Err(problems) => problems,
    }
}

/// Asserts every expected text appears in the problem list as `spotcheck check` prints it.
fn assert_reported(problems: &Problems, expected: &[&str]) {
    let listed = problems.to_string();
    for text in expected {
        assert!(
            listed.contains(text),
            "expected a problem saying {text:?}, got:\n{listed}"
        );
    }
}

/// One row of the table: the built-in dialogues with one edit must be refused with problems
/// saying each of the expected texts.
macro_rules! broken {
    ($name:ident, $file:expr, $find:expr, $replace:expr, [$($expected:expr),+ $(,)?]) => {
        #[test]
        fn $name() {
            let files = edited($file, $find, $replace);
            assert_reported(&problems(&files), &[$($expected),+]);
        }
    };
}

// ------------------------------------------------------------------------------------------------
// protocol.toml: form

broken!(
    invalid_toml,
    "protocol.toml",
    "[facts.fever]",
    "[facts.fever",
    ["protocol.toml: (file): not valid TOML"]
);

// Found by tests/it/fuzz_parsing.rs: a NUL byte gave a problem with an empty message.
broken!(
    nul_byte_in_a_typed_words_file,
    "fr/typed.toml",
    "[",
    "\u{0}[",
    ["fr/typed.toml: (file): not valid TOML (at byte"]
);

broken!(
    recheck_with_an_option_the_question_lacks,
    "protocol.toml",
    "no_longer_fades = \"stays\"",
    "no_longer_fades = \"gone\"",
    ["protocol.toml: recheck.no_longer_fades: `gone` is not an option of `glass_test`"]
);

broken!(
    recheck_missing,
    "protocol.toml",
    "[recheck]\nquestion = \"glass_test\"\nstill_fades = \"fades\"\nno_longer_fades = \"stays\"",
    "",
    ["protocol.toml: recheck: is missing"]
);

broken!(
    reminder_text_missing_in_one_language,
    "fr/reminders.ftl",
    "btn-recheck-stays = Elles ne s'effacent plus",
    "",
    ["fr/: btn-recheck-stays"]
);

broken!(
    unknown_field_in_a_question,
    "protocol.toml",
    "id = \"fever\"\nkind = \"yes_no\"",
    "id = \"fever\"\nkind = \"yes_no\"\ncolour = \"red\"",
    ["protocol.toml: question.fever: unknown field `colour`"]
);

broken!(
    question_asking_an_unknown_fact,
    "protocol.toml",
    "facts = [\"fever\"]",
    "facts = [\"fevr\"]",
    ["protocol.toml: question.fever: unknown fact `fevr`"]
);

broken!(
    condition_on_an_unknown_fact,
    "protocol.toml",
    "applies_if = { unusual_bleeding = true }",
    "applies_if = { unusual_bleedings = true }",
    ["protocol.toml: question.serious_bleeding.applies_if: unknown fact `unusual_bleedings`"]
);

broken!(
    rule_on_an_unknown_fact,
    "protocol.toml",
    "when = { vomiting = true }",
    "when = { vomitting = true }",
    ["protocol.toml: rule.keeps_vomiting.when: unknown fact `vomitting`"]
);

broken!(
    rule_with_an_unknown_value,
    "protocol.toml",
    "when = { blanching = \"fades\", days_present = \"> 3\" }",
    "when = { blanching = \"faded\", days_present = \"> 3\" }",
    ["protocol.toml: rule.fading_rash_lasting.when.blanching: `\"faded\"` is not a valid value for `blanching`"]
);

broken!(
    rule_with_an_unknown_source,
    "protocol.toml",
    "sources = [\"nice_cg151\", \"nice_sepsis\"]",
    "sources = [\"nice_cg151\", \"nice_sepsys\"]",
    ["protocol.toml: rule.fever_weak_immunity.sources: unknown source `nice_sepsys`"]
);

broken!(
    threshold_not_on_a_band_edge_in_a_question,
    "protocol.toml",
    "applies_if = { age_years = \"< 1\" }",
    "applies_if = { age_years = \"< 2\" }",
    ["protocol.toml: question.baby_cry.applies_if.age_years: `< 2` does not fall on a band edge"]
);

broken!(
    threshold_not_on_a_band_edge_in_a_rule,
    "protocol.toml",
    "when = { age_years = \"< 5\", stiff_neck = true }",
    "when = { age_years = \"<= 5\", stiff_neck = true }",
    ["protocol.toml: rule.young_child_stiff_neck.when.age_years: `<= 5` does not fall on a band edge"]
);

broken!(
    callback_data_over_64_bytes,
    "protocol.toml",
    "id = \"fever\"",
    "id = \"have_they_had_a_fever_in_the_last_day_or_do_they_have_one_now\"",
    [
        "protocol.toml: question.have_they_had_a_fever_in_the_last_day_or_do_they_have_one_now: callback data `a:have_they_had_a_fever_in_the_last_day_or_do_they_have_one_now:unsure` is 70 bytes; Telegram allows 64",
    ]
);

// ------------------------------------------------------------------------------------------------
// protocol.toml: what the walk over every answer path proves

broken!(
    question_no_path_reaches,
    "protocol.toml",
    "applies_if = { age_years = \"< 1\" }",
    "applies_if = { age_years = \"< 1\" }\nask_if = { age_years = \">= 65\" }",
    ["protocol.toml: question.baby_cry: no answer path reaches this question"]
);

broken!(
    a_worse_answer_lowers_the_level,
    "protocol.toml",
    "when = { fever = true, age_years = \">= 65\" }",
    "when = { fever = false, age_years = \">= 65\" }",
    [
        "protocol.toml: path [",
        "answering `true` for `fever` in `fever` instead lowers the level"
    ]
);

broken!(
    a_red_flag_question_not_ending_in_an_emergency,
    "protocol.toml",
    "id = \"weak_cry\"\nlevel = \"emergency\"",
    "id = \"weak_cry\"\nlevel = \"urgent\"",
    [
        "protocol.toml: path [",
        "baby_cry=yes",
        "an emergency finding did not end the check with emergency advice at once"
    ]
);

// The example of the brief: with the seizure rule lowered to urgent, a fit no longer gets emergency
// advice when it is the only finding (a typed "she's having a fit", or `"seizure": true` in
// `assess`). The verifier must say so.
broken!(
    seizure_rule_lowered_to_urgent,
    "protocol.toml",
    "id = \"seizure\"\nlevel = \"emergency\"",
    "id = \"seizure\"\nlevel = \"urgent\"",
    ["protocol.toml: question.red_flags: `seizure` alone does not lead to emergency"]
);

broken!(
    a_skipped_question_could_raise_the_level,
    "protocol.toml",
    "facts = [\"spot_size\"]\nask_if = { blanching = [\"stays\", \"unsure\", \"not_done\"] }",
    "facts = [\"spot_size\"]\nask_if = { blanching = \"stays\" }",
    [
        "protocol.toml: path [",
        "skipped questions (",
        "spot_size",
        "could raise the level to emergency if asked"
    ]
);

// ------------------------------------------------------------------------------------------------
// Texts

broken!(
    missing_reason_text,
    "en/advice.ftl",
    "reason-scarlet_fever =",
    "# reason-scarlet_fever =",
    ["en/: reason-scarlet_fever: is missing"]
);

broken!(
    extra_unused_message,
    "en/advice.ftl",
    "reason-tick_or_travel =",
    "reason-old_rule = A reason of a rule that is gone.\nreason-tick_or_travel =",
    ["en/advice.ftl: reason-old_rule: is not used by SpotCheck"]
);

broken!(
    text_over_4096_characters,
    "en/bot.ftl",
    "bot-forgotten = Done.",
    &format!("bot-forgotten = {}Done.", "Everything is gone. ".repeat(220)),
    ["en/: bot-forgotten: is 4", "characters; the limit here is 4096"]
);

broken!(
    advice_over_4096_characters_with_the_reasons_of_a_path,
    "en/advice.ftl",
    "Trust your instincts. You are right to get help.",
    &format!(
        "Trust your instincts. You are right to get help. {}",
        "Stay calm and keep watching them. ".repeat(100)
    ),
    [
        "en/: advice-emergency: is",
        "characters with the reasons of one path; Telegram allows 4096"
    ]
);

broken!(
    button_label_over_40_characters,
    "en/questions.ftl",
    "opt-blanching-fades = They fade under the glass",
    "opt-blanching-fades = They fade under the glass when I press it firmly",
    ["en/: opt-blanching-fades: is", "the limit here is 40"]
);

broken!(
    message_using_a_variable_the_code_does_not_pass,
    "en/bot.ftl",
    "bot-cancelled = The check is stopped.",
    "bot-cancelled = The check for { $name } is stopped.",
    [
        "en/: bot-cancelled: cannot be rendered with the variables the code passes",
        "name"
    ]
);

broken!(
    non_advice_message_starting_with_a_level_sign,
    "en/bot.ftl",
    "bot-nudge =\n    Sorry",
    "bot-nudge =\n    🔴 Sorry",
    ["en/: bot-nudge: only the final advice may start with a level sign"]
);

broken!(
    question_starting_with_a_level_sign,
    "en/questions.ftl",
    "q-age = How old are they?",
    "q-age = 🟢 How old are they?",
    ["en/: q-age: only the final advice may start with a level sign"]
);

broken!(
    advice_not_starting_with_its_sign,
    "en/advice.ftl",
    "    🟡 Book a normal appointment",
    "    Book a normal appointment",
    ["en/: advice-routine: must start with 🟡"]
);

broken!(
    advice_starting_with_another_sign,
    "en/advice.ftl",
    "    🟠 Get medical advice today",
    "    🔴 Get medical advice today",
    ["en/: advice-urgent: must start with 🟠"]
);

broken!(
    fluent_syntax_error,
    "en/bot.ftl",
    "bot-no-check = There is",
    "bot-no-check = { There is",
    ["en/bot.ftl: line ", "Fluent syntax error"]
);

broken!(
    message_defined_twice,
    "en/bot.ftl",
    "bot-cancelled = The check is stopped.",
    "bot-forgotten = Done twice.\nbot-cancelled = The check is stopped.",
    ["en/bot.ftl: bot-forgotten: is defined twice (also in en/bot.ftl)"]
);

broken!(
    typed_emergency_phrase_for_an_unknown_fact,
    "en/typed.toml",
    "[emergency_phrases]",
    "[emergency_phrases]\nsneezing = [\"achoo\"]",
    ["en/typed.toml: emergency_phrases.sneezing: is not a yes/no fact of the protocol"]
);

// A typed emergency phrase gets "What you wrote sounds like an emergency, so here is the emergency
// advice straight away." in the chat, so the finding it stands for must be an emergency on its own.
// Mapping a phrase to a finding that is not (here: vomiting) must be refused.
broken!(
    typed_emergency_phrase_for_a_finding_that_is_not_an_emergency,
    "en/typed.toml",
    "[emergency_phrases]",
    "[emergency_phrases]\nvomiting = [\"throwing up\"]",
    ["en/typed.toml", "emergency_phrases.vomiting"]
);

/// A picture a question names must exist.
#[test]
fn missing_picture() {
    let mut files = FileSet::embedded();
    assert!(
        files.files.remove("pictures/glass-test.png").is_some(),
        "the built-in dialogues have no pictures/glass-test.png: update this test"
    );
    assert_reported(
        &problems(&files),
        &["protocol.toml: question.glass_test.picture: pictures/glass-test.png is missing"],
    );
}

/// Several problems in different files are all listed in one run.
#[test]
fn problems_in_several_texts_are_all_listed() {
    let mut files = edited(
        "en/advice.ftl",
        "reason-scarlet_fever =",
        "# reason-scarlet_fever =",
    );
    let bot = files.text("en/bot.ftl").expect("en/bot.ftl");
    let bot = bot
        .replacen("bot-nudge =\n    Sorry", "bot-nudge =\n    🔴 Sorry", 1)
        .replacen(
            "bot-cancelled = The check is stopped.",
            "bot-cancelled = { $who } stopped.",
            1,
        );
    files.files.insert("en/bot.ftl".into(), bot.into_bytes());
    let problems = problems(&files);
    assert_reported(
        &problems,
        &[
            "reason-scarlet_fever: is missing",
            "bot-nudge: only the final advice may start with a level sign",
            "bot-cancelled: cannot be rendered",
        ],
    );
    assert!(problems.len() >= 3, "{problems}");
}

// ------------------------------------------------------------------------------------------------
// Real folders through `spotcheck check <folder>`

fn check_folder(name: &str) -> (Option<i32>, String, String) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken")
        .join(name);
    assert!(folder.is_dir(), "{} is missing", folder.display());
    let output = Command::new(env!("CARGO_BIN_EXE_spotcheck"))
        .arg("check")
        .arg(&folder)
        .env_remove("SPOTCHECK_DIALOGUES")
        .output()
        .expect("spotcheck runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_lists_every_problem_of_a_broken_folder() {
    let (code, stdout, stderr) = check_folder("protocol_errors");
    assert_ne!(
        code,
        Some(0),
        "check accepted tests/broken/protocol_errors:\n{stdout}"
    );
    let expected = [
        "protocol.toml: question.age: unknown field `colour`",
        "protocol.toml: question.glass_test: unknown fact `blanchin`",
        "protocol.toml: rule.stays_with_fever.sources: unknown source `meningitis_nowhere`",
        "protocol.toml: rule.young_child_fever.when.age_years: `< 5` does not fall on a band edge",
        "protocol.toml: rule.fading_rash.level: unknown level `relaxed`",
    ];
    for text in expected {
        assert!(stderr.contains(text), "expected {text:?} in:\n{stderr}");
    }
    // Every problem marked in the fixture is listed, and nothing else.
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken/protocol_errors/protocol.toml"),
    )
    .expect("read the fixture");
    let marked = fixture.matches("# PROBLEM").count();
    assert_eq!(
        marked,
        expected.len(),
        "the fixture and this test disagree on the problems"
    );
    assert!(
        stderr.contains(&format!("{marked} problem(s) in the dialogues")),
        "expected exactly {marked} problems listed:\n{stderr}"
    );
}

#[test]
fn check_reports_invalid_toml_in_a_folder() {
    let (code, stdout, stderr) = check_folder("not_toml");
    assert_ne!(code, Some(0), "check accepted tests/broken/not_toml:\n{stdout}");
    assert!(
        stderr.contains("protocol.toml: (file): not valid TOML"),
        "expected the TOML error in:\n{stderr}"
    );
}

// A text removed from one language only is reported for that language (no silent fallback).
broken!(
    a_reason_missing_in_spanish_only,
    "es/advice.ftl",
    "reason-stays_with_fever =",
    "reason-was-stays_with_fever =",
    [
        "es/: reason-stays_with_fever: is missing",
        "es/advice.ftl: reason-was-stays_with_fever: is not used"
    ]
);

broken!(
    a_checklist_red_flag_that_it_does_not_ask,
    "protocol.toml",
    "red_flags = [\"drowsy_or_confused\",",
    "red_flags = [\"pregnant\", \"drowsy_or_confused\",",
    ["protocol.toml: question.red_flags.red_flags: `pregnant` is not one of the checklist's facts"]
);

broken!(
    red_flags_named_on_a_yes_no_question,
    "protocol.toml",
    "id = \"fever\"\nkind = \"yes_no\"",
    "id = \"fever\"\nkind = \"yes_no\"\nred_flags = [\"fever\"]",
    ["protocol.toml: question.fever.red_flags: only a checklist names its red flags"]
);

// ------------------------------------------------------------------------------------------------
// A message that leaves out a value the code gives it

broken!(
    emergency_advice_without_the_emergency_numbers,
    "es/advice.ftl",
    "Llame ahora mismo a una ambulancia ({ $emergency_numbers })",
    "Llame ahora mismo a una ambulancia",
    ["es/: advice-emergency: leaves out { $emergency_numbers }"]
);

broken!(
    a_list_that_keeps_only_its_first_item,
    "fr/bot.ftl",
    "list-more = { $list }, { $item }",
    "list-more = { $list }",
    ["fr/: list-more: leaves out { $item }"]
);

// No advice line is for the urgent level today, so `advice-urgent` has no `{ $lines }`; a line
// given that level must then be shown there, under its heading.
broken!(
    an_advice_line_for_a_level_whose_advice_cannot_show_it,
    "protocol.toml",
    "id = \"heat\"\nlevels = [\"routine\", \"self_care\"]",
    "id = \"heat\"\nlevels = [\"urgent\", \"routine\", \"self_care\"]",
    [
        "en/: advice-urgent: leaves out { $lines }",
        "en/: advice-lines-urgent: is missing"
    ]
);

#[test]
fn a_text_file_that_is_not_utf8_is_refused_not_read_with_replacements() {
    let mut files = FileSet::embedded();
    let mut bytes = files.files["es/bot.ftl"].clone();
    // Latin-1's "ó", as an editor saving in the wrong encoding writes it.
    let at = bytes.len() / 2;
    bytes.insert(at, 0xF3);
    files.files.insert("es/bot.ftl".into(), bytes);
    assert_reported(
        &problems(&files),
        &["es/bot.ftl: (file): is not valid UTF-8", "save it as UTF-8"],
    );
}
