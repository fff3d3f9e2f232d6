//! Fuzzing (proptest) of everything that reads input nobody controls: callback data, typed
//! answers and the dialogue files a clinician edits.
//!
//! Each property runs 64 to 256 cases, so the file takes seconds; no regression files are written:
//! a failure prints the minimal case, which belongs in a unit test once understood.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;
use spotcheck::content::{answer_callback_data, normalise, Dialogues, FileSet, MAX_CALLBACK_BYTES};
use spotcheck::conversation::{self, Turn};
use spotcheck::conversation::{parse_press, recheck_data, Control, Press};
use spotcheck::triage::{Session, Step};

use crate::support::dialogues;

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Text as people and scripts send it: any Unicode, with the awkward kinds made likely.
fn awkward_text() -> impl Strategy<Value = String> {
    let awkward = prop_oneof![
        Just("\u{200B}".to_string()), // zero-width space
        Just("\u{200D}".to_string()), // zero-width joiner
        Just("\u{202E}".to_string()), // right-to-left override
        Just("\u{FEFF}".to_string()), // byte order mark
        Just("\u{0301}".to_string()), // a combining accent with nothing to sit on
        Just("İ".to_string()),        // lowercases to two characters
        Just("ß".to_string()),
        Just("👨‍👩‍👧".to_string()),
        Just("مرحبا".to_string()),
        Just("שלום".to_string()),
        Just("\u{0000}\u{0007}\u{001B}[2J".to_string()),
        Just("1e308".to_string()),
        Just("NaN".to_string()),
        Just("-0".to_string()),
        Just("9".repeat(400)),
        Just("/".to_string()),
        Just(":".to_string()),
        Just(".".to_string()),
        any::<String>(),
    ];
    proptest::collection::vec(awkward, 0..12).prop_map(|parts| parts.join(" "))
}

// ------------------------------------------------------------------------------------------------
// Callback data

proptest! {
    #![proptest_config(config(256))]

    /// Anything at all, including what Telegram would never deliver (over 64 bytes).
    #[test]
    fn parse_press_takes_any_string(data in prop_oneof![awkward_text(), any::<String>(), "[a-z]:[a-z_:]{0,70}"]) {
        let press = parse_press(&data);
        // Whatever it is, it came from the data and nothing was invented.
        match press {
            Press::Answer { question, option } => prop_assert_eq!(format!("a:{question}:{option}"), data),
            Press::Card(card) => prop_assert_eq!(format!("c:{card}"), data),
            Press::Language(code) => prop_assert_eq!(format!("l:{code}"), data),
            Press::Country(code) => prop_assert_eq!(format!("n:{code}"), data),
            Press::Control(control) => prop_assert_eq!(control.data(), data),
            Press::Remind(delay) => prop_assert_eq!(format!("m:add:{delay}"), data),
            Press::NoReminder => prop_assert_eq!("m:no", data),
            Press::CancelReminder(id) => {
                prop_assert_eq!(data.strip_prefix("m:cancel:").and_then(|id| id.parse().ok()), Some(id))
            }
            Press::Recheck(found) => prop_assert_eq!(recheck_data(found), data),
            Press::Unknown => {}
        }
    }

    /// Up to 64 random bytes, as a forged button could carry (made text the way Telegram makes
    /// callback data text).
    #[test]
    fn parse_press_takes_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..=64)) {
        let data = String::from_utf8_lossy(&bytes);
        let _ = parse_press(&data);
    }
}

#[test]
fn every_answer_button_parses_back_to_its_question_and_option() {
    let protocol = &dialogues().protocol;
    let mut buttons = 0;
    for question in &protocol.questions {
        for option in &question.buttons {
            let data = answer_callback_data(&question.id, option);
            assert!(
                data.len() <= MAX_CALLBACK_BYTES,
                "{data} is over Telegram's limit"
            );
            assert_eq!(
                parse_press(&data),
                Press::Answer {
                    question: question.id.clone(),
                    option: option.clone()
                }
            );
            buttons += 1;
        }
    }
    assert!(
        buttons > 40,
        "only {buttons} answer buttons: the protocol did not load fully"
    );
    for control in Control::ALL {
        assert_eq!(parse_press(control.data()), Press::Control(control));
    }
    for card in &dialogues().cards {
        assert_eq!(
            parse_press(&format!("c:{}", card.id)),
            Press::Card(card.id.clone())
        );
    }
    for (data, expected) in [
        (
            "a::",
            Press::Answer {
                question: String::new(),
                option: String::new(),
            },
        ),
        (
            "a:nonexistent:x",
            Press::Answer {
                question: "nonexistent".into(),
                option: "x".into(),
            },
        ),
        ("a:", Press::Unknown),
        ("k:", Press::Unknown),
        ("", Press::Unknown),
        ("K:BACK", Press::Unknown),
    ] {
        assert_eq!(parse_press(data), expected, "{data:?}");
    }
}

// ------------------------------------------------------------------------------------------------
// Typed answers

/// Every emergency phrase of every language, as written in its `typed.toml`.
fn emergency_phrases() -> &'static Vec<(String, String)> {
    static PHRASES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let files = FileSet::embedded();
        let mut phrases = Vec::new();
        for language in &dialogues().languages {
            let text = files
                .text(&format!("{}/typed.toml", language.code))
                .expect("each language has typed words");
            let table: toml::Table = toml::from_str(&text).expect("typed.toml is TOML");
            let by_fact: BTreeMap<String, Vec<String>> = table["emergency_phrases"]
                .clone()
                .try_into()
                .expect("emergency_phrases maps facts to lists of phrases");
            for phrase in by_fact.into_values().flatten() {
                phrases.push((language.code.clone(), phrase));
            }
        }
        phrases
    })
}

/// Sessions at different points of a check: fresh, part-way (answers taken from `choices`), and
/// finished.
fn session_from(choices: &[usize]) -> Session {
    let protocol = &dialogues().protocol;
    let mut session = Session::new();
    for &choice in choices {
        let Step::Ask(question) = session.next(protocol) else {
            break;
        };
        let options = protocol.questions[question].options.len();
        session
            .answer(protocol, question, choice % options)
            .expect("the current question takes any of its options");
    }
    session
}

#[test]
fn every_emergency_phrase_alone_is_an_emergency() {
    let phrases = emergency_phrases();
    assert!(phrases.len() > 100, "only {} phrases found", phrases.len());
    for (code, phrase) in phrases {
        let language = dialogues().language(code);
        assert!(
            language.typed.emergency_fact(phrase).is_some(),
            "{code}: the emergency phrase {phrase:?} is not recognised on its own"
        );
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Whatever is typed, at whatever point of a check, in any language: no panic, and the turn is
    /// one the chat knows how to show.
    #[test]
    fn typed_text_never_panics(
        text in awkward_text(),
        choices in proptest::collection::vec(0usize..6, 0..25),
        language in 0usize..3,
    ) {
        let dialogues = dialogues();
        let language = &dialogues.languages[language % dialogues.languages.len()];
        let mut session = session_from(&choices);
        let before = session.answers().len();
        let turn = conversation::typed(dialogues, language, &mut session, &text);
        match turn {
            Turn::Answered(_) => prop_assert_eq!(session.answers().len(), before + 1),
            Turn::NotUnderstood(_) | Turn::Finished | Turn::Stale | Turn::Toggled(_) => {
                prop_assert_eq!(session.answers().len(), before)
            }
            Turn::TypedEmergency(step) => prop_assert!(
                matches!(step, Step::Done(ref assessment) if assessment.level.key() == "emergency"),
                "a typed emergency must end in emergency advice: {:?}", step
            ),
        }
        let _ = language.typed.age_years(&text);
        let _ = language.typed.yes_no(&text);
    }

    /// A clause that holds an emergency phrase, not right after a word that denies it, is an
    /// emergency, whatever surrounds it and however far the check has gone.
    #[test]
    fn a_clear_emergency_phrase_is_never_missed(
        phrase in 0usize..10_000,
        before in awkward_text(),
        lead in proptest::collection::vec("[a-z]{1,8}", 0..4),
        after in awkward_text(),
        choices in proptest::collection::vec(0usize..6, 0..25),
    ) {
        let (code, phrase) = &emergency_phrases()[phrase % emergency_phrases().len()];
        let language = dialogues().language(code);
        let negations = ["no", "not", "never", "without", "nor", "sin", "ni", "pas", "sans", "jamais", "aucun"];
        let lead: Vec<&String> = lead.iter().filter(|word| !negations.contains(&word.as_str())).collect();
        let lead = lead.iter().map(|word| format!("{word} ")).collect::<String>();
        let text = format!("{before}. {lead}{phrase} {after}");
        let mut session = session_from(&choices);
        let turn = conversation::typed(dialogues(), language, &mut session, &text);
        prop_assert!(
            matches!(turn, Turn::TypedEmergency(_)),
            "{}: {:?} was not taken as an emergency: {:?}", code, text, turn
        );
    }

    /// Normalising twice changes nothing: typed words and the words people type meet in the same
    /// form.
    #[test]
    fn normalise_is_idempotent(text in awkward_text()) {
        let once = normalise(&text);
        prop_assert_eq!(normalise(&once), once);
    }
}

// ------------------------------------------------------------------------------------------------
// The dialogue loader

/// One damaging edit to a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    Delete {
        at: usize,
        length: usize,
    },
    Duplicate {
        at: usize,
        length: usize,
    },
    Insert {
        at: usize,
        text: String,
    },
    Replace {
        at: usize,
        byte: u8,
    },
    Truncate {
        at: usize,
    },
    /// Swap two lines: moves a key out of its table, a message out of its group.
    SwapLines {
        first: usize,
        second: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let position = any::<usize>();
    prop_oneof![
        (position, 1usize..200).prop_map(|(at, length)| Mutation::Delete { at, length }),
        (position, 1usize..200).prop_map(|(at, length)| Mutation::Duplicate { at, length }),
        (
            position,
            prop_oneof![
                awkward_text(),
                Just("[".to_string()),
                Just("\"".to_string()),
                Just("{ $".to_string()),
                Just("}".to_string()),
                Just("\n-".to_string()),
                Just("\nnew-message = { $x }\n".to_string()),
                Just("\n[facts.extra]\nkind = \"bool\"\n".to_string()),
                Just(" = ".to_string()),
                Just("\n    ".to_string()),
            ]
        )
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        (position, any::<u8>()).prop_map(|(at, byte)| Mutation::Replace { at, byte }),
        position.prop_map(|at| Mutation::Truncate { at }),
        (position, position).prop_map(|(first, second)| Mutation::SwapLines { first, second }),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let length = bytes.len().max(1);
    match mutation {
        Mutation::Delete { at, length: count } => {
            let start = at % length;
            let end = (start + count).min(bytes.len());
            bytes.drain(start.min(end)..end);
        }
        Mutation::Duplicate { at, length: count } => {
            let start = (at % length).min(bytes.len());
            let end = (start + count).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(end..end, copy);
        }
        Mutation::Insert { at, text } => {
            let at = (at % length).min(bytes.len());
            bytes.splice(at..at, text.bytes());
        }
        Mutation::Replace { at, byte } => {
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = *byte;
            }
        }
        Mutation::Truncate { at } => bytes.truncate(at % length),
        Mutation::SwapLines { first, second } => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut lines: Vec<&str> = text.split('\n').collect();
            let count = lines.len();
            lines.swap(first % count, second % count);
            *bytes = lines.join("\n").into_bytes();
        }
    }
}

/// The files a clinician or translator edits (the pictures are not text).
fn text_files() -> Vec<String> {
    FileSet::embedded()
        .files
        .keys()
        .filter(|path| path.ends_with(".toml") || path.ends_with(".ftl"))
        .cloned()
        .collect()
}

proptest! {
    #![proptest_config(config(128))]

    /// Damaged copies of the real files either load or are refused with problems to fix; the
    /// loader never panics. Up to three edits, in one or several files.
    #[test]
    fn damaged_dialogues_load_or_are_refused(
        edits in proptest::collection::vec((any::<usize>(), mutation()), 1..4),
    ) {
        let paths = text_files();
        let mut files = FileSet::embedded();
        let mut edited = Vec::new();
        for (file, mutation) in &edits {
            let path = &paths[file % paths.len()];
            mutate(files.files.get_mut(path).expect("listed"), mutation);
            edited.push(path.clone());
        }
        match Dialogues::from_files(&files) {
            Ok(loaded) => prop_assert!(!loaded.languages.is_empty()),
            Err(problems) => {
                prop_assert!(!problems.is_empty(), "refused without saying why");
                // Each problem names a file of the dialogues, so a person can find it.
                for problem in &problems.0 {
                    prop_assert!(
                        paths.contains(&problem.file) || problem.file.contains('/') || problem.file.ends_with(".toml"),
                        "{} is not a dialogue file (edited: {:?})", problem, edited
                    );
                    prop_assert!(!problem.message.trim().is_empty(), "{} says nothing", problem);
                }
            }
        }
    }
}

#[test]
fn a_missing_file_is_refused_not_a_panic() {
    for path in text_files() {
        let mut files = FileSet::embedded();
        files.files.remove(&path);
        // Some files are optional (cards, emergency numbers); what matters is no panic.
        let _ = Dialogues::from_files(&files);
    }
}
