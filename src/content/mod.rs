//! The dialogue content: loading `dialogues/` (protocol, texts per language, typed words,
//! pictures), checking it, and rendering advice. The program refuses to start on content that
//! fails the checks.

mod advice;
mod cards;
pub mod catalogue;
mod files;
mod numbers;
mod problems;
mod protocol_file;
mod texts;
mod typed;
pub mod verify;

use std::collections::BTreeMap;
use std::path::Path;

pub use advice::{advice, offers_reminder, reason_message_id, reasons, with_reminder_offer};
pub use cards::{card_text, search as search_cards, Card};
pub use files::FileSet;
pub use numbers::Country;
pub use problems::{Problem, Problems};
pub use protocol_file::{
    answer_callback_data, CHECKLIST_DONE, CHECKLIST_NONE, CHECKLIST_UNSURE, CONTRACT_FACTS,
    MAX_CALLBACK_BYTES,
};
pub use texts::{option_label_id, required_messages, tick_label_id, MessageSpec, Texts, Use, ADVICE_ARGS};
pub use typed::{normalise, TypedWords, YesNo};
pub use verify::Report;

use crate::triage::Protocol;
use catalogue::EMERGENCY_NUMBERS;

/// The language every text must exist in, and the fallback for unknown language codes.
pub const DEFAULT_LANGUAGE: &str = "en";

/// One language: its texts and the words people type in it.
#[derive(Debug)]
pub struct Language {
    pub code: String,
    pub texts: Texts,
    pub typed: TypedWords,
}

/// Everything under `dialogues/`, parsed.
#[derive(Debug)]
pub struct Dialogues {
    pub protocol: Protocol,
    pub languages: Vec<Language>,
    /// Picture name (`glass-test`) → PNG bytes.
    pub pictures: BTreeMap<String, Vec<u8>>,
    /// Education cards, in menu order.
    pub cards: Vec<Card>,
    /// Emergency numbers by country, in /country menu order.
    pub countries: Vec<Country>,
}

impl Dialogues {
    /// Parses every file, listing every problem found. Does not walk the paths; see `load`.
    pub fn from_files(files: &FileSet) -> Result<Dialogues, Problems> {
        let mut problems = Problems::default();
        for (path, offset) in files.not_utf8() {
            let message = format!("is not valid UTF-8 (at byte {offset}); save it as UTF-8");
            problems.add(&path, "(file)", message);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let protocol = match files.text(protocol_file::FILE) {
            Some(text) => protocol_file::parse(&text),
            None => {
                problems.add(protocol_file::FILE, "(file)", "is missing");
                return Err(problems);
            }
        }?;
        let cards = match files.text(cards::FILE) {
            Some(text) => cards::parse(&text, &protocol).unwrap_or_else(|found| {
                problems.extend(found);
                Vec::new()
            }),
            None => Vec::new(),
        };
        let countries = match files.text(numbers::FILE) {
            Some(text) => numbers::parse(&text).unwrap_or_else(|found| {
                problems.extend(found);
                Vec::new()
            }),
            None => Vec::new(),
        };
        let mut languages = Vec::new();
        for code in files.languages() {
            let texts = Texts::parse(&code, &files.texts_under(&code, ".ftl"));
            let typed_path = format!("{code}/typed.toml");
            let typed = match files.text(&typed_path) {
                Some(text) => TypedWords::parse(&typed_path, &text, &protocol),
                None => Err(Problems(vec![Problem {
                    file: typed_path,
                    key: "(file)".into(),
                    message: "is missing".into(),
                }])),
            };
            match (texts, typed) {
                (Ok(texts), Ok(typed)) => languages.push(Language { code, texts, typed }),
                (texts, typed) => {
                    problems.extend(texts.err().unwrap_or_default());
                    problems.extend(typed.err().unwrap_or_default());
                }
            }
        }
        if !languages.iter().any(|language| language.code == DEFAULT_LANGUAGE) && problems.is_empty() {
            problems.add(DEFAULT_LANGUAGE, "(folder)", "the default language is missing");
        }
        let pictures = files
            .files
            .iter()
            .filter_map(|(path, bytes)| {
                let name = path.strip_prefix("pictures/")?.strip_suffix(".png")?;
                Some((name.to_string(), bytes.clone()))
            })
            .collect();
        problems.into_result()?;
        Ok(Dialogues {
            protocol,
            languages,
            pictures,
            cards,
            countries,
        })
    }

    /// Parses and verifies: the form the program runs on.
    pub fn load(files: &FileSet) -> Result<(Dialogues, Report), Problems> {
        let dialogues = Dialogues::from_files(files)?;
        let report = verify::verify(&dialogues)?;
        Ok((dialogues, report))
    }

    /// The built-in dialogues, or those of a folder (the cli reads `SPOTCHECK_DIALOGUES`).
    pub fn load_from(folder: Option<&Path>) -> Result<(Dialogues, Report), LoadError> {
        let files = match folder {
            Some(dir) => {
                FileSet::read_dir(dir).map_err(|error| LoadError::Read(dir.display().to_string(), error))?
            }
            None => FileSet::embedded(),
        };
        Dialogues::load(&files).map_err(LoadError::Invalid)
    }

    /// A language by code (`es`, `es-MX`, `fr_CA`), falling back to the default language.
    pub fn language(&self, code: &str) -> &Language {
        let primary = code.split(['-', '_']).next().unwrap_or("").to_lowercase();
        self.languages
            .iter()
            .find(|language| language.code == primary)
            .or_else(|| {
                self.languages
                    .iter()
                    .find(|language| language.code == DEFAULT_LANGUAGE)
            })
            .unwrap_or(&self.languages[0])
    }

    /// The numbers to name in emergency advice: the country's, or the common ones.
    pub fn emergency_numbers(&self, language: &Language, country: Option<&str>) -> String {
        country
            .and_then(|code| self.countries.iter().find(|known| known.code == code))
            .map(|known| known.number.clone())
            .unwrap_or_else(|| language.texts.text(EMERGENCY_NUMBERS))
    }

    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|language| language.code == code)
    }

    /// A chosen country code if its emergency number is known; `None` (the common numbers)
    /// for "other" or a forged code.
    pub fn known_country(&self, code: String) -> Option<String> {
        self.countries
            .iter()
            .any(|known| known.code == code)
            .then_some(code)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the dialogues folder {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0}")]
    Invalid(Problems),
}
