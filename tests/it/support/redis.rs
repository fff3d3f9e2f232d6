//! A real Redis server for a test, on a free loopback port, stopped when dropped.
//!
//! `scripts/test.sh` (the README's test command, and CI's) installs `redis-server` and sets
//! `SPOTCHECK_TESTS_NEED_REDIS`, so there a missing server fails the test. A plain `cargo test`
//! on a machine without it skips the Redis tests instead, and lists them once, at the end
//! (`skips.rs`).

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Set by scripts/test.sh: a missing redis-server is then a failure, never a skip.
const NEED_REDIS: &str = "SPOTCHECK_TESTS_NEED_REDIS";

pub struct RedisServer {
    child: Child,
    port: u16,
    /// Where a persistent server keeps its append-only file; `None` for one that saves nothing.
    persisted_in: Option<tempfile::TempDir>,
    pub url: String,
}

impl RedisServer {
    /// A server that saves nothing: a restart empties it.
    pub fn start() -> RedisServer {
        RedisServer::start_with(None)
    }

    fn start_with(persisted_in: Option<tempfile::TempDir>) -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = spawn_listening(port, persisted_in.as_ref().map(|folder| folder.path()));
        RedisServer {
            child,
            port,
            persisted_in,
            url: format!("redis://127.0.0.1:{port}/"),
        }
    }
}

impl RedisServer {
    /// A server for the calling test, or `None` when redis-server is not installed and this run
    /// may skip (not under scripts/test.sh): the test then returns at once, and its name is
    /// listed when the test binary exits.
    pub fn start_or_skip() -> Option<RedisServer> {
        installed_or_skip().then(RedisServer::start)
    }

    /// Like `start_or_skip`, but the server writes every command to an append-only file before
    /// it answers, as a deployment should (`appendonly yes`): a kill and a restart lose nothing.
    pub fn start_persistent_or_skip() -> Option<RedisServer> {
        installed_or_skip().then(|| {
            let folder = tempfile::tempdir().expect("a folder for Redis' append-only file");
            RedisServer::start_with(Some(folder))
        })
    }
}

/// Whether redis-server can be started; if not, and this run may skip, the calling test is
/// listed as skipped.
fn installed_or_skip() -> bool {
    if is_installed() {
        return true;
    }
    assert!(
        std::env::var_os(NEED_REDIS).is_none(),
        "redis-server is not installed; scripts/test.sh installs it (apt-get install redis-server)"
    );
    super::skips::skip(
        "redis-server is not installed; `bash scripts/test.sh` installs it and runs every test",
    );
    false
}

fn is_installed() -> bool {
    Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Starts `redis-server` on `port` and waits until it accepts connections. With a folder, it
/// keeps an append-only file there, synced on every write, and reloads it when it starts.
fn spawn_listening(port: u16, persisted_in: Option<&Path>) -> Child {
    let mut command = Command::new("redis-server");
    command.args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""]);
    match persisted_in {
        Some(folder) => command
            .args(["--appendonly", "yes", "--appendfsync", "always", "--dir"])
            .arg(folder),
        None => command.args(["--appendonly", "no"]),
    };
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server is installed (run the tests with scripts/test.sh)");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "redis-server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

impl RedisServer {
    /// The server's process id (the load bench reports its CPU time).
    #[allow(dead_code)] // Used by benches/load.rs only.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Outages: the server hung (stopped, then continued), or killed and started again on the same
/// port (empty then, unless it was started persistent).
impl RedisServer {
    /// Stops the server (SIGSTOP): its connections stay open, and nothing answers on them.
    pub fn pause(&self) {
        self.signal("STOP");
    }

    /// Sets the server's memory cap: 1 byte makes every write fail ("OOM command not allowed")
    /// while reads still work, as when Redis is full; 0 lifts the cap.
    pub fn cap_memory(&self, bytes: u64) {
        redis::cmd("CONFIG")
            .arg("SET")
            .arg("maxmemory")
            .arg(bytes)
            .query::<()>(&mut self.connection())
            .expect("CONFIG SET maxmemory");
    }

    /// A plain connection for a test to look at or change what the bot stores.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url.as_str())
            .and_then(|client| client.get_connection())
            .expect("a connection to the test's Redis")
    }

    /// Waits (up to 15 s) until the bot has stored a state for `chat` that `wanted` accepts (its
    /// JSON), so that a test can break Redis only after a save it must not disturb.
    #[allow(dead_code)] // Not used by the benches that include this file.
    pub async fn wait_for_state(&self, chat: i64, wanted: impl Fn(&str) -> bool) {
        let mut connection = self.connection();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let stored: Option<String> = redis::cmd("GET")
                .arg(bot_key(&format!("dialogue:{chat}")))
                .query(&mut connection)
                .expect("GET");
            if stored.as_deref().is_some_and(&wanted) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chat {chat}: the state was never stored: {stored:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Lets a paused server carry on (SIGCONT).
    pub fn resume(&self) {
        self.signal("CONT");
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} {}", self.child.id());
    }

    /// Kills the server (SIGKILL: no goodbye to its clients) and waits until it is gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts a new server on the same port, after `kill`, with what a persistent one saved.
    pub fn restart(&mut self) {
        let persisted_in = self.persisted_in.as_ref().map(|folder| folder.path());
        self.child = spawn_listening(self.port, persisted_in);
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Redis key of the bot the tests run (its token is the fake Bot API's): every key of a bot
/// starts with `spotcheck:<bot id>:`.
pub fn bot_key(name: &str) -> String {
    let bot_id = super::fake_telegram::TOKEN.split(':').next().unwrap();
    format!("spotcheck:{bot_id}:{name}")
}
