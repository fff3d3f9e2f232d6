//! Re-check reminders end to end (issue #6): the real dispatcher and scheduler against the fake
//! Bot API server, with real storages. Time is a `ManualClock`, so no test waits for hours:
//! schedule, move the clock, see exactly what the person would see.

use std::collections::HashMap;
use std::time::Duration;

use crate::support::fake_telegram::{FakeTelegram, Request};
use crate::support::harness::{is_advice, level_of, Harness, WAIT};
use crate::support::people::{answer_until_advice, complete_check, CheckRun, Follower};
use crate::support::redis::{bot_key, RedisServer};
use serde_json::{json, Map, Value};
use spotcheck::bot::{Clock, Config, DialogueStorage, ManualClock, Reminder, StorageChoice, SystemClock};
use spotcheck::conversation::{State, MAX_PENDING_REMINDERS};
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);
/// How long a test watches for a message that must not come.
const QUIET: Duration = Duration::from_millis(600);

/// An adult, well, with a few spots that fade under the glass: self-care advice.
fn fading_spots() -> Map<String, Value> {
    json!({ "age_years": 30, "fever": false, "blanching": "fades", "days_present": 0.5 })
        .as_object()
        .cloned()
        .unwrap()
}

/// The same adult hours later: the spots no longer fade.
fn spots_that_stay() -> Map<String, Value> {
    let mut facts = fading_spots();
    facts.insert("blanching".into(), json!("stays"));
    facts
}

fn config(fake: &FakeTelegram, storage: StorageChoice, clock: &ManualClock) -> Config {
    let mut config = Harness::config(fake, storage);
    config.clock = std::sync::Arc::new(clock.clone());
    config
}

async fn start(storage: StorageChoice, clock: &ManualClock) -> Harness {
    let fake = FakeTelegram::start().await;
    let config = config(&fake, storage, clock);
    Harness::start_config(fake, config).await
}

fn clock() -> ManualClock {
    ManualClock::starting_at(SystemClock.now())
}

/// Finishes a check at self-care and presses the reminder button for `delay` below the advice.
/// Returns the advice's message id.
async fn check_and_ask_reminder(harness: &Harness, chat: i64, delay: &str) -> i64 {
    let run = checked(harness, chat, &fading_spots()).await;
    assert_eq!(level_of(run.text()), "self_care");
    harness
        .fake
        .callback(chat, run.advice_id(), &format!("m:add:{delay}"));
    run.advice_id()
}

/// A whole check by buttons, pressed the moment each question arrives. The rest of this file
/// reads the bot's messages in order through the fake's shared cursor (`wait_for`), so the cursor
/// moves past the advice, as if the test had read each step.
async fn checked(harness: &Harness, chat: i64, facts: &Map<String, Value>) -> CheckRun {
    let run = complete_check(&harness.fake, chat, facts, Duration::ZERO, WAIT)
        .await
        .unwrap_or_else(|stalled| panic!("{stalled}"));
    let advice_id = run.advice_id();
    harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == "sendMessage"
                && request.chat_id() == Some(chat)
                && request.message_id() == Some(advice_id)
        })
        .await
        .expect("the advice is in the fake's log");
    run
}

fn is_reminder(request: &Request, chat: i64) -> bool {
    request.method == "sendPhoto"
        && request.chat_id() == Some(chat)
        && request.callback_data().iter().any(|data| data == "r:stays")
}

fn reminders_sent(fake: &FakeTelegram, chat: i64) -> usize {
    fake.requests()
        .iter()
        .filter(|request| is_reminder(request, chat) && request.result().is_some())
        .count()
}

async fn next_reminder(harness: &Harness, chat: i64) -> Request {
    harness
        .fake
        .wait_for(WAIT, |request| {
            is_reminder(request, chat) && request.result().is_some()
        })
        .await
        .unwrap_or_else(|| panic!("no reminder reached chat {chat}"))
}

async fn no_reminder_within_a_moment(harness: &Harness, chat: i64) {
    let early = harness
        .fake
        .wait_for(QUIET, |request| is_reminder(request, chat))
        .await;
    assert!(early.is_none(), "a reminder came too early: {early:?}");
}

async fn next_text(harness: &Harness, chat: i64, containing: &str) -> Request {
    harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == "sendMessage"
                && request.chat_id() == Some(chat)
                && request.text().is_some_and(|text| text.contains(containing))
        })
        .await
        .unwrap_or_else(|| panic!("no message containing {containing:?} in chat {chat}"))
}

fn caption(request: &Request) -> &str {
    request
        .body
        .get("caption")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The message id of a sent photo (the harness's `message_id_of` matches texts).
async fn photo_message_id(harness: &Harness, chat: i64) -> i64 {
    for _ in 0..200 {
        let found = harness.fake.bot_messages(chat).iter().rev().find_map(|message| {
            message.get("photo")?;
            message.get("message_id")?.as_i64()
        });
        if let Some(id) = found {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the reminder never appeared in chat {chat}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_comes_once_at_its_time_and_its_answer_goes_through_the_triage() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db").display().to_string();
    let clock = clock();
    let harness = start(StorageChoice::Sqlite(database), &clock).await;
    let chat = 61;

    let run = checked(&harness, chat, &fading_spots()).await;
    let offered = run.advice.callback_data();
    for data in ["m:add:1h", "m:add:4h", "m:add:8h", "m:no", "k:again", "k:summary"] {
        assert!(
            offered.contains(&data.to_string()),
            "{data} missing below the advice: {offered:?}"
        );
    }
    let labels: Vec<&str> = run.advice.body["reply_markup"]["inline_keyboard"][0]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|button| button["text"].as_str())
        .collect();
    assert_eq!(labels, ["⏰ 1 h", "⏰ 4 h", "⏰ 8 h", "No thanks"]);
    let advice_id = run.advice_id();
    // A delay that is not offered (a forged button) schedules nothing.
    harness.fake.callback(chat, advice_id, "m:add:3h");
    // It is answered with the stale notice, and (checked below) nothing comes at 3 h.
    harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == "answerCallbackQuery" && request.body.get("text").is_some()
        })
        .await
        .expect("a forged delay is told it is stale");
    harness.fake.callback(chat, advice_id, "m:add:4h");
    // The offer is taken off the advice; its other buttons stay.
    let edited = harness
        .fake
        .wait_for(WAIT, |request| request.method == "editMessageReplyMarkup")
        .await
        .expect("the advice's buttons are updated");
    assert_eq!(edited.callback_data(), ["k:again", "k:summary"]);
    let confirmation = next_text(&harness, chat, "4 h").await;
    assert!(confirmation.text().unwrap().contains("/reminders"));

    clock.advance(4 * HOUR - MINUTE);
    no_reminder_within_a_moment(&harness, chat).await;
    clock.advance(2 * MINUTE);
    let reminder = next_reminder(&harness, chat).await;
    assert!(caption(&reminder).starts_with("⏰"), "{}", caption(&reminder));
    assert!(caption(&reminder).contains("glass"));
    assert!(!caption(&reminder).contains("late"), "on time, so not late");
    assert_eq!(reminder.callback_data(), ["r:fades", "r:stays", "r:worse"]);

    clock.advance(5 * HOUR);
    tokio::time::sleep(QUIET).await;
    assert_eq!(
        reminders_sent(&harness.fake, chat),
        1,
        "a reminder fires exactly once"
    );

    // "They don't fade now": the check is revised, the new questions asked, the level rises.
    let reminder_id = photo_message_id(&harness, chat).await;
    let follower = Follower::new(&harness.fake, chat);
    harness.fake.callback(chat, reminder_id, "r:stays");
    let run = answer_until_advice(follower, &spots_that_stay(), Duration::ZERO, WAIT)
        .await
        .unwrap_or_else(|stalled| panic!("{stalled}"));
    assert_eq!(level_of(run.text()), "urgent", "{}", run.text());
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn still_fading_offers_another_reminder_and_feeling_worse_starts_with_the_warning_signs() {
    let clock = clock();
    let harness = start(StorageChoice::Memory, &clock).await;
    let chat = 62;
    check_and_ask_reminder(&harness, chat, "1h").await;
    next_text(&harness, chat, "1 h").await;
    clock.advance(HOUR);
    next_reminder(&harness, chat).await;
    let reminder_id = photo_message_id(&harness, chat).await;
    harness.fake.callback(chat, reminder_id, "r:fades");
    let advice = harness
        .fake
        .wait_for(WAIT, |request| {
            request.chat_id() == Some(chat) && request.text().is_some_and(is_advice)
        })
        .await
        .unwrap_or_else(|| {
            panic!(
                "advice again; sent: {:#?}",
                harness
                    .fake
                    .sent_to(chat)
                    .iter()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!(level_of(advice.text().unwrap()), "self_care");
    assert!(
        advice.callback_data().contains(&"m:add:4h".to_string()),
        "another reminder is offered"
    );

    // A second reminder, answered "feels worse": the check starts again, red flags first.
    let advice_id = harness.message_id_of(chat, &advice).await;
    harness.fake.callback(chat, advice_id, "m:add:1h");
    next_text(&harness, chat, "1 h").await;
    clock.advance(HOUR);
    next_reminder(&harness, chat).await;
    let reminder_id = photo_message_id(&harness, chat).await;
    harness.fake.callback(chat, reminder_id, "r:worse");
    let (question, question_id) = harness.next_question(chat).await;
    assert!(question
        .callback_data()
        .iter()
        .any(|data| data.starts_with("a:red_flags:")));
    harness.fake.callback(chat, question_id, "a:red_flags:seizure");
    let advice = harness.advice(chat).await;
    assert_eq!(
        level_of(&advice),
        "emergency",
        "a new red flag is an emergency at once"
    );
    // The old reminder's buttons are stale now.
    harness.fake.callback(chat, reminder_id, "r:stays");
    let answered = harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == "answerCallbackQuery" && request.body.get("text").is_some()
        })
        .await;
    assert!(answered.is_some(), "a stale re-check button gets a notice");
    harness.assert_no_violations();
    harness.stop().await;
}

async fn reminder_survives_restart(storage: StorageChoice) {
    let clock = clock();
    let fake = FakeTelegram::start().await;
    // A reminder is kept for the state TTL after it was due (here the default, 24 h).
    let mut settings = config(&fake, storage.clone(), &clock);
    settings.state_ttl = 24 * HOUR;
    let harness = Harness::start_config(fake, settings.clone()).await;
    let chat = 63;
    check_and_ask_reminder(&harness, chat, "1h").await;
    next_text(&harness, chat, "1 h").await;
    let fake = harness.stop().await;

    // Down for three hours: the reminder came due two hours ago.
    clock.advance(3 * HOUR);
    let harness = Harness::start_config(fake, settings).await;
    let reminder = next_reminder(&harness, chat).await;
    assert!(
        caption(&reminder).contains("2 h late"),
        "a late reminder says so: {}",
        caption(&reminder)
    );
    clock.advance(HOUR);
    tokio::time::sleep(QUIET).await;
    assert_eq!(reminders_sent(&harness.fake, chat), 1);
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_due_while_the_bot_was_down_comes_late_after_a_restart_with_sqlite() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db").display().to_string();
    reminder_survives_restart(StorageChoice::Sqlite(database)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_due_while_the_bot_was_down_comes_late_after_a_restart_with_redis() {
    let Some(server) = crate::support::redis::RedisServer::start_or_skip() else {
        return;
    };
    reminder_survives_restart(StorageChoice::Redis(server.url.clone())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_deletes_pending_reminders() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db").display().to_string();
    let clock = clock();
    let harness = start(StorageChoice::Sqlite(database.clone()), &clock).await;
    let chat = 64;
    check_and_ask_reminder(&harness, chat, "1h").await;
    next_text(&harness, chat, "1 h").await;
    harness.fake.private_text(chat, "/forget");
    harness.next_message(chat).await;
    clock.advance(9 * HOUR);
    no_reminder_within_a_moment(&harness, chat).await;
    harness.stop().await;
    let rows: i64 = rusqlite::Connection::open(&database)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM reminders", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 0, "nothing of the reminder is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_are_listed_cancelled_and_limited() {
    let clock = clock();
    let harness = start(StorageChoice::Memory, &clock).await;
    let chat = 65;
    let mut last_advice = 0;
    for delay in ["1h", "8h", "4h"] {
        if last_advice != 0 {
            // Unpaced, whole checks back to back at machine speed outrun a person's burst
            // (src/bot/intake.rs): pause as a person would between them.
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
        last_advice = check_and_ask_reminder(&harness, chat, delay).await;
        next_text(&harness, chat, "⏰").await;
    }
    // A fourth, from the last advice (an old client can still show its buttons).
    harness.fake.callback(chat, last_advice, "m:add:1h");
    let refused = next_text(&harness, chat, "/reminders").await;
    assert!(
        refused
            .text()
            .unwrap()
            .contains(&MAX_PENDING_REMINDERS.to_string()),
        "a fourth reminder is refused: {refused:?}"
    );

    clock.advance(30 * MINUTE);
    harness.fake.private_text(chat, "/reminders");
    let list = next_text(&harness, chat, "1.").await;
    let text = list.text().unwrap();
    assert!(text.contains("1. in 30 min"), "{text}");
    assert!(text.contains("2. in 3 h 30 min"), "{text}");
    assert!(text.contains("3. in 7 h 30 min"), "{text}");
    let cancels = list.callback_data();
    assert_eq!(cancels.len(), 3);
    let list_id = harness.message_id_of(chat, &list).await;
    harness.fake.callback(chat, list_id, &cancels[0]);
    let edited = harness
        .fake
        .wait_for(WAIT, |request| request.method == "editMessageText")
        .await
        .expect("the list is updated");
    assert!(
        !edited.text().unwrap().contains("in 30 min"),
        "{:?}",
        edited.text()
    );
    assert_eq!(edited.callback_data().len(), 2);

    // Another chat cannot cancel these (a forged button).
    harness.fake.callback(66, 1, &cancels[1]);
    clock.advance(HOUR);
    no_reminder_within_a_moment(&harness, chat).await;
    clock.advance(3 * HOUR);
    next_reminder(&harness, chat).await;
    assert_eq!(
        reminders_sent(&harness.fake, chat),
        1,
        "the cancelled one never came"
    );
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_waits_while_a_check_is_in_progress() {
    let clock = clock();
    let harness = start(StorageChoice::Memory, &clock).await;
    let chat = 67;
    check_and_ask_reminder(&harness, chat, "1h").await;
    next_text(&harness, chat, "1 h").await;
    harness.fake.private_text(chat, "/check");
    let (_, question) = harness.next_question(chat).await;
    clock.advance(HOUR);
    no_reminder_within_a_moment(&harness, chat).await;
    harness.fake.callback(chat, question, "a:red_flags:none");
    harness.fake.private_text(chat, "/cancel");
    next_text(&harness, chat, "stopped").await;
    clock.advance(3 * MINUTE);
    let reminder = next_reminder(&harness, chat).await;
    assert!(!caption(&reminder).contains("late"));
    harness.stop().await;
}

/// A bot on a real Redis with one reminder pending (in 1 h) in a chat, and a second storage on
/// the same Redis, as another replica has.
struct PendingOnRedis {
    server: RedisServer,
    clock: ManualClock,
    harness: Harness,
    replica: std::sync::Arc<DialogueStorage>,
    reminder: Reminder,
}

/// `None` when Redis is not installed (the test is then skipped and listed).
async fn pending_on_redis(chat: i64) -> Option<PendingOnRedis> {
    let server = RedisServer::start_or_skip()?;
    let clock = clock();
    let storage = StorageChoice::Redis(server.url.clone());
    let harness = start(storage.clone(), &clock).await;
    check_and_ask_reminder(&harness, chat, "1h").await;
    next_text(&harness, chat, "1 h").await;
    let replica = DialogueStorage::open_for_bot(&storage, HOUR, harness.fake.token())
        .await
        .unwrap();
    let reminder = replica.reminders_of(chat).await.unwrap().remove(0);
    Some(PendingOnRedis {
        server,
        clock,
        harness,
        replica,
        reminder,
    })
}

/// Waits until the scheduler has claimed `reminder`: its next try moves from its due time to the
/// end of the scheduler's lease.
async fn wait_until_claimed(redis: &mut redis::Connection, reminder: &Reminder) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let next_try: Option<f64> = redis::cmd("ZSCORE")
            .arg(bot_key("reminders:queue"))
            .arg(reminder.id)
            .query(redis)
            .unwrap();
        if next_try.is_some_and(|at| at as u64 > reminder.due_at) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the scheduler never claimed the reminder"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Lets Redis take `SET`, the chat lock's only command, or refuses it by its ACL.
fn allow_set(redis: &mut redis::Connection, allowed: bool) {
    let rule = if allowed { "+set" } else { "-set" };
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg("default")
        .arg(rule)
        .query(redis)
        .unwrap();
}

/// How many `SET`s Redis has refused by its ACL (the log counts repeats in one entry).
fn refused_sets(redis: &mut redis::Connection) -> i64 {
    let entries: Vec<HashMap<String, redis::Value>> = redis::cmd("ACL").arg("LOG").query(redis).unwrap();
    entries
        .iter()
        .filter(|entry| {
            entry
                .get("object")
                .and_then(|object| redis::from_redis_value::<String>(object.clone()).ok())
                .is_some_and(|command| command == "set")
        })
        .filter_map(|entry| redis::from_redis_value::<i64>(entry.get("count")?.clone()).ok())
        .sum()
}

/// Redis refuses the chat's lock when the reminder comes due (here its ACL denies `SET`, as a
/// failing Redis would refuse it). The reminder is not sent without the lock, since the re-check
/// could not be stored; and it is not lost: it comes once, when the scheduler's lease ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_whose_lock_redis_refuses_comes_when_its_lease_ends_with_redis() {
    let chat = 68;
    let Some(PendingOnRedis {
        server,
        clock,
        harness,
        replica,
        reminder,
    }) = pending_on_redis(chat).await
    else {
        return;
    };
    // The handler that confirmed the reminder lets go of the chat's lock before Redis refuses.
    let lock = bot_key(&format!("lock:{chat}"));
    let mut redis = server.connection();
    let deadline = std::time::Instant::now() + WAIT;
    while redis::cmd("EXISTS").arg(&lock).query::<bool>(&mut redis).unwrap() {
        assert!(
            std::time::Instant::now() < deadline,
            "the chat's lock was never released"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    allow_set(&mut redis, false);

    clock.advance(2 * HOUR);
    wait_until_claimed(&mut redis, &reminder).await;
    // The lock is tried three times before the scheduler gives up on it for this lease.
    let deadline = std::time::Instant::now() + WAIT;
    while refused_sets(&mut redis) < 3 {
        assert!(std::time::Instant::now() < deadline, "the lock was never tried");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    allow_set(&mut redis, true);
    no_reminder_within_a_moment(&harness, chat).await;
    assert_eq!(reminders_sent(&harness.fake, chat), 0, "sent without the lock");

    // The lease ends: the scheduler claims it again, and this time the lock is taken.
    clock.advance(3 * MINUTE);
    next_reminder(&harness, chat).await;
    tokio::time::sleep(QUIET).await;
    assert_eq!(reminders_sent(&harness.fake, chat), 1, "sent exactly once");
    assert!(
        replica.reminders_of(chat).await.unwrap().is_empty(),
        "and then deleted"
    );
    harness.assert_no_violations();
    harness.stop().await;
}

/// The scheduler claims a due reminder, then waits for the chat's lock, held here as another
/// replica's handler would hold it; meanwhile that replica forgets the chat. Once the lock is
/// free the reminder must not be sent, and nothing of the chat stored again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_forgotten_after_it_was_claimed_is_not_sent_with_redis() {
    let chat = 66;
    let Some(PendingOnRedis {
        server,
        clock,
        harness,
        replica: other_replica,
        reminder,
    }) = pending_on_redis(chat).await
    else {
        return;
    };

    let mut redis = server.connection();
    let lock = bot_key(&format!("lock:{chat}"));
    // Taken as a replica takes it: the bot's handler that confirmed the reminder may still be
    // finishing, so wait for it to let go.
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let taken: Option<String> = redis::cmd("SET")
            .arg(&lock)
            .arg("another-replica")
            .arg("NX")
            .arg("PX")
            .arg(10_000)
            .query(&mut redis)
            .unwrap();
        if taken.is_some() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the chat's lock was never free"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    clock.advance(2 * HOUR);
    wait_until_claimed(&mut redis, &reminder).await;
    other_replica.forget_chat(chat).await.unwrap();
    let _: () = redis::cmd("DEL").arg(&lock).query(&mut redis).unwrap();

    tokio::time::sleep(2 * QUIET).await;
    assert_eq!(
        reminders_sent(&harness.fake, chat),
        0,
        "a forgotten reminder is not sent"
    );
    assert_eq!(
        other_replica.clone().get_dialogue(ChatId(chat)).await.unwrap(),
        Some(State::Idle),
        "nothing of the chat is stored again"
    );
    harness.assert_no_violations();
    harness.stop().await;
}
