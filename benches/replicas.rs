//! Throughput of one replica against two sharing one Redis, in webhook mode (issue #7).
//!
//! `REPLICA_USERS=200 REPLICA_CONCURRENCY=40 cargo bench --bench replicas`
//!
//! For 1 and then 2 replicas: a fresh `redis-server`, the fake Bot API server, and the real
//! `spotcheck` binary as separate processes (webhook mode, pacing off). The bench plays Telegram
//! and the load balancer: N people (`REPLICA_USERS`), C at a time (`REPLICA_CONCURRENCY`), each do a
//! whole check by buttons; every update is posted over HTTP with the secret to a replica chosen
//! round robin by update id. A person presses as soon as the question is there. Printed per run:
//! updates per second, wall time, and each replica's CPU time per update.
//! Without `--bench` (as under `cargo test --benches`) a small smoke run is made instead.

// The integration tests' helpers, of which this bench uses a part.
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code)]
mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Map, Value};
use spotcheck::triage::Protocol;
use support::answers::{one_case_per_level, presses_for};
use support::dialogues;
use support::fake_telegram::FakeTelegram;
use support::harness::{is_advice, level_of};
use support::redis::RedisServer;
use support::webhook::{deliver, free_port, http, WebhookTarget, SECRET, WEBHOOK_PATH};

struct Replica {
    child: Child,
    port: u16,
}

impl WebhookTarget for Replica {
    fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Replica {
    /// CPU seconds (user + system) so far.
    fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<u64> = after
            .split_whitespace()
            .map(|field| field.parse().unwrap_or(0))
            .collect();
        // utime and stime are fields 14 and 15 of /proc/<pid>/stat; `after` starts at field 3.
        (fields.get(11).unwrap_or(&0) + fields.get(12).unwrap_or(&0)) as f64 / 100.0
    }
}

async fn start_replica(fake: &FakeTelegram, redis: &RedisServer) -> Replica {
    let port = free_port();
    let ops_port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_spotcheck"))
        .current_dir(std::env::temp_dir())
        .env_clear()
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.api_url())
        .env("REDIS_URL", &redis.url)
        .env(
            "SPOTCHECK_WEBHOOK_URL",
            format!("https://bot.example{WEBHOOK_PATH}"),
        )
        .env("SPOTCHECK_WEBHOOK_SECRET", SECRET)
        .env("SPOTCHECK_LISTEN", format!("127.0.0.1:{port}"))
        .env("SPOTCHECK_OPS_LISTEN", format!("127.0.0.1:{ops_port}"))
        .env("SPOTCHECK_THROTTLE", "off")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .expect("the bot binary starts");
    let replica = Replica { child, port };
    for _ in 0..1000 {
        if http(ops_port, "GET", "/healthz", None, "").await.0 == 200 {
            return replica;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("a replica never became healthy");
}

/// The newest message of the bot in a chat after `after`: a question (with its message id and
/// question id) or the advice.
fn newest_step(fake: &FakeTelegram, chat: i64, after: i64) -> Option<(i64, Value)> {
    fake.bot_messages(chat).into_iter().rev().find_map(|message| {
        let id = message["message_id"].as_i64()?;
        let is_question = message["reply_markup"]["inline_keyboard"]
            .to_string()
            .contains("\"a:");
        let is_final = message["text"].as_str().is_some_and(is_advice);
        (id > after && (is_question || is_final)).then_some((id, message))
    })
}

/// One person's whole check; returns the number of updates sent.
async fn check(
    fake: &FakeTelegram,
    replicas: &[Replica],
    protocol: &Protocol,
    chat: i64,
    facts: &Map<String, Value>,
    expected: &str,
) -> u64 {
    let pick = |update: i64| &replicas[update as usize % replicas.len()];
    let start = fake.private_text(chat, "/check");
    deliver(fake, pick(start), start).await;
    let (mut seen, mut updates) = (0, 1);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let Some((id, message)) = newest_step(fake, chat, seen) else {
            assert!(Instant::now() < deadline, "chat {chat} stalled");
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        };
        seen = id;
        if let Some(text) = message["text"].as_str().filter(|text| is_advice(text)) {
            assert_eq!(level_of(text), expected, "chat {chat}");
            return updates;
        }
        let data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let question = data.split(':').nth(1).unwrap_or_default().to_string();
        for option in presses_for(protocol, &question, facts) {
            let press = fake.callback(chat, id, &format!("a:{question}:{option}"));
            deliver(fake, pick(press), press).await;
            updates += 1;
        }
    }
}

struct Run {
    replicas: usize,
    updates: u64,
    wall: Duration,
    cpu: Vec<f64>,
}

async fn run(replica_count: usize, users: usize, concurrency: usize) -> Run {
    let redis = RedisServer::start();
    let fake = FakeTelegram::start().await;
    let mut replicas = Vec::new();
    for _ in 0..replica_count {
        replicas.push(start_replica(&fake, &redis).await);
    }
    let cpu_before: Vec<f64> = replicas.iter().map(Replica::cpu_seconds).collect();
    let cases = one_case_per_level();
    let dialogues = dialogues();
    let started = Instant::now();
    let updates: u64 = futures::stream::iter(0..users)
        .map(|person| {
            let (facts, expected) = &cases[person % cases.len()];
            check(
                &fake,
                &replicas,
                &dialogues.protocol,
                100_000 + person as i64,
                facts,
                expected,
            )
        })
        .buffer_unordered(concurrency)
        .fold(0, |total, updates| async move { total + updates })
        .await;
    let wall = started.elapsed();
    let cpu = replicas
        .iter()
        .zip(&cpu_before)
        .map(|(replica, before)| replica.cpu_seconds() - before)
        .collect();
    assert_eq!(fake.violations(), Vec::<String>::new());
    Run {
        replicas: replica_count,
        updates,
        wall,
        cpu,
    }
}

fn main() {
    let bench = std::env::args().any(|arg| arg == "--bench");
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(default)
    };
    let (users, concurrency) = if bench {
        (number("REPLICA_USERS", 200), number("REPLICA_CONCURRENCY", 40))
    } else {
        (8, 4)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{users} people, {concurrency} at a time, webhook mode, one Redis | {cores} CPUs");
    let mut throughput = Vec::new();
    for replicas in [1, 2] {
        let run = runtime.block_on(run(replicas, users, concurrency));
        let per_second = run.updates as f64 / run.wall.as_secs_f64();
        let cpu: Vec<String> = run
            .cpu
            .iter()
            .map(|seconds| {
                format!(
                    "{:.2} s ({:.3} ms/update)",
                    seconds,
                    seconds * 1000.0 / run.updates as f64
                )
            })
            .collect();
        println!(
            "  {} replica(s): {} updates in {:.2} s = {:.0} updates/s; replica CPU: {}",
            run.replicas,
            run.updates,
            run.wall.as_secs_f64(),
            per_second,
            cpu.join(", ")
        );
        throughput.push(per_second);
    }
    println!("  two against one: {:.2}x", throughput[1] / throughput[0]);
}
