//! Fault injection: the real bot against the fake Bot API server answering with 429s, 5xx and
//! dropped connections at random. Every check must end at its expected level, nothing may be
//! lost, and every question sent more than once must be explained by a failed attempt.
//!
//! The simulated people answer fast (300 ms a question), so pacing is off here:
//! with teloxide's `Throttle` a private chat gets at most 20 messages a minute, which a fast check
//! of 20 questions exceeds, and Telegram's own limits are tested in tests/it/abuse.rs with
//! people at a human pace. Set FAULTS_TRACE=1 to print every fault with its time.
//!
//! Two ways a connection can drop are modelled (tests/it/support/fake_telegram.rs): before Telegram
//! did anything (`Fault::Drop`: the honest "no answer, nothing happened"), and after it acted
//! (`Fault::AnswerLost`). The bot cannot tell them apart, so it retries both; the second then
//! shows the person the same question twice. Only the first copy's buttons are stale.
//!
//! A real HTTP 5xx costs a fixed 10 s pause inside teloxide-core (`net/request.rs`,
//! `DELAY_ON_SERVER_ERROR`), for every method; on `getUpdates` every chat waits, plus the
//! polling backoff (1 s, doubling). The random faults therefore send 5xx as Telegram's error
//! object with HTTP 200 (`Fault::QuickServerError`), which teloxide reports the same way, and one
//! test pays the real pause once.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::support::fake_telegram::{FakeTelegram, Fault, FaultRates, Request};
use crate::support::harness::{level_of, question_id};
use crate::support::people::{complete_check, is_advice, is_question, start_bot, Follower};
use crate::support::vignettes;

/// Fixed, so each chat meets the same faults in every run (see `FakeTelegram::fail_randomly`).
const SEED: u64 = 0x5107_C8EC;
const FAULTED: [&str; 5] = [
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "getUpdates",
];

fn rates(answer_lost: f64) -> FaultRates {
    FaultRates {
        too_many: 0.05,
        retry_after: 1,
        server_error: 0.05,
        drop: 0.02,
        answer_lost,
        methods: FAULTED.iter().map(|m| m.to_string()).collect(),
    }
}

/// A request Telegram refused or never answered: a reason for the bot to try again.
fn failed(request: &Request) -> bool {
    !request.delivered()
}

/// For each chat and text, the sends of that text; every copy but one must have failed.
fn unexplained_duplicates(requests: &[Request], chats: &[i64]) -> (Vec<String>, usize) {
    let mut by_text: BTreeMap<(i64, String), Vec<&Request>> = BTreeMap::new();
    for request in requests {
        let Some(chat) = request.chat_id().filter(|chat| chats.contains(chat)) else {
            continue;
        };
        if request.method == "sendMessage" {
            let text = request.text().unwrap_or_default().to_string();
            by_text.entry((chat, text)).or_default().push(request);
        }
    }
    let mut problems = Vec::new();
    let mut retries = 0;
    for ((chat, text), sends) in &by_text {
        retries += sends.len() - 1;
        let delivered = sends.iter().filter(|request| request.delivered()).count();
        let explained = sends.iter().filter(|request| failed(request)).count();
        if delivered != 1 || explained != sends.len() - 1 {
            let first_line = text.lines().next().unwrap_or_default();
            problems.push(format!(
                "chat {chat}: {first_line:?} sent {} times, {delivered} delivered: {:?}",
                sends.len(),
                sends.iter().map(|r| (&r.fault, r.error())).collect::<Vec<_>>()
            ));
        }
    }
    (problems, retries)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_people_finish_their_checks_through_random_faults() {
    let fake = FakeTelegram::start().await;
    fake.fail_randomly(rates(0.0), SEED);
    let harness = start_bot(fake, false).await;
    let mut people = Vec::new();
    for (level, count) in [("emergency", 3), ("urgent", 3), ("routine", 2), ("self_care", 2)] {
        people.extend(vignettes::at(level, count));
    }
    let started = Instant::now();
    let runs: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(index, vignette)| {
            let fake = harness.fake.clone();
            let facts = vignette.facts.clone();
            let chat = 9000 + index as i64;
            tokio::spawn(async move {
                let run = complete_check(
                    &fake,
                    chat,
                    &facts,
                    // A person reads before pressing.
                    Duration::from_millis(300),
                    Duration::from_secs(30),
                )
                .await;
                (chat, run)
            })
        })
        .collect();
    let mut chats = Vec::new();
    let mut slowest = Duration::ZERO;
    for (vignette, run) in people.iter().zip(runs) {
        let (chat, run) = run.await.unwrap();
        let run = run.unwrap_or_else(|stalled| panic!("vignette {}: {stalled}", vignette.id));
        assert_eq!(
            level_of(run.text()),
            vignette.expected,
            "vignette {} ended with:\n{}",
            vignette.id,
            run.text()
        );
        slowest = slowest.max(run.waits.iter().copied().max().unwrap_or_default());
        chats.push(chat);
    }
    let took = started.elapsed();
    let requests = harness.fake.requests();
    if std::env::var("FAULTS_TRACE").is_ok() {
        let origin = requests[0].at;
        for request in &requests {
            if request.fault.is_some() || request.method == "getUpdates" {
                eprintln!(
                    "{:>8.3} {} {:?} {:?} {:?}",
                    request.at.duration_since(origin).as_secs_f64(),
                    request.method,
                    request.chat_id(),
                    request.fault,
                    request.error()
                );
            }
        }
    }
    let (problems, retries) = unexplained_duplicates(&requests, &chats);
    assert!(
        problems.is_empty(),
        "sends no failed attempt explains:\n{}",
        problems.join("\n")
    );

    let mut injected: BTreeMap<String, usize> = BTreeMap::new();
    for (method, _, fault) in harness.fake.injected_faults() {
        let kind = match fault {
            Fault::TooManyRequests { .. } => "429",
            Fault::QuickServerError(_) | Fault::ServerError(_) => "500",
            Fault::Drop => "drop",
            _ => "other",
        };
        *injected.entry(format!("{method} {kind}")).or_default() += 1;
    }
    let total: usize = injected.values().sum();
    eprintln!(
        "{} checks in {took:?}; slowest step {slowest:?}; {} requests, {total} faults injected \
         {injected:?}; {retries} sends repeated after a failure",
        chats.len(),
        requests.len(),
    );
    assert!(total >= 20, "too few faults to mean anything: {injected:?}");
    // Violations can only be refusals of retries whose first try was lost, and none are here.
    assert_eq!(harness.fake.violations(), Vec::<String>::new());
    harness.fake.stop_failing();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_lost_after_telegram_acted_shows_the_question_twice() {
    let fake = FakeTelegram::start().await;
    let harness = start_bot(fake, true).await;
    let chat = 9100;
    let mut follower = Follower::new(&harness.fake, chat);
    // Telegram sends the first question, then the connection drops before the bot hears so.
    harness.fake.fail_next("sendMessage", Fault::AnswerLost, 1);
    harness.fake.private_text(chat, "/check");
    let first_copy = follower
        .next(Duration::from_secs(10), |request| request.method == "sendMessage")
        .await
        .expect("the first attempt");
    assert_eq!(first_copy.fault, Some(Fault::AnswerLost));
    let second_copy = follower
        .next_message(Duration::from_secs(10))
        .await
        .expect("the retry");
    assert_eq!(
        second_copy.text(),
        first_copy.text(),
        "the person sees the question twice"
    );
    let old = first_copy.message_id().expect("Telegram did send it");
    let current = second_copy.message_id().unwrap();
    assert_ne!(old, current);
    // The first copy's buttons are stale; the second copy's work.
    let stale = harness.dialogues.language("en").texts.plain("bot-stale-button");
    harness.fake.callback(chat, old, "a:red_flags:none");
    let answer = harness
        .fake
        .wait_for(Duration::from_secs(10), |request| {
            request.method == "answerCallbackQuery"
        })
        .await
        .expect("the press on the old copy is answered");
    assert_eq!(answer.body["text"].as_str(), Some(stale.as_str()));
    // The edit that settles the answered question, and the button answer, lose their answers
    // too: retried, Telegram refuses them as already done.
    harness.fake.fail_next("editMessageText", Fault::AnswerLost, 1);
    harness
        .fake
        .fail_next("answerCallbackQuery", Fault::AnswerLost, 1);
    harness.fake.callback(chat, current, "a:red_flags:none");
    let next = follower
        .next(Duration::from_secs(10), |request| {
            request.delivered() && is_question(request)
        })
        .await
        .expect("the check goes on");
    assert_eq!(question_id(&next), "age");
    // The retried button answer comes after the bot's backoff.
    let deadline = Instant::now() + Duration::from_secs(5);
    while harness.fake.violations().len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let violations = harness.fake.violations();
    assert_eq!(
        violations.len(),
        2,
        "exactly the two retries of requests Telegram had carried out: {violations:#?}"
    );
    assert!(
        violations[0].contains("message is not modified")
            || violations[1].contains("message is not modified")
    );
    assert!(violations.iter().any(|v| v.contains("query is too old")));
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_server_error_costs_teloxides_ten_second_pause_then_the_retry_works() {
    let fake = FakeTelegram::start().await;
    let harness = start_bot(fake, true).await;
    let chat = 9200;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.fail_next("sendMessage", Fault::ServerError(500), 1);
    let asked = Instant::now();
    harness.fake.private_text(chat, "/check");
    let question = follower
        .next(Duration::from_secs(20), |request| {
            request.delivered() && is_question(request)
        })
        .await
        .expect("the question arrives after the 500");
    let waited = asked.elapsed();
    eprintln!("one HTTP 500 on sendMessage delayed the question by {waited:?}");
    assert!(waited >= Duration::from_secs(10), "{waited:?}");
    assert!(waited < Duration::from_secs(13), "{waited:?}");
    assert_eq!(question_id(&question), "red_flags");
    let sends = harness
        .fake
        .requests()
        .into_iter()
        .filter(|request| request.method == "sendMessage" && request.chat_id() == Some(chat))
        .count();
    assert_eq!(sends, 2, "one failed, one retried");
    assert!(!is_advice(&question));
    harness.stop().await;
}

/// A call that meets a 5xx is paused 10 s inside teloxide before it reports the error. While 32
/// calls are paused so (as many as the old cap on calls in flight allowed), another person's
/// question still goes out at once: nothing waits for a slot a paused call holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_paused_after_a_5xx_do_not_hold_up_another_chat() {
    use crate::support::harness::{Harness, WAIT};
    use spotcheck::bot::StorageChoice;
    const PAUSED: i64 = 32;
    let harness = Harness::start(StorageChoice::Memory).await;
    harness
        .fake
        .fail_next("sendMessage", Fault::ServerError(502), PAUSED as usize);
    for chat in 1..=PAUSED {
        harness.fake.private_text(9_000 + chat, "/check");
    }
    let started = Instant::now();
    while harness.fake.injected_faults().len() < PAUSED as usize {
        assert!(started.elapsed() < WAIT, "the 5xx were not all met");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let asked = Instant::now();
    harness.fake.private_text(9_100, "/check");
    harness.next_question(9_100).await;
    let took = asked.elapsed();
    eprintln!("a question sent {took:?} after /check while {PAUSED} calls were paused by a 5xx");
    assert!(
        took < Duration::from_secs(5),
        "the question waited {took:?} behind calls paused for 10 s"
    );
    // The paused calls are retried, and every one of those people gets their question.
    // After teloxide's 10 s pause and the bot's back-off.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answered: std::collections::BTreeSet<i64> = harness
            .fake
            .requests()
            .iter()
            .filter(|request| request.method == "sendMessage" && request.result().is_some())
            .filter_map(Request::chat_id)
            .collect();
        let waiting: Vec<i64> = (1..=PAUSED)
            .map(|chat| 9_000 + chat)
            .filter(|chat| !answered.contains(chat))
            .collect();
        if waiting.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no question after the 5xx for {waiting:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    harness.stop().await;
}
