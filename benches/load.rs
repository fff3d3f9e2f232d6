//! Load test of the real bot process against the fake Bot API server.
//!
//! `LOAD_USERS=1000 LOAD_CONCURRENCY=100 cargo bench --bench load`
//!
//! This bench builds nothing itself: it runs the `spotcheck` binary that cargo built for it
//! (`CARGO_BIN_EXE_spotcheck`, or `LOAD_BOT_BIN`) as a child process pointed at the fake Telegram
//! server of `tests/it/support/fake_telegram/` (real HTTP on 127.0.0.1), once per storage: SQLite
//! (a file in a temporary folder), Redis (a `redis-server` started on a free port) and memory.
//!
//! N simulated people (`LOAD_USERS`, default 1000), C at a time (`LOAD_CONCURRENCY`, default 100),
//! each in their own private chat, send `/check` and answer every question by button with the
//! answers a vignette (`tests/vignettes/*.toml`, the convention of `tests/it/bot.rs`) gives, so
//! that the checks end at all four levels. By default a person presses the next button as soon
//! as the question is seen, which measures the most the bot can do. `LOAD_THINK_MS` makes each
//! person pause that long on average before each update (half to one and a half times it), as
//! people do: with `LOAD_CONCURRENCY=1000 LOAD_THINK_MS=2000`, a thousand checks are in progress
//! at once and the latency is that of a bot that is not saturated.
//!
//! Measured, per storage:
//! - updates sent, and updates per second over the load phase (first update queued → last advice
//!   recorded);
//! - latency of each update, from the `Instant` just before the update is queued in the fake, to
//!   the `Request::at` (the instant the fake's HTTP handler starts on the request) of
//!   (a) the bot's first request about that chat (`sendMessage`, `editMessageText`, ...): "first
//!   reply", and
//!   (b) the bot's `sendMessage` carrying the next question or the advice: "next step".
//!   Both include the fake's long poll, teloxide's polling and dispatch, the storage read and the
//!   handler; (b) also the edit of the answered question. The storage write comes after the
//!   `sendMessage`, so it shows only as time before the chat's next update can be handled;
//! - the bot's RSS: idle before the load, the maximum `VmRSS` sampled every 50 ms during the load,
//!   `VmHWM` (the kernel's lifetime peak, start-up included), and at the end;
//! - the bot's CPU time (utime + stime of /proc/<pid>/stat) during the load, and per update; the
//!   bench process's own CPU (fake server + simulated people) and the whole machine's, to show
//!   who is the bottleneck;
//! - checks completed and lost: lost when a step (the next question or the advice) does not come
//!   within `LOAD_STEP_TIMEOUT` seconds (default 30). Any lost check fails the bench.
//!
//! Other settings: `LOAD_STORAGES` (default `sqlite,redis,memory`); `LOAD_PREFILL` (rows put in
//! the SQLite table before the bot starts, expiring far in the future, or long expired with
//! `LOAD_PREFILL_EXPIRED=1`; the SQLite storage then runs twice, empty and pre-filled);
//! `LOAD_PREFILL_REMINDERS` (pending re-check reminders stored through the bot's own storage code
//! before it starts, due in 30 days so none fires during the run; SQLite and Redis runs); `LOAD_PERF=stat|record` (runs `perf` on the bot during the load; `record` writes
//! `perf-<storage>.data` in the current folder); `LOAD_SQLITE_DIR` (where the SQLite file goes,
//! e.g. /dev/shm to take fsync out; default the system's temporary folder); `LOAD_STEP_TIMEOUT`;
//! `LOAD_BOT_BIN` (another build of the bot; its dialogues should match this bench's).
//! Without `--bench` (as under `cargo test --benches`) a small smoke run is made instead.

// The integration tests' helpers, of which this bench uses a part.
#[path = "../tests/it/support/answers.rs"]
#[allow(dead_code)]
mod answers;
#[path = "../tests/it/support/fake_telegram/mod.rs"]
#[allow(dead_code)]
mod fake_telegram;
#[path = "../tests/it/support/redis.rs"]
#[allow(dead_code)]
mod redis_server;
#[path = "../tests/it/support/skips.rs"]
mod skips;
#[path = "../tests/it/support/vignettes.rs"]
#[allow(dead_code)]
mod vignettes;
use answers::{check_in_core, presses_for};

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_telegram::{FakeTelegram, Request};
use futures::StreamExt;
use redis_server::RedisServer;
use serde_json::{Map, Value};
use spotcheck::bot::{reminder_payload, Clock, DialogueStorage, StorageChoice, SystemClock};
use spotcheck::content::{Dialogues, FileSet};
use spotcheck::conversation::{Check, State};
use spotcheck::triage::{Protocol, Session};
use teloxide::dispatching::dialogue::Storage as _;
use teloxide::types::ChatId;
use tokio::sync::mpsc;

/// Private chat ids of the simulated people: `CHAT_BASE + index`.
const CHAT_BASE: i64 = 10_000;
/// Chat ids of pre-filled rows, far from the people's.
const PREFILL_BASE: i64 = 1_000_000_000;
const SIGNS: [(&str, &str); 4] = [
    ("🔴", "emergency"),
    ("🟠", "urgent"),
    ("🟡", "routine"),
    ("🟢", "self_care"),
];
const LEVELS: [&str; 4] = ["emergency", "urgent", "routine", "self_care"];
const SAMPLE_EVERY: Duration = Duration::from_millis(50);
const START_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// A few libc calls (std links libc already; the crate is not a dependency of this package).
// ---------------------------------------------------------------------------------------------

mod sys {
    use std::os::raw::{c_int, c_long};

    extern "C" {
        fn sysconf(name: c_int) -> c_long;
        fn kill(pid: c_int, signal: c_int) -> c_int;
        fn prctl(option: c_int, ...) -> c_int;
    }

    const SC_CLK_TCK: c_int = 2;
    const PR_SET_PDEATHSIG: c_int = 1;
    pub const SIGINT: c_int = 2;
    pub const SIGKILL: c_int = 9;
    pub const SIGTERM: c_int = 15;

    /// Clock ticks per second for /proc/<pid>/stat times (100 on Linux).
    pub fn clock_ticks() -> u64 {
        // SAFETY: sysconf has no preconditions.
        let ticks = unsafe { sysconf(SC_CLK_TCK) };
        if ticks > 0 {
            ticks as u64
        } else {
            100
        }
    }

    pub fn signal(pid: u32, signal: c_int) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe {
            kill(pid as c_int, signal);
        }
    }

    /// In the child before exec: die with the parent, so a killed bench leaves no bot behind.
    pub fn die_with_parent() -> std::io::Result<()> {
        // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches no memory of ours.
        unsafe {
            prctl(PR_SET_PDEATHSIG, SIGKILL as std::os::raw::c_ulong);
        }
        Ok(())
    }
}

/// A child process that is killed when dropped (also on panic), and when the bench dies.
struct Guarded {
    child: Child,
    name: &'static str,
}

impl Guarded {
    fn spawn(name: &'static str, mut command: Command) -> Guarded {
        // SAFETY: the closure only calls prctl.
        unsafe {
            command.pre_exec(sys::die_with_parent);
        }
        let child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {name}: {error}"));
        Guarded { child, name }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` and waits up to `limit`; SIGKILL after that. Returns the exit code (None if
    /// killed by a signal) and how long the stop took, if it stopped by itself.
    fn stop(&mut self, signal: i32, limit: Duration) -> (Option<i32>, Option<Duration>) {
        sys::signal(self.pid(), signal);
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return (status.code(), Some(started.elapsed()));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        eprintln!(
            "{} did not stop within {limit:?} of signal {signal}: killed",
            self.name
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
        (None, None)
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// /proc readings.
// ---------------------------------------------------------------------------------------------

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at field 3.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    field(14) + field(15)
}

/// (VmRSS, VmHWM) in KiB.
fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let read = |key: &str| {
        status
            .lines()
            .find(|line| line.starts_with(key))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (read("VmRSS:"), read("VmHWM:"))
}

/// (busy, total) jiffies of the whole machine.
fn machine_jiffies() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or_default();
    let values: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: u64 = values.iter().take(8).sum();
    let idle = values.get(3).copied().unwrap_or(0) + values.get(4).copied().unwrap_or(0);
    (total - idle, total)
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

// ---------------------------------------------------------------------------------------------
// Settings.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Storage {
    Sqlite { prefill: u64 },
    Redis,
    Memory,
}

impl Storage {
    fn name(self) -> String {
        match self {
            Storage::Sqlite { prefill: 0 } => "sqlite".into(),
            Storage::Sqlite { prefill } => format!("sqlite+{prefill}"),
            Storage::Redis => "redis".into(),
            Storage::Memory => "memory".into(),
        }
    }
}

struct Settings {
    users: usize,
    concurrency: usize,
    think: Duration,
    storages: Vec<Storage>,
    step_timeout: Duration,
    perf: Option<String>,
    sqlite_dir: Option<PathBuf>,
    reminders: u64,
    bot: PathBuf,
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text} is not a number")),
        _ => default,
    }
}

impl Settings {
    fn from_env(bench: bool) -> Settings {
        let (users, concurrency, storages) = if bench {
            (1000, 100, "sqlite,redis,memory")
        } else {
            (10, 5, "memory")
        };
        let users = env_number("LOAD_USERS", users) as usize;
        let concurrency = (env_number("LOAD_CONCURRENCY", concurrency) as usize).clamp(1, users.max(1));
        let prefill = env_number("LOAD_PREFILL", 0);
        let mut chosen = Vec::new();
        let names = std::env::var("LOAD_STORAGES").unwrap_or_else(|_| storages.into());
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "sqlite" => {
                    chosen.push(Storage::Sqlite { prefill: 0 });
                    if prefill > 0 {
                        chosen.push(Storage::Sqlite { prefill });
                    }
                }
                "redis" => chosen.push(Storage::Redis),
                "memory" => chosen.push(Storage::Memory),
                other => panic!("LOAD_STORAGES: unknown storage {other:?} (sqlite, redis, memory)"),
            }
        }
        let bot = std::env::var_os("LOAD_BOT_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(default_bot_binary);
        assert!(
            bot.is_file(),
            "the bot binary {} does not exist (cargo bench builds it; or set LOAD_BOT_BIN)",
            bot.display()
        );
        Settings {
            users,
            concurrency,
            think: Duration::from_millis(env_number("LOAD_THINK_MS", 0)),
            storages: chosen,
            step_timeout: Duration::from_secs(env_number("LOAD_STEP_TIMEOUT", 30)),
            perf: std::env::var("LOAD_PERF").ok().filter(|v| !v.is_empty()),
            sqlite_dir: std::env::var_os("LOAD_SQLITE_DIR").map(PathBuf::from),
            reminders: env_number("LOAD_PREFILL_REMINDERS", 0),
            bot,
        }
    }
}

/// Cargo gives benches the path of the binary it built with them (release, under `cargo bench`).
fn default_bot_binary() -> PathBuf {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_spotcheck"));
    if built.is_file() {
        return built;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for profile in ["release", "debug"] {
        let candidate = root.join("target").join(profile).join("spotcheck");
        if candidate.is_file() {
            return candidate;
        }
    }
    built
}

// ---------------------------------------------------------------------------------------------
// What each person answers: vignette facts, answered by the convention of tests/it/bot.rs.
// ---------------------------------------------------------------------------------------------

/// A person's answers and where they must lead (computed with the triage core in this process).
struct Plan {
    vignette: String,
    facts: Map<String, Value>,
    questions: Vec<String>,
    level: &'static str,
}

fn level_key(level: spotcheck::triage::Level) -> &'static str {
    let key = level.key();
    LEVELS
        .into_iter()
        .find(|level| *level == key)
        .expect("a known level")
}

/// Every vignette's button path, interleaved by level so that any prefix of the people has a mix.
fn plans(protocol: &Protocol) -> Vec<Plan> {
    let mut by_level: BTreeMap<&'static str, Vec<Plan>> = BTreeMap::new();
    for vignette in vignettes::all() {
        let (session, assessment) = check_in_core(protocol, &vignette.facts);
        let questions: Vec<String> = session
            .answers()
            .iter()
            .map(|&(question, _)| protocol.questions[question].id.clone())
            .collect();
        let level = level_key(assessment.level);
        by_level.entry(level).or_default().push(Plan {
            vignette: vignette.id,
            facts: vignette.facts,
            questions,
            level,
        });
    }
    let mut queues: Vec<std::vec::IntoIter<Plan>> = LEVELS
        .iter()
        .filter_map(|level| by_level.remove(level))
        .map(Vec::into_iter)
        .collect();
    let mut interleaved = Vec::new();
    loop {
        let before = interleaved.len();
        for queue in &mut queues {
            interleaved.extend(queue.next());
        }
        if interleaved.len() == before {
            break;
        }
    }
    assert!(
        !interleaved.is_empty(),
        "no vignettes in {}",
        vignettes::folder().display()
    );
    interleaved
}

// ---------------------------------------------------------------------------------------------
// Routing the bot's requests to the simulated people.
// ---------------------------------------------------------------------------------------------

/// What the bot sent to a chat, as the person sees it.
#[derive(Debug)]
struct Reply {
    method: String,
    at: Instant,
    ok: bool,
    error: Option<String>,
    message_id: Option<i64>,
    /// The question asked, for a `sendMessage` with answer buttons.
    question: Option<String>,
    /// The level, for a `sendMessage` with the advice.
    level: Option<&'static str>,
}

impl Reply {
    fn from(request: &Request) -> Reply {
        let text = request.text().unwrap_or_default();
        let is_send = request.method == "sendMessage";
        let question = is_send
            .then(|| {
                request
                    .callback_data()
                    .iter()
                    .find_map(|data| data.strip_prefix("a:")?.split(':').next().map(str::to_owned))
            })
            .flatten();
        let level = is_send
            .then(|| {
                SIGNS
                    .iter()
                    .find(|(sign, _)| text.starts_with(sign))
                    .map(|(_, level)| *level)
            })
            .flatten();
        Reply {
            method: request.method.clone(),
            at: request.at,
            ok: request.response.get("ok") == Some(&Value::Bool(true)),
            error: request.error().map(str::to_owned),
            message_id: request.message_id(),
            question,
            level,
        }
    }

    /// The next question or the advice: what the person acts on.
    fn is_step(&self) -> bool {
        self.ok && (self.question.is_some() || self.level.is_some())
    }
}

#[derive(Default)]
struct Counters {
    by_method: BTreeMap<String, u64>,
    refused: BTreeMap<String, u64>,
    polls: u64,
    polled_updates: u64,
    empty_polls: u64,
    callback_answers: u64,
    stale_notices: u64,
    unattributed: u64,
}

struct Router {
    routes: Mutex<HashMap<i64, mpsc::UnboundedSender<Reply>>>,
    counters: Mutex<Counters>,
    stop: AtomicBool,
}

impl Router {
    fn route(&self, request: Request) {
        let mut counters = self.counters.lock().unwrap();
        *counters.by_method.entry(request.method.clone()).or_default() += 1;
        if request.response.get("ok") == Some(&Value::Bool(false)) {
            let key = format!(
                "{}: {}",
                request.method,
                request.error().unwrap_or("(no description)")
            );
            *counters.refused.entry(key).or_default() += 1;
        }
        match request.method.as_str() {
            "getUpdates" => {
                let delivered = request.result().and_then(Value::as_array).map_or(0, Vec::len);
                counters.polls += 1;
                counters.polled_updates += delivered as u64;
                if delivered == 0 {
                    counters.empty_polls += 1;
                }
            }
            "answerCallbackQuery" => {
                counters.callback_answers += 1;
                if request.body.get("text").is_some() {
                    counters.stale_notices += 1;
                }
            }
            _ => {
                if let Some(chat) = request.chat_id() {
                    let sender = self.routes.lock().unwrap().get(&chat).cloned();
                    match sender {
                        Some(sender) if sender.send(Reply::from(&request)).is_ok() => {}
                        _ => counters.unattributed += 1,
                    }
                }
            }
        }
    }

    fn reset_counters(&self) {
        *self.counters.lock().unwrap() = Counters::default();
    }
}

/// Reads every request the fake records, in order, and hands it to the router.
async fn collect(fake: FakeTelegram, router: Arc<Router>) {
    loop {
        match fake.wait_for(Duration::from_millis(100), |_| true).await {
            Some(request) => router.route(request),
            None if router.stop.load(Ordering::SeqCst) => return,
            None => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One simulated person.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Outcome {
    updates: u64,
    first_reply: Vec<Duration>,
    next_step: Vec<Duration>,
    level: Option<&'static str>,
    lost: Option<String>,
    wrong: Option<String>,
    other_path: Option<String>,
}

struct Load {
    fake: FakeTelegram,
    router: Arc<Router>,
    dialogues: Arc<Dialogues>,
    plans: Arc<Vec<Plan>>,
    step_timeout: Duration,
    think: Duration,
}

/// The pause before each update a person sends: `think` on average, spread evenly from half to
/// one and a half times that, so that people neither start nor tap in step. Deterministic per
/// person and step (splitmix64), so runs compare.
fn think_time(think: Duration, person: usize, step: usize) -> Duration {
    let mut x = ((person as u64) << 32 | step as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    think.mul_f64(0.5 + (x % 1_000_000) as f64 / 1_000_000.0)
}

enum Push {
    Text(&'static str),
    /// The presses of one answer, sent in a row: one, or a checklist's items and Done.
    Press {
        message: i64,
        data: Vec<String>,
    },
}

async fn person(load: Arc<Load>, index: usize) -> Outcome {
    let chat = CHAT_BASE + index as i64;
    let plan = &load.plans[index % load.plans.len()];
    let protocol = &load.dialogues.protocol;
    let (sender, mut replies) = mpsc::unbounded_channel();
    load.router.routes.lock().unwrap().insert(chat, sender);
    let mut outcome = Outcome::default();
    let mut push = Push::Text("/check");
    let mut asked = Vec::new();
    // A check has at most one step per question, plus the advice.
    for step in 0..=protocol.questions.len() {
        if !load.think.is_zero() {
            tokio::time::sleep(think_time(load.think, index, step)).await;
        }
        let queued = Instant::now();
        match &push {
            Push::Text(text) => {
                load.fake.private_text(chat, text);
            }
            Push::Press { message, data } => {
                for data in data {
                    load.fake.callback(chat, *message, data);
                }
                outcome.updates += data.len() as u64 - 1;
            }
        };
        outcome.updates += 1;
        let deadline = tokio::time::Instant::from_std(queued + load.step_timeout);
        let mut first: Option<Instant> = None;
        let mut seen = Vec::new();
        let step = loop {
            match tokio::time::timeout_at(deadline, replies.recv()).await {
                Ok(Some(reply)) => {
                    first = Some(first.map_or(reply.at, |at| at.min(reply.at)));
                    if reply.is_step() {
                        break Some(reply);
                    }
                    seen.push(match &reply.error {
                        Some(error) => format!("{} refused: {error}", reply.method),
                        None => reply.method.clone(),
                    });
                }
                Ok(None) | Err(_) => break None,
            }
        };
        let Some(step) = step else {
            outcome.lost = Some(format!(
                "chat {chat} ({}): no step within {:?} after {} updates (questions so far {asked:?}; \
                 since the last update the bot sent {seen:?})",
                plan.vignette, load.step_timeout, outcome.updates
            ));
            break;
        };
        outcome
            .first_reply
            .push(first.unwrap_or(step.at).saturating_duration_since(queued));
        outcome.next_step.push(step.at.saturating_duration_since(queued));
        if let Some(level) = step.level {
            outcome.level = Some(level);
            if level != plan.level {
                outcome.wrong = Some(format!(
                    "chat {chat} ({}): ended {level} after {asked:?}; expected {} after {:?}",
                    plan.vignette, plan.level, plan.questions
                ));
            } else if asked != plan.questions {
                // Same level by another path: the bot was built from other dialogues than this
                // bench (LOAD_BOT_BIN), or the core's question order is not deterministic.
                outcome.other_path = Some(format!(
                    "chat {chat} ({}): asked {asked:?}; this bench's protocol asks {:?}",
                    plan.vignette, plan.questions
                ));
            }
            break;
        }
        let question = step.question.expect("a step is a question or the advice");
        let message = step.message_id.expect("an accepted sendMessage has a message id");
        push = Push::Press {
            message,
            data: presses_for(protocol, &question, &plan.facts)
                .into_iter()
                .map(|option| format!("a:{question}:{option}"))
                .collect(),
        };
        asked.push(question);
    }
    if outcome.level.is_none() && outcome.lost.is_none() {
        outcome.lost = Some(format!("chat {chat}: more steps than the protocol has questions"));
    }
    load.router.routes.lock().unwrap().remove(&chat);
    outcome
}

// ---------------------------------------------------------------------------------------------
// Storages.
// ---------------------------------------------------------------------------------------------

/// Pending reminders, one per chat, stored by the bot's own storage code: each keeps a finished
/// check of two answers, as a real one does (a real check keeps up to about twenty).
async fn prefill_reminders(choice: &StorageChoice, count: u64, dialogues: &Dialogues) {
    // As the bot under test opens it (its keys named for its token), so that it finds them.
    let storage = DialogueStorage::open_for_bot(choice, Duration::from_secs(86_400), fake_telegram::TOKEN)
        .await
        .expect("open the storage");
    let session = two_answers(&dialogues.protocol).save(&dialogues.protocol);
    let payload = reminder_payload(&session, "en");
    let due_at = SystemClock.now() + 30 * 86_400_000;
    futures::stream::iter(0..count)
        .for_each_concurrent(32, |index| {
            let (storage, payload) = (&storage, &payload);
            async move {
                storage
                    .add_reminder(PREFILL_BASE + index as i64, due_at, payload, 3)
                    .await
                    .expect("store a reminder")
                    .expect("one reminder per chat fits");
            }
        })
        .await;
    storage.close().await;
}

fn two_answers(protocol: &Protocol) -> Session {
    let mut session = Session::new();
    for (question, option) in [("red_flags", "no"), ("age", "16_to_64y")] {
        let id = protocol.question_id(question).expect("a known question");
        let index = protocol.questions[id]
            .option_index(option)
            .expect("a known option");
        session.answer(protocol, id, index).expect("the current question");
    }
    session
}

/// Rows as the bot stores them (through its own storage code): a check in progress, two
/// questions answered, expiring in 70 years, or already expired with LOAD_PREFILL_EXPIRED=1 (then
/// the bot's start-up sweep deletes them while the load runs).
async fn prefill_sqlite(path: &Path, rows: u64, dialogues: &Dialogues) {
    let protocol = &dialogues.protocol;
    let state = State::Checking(Check {
        session: two_answers(protocol).save(protocol),
        language: "en".into(),
        message_id: Some(1),
        ticked: Vec::new(),
    });
    let lifetime = match std::env::var("LOAD_PREFILL_EXPIRED").as_deref() {
        Ok("1") => Duration::ZERO,
        _ => Duration::from_secs(70 * 365 * 86_400),
    };
    let choice = StorageChoice::Sqlite(path.display().to_string());
    let storage = DialogueStorage::open_for_bot(&choice, lifetime, fake_telegram::TOKEN)
        .await
        .expect("open the SQLite file");
    futures::stream::iter(0..rows)
        .for_each_concurrent(32, |index| {
            let (storage, state) = (storage.clone(), state.clone());
            async move {
                let chat = PREFILL_BASE + index as i64;
                // A chat's state is written only under its lock.
                let _lock = storage.lock_chat(chat).await;
                storage
                    .clone()
                    .update_dialogue(ChatId(chat), state)
                    .await
                    .expect("store a dialogue");
            }
        })
        .await;
    storage.close().await;
}

fn sqlite_rows(path: &Path) -> Option<i64> {
    rusqlite::Connection::open(path)
        .ok()?
        .query_row("SELECT COUNT(*) FROM dialogues", [], |row| row.get(0))
        .ok()
}

// ---------------------------------------------------------------------------------------------
// One run: one storage, all the people.
// ---------------------------------------------------------------------------------------------

struct Report {
    storage: String,
    users: usize,
    concurrency: usize,
    completed: usize,
    lost: Vec<String>,
    wrong: Vec<String>,
    other_path: Vec<String>,
    levels: BTreeMap<&'static str, usize>,
    updates: u64,
    wall: Duration,
    first_reply: Vec<Duration>,
    next_step: Vec<Duration>,
    counters: Counters,
    bot_cpu: f64,
    startup_cpu: f64,
    bench_cpu: f64,
    helper_cpu: Option<f64>,
    machine_busy: f64,
    /// CPU seconds of the whole machine during the load phase.
    machine_cpu: f64,
    load_average: String,
    rss_idle: u64,
    rss_peak: u64,
    hwm: u64,
    rss_end: u64,
    startup: Duration,
    shutdown: (Option<i32>, Option<Duration>),
    violations: Vec<String>,
    unknown_methods: Vec<String>,
    log_lines: Vec<String>,
    rows_after: Option<i64>,
    prefill_time: Option<Duration>,
    perf: Option<String>,
}

async fn run(
    settings: &Settings,
    storage: Storage,
    dialogues: Arc<Dialogues>,
    plans: Arc<Vec<Plan>>,
) -> Report {
    let folder = tempfile::tempdir().expect("a temporary folder");
    // The SQLite file may go elsewhere, e.g. LOAD_SQLITE_DIR=/dev/shm to take fsync out.
    let sqlite_folder = match &settings.sqlite_dir {
        Some(dir) => tempfile::tempdir_in(dir).expect("a temporary folder in LOAD_SQLITE_DIR"),
        None => tempfile::tempdir().expect("a temporary folder"),
    };
    let database = sqlite_folder.path().join("spotcheck.db");
    let mut redis = None;
    let mut prefill_time = None;
    let mut bot_command = Command::new(&settings.bot);
    for variable in [
        "TELOXIDE_TOKEN",
        "TELOXIDE_API_URL",
        "TELOXIDE_PROXY",
        "REDIS_URL",
        "SPOTCHECK_DB",
        "SPOTCHECK_DIALOGUES",
        "SPOTCHECK_STATE_TTL",
        "SPOTCHECK_THROTTLE",
        "RUST_LOG",
    ] {
        bot_command.env_remove(variable);
    }
    match storage {
        Storage::Sqlite { prefill } => {
            if prefill > 0 {
                let started = Instant::now();
                prefill_sqlite(&database, prefill, &dialogues).await;
                prefill_time = Some(started.elapsed());
            }
            if settings.reminders > 0 {
                let started = Instant::now();
                let choice = StorageChoice::Sqlite(database.display().to_string());
                prefill_reminders(&choice, settings.reminders, &dialogues).await;
                prefill_time = Some(prefill_time.unwrap_or_default() + started.elapsed());
            }
            bot_command.env("SPOTCHECK_DB", &database);
        }
        Storage::Redis => {
            let server = RedisServer::start();
            let url = server.url.clone();
            if settings.reminders > 0 {
                let started = Instant::now();
                prefill_reminders(&StorageChoice::Redis(url.clone()), settings.reminders, &dialogues).await;
                prefill_time = Some(started.elapsed());
            }
            bot_command.env("REDIS_URL", url);
            redis = Some(server);
        }
        Storage::Memory => {
            bot_command.env("SPOTCHECK_DB", ":memory:");
        }
    }
    let fake = FakeTelegram::start().await;
    let log_path = folder.path().join("bot.log");
    let log_file = std::fs::File::create(&log_path).expect("a log file");
    bot_command
        .current_dir(folder.path()) // no stray .env is read
        .env("TELOXIDE_TOKEN", fake.token())
        .env("TELOXIDE_API_URL", fake.api_url())
        .env("SPOTCHECK_THROTTLE", "off")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log_file);
    let router = Arc::new(Router {
        routes: Mutex::new(HashMap::new()),
        counters: Mutex::new(Counters::default()),
        stop: AtomicBool::new(false),
    });
    let collector = tokio::spawn(collect(fake.clone(), router.clone()));
    let started = Instant::now();
    // Spawned from the main thread (block_on), which lives as long as the bench.
    let mut bot = Guarded::spawn("the bot", bot_command);
    let pid = bot.pid();
    let pid_text = pid.to_string();
    // Start-up: dialogues verified, commands registered, then an idle long poll.
    while !fake.wait_until_idle(Duration::from_millis(200)).await {
        if let Ok(Some(status)) = bot.child.try_wait() {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("the bot exited at start-up ({status}):\n{log}");
        }
        assert!(
            started.elapsed() < START_TIMEOUT,
            "the bot was not polling within {START_TIMEOUT:?}"
        );
    }
    let startup = started.elapsed();
    let clk = sys::clock_ticks() as f64;
    let startup_cpu = cpu_ticks(&pid_text) as f64 / clk;
    // Let the collector catch up with the start-up requests, then count only the load.
    tokio::time::sleep(Duration::from_millis(300)).await;
    router.reset_counters();
    let (rss_idle, _) = rss_kib(pid);
    let sampling = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(AtomicU64::new(rss_idle));
    let sampler = tokio::spawn({
        let sampling = sampling.clone();
        let peak = peak.clone();
        async move {
            let mut interval = tokio::time::interval(SAMPLE_EVERY);
            while sampling.load(Ordering::SeqCst) {
                interval.tick().await;
                peak.fetch_max(rss_kib(pid).0, Ordering::SeqCst);
            }
        }
    });
    let perf = settings
        .perf
        .as_deref()
        .map(|mode| start_perf(mode, pid, &storage.name()));

    let bot_cpu_before = cpu_ticks(&pid_text);
    let bench_cpu_before = cpu_ticks("self");
    let helper_pid = redis
        .as_ref()
        .map(|server: &RedisServer| server.pid().to_string());
    let helper_before = helper_pid.as_deref().map(cpu_ticks);
    let machine_before = machine_jiffies();
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let load = Arc::new(Load {
        fake: fake.clone(),
        router: router.clone(),
        dialogues: dialogues.clone(),
        plans,
        step_timeout: settings.step_timeout,
        think: settings.think,
    });
    let load_started = Instant::now();
    let outcomes: Vec<Outcome> = futures::stream::iter(0..settings.users)
        .map(|index| {
            let load = load.clone();
            async move { tokio::spawn(person(load, index)).await.expect("a person task") }
        })
        .buffer_unordered(settings.concurrency)
        .collect()
        .await;
    let wall = load_started.elapsed();
    let bot_cpu = (cpu_ticks(&pid_text) - bot_cpu_before) as f64 / clk;
    let bench_cpu = (cpu_ticks("self") - bench_cpu_before) as f64 / clk;
    let helper_cpu = helper_pid
        .as_deref()
        .zip(helper_before)
        .map(|(pid, before)| (cpu_ticks(pid) - before) as f64 / clk);
    let machine_after = machine_jiffies();
    let machine_busy =
        (machine_after.0 - machine_before.0) as f64 / (machine_after.1 - machine_before.1).max(1) as f64;
    let machine_cpu = (machine_after.0 - machine_before.0) as f64 / clk;
    let perf = perf.map(stop_perf);

    // The last button answers, then the end readings.
    fake.wait_until_idle(Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    sampling.store(false, Ordering::SeqCst);
    let _ = sampler.await;
    let (rss_end, hwm) = rss_kib(pid);
    let rss_peak = peak.load(Ordering::SeqCst).max(rss_end);
    let shutdown = bot.stop(sys::SIGTERM, Duration::from_secs(6));
    router.stop.store(true, Ordering::SeqCst);
    let _ = collector.await;
    drop(redis);
    let rows_after = match storage {
        Storage::Sqlite { .. } => sqlite_rows(&database),
        _ => None,
    };
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    fake.shutdown();

    let mut report = Report {
        storage: match (storage, settings.reminders) {
            (Storage::Memory, _) | (_, 0) => storage.name(),
            (_, reminders) => format!("{} + {reminders} pending reminders", storage.name()),
        },
        users: settings.users,
        concurrency: settings.concurrency,
        completed: 0,
        lost: Vec::new(),
        wrong: Vec::new(),
        other_path: Vec::new(),
        levels: BTreeMap::new(),
        updates: 0,
        wall,
        first_reply: Vec::new(),
        next_step: Vec::new(),
        counters: std::mem::take(&mut *router.counters.lock().unwrap()),
        bot_cpu,
        startup_cpu,
        bench_cpu,
        helper_cpu,
        machine_busy,
        machine_cpu,
        load_average,
        rss_idle,
        rss_peak,
        hwm,
        rss_end,
        startup,
        shutdown,
        violations: fake.violations(),
        unknown_methods: fake.unknown_methods(),
        log_lines: log.lines().map(str::to_owned).collect(),
        rows_after,
        prefill_time,
        perf,
    };
    for outcome in outcomes {
        report.updates += outcome.updates;
        report.first_reply.extend(outcome.first_reply);
        report.next_step.extend(outcome.next_step);
        if let Some(level) = outcome.level {
            report.completed += 1;
            *report.levels.entry(level).or_default() += 1;
        }
        report.lost.extend(outcome.lost);
        report.wrong.extend(outcome.wrong);
        report.other_path.extend(outcome.other_path);
    }
    report
}

struct Perf {
    child: Guarded,
    output: PathBuf,
}

fn start_perf(mode: &str, pid: u32, storage: &str) -> Perf {
    let output = match mode {
        "record" => PathBuf::from(format!("perf-{storage}.data")),
        "stat" => std::env::temp_dir().join(format!("spotcheck-load-perf-{storage}.txt")),
        other => panic!("LOAD_PERF={other}: use stat or record"),
    };
    let mut command = Command::new("perf");
    match mode {
        "record" => command.args(["record", "-g", "-F", "999", "-o"]).arg(&output),
        _ => command.args(["stat", "-o"]).arg(&output),
    };
    command
        .args(["-p", &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = Guarded::spawn("perf", command);
    std::thread::sleep(Duration::from_millis(300)); // let perf attach
    Perf { child, output }
}

fn stop_perf(mut perf: Perf) -> String {
    perf.child.stop(sys::SIGINT, Duration::from_secs(20));
    if perf.output.extension().is_some_and(|ext| ext == "data") {
        return format!(
            "perf data in {} (perf report -i {} --no-children)",
            perf.output.display(),
            perf.output.display()
        );
    }
    std::fs::read_to_string(&perf.output).unwrap_or_else(|error| format!("no perf output: {error}"))
}

// ---------------------------------------------------------------------------------------------
// The tables.
// ---------------------------------------------------------------------------------------------

/// Nearest-rank percentile.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn latency_line(samples: &mut [Duration]) -> String {
    samples.sort_unstable();
    format!(
        "p50 {}  p95 {}  p99 {}  max {}  (n={})",
        ms(percentile(samples, 50.0)),
        ms(percentile(samples, 95.0)),
        ms(percentile(samples, 99.0)),
        ms(samples.last().copied().unwrap_or_default()),
        samples.len()
    )
}

fn print_report(report: &mut Report) {
    let cpus = cpus();
    let wall = report.wall.as_secs_f64().max(1e-9);
    let updates = report.updates.max(1) as f64;
    let counters = &report.counters;
    let mut table: Vec<(String, String)> = Vec::new();
    let mut row = |name: &str, value: String| table.push((name.to_string(), value));
    let levels: Vec<String> = LEVELS
        .iter()
        .map(|level| format!("{level} {}", report.levels.get(level).copied().unwrap_or(0)))
        .collect();
    row(
        "checks completed / lost",
        format!(
            "{} / {} of {}  ({})",
            report.completed,
            report.lost.len(),
            report.users,
            levels.join(", ")
        ),
    );
    row("checks at an unexpected level", report.wrong.len().to_string());
    row("same level by another path", report.other_path.len().to_string());
    row("updates sent", report.updates.to_string());
    row("load phase (wall)", format!("{wall:.2} s"));
    row(
        "throughput",
        format!(
            "{:.0} updates/s, {:.1} checks/s",
            report.updates as f64 / wall,
            report.completed as f64 / wall
        ),
    );
    row(
        "latency update -> first reply",
        latency_line(&mut report.first_reply),
    );
    row("latency update -> next step", latency_line(&mut report.next_step));
    let sent: u64 = counters
        .by_method
        .iter()
        .filter(|(method, _)| *method != "getUpdates")
        .map(|(_, count)| count)
        .sum();
    row(
        "bot API calls (not getUpdates)",
        format!(
            "{sent} ({:.2}/update): {}",
            sent as f64 / updates,
            counters
                .by_method
                .iter()
                .filter(|(method, _)| *method != "getUpdates")
                .map(|(method, count)| format!("{method} {count}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    row(
        "getUpdates polls",
        format!(
            "{} ({} empty), {:.1} updates per non-empty poll",
            counters.polls,
            counters.empty_polls,
            counters.polled_updates as f64 / (counters.polls - counters.empty_polls).max(1) as f64
        ),
    );
    row(
        "bot CPU (load phase)",
        format!(
            "{:.2} s = {:.3} ms/update, {:.0}% of one core (start-up: {:.2} s CPU in {:.2} s)",
            report.bot_cpu,
            report.bot_cpu * 1000.0 / updates,
            report.bot_cpu / wall * 100.0,
            report.startup_cpu,
            report.startup.as_secs_f64()
        ),
    );
    row(
        "bench CPU (fake + people)",
        format!(
            "{:.2} s = {:.3} ms/update, {:.0}% of one core",
            report.bench_cpu,
            report.bench_cpu * 1000.0 / updates,
            report.bench_cpu / wall * 100.0
        ),
    );
    if let Some(helper) = report.helper_cpu {
        row(
            "redis-server CPU",
            format!(
                "{helper:.2} s = {:.3} ms/update, {:.0}% of one core",
                helper * 1000.0 / updates,
                helper / wall * 100.0
            ),
        );
    }
    row(
        "machine busy",
        format!(
            "{:.0}% of {cpus} CPUs ({:.2} of {cpus} cores)",
            report.machine_busy * 100.0,
            report.machine_busy * cpus as f64
        ),
    );
    let others =
        (report.machine_cpu - report.bot_cpu - report.bench_cpu - report.helper_cpu.unwrap_or(0.0)).max(0.0);
    row(
        "other processes' CPU",
        format!(
            "{others:.2} s = {:.0}% of one core (load average before the run: {})",
            others / wall * 100.0,
            report.load_average
        ),
    );
    row(
        "bot RSS",
        format!(
            "idle {}, peak during load {}, at end {}, VmHWM {} (lifetime, start-up included)",
            mib(report.rss_idle),
            mib(report.rss_peak),
            mib(report.rss_end),
            mib(report.hwm)
        ),
    );
    if let Some(rows) = report.rows_after {
        row("SQLite rows after the run", rows.to_string());
    }
    if let Some(prefill) = report.prefill_time {
        row("pre-fill time", format!("{:.2} s", prefill.as_secs_f64()));
    }
    row(
        "stale-button notices",
        format!(
            "{} of {} button answers",
            counters.stale_notices, counters.callback_answers
        ),
    );
    row(
        "refused bot requests",
        if counters.refused.is_empty() {
            "0".into()
        } else {
            format!("{:?}", counters.refused)
        },
    );
    row("unattributed chat requests", counters.unattributed.to_string());
    row(
        "violations / unknown methods",
        format!("{} / {}", report.violations.len(), report.unknown_methods.len()),
    );
    row(
        "bot log lines (warn and above)",
        report.log_lines.len().to_string(),
    );
    row(
        "shutdown on SIGTERM",
        match report.shutdown {
            (code, Some(took)) => format!("exit code {code:?} after {}", ms(took)),
            (_, None) => "did not stop: killed".into(),
        },
    );
    let width = table.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n== storage: {} | {} users, {} at a time | {cpus} CPUs ==",
        report.storage, report.users, report.concurrency
    );
    for (name, value) in &table {
        let _ = writeln!(out, "  {name:<width$}  {value}");
    }
    for (title, lines) in [
        ("lost checks", &report.lost),
        ("unexpected levels", &report.wrong),
        (
            "other question paths (bot and bench built from different dialogues?)",
            &report.other_path,
        ),
        ("violations", &report.violations),
        ("bot log", &report.log_lines),
    ] {
        if !lines.is_empty() {
            let _ = writeln!(out, "  {title} (first 10 of {}):", lines.len());
            for line in lines.iter().take(10) {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    if let Some(perf) = &report.perf {
        let _ = writeln!(out, "  perf:\n{perf}");
    }
    println!("{out}");
}

fn print_summary(reports: &mut [Report]) {
    println!(
        "\n== summary | {} CPUs ==\n  {:<16} {:>9} {:>6} {:>8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}",
        cpus(),
        "storage",
        "done",
        "lost",
        "upd/s",
        "p50",
        "p95",
        "p99",
        "max",
        "CPU ms/u",
        "peak RSS",
        "end RSS"
    );
    for report in reports.iter_mut() {
        report.next_step.sort_unstable();
        let samples = &report.next_step;
        println!(
            "  {:<16} {:>9} {:>6} {:>8.0} {:>9} {:>9} {:>9} {:>9} {:>9.3} {:>10} {:>10}",
            report.storage,
            report.completed,
            report.lost.len(),
            report.updates as f64 / report.wall.as_secs_f64().max(1e-9),
            ms(percentile(samples, 50.0)),
            ms(percentile(samples, 95.0)),
            ms(percentile(samples, 99.0)),
            ms(samples.last().copied().unwrap_or_default()),
            report.bot_cpu * 1000.0 / report.updates.max(1) as f64,
            mib(report.rss_peak),
            mib(report.rss_end)
        );
    }
    println!("  (latency: update queued in the fake -> the bot's sendMessage with the next step arrives)");
}

fn main() {
    let bench = std::env::args().any(|arg| arg == "--bench");
    let settings = Settings::from_env(bench);
    let dialogues =
        Arc::new(Dialogues::from_files(&FileSet::embedded()).expect("the built-in dialogues load"));
    let plans = Arc::new(plans(&dialogues.protocol));
    let mut mix: BTreeMap<&str, usize> = BTreeMap::new();
    for index in 0..settings.users {
        *mix.entry(plans[index % plans.len()].level).or_default() += 1;
    }
    println!(
        "load: bot {} | {} users, {} at a time, thinking {:?} before each update | {} vignette \
         answer paths; expected levels {mix:?}",
        settings.bot.display(),
        settings.users,
        settings.concurrency,
        settings.think,
        plans.len()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut reports = Vec::new();
    for &storage in &settings.storages {
        println!("running {} ...", storage.name());
        let mut report = runtime.block_on(run(&settings, storage, dialogues.clone(), plans.clone()));
        print_report(&mut report);
        reports.push(report);
    }
    print_summary(&mut reports);
    let failed: Vec<String> = reports
        .iter()
        .filter(|report| {
            !report.lost.is_empty() || !report.wrong.is_empty() || report.completed != report.users
        })
        .map(|report| {
            format!(
                "{}: {} lost, {} unexpected",
                report.storage,
                report.lost.len(),
                report.wrong.len()
            )
        })
        .collect();
    drop(runtime);
    if !failed.is_empty() {
        eprintln!(
            "\nLOAD FAILED: checks were lost or went wrong: {}",
            failed.join("; ")
        );
        std::process::exit(1);
    }
}
