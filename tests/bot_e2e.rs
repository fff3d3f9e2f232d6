//! End-to-end tests of the Telegram bot: the real dispatcher, polling over real HTTP a fake Bot
//! API server (tests/support/fake_telegram.rs), with real storages.

mod support;

use std::time::Duration;

use spotcheck::bot::StorageChoice;
use support::fake_telegram::FakeTelegram;

use support::harness::{level_of, question_id, Harness, WAIT};
use support::people::{vignettes, Vignette};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complete_checks_end_at_the_vignettes_levels() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let vignettes = vignettes();
    // Twelve across all four levels, run one after another in their own chats.
    let mut chosen: Vec<&Vignette> = Vec::new();
    for level in ["emergency", "urgent", "routine", "self_care"] {
        chosen.extend(
            vignettes
                .values()
                .filter(|vignette| vignette.expected == level)
                .take(3),
        );
    }
    assert_eq!(chosen.len(), 12);
    for (index, vignette) in chosen.iter().enumerate() {
        let chat = 5000 + index as i64;
        let advice = harness.complete_check(chat, &vignette.facts).await;
        let advice = advice.text().unwrap_or_default();
        assert_eq!(
            level_of(advice),
            vignette.expected,
            "vignette {} ended with:\n{advice}",
            vignette.id
        );
    }
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_answer_edits_the_question_and_the_advice_offers_restart_and_summary() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 42;
    harness.fake.private_text(chat, "/start");
    let welcome = harness.next_message(chat).await;
    assert_eq!(welcome.callback_data(), vec!["k:start".to_string()]);
    let welcome_id = harness.message_id_of(chat, &welcome).await;
    harness.fake.callback(chat, welcome_id, "k:start");
    let (first, first_id) = harness.next_question(chat).await;
    assert_eq!(question_id(&first), "red_flags");
    assert!(
        first.text().unwrap().contains('1'),
        "shows progress: {:?}",
        first.text()
    );
    harness.fake.callback(chat, first_id, "a:red_flags:no");
    let edited = harness
        .fake
        .wait_for(WAIT, |request| request.method == "editMessageText")
        .await
        .expect("the answered question is edited");
    assert!(
        edited.text().unwrap().contains("No"),
        "the edit shows the answer: {:?}",
        edited.text()
    );
    assert!(edited.callback_data().is_empty(), "the edit removes the buttons");
    let (second, _) = harness.next_question(chat).await;
    assert_eq!(question_id(&second), "age");
    assert!(
        second.callback_data().contains(&"k:back".to_string()),
        "a back button after the first answer"
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_changes_the_last_answer_and_cancel_stops_the_check() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 43;
    harness.fake.private_text(chat, "/check");
    let (_, first) = harness.next_question(chat).await;
    harness.fake.callback(chat, first, "a:red_flags:no");
    let (age, age_id) = harness.next_question(chat).await;
    assert_eq!(question_id(&age), "age");
    harness.fake.callback(chat, age_id, "k:back");
    let (again, again_id) = harness.next_question(chat).await;
    assert_eq!(
        question_id(&again),
        "red_flags",
        "back shows the previous question again"
    );
    harness.fake.callback(chat, again_id, "k:cancel");
    let cancelled = harness.next_message(chat).await;
    assert!(cancelled.callback_data().is_empty());
    // After cancelling, the old question's buttons are stale.
    harness.fake.callback(chat, again_id, "a:red_flags:no");
    let notice = harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == "answerCallbackQuery" && request.body.get("text").is_some()
        })
        .await
        .expect("a stale press gets a notice");
    assert!(!notice.body["text"].as_str().unwrap().is_empty());
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_and_forged_buttons_change_nothing() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 44;
    harness.fake.private_text(chat, "/check");
    let (_, first) = harness.next_question(chat).await;
    harness.fake.callback(chat, first, "a:red_flags:no");
    let (_, age_id) = harness.next_question(chat).await;
    harness
        .fake
        .wait_for(WAIT, |request| request.method == "answerCallbackQuery")
        .await
        .expect("the valid press was answered");
    // A press on the old (answered) question, a forged option, a forged question, and junk.
    for data in [
        "a:red_flags:yes",
        "a:age:forty",
        "a:glass_test:stays",
        "zzz",
        "a:",
        "k:summary",
    ] {
        let target = if data == "a:red_flags:yes" { first } else { age_id };
        harness.fake.callback(chat, target, data);
        let answered = harness
            .fake
            .wait_for(WAIT, |request| request.method == "answerCallbackQuery")
            .await
            .expect("every press is answered");
        assert!(
            answered.body.get("text").is_some(),
            "{data}: a stale or forged press gets a notice"
        );
    }
    // The check is still at the age question: answering it works.
    harness.fake.callback(chat, age_id, "a:age:16_to_64y");
    let (next, _) = harness.next_question(chat).await;
    assert_ne!(question_id(&next), "age");
    assert_ne!(question_id(&next), "red_flags");
    let sends = harness.fake.sent_to(chat);
    assert!(
        sends
            .iter()
            .all(|request| !request.text().unwrap_or_default().starts_with("🔴")),
        "the forged 'yes' to the danger signs changed nothing"
    );
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_answers_work_and_other_input_gets_a_nudge() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 45;
    harness.fake.private_text(chat, "/check");
    harness.next_question(chat).await;
    harness.fake.private_text(chat, "no");
    let (age, _) = harness.next_question(chat).await;
    assert_eq!(question_id(&age), "age");
    harness.fake.private_text(chat, "8 months");
    let (next, _) = harness.next_question(chat).await;
    assert_eq!(
        question_id(&next),
        "baby_cry",
        "8 months is a baby: the cry question follows"
    );
    harness.fake.sticker(chat);
    let nudge = harness.next_message(chat).await;
    assert!(nudge.callback_data().is_empty(), "the nudge is a short text");
    let (again, _) = harness.next_question(chat).await;
    assert_eq!(question_id(&again), "baby_cry", "and the question comes again");
    harness.fake.private_text(chat, "purple elephants");
    harness.next_message(chat).await;
    let (again, _) = harness.next_question(chat).await;
    assert_eq!(question_id(&again), "baby_cry");
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_words_get_emergency_advice_at_once() {
    let harness = Harness::start(StorageChoice::Memory).await;
    // In the middle of a check.
    harness.fake.private_text(46, "/check");
    harness.next_question(46).await;
    harness.fake.private_text(46, "she is having a fit");
    let advice = harness.advice(46).await;
    assert_eq!(level_of(&advice), "emergency");
    // And with no check at all.
    harness.fake.private_text(47, "my son is not breathing properly");
    let advice = harness.advice(47).await;
    assert_eq!(level_of(&advice), "emergency");
    harness.assert_no_violations();
    harness.stop().await;
}

/// Answers two questions, restarts the bot on the same storage, and goes on.
async fn check_continues_after_restart(storage: StorageChoice) {
    let harness = Harness::start(storage.clone()).await;
    let chat = 48;
    harness.fake.private_text(chat, "/check");
    let (_, first) = harness.next_question(chat).await;
    harness.fake.callback(chat, first, "a:red_flags:no");
    let (age, age_id) = harness.next_question(chat).await;
    assert_eq!(question_id(&age), "age");
    let fake = harness.stop().await;

    let harness = Harness::start_with(fake, storage).await;
    harness.fake.callback(chat, age_id, "a:age:1_to_4y");
    let (next, _) = harness.next_question(chat).await;
    assert_eq!(question_id(&next), "fever", "the check continues where it was");
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_continues_after_a_restart_with_sqlite() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db").display().to_string();
    check_continues_after_restart(StorageChoice::Sqlite(database)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_continues_after_a_restart_with_redis() {
    let server = support::redis::RedisServer::start();
    check_continues_after_restart(StorageChoice::Redis(server.url.clone())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_check_expires_with_its_data() {
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, StorageChoice::Memory);
    config.state_ttl = Duration::from_secs(1);
    let harness = Harness::start_config(fake, config).await;
    harness.fake.private_text(53, "/check");
    let (_, first) = harness.next_question(53).await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    harness.fake.callback(53, first, "a:red_flags:no");
    let answered = harness
        .fake
        .wait_for(WAIT, |request| request.method == "answerCallbackQuery")
        .await
        .unwrap();
    assert!(
        answered.body.get("text").is_some(),
        "after the TTL the check is gone: its buttons are stale"
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_saved_state_restarts_with_an_apology() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db").display().to_string();
    let harness = Harness::start(StorageChoice::Sqlite(database.clone())).await;
    harness.fake.private_text(49, "/check");
    harness.next_question(49).await;
    let fake = harness.stop().await;
    // What an older build might have left: a question this protocol does not have.
    let file = rusqlite::Connection::open(&database).unwrap();
    file.execute(
        "UPDATE dialogues SET state = ? WHERE chat_id = 49",
        [br#"{"state":"checking","session":{"answers":[{"question":"gone","option":"yes"}]},"language":"en","message_id":1}"#.to_vec()],
    )
    .unwrap();
    file.execute(
        "INSERT INTO dialogues VALUES (50, ?, 9999999999)",
        [b"not json at all".to_vec()],
    )
    .unwrap();
    drop(file);
    let harness = Harness::start_with(fake, StorageChoice::Sqlite(database)).await;
    let texts = &harness.dialogues.language("en").texts;
    for chat in [49, 50] {
        harness.fake.private_text(chat, "yes");
        let reset = harness.next_message(chat).await;
        assert_eq!(
            reset.text(),
            Some(texts.plain("bot-state-reset").as_str()),
            "chat {chat} is told, not ignored"
        );
    }
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_deletes_the_chats_data() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db").display().to_string();
    let harness = Harness::start(StorageChoice::Sqlite(database.clone())).await;
    let chat = 51;
    harness.fake.private_text(chat, "/check");
    let (_, first) = harness.next_question(chat).await;
    let file = rusqlite::Connection::open(&database).unwrap();
    let rows = || async {
        file.query_row("SELECT COUNT(*) FROM dialogues WHERE chat_id = 51", [], |row| {
            row.get::<_, i64>(0)
        })
        .unwrap()
    };
    for _ in 0..200 {
        if rows().await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(rows().await, 1, "a check in progress is stored");
    harness.fake.private_text(chat, "/forget");
    let confirmation = harness.next_message(chat).await;
    let texts = &harness.dialogues.language("en").texts;
    assert_eq!(confirmation.text(), Some(texts.plain("bot-forgotten").as_str()));
    assert_eq!(rows().await, 0, "nothing is left about the chat");
    harness.fake.callback(chat, first, "a:red_flags:no");
    let answered = harness
        .fake
        .wait_for(WAIT, |request| request.method == "answerCallbackQuery")
        .await
        .unwrap();
    assert!(
        answered.body.get("text").is_some(),
        "the old check's buttons are stale"
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_glass_test_picture_is_uploaded_once_then_reused() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 52;
    harness.fake.private_text(chat, "/check");
    for (question, option) in [("red_flags", "no"), ("age", "16_to_64y"), ("fever", "no")] {
        let (asked, id) = harness.next_question(chat).await;
        assert_eq!(question_id(&asked), question);
        harness.fake.callback(chat, id, &format!("a:{question}:{option}"));
    }
    let (glass, glass_id) = harness.next_question(chat).await;
    assert_eq!(question_id(&glass), "glass_test");
    assert!(glass.callback_data().contains(&"k:picture".to_string()));
    harness.fake.callback(chat, glass_id, "k:picture");
    let photo = harness.next_message(chat).await;
    assert_eq!(photo.method, "sendPhoto");
    assert!(
        photo.body["photo"].get("file_name").is_some(),
        "the first time, the picture is uploaded"
    );
    let (_, glass_again) = harness.next_question(chat).await;
    harness.fake.callback(chat, glass_again, "k:picture");
    let photo = harness.next_message(chat).await;
    assert!(
        photo.body["photo"].is_string(),
        "then its file_id is reused: {}",
        photo.body["photo"]
    );
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_and_a_429_are_retried_and_nothing_is_lost() {
    use support::fake_telegram::Fault;
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 54;
    harness.fake.fail_next("sendMessage", Fault::Drop, 1);
    harness.fake.private_text(chat, "/check");
    let (first, first_id) = harness.next_question(chat).await;
    assert_eq!(
        question_id(&first),
        "red_flags",
        "the question arrives after the dropped connection"
    );
    harness
        .fake
        .fail_next("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 1);
    harness.fake.callback(chat, first_id, "a:red_flags:no");
    let (second, _) = harness.next_question(chat).await;
    assert_eq!(
        question_id(&second),
        "age",
        "and after the 429, once retry_after has passed"
    );
    let questions = harness
        .fake
        .requests()
        .into_iter()
        .filter(|request| request.method == "sendMessage" && request.chat_id() == Some(chat))
        .count();
    assert_eq!(
        questions, 4,
        "two questions, each sent twice: once failed, once retried"
    );
    harness.stop().await;
}
