//! The triage core: facts in, next question or assessment out.
//!
//! Pure Rust: no I/O, no Telegram, no async. Every front end (the bot, `spotcheck chat`,
//! `spotcheck assess`) goes through it, so each clinical decision is made here and only here.
//! The rules themselves are data (`dialogues/protocol.toml`), loaded and validated by `content`.

mod assess;
mod case;
mod model;
mod session;

pub use assess::{advice_lines, assess, level, Assessment, Reason};
pub use case::{Case, Reading};
pub use model::{
    AdviceLine, Band, Comparison, Condition, Edge, Exception, Fact, FactId, FactKind, Level, LineId,
    Protocol, Question, QuestionId, QuestionKind, Recheck, Rule, RuleId, Source, SourceId, Test, Value,
};
pub use session::{
    least_alarming_option, AnswerError, RecheckFinding, RestoreError, SavedAnswer, SavedSession, Session,
    Step,
};
