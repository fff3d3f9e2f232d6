//! Storage outages in the middle of a check, through the fake Bot API with the defaults people
//! get (pacing on). The person is told, in their language, to try again in a moment; no saved
//! answer is lost; and the check carries on from the last saved answer once storage is back.

use std::time::{Duration, Instant};

use spotcheck::bot::StorageChoice;

use crate::support::answers::{one_case_per_level, option_for};
use crate::support::fake_telegram::FakeTelegram;
use crate::support::fake_telegram::Request;
use crate::support::harness::{level_of, question_id, Harness};
use crate::support::people::{
    answer_until_advice, complete_check, is_question, is_send, requests_in, Follower,
};
use crate::support::redis::RedisServer;
use crate::support::vignettes;

/// A read that times out is retried before the person is told, so the notice takes a while.
const NOTICE_WITHIN: Duration = Duration::from_secs(20);
const STEP_WITHIN: Duration = Duration::from_secs(15);

async fn paced_bot_on(redis: &RedisServer) -> Harness {
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, StorageChoice::Redis(redis.url.clone()));
    config.throttle = true;
    Harness::start_config(fake, config).await
}

fn press(harness: &Harness, chat: i64, question: &Request, option: &str) {
    let message = question.message_id().expect("a delivered question");
    let id = question_id(question);
    harness.fake.callback(chat, message, &format!("a:{id}:{option}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_hanging_mid_check_is_told_and_the_check_carries_on_once_it_is_back() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let unavailable = harness
        .dialogues
        .language("en")
        .texts
        .plain("bot-storage-unavailable");
    let vignette = &vignettes::at("urgent", 1)[0];
    let protocol = &harness.dialogues.protocol;
    let chat = 8100;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.private_text(chat, "/check");
    let first = follower
        .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
        .await
        .expect("the first question");
    let option = option_for(protocol, &question_id(&first), &vignette.facts);

    redis.pause();
    let pressed = Instant::now();
    press(&harness, chat, &first, &option);
    let reply = follower
        .next(NOTICE_WITHIN, |request| is_send(request) && request.delivered())
        .await
        .unwrap_or_else(|| {
            panic!(
                "no reply while Redis hangs: {:#?}",
                requests_in(&harness.fake, chat)
            )
        });
    assert_eq!(
        reply.text(),
        Some(unavailable.as_str()),
        "{:#?}",
        requests_in(&harness.fake, chat)
    );
    eprintln!("told of the outage {:?} after the press", pressed.elapsed());
    assert!(
        harness.fake.unanswered_presses().is_empty(),
        "the press is answered while Redis hangs"
    );

    redis.resume();
    // The same answer, pressed again on the same question, now goes through.
    let watching = Follower::new(&harness.fake, chat);
    press(&harness, chat, &first, &option);
    let run = answer_until_advice(watching, &vignette.facts, Duration::ZERO, STEP_WITHIN)
        .await
        .unwrap_or_else(|stalled| panic!("after the outage: {stalled}"));
    assert_eq!(level_of(run.text()), vignette.expected, "{}", run.text());
    harness.assert_no_violations();
    harness.stop().await;
}

/// Waits until the chat's check is in Redis.
async fn wait_until_stored(redis: &RedisServer, chat: i64) {
    let mut connection = redis::Client::open(redis.url.as_str())
        .and_then(|client| client.get_connection())
        .expect("a connection to the test's Redis");
    let deadline = Instant::now() + STEP_WITHIN;
    loop {
        let stored: bool = redis::cmd("EXISTS")
            .arg(format!("spotcheck:dialogue:{chat}"))
            .query(&mut connection)
            .expect("EXISTS");
        if stored {
            return;
        }
        assert!(Instant::now() < deadline, "the check was never stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_full_mid_check_withdraws_the_unsaved_question_and_the_answer_can_be_pressed_again() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let unavailable = harness
        .dialogues
        .language("en")
        .texts
        .plain("bot-storage-unavailable");
    let vignette = &vignettes::at("urgent", 1)[0];
    let protocol = &harness.dialogues.protocol;
    let chat = 8200;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.private_text(chat, "/check");
    let first = follower
        .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
        .await
        .expect("the first question");
    let option = option_for(protocol, &question_id(&first), &vignette.facts);
    // The bot saves the check just after sending its question; fill Redis only once it has.
    wait_until_stored(&redis, chat).await;

    redis.cap_memory(1);
    press(&harness, chat, &first, &option);
    let second = follower
        .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
        .await
        .expect("the next question is sent before its save fails");
    let notice = follower
        .next(STEP_WITHIN, |request| is_send(request) && request.delivered())
        .await
        .unwrap_or_else(|| panic!("no notice: {:#?}", requests_in(&harness.fake, chat)));
    assert_eq!(notice.text(), Some(unavailable.as_str()));
    let shown = |message: i64| {
        harness
            .fake
            .bot_messages(chat)
            .into_iter()
            .find(|shown| shown["message_id"].as_i64() == Some(message))
            .expect("the message is in the chat")
    };
    let second_id = second.message_id().unwrap();
    assert!(
        shown(second_id)
            .get("reply_markup")
            .is_none_or(|markup| markup.is_null()),
        "the unsaved question's buttons are withdrawn: {}",
        shown(second_id)
    );
    let first_id = first.message_id().unwrap();
    assert!(
        shown(first_id)["reply_markup"]["inline_keyboard"].is_array(),
        "the last saved question keeps its buttons: {}",
        shown(first_id)
    );

    redis.cap_memory(0);
    let watching = Follower::new(&harness.fake, chat);
    press(&harness, chat, &first, &option);
    let run = answer_until_advice(watching, &vignette.facts, Duration::ZERO, STEP_WITHIN)
        .await
        .unwrap_or_else(|stalled| panic!("after the outage: {stalled}"));
    assert_eq!(level_of(run.text()), vignette.expected, "{}", run.text());
    assert!(
        harness.fake.unanswered_presses().is_empty(),
        "every press answered"
    );
    harness.assert_no_violations();
    harness.stop().await;
}

/// How many rows the chat has in each table: its check, its reminders, its settings.
fn rows_about(database: &std::path::Path, chat: i64) -> [i64; 3] {
    let connection = rusqlite::Connection::open(database).expect("the bot's database");
    ["dialogues", "reminders", "chat_settings"].map(|table| {
        connection
            .query_row(
                &format!("SELECT COUNT(*) FROM {table} WHERE chat_id = ?"),
                [chat],
                |row| row.get(0),
            )
            .expect("a count")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_failing_part_way_deletes_nothing_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db");
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, StorageChoice::Sqlite(database.display().to_string()));
    config.throttle = true;
    let harness = Harness::start_config(fake, config).await;
    let texts = &harness.dialogues.language("en").texts;
    let chat = 8300;
    // A finished check, a pending reminder and the chat's settings.
    let (facts, level) = &one_case_per_level()[3];
    let run = complete_check(&harness.fake, chat, facts, Duration::ZERO, STEP_WITHIN)
        .await
        .unwrap_or_else(|stalled| panic!("{stalled}"));
    assert_eq!(level_of(run.text()), *level);
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.callback(chat, run.advice_id(), "m:add:1h");
    follower
        .next_message(STEP_WITHIN)
        .await
        .expect("the reminder is confirmed");
    rusqlite::Connection::open(&database)
        .unwrap()
        .execute(
            "INSERT INTO chat_settings (chat_id, settings) VALUES (?, ?)",
            rusqlite::params![chat, br#"{"language":"en","country":"gb"}"#.to_vec()],
        )
        .unwrap();
    assert_eq!(rows_about(&database, chat), [1, 1, 1]);

    // The last of the three deletes fails, after the other two have run.
    let connection = rusqlite::Connection::open(&database).unwrap();
    connection
        .execute_batch(
            "CREATE TRIGGER injected_failure BEFORE DELETE ON chat_settings \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .unwrap();
    harness.fake.private_text(chat, "/forget");
    let reply = follower
        .next_message(STEP_WITHIN)
        .await
        .expect("a reply to /forget");
    assert_eq!(reply.text(), Some(texts.plain("bot-forget-failed").as_str()));
    assert_eq!(rows_about(&database, chat), [1, 1, 1], "nothing was deleted");

    connection
        .execute_batch("DROP TRIGGER injected_failure;")
        .unwrap();
    harness.fake.private_text(chat, "/forget");
    let reply = follower
        .next_message(STEP_WITHIN)
        .await
        .expect("a reply to /forget");
    assert_eq!(reply.text(), Some(texts.plain("bot-forgotten").as_str()));
    assert_eq!(rows_about(&database, chat), [0, 0, 0], "everything was deleted");
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_writer_mid_check_withdraws_the_unsaved_question() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db");
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, StorageChoice::Sqlite(database.display().to_string()));
    config.throttle = true;
    let harness = Harness::start_config(fake, config).await;
    let unavailable = harness
        .dialogues
        .language("en")
        .texts
        .plain("bot-storage-unavailable");
    let vignette = &vignettes::at("urgent", 1)[0];
    let protocol = &harness.dialogues.protocol;
    let chat = 8400;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.private_text(chat, "/check");
    let first = follower
        .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
        .await
        .expect("the first question");
    let option = option_for(protocol, &question_id(&first), &vignette.facts);
    let deadline = Instant::now() + STEP_WITHIN;
    while rows_about(&database, chat)[0] == 0 {
        assert!(Instant::now() < deadline, "the check was never stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Another process holds SQLite's write lock for longer than the bot waits for it (5 s).
    let other_writer = rusqlite::Connection::open(&database).unwrap();
    other_writer.execute_batch("BEGIN IMMEDIATE;").unwrap();
    press(&harness, chat, &first, &option);
    let second = follower
        .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
        .await
        .expect("the next question is sent before its save fails");
    let notice = follower
        .next(STEP_WITHIN, |request| is_send(request) && request.delivered())
        .await
        .unwrap_or_else(|| panic!("no notice: {:#?}", requests_in(&harness.fake, chat)));
    assert_eq!(notice.text(), Some(unavailable.as_str()));
    let second_id = second.message_id().unwrap();
    let withdrawn = harness
        .fake
        .bot_messages(chat)
        .into_iter()
        .find(|shown| shown["message_id"].as_i64() == Some(second_id))
        .is_some_and(|shown| shown.get("reply_markup").is_none_or(|markup| markup.is_null()));
    assert!(withdrawn, "the unsaved question's buttons are withdrawn");

    other_writer.execute_batch("ROLLBACK;").unwrap();
    let watching = Follower::new(&harness.fake, chat);
    press(&harness, chat, &first, &option);
    let run = answer_until_advice(watching, &vignette.facts, Duration::ZERO, STEP_WITHIN)
        .await
        .unwrap_or_else(|stalled| panic!("after the lock: {stalled}"));
    assert_eq!(level_of(run.text()), vignette.expected, "{}", run.text());
    assert!(
        harness.fake.unanswered_presses().is_empty(),
        "every press answered"
    );
    harness.assert_no_violations();
    harness.stop().await;
}
