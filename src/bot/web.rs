//! The bot's HTTP side: the webhook Telegram posts updates to (webhook mode, on the public
//! `SPOTCHECK_LISTEN`), and the operator endpoints `/healthz` and `/metrics` on their own
//! listener (`SPOTCHECK_OPS_LISTEN`, this machine only by default).
//!
//! The public listener assumes anyone can reach it: a request without the secret is refused
//! before its body is read, a body larger than an update is refused, and a client that sends its
//! headers or body too slowly is cut off, so nobody without the secret can hold memory or
//! connections.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use subtle::ConstantTimeEq;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{webhooks, UpdateListener};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::config::Webhook;
use super::metrics::{self, METRICS};
use super::storage::{DialogueStorage, Probe};
use super::telegram::Tg;

/// `/healthz` and `/metrics`. Neither says anything about any chat.
pub fn operator_routes(storage: Arc<DialogueStorage>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(storage)
}

/// How long `/healthz` waits for the storage. One that hangs is down too (a hung Redis, or one
/// the storage is still reconnecting to), and a probe should hear so before its own timeout
/// gives up (3 s in deploy/Dockerfile).
const STORAGE_ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// 200 when the storage answers a read and takes a write (within `STORAGE_ANSWER_WITHIN`), 503
/// naming what failed when it does not.
async fn healthz(State(storage): State<Arc<DialogueStorage>>) -> impl IntoResponse {
    match tokio::time::timeout(STORAGE_ANSWER_WITHIN, storage.probe()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n"),
        Ok(Err(Probe::Read)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage unavailable: a read failed\n",
        ),
        Ok(Err(Probe::Write)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage unavailable: a write failed\n",
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage unavailable: no answer\n",
        ),
    }
}

async fn metrics() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], METRICS.render())
}

/// The largest webhook request taken. An update is a few KiB (a message's text is at most 4,096
/// characters); 256 KiB leaves room for any update the bot asks for. Larger ones get 413.
pub const MAX_UPDATE_BYTES: usize = 256 * 1024;

/// How long a client may take to send a request's headers, and to send each part of its body.
/// Telegram sends an update in one go; a client this slow holds a connection for nothing.
pub const SLOW_CLIENT_CUTOFF: Duration = Duration::from_secs(5);

/// How long requests in flight may take to finish once the server is asked to stop.
const FINISH_WITHIN: Duration = Duration::from_secs(2);

/// The header Telegram sends the webhook secret in.
const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The webhook: registers it with Telegram (with the secret and exactly the update kinds the
/// bot handles) and returns the listener the dispatcher reads and the route Telegram posts to.
/// The route answers 401 to a request without the right secret before reading its body, compares
/// the secret in constant time, and answers 413 to a body over `MAX_UPDATE_BYTES`.
///
/// Stopping a replica does not delete the webhook: the other replicas still serve it.
pub async fn webhook(
    bot: &Tg,
    webhook: &Webhook,
    allowed_updates: Vec<AllowedUpdate>,
) -> Result<(impl UpdateListener<Err = std::convert::Infallible>, Router), teloxide::RequestError> {
    bot.set_webhook(webhook.url.clone(), webhook.secret.clone(), allowed_updates)
        .await?;
    let options =
        webhooks::Options::new(webhook.listen, webhook.url.clone()).secret_token(webhook.secret.clone());
    let (listener, _stopped, router) = webhooks::axum_no_setup(options);
    let secret: Arc<[u8]> = webhook.secret.as_bytes().into();
    let router = router
        // On the webhook's route only: anything else keeps its 404 or 405.
        .route_layer(middleware::from_fn(skip_unreadable))
        .layer(DefaultBodyLimit::max(MAX_UPDATE_BYTES))
        .layer(middleware::from_fn(move |request, next| {
            require_secret(secret.clone(), request, next)
        }));
    Ok((listener, router))
}

/// Passes on a body that reads as an update. teloxide's route logs one that does not with its
/// whole text, a person's message perhaps; here it is logged by its id, and taken (200), so
/// that Telegram does not send it again.
async fn skip_unreadable(request: Request, next: Next) -> Response {
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_UPDATE_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if serde_json::from_slice::<teloxide::types::Update>(&bytes).is_err() {
        let id = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|update| update.get("update_id")?.as_i64());
        super::intake::skip_unreadable(id);
        return StatusCode::OK.into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// Lets a request through only with the webhook secret; its body is not read otherwise.
async fn require_secret(secret: Arc<[u8]>, request: Request, next: Next) -> Response {
    let sent = request
        .headers()
        .get(SECRET_HEADER)
        .map(|value| value.as_bytes())
        .unwrap_or_default();
    // Equal lengths first (the length of a secret is no secret); then every byte, in constant time.
    if sent.len() == secret.len() && bool::from(sent.ct_eq(&secret)) {
        next.run(request).await
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

/// A server bound to its address, before it serves.
pub struct Bound {
    listener: tokio::net::TcpListener,
    pub address: SocketAddr,
}

/// Binds `listen` (a port of 0 takes a free one), so a taken address stops start-up at once.
pub async fn bind(listen: SocketAddr) -> std::io::Result<Bound> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let address = listener.local_addr()?;
    Ok(Bound { listener, address })
}

/// Serves `router` until `stop` turns true, then lets requests in flight finish (for at most
/// `FINISH_WITHIN`). HTTP/1.1 only, as Telegram and probes speak it; a client that sends its
/// headers, or any part of its body, slower than `SLOW_CLIENT_CUTOFF` is cut off.
pub fn serve(
    bound: Bound,
    name: &'static str,
    router: Router,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    log::info!("{name} listening on {}", bound.address);
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        SLOW_CLIENT_CUTOFF,
    ));
    tokio::spawn(async move {
        let connections = hyper_util::server::graceful::GracefulShutdown::new();
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(SLOW_CLIENT_CUTOFF);
        let stopped = async move {
            let _ = stop.wait_for(|&stopping| stopping).await;
        };
        tokio::pin!(stopped);
        loop {
            tokio::select! {
                accepted = bound.listener.accept() => {
                    let stream = match accepted {
                        Ok((stream, _)) => stream,
                        Err(error) => {
                            // Out of file descriptors, say: pause rather than spin.
                            log::warn!("{name}: cannot accept a connection: {error}");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            continue;
                        }
                    };
                    let service = TowerToHyperService::new(router.clone());
                    let connection = connections.watch(http.serve_connection(TokioIo::new(stream), service));
                    tokio::spawn(async move {
                        // A client that hangs up or is cut off is no error of the bot's.
                        let _ = connection.await;
                    });
                }
                () = &mut stopped => break,
            }
        }
        drop(bound.listener);
        if tokio::time::timeout(FINISH_WITHIN, connections.shutdown())
            .await
            .is_err()
        {
            log::warn!("{name}: requests still in flight were dropped at shutdown");
        }
    })
}
