//! End-to-end tests of the Telegram bot: the real dispatcher, polling over real HTTP a fake Bot
//! API server (tests/it/support/fake_telegram.rs), with real storages.

use std::time::{Duration, Instant};

use crate::support::answers::{one_case_per_level, option_for};
use crate::support::fake_telegram::{FakeTelegram, Fault, Request};
use spotcheck::bot::StorageChoice;

use crate::support::harness::{is_advice, level_of, question_id, Harness, WAIT};
use crate::support::people::complete_check;
use crate::support::vignettes::{self, Vignette};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complete_checks_end_at_the_vignettes_levels() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let vignettes = vignettes::by_id();
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
        let run = complete_check(&harness.fake, chat, &vignette.facts, Duration::ZERO, WAIT)
            .await
            .unwrap_or_else(|stalled| panic!("{stalled}"));
        let advice = run.text();
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
    harness.fake.callback(chat, first_id, "a:red_flags:none");
    let (second, _) = harness.next_question(chat).await;
    assert_eq!(question_id(&second), "age");
    assert!(
        second.callback_data().contains(&"k:back".to_string()),
        "a back button after the first answer"
    );
    // The answered question is settled once the next one is sent and the answer saved.
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
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_changes_the_last_answer_and_cancel_stops_the_check() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 43;
    harness.fake.private_text(chat, "/check");
    let (_, first) = harness.next_question(chat).await;
    harness.fake.callback(chat, first, "a:red_flags:none");
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
    harness.fake.callback(chat, again_id, "a:red_flags:none");
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
    harness.fake.callback(chat, first, "a:red_flags:none");
    // Answered before the next question is sent (the cursor of `wait_for` moves on in order).
    harness
        .fake
        .wait_for(WAIT, |request| request.method == "answerCallbackQuery")
        .await
        .expect("the valid press was answered");
    let (_, age_id) = harness.next_question(chat).await;
    // A press on the old (answered) question, a forged option, a forged question, and junk.
    for data in [
        "a:red_flags:seizure",
        "a:age:forty",
        "a:glass_test:stays",
        "zzz",
        "a:",
        "k:summary",
    ] {
        let target = if data == "a:red_flags:seizure" {
            first
        } else {
            age_id
        };
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
    harness.fake.callback(chat, first, "a:red_flags:none");
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
    let Some(server) = crate::support::redis::RedisServer::start_or_skip() else {
        return;
    };
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
    harness.fake.callback(53, first, "a:red_flags:none");
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
    for chat in [48, 50] {
        file.execute(
            "INSERT INTO dialogues VALUES (?, ?, 9999999999)",
            rusqlite::params![chat, b"not json at all".to_vec()],
        )
        .unwrap();
    }
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
    // A button press (on a message from before) meets one too: the press is answered first,
    // then the person is told, then the press acts.
    let started = Presser::new(&harness, 48)
        .acting(1, "k:start", is_question_sent)
        .await;
    let reset = harness
        .fake
        .sent_to(48)
        .into_iter()
        .find(|request| request.text() == Some(texts.plain("bot-state-reset").as_str()))
        .expect("chat 48 is told");
    assert!(reset.at < started.at, "told before the check starts again");
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
    harness.fake.callback(chat, first, "a:red_flags:none");
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
    for (question, option) in [("red_flags", "none"), ("age", "16_to_64y"), ("fever", "no")] {
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
    harness.fake.callback(chat, first_id, "a:red_flags:none");
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

/// Presses buttons in one chat and checks how each press is answered: exactly once, and before
/// anything else the press makes the bot do reaches Telegram (the person's client shows a
/// spinner on the button until the answer comes).
struct Presser<'a> {
    harness: &'a Harness,
    chat: i64,
    stale_notice: String,
    presses: std::cell::Cell<usize>,
}

impl<'a> Presser<'a> {
    fn new(harness: &'a Harness, chat: i64) -> Presser<'a> {
        let stale_notice = harness.dialogues.language("en").texts.plain("bot-stale-button");
        Presser {
            harness,
            chat,
            stale_notice,
            presses: std::cell::Cell::new(0),
        }
    }

    /// A press that acts: answered without a notice, before its work. Returns the request of its
    /// work that `done` waited for.
    async fn acting(&self, message: i64, data: &str, done: impl Fn(&Request) -> bool) -> Request {
        let caused = self.press(message, data, &done).await;
        assert_eq!(
            caused[0].body.get("text"),
            None,
            "{data}: a press that acts is answered without a notice"
        );
        caused
            .iter()
            .find(|request| done(request))
            .cloned()
            .expect("waited for")
    }

    /// An answer to the question on `message`. Its work ends when that question is settled
    /// (edited), which comes after the next step is shown and saved; waiting for the edit keeps
    /// it out of the next press's work. Returns the next step: a question or the advice.
    async fn answering(&self, message: i64, data: &str) -> Request {
        let settled = |request: &Request| {
            request.method == "editMessageText" && request.body["message_id"].as_i64() == Some(message)
        };
        let caused = self.press(message, data, &settled).await;
        assert_eq!(
            caused[0].body.get("text"),
            None,
            "{data}: a press that acts is answered without a notice"
        );
        caused
            .into_iter()
            .find(|request| is_question_sent(request) || request.text().is_some_and(is_advice))
            .unwrap_or_else(|| panic!("{data}: no next question or advice"))
    }

    /// A stale or forged press: answered with the notice, and nothing else happens.
    async fn stale(&self, message: i64, data: &str) {
        let before = self.harness.fake.requests().len();
        let caused = self.press(message, data, &is_button_answer).await;
        assert_eq!(
            caused[0].body["text"].as_str(),
            Some(self.stale_notice.as_str()),
            "{data}: a stale press is told so"
        );
        assert!(self.harness.fake.wait_until_idle(WAIT).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let since: Vec<Request> = self.harness.fake.requests()[before..]
            .iter()
            .filter(|request| request.chat_id() == Some(self.chat))
            .cloned()
            .collect();
        assert!(
            since.is_empty(),
            "{data}: a stale press changes nothing: {since:#?}"
        );
    }

    /// Presses `data` on `message` and waits until `done` matches one of the requests it caused.
    /// Returns those requests (the button answer, and the chat's messages and edits) in the order
    /// they reached Telegram, after checking that the answer came first and only once.
    async fn press(&self, message: i64, data: &str, done: &dyn Fn(&Request) -> bool) -> Vec<Request> {
        let fake = &self.harness.fake;
        let before = fake.requests().len();
        fake.callback(self.chat, message, data);
        self.presses.set(self.presses.get() + 1);
        let deadline = tokio::time::Instant::now() + WAIT;
        let mut caused = loop {
            // Recorded as answered, so a request that arrived later may be recorded earlier.
            let caused: Vec<Request> = fake.requests()[before..]
                .iter()
                .filter(|request| is_button_answer(request) || request.chat_id() == Some(self.chat))
                .cloned()
                .collect();
            if caused.iter().any(is_button_answer) && caused.iter().any(done) {
                break caused;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{data}: no answer or no work within {WAIT:?}: {caused:#?}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        caused.sort_by_key(|request| request.at);
        let answers = caused.iter().filter(|request| is_button_answer(request)).count();
        assert_eq!(answers, 1, "{data}: answered once: {caused:#?}");
        assert!(
            is_button_answer(&caused[0]),
            "{data}: the press is answered before its work; in the order they came: {:?}",
            caused
                .iter()
                .map(|request| request.method.as_str())
                .collect::<Vec<_>>()
        );
        caused
    }

    /// Every press was answered exactly once (no late second answer either).
    async fn assert_each_answered_once(&self) {
        let presses = self.presses.get();
        assert!(self.harness.fake.wait_until_idle(WAIT).await);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let answered: Vec<String> = self
            .harness
            .fake
            .requests()
            .iter()
            .filter(|request| is_button_answer(request))
            .map(|request| request.body["callback_query_id"].as_str().unwrap().to_string())
            .collect();
        let distinct: std::collections::BTreeSet<&String> = answered.iter().collect();
        assert_eq!(answered.len(), presses, "one answer per press: {answered:?}");
        assert_eq!(distinct.len(), presses, "no press answered twice: {answered:?}");
    }
}

fn is_button_answer(request: &Request) -> bool {
    request.method == "answerCallbackQuery"
}

fn is_question_sent(request: &Request) -> bool {
    request.method == "sendMessage" && request.callback_data().iter().any(|data| data.starts_with("a:"))
}

fn is_sent(request: &Request) -> bool {
    request.method == "sendMessage"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_button_answer_does_not_hold_up_the_next_question() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 57;
    harness.fake.private_text(chat, "/check");
    let (_, first) = harness.next_question(chat).await;
    let slow = Duration::from_secs(4);
    harness
        .fake
        .fail_next("answerCallbackQuery", Fault::Slow(slow), 1);
    let pressed = Instant::now();
    harness.fake.callback(chat, first, "a:red_flags:none");
    let (age, _) = harness.next_question(chat).await;
    let waited = pressed.elapsed();
    assert!(
        waited < Duration::from_millis(2500),
        "the next question waited {waited:?} for a button answer Telegram took {slow:?} over"
    );
    assert_eq!(question_id(&age), "age");
    // The answer still went out first, and only once.
    let answers = harness.fake.wait_for_count(WAIT, 1, is_button_answer).await;
    assert_eq!(answers.len(), 1, "the press is answered");
    assert!(answers[0].at < age.at, "the answer was sent before the question");
    assert!(harness.fake.wait_until_idle(WAIT).await);
    let all_answers = harness
        .fake
        .requests()
        .iter()
        .filter(|request| is_button_answer(request))
        .count();
    assert_eq!(all_answers, 1, "answered once");
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_during_a_check_are_answered_once_and_before_their_work() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 55;
    let presser = Presser::new(&harness, chat);
    harness.fake.private_text(chat, "/start");
    let welcome = harness.next_message(chat).await;
    let welcome = harness.message_id_of(chat, &welcome).await;
    let first = presser.acting(welcome, "k:start", is_question_sent).await;
    let first = first.message_id().unwrap();
    let age = presser.answering(first, "a:red_flags:none").await;
    assert_eq!(question_id(&age), "age");
    let age = age.message_id().unwrap();
    presser.stale(first, "a:red_flags:seizure").await;
    presser.stale(age, "a:age:forty").await;
    let again = presser.acting(age, "k:back", is_question_sent).await;
    assert_eq!(question_id(&again), "red_flags");
    let mut asked = again;
    for (question, option) in [("red_flags", "none"), ("age", "16_to_64y"), ("fever", "no")] {
        assert_eq!(question_id(&asked), question);
        let data = format!("a:{question}:{option}");
        asked = presser.answering(asked.message_id().unwrap(), &data).await;
    }
    assert_eq!(question_id(&asked), "glass_test");
    let glass = presser
        .acting(asked.message_id().unwrap(), "k:picture", is_question_sent)
        .await;
    let glass = glass.message_id().unwrap();
    presser.stale(glass, "zzz").await;
    let cancelled = presser.acting(glass, "k:cancel", is_sent).await;
    assert!(cancelled.callback_data().is_empty());
    presser.stale(glass, "k:cancel").await;
    presser.assert_each_answered_once().await;
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presses_through_a_whole_check_and_after_it_are_answered_once_and_before_their_work() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 56;
    let presser = Presser::new(&harness, chat);
    let protocol = &harness.dialogues.protocol;
    let (facts, level) = &one_case_per_level()[3];
    harness.fake.private_text(chat, "/check");
    let (mut asked, _) = harness.next_question(chat).await;
    // Every answer is answered before the answered question is edited and the next one sent.
    let advice = loop {
        let question = question_id(&asked);
        let data = format!("a:{question}:{}", option_for(protocol, &question, facts));
        let step = presser.answering(asked.message_id().unwrap(), &data).await;
        if step.text().is_some_and(is_advice) {
            break step;
        }
        asked = step;
    };
    assert_eq!(level_of(advice.text().unwrap()), *level);
    let advice = advice.message_id().unwrap();
    presser.acting(advice, "k:summary", is_sent).await;
    presser.stale(advice, "m:add:99h").await;
    let confirmed = presser.acting(advice, "m:add:1h", is_sent).await;
    assert!(confirmed.text().unwrap().contains("1 h"), "{confirmed:?}");
    harness.fake.private_text(chat, "/reminders");
    let list = harness
        .fake
        .wait_for(WAIT, |request| {
            request.chat_id() == Some(chat)
                && request
                    .callback_data()
                    .iter()
                    .any(|data| data.starts_with("m:cancel:"))
        })
        .await
        .expect("the list of reminders");
    let cancel = list.callback_data()[0].clone();
    let list = list.message_id().unwrap();
    // Only the storage knows whether the reminder is still pending.
    let updated = presser
        .acting(list, &cancel, |request| request.method == "editMessageText")
        .await;
    assert!(updated.callback_data().is_empty(), "{updated:?}");
    presser.stale(list, &cancel).await;
    let restarted = presser.acting(advice, "k:again", is_question_sent).await;
    assert_eq!(question_id(&restarted), "red_flags");
    presser.assert_each_answered_once().await;
    harness.assert_no_violations();
    harness.stop().await;
}

/// A second process polling with the same token makes this one stop with a clear error (two
/// pollers would take turns stealing each other's updates); a plain shutdown never does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_poller_stops_the_bot_with_an_error_and_a_shutdown_does_not() {
    use spotcheck::bot::{serve, ServeError};
    use teloxide::prelude::Requester;
    use teloxide::requests::HasPayload;

    let fake = FakeTelegram::start().await;
    let config = Harness::config(&fake, StorageChoice::Memory);
    let dialogues = crate::support::dialogues();
    let running = tokio::spawn(serve(config, dialogues.clone(), std::future::pending()));
    assert!(fake.wait_until_idle(WAIT).await, "the bot is long-polling");
    let mut other = fake.bot().get_updates();
    other.payload_mut().timeout = Some(1);
    let _ = other.await;
    let stopped = tokio::time::timeout(WAIT, running)
        .await
        .expect("the bot stops when another process polls")
        .expect("the bot task ends without a panic");
    assert!(matches!(stopped, Err(ServeError::AnotherPoller)), "{stopped:?}");

    let config = Harness::config(&fake, StorageChoice::Memory);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(serve(config, dialogues.clone(), async move {
        let _ = stopped.await;
    }));
    assert!(fake.wait_until_idle(WAIT).await, "the bot is long-polling");
    let _ = stop.send(());
    let outcome = tokio::time::timeout(WAIT, running)
        .await
        .expect("the bot stops")
        .expect("the bot task ends without a panic");
    assert!(outcome.is_ok(), "{outcome:?}");
}
