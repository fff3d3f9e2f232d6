//! A cap on how many of one chat's updates may wait in the dispatcher, applied before it.
//!
//! teloxide's dispatcher queues each chat's updates for that chat's worker, and while one chat
//! has 64 waiting it stops handing out updates to everyone (`Dispatcher::process_update` awaits
//! room in the full queue). Flood control (`flood.rs`) sees an update only when its turn comes,
//! and a flooding chat's turns are slow when Telegram paces its replies (about one message a
//! second per chat), so a flood could fill that queue and make everyone else wait seconds. Here,
//! a chat's updates beyond `MAX_WAITING` are dropped on arrival, before the dispatcher. No person
//! has that many updates waiting: each waits for the reply to the one before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures::future::ready;
use futures::stream::{BoxStream, StreamExt};
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

use super::metrics::METRICS;

/// Far below the dispatcher's 64, far above what a person can have waiting.
pub const MAX_WAITING: u32 = 16;

/// How many updates of each chat are waiting for their turn. Chats with none are not kept.
#[derive(Debug, Default)]
pub struct Backlog {
    waiting: Mutex<HashMap<i64, u32>>,
}

impl Backlog {
    /// Whether an arriving update may join its chat's queue (and if so, counts it).
    pub fn admit(&self, update: &Update) -> bool {
        let Some(chat) = queue_of(update) else {
            return true;
        };
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        let count = waiting.entry(chat).or_default();
        if *count >= MAX_WAITING {
            return false;
        }
        *count += 1;
        true
    }

    /// The update's turn has come: the handler tree has started on it.
    pub fn started(&self, update: &Update) {
        let Some(chat) = queue_of(update) else {
            return;
        };
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = waiting.get_mut(&chat) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                waiting.remove(&chat);
            }
        }
    }
}

/// The queue teloxide puts an update in: its chat's (`DefaultKey`); others run at once.
fn queue_of(update: &Update) -> Option<i64> {
    update.chat().map(|chat| chat.id.0)
}

/// An update listener whose updates pass the backlog cap first.
pub struct Capped<L> {
    listener: L,
    backlog: Arc<Backlog>,
}

impl<L> Capped<L> {
    pub fn new(listener: L, backlog: Arc<Backlog>) -> Capped<L> {
        Capped { listener, backlog }
    }
}

impl<'a, L> AsUpdateStream<'a> for Capped<L>
where
    L: AsUpdateStream<'a>,
    L::StreamErr: Send + 'a,
{
    type StreamErr = L::StreamErr;
    type Stream = BoxStream<'a, Result<Update, L::StreamErr>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let backlog = self.backlog.clone();
        self.listener
            .as_stream()
            .filter(move |item| {
                let admitted = match item {
                    Ok(update) => backlog.admit(update),
                    Err(_) => true,
                };
                if !admitted {
                    METRICS.update_dropped_as_flood();
                    log::debug!("a chat has {MAX_WAITING} updates waiting; dropped another");
                }
                ready(admitted)
            })
            .boxed()
    }
}

impl<L> UpdateListener for Capped<L>
where
    L: UpdateListener,
    L::Err: Send + 'static,
{
    type Err = L::Err;

    fn stop_token(&mut self) -> StopToken {
        self.listener.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.listener.hint_allowed_updates(hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_from(chat: i64) -> Update {
        let update: Update = serde_json::from_str(&format!(
            r#"{{"update_id": 1, "message": {{"message_id": 1, "date": 0, "text": "hello",
                "chat": {{"id": {chat}, "type": "private", "first_name": "A"}},
                "from": {{"id": {chat}, "is_bot": false, "first_name": "A"}}}}}}"#
        ))
        .expect("a valid update");
        assert!(update.chat().is_some(), "{update:?}");
        update
    }

    #[test]
    fn a_chat_may_have_sixteen_waiting_and_no_more() {
        let backlog = Backlog::default();
        let flood = text_from(1);
        let admitted = (0..40).filter(|_| backlog.admit(&flood)).count();
        assert_eq!(admitted, MAX_WAITING as usize);
        assert!(backlog.admit(&text_from(2)), "another chat is not held up");
        backlog.started(&flood);
        assert!(backlog.admit(&flood), "room again once one has started");
        assert!(!backlog.admit(&flood));
    }

    #[test]
    fn chats_with_nothing_waiting_are_forgotten() {
        let backlog = Backlog::default();
        let update = text_from(3);
        for _ in 0..3 {
            assert!(backlog.admit(&update));
        }
        for _ in 0..3 {
            backlog.started(&update);
        }
        assert!(backlog.waiting.lock().unwrap().is_empty());
    }
}
