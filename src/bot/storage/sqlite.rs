//! The SQLite backend's connections, schema and upkeep.
//!
//! Statements run in place, on the async worker that asks, under a mutex. Every one of them is a
//! point read or write on an indexed table: a few microseconds, less than the two thread switches
//! an async driver pays to hand each statement to its own thread (with sqlx that hand-off was
//! half the bot's CPU per update; benches/load.rs). What could take long is kept off the hot
//! connection: the write-ahead log is merged into the database (checkpointed, which syncs the
//! file) by a thread with its own connection, and the expiry sweep deletes in small batches.

use std::sync::{mpsc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::oneshot;

/// Waits for another process's write lock (an operator's `sqlite3`, a test reading the file).
/// The bot itself has one writing connection, so it never waits on itself.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS dialogues (
        chat_id INTEGER PRIMARY KEY,
        state BLOB NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS dialogues_expiry ON dialogues (expires_at);
    CREATE TABLE IF NOT EXISTS chat_settings (chat_id INTEGER PRIMARY KEY, settings BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS heartbeat (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS reminders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        next_try_at INTEGER NOT NULL,
        payload BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS reminders_next_try ON reminders (next_try_at);
    CREATE INDEX IF NOT EXISTS reminders_chat ON reminders (chat_id);
    CREATE INDEX IF NOT EXISTS reminders_due ON reminders (due_at);
";

/// How often the log is merged: at 2,000 updates a second the log grows by about 25 MB a second,
/// so a merge each second keeps it small, and a merge with nothing to do costs microseconds.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

pub(super) struct Sqlite {
    /// Every read and write goes through this one connection.
    connection: Mutex<Connection>,
    /// Stops the checkpointer thread; it then empties the log, and sends back when done.
    checkpointer: Mutex<Option<mpsc::Sender<oneshot::Sender<()>>>>,
}

impl Sqlite {
    pub(super) fn open(path: &str) -> rusqlite::Result<Sqlite> {
        make_private(path).map_err(|error| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!("cannot make {path} readable by this user only: {error}")),
            )
        })?;
        let connection = connect(path)?;
        connection.execute_batch(SCHEMA)?;
        // The checkpointer merges the log instead; a commit that crossed the automatic threshold
        // would sync the file on the async worker that made it.
        connection.pragma_update(None, "wal_autocheckpoint", 0)?;
        connection.set_prepared_statement_cache_capacity(32);
        let checkpointer = start_checkpointer(connect(path)?);
        Ok(Sqlite {
            connection: Mutex::new(connection),
            checkpointer: Mutex::new(Some(checkpointer)),
        })
    }

    /// Runs statements on the connection. Keep `work` to a few point statements: it holds the
    /// async worker it runs on.
    pub(super) fn with<T>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let connection = self.connection.lock().unwrap_or_else(PoisonError::into_inner);
        work(&connection)
    }

    /// Stops the checkpointer once it has merged the whole log and emptied it, so the next start
    /// has nothing to replay.
    pub(super) async fn close(&self) {
        let stop = self
            .checkpointer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(stop) = stop {
            let (done, merged) = oneshot::channel();
            if stop.send(done).is_ok() {
                let _ = merged.await;
            }
        }
    }
}

/// A thread that merges the log every `CHECKPOINT_EVERY` with its own connection, off the async
/// workers and without blocking the writer (a passive checkpoint).
fn start_checkpointer(connection: Connection) -> mpsc::Sender<oneshot::Sender<()>> {
    let (stop, stopped) = mpsc::channel::<oneshot::Sender<()>>();
    let merge = move |mode: &str| {
        let merged = connection.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()));
        if let Err(error) = merged {
            log::warn!("could not merge the SQLite log ({mode}): {error}");
        }
    };
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || loop {
            match stopped.recv_timeout(CHECKPOINT_EVERY) {
                Err(mpsc::RecvTimeoutError::Timeout) => merge("PASSIVE"),
                Ok(done) => {
                    merge("TRUNCATE");
                    let _ = done.send(());
                    return;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return merge("TRUNCATE"),
            }
        })
        .expect("the operating system refused a thread");
    stop
}

/// The database holds health answers, so its files are readable and writable by the bot's user
/// alone (0600). SQLite gives its log files (`-wal`, `-shm`) the database file's mode, so it is
/// enough to create that one so; files an older version left wider are narrowed.
#[cfg(unix)]
fn make_private(path: &str) -> std::io::Result<()> {
    use std::fs::{OpenOptions, Permissions};
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    if path == ":memory:" || path.is_empty() || path.starts_with("file:") {
        return Ok(());
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    for file in [path.to_string(), format!("{path}-wal"), format!("{path}-shm")] {
        match std::fs::set_permissions(&file, Permissions::from_mode(0o600)) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            done => done?,
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_path: &str) -> std::io::Result<()> {
    Ok(())
}

fn connect(path: &str) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    // A deleted check (expired, finished, forgotten) is overwritten with zeros, not left
    // readable in the file's free space.
    connection.pragma_update(None, "secure_delete", "ON")?;
    // WAL survives a kill -9; NORMAL syncs at checkpoints, not on every commit (a power cut may
    // lose the last answers, a crash of the bot cannot).
    connection.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_connections_overwrite_what_they_delete() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("spotcheck.db").display().to_string();
        let sqlite = Sqlite::open(&path).unwrap();
        let on = |connection: &Connection| {
            connection.pragma_query_value(None, "secure_delete", |row| row.get::<_, i64>(0))
        };
        assert_eq!(sqlite.with(on).unwrap(), 1, "the bot's connection");
        assert_eq!(on(&connect(&path).unwrap()).unwrap(), 1, "the log merger's");
    }
}
