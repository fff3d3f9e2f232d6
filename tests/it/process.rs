//! The `spotcheck` binary as a process: start-up without a token, SIGTERM, and kill -9 in the
//! middle of a check, against the fake Bot API server over real HTTP.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::fake_telegram::FakeTelegram;
use crate::support::process::{bot_against, spotcheck, until_webhook_listens};
use crate::support::webhook::free_port;

const WAIT: Duration = Duration::from_secs(15);

fn start_bot(fake: &FakeTelegram, folder: &std::path::Path) -> Child {
    bot_against(fake, folder).spawn().expect("the binary starts")
}

fn wait_exit(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

async fn question(fake: &FakeTelegram, chat: i64) -> (String, i64) {
    let request = fake
        .wait_for(WAIT, |request| {
            request.method == "sendMessage"
                && request.chat_id() == Some(chat)
                && request.callback_data().iter().any(|data| data.starts_with("a:"))
        })
        .await
        .expect("a question arrives");
    let data = request.callback_data();
    let question = data[0].split(':').nth(1).unwrap().to_string();
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(id) = fake.last_bot_message_id(chat) {
            let messages = fake.bot_messages(chat);
            if messages.last().and_then(|m| m.get("text")?.as_str()) == request.text() {
                return (question, id);
            }
        }
        assert!(Instant::now() < deadline, "the question never appeared");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[test]
fn without_a_token_the_bot_explains_how_to_get_one() {
    let folder = tempfile::tempdir().unwrap();
    let output = spotcheck().current_dir(folder.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("@BotFather"), "{stderr}");
    assert!(stderr.contains("spotcheck chat"), "{stderr}");
    assert!(
        !folder.path().join("spotcheck.db").exists(),
        "nothing is created without a token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_bot_with_exit_code_0_within_5_seconds() {
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let mut bot = start_bot(&fake, folder.path());
    fake.wait_for(WAIT, |request| request.method == "getUpdates")
        .await
        .expect("the bot polls");
    fake.private_text(7, "/check");
    question(&fake, 7).await;
    // Between two updates, long-polling: where teloxide's dispatcher can lose a shutdown
    // request. SpotCheck's own grace period must end the process anyway.
    assert!(fake.wait_until_idle(WAIT).await, "the bot is waiting for updates");
    let asked = Instant::now();
    signal(&bot, "TERM");
    let status = wait_exit(&mut bot, Duration::from_secs(5)).expect("the bot exits within 5 s of SIGTERM");
    assert_eq!(status.code(), Some(0));
    println!("stopped {:?} after SIGTERM", asked.elapsed());
    assert!(
        folder.path().join("spotcheck.db").exists(),
        "the default storage is SQLite in the working directory"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_survives_kill_9_and_continues_where_it_was() {
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let mut bot = start_bot(&fake, folder.path());
    fake.private_text(8, "/check");
    let (first, first_id) = question(&fake, 8).await;
    assert_eq!(first, "red_flags");
    fake.callback(8, first_id, "a:red_flags:none");
    let (second, second_id) = question(&fake, 8).await;
    assert_eq!(second, "age");
    // Give the bot a moment to store the state it has just shown, then kill it hard.
    tokio::time::sleep(Duration::from_millis(200)).await;
    signal(&bot, "KILL");
    wait_exit(&mut bot, Duration::from_secs(5)).expect("killed");

    let mut bot = start_bot(&fake, folder.path());
    fake.callback(8, second_id, "a:age:5_to_15y");
    let (third, _) = question(&fake, 8).await;
    assert_eq!(third, "fever", "the check continues at the question it was on");
    signal(&bot, "TERM");
    assert_eq!(
        wait_exit(&mut bot, Duration::from_secs(5)).and_then(|status| status.code()),
        Some(0)
    );
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_a_webhook_replica_with_exit_code_0_within_5_seconds() {
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut bot = bot_against(&fake, folder.path())
        .env("SPOTCHECK_WEBHOOK_URL", "https://bot.example/hook")
        .env("SPOTCHECK_LISTEN", format!("127.0.0.1:{port}"))
        .spawn()
        .expect("the binary starts");
    until_webhook_listens(&fake, port, WAIT).await;
    // A client holding a connection open must not keep the server from stopping.
    let _idle_client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    signal(&bot, "TERM");
    let status =
        wait_exit(&mut bot, Duration::from_secs(5)).expect("the replica exits within 5 s of SIGTERM");
    assert_eq!(status.code(), Some(0));
    assert!(
        !fake
            .requests()
            .iter()
            .any(|request| request.method == "deleteWebhook"),
        "stopping one replica leaves the webhook to the others"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_polling_process_on_the_same_token_is_refused() {
    let fake = FakeTelegram::start().await;
    let (first_folder, second_folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = start_bot(&fake, first_folder.path());
    fake.wait_for(WAIT, |request| request.method == "getUpdates")
        .await
        .expect("the first bot polls");
    let mut second = bot_against(&fake, second_folder.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Telegram answers 409 to the poll another poll superseded: one of the two must stop.
    let started = Instant::now();
    let (stopped, survivor) = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break (status, &mut first);
        }
        if let Some(status) = first.try_wait().unwrap() {
            break (status, &mut second);
        }
        assert!(started.elapsed() < WAIT, "two pollers kept running side by side");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        stopped.code(),
        Some(1),
        "the refused process says so with its exit code"
    );
    signal(survivor, "TERM");
    assert_eq!(
        wait_exit(survivor, Duration::from_secs(5)).and_then(|s| s.code()),
        Some(0)
    );
    if let Some(mut stderr) = second.stderr.take() {
        let mut log = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut log).unwrap();
        if second.try_wait().unwrap().and_then(|s| s.code()) == Some(1) {
            assert!(
                log.contains("SPOTCHECK_WEBHOOK_URL"),
                "the message says what to do:\n{log}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_address_already_taken_is_refused_by_name() {
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap();
    let mut bot = bot_against(&fake, folder.path())
        .env("SPOTCHECK_OPS_LISTEN", address.to_string())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let status = wait_exit(&mut bot, WAIT);
    if status.is_none() {
        let _ = bot.kill();
    }
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(1),
        "it stops, with exit code 1"
    );
    let mut log = String::new();
    std::io::Read::read_to_string(&mut bot.stderr.take().unwrap(), &mut log).unwrap();
    assert!(
        log.contains("SPOTCHECK_OPS_LISTEN") && log.contains("127.0.0.1:0"),
        "the message names the setting and what to do:\n{log}"
    );
    assert!(
        !fake
            .requests()
            .iter()
            .any(|request| request.method == "getUpdates"),
        "it never polled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_env_file_is_read_from_the_working_directory_only() {
    let fake = FakeTelegram::start().await;
    let parent = tempfile::tempdir().unwrap();
    let settings = format!(
        "TELOXIDE_TOKEN={}\nTELOXIDE_API_URL={}\nSPOTCHECK_DB=:memory:\nSPOTCHECK_THROTTLE=off\n",
        fake.token(),
        fake.api_url()
    );
    std::fs::write(parent.path().join(".env"), &settings).unwrap();
    let child_folder = parent.path().join("elsewhere");
    std::fs::create_dir(&child_folder).unwrap();
    // Below the folder with the `.env`: not read, so no token.
    let output = spotcheck().current_dir(&child_folder).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TELOXIDE_TOKEN is not set"), "{stderr}");
    // In the folder itself: read.
    let mut bot = spotcheck()
        .current_dir(parent.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let polled = fake
        .wait_for(WAIT, |request| request.method == "getUpdates")
        .await;
    let _ = bot.kill();
    let _ = bot.wait();
    assert!(polled.is_some(), "the bot took its token from ./.env");
    // A `.env` that cannot be read stops start-up, by name, rather than run without it.
    std::fs::write(parent.path().join(".env"), "TELOXIDE_TOKEN=\"never closed\n").unwrap();
    let output = spotcheck().current_dir(parent.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read .env"), "{stderr}");
}

#[test]
fn a_test_process_gets_none_of_the_developers_settings() {
    use crate::support::process::is_developer_setting;
    for name in [
        "SPOTCHECK_STATE_TTL",
        "SPOTCHECK_REMINDER_DELAYS",
        "SPOTCHECK_THROTTLE",
        "TOKIO_WORKER_THREADS",
        "TELOXIDE_PROXY",
        "REDIS_URL",
        "RUST_LOG",
    ] {
        assert!(is_developer_setting(name), "{name} reaches the test's bot");
    }
    for name in ["PATH", "HOME", "LANG", "TMPDIR"] {
        assert!(!is_developer_setting(name), "{name} is taken away");
    }
}
