//! What `/metrics` shows, through `prometheus-client`. Counts only: no chat ids, no answers.
//!
//! Process-wide, like a Prometheus default registry: the Bot API wrapper (`telegram::call`) has
//! no handle on the bot's context, and one process runs one bot.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use teloxide::types::{Update, UpdateKind};
use teloxide::{ApiError, RequestError};

use super::telegram::server_error_code;
use crate::triage::Level;

/// The `Content-Type` of what `render` writes (Prometheus' text format, version 0.0.4).
pub use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Upper bounds of the handler latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpdateLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LevelLabels {
    level: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StorageLabels {
    operation: &'static str,
    kind: &'static str,
}

pub struct Metrics {
    registry: Registry,
    updates: Family<UpdateLabels, Counter>,
    updates_held_back: Counter,
    checks_started: Counter,
    checks_finished: Family<LevelLabels, Counter>,
    reminders_sent: Counter,
    api_errors: Family<StatusLabels, Counter>,
    storage_errors: Family<StorageLabels, Counter>,
    handler_seconds: Histogram,
}

impl Metrics {
    fn new() -> Metrics {
        let metrics = Metrics {
            registry: Registry::default(),
            updates: Family::default(),
            updates_held_back: Counter::default(),
            checks_started: Counter::default(),
            checks_finished: Family::default(),
            reminders_sent: Counter::default(),
            api_errors: Family::default(),
            storage_errors: Family::default(),
            handler_seconds: Histogram::new(BUCKETS),
        };
        // Every level shows from the start, at 0, so a rate over it is defined before the first
        // check of that level.
        for level in Level::ALL {
            metrics
                .checks_finished
                .get_or_create_owned(&LevelLabels { level: level.key() });
        }
        metrics.registered()
    }

    fn registered(mut self) -> Metrics {
        let ours = self.registry.sub_registry_with_prefix("spotcheck");
        ours.register(
            "updates",
            "Updates received from Telegram, by kind",
            self.updates.clone(),
        );
        ours.register(
            "updates_dropped",
            "Updates held back on arrival by flood control (a press is answered; once the chat is calm its latest update is handled)",
            self.updates_held_back.clone(),
        );
        ours.register("checks_started", "Checks started", self.checks_started.clone());
        ours.register(
            "checks_finished",
            "Checks finished with advice, by level",
            self.checks_finished.clone(),
        );
        ours.register(
            "reminders_sent",
            "Re-check reminders sent",
            self.reminders_sent.clone(),
        );
        ours.register(
            "bot_api_errors",
            "Failed Bot API calls (each attempt), by HTTP status or network",
            self.api_errors.clone(),
        );
        ours.register(
            "storage_errors",
            "Failed storage calls, by operation and kind (busy, full, read_only, io, timeout, unavailable, corrupt, other; unlocked: a write refused because the chat's lock was not held)",
            self.storage_errors.clone(),
        );
        ours.register(
            "handler_seconds",
            "Time from an update reaching the handlers to the end of its handling",
            self.handler_seconds.clone(),
        );
        self.registry.register_collector(Box::new(ProcessCollector));
        self
    }

    pub fn update_received(&self, update: &Update) {
        let kind = update_kind(update);
        self.updates.get_or_create(&UpdateLabels { kind }).inc();
    }

    /// An update teloxide could not read (`UpdateKind::Error`), or a webhook body that is no
    /// update at all.
    pub fn update_unreadable(&self) {
        self.updates
            .get_or_create(&UpdateLabels { kind: "unreadable" })
            .inc();
    }

    pub fn update_held_back(&self) {
        self.updates_held_back.inc();
    }

    pub fn check_started(&self) {
        self.checks_started.inc();
    }

    pub fn check_finished(&self, level: Level) {
        let level = level.key();
        self.checks_finished.get_or_create(&LevelLabels { level }).inc();
    }

    pub fn reminder_sent(&self) {
        self.reminders_sent.inc();
    }

    pub fn api_error(&self, error: &RequestError) {
        let code = error_code(error);
        self.api_errors.get_or_create(&StatusLabels { code }).inc();
    }

    pub fn storage_error(&self, operation: &'static str, kind: &'static str) {
        let labels = StorageLabels { operation, kind };
        self.storage_errors.get_or_create(&labels).inc();
    }

    pub fn handled_in(&self, elapsed: Duration) {
        self.handler_seconds.observe(elapsed.as_secs_f64());
    }

    /// The Prometheus text exposition format (version 0.0.4), with the process metrics as they
    /// are at this moment.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String fails only if an encoder reports an error, and none of ours do.
        if let Err(error) = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry) {
            log::error!("/metrics could not be written: {error}");
        }
        out
    }
}

/// The kind of an update, as a label.
fn update_kind(update: &Update) -> &'static str {
    match update.kind {
        UpdateKind::Message(_) => "message",
        UpdateKind::EditedMessage(_) => "edited_message",
        UpdateKind::CallbackQuery(_) => "callback_query",
        UpdateKind::ChannelPost(_) => "channel_post",
        UpdateKind::MyChatMember(_) => "my_chat_member",
        UpdateKind::InlineQuery(_) => "inline_query",
        _ => "other",
    }
}

/// An error of the Bot API, as the HTTP status Telegram answered (or `network`).
fn error_code(error: &RequestError) -> &'static str {
    if let Some(code) = server_error_code(error) {
        return code;
    }
    match error {
        RequestError::RetryAfter(_) => "429",
        RequestError::Network(_) | RequestError::Io(_) => "network",
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => "409",
        RequestError::Api(api) if api.to_string().starts_with("Forbidden") => "403",
        RequestError::Api(_) => "400",
        RequestError::InvalidJson { .. } => "invalid_json",
        _ => "other",
    }
}

/// The standard process metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// `process_open_fds`, …), read from the system at each scrape. A figure the system does not
/// give is left out rather than shown as 0.
#[derive(Debug)]
struct ProcessCollector;

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let process = metrics_process::collector::collect();
        if let Some(seconds) = process.cpu_seconds_total {
            let counter = ConstCounter::new(seconds);
            let help = "Total user and system CPU time spent, in seconds";
            counter.encode(encoder.encode_descriptor(
                "process_cpu_seconds",
                help,
                None,
                counter.metric_type(),
            )?)?;
        }
        let gauges = [
            (
                "process_resident_memory_bytes",
                "Resident memory, in bytes",
                process.resident_memory_bytes,
            ),
            (
                "process_virtual_memory_bytes",
                "Virtual memory, in bytes",
                process.virtual_memory_bytes,
            ),
            ("process_open_fds", "Open file descriptors", process.open_fds),
            (
                "process_max_fds",
                "The most file descriptors the process may open",
                process.max_fds,
            ),
            ("process_threads", "Operating-system threads", process.threads),
            (
                "process_start_time_seconds",
                "When the process started, in seconds since the Unix epoch",
                process.start_time_seconds,
            ),
        ];
        for (name, help, value) in gauges {
            if let Some(value) = value {
                let gauge = ConstGauge::new(value);
                gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)?;
            }
        }
        Ok(())
    }
}

/// Times one update's handling; records it when dropped (dptree drops it after the branch ran).
pub struct HandlingTimer(Instant);

impl HandlingTimer {
    pub fn start() -> HandlingTimer {
        HandlingTimer(Instant::now())
    }
}

impl Drop for HandlingTimer {
    fn drop(&mut self) {
        METRICS.handled_in(self.0.elapsed());
    }
}
