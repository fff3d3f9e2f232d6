//! The Telegram adapter. (Filled in by the bot issue.)

use std::process::ExitCode;

pub fn run() -> ExitCode {
    eprintln!("the Telegram bot is not built yet; try `spotcheck chat`");
    ExitCode::FAILURE
}
