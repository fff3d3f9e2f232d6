//! Playing Telegram for a bot in webhook mode: updates built by the fake Bot API server are posted
//! over real HTTP to the bot's webhook, with the secret. Shared by tests/it/replicas.rs and
//! benches/replicas.rs.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::fake_telegram::{FakeTelegram, Request};
use super::harness::is_advice;

pub const SECRET: &str = "replica-test-secret";
pub const WEBHOOK_PATH: &str = "/telegram/webhook";

/// Something listening for webhook posts on a local port.
pub trait WebhookTarget {
    fn port(&self) -> u16;
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request, by hand (the tests have no HTTP client): (status, body).
pub async fn http(port: u16, method: &str, path: &str, secret: Option<&str>, body: &str) -> (u16, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)).await else {
        return (0, String::new());
    };
    let secret = secret.map_or_else(String::new, |secret| {
        format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n")
    });
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{secret}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
    (status, body)
}

/// Takes an update the fake built (its queue is never polled in webhook mode) and posts it to a
/// replica, as Telegram would.
pub async fn deliver(fake: &FakeTelegram, replica: &impl WebhookTarget, update_id: i64) {
    let update = fake.take_update(update_id).expect("the update was built");
    let (status, _) = http(
        replica.port(),
        "POST",
        WEBHOOK_PATH,
        Some(SECRET),
        &update.to_string(),
    )
    .await;
    assert_eq!(status, 200, "the replica took the update");
}

/// The bot's next step in a chat after `seen` requests, within `wait`: a question or the advice.
pub async fn next_step(fake: &FakeTelegram, chat: i64, seen: &mut usize, wait: Duration) -> Request {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let requests = fake.requests();
        let found = requests.iter().enumerate().skip(*seen).find(|(_, request)| {
            request.method == "sendMessage"
                && request.chat_id() == Some(chat)
                && request.result().is_some()
                && (request.text().is_some_and(is_advice)
                    || request.callback_data().iter().any(|data| data.starts_with("a:")))
        });
        if let Some((index, request)) = found {
            *seen = index + 1;
            return request.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "chat {chat} stalled");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
