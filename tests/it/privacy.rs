//! What SpotCheck keeps and shows about people (issue #26): the log never holds a person's
//! words, the database files are private and keep nothing deleted, and `/privacy` says exactly
//! what is kept, for how long.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::json;
use spotcheck::bot::{DialogueStorage, StorageChoice};
use spotcheck::conversation::{Check, State};
use spotcheck::triage::{SavedAnswer, SavedSession};
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

use crate::support::fake_telegram::FakeTelegram;
use crate::support::harness::Harness;
use crate::support::process::{bot_against, until_webhook_listens};
use crate::support::webhook::{free_port, http, SECRET, WEBHOOK_PATH};

const WAIT: Duration = Duration::from_secs(15);

/// Words a person might type, that must never reach the log.
const PRIVATE_WORDS: &str = "my daughter Alice has purple spots";

/// Stops the bot with SIGTERM and returns everything it logged.
fn stop_and_read_log(mut bot: Child) -> String {
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(bot.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let mut log = String::new();
    bot.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    bot.wait().unwrap();
    log
}

/// A message Telegram's schema allows but teloxide cannot read (no `date`, no `chat`).
fn unreadable_message() -> serde_json::Value {
    json!({"message": {"message_id": 1, "text": PRIVATE_WORDS}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_cannot_be_read_is_logged_by_its_id_only_when_polling() {
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let bot = bot_against(&fake, folder.path())
        .env("SPOTCHECK_DB", ":memory:")
        .env("RUST_LOG", "debug")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let unreadable = fake.push_update_anyway(unreadable_message());
    fake.private_text(31, "/check");
    fake.wait_for(WAIT, |request| {
        request.method == "sendMessage" && request.chat_id() == Some(31)
    })
    .await
    .expect("the bot carries on with the next update");
    let log = stop_and_read_log(bot);
    assert!(
        log.contains(&format!("update {unreadable} could not be read")),
        "the skipped update is named by its id:\n{log}"
    );
    assert!(
        !log.contains("purple spots"),
        "a person's words in the log:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_cannot_be_read_is_logged_by_its_id_only_in_webhook_mode() {
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let (port, ops_port) = (free_port(), free_port());
    let bot = bot_against(&fake, folder.path())
        .env("SPOTCHECK_DB", ":memory:")
        .env("RUST_LOG", "debug")
        .env("SPOTCHECK_OPS_LISTEN", format!("127.0.0.1:{ops_port}"))
        .env(
            "SPOTCHECK_WEBHOOK_URL",
            format!("https://bot.example{WEBHOOK_PATH}"),
        )
        .env("SPOTCHECK_WEBHOOK_SECRET", SECRET)
        .env("SPOTCHECK_LISTEN", format!("127.0.0.1:{port}"))
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    until_webhook_listens(&fake, port, WAIT).await;
    // teloxide reads this one as an update of an unknown kind; the next has no id at all.
    let mut with_id = unreadable_message();
    with_id["update_id"] = json!(4321);
    for body in [with_id, unreadable_message(), json!(PRIVATE_WORDS)] {
        let (status, _) = http(port, "POST", WEBHOOK_PATH, Some(SECRET), &body.to_string()).await;
        assert_eq!(status, 200, "taken, so Telegram does not send it again: {body}");
    }
    // The first is skipped on its way to the dispatcher, the others by the webhook's route.
    let counted = r#"spotcheck_updates_total{kind="unreadable"} 3"#;
    let mut metrics = String::new();
    for _ in 0..100 {
        metrics = http(ops_port, "GET", "/metrics", None, "").await.1;
        if metrics.contains(counted) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(metrics.contains(counted), "{counted} missing:\n{metrics}");
    let log = stop_and_read_log(bot);
    assert!(
        log.contains("update 4321 could not be read"),
        "the skipped update is named by its id:\n{log}"
    );
    assert!(
        !log.contains("purple spots"),
        "a person's words in the log:\n{log}"
    );
}

/// A check whose answers carry `marker`, so that its bytes can be looked for in the files.
fn check_marked(marker: &str) -> State {
    State::Checking(Check {
        session: SavedSession {
            answers: vec![SavedAnswer {
                question: "glass_test".into(),
                option: marker.into(),
            }],
            findings: vec![],
        },
        language: "en".into(),
        message_id: Some(3),
        ticked: vec![],
    })
}

/// Every byte of the database and its log files.
fn database_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        if let Ok(mut content) = std::fs::read(file) {
            bytes.append(&mut content);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_check_leaves_no_answer_in_the_database_files() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("spotcheck.db");
    let choice = StorageChoice::Sqlite(path.display().to_string());
    let (kept, forgotten) = ("kept-answer-marker", "forgotten-answer-marker");
    let storage = DialogueStorage::open(&choice, Duration::from_secs(3600))
        .await
        .unwrap();
    for (chat, marker) in [(1, kept), (2, forgotten)] {
        let _lock = storage.lock_chat(chat).await;
        storage
            .clone()
            .update_dialogue(ChatId(chat), check_marked(marker))
            .await
            .unwrap();
        let payload = format!("{{\"reminder\": \"{marker}-reminder\"}}");
        storage
            .add_reminder(chat, 1, payload.as_bytes(), 3)
            .await
            .unwrap();
    }
    storage.close().await;
    let bytes = database_bytes(&path);
    assert!(contains(&bytes, forgotten), "written to the file before /forget");

    let storage = DialogueStorage::open(&choice, Duration::from_secs(3600))
        .await
        .unwrap();
    storage.forget_chat(2).await.unwrap();
    storage.close().await;
    let bytes = database_bytes(&path);
    assert!(contains(&bytes, kept), "the other chat's check is still there");
    for gone in [forgotten.to_string(), format!("{forgotten}-reminder")] {
        assert!(
            !contains(&bytes, &gone),
            "{gone} still readable in the database files"
        );
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_files_are_readable_by_the_bot_alone() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let (new, old) = (folder.path().join("new.db"), folder.path().join("old.db"));
    // An older version's file, readable by everyone.
    std::fs::write(&old, b"").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    for path in [new, old] {
        let choice = StorageChoice::Sqlite(path.display().to_string());
        let storage = DialogueStorage::open(&choice, Duration::from_secs(3600))
            .await
            .unwrap();
        {
            let _lock = storage.lock_chat(1).await;
            storage
                .clone()
                .update_dialogue(ChatId(1), check_marked("x"))
                .await
                .unwrap();
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{}{suffix}", path.display());
            let mode = std::fs::metadata(&file)
                .unwrap_or_else(|error| panic!("{file}: {error}"))
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}: {:o}", mode & 0o777);
        }
        storage.close().await;
    }
}

/// `/privacy` as the bot answers it with `SPOTCHECK_STATE_TTL` set to `ttl`.
async fn privacy_text(ttl: Duration) -> String {
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, StorageChoice::Memory);
    config.state_ttl = ttl;
    let harness = Harness::start_config(fake, config).await;
    harness.fake.private_text(41, "/privacy");
    let text = harness.next_message(41).await.text().unwrap().to_string();
    harness.stop().await;
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_privacy_text_states_how_long_the_answers_are_kept_rounded_up() {
    for (ttl, hours) in [
        (Duration::from_secs(24 * 3600), "24 hours"),
        (Duration::from_secs(90 * 60), "2 hours"),
        (Duration::from_secs(30 * 60), "1 hour "),
    ] {
        let text = privacy_text(ttl).await;
        let stated = text.matches(hours).count();
        assert_eq!(
            stated, 2,
            "{ttl:?}: the answers and a reminder kept {hours}:\n{text}"
        );
        for kept in [
            "/forget",
            "/reminders",
            "language and country",
            "Telegram",
            "Delete",
        ] {
            assert!(text.contains(kept), "{kept} not named:\n{text}");
        }
    }
}
