//! The Telegram adapter: a teloxide dispatcher over the triage core.
//!
//! `serve` runs the bot until a shutdown signal (`cli::bot` starts it; tests call it with a fake
//! Bot API server's address in the config).

mod clock;
mod config;
mod context;
mod groups;
mod intake;
mod metrics;
mod pictures;
mod private;
mod reminders;
mod schema;
mod storage;
mod telegram;
mod web;

use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::dialogue::{ErasedStorage, Storage};
use teloxide::error_handlers::ErrorHandler;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, BotCommand, BotCommandScope};
use teloxide::update_listeners::{Polling, UpdateListener};
use tokio::sync::{watch, Notify};

pub use clock::{Clock, ManualClock, Millis, SystemClock};
pub use config::{
    parse_duration, Config, ConfigError, ReminderDelay, StorageChoice, Webhook, DEFAULT_LISTEN,
};
pub use context::Context;
pub use groups::{parse_group_command, GroupCommand};
pub use reminders::payload as reminder_payload;
pub use schema::schema;
pub use storage::{DialogueStorage, Probe, Reminder, StorageError};
pub use telegram::Tg;

use crate::content::catalogue::{CMD_CHECK, CMD_FORGET, CMD_HELP, CMD_LEARN, CMD_PRIVACY, CMD_REMINDERS};
use crate::content::Dialogues;
use crate::conversation::State;

/// How long a shutdown may take before the process stops waiting (contract §6 allows 5 s).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// The long-poll timeout: short, so a shutdown never waits long for an open poll.
const POLL_TIMEOUT: Duration = Duration::from_secs(2);
/// How often expired states are deleted.
const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the storage: {0}")]
    Storage(#[from] StorageError),
    #[error("cannot listen on SPOTCHECK_LISTEN: {0}")]
    Listen(std::io::Error),
    #[error("cannot listen on SPOTCHECK_OPS_LISTEN (set it to a free address, e.g. 127.0.0.1:0 for any port): {0}")]
    OpsListen(std::io::Error),
    #[error("cannot build the HTTP client for the Bot API (TELOXIDE_PROXY?): {0}")]
    HttpClient(reqwest::Error),
    #[error("Telegram refused the webhook (SPOTCHECK_WEBHOOK_URL): {0}")]
    Webhook(teloxide::RequestError),
    #[error(
        "another process is polling Telegram with this bot token (409 Conflict), so this one stops. \
         Only one process may poll; to run several replicas, use webhook mode (SPOTCHECK_WEBHOOK_URL)."
    )]
    AnotherPoller,
}

/// The update kinds the handler tree handles, and so the only ones asked of Telegram.
const ALLOWED_UPDATES: [AllowedUpdate; 5] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::ChannelPost,
    AllowedUpdate::MyChatMember,
    AllowedUpdate::InlineQuery,
];

type BotDispatcher = Dispatcher<Bot, context::HandlerError, teloxide::dispatching::DefaultKey>;

/// Runs the bot until `shutdown` resolves, then stops within a few seconds.
pub async fn serve(
    config: Config,
    dialogues: Arc<Dialogues>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let storage = DialogueStorage::open_for_bot(&config.storage, config.state_ttl, &config.token).await?;
    let client = telegram::http_client(config.proxy.clone()).map_err(ServeError::HttpClient)?;
    let mut raw_bot = Bot::with_client(config.token.clone(), client);
    if let Some(url) = &config.api_url {
        raw_bot = raw_bot.set_api_url(url.clone());
    }
    let bot = if config.throttle {
        Tg::Paced(raw_bot.clone().throttle(group_limits()))
    } else {
        Tg::Direct(raw_bot.clone())
    };
    register_commands(&bot, &dialogues).await;
    let sweeper = tokio::spawn(sweep_forever(storage.clone()));
    let context = Arc::new(Context::new(dialogues, storage.clone(), &config));
    let scheduler = tokio::spawn(reminders::run_scheduler(bot.clone(), context.clone()));
    let erased: Arc<ErasedStorage<State>> = storage.clone().erase();
    // The dispatcher receives with the plain bot; handlers reply through `Tg`.
    let mut dispatcher = Dispatcher::builder(raw_bot.clone(), schema())
        .dependencies(dptree::deps![context.clone(), erased, bot.clone()])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text("a handler failed"))
        .build();
    let stopping = watch_shutdown(&dispatcher, shutdown);
    let ops_server = match config.ops_listen {
        Some(listen) => {
            let bound = web::bind(listen).await.map_err(ServeError::OpsListen)?;
            let routes = web::operator_routes(storage.clone());
            Some(web::serve(
                bound,
                "operator endpoints",
                routes,
                stopping.subscribe(),
            ))
        }
        None => None,
    };
    let outcome = match &config.webhook {
        Some(webhook) => {
            let bound = web::bind(webhook.listen).await.map_err(ServeError::Listen)?;
            let (listener, webhook_route) = web::webhook(&bot, webhook, ALLOWED_UPDATES.to_vec())
                .await
                .map_err(ServeError::Webhook)?;
            let server = web::serve(bound, "webhook", webhook_route, stopping.subscribe());
            log::info!("SpotCheck bot running (webhook)");
            let listener = intake::Gated::new(listener, bot.clone(), context.intake.clone());
            let outcome = dispatch(&mut dispatcher, listener, &stopping).await;
            finish_server(server).await;
            outcome
        }
        None => {
            let listener = Polling::builder(raw_bot)
                .timeout(POLL_TIMEOUT)
                .allowed_updates(ALLOWED_UPDATES.to_vec())
                .delete_webhook()
                .await
                .build();
            let listener = intake::Gated::new(listener, bot.clone(), context.intake.clone());
            log::info!("SpotCheck bot running (polling)");
            dispatch(&mut dispatcher, listener, &stopping).await
        }
    };
    if let Some(server) = ops_server {
        finish_server(server).await;
    }
    sweeper.abort();
    scheduler.abort();
    storage.close().await;
    log::info!("stopped");
    outcome
}

/// Where a shutdown stands: `false` while running; `true` once asked to stop (the HTTP server then
/// stops accepting). `conflict` is rung when Telegram says another process polls.
struct Stopping {
    requested: watch::Sender<bool>,
    /// Rung when the grace period after a shutdown request has passed.
    deadline: Arc<Notify>,
    token: teloxide::dispatching::ShutdownToken,
}

impl Stopping {
    fn subscribe(&self) -> watch::Receiver<bool> {
        self.requested.subscribe()
    }

    fn stop(&self) {
        self.requested.send_replace(true);
        let _ = self.token.shutdown();
    }
}

/// Waits for `shutdown` in the background, then stops the dispatcher and the HTTP server. teloxide
/// can miss a shutdown request that lands between two updates, so after a grace period the
/// deadline rings and `serve` returns anyway.
fn watch_shutdown(
    dispatcher: &BotDispatcher,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Stopping {
    let stopping = Stopping {
        requested: watch::Sender::new(false),
        deadline: Arc::new(Notify::new()),
        token: dispatcher.shutdown_token(),
    };
    let requested = stopping.requested.clone();
    let token = stopping.token.clone();
    let deadline = stopping.deadline.clone();
    tokio::spawn(async move {
        shutdown.await;
        log::info!("shutting down");
        requested.send_replace(true);
        let _ = token.shutdown();
        tokio::time::sleep(SHUTDOWN_GRACE).await;
        deadline.notify_one();
    });
    stopping
}

/// Dispatches updates from `listener` until a shutdown (or a polling conflict) ends it.
async fn dispatch<L>(
    dispatcher: &mut BotDispatcher,
    listener: L,
    stopping: &Stopping,
) -> Result<(), ServeError>
where
    L: UpdateListener + Send,
    L::Err: std::fmt::Debug,
    ListenerErrors: ErrorHandler<L::Err>,
{
    let errors = Arc::new(ListenerErrors::default());
    let conflict = errors.conflict.clone();
    let another_poller = async {
        loop {
            conflict.notified().await;
            if !*stopping.requested.borrow() {
                return;
            }
            // Stopping drops the long poll in flight and polls once more with no wait. When
            // the dropped request reaches Telegram after that last one, the last one is answered
            // 409: our own poll, not another process (seen once in CI, in a test's shutdown).
            log::debug!("a 409 Conflict while stopping, from this process's own last poll");
        }
    };
    tokio::select! {
        () = dispatcher.dispatch_with_listener(listener, errors) => Ok(()),
        () = stopping.deadline.notified() => {
            log::warn!("the dispatcher did not stop in time; stopping anyway");
            Ok(())
        }
        () = another_poller => {
            stopping.stop();
            Err(ServeError::AnotherPoller)
        }
    }
}

/// Gives the HTTP server a moment to finish the requests in flight.
async fn finish_server(server: tokio::task::JoinHandle<()>) {
    if tokio::time::timeout(Duration::from_secs(1), server)
        .await
        .is_err()
    {
        log::warn!("the HTTP server did not stop in time");
    }
}

/// Errors of the update listener: logged; a 409 Conflict (another process polls with this
/// token) stops this one, because two pollers take turns stealing each other's updates.
#[derive(Default)]
struct ListenerErrors {
    conflict: Arc<Notify>,
}

/// A webhook listener has no errors.
impl ErrorHandler<std::convert::Infallible> for ListenerErrors {
    fn handle_error(
        self: Arc<Self>,
        error: std::convert::Infallible,
    ) -> futures::future::BoxFuture<'static, ()> {
        match error {}
    }
}

impl ErrorHandler<teloxide::RequestError> for ListenerErrors {
    fn handle_error(
        self: Arc<Self>,
        error: teloxide::RequestError,
    ) -> futures::future::BoxFuture<'static, ()> {
        Box::pin(async move {
            if let teloxide::RequestError::Api(teloxide::ApiError::TerminatedByOtherGetUpdates) = error {
                log::error!("{}", ServeError::AnotherPoller);
                self.conflict.notify_one();
            } else {
                log::warn!("an update could not be received: {error}");
            }
        })
    }
}

/// Telegram's limits, with supergroups at their real 20 messages a minute (teloxide's default
/// treats them like channels, at 10), and private chats at one a second. teloxide applies its
/// per-minute chat limit (default 20) to private chats too, which held a person answering
/// quickly for half a minute in the middle of a check (found by the fault tests); Telegram asks
/// only for about one message a second there. Basic groups share that setting; a 429 there is
/// retried after Telegram's `retry_after`.
fn group_limits() -> Limits {
    Limits {
        messages_per_min_channel_or_supergroup: 20,
        messages_per_min_chat: 60,
        ..Limits::default()
    }
}

/// The command menus: the check and its commands in private chats, the cards in groups; in every
/// language (Telegram picks by the person's language, English for the rest).
async fn register_commands(bot: &Tg, dialogues: &Dialogues) {
    for language in &dialogues.languages {
        let texts = &language.texts;
        let command = |name: &str, description: String| BotCommand::new(name, description);
        let private: Vec<BotCommand> = [
            ("check", CMD_CHECK),
            ("learn", CMD_LEARN),
            ("reminders", CMD_REMINDERS),
            ("help", CMD_HELP),
            ("privacy", CMD_PRIVACY),
            ("forget", CMD_FORGET),
        ]
        .into_iter()
        .map(|(name, description)| command(name, texts.text(description)))
        .collect();
        let mut group = vec![
            command("check", texts.text(CMD_CHECK)),
            command("learn", texts.text(CMD_LEARN)),
        ];
        group.extend(
            dialogues
                .cards
                .iter()
                .map(|card| command(&card.id, texts.plain(&format!("card-{}-title", card.id)))),
        );
        let code = (language.code != crate::content::DEFAULT_LANGUAGE).then(|| language.code.clone());
        for (commands, scope) in [
            (private, BotCommandScope::AllPrivateChats),
            (group, BotCommandScope::AllGroupChats),
        ] {
            if let Err(error) = bot.set_commands(commands, scope, code.clone()).await {
                log::warn!("could not register the command menu: {error}");
            }
        }
    }
}

async fn sweep_forever(storage: Arc<DialogueStorage>) {
    let mut interval = tokio::time::interval(SWEEP_EVERY);
    loop {
        interval.tick().await;
        match storage.sweep().await {
            Ok(0) => {}
            Ok(count) => log::info!("deleted {count} expired checks"),
            Err(error) => log::warn!("could not delete expired checks: {error}"),
        }
    }
}
