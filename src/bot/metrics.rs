//! Counters for `/metrics`, in the Prometheus text format. Counts only: no chat ids, no answers.
//!
//! Process-wide, like a Prometheus default registry: the Bot API wrapper (`telegram::call`) has
//! no handle on the bot's context, and one process runs one bot.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use teloxide::types::{Update, UpdateKind};
use teloxide::{ApiError, RequestError};

use super::telegram::server_error_code;
use crate::triage::Level;

/// Upper bounds of the handler latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::default);

#[derive(Default)]
pub struct Metrics {
    updates: Mutex<BTreeMap<&'static str, u64>>,
    updates_dropped: AtomicU64,
    checks_started: AtomicU64,
    checks_finished: [AtomicU64; 4],
    reminders_sent: AtomicU64,
    api_errors: Mutex<BTreeMap<&'static str, u64>>,
    /// (operation, kind) → failed storage calls.
    storage_errors: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
}

fn bump(map: &Mutex<BTreeMap<&'static str, u64>>, key: &'static str) {
    *map.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(key)
        .or_default() += 1;
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

impl Metrics {
    pub fn update_received(&self, update: &Update) {
        bump(&self.updates, update_kind(update));
    }

    pub fn update_held_back(&self) {
        self.updates_dropped.fetch_add(1, Ordering::Relaxed);
    }

    pub fn check_started(&self) {
        self.checks_started.fetch_add(1, Ordering::Relaxed);
    }

    pub fn check_finished(&self, level: Level) {
        let index = Level::ALL.iter().position(|&known| known == level).unwrap_or(0);
        self.checks_finished[index].fetch_add(1, Ordering::Relaxed);
    }

    pub fn reminder_sent(&self) {
        self.reminders_sent.fetch_add(1, Ordering::Relaxed);
    }

    pub fn api_error(&self, error: &RequestError) {
        bump(&self.api_errors, error_code(error));
    }

    pub fn storage_error(&self, operation: &'static str, kind: &'static str) {
        *self
            .storage_errors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry((operation, kind))
            .or_default() += 1;
    }

    pub fn handled_in(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        for (bucket, &bound) in self.latency_buckets.iter().zip(&BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let mut family = |name: &str, kind: &str, help: &str, samples: Vec<(String, u64)>| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (labels, value) in samples {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        let labelled = |map: &Mutex<BTreeMap<&'static str, u64>>, label: &str| -> Vec<(String, u64)> {
            map.lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .iter()
                .map(|(key, &value)| (format!("{{{label}=\"{key}\"}}"), value))
                .collect()
        };
        family(
            "spotcheck_updates_total",
            "counter",
            "Updates received from Telegram, by kind.",
            labelled(&self.updates, "kind"),
        );
        family(
            "spotcheck_updates_dropped_total",
            "counter",
            "Updates held back on arrival by flood control (a press is answered; once the chat is calm its latest update is handled).",
            vec![(String::new(), load(&self.updates_dropped))],
        );
        family(
            "spotcheck_checks_started_total",
            "counter",
            "Checks started.",
            vec![(String::new(), load(&self.checks_started))],
        );
        family(
            "spotcheck_checks_finished_total",
            "counter",
            "Checks finished with advice, by level.",
            Level::ALL
                .iter()
                .zip(&self.checks_finished)
                .map(|(level, count)| (format!("{{level=\"{}\"}}", level.key()), load(count)))
                .collect(),
        );
        family(
            "spotcheck_reminders_sent_total",
            "counter",
            "Re-check reminders sent.",
            vec![(String::new(), load(&self.reminders_sent))],
        );
        family(
            "spotcheck_bot_api_errors_total",
            "counter",
            "Failed Bot API calls (each attempt), by HTTP status or network.",
            labelled(&self.api_errors, "code"),
        );
        family(
            "spotcheck_storage_errors_total",
            "counter",
            "Failed storage calls, by operation and kind (busy, full, read_only, io, timeout, unavailable, corrupt, other).",
            self.storage_errors
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .iter()
                .map(|((operation, kind), &count)| {
                    (format!("{{operation=\"{operation}\",kind=\"{kind}\"}}"), count)
                })
                .collect(),
        );
        let mut histogram: Vec<(String, u64)> = BUCKETS
            .iter()
            .zip(&self.latency_buckets)
            .map(|(bound, count)| (format!("_bucket{{le=\"{bound}\"}}"), load(count)))
            .collect();
        let count = load(&self.latency_count);
        histogram.push(("_bucket{le=\"+Inf\"}".into(), count));
        family(
            "spotcheck_handler_seconds",
            "histogram",
            "Time from an update reaching the handlers to the end of its handling.",
            Vec::new(),
        );
        for (suffix, value) in histogram {
            let _ = writeln!(out, "spotcheck_handler_seconds{suffix} {value}");
        }
        let sum = load(&self.latency_sum_micros) as f64 / 1e6;
        let _ = writeln!(out, "spotcheck_handler_seconds_sum {sum}");
        let _ = writeln!(out, "spotcheck_handler_seconds_count {count}");
        out
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
