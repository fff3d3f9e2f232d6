//! The defaults people get: pacing on (teloxide's `Throttle`, about one message a second per
//! chat, `SPOTCHECK_THROTTLE` unset), SQLite, and people who tap the moment a question arrives.
//! The bot's own pace must never be taken for a person's flood, a real flood must not hold up
//! anyone else, a muted chat must carry on by itself, and no press may be left with a spinner
//! (issue 20).
//!
//! Each test prints its figures (time from a press to the bot's next question or advice) on
//! stderr: `cargo test --test it pacing:: -- --nocapture`.

use std::time::{Duration, Instant};

use crate::support::fake_telegram::{FakeTelegram, Presses, Request};
use crate::support::harness::{level_of, question_id, Harness};
use crate::support::people::{
    answer_until_advice, complete_check, is_advice, is_question, is_send, requests_in, CheckRun, Follower,
};
use crate::support::vignettes::{self, Vignette};
use serde_json::{json, Map, Value};
use spotcheck::bot::{Clock, ManualClock, StorageChoice, SystemClock};
use spotcheck::content::Dialogues;

/// How long a person waits for one step before the test calls the check stalled. Paced, a step
/// is an edit and a send in one chat: about a second.
const PATIENCE: Duration = Duration::from_secs(15);
const HOUR: Duration = Duration::from_secs(3600);

/// A bot as deployed: paced, on an SQLite file in a folder of its own.
async fn start_paced(fake: FakeTelegram, clock: Option<&ManualClock>) -> (Harness, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let database = folder.path().join("spotcheck.db");
    let mut config = Harness::config(&fake, StorageChoice::Sqlite(database.display().to_string()));
    config.throttle = true;
    if let Some(clock) = clock {
        config.clock = std::sync::Arc::new(clock.clone());
    }
    (Harness::start_config(fake, config).await, folder)
}

/// How many questions a check with these facts asks, by the triage core.
fn questions_asked(dialogues: &Dialogues, facts: &Map<String, Value>) -> usize {
    let (session, _) = crate::support::answers::check_in_core(&dialogues.protocol, facts);
    session.answers().len()
}

/// Every kind of ending: the shortest emergency (a red flag at once), the longest path (a well
/// person through every question), and a vignette of each level.
fn paths(dialogues: &Dialogues) -> Vec<Vignette> {
    let all: Vec<Vignette> = vignettes::by_id().into_values().collect();
    let by_length = |vignette: &&Vignette| questions_asked(dialogues, &vignette.facts);
    let earliest_emergency = all
        .iter()
        .filter(|vignette| vignette.expected == "emergency")
        .min_by_key(by_length)
        .expect("an emergency vignette");
    let longest = all.iter().max_by_key(by_length).expect("a vignette");
    let mut chosen = vec![earliest_emergency.clone(), longest.clone()];
    for level in ["emergency", "urgent", "routine", "self_care"] {
        chosen.extend(
            all.iter()
                .filter(|vignette| vignette.expected == level)
                .take(1)
                .cloned(),
        );
    }
    chosen
}

/// An adult, well, whose spots fade: self-care advice, which offers a re-check reminder.
fn fading_spots() -> Map<String, Value> {
    json!({ "age_years": 30, "fever": false, "blanching": "fades", "days_present": 0.5 })
        .as_object()
        .cloned()
        .unwrap()
}

fn flood_notice(harness: &Harness) -> String {
    harness.dialogues.language("en").texts.plain("bot-flood")
}

fn flood_notices_to(harness: &Harness, chat: i64) -> usize {
    let notice = flood_notice(harness);
    harness
        .fake
        .sent_to(chat)
        .iter()
        .filter(|request| request.text() == Some(notice.as_str()))
        .count()
}

/// Waits until the bot has answered every press it was sent (or `within` passes), and gives
/// the count.
async fn presses_once_settled(harness: &Harness, within: Duration) -> Presses {
    let deadline = Instant::now() + within;
    loop {
        let presses = harness.fake.presses();
        if presses.answered == presses.sent || Instant::now() >= deadline {
            return presses;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every press answered, exactly once (a second answer is a violation in the fake).
async fn assert_every_press_answered(harness: &Harness) -> Presses {
    let presses = presses_once_settled(harness, Duration::from_secs(5)).await;
    assert!(presses.sent > 0, "the test pressed buttons");
    assert_eq!(presses.answered, presses.sent, "{presses:?}: some left spinning");
    presses
}

/// Press-to-reply times, as p50 / p99 / max.
struct Waits {
    steps: usize,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

impl Waits {
    fn of<'a>(runs: impl IntoIterator<Item = &'a CheckRun>) -> Waits {
        let mut waits: Vec<Duration> = runs
            .into_iter()
            .flat_map(|run| run.waits.iter().copied())
            .collect();
        waits.sort();
        let at = |fraction: f64| {
            let index = ((waits.len() as f64 * fraction).ceil() as usize).saturating_sub(1);
            waits.get(index).copied().unwrap_or_default()
        };
        Waits {
            steps: waits.len(),
            p50: at(0.5),
            p99: at(0.99),
            max: waits.last().copied().unwrap_or_default(),
        }
    }
}

impl std::fmt::Display for Waits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
        write!(
            f,
            "{} steps, p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
            self.steps,
            ms(self.p50),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// Each person in turn (or all at once) does a whole check, pressing the moment each question
/// arrives. Returns each person's run or why it stalled.
async fn checks_at_machine_speed(
    harness: &Harness,
    people: &[(i64, Vignette)],
) -> Vec<Result<CheckRun, String>> {
    let tasks: Vec<_> = people
        .iter()
        .map(|(chat, vignette)| {
            let fake = harness.fake.clone();
            let (chat, facts) = (*chat, vignette.facts.clone());
            tokio::spawn(async move { complete_check(&fake, chat, &facts, Duration::ZERO, PATIENCE).await })
        })
        .collect();
    let mut runs = Vec::new();
    for task in tasks {
        runs.push(task.await.expect("the person's task"));
    }
    runs
}

/// Prints the figures, then asserts that every check ended at its level without a notice.
fn assert_all_completed(
    harness: &Harness,
    label: &str,
    people: &[(i64, Vignette)],
    runs: &[Result<CheckRun, String>],
) {
    let completed: Vec<&CheckRun> = runs.iter().filter_map(|run| run.as_ref().ok()).collect();
    eprintln!(
        "{label}: {} of {} checks completed, {} stalled; press to reply: {}",
        completed.len(),
        runs.len(),
        runs.len() - completed.len(),
        Waits::of(completed.iter().copied()),
    );
    for ((chat, vignette), run) in people.iter().zip(runs) {
        let run = run
            .as_ref()
            .unwrap_or_else(|stalled| panic!("{}: {stalled}", vignette.id));
        assert_eq!(level_of(run.text()), vignette.expected, "{}", vignette.id);
        assert_eq!(
            flood_notices_to(harness, *chat),
            0,
            "chat {chat} ({}) was taken for a flood",
            vignette.id
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_person_does_check_after_check_at_machine_speed() {
    let (harness, _folder) = start_paced(FakeTelegram::start().await, None).await;
    let people: Vec<(i64, Vignette)> = paths(&harness.dialogues)
        .into_iter()
        .map(|vignette| (7100, vignette))
        .collect();
    let mut runs = Vec::new();
    for person in &people {
        runs.extend(checks_at_machine_speed(&harness, std::slice::from_ref(person)).await);
    }
    assert_all_completed(&harness, "one person, check after check", &people, &runs);
    let presses = assert_every_press_answered(&harness).await;
    eprintln!("one person: {presses:?}");
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_people_at_once_at_machine_speed() {
    let (harness, _folder) = start_paced(FakeTelegram::start().await, None).await;
    let paths = paths(&harness.dialogues);
    let people: Vec<(i64, Vignette)> = (0..50)
        .map(|index| (7200 + index as i64, paths[index % paths.len()].clone()))
        .collect();
    let runs = checks_at_machine_speed(&harness, &people).await;
    assert_all_completed(&harness, "fifty people at once", &people, &runs);
    let presses = assert_every_press_answered(&harness).await;
    eprintln!("fifty people: {presses:?}");
    harness.assert_no_violations();
    harness.stop().await;
}

/// Finishes a check at self-care at machine speed and asks for a reminder in an hour. Returns
/// the follower, past the reminder's confirmation.
async fn check_then_ask_reminder(fake: &FakeTelegram, chat: i64) -> Result<Follower, String> {
    let run = complete_check(fake, chat, &fading_spots(), Duration::ZERO, PATIENCE).await?;
    assert_eq!(level_of(run.text()), "self_care", "{}", run.text());
    let mut follower = Follower::new(fake, chat);
    fake.callback(chat, run.advice_id(), "m:add:1h");
    follower
        .next(PATIENCE, |request| is_send(request) && request.delivered())
        .await
        .ok_or_else(|| {
            format!(
                "chat {chat}: the reminder was not confirmed: {:#?}",
                requests_in(fake, chat)
            )
        })?;
    Ok(follower)
}

/// The reminder comes; the person presses "feels worse" at once, and answers the new check at
/// machine speed, as the longest path's well person.
async fn re_check_at_machine_speed(mut follower: Follower, well: &Vignette) -> Result<CheckRun, String> {
    let chat = follower.chat;
    let reminder = follower
        .next(PATIENCE, |request| {
            request.method == "sendPhoto"
                && request.delivered()
                && request.callback_data().iter().any(|data| data == "r:worse")
        })
        .await
        .ok_or_else(|| {
            format!(
                "chat {chat}: no reminder: {:#?}",
                requests_in(&follower.fake, chat)
            )
        })?;
    let reminder_id = reminder.message_id().expect("a delivered reminder has an id");
    let fake = follower.fake.clone();
    let answering = answer_until_advice(follower, &well.facts, Duration::ZERO, PATIENCE);
    fake.callback(chat, reminder_id, "r:worse");
    answering.await
}

async fn reminders_then_re_checks(people: usize) {
    let clock = ManualClock::starting_at(SystemClock.now());
    let (harness, _folder) = start_paced(FakeTelegram::start().await, Some(&clock)).await;
    let well = paths(&harness.dialogues)[1].clone();
    let chats: Vec<i64> = (0..people as i64).map(|index| 7400 + index).collect();
    let asking: Vec<_> = chats
        .iter()
        .map(|&chat| {
            let fake = harness.fake.clone();
            tokio::spawn(async move { check_then_ask_reminder(&fake, chat).await })
        })
        .collect();
    let mut followers = Vec::new();
    for task in asking {
        followers.push(
            task.await
                .expect("the person's task")
                .unwrap_or_else(|stalled| panic!("{stalled}")),
        );
    }
    clock.advance(HOUR);
    let re_checking: Vec<_> = followers
        .into_iter()
        .map(|follower| {
            let well = well.clone();
            tokio::spawn(async move { re_check_at_machine_speed(follower, &well).await })
        })
        .collect();
    let mut runs = Vec::new();
    for task in re_checking {
        runs.push(task.await.expect("the person's task"));
    }
    let people: Vec<(i64, Vignette)> = chats.iter().map(|&chat| (chat, well.clone())).collect();
    assert_all_completed(
        &harness,
        &format!("{} re-check(s) after a reminder", chats.len()),
        &people,
        &runs,
    );
    assert_every_press_answered(&harness).await;
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_re_check_after_a_reminder_at_machine_speed() {
    reminders_then_re_checks(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_re_checks_after_reminders_at_machine_speed() {
    reminders_then_re_checks(50).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_mid_check_carries_on_by_itself_and_holds_up_no_one() {
    flood_mid_check(LastPress::OnTheNewestCopy).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_ending_in_a_stale_press_gets_the_current_question_again() {
    flood_mid_check(LastPress::OnAnOlderCopy).await;
}

/// Where the flooder's last press lands: on the newest copy of the current question (it acts),
/// or on the copy the newest one replaced (stale once the chat is calm).
#[derive(Clone, Copy, PartialEq)]
enum LastPress {
    OnTheNewestCopy,
    OnAnOlderCopy,
}

/// Mid-check, one chat sends 200 updates in a second (stale presses, texts, stickers), then
/// presses an answer to its current question while still muted; meanwhile another person does a
/// whole check at machine speed. The flooder gets one notice; once quiet for the calm period the
/// bot carries on by itself with that latest press: applied (the next question), or if stale, the
/// current question again; the flooder finishes the check; the other person is not held up.
async fn flood_mid_check(last_press: LastPress) {
    let (harness, _folder) = start_paced(FakeTelegram::start().await, None).await;
    let longest = paths(&harness.dialogues)[1].clone();
    let (flooder, neighbour) = (7600, 7601);

    // The flooder answers three questions, then floods.
    let mut follower = Follower::new(&harness.fake, flooder);
    harness.fake.private_text(flooder, "/check");
    let mut asked = None;
    for _ in 0..4 {
        if let Some(question) = asked.take() {
            press_answer(&harness, flooder, &question, &longest.facts);
        }
        asked = follower
            .next(PATIENCE, |request| is_question(request) && request.delivered())
            .await;
        assert!(asked.is_some(), "the flooder's check goes on before the flood");
    }
    let current = asked.expect("a question before the flood");
    let current_id = question_id(&current);

    let neighbour_check = tokio::spawn({
        let fake = harness.fake.clone();
        let facts = longest.facts.clone();
        async move { complete_check(&fake, neighbour, &facts, Duration::ZERO, PATIENCE).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let flood_started = Instant::now();
    let stale_question = current.message_id().expect("a delivered question") - 1;
    for index in 0..200 {
        match index % 10 {
            0 => harness.fake.sticker(flooder),
            1 => harness.fake.callback(flooder, stale_question, "a:red_flags:none"),
            _ => harness.fake.private_text(flooder, &format!("spam {index}")),
        };
        tokio::time::sleep(Duration::from_millis(4)).await;
    }
    let flood_took = flood_started.elapsed();
    assert!(
        flood_took < Duration::from_millis(1500),
        "the flood took {flood_took:?}"
    );
    // The flood's first update was handled: a nudge and the question again. The flooder answers
    // while the chat is still muted.
    let newest = follower
        .next(PATIENCE, |request| {
            is_question(request) && request.delivered() && question_id(request) == current_id
        })
        .await
        .expect("the question asked again after the flood's first update");
    let pressed_on = match last_press {
        LastPress::OnTheNewestCopy => &newest,
        LastPress::OnAnOlderCopy => &current,
    };
    press_answer(&harness, flooder, pressed_on, &longest.facts);
    let flood_ended = Instant::now();

    // The bot carries on by itself: the held-back answer is applied and the next question comes,
    // or, for a stale press, the current question comes once more.
    let next = follower
        .next(Duration::from_secs(30), |request| {
            is_question(request)
                && request.delivered()
                && (question_id(request) == current_id) == (last_press == LastPress::OnAnOlderCopy)
        })
        .await;
    let neighbour_run = neighbour_check
        .await
        .expect("the neighbour's task")
        .unwrap_or_else(|stalled| panic!("the neighbour stalled: {stalled}"));
    let neighbour_waits = Waits::of([&neighbour_run]);
    let carried_on_after = next
        .as_ref()
        .map(|request| request.at.saturating_duration_since(flood_ended));
    let notices = flood_notices_to(&harness, flooder);
    eprintln!(
        "flood: 200 updates in {flood_took:?}; carried on {carried_on_after:?} \
         after it was pressed; {notices} notice(s); the neighbour's check (longest path): {neighbour_waits}"
    );
    assert_eq!(notices, 1, "one notice");
    let next = next.unwrap_or_else(|| {
        panic!(
            "the bot did not carry on by itself: {:#?}",
            requests_in(&harness.fake, flooder)
        )
    });
    let after = next.at.saturating_duration_since(flood_ended);
    // Not before three seconds of quiet (`intake::CALM`), and within a few seconds after it (the
    // reply to the flood's first update, then the notice, are paced in the same chat).
    assert!(
        after >= Duration::from_secs(3) && after < Duration::from_secs(8),
        "{after:?}"
    );
    assert_eq!(level_of(neighbour_run.text()), longest.expected);
    // Paced, each of the neighbour's steps is an edit and a send in their chat: about a second
    // (measured: every step 1.0 s; 2.5 s leaves room for a busy CI machine). A dispatcher held
    // up by the flood would take 5 s or more.
    assert!(
        neighbour_waits.max < Duration::from_millis(2500),
        "{neighbour_waits}"
    );

    // The flooder finishes the check from there.
    press_answer(&harness, flooder, &next, &longest.facts);
    let run = answer_until_advice(follower, &longest.facts, Duration::ZERO, PATIENCE)
        .await
        .unwrap_or_else(|stalled| panic!("the flooder's check after the flood: {stalled}"));
    assert_eq!(level_of(run.text()), longest.expected);
    let presses = assert_every_press_answered(&harness).await;
    eprintln!("flood: {presses:?}");
    harness.assert_no_violations();
    harness.stop().await;
}

/// Presses the answer the facts give to a question the bot sent.
fn press_answer(harness: &Harness, chat: i64, question: &Request, facts: &Map<String, Value>) {
    let id = question_id(question);
    let message = question.message_id().expect("a delivered question");
    for option in crate::support::answers::presses_for(&harness.dialogues.protocol, &id, facts) {
        harness.fake.callback(chat, message, &format!("a:{id}:{option}"));
    }
}

/// An emergency phrase typed in the middle of a flood is not held back with the rest: the
/// emergency advice comes while the flood goes on, not after the calm period (clinical safety:
/// a red flag at any point gets the emergency advice at once).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_phrase_in_a_flood_is_answered_at_once() {
    let (harness, _folder) = start_paced(FakeTelegram::start().await, None).await;
    let chat = 7700;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.private_text(chat, "/check");
    follower
        .next(PATIENCE, |request| is_question(request) && request.delivered())
        .await
        .expect("the first question");
    // Five seconds of flood, the phrase early in it: held back, it could only come 3 s after the
    // flood's end; handled, it comes after the messages already on their way to the chat, each
    // paced at about one a second.
    let mut last_sent = Instant::now();
    let mut typed_at = last_sent;
    for index in 0..1000 {
        match index {
            // After the chat was muted (about the tenth update).
            30 => {
                typed_at = Instant::now();
                harness.fake.private_text(chat, "she is having a fit")
            }
            _ if index % 10 == 0 => harness.fake.sticker(chat),
            _ => harness.fake.private_text(chat, &format!("spam {index}")),
        };
        last_sent = Instant::now();
        tokio::time::sleep(Duration::from_millis(4)).await;
    }
    let advice = follower
        .next(Duration::from_secs(30), |request| {
            is_advice(request) && request.delivered()
        })
        .await
        .unwrap_or_else(|| panic!("no emergency advice: {:#?}", requests_in(&harness.fake, chat)));
    assert_eq!(level_of(advice.text().unwrap_or_default()), "emergency");
    let before_calm = (last_sent + Duration::from_secs(3)).saturating_duration_since(advice.at);
    eprintln!(
        "emergency phrase in a flood: advice {:?} after it was typed, {before_calm:?} before the \
         calm period would have ended",
        advice.at.saturating_duration_since(typed_at)
    );
    // Held back, it would come only once the chat had been quiet for 3 s (`intake::CALM`).
    assert!(
        advice.at < last_sent + Duration::from_secs(3),
        "{before_calm:?} {:#?}",
        requests_in(&harness.fake, chat)
    );
    assert_eq!(flood_notices_to(&harness, chat), 1);
    harness.assert_no_violations();
    harness.stop().await;
}
