//! The `spotcheck` binary as a child process of a test.

use std::process::{Child, Command};

/// The `spotcheck` binary, with none of the developer's settings.
pub fn spotcheck() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spotcheck"));
    for variable in [
        "TELOXIDE_TOKEN",
        "TELOXIDE_API_URL",
        "REDIS_URL",
        "SPOTCHECK_DB",
        "SPOTCHECK_DIALOGUES",
        "SPOTCHECK_WEBHOOK_URL",
        "SPOTCHECK_WEBHOOK_SECRET",
        "SPOTCHECK_LISTEN",
    ] {
        command.env_remove(variable);
    }
    command
}

/// A bot process, killed when dropped (also when a test fails).
pub struct BotProcess(pub Child);

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
