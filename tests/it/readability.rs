//! Plain words: the reading level of every advice text and education card, per language.
//! English: Flesch-Kincaid grade ≤ 8. Spanish: Fernández-Huerta ≥ 60. French: Kandel-Moles ≥ 60.
//! (60 is "normal" difficulty on both scales, about the level of grade 8.) Each line and each
//! bullet counts as a sentence, as a reader on a phone sees them.

use spotcheck::content::{advice, card_text, Dialogues};
use spotcheck::triage::{assess, Case, Protocol, Value};

use crate::support::dialogues;

struct Counts {
    words: f64,
    sentences: f64,
    syllables: f64,
}

fn is_vowel(c: char, language: &str) -> bool {
    let vowels = match language {
        "es" => "aeiouáéíóúüy",
        "fr" => "aeiouyàâäéèêëîïôöùûüœæ",
        _ => "aeiouy",
    };
    vowels.contains(c)
}

fn syllables(word: &str, language: &str) -> f64 {
    let word: String = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if word.is_empty() {
        return 0.0;
    }
    let mut groups = 0;
    let mut previous = false;
    for c in word.chars() {
        let vowel = is_vowel(c, language);
        if vowel && !previous {
            groups += 1;
        }
        previous = vowel;
    }
    // A silent final e (English "make", French "grande", "grandes").
    let silent = match language {
        "en" => word.ends_with('e') && !word.ends_with("le") && groups > 1,
        "fr" => (word.ends_with('e') || word.ends_with("es") || word.ends_with("ent")) && groups > 1,
        _ => false,
    };
    (groups - usize::from(silent)).max(1) as f64
}

fn counts(text: &str, language: &str) -> Counts {
    let mut counts = Counts {
        words: 0.0,
        sentences: 0.0,
        syllables: 0.0,
    };
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let sentences = line
            .split(['.', '!', '?', ':', ';'])
            .filter(|part| part.chars().any(char::is_alphabetic))
            .count();
        counts.sentences += sentences.max(1) as f64;
        for word in line
            .split_whitespace()
            .filter(|word| word.chars().any(char::is_alphabetic))
        {
            counts.words += 1.0;
            counts.syllables += syllables(word, language);
        }
    }
    counts
}

/// English: the school grade needed (lower is easier).
fn flesch_kincaid_grade(text: &str) -> f64 {
    let c = counts(text, "en");
    0.39 * (c.words / c.sentences) + 11.8 * (c.syllables / c.words) - 15.59
}

/// Spanish: 0–100, higher is easier.
fn fernandez_huerta(text: &str) -> f64 {
    let c = counts(text, "es");
    206.84 - 0.60 * (100.0 * c.syllables / c.words) - 1.02 * (100.0 * c.sentences / c.words)
}

/// French: 0–100, higher is easier.
fn kandel_moles(text: &str) -> f64 {
    let c = counts(text, "fr");
    207.0 - 1.015 * (c.words / c.sentences) - 73.6 * (c.syllables / c.words)
}

/// One realistic case per level, reached through the session as a person would.
fn cases(protocol: &Protocol) -> Vec<Case> {
    let fact = |key: &str| protocol.fact_id(key).unwrap();
    // The vignette convention: every finding absent, the spots fading, present today.
    let mut base = Case::unknown(protocol);
    for (id, definition) in protocol.facts.iter().enumerate() {
        base.set(id, definition.best());
        if definition.kind == spotcheck::triage::FactKind::Bool {
            base.set(id, Some(Value::Bool(false)));
        }
    }
    let adult = base.clone().with(fact("age_years"), Some(Value::Number(35.0)));
    vec![
        adult
            .clone()
            .with(fact("fever"), Some(Value::Bool(true)))
            .with(fact("blanching"), Some(Value::Choice(1))),
        adult.clone().with(fact("blanching"), Some(Value::Choice(1))),
        adult.clone().with(fact("days_present"), Some(Value::Number(5.0))),
        adult,
    ]
}

fn texts_to_measure(dialogues: &Dialogues, code: &str) -> Vec<(String, String)> {
    let language = dialogues.language(code);
    let protocol = &dialogues.protocol;
    let numbers = language.texts.plain("emergency-numbers");
    let mut texts: Vec<(String, String)> = cases(protocol)
        .iter()
        .map(|case| {
            let assessment = assess(protocol, case);
            (
                format!("advice-{}", assessment.level.key()),
                advice(protocol, &language.texts, &assessment, &numbers),
            )
        })
        .collect();
    let levels: Vec<&str> = texts.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        levels,
        [
            "advice-emergency",
            "advice-urgent",
            "advice-routine",
            "advice-self_care"
        ]
    );
    for card in &dialogues.cards {
        texts.push((
            format!("card-{}", card.id),
            card_text(protocol, &language.texts, card),
        ));
    }
    texts
}

#[test]
fn english_advice_and_cards_read_at_grade_8_or_below() {
    let dialogues = dialogues();
    let mut too_hard = Vec::new();
    for (id, text) in texts_to_measure(dialogues, "en") {
        let grade = flesch_kincaid_grade(&text);
        println!("en {id}: Flesch-Kincaid grade {grade:.1}");
        if grade > 8.0 {
            too_hard.push(format!("{id}: grade {grade:.1}"));
        }
    }
    assert!(too_hard.is_empty(), "too hard to read: {too_hard:?}");
}

#[test]
fn spanish_advice_and_cards_read_easily() {
    let dialogues = dialogues();
    let mut too_hard = Vec::new();
    for (id, text) in texts_to_measure(dialogues, "es") {
        let score = fernandez_huerta(&text);
        println!("es {id}: Fernández-Huerta {score:.0}");
        if score < 60.0 {
            too_hard.push(format!("{id}: {score:.0}"));
        }
    }
    assert!(too_hard.is_empty(), "too hard to read: {too_hard:?}");
}

#[test]
fn french_advice_and_cards_read_easily() {
    let dialogues = dialogues();
    let mut too_hard = Vec::new();
    for (id, text) in texts_to_measure(dialogues, "fr") {
        let score = kandel_moles(&text);
        println!("fr {id}: Kandel-Moles {score:.0}");
        if score < 60.0 {
            too_hard.push(format!("{id}: {score:.0}"));
        }
    }
    assert!(too_hard.is_empty(), "too hard to read: {too_hard:?}");
}

#[test]
fn the_formulas_tell_easy_from_hard_text() {
    let easy = "The cat sat on the mat. It was a sunny day.";
    let hard = "Thrombocytopenic purpura necessitates haematological investigation, \
                 notwithstanding asymptomatic presentation.";
    assert!(flesch_kincaid_grade(easy) < 3.0);
    assert!(flesch_kincaid_grade(hard) > 12.0);
    assert!(fernandez_huerta("El gato come. Es de día.") > fernandez_huerta(
        "La trombocitopenia inmunológica idiopática necesita investigación hematológica especializada."
    ));
    assert!(kandel_moles("Le chat dort. Il fait beau.") > kandel_moles(
        "La thrombocytopénie immunologique idiopathique nécessite une investigation hématologique approfondie."
    ));
}
