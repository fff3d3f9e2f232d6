//! Replicas in webhook mode sharing one real Redis server (issue #7). The test plays Telegram and
//! the load balancer: it builds updates with the fake Bot API server's builders and POSTs them
//! over real HTTP to one replica or the other; the replicas answer through the fake.

use std::sync::Arc;
use std::time::Duration;

use crate::support::answers::{one_case_per_level, presses_for};
use crate::support::fake_telegram::{FakeTelegram, Fault, Request};
use crate::support::harness::{is_advice, level_of, Harness, WAIT};
use crate::support::redis::RedisServer;
use crate::support::webhook::{deliver, free_port, http, next_step, WebhookTarget, SECRET, WEBHOOK_PATH};
use futures::future::join_all;
use serde_json::{json, Map, Value};
use spotcheck::bot::{Clock, DialogueStorage, ManualClock, StorageChoice, SystemClock, Webhook};

struct Replica {
    harness: Harness,
    /// The public listener: the webhook alone.
    port: u16,
    /// The operator endpoints.
    ops_port: u16,
}

impl WebhookTarget for Replica {
    fn port(&self) -> u16 {
        self.port
    }
}

async fn start_replica(fake: &FakeTelegram, redis: &RedisServer, clock: &ManualClock) -> Replica {
    let (port, ops_port) = (free_port(), free_port());
    let mut config = Harness::config(fake, StorageChoice::Redis(redis.url.clone()));
    config.webhook = Some(Webhook {
        url: format!("https://bot.example{WEBHOOK_PATH}").parse().unwrap(),
        secret: SECRET.into(),
        listen: ([127, 0, 0, 1], port).into(),
    });
    config.ops_listen = Some(([127, 0, 0, 1], ops_port).into());
    config.clock = Arc::new(clock.clone());
    let harness = Harness::start_config(fake.clone(), config).await;
    for _ in 0..500 {
        if http(ops_port, "GET", "/healthz", None, "").await.0 == 200 {
            return Replica {
                harness,
                port,
                ops_port,
            };
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the replica on port {port} never became healthy");
}

/// Two replicas on one Redis, sharing one clock (returned, to move it).
async fn two_replicas(fake: &FakeTelegram, redis: &RedisServer) -> ([Replica; 2], ManualClock) {
    let clock = ManualClock::starting_at(SystemClock.now());
    let replicas = [
        start_replica(fake, redis, &clock).await,
        start_replica(fake, redis, &clock).await,
    ];
    (replicas, clock)
}

/// A whole check through two replicas: each answer is tapped twice, and the two taps go to the
/// two replicas at the same moment. Returns the advice and the number of questions asked.
async fn double_tapped_check(
    fake: &FakeTelegram,
    replicas: &[Replica],
    chat: i64,
    facts: &Map<String, Value>,
) -> (String, usize) {
    double_tapped_check_with_faults(fake, replicas, chat, facts, &[]).await
}

/// As `double_tapped_check`; before the doubled taps on the n-th question (from 0), each
/// `(n, method, fault)` in `faults` is injected into the next call of that method.
async fn double_tapped_check_with_faults(
    fake: &FakeTelegram,
    replicas: &[Replica],
    chat: i64,
    facts: &Map<String, Value>,
    faults: &[(usize, &str, Fault)],
) -> (String, usize) {
    let protocol = &replicas[0].harness.dialogues.protocol;
    let mut seen = 0;
    let start = fake.private_text(chat, "/check");
    deliver(fake, &replicas[(chat % 2) as usize], start).await;
    let mut questions = 0;
    // A step held up by a 5xx comes after teloxide's 10 s pause and a retry.
    let wait = if faults.is_empty() { WAIT } else { 3 * WAIT };
    loop {
        let step = next_step(fake, chat, &mut seen, wait).await;
        if step.text().is_some_and(is_advice) {
            return (step.text().unwrap().to_string(), questions);
        }
        questions += 1;
        let message = step.message_id().expect("a sent question has an id");
        let data = step.callback_data();
        let question = data[0].split(':').nth(1).unwrap().to_string();
        // A checklist's items are tapped once each (a second tap would untick, as the keyboard
        // then shows); every answer that ends a question is tapped twice.
        let mut presses = presses_for(protocol, &question, facts);
        let last = presses.pop().expect("at least one press");
        for item in presses {
            let tap = fake.callback(chat, message, &format!("a:{question}:{item}"));
            deliver(fake, &replicas[0], tap).await;
        }
        for (_, method, fault) in faults.iter().filter(|(at, _, _)| *at == questions - 1) {
            fake.fail_next(method, fault.clone(), 1);
        }
        let press = format!("a:{question}:{last}");
        let taps = [
            fake.callback(chat, message, &press),
            fake.callback(chat, message, &press),
        ];
        join_all(
            taps.iter()
                .zip(replicas)
                .map(|(&tap, replica)| deliver(fake, replica, tap)),
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_share_checks_over_redis_and_double_taps_lose_nothing() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let fake = FakeTelegram::start().await;
    let (replicas, _clock) = two_replicas(&fake, &redis).await;
    let webhook = fake
        .requests()
        .into_iter()
        .find(|request| request.method == "setWebhook")
        .expect("the webhook is registered");
    assert_eq!(webhook.body["secret_token"], SECRET);
    let mut kinds: Vec<&str> = webhook.body["allowed_updates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "callback_query",
            "channel_post",
            "inline_query",
            "message",
            "my_chat_member"
        ]
    );

    // Eight people at once, two of each level, every tap doubled across the replicas.
    let cases = one_case_per_level();
    let runs = (0..8).map(|index| {
        let (facts, expected) = &cases[index % cases.len()];
        let (fake, replicas) = (&fake, &replicas);
        async move {
            let chat = 700 + index as i64;
            let (advice, questions) = double_tapped_check(fake, replicas, chat, facts).await;
            assert_eq!(level_of(&advice), *expected, "chat {chat}:\n{advice}");
            (chat, questions)
        }
    });
    let finished = join_all(runs).await;
    each_answer_applied_once(&fake, &finished, WAIT).await;

    let (status, metrics) = http(replicas[0].ops_port, "GET", "/metrics", None, "").await;
    assert_eq!(status, 200);
    for line in [
        "# TYPE spotcheck_updates_total counter",
        "spotcheck_updates_total{kind=\"callback_query\"}",
        "spotcheck_checks_finished_total{level=\"emergency\"}",
        "spotcheck_handler_seconds_bucket{le=\"+Inf\"}",
    ] {
        assert!(metrics.contains(line), "{line} missing from /metrics:\n{metrics}");
    }
    let started = metric(&metrics, "spotcheck_checks_started_total");
    assert!(
        started >= 4.0,
        "this replica started about half of the 8 checks: {started}"
    );
    // No label names a chat: a label value is a word (a level, an update kind), never a chat id.
    // (A bare "700" could be any figure: a count, or a histogram sum.)
    for chat in 700..708 {
        assert!(
            !metrics.contains(&format!("\"{chat}\"")),
            "chat {chat} named in the metrics:\n{metrics}"
        );
    }
    assert!(!metrics.contains("chat="), "a chat label in the metrics");
    for replica in replicas {
        replica.harness.stop().await;
    }
}

/// After double-tapped checks (chat, questions asked): each question was asked once, every tap
/// was answered once, and exactly one tap of each pair was applied (the other found its button
/// stale). Only requests the fake carried out count: one refused with a 5xx was tried again.
async fn each_answer_applied_once(fake: &FakeTelegram, finished: &[(i64, usize)], wait: Duration) {
    let mut all_questions = 0;
    for &(chat, questions) in finished {
        all_questions += questions;
        let sent = fake.sent_to(chat);
        let asked = sent
            .iter()
            .filter(|request| {
                request.method == "sendMessage"
                    && request.result().is_some()
                    && request.callback_data().iter().any(|data| data.starts_with("a:"))
            })
            .count();
        assert_eq!(asked, questions, "chat {chat}: each question asked once");
    }
    // The tap that loses the race waits for the chat's lock, held by the replica applying the
    // other tap, and is answered after that one's reply: the last pair's stale answer can come
    // after the advice. Wait for every tap to be answered before counting.
    let deadline = tokio::time::Instant::now() + wait;
    while fake.presses().answered < fake.presses().sent && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Button answers name no chat, so they are counted over all chats.
    let answers: Vec<Request> = fake
        .requests()
        .into_iter()
        .filter(|request| request.method == "answerCallbackQuery" && request.result().is_some())
        .collect();
    assert_eq!(answers.len(), 2 * all_questions, "every tap answered once");
    let stale = answers.iter().filter(|r| r.body.get("text").is_some()).count();
    assert_eq!(stale, all_questions, "exactly one tap of each pair applied");
    assert_eq!(fake.violations(), Vec::<String>::new());
}

/// A Bot API call that meets a 5xx is paused 10 s inside teloxide, while its handler holds the
/// chat's Redis lock, past the lock's 10 s lifetime. The twin tap on the other replica must
/// still wait for the lock (renewed while held), then find its button stale: a lapsed lock
/// would let both replicas apply the same answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn double_taps_across_replicas_through_5xx_pauses_apply_each_answer_once() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let fake = FakeTelegram::start().await;
    let (replicas, _clock) = two_replicas(&fake, &redis).await;
    let cases = one_case_per_level();
    // Each chat meets one 5xx (a JSON 502 on a question, an HTML 502 on settling an answer, a
    // 500 on a press's answer) right after one of its double taps. The faults go to the next
    // call of the method, whichever chat makes it: always one a double tap caused.
    let faults: [Vec<(usize, &str, Fault)>; 4] = [
        vec![(1, "sendMessage", Fault::ServerError(502))],
        vec![(2, "editMessageText", Fault::HtmlServerError(502))],
        vec![(1, "answerCallbackQuery", Fault::ServerError(500))],
        vec![(3, "sendMessage", Fault::ServerError(503))],
    ];
    let runs = cases
        .iter()
        .zip(&faults)
        .enumerate()
        .map(|(index, ((facts, expected), faults))| {
            let (fake, replicas) = (&fake, &replicas);
            async move {
                let chat = 720 + index as i64;
                let (advice, questions) =
                    double_tapped_check_with_faults(fake, replicas, chat, facts, faults).await;
                assert_eq!(level_of(&advice), *expected, "chat {chat}:\n{advice}");
                (chat, questions)
            }
        });
    let finished = join_all(runs).await;
    let injected = fake.injected_faults();
    assert_eq!(injected.len(), 4, "every fault was met: {injected:?}");
    each_answer_applied_once(&fake, &finished, 3 * WAIT).await;
    for replica in replicas {
        replica.harness.stop().await;
    }
}

fn metric(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} not in /metrics"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_request_without_the_secret_gets_401_from_replicas_on_redis() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let fake = FakeTelegram::start().await;
    let clock = ManualClock::starting_at(SystemClock.now());
    let replica = start_replica(&fake, &redis, &clock).await;
    let update = json!({"update_id": 1, "message": {"message_id": 1, "date": 0,
        "chat": {"id": 5, "type": "private", "first_name": "A"}, "text": "/check"}})
    .to_string();
    let (status, _) = http(replica.port, "POST", WEBHOOK_PATH, None, &update).await;
    assert_eq!(status, 401, "no secret");
    let (status, _) = http(replica.port, "POST", WEBHOOK_PATH, Some("guess"), &update).await;
    assert_eq!(status, 401, "a wrong secret");
    assert!(fake.sent_to(5).is_empty(), "nothing was acted on");
    let (status, body) = http(replica.ops_port, "GET", "/healthz", None, "").await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    replica.harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_due_while_two_replicas_share_redis_is_sent_once() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let fake = FakeTelegram::start().await;
    let (replicas, clock) = two_replicas(&fake, &redis).await;
    let chat = 790;
    let (facts, _) = &one_case_per_level()[3];
    let (advice, _) = double_tapped_check(&fake, &replicas, chat, facts).await;
    assert_eq!(level_of(&advice), "self_care");
    let advice_id = fake.last_bot_message_id(chat).unwrap();
    let press = fake.callback(chat, advice_id, "m:add:1h");
    deliver(&fake, &replicas[1], press).await;
    fake.wait_for(WAIT, |request| {
        request.chat_id() == Some(chat) && request.text().is_some_and(|text| text.contains("1 h"))
    })
    .await
    .expect("the reminder is confirmed");
    clock.advance(Duration::from_secs(3600));
    fake.wait_for(WAIT, |request| {
        request.method == "sendPhoto" && request.chat_id() == Some(chat)
    })
    .await
    .expect("the reminder is sent");
    // Once sent it is deleted; only then is it safe to jump past its lease (a reminder whose
    // sender died before deleting it is sent again when the lease ends, by design).
    let storage = DialogueStorage::open_for_bot(
        &StorageChoice::Redis(redis.url.clone()),
        Duration::from_secs(3600),
        fake.token(),
    )
    .await
    .unwrap();
    for _ in 0..500 {
        if storage.next_reminder_at().await.unwrap().is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        storage.next_reminder_at().await.unwrap(),
        None,
        "the sent reminder is deleted"
    );
    clock.advance(Duration::from_secs(3600));
    tokio::time::sleep(Duration::from_millis(800)).await;
    let photos = fake
        .sent_to(chat)
        .iter()
        .filter(|request| request.method == "sendPhoto")
        .count();
    assert_eq!(photos, 1, "one replica sent it, once");
    for replica in replicas {
        replica.harness.stop().await;
    }
}
