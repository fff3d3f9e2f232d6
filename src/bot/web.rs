//! The bot's HTTP side: the webhook Telegram posts updates to (webhook mode), and the operator
//! endpoints `/healthz` and `/metrics`, all on one axum server (`SPOTCHECK_LISTEN`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use teloxide::types::AllowedUpdate;
use teloxide::update_listeners::{webhooks, UpdateListener};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::config::Webhook;
use super::metrics::METRICS;
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
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        METRICS.render(),
    )
}

/// The webhook: registers it with Telegram (with the secret and exactly the update kinds the
/// bot handles) and returns the listener the dispatcher reads and the route Telegram posts to.
/// The route answers 401 to a request without the secret (teloxide's handler checks it).
///
/// Stopping a replica does not delete the webhook: the other replicas still serve it.
pub async fn webhook(
    bot: &Tg,
    webhook: &Webhook,
    listen: SocketAddr,
    allowed_updates: Vec<AllowedUpdate>,
) -> Result<(impl UpdateListener<Err = std::convert::Infallible>, Router), teloxide::RequestError> {
    bot.set_webhook(webhook.url.clone(), webhook.secret.clone(), allowed_updates)
        .await?;
    let options = webhooks::Options::new(listen, webhook.url.clone()).secret_token(webhook.secret.clone());
    let (listener, _stopped, router) = webhooks::axum_no_setup(options);
    Ok((listener, router))
}

/// Serves `router` on `listen` until `stop` turns true, finishing requests in flight.
pub async fn serve(
    listen: SocketAddr,
    router: Router,
    mut stop: watch::Receiver<bool>,
) -> std::io::Result<JoinHandle<()>> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    log::info!("HTTP server listening on {}", listener.local_addr()?);
    Ok(tokio::spawn(async move {
        let stopped = async move {
            let _ = stop.wait_for(|&stopping| stopping).await;
        };
        if let Err(error) = axum::serve(listener, router)
            .with_graceful_shutdown(stopped)
            .await
        {
            log::error!("the HTTP server failed: {error}");
        }
    }))
}
