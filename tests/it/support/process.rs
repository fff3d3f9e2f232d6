//! The `spotcheck` binary as a child process of a test.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::fake_telegram::FakeTelegram;

/// The `spotcheck` binary, with none of the developer's settings.
pub fn spotcheck() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spotcheck"));
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(is_developer_setting) {
            command.env_remove(name);
        }
    }
    // Any free port for the operator endpoints, so bots started side by side never collide; a
    // test that probes them sets its own.
    command.env("SPOTCHECK_OPS_LISTEN", "127.0.0.1:0");
    command
}

/// A variable of the developer's environment that would change how the bot runs under a test
/// (a state lifetime, reminder delays, a Redis, the log level, the runtime's threads).
pub fn is_developer_setting(name: &str) -> bool {
    const PREFIXES: [&str; 4] = ["SPOTCHECK_", "TELOXIDE_", "REDIS_", "TOKIO_"];
    PREFIXES.iter().any(|prefix| name.starts_with(prefix)) || name == "RUST_LOG"
}

/// The bot, talking to `fake`, run in `folder`, unpaced, quiet but for warnings. Callers add
/// their own settings and spawn it.
pub fn bot_against(fake: &FakeTelegram, folder: &Path) -> Command {
    let mut command = spotcheck();
    command
        .current_dir(folder)
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.api_url())
        .env("SPOTCHECK_THROTTLE", "off")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
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

/// Waits until a bot process in webhook mode has registered its webhook and listens on `port`.
#[allow(dead_code)] // Not used by the benches that include this file.
pub async fn until_webhook_listens(fake: &FakeTelegram, port: u16, within: std::time::Duration) {
    fake.wait_for(within, |request| request.method == "setWebhook")
        .await
        .expect("the webhook is registered");
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < within, "the webhook server never listened");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
