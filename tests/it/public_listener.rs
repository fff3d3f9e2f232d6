//! The webhook's public listener (`SPOTCHECK_LISTEN`) as anyone on the internet can reach it: a
//! request without the secret is refused before its body is read, a body larger than an update is
//! refused, a client that sends too slowly is cut off, and the operator endpoints are not there.

use std::time::{Duration, Instant};

use spotcheck::bot::{StorageChoice, Webhook};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::fake_telegram::FakeTelegram;
use crate::support::harness::{Harness, WAIT};
use crate::support::webhook::{free_port, http, SECRET, WEBHOOK_PATH};

/// What the server's slow-client cut-off (5 s) may take, with room for a busy machine.
const CUT_OFF_WITHIN: Duration = Duration::from_secs(9);

/// A bot in webhook mode on memory storage: (harness, public port, operator port).
async fn webhook_bot() -> (Harness, u16, u16) {
    let fake = FakeTelegram::start().await;
    let (port, ops_port) = (free_port(), free_port());
    let mut config = Harness::config(&fake, StorageChoice::Memory);
    config.webhook = Some(Webhook {
        url: format!("https://bot.example{WEBHOOK_PATH}").parse().unwrap(),
        secret: SECRET.into(),
        listen: ([127, 0, 0, 1], port).into(),
    });
    config.ops_listen = Some(([127, 0, 0, 1], ops_port).into());
    let harness = Harness::start_config(fake, config).await;
    let started = Instant::now();
    while http(ops_port, "GET", "/healthz", None, "").await.0 != 200 {
        assert!(started.elapsed() < WAIT, "the bot never became healthy");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(started.elapsed() < WAIT, "the webhook never listened");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    (harness, port, ops_port)
}

/// Sends `head` (a request's start line and headers, without the blank line) and `body`, then
/// reads what the server says within `within`: (status, how long it took). Status 0 means the
/// server closed the connection without an answer; `None` means it said nothing in time.
async fn exchange(port: u16, head: &str, body: &[u8], within: Duration) -> Option<(u16, Duration)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let started = Instant::now();
    stream.write_all(head.as_bytes()).await.unwrap();
    // A server that refuses early may close before the body is all sent; that is its right.
    let _ = stream.write_all(body).await;
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout(within.saturating_sub(started.elapsed()), stream.read(&mut chunk)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(read)) => {
                response.extend_from_slice(&chunk[..read]);
                if response.windows(4).any(|window| window == b"\r\n\r\n") {
                    break;
                }
            }
        }
    }
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    Some((status, started.elapsed()))
}

/// Sends one request on a kept-alive connection, reads its answer, then waits: how long after
/// the answer the server closed the connection, or `None` if it still held it after
/// `CUT_OFF_WITHIN`.
async fn idle_after_one_request(port: u16) -> Option<Duration> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(post_head(None, 0).as_bytes()).await.unwrap();
    let mut chunk = [0u8; 4096];
    let read = stream.read(&mut chunk).await.unwrap();
    assert!(
        String::from_utf8_lossy(&chunk[..read]).starts_with("HTTP/1.1 401"),
        "the request is answered"
    );
    let answered = Instant::now();
    loop {
        match tokio::time::timeout(CUT_OFF_WITHIN, stream.read(&mut chunk)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(answered.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

fn post_head(secret: Option<&str>, length: usize) -> String {
    let secret = secret.map_or_else(String::new, |secret| {
        format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n")
    });
    format!(
        "POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         {secret}Content-Length: {length}\r\n\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_the_secret_is_refused_before_its_body_is_read() {
    let (harness, port, _) = webhook_bot().await;
    // 50 MB announced, 1 KiB sent: a server that read the body first would wait for the rest.
    for secret in [None, Some("guess"), Some(&SECRET[..SECRET.len() - 1])] {
        let answer = exchange(
            port,
            &post_head(secret, 50_000_000),
            &[b' '; 1024],
            Duration::from_secs(3),
        )
        .await;
        let (status, took) = answer.unwrap_or_else(|| panic!("{secret:?}: no answer within 3 s"));
        assert_eq!(status, 401, "{secret:?}");
        eprintln!("secret {secret:?}: 401 after {took:?} with 1 KiB of a 50 MB body sent");
    }
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_larger_than_an_update_gets_413_and_an_update_is_taken() {
    let (harness, port, _) = webhook_bot().await;
    let padding = "x".repeat(300 * 1024);
    let oversized = format!(r#"{{"update_id": 1, "padding": "{padding}"}}"#);
    let (status, _) = http(port, "POST", WEBHOOK_PATH, Some(SECRET), &oversized).await;
    assert_eq!(status, 413, "300 KiB");
    let update = serde_json::json!({"update_id": 2, "message": {"message_id": 1, "date": 0,
        "chat": {"id": 6, "type": "private", "first_name": "A"}, "text": "/check"}})
    .to_string();
    let (status, _) = http(port, "POST", WEBHOOK_PATH, Some(SECRET), &update).await;
    assert_eq!(status, 200, "an update with the secret is taken");
    harness.next_question(6).await;
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_too_slowly_is_cut_off() {
    let (harness, port, _) = webhook_bot().await;
    // Headers begun and never finished.
    let head = format!("POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    let (status, took) = exchange(port, &head, b"", CUT_OFF_WITHIN)
        .await
        .expect("a client that never finishes its headers is cut off");
    eprintln!("unfinished headers: cut off after {took:?} (status {status})");
    // The secret and headers sent, then 10 of 1,000 body bytes and silence.
    let (status, took) = exchange(
        port,
        &post_head(Some(SECRET), 1000),
        b"{\"update_",
        CUT_OFF_WITHIN,
    )
    .await
    .expect("a client that stops sending its body is cut off");
    assert_ne!(status, 200, "a body never finished is not taken");
    eprintln!("unfinished body: cut off after {took:?} (status {status})");
    // A connection opened and never used.
    let (_, took) = exchange(port, "", b"", CUT_OFF_WITHIN)
        .await
        .expect("a connection that never sends a byte is cut off");
    eprintln!("silent connection: cut off after {took:?}");
    // A kept-alive connection left idle after its answer.
    let took = idle_after_one_request(port)
        .await
        .expect("an idle kept-alive connection is cut off");
    eprintln!("idle kept-alive connection: cut off {took:?} after its answer");
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_endpoints_are_not_on_the_public_listener() {
    let (harness, port, ops_port) = webhook_bot().await;
    for path in ["/healthz", "/metrics"] {
        let (status, body) = http(port, "GET", path, None, "").await;
        assert_ne!(status, 200, "{path} on the public listener: {body}");
        let (status, _) = http(port, "GET", path, Some(SECRET), "").await;
        assert_ne!(status, 200, "{path} on the public listener, even with the secret");
        let (status, _) = http(ops_port, "GET", path, None, "").await;
        assert_eq!(status, 200, "{path} on the operator listener");
    }
    // The webhook's path takes a POST of an update, nothing else.
    let (status, _) = http(port, "GET", WEBHOOK_PATH, Some(SECRET), "").await;
    assert_eq!(status, 405, "GET on the webhook's path");
    harness.stop().await;
}
