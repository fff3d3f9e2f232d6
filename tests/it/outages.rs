//! Storage outages in the middle of a check, through the fake Bot API with the defaults people
//! get (pacing on). The person is told, in their language, to try again in a moment; no saved
//! answer is lost; and the check carries on from the last saved answer once storage is back.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use spotcheck::bot::StorageChoice;

use crate::support::answers::{one_case_per_level, option_for};
use crate::support::fake_telegram::FakeTelegram;
use crate::support::fake_telegram::Request;
use crate::support::harness::{level_of, question_id, Harness};
use crate::support::people::{
    answer_until_advice, complete_check, is_advice, is_question, is_send, requests_in, Follower,
};
use crate::support::redis::RedisServer;
use crate::support::skips;
use crate::support::vignettes::{self, Vignette};

/// A read that times out is retried before the person is told, so the notice takes a while.
const NOTICE_WITHIN: Duration = Duration::from_secs(20);
const STEP_WITHIN: Duration = Duration::from_secs(15);

async fn paced_bot_on(redis: &RedisServer) -> Harness {
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, StorageChoice::Redis(redis.url.clone()));
    config.throttle = true;
    Harness::start_config(fake, config).await
}

async fn paced_bot_on_sqlite(database: &Path) -> Harness {
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, StorageChoice::Sqlite(database.display().to_string()));
    config.throttle = true;
    Harness::start_config(fake, config).await
}

/// A person in the middle of a check: the first question is on screen, and they know their
/// answer (an urgent vignette's).
struct MidCheck {
    chat: i64,
    follower: Follower,
    first: Request,
    option: String,
    vignette: Vignette,
    unavailable: String,
}

impl MidCheck {
    async fn begin(harness: &Harness, chat: i64) -> MidCheck {
        let vignette = vignettes::at("urgent", 1).remove(0);
        let mut follower = Follower::new(&harness.fake, chat);
        harness.fake.private_text(chat, "/check");
        let first = follower
            .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
            .await
            .expect("the first question");
        let option = option_for(&harness.dialogues.protocol, &question_id(&first), &vignette.facts);
        let unavailable = harness
            .dialogues
            .language("en")
            .texts
            .plain("bot-storage-unavailable");
        MidCheck {
            chat,
            follower,
            first,
            option,
            vignette,
            unavailable,
        }
    }

    /// Presses the answer on the first question.
    fn press(&self, harness: &Harness) {
        let message = self.first.message_id().expect("a delivered question");
        let id = question_id(&self.first);
        harness
            .fake
            .callback(self.chat, message, &format!("a:{id}:{}", self.option));
    }

    /// Presses the answer while storage is away: the press is answered, and the person is told.
    async fn press_during_outage(&mut self, harness: &Harness) {
        let pressed = Instant::now();
        self.press(harness);
        self.expect_notice(harness, NOTICE_WITHIN).await;
        eprintln!("told of the outage {:?} after the press", pressed.elapsed());
        // The answer may still be on its way when the notice lands (the bot waits at most 1 s
        // for it before the press's work goes on); it must come all the same.
        let told = Instant::now();
        while !harness.fake.unanswered_presses().is_empty() {
            assert!(
                told.elapsed() < Duration::from_secs(3),
                "the press is answered while storage is away"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The next message the bot sends, which must be the storage notice.
    async fn expect_notice(&mut self, harness: &Harness, within: Duration) {
        let unavailable = self.unavailable.clone();
        self.expect_text(harness, within, &unavailable).await;
    }

    /// The next message the bot sends, which must be `expected`; returns it.
    async fn expect_text(&mut self, harness: &Harness, within: Duration, expected: &str) -> Request {
        let chat = self.chat;
        let sent = self
            .follower
            .next(within, |request| is_send(request) && request.delivered())
            .await
            .unwrap_or_else(|| panic!("nothing sent: {:#?}", requests_in(&harness.fake, chat)));
        assert_eq!(
            sent.text(),
            Some(expected),
            "{:#?}",
            requests_in(&harness.fake, chat)
        );
        sent
    }

    /// The next advice the bot sends; returns it.
    async fn expect_advice(&mut self, harness: &Harness, within: Duration) -> Request {
        let chat = self.chat;
        self.follower
            .next(within, |request| is_advice(request) && request.delivered())
            .await
            .unwrap_or_else(|| panic!("no advice: {:#?}", requests_in(&harness.fake, chat)))
    }

    /// Whether a message the bot sent still shows buttons.
    fn buttons_of(&self, harness: &Harness, message: &Request) -> bool {
        let id = message.message_id().expect("a delivered message");
        harness
            .fake
            .bot_messages(self.chat)
            .into_iter()
            .find(|shown| shown["message_id"].as_i64() == Some(id))
            .is_some_and(|shown| shown["reply_markup"]["inline_keyboard"].is_array())
    }

    /// After a press whose save fails: the next question is sent, its buttons are withdrawn,
    /// the person is told, and the first question keeps its buttons.
    async fn expect_question_withdrawn(&mut self, harness: &Harness) {
        let second = self
            .follower
            .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
            .await
            .expect("the next question is sent before its save fails");
        self.expect_notice(harness, STEP_WITHIN).await;
        assert!(
            !self.buttons_of(harness, &second),
            "the unsaved question's buttons are withdrawn"
        );
        assert!(
            self.buttons_of(harness, &self.first),
            "the last saved question keeps its buttons"
        );
    }

    /// Once storage is back: the same answer pressed again goes through, and the check ends at
    /// the vignette's level with every press answered.
    async fn finish(self, harness: Harness) {
        let watching = Follower::new(&harness.fake, self.chat);
        self.press(&harness);
        let run = answer_until_advice(watching, &self.vignette.facts, Duration::ZERO, STEP_WITHIN)
            .await
            .unwrap_or_else(|stalled| panic!("after the outage: {stalled}"));
        assert_eq!(level_of(run.text()), self.vignette.expected, "{}", run.text());
        harness.stop_with_every_press_answered().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_hanging_mid_check_is_told_and_the_check_carries_on_once_it_is_back() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let mut person = MidCheck::begin(&harness, 8100).await;
    redis.pause();
    person.press_during_outage(&harness).await;
    // A command that needs the check is told too; one that only shows a text still works.
    harness.fake.private_text(person.chat, "/check");
    person.expect_notice(&harness, NOTICE_WITHIN).await;
    let help = harness.dialogues.language("en").texts.plain("bot-help");
    harness.fake.private_text(person.chat, "/help");
    person.expect_text(&harness, NOTICE_WITHIN, &help).await;
    redis.resume();
    person.finish(harness).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_check_is_told_and_the_check_carries_on_once_it_is_started_again() {
    let Some(mut redis) = RedisServer::start_persistent_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let mut person = MidCheck::begin(&harness, 8700).await;
    redis.wait_for_state(person.chat, |_| true).await;
    redis.kill();
    person.press_during_outage(&harness).await;
    redis.restart();
    person.finish(harness).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_typed_while_redis_hangs_gets_the_emergency_advice() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let mut person = MidCheck::begin(&harness, 8600).await;
    redis.pause();
    harness.fake.private_text(person.chat, "she is having a fit");
    let advice = person.expect_advice(&harness, NOTICE_WITHIN).await;
    assert_eq!(level_of(advice.text().unwrap()), "emergency");
    // Its save fails too: the person hears that the advice stands, never "try again".
    let stands = harness.dialogues.language("en").texts.plain("bot-advice-unsaved");
    person.expect_text(&harness, NOTICE_WITHIN, &stands).await;
    redis.resume();
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_full_when_the_advice_comes_keeps_the_advice_and_says_it_stands() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let mut person = MidCheck::begin(&harness, 8500).await;
    assert_eq!(question_id(&person.first), "red_flags");
    redis.wait_for_state(person.chat, |_| true).await;
    redis.cap_memory(1);
    // A warning sign: the emergency advice comes at once, and its save fails.
    person.option = "seizure".into();
    person.press(&harness);
    let advice = person.expect_advice(&harness, STEP_WITHIN).await;
    assert_eq!(level_of(advice.text().unwrap()), "emergency");
    let stands = harness.dialogues.language("en").texts.plain("bot-advice-unsaved");
    person.expect_text(&harness, STEP_WITHIN, &stands).await;
    assert!(
        !person.buttons_of(&harness, &advice),
        "the advice's buttons, which need the saved check, are withdrawn"
    );
    assert!(
        harness.fake.unanswered_presses().is_empty(),
        "every press answered"
    );
    redis.cap_memory(0);
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_full_mid_check_withdraws_the_unsaved_question_and_the_answer_can_be_pressed_again() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let mut person = MidCheck::begin(&harness, 8200).await;
    // The bot saves the check just after sending its question; fill Redis only once it has.
    redis.wait_for_state(person.chat, |_| true).await;
    redis.cap_memory(1);
    person.press(&harness);
    person.expect_question_withdrawn(&harness).await;
    redis.cap_memory(0);
    person.finish(harness).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_locked_by_another_writer_mid_check_withdraws_the_unsaved_question() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db");
    let harness = paced_bot_on_sqlite(&database).await;
    let mut person = MidCheck::begin(&harness, 8400).await;
    wait_until_saved(&database, person.chat).await;
    // Another process holds SQLite's write lock for longer than the bot waits for it (5 s).
    let other_writer = rusqlite::Connection::open(&database).unwrap();
    other_writer.execute_batch("BEGIN IMMEDIATE;").unwrap();
    person.press(&harness);
    person.expect_question_withdrawn(&harness).await;
    other_writer.execute_batch("ROLLBACK;").unwrap();
    person.finish(harness).await;
}

/// Waits until the chat's check is in the SQLite file.
async fn wait_until_saved(database: &Path, chat: i64) {
    let deadline = Instant::now() + STEP_WITHIN;
    while rows_about(database, chat)[0] == 0 {
        assert!(Instant::now() < deadline, "the check was never stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Files made immutable (`chattr +i`): every write to them fails, through descriptors already
/// open and even for root, as on a disk the kernel has remounted read-only after an error.
/// Undone when dropped, so a failed test leaves nothing that cannot be deleted.
struct Immutable(Vec<PathBuf>);

impl Immutable {
    /// `None` where this machine cannot (not root, or a file system without the flag).
    fn make(files: Vec<PathBuf>) -> Option<Immutable> {
        let made = Immutable(files);
        made.chattr("+i").then_some(made)
    }

    fn chattr(&self, flag: &str) -> bool {
        Command::new("chattr")
            .arg(flag)
            .args(&self.0)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        self.chattr("-i");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_made_read_only_mid_check_withdraws_the_unsaved_question_and_carries_on_after() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db");
    let harness = paced_bot_on_sqlite(&database).await;
    let mut person = MidCheck::begin(&harness, 8800).await;
    wait_until_saved(&database, person.chat).await;
    // The database and its write-ahead log, where every commit is written.
    let files = vec![database.clone(), folder.path().join("spotcheck.db-wal")];
    let Some(read_only) = Immutable::make(files) else {
        skips::skip("`chattr +i` needs root on a file system with the immutable flag (ext4, xfs)");
        harness.stop().await;
        return;
    };
    person.press(&harness);
    person.expect_question_withdrawn(&harness).await;
    drop(read_only);
    person.finish(harness).await;
}

/// A small file system of its own (a 1 MiB tmpfs), unmounted when dropped.
struct SmallDisk {
    folder: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` where this machine cannot mount (not root, or a container without the right).
    fn mount() -> Option<SmallDisk> {
        let folder = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(folder.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        mounted.then_some(SmallDisk { folder })
    }

    fn path(&self) -> &Path {
        self.folder.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: the bot's checkpointer thread may still hold the files for a moment.
        let _ = Command::new("umount").arg("-l").arg(self.folder.path()).status();
    }
}

/// Fills the disk with rows written into the bot's own database, as a flood of checks would,
/// until SQLite answers that it is full. The log then cannot be merged into the database (that
/// needs room too), so every later commit must grow the log, and fails. A failed commit leaves
/// the room it took at the log's end, where the next commit fits: smaller and smaller rows use it
/// up.
fn fill_with_rows(database: &Path) {
    let connection = rusqlite::Connection::open(database).unwrap();
    connection
        .execute_batch("CREATE TABLE filler (data BLOB NOT NULL);")
        .unwrap();
    for size in [8192, 1024, 64, 1] {
        let full = (0..1024).any(|_| {
            let inserted = connection.execute("INSERT INTO filler VALUES (zeroblob(?))", [size]);
            match &inserted {
                Err(rusqlite::Error::SqliteFailure(error, _)) => {
                    assert_eq!(error.code, rusqlite::ErrorCode::DiskFull, "{inserted:?}");
                    true
                }
                _ => inserted.map(|_| false).unwrap(),
            }
        });
        assert!(full, "1,024 rows of {size} bytes fit on a 1 MiB disk");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_full_mid_check_withdraws_the_unsaved_question_and_carries_on_once_there_is_room() {
    let Some(disk) = SmallDisk::mount() else {
        skips::skip("mounting a small tmpfs needs root (and CAP_SYS_ADMIN in a container)");
        return;
    };
    let database = disk.path().join("spotcheck.db");
    let harness = paced_bot_on_sqlite(&database).await;
    let mut person = MidCheck::begin(&harness, 8900).await;
    wait_until_saved(&database, person.chat).await;
    // Room set aside now and given back once the disk is full, as an operator would free space:
    // half the disk, as much as the log can hold then, so that merging the log fits in it.
    let ballast = disk.path().join("ballast");
    std::fs::write(&ballast, vec![1u8; 512 * 1024]).unwrap();
    fill_with_rows(&database);
    person.press(&harness);
    person.expect_question_withdrawn(&harness).await;
    std::fs::remove_file(&ballast).unwrap();
    person.finish(harness).await;
}

/// Sends /forget and returns the bot's reply.
async fn forget(harness: &Harness, follower: &mut Follower) -> String {
    harness.fake.private_text(follower.chat, "/forget");
    let reply = follower
        .next_message(STEP_WITHIN)
        .await
        .expect("a reply to /forget");
    reply.text().unwrap_or_default().to_string()
}

/// How many rows the chat has in each table: its check, its reminders, its settings.
fn rows_about(database: &Path, chat: i64) -> [i64; 3] {
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
    let harness = paced_bot_on_sqlite(&database).await;
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
    let reply = forget(&harness, &mut follower).await;
    assert_eq!(reply, texts.plain("bot-forget-failed"));
    assert_eq!(rows_about(&database, chat), [1, 1, 1], "nothing was deleted");

    connection
        .execute_batch("DROP TRIGGER injected_failure;")
        .unwrap();
    let reply = forget(&harness, &mut follower).await;
    assert_eq!(reply, texts.plain("bot-forgotten"));
    assert_eq!(rows_about(&database, chat), [0, 0, 0], "everything was deleted");
    harness.assert_no_violations();
    harness.stop().await;
}

/// A language that cannot be saved (Redis full) is told in a private chat, so nobody believes a
/// choice (an emergency number, in the case of a country) that was not kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_choice_that_cannot_be_saved_is_told_and_can_be_made_again() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(&redis).await;
    let chat = 8801;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.private_text(chat, "/language");
    let menu = follower
        .next_message(STEP_WITHIN)
        .await
        .expect("the language menu");
    let menu = menu.message_id().unwrap();
    redis.cap_memory(1);
    harness.fake.callback(chat, menu, "l:es");
    let reply = follower.next_message(STEP_WITHIN).await.expect("a reply");
    let unsaved = harness.dialogues.language("en").texts.plain("bot-choice-unsaved");
    assert_eq!(reply.text(), Some(unsaved.as_str()));
    redis.cap_memory(0);
    harness.fake.callback(chat, menu, "l:es");
    let reply = follower.next_message(STEP_WITHIN).await.expect("a reply");
    let set = harness.dialogues.language("es").texts.plain("bot-language-set");
    assert_eq!(reply.text(), Some(set.as_str()));
    harness.stop_with_every_press_answered().await;
}
