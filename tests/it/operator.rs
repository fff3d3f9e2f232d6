//! The operator endpoints (`SPOTCHECK_LISTEN`): `/healthz` through a Redis outage, and the Bot
//! API errors `/metrics` counts.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::support::answers::{one_case_per_level, presses_for};
use crate::support::fake_telegram::{FakeTelegram, Fault};
use crate::support::harness::{is_advice, level_of, question_id, Harness, WAIT};
use crate::support::people::{complete_check, Follower};
use crate::support::process::{bot_against, BotProcess};
use crate::support::redis::RedisServer;
use crate::support::webhook::{free_port, http};
use spotcheck::bot::StorageChoice;

/// How long one request to an operator endpoint may take before it counts as no answer: more
/// than `/healthz` waits for the storage (2 s).
const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// One GET: the status, or 0 when no answer came within `ANSWER_WITHIN`.
async fn status_of(port: u16, path: &str) -> u16 {
    tokio::time::timeout(ANSWER_WITHIN, http(port, "GET", path, None, ""))
        .await
        .map_or(0, |(status, _)| status)
}

/// Asks `path` until it answers `status`; returns how long that took.
async fn until_status(port: u16, path: &str, status: u16, limit: Duration) -> Duration {
    let started = Instant::now();
    let mut answers: Vec<(Duration, u16)> = Vec::new();
    loop {
        let asked = started.elapsed();
        let answer = status_of(port, path).await;
        if answer == status {
            return asked;
        }
        if answers.last().is_none_or(|&(_, last)| last != answer) {
            answers.push((asked, answer));
        }
        assert!(
            started.elapsed() < limit,
            "{path} did not answer {status} within {limit:?}; it answered (since when, what; 0 \
             is no answer within {ANSWER_WITHIN:?}): {answers:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A bot on Redis in polling mode, with its operator endpoints on a free port, once healthy.
async fn bot_on(redis: &RedisServer) -> (Harness, u16) {
    let fake = FakeTelegram::start().await;
    let port = free_port();
    let mut config = Harness::config(&fake, StorageChoice::Redis(redis.url.clone()));
    config.ops_listen = Some(([127, 0, 0, 1], port).into());
    let harness = Harness::start_config(fake, config).await;
    until_status(port, "/healthz", 200, WAIT).await;
    (harness, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_503_while_redis_hangs_and_200_when_it_answers_again() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let (harness, port) = bot_on(&redis).await;
    redis.pause();
    // Nothing answers on the open connection: each probe hears 503 in time, none hangs.
    for probe in 0..3 {
        let asked = Instant::now();
        assert_eq!(status_of(port, "/healthz").await, 503, "probe {probe}");
        eprintln!("probe {probe} while Redis hangs: 503 after {:?}", asked.elapsed());
    }
    redis.resume();
    let took = until_status(port, "/healthz", 200, WAIT).await;
    eprintln!("/healthz answered 200 {took:?} after Redis carried on");
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_names_a_failed_write_when_redis_is_full_and_metrics_count_it() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let (harness, port) = bot_on(&redis).await;
    redis.cap_memory(1);
    let (status, body) = http(port, "GET", "/healthz", None, "").await;
    assert_eq!(
        (status, body.trim()),
        (503, "storage unavailable: a write failed")
    );
    // A check started now cannot be saved either.
    harness.fake.private_text(8700, "/check");
    harness.next_message(8700).await;
    // Redis refuses the chat's lock (full); without it the check's state is not written.
    let saved_failed = r#"spotcheck_storage_errors_total{operation="write_check",kind="unlocked"}"#;
    let deadline = Instant::now() + WAIT;
    let metrics = loop {
        let (_, metrics) = http(port, "GET", "/metrics", None, "").await;
        if metrics.contains(saved_failed) || Instant::now() > deadline {
            break metrics;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for counted in [
        r#"spotcheck_storage_errors_total{operation="probe_write",kind="full"}"#,
        r#"spotcheck_storage_errors_total{operation="lock",kind="full"}"#,
        saved_failed,
    ] {
        assert!(metrics.contains(counted), "{counted} missing:\n{metrics}");
    }
    redis.cap_memory(0);
    until_status(port, "/healthz", 200, WAIT).await;
    harness.stop().await;
}

/// Waits until `/metrics` shows `line`, and returns the metrics.
async fn until_metrics_show(port: u16, line: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let (_, metrics) = http(port, "GET", "/metrics", None, "").await;
        if metrics.contains(line) {
            return metrics;
        }
        assert!(Instant::now() < deadline, "{line} missing:\n{metrics}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_redis_cannot_store_is_told_and_counted_and_can_be_set_once_it_has_room() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let (harness, port) = bot_on(&redis).await;
    let texts = &harness.dialogues.language("en").texts;
    let chat = 8710;
    let (facts, level) = &one_case_per_level()[3];
    let run = complete_check(&harness.fake, chat, facts, Duration::ZERO, WAIT)
        .await
        .unwrap_or_else(|stalled| panic!("{stalled}"));
    assert_eq!(level_of(run.text()), *level);
    // The advice is saved just after it is sent; fill Redis only once it is.
    redis
        .wait_for_state(chat, |state| state.contains(r#""state":"finished""#))
        .await;
    let mut follower = Follower::new(&harness.fake, chat);
    redis.cap_memory(1);
    harness.fake.callback(chat, run.advice_id(), "m:add:1h");
    let reply = follower.next_message(WAIT).await.expect("a reply to the press");
    assert_eq!(
        reply.text(),
        Some(texts.plain("bot-reminders-unavailable").as_str())
    );
    until_metrics_show(
        port,
        r#"spotcheck_storage_errors_total{operation="add_reminder",kind="full"}"#,
    )
    .await;
    redis.cap_memory(0);
    harness.fake.callback(chat, run.advice_id(), "m:add:1h");
    let reply = follower.next_message(WAIT).await.expect("a reply to the press");
    let set = texts.get("bot-reminder-set", &[("delay", "1 h")]);
    assert_eq!(reply.text(), Some(set.as_str()));
    assert!(
        harness.fake.unanswered_presses().is_empty(),
        "every press answered"
    );
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_503_when_redis_dies_and_200_soon_after_it_is_back() {
    let Some(mut redis) = RedisServer::start_or_skip() else {
        return;
    };
    let (harness, port) = bot_on(&redis).await;
    redis.kill();
    let took = until_status(port, "/healthz", 503, WAIT).await;
    eprintln!("/healthz answered 503 {took:?} after Redis was killed");
    // An outage long enough for the connection to give up its first round of reconnections.
    let outage = Instant::now();
    while outage.elapsed() < Duration::from_secs(12) {
        assert_eq!(status_of(port, "/healthz").await, 503, "Redis is still down");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    redis.restart();
    // With the redis crate's defaults (no timeouts, up to two minutes between reconnections)
    // this took 92.6 s after a 25 s outage; the storage caps the wait at a second.
    let took = until_status(port, "/healthz", 200, Duration::from_secs(5)).await;
    eprintln!("/healthz answered 200 {took:?} after Redis was back");
    harness.stop().await;
}

/// `/metrics`' counts of Bot API errors, by status.
async fn api_errors(port: u16) -> BTreeMap<String, u64> {
    let (status, metrics) = http(port, "GET", "/metrics", None, "").await;
    assert_eq!(status, 200);
    metrics
        .lines()
        .filter_map(|line| line.strip_prefix("spotcheck_bot_api_errors_total{code=\""))
        .filter_map(|rest| {
            let (code, count) = rest.split_once("\"} ")?;
            Some((code.to_string(), count.parse().ok()?))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_the_bot_api_errors_by_status() {
    // The counters are the process's, so the bot runs as a process of its own: no other test
    // adds to them.
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let _bot = BotProcess(
        bot_against(&fake, folder.path())
            .env("SPOTCHECK_DB", ":memory:")
            .env("SPOTCHECK_OPS_LISTEN", format!("127.0.0.1:{port}"))
            .spawn()
            .expect("the binary starts"),
    );
    fake.wait_for(WAIT, |request| request.method == "getUpdates")
        .await
        .expect("the bot polls");
    until_status(port, "/healthz", 200, WAIT).await;
    assert_eq!(api_errors(port).await, BTreeMap::new(), "no errors yet");

    // 429s on the first question (twice) and on the first button answer; one real HTTP 500 on
    // the first edit (only one: teloxide-core sleeps 10 s after any 5xx status,
    // `DELAY_ON_SERVER_ERROR` in its net/request.rs).
    let too_many = Fault::TooManyRequests { retry_after: 1 };
    fake.fail_next("sendMessage", too_many.clone(), 2);
    fake.fail_next("answerCallbackQuery", too_many, 1);
    fake.fail_next("editMessageText", Fault::ServerError(500), 1);
    // Then, on its retry, the HTML page a proxy in front of the Bot API sends.
    fake.fail_next("editMessageText", Fault::HtmlServerError(502), 1);
    let chat = 77;
    let (facts, level) = &one_case_per_level()[3];
    let protocol = &crate::support::dialogues().protocol;
    fake.private_text(chat, "/check");
    // The step after the two 5xx comes some 20 s late.
    let next_step = || {
        fake.wait_for(Duration::from_secs(40), |request| {
            request.method == "sendMessage"
                && request.chat_id() == Some(chat)
                && request.result().is_some()
                && (request.text().is_some_and(is_advice)
                    || request.callback_data().iter().any(|data| data.starts_with("a:")))
        })
    };
    let advice = loop {
        let step = next_step().await.expect("the check goes on");
        if step.text().is_some_and(is_advice) {
            break step.text().unwrap().to_string();
        }
        let question = question_id(&step);
        for option in presses_for(protocol, &question, facts) {
            fake.callback(
                chat,
                step.message_id().unwrap(),
                &format!("a:{question}:{option}"),
            );
        }
    };
    assert_eq!(level_of(&advice), *level, "the check completes: {advice}");

    let mut injected: BTreeMap<String, u64> = BTreeMap::new();
    for (_, _, fault) in fake.injected_faults() {
        let code = match fault {
            Fault::TooManyRequests { .. } => "429",
            Fault::ServerError(500) => "500",
            Fault::HtmlServerError(502) => "502",
            other => panic!("not injected here: {other:?}"),
        };
        *injected.entry(code.to_string()).or_default() += 1;
    }
    let expected = BTreeMap::from([
        ("429".to_string(), 3),
        ("500".to_string(), 1),
        ("502".to_string(), 1),
    ]);
    assert_eq!(injected, expected, "the fake answered these errors");
    // The edit refused twice, by Telegram (JSON) and by a proxy (HTML), was retried until done.
    let edits: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|request| request.method == "editMessageText" && request.chat_id() == Some(chat))
        .take(3)
        .collect();
    assert_eq!(edits.len(), 3, "the edit was tried three times");
    assert!(
        edits
            .iter()
            .all(|edit| edit.body["message_id"] == edits[0].body["message_id"]),
        "the same edit each time"
    );
    assert!(edits[2].result().is_some(), "the third attempt went through");
    // A count goes up when the bot reads the error, a moment after the fake recorded it.
    let deadline = Instant::now() + WAIT;
    let mut counted = api_errors(port).await;
    while counted != expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        counted = api_errors(port).await;
    }
    assert_eq!(counted, expected, "/metrics counts each failed attempt by status");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_show_the_process_memory_cpu_and_open_files_in_prometheus_text() {
    // The process figures are the bot's own, so it runs as a process of its own.
    let fake = FakeTelegram::start().await;
    let folder = tempfile::tempdir().unwrap();
    let port = free_port();
    let bot = BotProcess(
        bot_against(&fake, folder.path())
            .env("SPOTCHECK_DB", ":memory:")
            .env("SPOTCHECK_OPS_LISTEN", format!("127.0.0.1:{port}"))
            .spawn()
            .expect("the binary starts"),
    );
    until_status(port, "/healthz", 200, WAIT).await;
    let (status, metrics) = http(port, "GET", "/metrics", None, "").await;
    assert_eq!(status, 200);
    assert_prometheus_text(&metrics);

    let pid = bot.0.id();
    let resident = metric(&metrics, "process_resident_memory_bytes");
    let resident_by_proc = proc_status_kib(pid, "VmRSS:") * 1024.0;
    assert!(
        (resident - resident_by_proc).abs() < 16.0 * 1024.0 * 1024.0,
        "resident memory {resident} bytes; /proc says {resident_by_proc}"
    );
    let open = metric(&metrics, "process_open_fds");
    let open_by_proc = std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count() as f64;
    assert!(
        open >= 3.0 && (open - open_by_proc).abs() <= 8.0,
        "open files {open}; /proc lists {open_by_proc}"
    );
    let cpu = metric(&metrics, "process_cpu_seconds_total");
    assert!(
        cpu > 0.0,
        "start-up (the protocol's verification) took CPU: {cpu}"
    );
    let started = metric(&metrics, "process_start_time_seconds");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - started).abs() < 120.0, "started at {started}, now {now}");
}

/// One sample's value: the first line that is `name value` (no labels).
fn metric(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} not in /metrics:\n{metrics}"))
}

/// A figure in kiB from `/proc/<pid>/status`.
fn proc_status_kib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|line| line.starts_with(field)).unwrap();
    line[field.len()..]
        .trim()
        .trim_end_matches(" kB")
        .trim()
        .parse()
        .unwrap()
}

/// Prometheus' text format (0.0.4) as a scraper reads it: every sample belongs to a family
/// declared by `# TYPE` before it, and its value is a number.
fn assert_prometheus_text(metrics: &str) {
    let mut families: Vec<(&str, &str)> = Vec::new();
    for line in metrics.lines() {
        if let Some(declared) = line.strip_prefix("# TYPE ") {
            let (name, kind) = declared.split_once(' ').expect("# TYPE name kind");
            families.push((name, kind));
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample is `series value`");
        assert!(value.parse::<f64>().is_ok(), "not a number: {line}");
        let name = series.split('{').next().unwrap();
        let family = families.iter().find(|(family, kind)| {
            name == *family
                || (*kind == "histogram"
                    && ["_bucket", "_sum", "_count"]
                        .iter()
                        .any(|suffix| name.strip_suffix(suffix) == Some(family)))
        });
        assert!(family.is_some(), "a sample of no declared family: {line}");
    }
    for (name, kind) in ["process_cpu_seconds_total", "spotcheck_checks_started_total"]
        .iter()
        .zip(["counter", "counter"])
    {
        assert!(
            families.contains(&(name, kind)),
            "{name} is not a {kind}:\n{metrics}"
        );
    }
}
