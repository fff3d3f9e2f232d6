//! User-facing text of one language, from Fluent files, and the list of messages a language needs.
//!
//! Every message the program shows is in the `catalogue` or derived from the protocol and the
//! cards, with the variables the code passes to it. The verifier holds each language's files to
//! exactly that list: a missing or an extra message, or one that uses a variable the code does
//! not pass, is an error.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use unic_langid::LanguageIdentifier;

use super::catalogue::{self, Text, LIST_MORE};
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

/// The variables every advice message is given.
pub const ADVICE_ARGS: &[&str] = &["reasons", "lines", "assumed", "sources", "emergency_numbers"];
/// The same, at a level no advice line is for: `lines` is then always empty, so the message
/// need not show it.
const ADVICE_ARGS_WITHOUT_LINES: &[&str] = &["reasons", "assumed", "sources", "emergency_numbers"];

/// Every message a language must define, and no other.
pub fn required_messages(protocol: &Protocol, cards: &[super::Card]) -> Vec<MessageSpec> {
    let mut specs: Vec<MessageSpec> = Vec::new();
    let mut add = |id: String, args: &'static [&'static str], usage: Use| {
        // Yes/no questions share their answers' labels.
        if !specs.iter().any(|spec| spec.id == id) {
            specs.push(MessageSpec { id, args, usage });
        }
    };
    let checklists = protocol
        .questions
        .iter()
        .any(|question| question.kind == QuestionKind::Checklist);
    let with_checklists: &[_] = if checklists {
        catalogue::WITH_CHECKLISTS
    } else {
        &[]
    };
    for &(id, args, usage) in catalogue::ALWAYS.iter().chain(with_checklists) {
        add(id.to_string(), args, usage);
    }
    for (index, question) in protocol.questions.iter().enumerate() {
        add(format!("q-{}", question.id), &[], Use::Message);
        if protocol.facts[question.facts[0]].kind == FactKind::Bool
            && question.kind != QuestionKind::Checklist
        {
            for option in 0..question.options.len() {
                add(option_label_id(protocol, index, option), &[], Use::Button);
            }
        }
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
    for line in &protocol.advice_lines {
        add(format!("line-{}", line.id), &[], Use::Part);
    }
    for level in Level::ALL {
        let has_lines = protocol
            .advice_lines
            .iter()
            .any(|line| line.levels.contains(&level));
        if has_lines {
            add(format!("advice-lines-{}", level.key()), &["lines"], Use::Part);
        }
        let args = if has_lines {
            ADVICE_ARGS
        } else {
            ADVICE_ARGS_WITHOUT_LINES
        };
        add(format!("advice-{}", level.key()), args, Use::Message);
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

    /// A message the protocol or the cards name (`q-fever`, `card-glasstest-title`).
    pub fn plain(&self, id: &str) -> String {
        self.get(id, &[])
    }

    /// A message of the catalogue that takes no values.
    pub fn text(&self, text: Text<0>) -> String {
        self.get(text.id, &[])
    }

    /// A message of the catalogue with its values, in the order of `text.args`.
    pub fn with<const N: usize>(&self, text: Text<N>, values: [&str; N]) -> String {
        let args: Vec<(&str, &str)> = text.args.into_iter().zip(values).collect();
        self.get(text.id, &args)
    }

    /// Items in a run ("NICE, NHS, MRF"), joined the way this language writes a list.
    pub fn list<S: AsRef<str>>(&self, items: &[S]) -> String {
        let mut items = items.iter().map(AsRef::as_ref);
        let first = items.next().unwrap_or_default().to_string();
        items.fold(first, |list, item| self.with(LIST_MORE, [&list, item]))
    }

    /// The variables a message reads: in its text, its selectors and its functions' arguments,
    /// and in the messages it refers to, which Fluent gives the same variables. The verifier
    /// uses it to refuse a message that drops a value the code gives it.
    pub fn variables_read(&self, id: &str) -> BTreeSet<String> {
        let mut walk = VariableWalk {
            texts: self,
            read: BTreeSet::new(),
            visited: BTreeSet::new(),
        };
        walk.message(id);
        walk.read
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

/// A walk over a message's Fluent syntax, collecting the variables it reads.
struct VariableWalk<'t> {
    texts: &'t Texts,
    read: BTreeSet<String>,
    /// Messages already walked, so two that refer to each other end.
    visited: BTreeSet<String>,
}

impl VariableWalk<'_> {
    fn message(&mut self, id: &str) {
        if !self.visited.insert(id.to_string()) {
            return;
        }
        let texts = self.texts;
        if let Some(pattern) = texts.bundle.get_message(id).and_then(|message| message.value()) {
            self.pattern(pattern);
        }
    }

    fn pattern(&mut self, pattern: &Pattern<&str>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &Expression<&str>) {
        match expression {
            Expression::Select { selector, variants } => {
                self.inline(selector);
                for variant in variants {
                    self.pattern(&variant.value);
                }
            }
            Expression::Inline(inline) => self.inline(inline),
        }
    }

    fn inline(&mut self, inline: &InlineExpression<&str>) {
        match inline {
            InlineExpression::VariableReference { id } => {
                self.read.insert(id.name.to_string());
            }
            InlineExpression::MessageReference { id, .. } => self.message(id.name),
            InlineExpression::FunctionReference { arguments, .. }
            | InlineExpression::TermReference {
                arguments: Some(arguments),
                ..
            } => {
                let named = arguments.named.iter().map(|argument| &argument.value);
                for argument in arguments.positional.iter().chain(named) {
                    self.inline(argument);
                }
            }
            InlineExpression::Placeable { expression } => self.expression(expression),
            InlineExpression::TermReference { arguments: None, .. }
            | InlineExpression::StringLiteral { .. }
            | InlineExpression::NumberLiteral { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(language: &str, source: &str) -> Texts {
        Texts::parse(language, &[("bot.ftl".to_string(), source.to_string())]).expect("valid Fluent")
    }

    #[test]
    fn the_variables_a_message_reads_include_selectors_functions_and_referenced_messages() {
        let texts = texts(
            "en",
            "plural = { $count ->\n    [one] one hour\n   *[other] some hours\n}\n\
             formatted = { NUMBER($amount) } h\n\
             outer = { $name } says { inner }\n\
             inner = { $place }, { outer }\n\
             fixed = No values here",
        );
        let read = |id: &str| texts.variables_read(id).into_iter().collect::<Vec<_>>();
        assert_eq!(read("plural"), ["count"]);
        assert_eq!(read("formatted"), ["amount"]);
        // A message refers to another, which refers back: each is read once.
        assert_eq!(read("outer"), ["name", "place"]);
        assert!(read("fixed").is_empty());
        assert!(read("missing").is_empty());
    }

    #[test]
    fn a_list_is_joined_the_way_its_language_writes_one() {
        let english = texts("en", "list-more = { $list }, { $item }");
        assert_eq!(english.list(&["NICE", "NHS", "MRF"]), "NICE, NHS, MRF");
        assert_eq!(english.list(&["NICE"]), "NICE");
        assert_eq!(english.list::<&str>(&[]), "");
        // Japanese runs items together with an ideographic comma and no space.
        let japanese = texts("ja", "list-more = { $list }、{ $item }");
        assert_eq!(japanese.list(&["NICE", "NHS", "MRF"]), "NICE、NHS、MRF");
    }
}
