//! A real Redis server for a test, on a free loopback port, stopped when dropped.
//! `redis-server` must be installed (scripts/test.sh installs it).

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    child: Child,
    port: u16,
    pub url: String,
}

impl RedisServer {
    pub fn start() -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        RedisServer {
            child: spawn_listening(port),
            port,
            url: format!("redis://127.0.0.1:{port}/"),
        }
    }
}

/// Starts `redis-server` on `port` and waits until it accepts connections.
fn spawn_listening(port: u16) -> Child {
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
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
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Outages: the server hung (stopped, then continued), or killed and started again on the same
/// port (empty then: it saves nothing).
// benches/load.rs includes this file and uses none of these.
#[allow(dead_code)]
impl RedisServer {
    /// Stops the server (SIGSTOP): its connections stay open, and nothing answers on them.
    pub fn pause(&self) {
        self.signal("STOP");
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

    /// Starts a new server on the same port, after `kill`.
    pub fn restart(&mut self) {
        self.child = spawn_listening(self.port);
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
