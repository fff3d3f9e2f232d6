//! The operator endpoints (`SPOTCHECK_LISTEN`): `/healthz` through a Redis outage.

mod support;

use std::time::{Duration, Instant};

use spotcheck::bot::StorageChoice;
use support::fake_telegram::FakeTelegram;
use support::harness::{Harness, WAIT};
use support::redis::RedisServer;
use support::webhook::{free_port, http};

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
    config.listen = Some(([127, 0, 0, 1], port).into());
    let harness = Harness::start_config(fake, config).await;
    until_status(port, "/healthz", 200, WAIT).await;
    (harness, port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_503_while_redis_hangs_and_200_when_it_answers_again() {
    let redis = RedisServer::start();
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
async fn healthz_answers_503_when_redis_dies_and_200_once_it_is_back() {
    let mut redis = RedisServer::start();
    let (harness, port) = bot_on(&redis).await;
    redis.kill();
    let took = until_status(port, "/healthz", 503, WAIT).await;
    eprintln!("/healthz answered 503 {took:?} after Redis was killed");
    redis.restart();
    // The storage's connection reconnects when it is next used, with waits between tries (the
    // redis crate's defaults: about 1 s, then a minute or more). Redis is back before that here.
    let took = until_status(port, "/healthz", 200, Duration::from_secs(150)).await;
    eprintln!("/healthz answered 200 {took:?} after Redis was back");
    harness.stop().await;
}
