//! The dialogue storages, each against the real thing: a SQLite file, a Redis server, memory.

use std::sync::Arc;
use std::time::Duration;

use crate::support::redis::RedisServer;
use spotcheck::bot::{Clock, DialogueStorage, Reminder, StorageChoice, StorageError, SystemClock};
use spotcheck::conversation::{ChatSettings, Check, State};
use spotcheck::triage::{SavedAnswer, SavedSession};
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

fn checking() -> State {
    State::Checking(Check {
        session: SavedSession {
            answers: vec![SavedAnswer {
                question: "red_flags".into(),
                option: "no".into(),
            }],
            findings: vec![],
        },
        language: "en".into(),
        message_id: Some(3),
        ticked: vec!["headache".into()],
    })
}

/// The behaviour every storage must have.
async fn check_storage(choice: StorageChoice) {
    let storage: Arc<DialogueStorage> = DialogueStorage::open(&choice, Duration::from_secs(1))
        .await
        .unwrap();
    let chat = ChatId(77);
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        Some(State::Idle),
        "{choice:?}: empty at first"
    );
    // A chat's state is written only under its lock.
    let refused = storage.clone().update_dialogue(chat, checking()).await;
    assert!(
        matches!(refused, Err(StorageError::NotLocked)),
        "{choice:?}: written without the lock: {refused:?}"
    );
    let lock = storage.lock_chat(chat.0).await;
    assert!(lock.is_held(), "{choice:?}");
    storage.clone().update_dialogue(chat, checking()).await.unwrap();
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        Some(checking()),
        "{choice:?}: round trip"
    );
    assert_eq!(
        storage.probe().await,
        Ok(()),
        "{choice:?}: a read and a write are taken"
    );
    // A state that only describes a failed read is refused, and the stored check stays.
    for never_stored in [State::Unreadable, State::Unavailable] {
        let refused = storage.clone().update_dialogue(chat, never_stored.clone()).await;
        assert!(
            matches!(refused, Err(StorageError::NotStorable(_))),
            "{choice:?}: {never_stored:?} was written: {refused:?}"
        );
        assert_eq!(
            storage.clone().get_dialogue(chat).await.unwrap(),
            Some(checking()),
            "{choice:?}: the check survives a refused {never_stored:?}"
        );
    }
    // An idle chat keeps no row.
    storage.clone().update_dialogue(chat, State::Idle).await.unwrap();
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        Some(State::Idle),
        "{choice:?}: idle stores nothing"
    );
    // Expiry: a state older than the TTL is gone, and sweeping deletes it.
    storage.clone().update_dialogue(chat, checking()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        Some(State::Idle),
        "{choice:?}: expired"
    );
    storage.sweep().await.unwrap();
    assert_eq!(
        storage.count().await.unwrap(),
        0,
        "{choice:?}: nothing left after the sweep"
    );
    // Removing works, also for a chat with nothing stored.
    storage.clone().update_dialogue(chat, checking()).await.unwrap();
    storage.clone().remove_dialogue(chat).await.unwrap();
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        Some(State::Idle)
    );
    drop(lock);
    let _other = storage.lock_chat(78).await;
    storage.clone().remove_dialogue(ChatId(78)).await.unwrap();
    let refused = storage.clone().update_dialogue(chat, checking()).await;
    assert!(
        matches!(refused, Err(StorageError::NotLocked)),
        "{choice:?}: written once the lock was released: {refused:?}"
    );
}

/// What every storage must do with reminders: a limit per chat, claims that exclude each other
/// until their lease ends, cancelling only by the owner, postponing, forgetting, and expiry.
async fn check_reminders(choice: StorageChoice) {
    let storage = DialogueStorage::open(&choice, Duration::from_secs(3600))
        .await
        .unwrap();
    let now = SystemClock.now();
    let lease = now + 60_000;
    let later = storage.add_reminder(90, now + 1000, b"later", 2).await.unwrap();
    let sooner = storage.add_reminder(90, now + 500, b"sooner", 2).await.unwrap();
    let (Some(later), Some(sooner)) = (later, sooner) else {
        panic!("{choice:?}: two reminders fit the limit")
    };
    assert_eq!(
        storage.add_reminder(90, now + 2000, b"third", 2).await.unwrap(),
        None,
        "{choice:?}: the limit holds"
    );
    let other = storage
        .add_reminder(91, now + 500, b"other", 2)
        .await
        .unwrap()
        .unwrap();
    let pending: Vec<(i64, Vec<u8>)> = storage
        .reminders_of(90)
        .await
        .unwrap()
        .into_iter()
        .map(|reminder| (reminder.id, reminder.payload))
        .collect();
    assert_eq!(
        pending,
        [(sooner, b"sooner".to_vec()), (later, b"later".to_vec())],
        "{choice:?}"
    );
    assert_eq!(
        storage.next_reminder_at().await.unwrap(),
        Some(now + 500),
        "{choice:?}"
    );

    let claimed = |reminders: Vec<Reminder>| reminders.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert!(storage
        .claim_due_reminders(now, lease, 10)
        .await
        .unwrap()
        .is_empty());
    let due = claimed(storage.claim_due_reminders(now + 600, lease, 10).await.unwrap());
    assert_eq!(due, [sooner, other], "{choice:?}: the due ones, soonest first");
    assert!(
        storage
            .claim_due_reminders(now + 700, lease, 10)
            .await
            .unwrap()
            .is_empty(),
        "{choice:?}: a claimed reminder is not claimed again during its lease"
    );
    storage.finish_reminder(sooner).await.unwrap();
    assert!(
        !storage.cancel_reminder(90, other).await.unwrap(),
        "{choice:?}: not this chat's"
    );
    assert!(storage.cancel_reminder(91, other).await.unwrap());

    storage.postpone_reminder(later, now + 5000).await.unwrap();
    assert_eq!(storage.reminders_of(90).await.unwrap()[0].due_at, now + 5000);
    assert!(storage
        .claim_due_reminders(now + 4000, lease, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        claimed(storage.claim_due_reminders(now + 5000, lease, 10).await.unwrap()),
        [later]
    );

    let settings = ChatSettings {
        language: Some("fr".into()),
        country: Some("fr".into()),
    };
    storage.save_settings(90, &settings).await.unwrap();
    assert_eq!(storage.settings(90).await, settings);
    let _lock = storage.lock_chat(90).await;
    storage
        .clone()
        .update_dialogue(ChatId(90), checking())
        .await
        .unwrap();
    storage.forget_chat(90).await.unwrap();
    assert!(
        storage.reminders_of(90).await.unwrap().is_empty(),
        "{choice:?}: forgotten"
    );
    assert_eq!(
        storage.settings(90).await,
        ChatSettings::default(),
        "{choice:?}: settings forgotten"
    );
    assert_eq!(
        storage.clone().get_dialogue(ChatId(90)).await.unwrap(),
        Some(State::Idle),
        "{choice:?}: check forgotten"
    );
    assert_eq!(
        storage.next_reminder_at().await.unwrap(),
        None,
        "{choice:?}: nothing queued"
    );

    // Due two hours ago with a one-hour TTL: deleted unsent.
    storage
        .add_reminder(92, now - 7_200_000, b"stale", 2)
        .await
        .unwrap();
    assert!(storage
        .claim_due_reminders(now, lease, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(
        storage.reminders_of(92).await.unwrap().is_empty(),
        "{choice:?}: expired"
    );
}

#[tokio::test]
async fn memory_storage() {
    check_storage(StorageChoice::Memory).await;
    check_reminders(StorageChoice::Memory).await;
}

#[tokio::test]
async fn sqlite_storage() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("states.db").display().to_string();
    check_storage(StorageChoice::Sqlite(path.clone())).await;
    check_reminders(StorageChoice::Sqlite(path)).await;
}

#[tokio::test]
async fn redis_storage() {
    let Some(server) = RedisServer::start_or_skip() else {
        return;
    };
    check_storage(StorageChoice::Redis(server.url.clone())).await;
    check_reminders(StorageChoice::Redis(server.url.clone())).await;
}

#[tokio::test]
async fn unreadable_states_are_reported_not_errors() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("states.db").display().to_string();
    let storage = DialogueStorage::open(&StorageChoice::Sqlite(path.clone()), Duration::from_secs(60))
        .await
        .unwrap();
    let _lock = storage.lock_chat(5).await;
    storage
        .clone()
        .update_dialogue(ChatId(5), checking())
        .await
        .unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE dialogues SET state = ?",
            [b"{\"state\":\"from_the_future\"}".to_vec()],
        )
        .unwrap();
    assert_eq!(
        storage.clone().get_dialogue(ChatId(5)).await.unwrap(),
        Some(State::Unreadable)
    );
}

/// The bot's own connection never merges SQLite's write-ahead log (that would sync the file
/// inside some update); a thread does, each second. Without it the database file would not grow
/// until shutdown, and the log would grow without end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_log_is_merged_into_the_database_while_running() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("states.db");
    let choice = StorageChoice::Sqlite(path.display().to_string());
    let storage = DialogueStorage::open(&choice, Duration::from_secs(60))
        .await
        .unwrap();
    // Let the first merge pass (the schema), then measure from there.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let size = || std::fs::metadata(&path).unwrap().len();
    let before = size();
    for chat in 0..500 {
        let _lock = storage.lock_chat(chat).await;
        storage
            .clone()
            .update_dialogue(ChatId(chat), checking())
            .await
            .unwrap();
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while size() == before && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(size() > before, "the log was merged within a few seconds");
    storage.close().await;
    let log = folder.path().join("states.db-wal");
    assert!(
        std::fs::metadata(&log).map_or(0, |meta| meta.len()) == 0,
        "closing empties the log"
    );
}

/// Two storages on one Redis, as two replicas have.
async fn two_replicas_on(server: &RedisServer) -> (Arc<DialogueStorage>, Arc<DialogueStorage>) {
    let ttl = Duration::from_secs(3600);
    let choice = StorageChoice::Redis(server.url.clone());
    (
        DialogueStorage::open(&choice, ttl).await.unwrap(),
        DialogueStorage::open(&choice, ttl).await.unwrap(),
    )
}

/// A handler can outlast the Redis chat lock's 10 s lifetime: a Bot API call that meets a 5xx is
/// paused 10 s inside teloxide. The lock is renewed while its holder runs, so a second replica
/// never takes the chat meanwhile, and it takes it at once when the first lets go.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_chat_lock_held_longer_than_its_lifetime_stays_held() {
    let Some(server) = RedisServer::start_or_skip() else {
        return;
    };
    let (one, two) = two_replicas_on(&server).await;
    let held = one.lock_chat(4242).await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    let taken = tokio::time::timeout(Duration::from_millis(500), two.lock_chat(4242)).await;
    assert!(
        taken.is_err(),
        "the other replica took the chat while its lock was held"
    );
    drop(held);
    let taken = tokio::time::timeout(Duration::from_secs(2), two.lock_chat(4242)).await;
    assert!(taken.is_ok(), "released, the chat is free at once");
}

/// A holder whose Redis lock ran out (its replica was cut off from Redis, or stalled, for the
/// lock's lifetime) must not overwrite what the lock's next holder wrote: the write is fenced by
/// the lock's token in the same Redis script.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_by_a_holder_whose_redis_lock_ran_out_is_refused() {
    let Some(server) = RedisServer::start_or_skip() else {
        return;
    };
    let (one, two) = two_replicas_on(&server).await;
    let chat = ChatId(4343);
    let stale = one.lock_chat(chat.0).await;
    // The lock's key runs out, as it would after 10 s without a renewal.
    let _: () = redis::cmd("DEL")
        .arg(format!("spotcheck:lock:{}", chat.0))
        .query(&mut server.connection())
        .unwrap();
    let current = tokio::time::timeout(Duration::from_secs(2), two.lock_chat(chat.0))
        .await
        .expect("the lock is free once its key is gone");
    let mut finished = checking();
    if let State::Checking(check) = finished {
        finished = State::Finished(check);
    }
    two.clone().update_dialogue(chat, finished.clone()).await.unwrap();

    let refused = one.clone().update_dialogue(chat, checking()).await;
    assert!(
        matches!(refused, Err(StorageError::NotLocked)),
        "the stale holder wrote: {refused:?}"
    );
    let refused = one.clone().remove_dialogue(chat).await;
    assert!(matches!(refused, Err(StorageError::NotLocked)), "{refused:?}");
    assert_eq!(
        two.clone().get_dialogue(chat).await.unwrap(),
        Some(finished),
        "the current holder's state stands"
    );
    // The stale holder's next renewal (every 3 s) finds the lock gone.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while stale.is_held() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!stale.is_held(), "the lost lock is known as lost");
    assert!(current.is_held());
}

/// Two bots on one Redis keep apart: the same chat id has a check, settings and reminders in
/// each, and forgetting it in one leaves the other's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_bots_share_one_redis_without_seeing_each_others_chats() {
    let Some(server) = RedisServer::start_or_skip() else {
        return;
    };
    let choice = StorageChoice::Redis(server.url.clone());
    let ttl = Duration::from_secs(3600);
    let one = DialogueStorage::open_for_bot(&choice, ttl, "1111:A")
        .await
        .unwrap();
    let two = DialogueStorage::open_for_bot(&choice, ttl, "2222:B")
        .await
        .unwrap();
    let chat = ChatId(55);
    let now = SystemClock.now();
    for (storage, language) in [(&one, "fr"), (&two, "es")] {
        let _lock = storage.lock_chat(chat.0).await;
        storage.clone().update_dialogue(chat, checking()).await.unwrap();
        let settings = ChatSettings {
            language: Some(language.into()),
            country: None,
        };
        storage.save_settings(chat.0, &settings).await.unwrap();
        storage
            .add_reminder(chat.0, now, language.as_bytes(), 3)
            .await
            .unwrap();
    }
    one.forget_chat(chat.0).await.unwrap();
    assert_eq!(one.clone().get_dialogue(chat).await.unwrap(), Some(State::Idle));
    assert_eq!(two.clone().get_dialogue(chat).await.unwrap(), Some(checking()));
    assert_eq!(two.settings(chat.0).await.language.as_deref(), Some("es"));
    let claimed = two.claim_due_reminders(now + 10, now + 1000, 10).await.unwrap();
    assert_eq!(
        claimed
            .iter()
            .map(|reminder| reminder.payload.clone())
            .collect::<Vec<_>>(),
        [b"es".to_vec()],
        "the second bot sends its own reminder alone"
    );
    assert!(one
        .claim_due_reminders(now + 10, now + 1000, 10)
        .await
        .unwrap()
        .is_empty());
    // Every key of each bot carries its id; none is left without one.
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query(&mut server.connection())
        .unwrap();
    assert!(
        keys.iter()
            .all(|key| key.starts_with("spotcheck:1111:") || key.starts_with("spotcheck:2222:")),
        "{keys:?}"
    );
}

/// An upgrade from a version whose keys had no bot id: the bot adopts them at start, so a check
/// in progress, the settings and a pending reminder (with its id counter) carry on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_adopts_the_redis_keys_an_older_version_left() {
    let Some(server) = RedisServer::start_or_skip() else {
        return;
    };
    let choice = StorageChoice::Redis(server.url.clone());
    let ttl = Duration::from_secs(3600);
    let older = DialogueStorage::open(&choice, ttl).await.unwrap();
    let chat = ChatId(66);
    let now = SystemClock.now();
    {
        let _lock = older.lock_chat(chat.0).await;
        older.clone().update_dialogue(chat, checking()).await.unwrap();
    }
    let settings = ChatSettings {
        language: Some("fr".into()),
        country: Some("fr".into()),
    };
    older.save_settings(chat.0, &settings).await.unwrap();
    let kept = older
        .add_reminder(chat.0, now, b"kept", 3)
        .await
        .unwrap()
        .unwrap();

    let bot = DialogueStorage::open_for_bot(&choice, ttl, "3333:C")
        .await
        .unwrap();
    assert_eq!(bot.clone().get_dialogue(chat).await.unwrap(), Some(checking()));
    assert_eq!(bot.settings(chat.0).await, settings);
    let pending = bot.reminders_of(chat.0).await.unwrap();
    assert_eq!(pending.iter().map(|r| r.id).collect::<Vec<_>>(), [kept]);
    let next = bot
        .add_reminder(chat.0, now + 1, b"new", 3)
        .await
        .unwrap()
        .unwrap();
    assert!(next > kept, "ids carry on: {next} after {kept}");
    let claimed = bot.claim_due_reminders(now + 10, now + 1000, 10).await.unwrap();
    assert_eq!(claimed.len(), 2, "both reminders are due and claimed");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query(&mut server.connection())
        .unwrap();
    assert!(
        keys.iter().all(|key| key.starts_with("spotcheck:3333:")),
        "an older key left behind: {keys:?}"
    );
    // A second replica starting after the first finds nothing more to adopt, and loses nothing.
    let replica = DialogueStorage::open_for_bot(&choice, ttl, "3333:C")
        .await
        .unwrap();
    assert_eq!(replica.reminders_of(chat.0).await.unwrap().len(), 2);
}

/// The bot warns at start when Redis would lose its data on a restart; it asks Redis whether
/// `appendonly` is on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whether_redis_keeps_every_write_is_read_from_redis() {
    let ttl = Duration::from_secs(60);
    let Some(plain) = RedisServer::start_or_skip() else {
        return;
    };
    let storage = DialogueStorage::open(&StorageChoice::Redis(plain.url.clone()), ttl)
        .await
        .unwrap();
    assert_eq!(storage.redis_appends_every_write().await, Some(false));
    let persistent = RedisServer::start_persistent_or_skip().unwrap();
    let storage = DialogueStorage::open(&StorageChoice::Redis(persistent.url.clone()), ttl)
        .await
        .unwrap();
    assert_eq!(storage.redis_appends_every_write().await, Some(true));
    let memory = DialogueStorage::open(&StorageChoice::Memory, ttl).await.unwrap();
    assert_eq!(memory.redis_appends_every_write().await, None);
}
