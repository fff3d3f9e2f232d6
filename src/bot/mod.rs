//! The Telegram adapter: a teloxide dispatcher over the triage core.
//!
//! `run` is the binary's default job. `serve` runs the bot until a shutdown signal; tests call it
//! with a fake Bot API server's address in the config.

mod config;
mod flood;
mod groups;
mod handlers;
mod state;
mod storage;
mod telegram;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::dialogue::{ErasedStorage, Storage};
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, BotCommand, BotCommandScope};
use teloxide::update_listeners::Polling;

pub use config::{parse_duration, Config, ConfigError, StorageChoice};
pub use groups::{parse_group_command, GroupCommand};
pub use handlers::{schema, Command, Context};
pub use state::{Check, State};
pub use storage::{DialogueStorage, StorageError};
pub use telegram::{parse_press, Control, Press, Tg};

use crate::content::Dialogues;

/// How long a shutdown may take before the process stops waiting (contract §6 allows 5 s).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// The long-poll timeout: short, so a shutdown never waits long for an open poll.
const POLL_TIMEOUT: Duration = Duration::from_secs(2);
/// How often expired states are deleted.
const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// The binary's default job: read the settings, load and verify the dialogues, run the bot.
pub fn run() -> ExitCode {
    let _ = dotenvy::dotenv();
    init_logging();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let (dialogues, report) = match Dialogues::load_configured() {
        Ok(loaded) => loaded,
        Err(error) => return crate::cli::refuse(&error),
    };
    log::info!(
        "dialogues verified: {} answer paths, {} languages",
        report.paths,
        report.languages.len()
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(config, Arc::new(dialogues), shutdown_signal())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filters = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
    // Answers are logged only at debug level, and the token never.
    let _ = pretty_env_logger::formatted_timed_builder()
        .parse_filters(&filters)
        .try_init();
}

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
}

/// Runs the bot until `shutdown` resolves, then stops within a few seconds.
pub async fn serve(
    config: Config,
    dialogues: Arc<Dialogues>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let storage = DialogueStorage::open(&config.storage, config.state_ttl).await?;
    let mut raw_bot = Bot::new(config.token.clone());
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
    let context = Arc::new(Context::new(dialogues, storage.clone(), config.state_ttl));
    let erased: Arc<ErasedStorage<State>> = storage.clone().erase();
    // The dispatcher polls with the plain bot; handlers reply through `Tg`.
    let mut dispatcher = Dispatcher::builder(raw_bot.clone(), schema())
        .dependencies(dptree::deps![context, erased, bot])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text("a handler failed"))
        .build();
    // teloxide can miss a shutdown request that lands between two updates, so the dispatcher
    // gets a grace period, after which `serve` returns anyway.
    let token = dispatcher.shutdown_token();
    let deadline = Arc::new(tokio::sync::Notify::new());
    tokio::spawn({
        let deadline = deadline.clone();
        async move {
            shutdown.await;
            log::info!("shutting down");
            let _ = token.shutdown();
            tokio::time::sleep(SHUTDOWN_GRACE).await;
            deadline.notify_one();
        }
    });
    let listener = Polling::builder(raw_bot)
        .timeout(POLL_TIMEOUT)
        .allowed_updates(vec![
            AllowedUpdate::Message,
            AllowedUpdate::CallbackQuery,
            AllowedUpdate::ChannelPost,
            AllowedUpdate::MyChatMember,
            AllowedUpdate::InlineQuery,
        ])
        .delete_webhook()
        .await
        .build();
    log::info!("SpotCheck bot running (polling)");
    let errors = LoggingErrorHandler::with_custom_text("an update could not be received");
    tokio::select! {
        () = dispatcher.dispatch_with_listener(listener, errors) => {}
        () = deadline.notified() => log::warn!("the dispatcher did not stop in time; stopping anyway"),
    }
    sweeper.abort();
    log::info!("stopped");
    Ok(())
}

/// Telegram's limits, with groups at their real 20 messages a minute (teloxide's default treats
/// them like channels, at 10).
fn group_limits() -> Limits {
    Limits {
        messages_per_min_channel_or_supergroup: 20,
        ..Limits::default()
    }
}

/// The command menus: the check and its commands in private chats, the cards in groups; in every
/// language (Telegram picks by the person's language, English for the rest).
async fn register_commands(bot: &Tg, dialogues: &Dialogues) {
    for language in &dialogues.languages {
        let texts = &language.texts;
        let command = |name: &str, description: String| BotCommand::new(name, description);
        let private: Vec<BotCommand> = ["check", "learn", "help", "privacy", "forget"]
            .into_iter()
            .map(|name| command(name, texts.plain(&format!("cmd-{name}"))))
            .collect();
        let mut group = vec![
            command("check", texts.plain("cmd-check")),
            command("learn", texts.plain("cmd-learn")),
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
