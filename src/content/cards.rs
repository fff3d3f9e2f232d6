//! Education cards (`cards.toml`): short texts for groups, channels and inline mode. A card is
//! data: its id (also its command), its sources and an optional picture; its texts are in
//! `<language>/cards.ftl`.

use serde::Deserialize;

use super::catalogue::CARD_SOURCES;
use super::problems::Problems;
use super::texts::Texts;
use crate::triage::{Protocol, SourceId};

pub const FILE: &str = "cards.toml";

#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub id: String,
    pub picture: Option<String>,
    pub sources: Vec<SourceId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCards {
    card: Vec<RawCard>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCard {
    id: String,
    #[serde(default)]
    picture: Option<String>,
    sources: Vec<String>,
}

/// Commands the bot already uses, which a card may not take.
const RESERVED: &[&str] = &[
    "start",
    "check",
    "cancel",
    "restart",
    "help",
    "privacy",
    "forget",
    "learn",
    "language",
    "country",
    "reminders",
];

pub fn parse(text: &str, protocol: &Protocol) -> Result<Vec<Card>, Problems> {
    let mut problems = Problems::default();
    let raw: RawCards = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            problems.add(FILE, "(file)", super::problems::toml_error(&error));
            return Err(problems);
        }
    };
    let mut cards: Vec<Card> = Vec::new();
    for card in raw.card {
        let key = format!("card.{}", card.id);
        let valid_command = !card.id.is_empty()
            && card.id.len() <= 32
            && card
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_command {
            problems.add(FILE, &key, "a card id is its command: 1 to 32 of a-z, 0-9 and _");
        }
        if RESERVED.contains(&card.id.as_str()) || cards.iter().any(|known| known.id == card.id) {
            problems.add(FILE, &key, "the id is already used by a command or another card");
        }
        if card.sources.is_empty() {
            problems.add(FILE, &key, "every card must cite a source");
        }
        let mut sources = Vec::new();
        for source in &card.sources {
            match protocol.sources.iter().position(|known| &known.id == source) {
                Some(index) => sources.push(index),
                None => problems.add(
                    FILE,
                    &key,
                    format!("unknown source `{source}` (see protocol.toml)"),
                ),
            }
        }
        cards.push(Card {
            id: card.id,
            picture: card.picture,
            sources,
        });
    }
    problems.into_result()?;
    Ok(cards)
}

/// A card's full text in one language: its body and its sources.
pub fn card_text(protocol: &Protocol, texts: &Texts, card: &Card) -> String {
    let sources: Vec<&str> = card
        .sources
        .iter()
        .map(|&source| protocol.sources[source].short.as_str())
        .collect();
    let body = texts.plain(&format!("card-{}", card.id));
    let sources = texts.with(CARD_SOURCES, [&texts.list(&sources)]);
    format!("{body}\n\n{sources}")
}

/// The cards whose title or keywords match every word of an inline query (all for an empty one).
pub fn search<'a>(cards: &'a [Card], texts: &Texts, query: &str) -> Vec<&'a Card> {
    let words: Vec<String> = super::normalise(query)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    cards
        .iter()
        .filter(|card| {
            let haystack = super::normalise(&format!(
                "{} {} {}",
                card.id,
                texts.plain(&format!("card-{}-title", card.id)),
                texts.plain(&format!("card-{}-keywords", card.id))
            ));
            let candidates: Vec<&str> = haystack.split_whitespace().collect();
            words.iter().all(|word| {
                candidates
                    .iter()
                    .any(|candidate| candidate.starts_with(word.as_str()))
            })
        })
        .collect()
}
