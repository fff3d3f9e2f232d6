//! Re-check reminders (issue #6). Below advice that is not an emergency the bot offers to come
//! back after one of `SPOTCHECK_REMINDER_DELAYS`; when the time comes it asks for the glass test
//! again, and the answer revises the finished check through the triage core.
//!
//! Reminders are rows in the dialogue storage, so they survive restarts and are shared by
//! replicas. One scheduler task sleeps until the earliest is due (or until a new one is added);
//! nothing is held in memory per reminder.

use std::sync::Arc;
use std::time::Duration;

use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;
use teloxide::RequestError;

use super::clock::Millis;
use super::context::Context;
use super::metrics::METRICS;
use super::storage::Reminder;
use super::telegram::{markup, Tg};
use crate::content::catalogue::{BOT_REMINDER_DUE, BOT_REMINDER_LATE};
use crate::conversation::{duration_text, recheck_buttons, Check, State};
use crate::triage::SavedSession;

/// How long a claimed reminder is left to its sender before it may be claimed again (after a
/// crash, or while the person is in the middle of another check).
const LEASE: Duration = Duration::from_secs(120);
/// The longest the scheduler sleeps without looking: another replica may add an earlier one.
const MAX_NAP: Duration = Duration::from_secs(60);
/// Reminders claimed at a time.
const BATCH: usize = 50;
/// Reminders of a batch sent at once. One at a time, each waited its turn in the pacing queue
/// behind everyone's replies: with 50 people re-checking at Telegram's overall limit, the last
/// reminders of a batch of 50 came over 15 s late. Each holds only its own chat's lock.
const SENT_AT_ONCE: usize = 16;
/// A reminder sent later than this after its time says it is late.
const LATE_AFTER: Duration = Duration::from_secs(60);

/// What a reminder keeps: the finished check it will re-check, in the language it was given.
#[derive(Serialize, Deserialize)]
struct Payload {
    session: SavedSession,
    language: String,
}

/// A reminder's stored payload (public for the load bench, which pre-fills reminders).
pub fn payload(session: &SavedSession, language: &str) -> Vec<u8> {
    let payload = Payload {
        session: session.clone(),
        language: language.to_string(),
    };
    // Serialising these plain structs cannot fail.
    serde_json::to_vec(&payload).unwrap_or_default()
}

/// Sends reminders as they come due, until the task is aborted.
pub async fn run_scheduler(bot: Tg, context: Arc<Context>) {
    let reminders = &context.reminders;
    loop {
        let now = reminders.clock.now();
        let claimed = context
            .storage
            .claim_due_reminders(now, now + LEASE.as_millis() as Millis, BATCH)
            .await;
        let batch_was_full = match claimed {
            Ok(due) => {
                let full = due.len() == BATCH;
                stream::iter(due)
                    .for_each_concurrent(SENT_AT_ONCE, |reminder| deliver(&bot, &context, reminder, now))
                    .await;
                full
            }
            Err(error) => {
                log::warn!("could not read the due reminders: {error}");
                tokio::time::sleep(Duration::from_secs(1)).await;
                false
            }
        };
        if batch_was_full {
            continue;
        }
        let nap_until = match context.storage.next_reminder_at().await {
            Ok(Some(next)) if next <= now => {
                // Added between the claim and now; take it on the next round, after a breath.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Ok(next) => next.map_or(now + MAX_NAP.as_millis() as Millis, |next| {
                next.min(now + MAX_NAP.as_millis() as Millis)
            }),
            Err(error) => {
                log::warn!("could not read the next reminder's time: {error}");
                now + 1000
            }
        };
        tokio::select! {
            () = reminders.clock.sleep_until(nap_until) => {}
            () = reminders.wake.notified() => {}
        }
    }
}

/// Sends one claimed reminder and deletes it. A reminder that cannot be sent now stays claimed
/// and comes back when the lease ends.
async fn deliver(bot: &Tg, context: &Arc<Context>, reminder: Reminder, now: Millis) {
    let chat = ChatId(reminder.chat);
    // The person may be pressing a button in this chat right now.
    let lock = context.storage.lock_chat(reminder.chat).await;
    if !lock.is_held() {
        // Redis refused the lock: the re-check could not be stored, so nothing is sent now, and
        // the reminder comes back when its lease ends.
        log::warn!("a reminder waits: its chat's lock could not be taken");
        return;
    }
    // While this waited for the lock, the person (or a replica) may have cancelled the reminder
    // or forgotten the chat: then it is not sent, and nothing is stored again.
    match context.storage.reminders_of(reminder.chat).await {
        Ok(pending) if pending.iter().any(|still| still.id == reminder.id) => {}
        Ok(_) => {
            log::debug!("a claimed reminder was cancelled or forgotten meanwhile; not sent");
            return;
        }
        Err(error) => {
            log::warn!("could not look a reminder up again; it will be tried later: {error}");
            return;
        }
    }
    let Ok(payload) = serde_json::from_slice::<Payload>(&reminder.payload) else {
        log::warn!("dropped a reminder this build cannot read");
        finish(context, reminder.id).await;
        return;
    };
    // Someone in the middle of a check is not interrupted, and a chat whose state the storage
    // cannot read now is not overwritten: the reminder comes a little later.
    if let Ok(Some(State::Checking(_) | State::Unavailable)) =
        context.storage.clone().get_dialogue(chat).await
    {
        log::debug!("a reminder waits: its chat is in the middle of a check, or its storage is away");
        let later = now + LEASE.as_millis() as Millis;
        if let Err(error) = context.storage.postpone_reminder(reminder.id, later).await {
            log::warn!("could not postpone a reminder: {error}");
        }
        return;
    }
    let settings = context.storage.settings(reminder.chat).await;
    let language = context.language(settings.language.as_deref().or(Some(&payload.language)));
    let texts = &language.texts;
    let mut text = texts.text(BOT_REMINDER_DUE);
    let lateness = Duration::from_millis(now.saturating_sub(reminder.due_at));
    if lateness > LATE_AFTER {
        let late = texts.with(BOT_REMINDER_LATE, [&duration_text(texts, lateness)]);
        text = format!("{late}\n\n{text}");
    }
    let buttons = markup(&recheck_buttons(language));
    let picture = context.dialogues.protocol.recheck.as_ref().and_then(|recheck| {
        context.dialogues.protocol.questions[recheck.question]
            .picture
            .clone()
    });
    match context
        .post(bot, chat, text, picture.as_deref(), buttons, None)
        .await
    {
        Ok(sent) => {
            let check = Check {
                session: payload.session,
                language: language.code.clone(),
                message_id: Some(sent.id.0),
                ticked: Vec::new(),
            };
            if let Err(error) = context
                .storage
                .clone()
                .update_dialogue(chat, State::Rechecking(check))
                .await
            {
                log::warn!("a reminder was sent but its re-check could not be stored: {error}");
            }
            log::info!("reminder sent");
            METRICS.reminder_sent();
            finish(context, reminder.id).await;
        }
        // Telegram refused it for good (the person blocked the bot, the chat is gone).
        Err(RequestError::Api(error)) => {
            log::info!("a reminder could not be delivered and is dropped: {error}");
            finish(context, reminder.id).await;
        }
        Err(error) => log::warn!("a reminder could not be sent yet; it will be tried again: {error}"),
    }
}

async fn finish(context: &Context, id: i64) {
    if let Err(error) = context.storage.finish_reminder(id).await {
        log::warn!("a sent reminder could not be deleted: {error}");
    }
}
