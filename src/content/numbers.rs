//! Emergency numbers by country (`emergency-numbers.toml`), for the advice of a chat that has set
//! its country with /country.

use serde::Deserialize;

use super::problems::Problems;

pub const FILE: &str = "emergency-numbers.toml";

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2, e.g. `GB`.
    pub code: String,
    /// As the country's people write it, with its flag: shown on the /country buttons.
    pub name: String,
    /// What emergency advice shows as the number to call.
    pub number: String,
    pub source: String,
    /// False for a number nobody could confirm yet; it is still offered, and flagged for review.
    pub confirmed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNumbers {
    country: Vec<Country>,
}

pub fn parse(text: &str) -> Result<Vec<Country>, Problems> {
    let mut problems = Problems::default();
    let raw: RawNumbers = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            problems.add(FILE, "(file)", super::problems::toml_error(&error));
            return Err(problems);
        }
    };
    for (index, country) in raw.country.iter().enumerate() {
        let key = format!("country.{}", country.code);
        if country.code.len() != 2 || !country.code.chars().all(|c| c.is_ascii_uppercase()) {
            problems.add(FILE, &key, "the code must be two capital letters (ISO 3166-1)");
        }
        if raw.country[..index]
            .iter()
            .any(|earlier| earlier.code == country.code)
        {
            problems.add(FILE, &key, "the country is listed twice");
        }
        for (field, value) in [
            ("name", &country.name),
            ("number", &country.number),
            ("source", &country.source),
        ] {
            if value.trim().is_empty() {
                problems.add(FILE, format!("{key}.{field}"), "is empty");
            }
        }
        if !country.number.chars().any(|c| c.is_ascii_digit()) {
            problems.add(FILE, format!("{key}.number"), "has no number in it");
        }
    }
    problems.into_result()?;
    Ok(raw.country)
}
