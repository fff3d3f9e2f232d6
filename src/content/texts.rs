//! User-facing text of one language, from Fluent files, and the list of messages the code needs.
//!
//! Every message the program shows is named here or derived from the protocol, with the variables
//! the code passes to it. The verifier holds each language's files to exactly that list: a missing
//! or an extra message, or one that uses a variable the code does not pass, is an error.

use std::collections::BTreeMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::Entry;
use unic_langid::LanguageIdentifier;

use super::problems::Problems;
use crate::triage::{FactKind, Level, Protocol, QuestionKind};

/// What a message is used for, which decides its length limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// A message of its own: Telegram allows 4096 characters.
    Message,
    /// Part of a message (a reason, a label in a list): kept short so the whole fits.
    Part,
    /// An inline button's label.
    Button,
    /// A photo caption: 1024 characters.
    Caption,
    /// A command description for setMyCommands: 1 to 256 characters.
    Command,
    /// A pop-up notice answering a button press: 200 characters.
    Notice,
}

impl Use {
    pub fn max_chars(self) -> usize {
        match self {
            Use::Message => 4096,
            Use::Part => 600,
            Use::Button => 40,
            Use::Caption => 1024,
            Use::Command => 256,
            Use::Notice => 200,
        }
    }
}

/// A message the code needs: its id, the variables it is given, and its use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageSpec {
    pub id: String,
    pub args: &'static [&'static str],
    pub usage: Use,
}

/// Messages that do not depend on the protocol, with the variables the code passes.
pub const FIXED_MESSAGES: &[(&str, &[&str], Use)] = &[
    ("advice-assumed", &["facts"], Use::Part),
    ("emergency-numbers", &[], Use::Part),
    ("bot-welcome", &["emergency_numbers"], Use::Message),
    ("bot-help", &[], Use::Message),
    ("bot-privacy", &["ttl_hours"], Use::Message),
    ("bot-forgotten", &[], Use::Message),
    ("bot-forget-failed", &[], Use::Message),
    ("bot-cancelled", &[], Use::Message),
    ("bot-progress", &["current", "total"], Use::Part),
    ("bot-answered", &["question", "answer"], Use::Message),
    ("bot-nudge", &[], Use::Message),
    ("bot-no-check", &[], Use::Message),
    ("bot-stale-button", &[], Use::Notice),
    ("bot-flood", &[], Use::Message),
    ("bot-state-reset", &[], Use::Message),
    ("bot-storage-unavailable", &[], Use::Notice),
    ("bot-reminders-unavailable", &[], Use::Message),
    ("bot-choice-unsaved", &[], Use::Message),
    ("bot-button-failed", &[], Use::Notice),
    ("bot-advice-unsaved", &[], Use::Message),
    ("bot-emergency-typed", &[], Use::Part),
    ("bot-summary", &["answers", "outcome"], Use::Message),
    ("bot-glass-caption", &[], Use::Caption),
    ("bot-group-only-private", &[], Use::Message),
    ("btn-start-check", &[], Use::Button),
    ("btn-back", &[], Use::Button),
    ("btn-cancel", &[], Use::Button),
    ("btn-start-again", &[], Use::Button),
    ("btn-share-summary", &[], Use::Button),
    ("btn-glass-picture", &[], Use::Button),
    ("btn-check-privately", &[], Use::Button),
    ("cmd-check", &[], Use::Command),
    ("cmd-cancel", &[], Use::Command),
    ("cmd-restart", &[], Use::Command),
    ("cmd-help", &[], Use::Command),
    ("cmd-privacy", &[], Use::Command),
    ("cmd-forget", &[], Use::Command),
    ("cmd-start", &[], Use::Command),
    ("chat-intro", &[], Use::Message),
    ("chat-prompt", &[], Use::Part),
    ("chat-bye", &[], Use::Part),
    ("card-sources", &["sources"], Use::Part),
    ("language-name", &[], Use::Button),
    ("bot-language-menu", &[], Use::Message),
    ("bot-language-set", &[], Use::Message),
    ("bot-country-menu", &[], Use::Message),
    ("bot-country-set", &["country", "number"], Use::Message),
    ("bot-country-other", &[], Use::Button),
    ("bot-admins-only", &[], Use::Notice),
    ("cmd-language", &[], Use::Command),
    ("cmd-country", &[], Use::Command),
    ("bot-group-intro", &[], Use::Message),
    ("bot-learn-menu", &[], Use::Message),
    ("cmd-learn", &[], Use::Command),
    ("opt-yes", &[], Use::Button),
    ("opt-no", &[], Use::Button),
    ("opt-unsure", &[], Use::Button),
    ("bot-reminder-offer", &[], Use::Part),
    ("btn-remind", &["delay"], Use::Button),
    ("btn-no-reminder", &[], Use::Button),
    ("bot-reminder-set", &["delay"], Use::Message),
    ("bot-reminder-limit", &["count"], Use::Message),
    ("bot-reminder-due", &[], Use::Caption),
    ("bot-reminder-late", &["late"], Use::Part),
    ("btn-recheck-fades", &[], Use::Button),
    ("btn-recheck-stays", &[], Use::Button),
    ("btn-recheck-worse", &[], Use::Button),
    ("bot-recheck-worse", &[], Use::Message),
    ("bot-reminders-none", &[], Use::Message),
    ("bot-reminders-list", &["reminders"], Use::Message),
    ("bot-reminders-item", &["number", "remaining"], Use::Part),
    ("btn-cancel-reminder", &["number"], Use::Button),
    ("bot-reminder-cancelled", &[], Use::Notice),
    ("cmd-reminders", &[], Use::Command),
];

/// The variables every advice message is given.
pub const ADVICE_ARGS: &[&str] = &["reasons", "lines", "assumed", "sources", "emergency_numbers"];

/// Every message a language must define, and no other.
pub fn required_messages(protocol: &Protocol, cards: &[super::Card]) -> Vec<MessageSpec> {
    let mut specs: Vec<MessageSpec> = FIXED_MESSAGES
        .iter()
        .map(|&(id, args, usage)| MessageSpec {
            id: id.to_string(),
            args,
            usage,
        })
        .collect();
    let mut add =
        |id: String, args: &'static [&'static str], usage: Use| specs.push(MessageSpec { id, args, usage });
    for question in &protocol.questions {
        add(format!("q-{}", question.id), &[], Use::Message);
        add(format!("short-{}", question.id), &[], Use::Part);
        if question.kind == QuestionKind::AnyOf {
            add(format!("reason-{}-yes", question.id), &[], Use::Part);
        }
        if question.kind == QuestionKind::Checklist {
            for &fact in &question.facts {
                let id = tick_label_id(&protocol.facts[fact].key);
                add(id, &[], Use::Button);
            }
        }
        if matches!(question.kind, QuestionKind::Band | QuestionKind::Choice) {
            let fact = &protocol.facts[question.facts[0]];
            for option in &question.options {
                add(option_message_id(&fact.key, option), &[], Use::Button);
            }
        }
    }
    for fact in &protocol.facts {
        add(format!("fact-{}", fact.key), &[], Use::Part);
    }
    for rule in &protocol.rules {
        add(format!("reason-{}", rule.id), &[], Use::Part);
    }
    for card in cards {
        // The body's length is checked with its sources added, by the verifier.
        add(format!("card-{}", card.id), &[], Use::Message);
        add(format!("card-{}-title", card.id), &[], Use::Button);
        add(format!("card-{}-keywords", card.id), &[], Use::Part);
    }
    if protocol
        .questions
        .iter()
        .any(|question| question.kind == QuestionKind::Checklist)
    {
        add("opt-checklist-done".into(), &[], Use::Button);
        add("opt-checklist-none".into(), &[], Use::Button);
        add("opt-checklist-unsure".into(), &[], Use::Button);
        add("chat-checklist-hint".into(), &[], Use::Part);
    }
    for line in &protocol.advice_lines {
        add(format!("line-{}", line.id), &[], Use::Part);
    }
    for level in Level::ALL {
        if protocol
            .advice_lines
            .iter()
            .any(|line| line.levels.contains(&level))
        {
            add(format!("advice-lines-{}", level.key()), &["lines"], Use::Part);
        }
        add(format!("advice-{}", level.key()), ADVICE_ARGS, Use::Message);
        add(format!("bot-summary-outcome-{}", level.key()), &[], Use::Part);
    }
    specs
}

/// The message id of an option's label: shared yes/no/unsure, or per fact for bands and choices.
pub fn option_message_id(fact_key: &str, option: &str) -> String {
    format!("opt-{fact_key}-{option}")
}

/// The label of a checklist item's button.
pub fn tick_label_id(fact_key: &str) -> String {
    format!("tick-{fact_key}")
}

/// The label message of a question's option.
pub fn option_label_id(protocol: &Protocol, question: usize, option: usize) -> String {
    let question = &protocol.questions[question];
    let fact = &protocol.facts[question.facts[0]];
    match fact.kind {
        FactKind::Bool => format!("opt-{}", question.options[option]),
        _ => option_message_id(&fact.key, &question.options[option]),
    }
}

/// The texts of one language.
pub struct Texts {
    language: String,
    bundle: FluentBundle<FluentResource>,
    /// Message id → the file that defines it.
    defined: BTreeMap<String, String>,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Texts")
            .field("language", &self.language)
            .field("messages", &self.defined.len())
            .finish()
    }
}

impl Texts {
    /// Parses a language's `.ftl` files (name, contents), listing every syntax error and
    /// duplicate id.
    pub fn parse(language: &str, files: &[(String, String)]) -> Result<Texts, Problems> {
        let mut problems = Problems::default();
        let locale: LanguageIdentifier = language.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Isolation marks would end up as invisible characters in Telegram messages.
        bundle.set_use_isolating(false);
        let mut defined = BTreeMap::new();
        for (file, source) in files {
            let resource = match FluentResource::try_new(source.clone()) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    for error in errors {
                        let line = source[..error.pos.start.min(source.len())].lines().count().max(1);
                        problems.add(
                            file,
                            format!("line {line}"),
                            format!("Fluent syntax error: {:?}", error.kind),
                        );
                    }
                    resource
                }
            };
            for entry in resource.entries() {
                if let Entry::Message(message) = entry {
                    let id = message.id.name.to_string();
                    if let Some(first) = defined.insert(id.clone(), file.clone()) {
                        problems.add(file, &id, format!("is defined twice (also in {first})"));
                    }
                }
            }
            // Duplicates are reported above, so which definition the bundle keeps does not matter.
            bundle.add_resource_overriding(resource);
        }
        problems.into_result()?;
        Ok(Texts {
            language: language.to_string(),
            bundle,
            defined,
        })
    }

    pub fn defined_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.defined.iter().map(|(id, file)| (id.as_str(), file.as_str()))
    }

    /// Renders a message. Never fails: a missing message shows its id, which the verifier makes
    /// impossible for every message the code uses.
    pub fn get(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.render(id, args).unwrap_or_else(|_| format!("[{id}]"))
    }

    pub fn plain(&self, id: &str) -> String {
        self.get(id, &[])
    }

    /// Renders a message, or says what went wrong (for the verifier).
    pub fn render(&self, id: &str, args: &[(&str, &str)]) -> Result<String, String> {
        let message = self.bundle.get_message(id).ok_or("is missing")?;
        let pattern = message.value().ok_or("has no value")?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            // Numbers go in as numbers, so plural rules ("1 hour", "24 hours") work.
            match value.parse::<f64>() {
                Ok(number) => fluent_args.set(*name, FluentValue::from(number)),
                Err(_) => fluent_args.set(*name, FluentValue::from(*value)),
            }
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        match errors.first() {
            None => Ok(text.trim_end().to_string()),
            Some(error) => Err(format!(
                "cannot be rendered with the variables the code passes ({})",
                error
            )),
        }
    }
}
