//! The time the reminder scheduler reads. Real time in production; tests move a `ManualClock`
//! forward instead of waiting hours.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use tokio::sync::watch;

/// Milliseconds since the Unix epoch: what the storages keep, so a restart reads them the same.
pub type Millis = u64;

pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> Millis;

    /// Resolves once `now()` has reached `deadline`.
    fn sleep_until(&self, deadline: Millis) -> BoxFuture<'static, ()>;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis() as Millis)
    }

    fn sleep_until(&self, deadline: Millis) -> BoxFuture<'static, ()> {
        let wait = Duration::from_millis(deadline.saturating_sub(self.now()));
        Box::pin(tokio::time::sleep(wait))
    }
}

/// A clock that moves only when told to. Clones share the same time.
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<watch::Sender<Millis>>,
}

impl ManualClock {
    pub fn starting_at(now: Millis) -> ManualClock {
        ManualClock {
            now: Arc::new(watch::Sender::new(now)),
        }
    }

    pub fn advance(&self, by: Duration) {
        self.now.send_modify(|now| *now += by.as_millis() as Millis);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        *self.now.borrow()
    }

    fn sleep_until(&self, deadline: Millis) -> BoxFuture<'static, ()> {
        let mut changes = self.now.subscribe();
        Box::pin(async move {
            // The sender lives as long as any clone of the clock; if all are gone, time stops.
            let _ = changes.wait_for(|now| *now >= deadline).await;
        })
    }
}
