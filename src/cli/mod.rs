//! The `spotcheck` command line. Glue only: each subcommand calls the library and prints.

mod assess;
mod bot;
mod chat;
mod protocol;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::content::{Dialogues, FileSet, LoadError};

#[derive(Parser)]
#[command(
    name = "spotcheck",
    version,
    about = "SpotCheck: what to do about pinprick red spots on the skin"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Telegram bot (the default). Reads .env and the environment (TELOXIDE_TOKEN, ...).
    Bot,
    /// Assess one case given as a JSON object of facts on standard input (contract §3).
    Assess {
        /// Read one case a line and print one answer a line.
        #[arg(long)]
        jsonl: bool,
        /// Language of the reasons and the advice.
        #[arg(long, default_value = crate::content::DEFAULT_LANGUAGE)]
        lang: String,
    },
    /// Print the question set.
    Protocol {
        /// As JSON (contract §4).
        #[arg(long, conflicts_with = "mermaid")]
        json: bool,
        /// As a Mermaid flowchart, for clinical review.
        #[arg(long)]
        mermaid: bool,
    },
    /// Go through a check in the terminal: no Telegram token needed.
    Chat {
        #[arg(long, default_value = crate::content::DEFAULT_LANGUAGE)]
        lang: String,
    },
    /// Verify the dialogues (the built-in ones, or a folder) and prove the safety properties.
    Check {
        /// A dialogues folder to check instead of the built-in one.
        dir: Option<PathBuf>,
    },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::Bot) => bot::run(),
        Some(Command::Check { dir }) => check(dir),
        Some(command) => {
            let dialogues = match load_dialogues() {
                Ok((dialogues, _)) => dialogues,
                Err(error) => return refuse(&error),
            };
            match command {
                Command::Assess { jsonl, lang } => assess::run(&dialogues, &lang, jsonl),
                Command::Protocol { json, mermaid } => protocol::run(&dialogues, json, mermaid),
                Command::Chat { lang } => chat::run(&dialogues, &lang),
                Command::Bot | Command::Check { .. } => unreachable_command(),
            }
        }
    }
}

fn unreachable_command() -> ExitCode {
    // Handled above; kept total so no path of `run` can panic.
    ExitCode::FAILURE
}

/// The process environment's setting named `name`; an empty one counts as unset. The only
/// place the program reads its environment (and `.env`, through `bot::run`).
pub(crate) fn setting(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

/// The built-in dialogues, or the folder `SPOTCHECK_DIALOGUES` names.
pub(crate) fn load_dialogues() -> Result<(Dialogues, crate::content::Report), LoadError> {
    Dialogues::load_from(
        setting("SPOTCHECK_DIALOGUES")
            .as_deref()
            .map(std::path::Path::new),
    )
}

/// Reports dialogues that failed the checks, and exits with failure.
pub fn refuse(error: &LoadError) -> ExitCode {
    eprintln!("SpotCheck will not run on these dialogues.\n{error}");
    ExitCode::FAILURE
}

fn check(dir: Option<PathBuf>) -> ExitCode {
    let files = match &dir {
        Some(dir) => match FileSet::read_dir(dir) {
            Ok(files) => files,
            Err(error) => return refuse(&LoadError::Read(dir.display().to_string(), error)),
        },
        None => FileSet::embedded(),
    };
    match Dialogues::load(&files) {
        Ok((_, report)) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(problems) => refuse(&LoadError::Invalid(problems)),
    }
}
