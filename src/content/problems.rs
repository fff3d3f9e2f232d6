//! Problems found in the dialogue files, collected rather than stopping at the first.

use std::fmt;

/// One thing wrong with the dialogues: where (file and key) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.key, self.message)
    }
}

/// Every problem found, so one run of `spotcheck check` lists them all.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(&mut self, file: &str, key: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            file: file.to_string(),
            key: key.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    /// Ok when nothing was found.
    pub fn into_result(self) -> Result<(), Problems> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s) in the dialogues:", self.0.len())?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// A TOML parse error as a problem message. Some errors (a NUL byte, for one) come with an empty
/// message, so the place is always given too.
pub fn toml_error(error: &toml::de::Error) -> String {
    let message = error.message().trim();
    let place = error
        .span()
        .map_or_else(String::new, |span| format!(" (at byte {})", span.start));
    if message.is_empty() {
        format!("not valid TOML{place}")
    } else {
        format!("not valid TOML{place}: {message}")
    }
}
