//! The dialogue storages, each against the real thing: a SQLite file, a Redis server, memory.

mod support;

use std::sync::Arc;
use std::time::Duration;

use spotcheck::bot::{Check, DialogueStorage, State, StorageChoice};
use spotcheck::triage::{SavedAnswer, SavedSession};
use support::redis::RedisServer;
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
        None,
        "{choice:?}: empty at first"
    );
    storage.clone().update_dialogue(chat, checking()).await.unwrap();
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        Some(checking()),
        "{choice:?}: round trip"
    );
    assert!(storage.ping().await);
    // An idle chat keeps no row.
    storage.clone().update_dialogue(chat, State::Idle).await.unwrap();
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        None,
        "{choice:?}: idle stores nothing"
    );
    // Expiry: a state older than the TTL is gone, and sweeping deletes it.
    storage.clone().update_dialogue(chat, checking()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        storage.clone().get_dialogue(chat).await.unwrap(),
        None,
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
    storage.clone().remove_dialogue(ChatId(78)).await.unwrap();
    assert_eq!(storage.clone().get_dialogue(chat).await.unwrap(), None);
}

#[tokio::test]
async fn memory_storage() {
    check_storage(StorageChoice::Memory).await;
}

#[tokio::test]
async fn sqlite_storage() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("states.db").display().to_string();
    check_storage(StorageChoice::Sqlite(path)).await;
}

#[tokio::test]
async fn redis_storage() {
    let server = RedisServer::start();
    check_storage(StorageChoice::Redis(server.url.clone())).await;
}

#[tokio::test]
async fn unreadable_states_are_reported_not_errors() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("states.db").display().to_string();
    let storage = DialogueStorage::open(&StorageChoice::Sqlite(path.clone()), Duration::from_secs(60))
        .await
        .unwrap();
    storage
        .clone()
        .update_dialogue(ChatId(5), checking())
        .await
        .unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{path}"))
        .await
        .unwrap();
    sqlx::query("UPDATE dialogues SET state = ?")
        .bind(b"{\"state\":\"from_the_future\"}".to_vec())
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        storage.clone().get_dialogue(ChatId(5)).await.unwrap(),
        Some(State::Unreadable)
    );
}
