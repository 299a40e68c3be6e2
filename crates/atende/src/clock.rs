//! The server's notion of "now" for time that is measured (work sessions, presence).
//! Production reads the system clock; tests move it forward instead of sleeping
//! (`advance`), so a 10-minute idle timeout is checked in milliseconds.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use chrono::{DateTime, Duration, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// Marks "not frozen".
const RUNNING: i64 = i64::MIN;

/// The system clock plus an offset that only tests change (or, frozen, a fixed instant
/// that only `advance` moves). Cheap to clone; clones share the state.
#[derive(Clone)]
pub struct ServerClock {
    offset_ms: Arc<AtomicI64>,
    frozen_ms: Arc<AtomicI64>,
}

impl Default for ServerClock {
    fn default() -> Self {
        ServerClock { offset_ms: Arc::new(AtomicI64::new(0)), frozen_ms: Arc::new(AtomicI64::new(RUNNING)) }
    }
}

impl ServerClock {
    /// Moves this clock (and every clone) forward by `by`.
    pub fn advance(&self, by: Duration) {
        let ms = by.num_milliseconds();
        if self.frozen_ms.load(Ordering::SeqCst) == RUNNING {
            self.offset_ms.fetch_add(ms, Ordering::SeqCst);
        } else {
            self.frozen_ms.fetch_add(ms, Ordering::SeqCst);
        }
    }

    /// Stops the clock at the next whole second (so durations measured against it are
    /// exact; rounding up, because a clock that steps back would put "now" before
    /// things that already happened); returns that instant. Tests only.
    pub fn freeze(&self) -> DateTime<Utc> {
        let now = self.now();
        let up = i64::from(now.timestamp_subsec_nanos() > 0);
        let at = DateTime::from_timestamp(now.timestamp() + up, 0).unwrap_or(now);
        self.frozen_ms.store(at.timestamp_millis(), Ordering::SeqCst);
        at
    }

    /// How far this clock runs ahead of the system clock.
    pub fn offset(&self) -> Duration {
        Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }
}

impl Clock for ServerClock {
    fn now(&self) -> DateTime<Utc> {
        match self.frozen_ms.load(Ordering::SeqCst) {
            RUNNING => Utc::now() + self.offset(),
            ms => DateTime::from_timestamp_millis(ms).unwrap_or_else(Utc::now),
        }
    }
}

/// A clock fixed at a given instant (unit tests).
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let clock = ServerClock::default();
        let other = clock.clone();
        let before = other.now();
        clock.advance(Duration::minutes(10));
        assert!(other.now() - before >= Duration::minutes(10));
        let frozen = clock.freeze();
        assert_eq!(other.now(), frozen);
        other.advance(Duration::seconds(90));
        assert_eq!(clock.now() - frozen, Duration::seconds(90));
    }
}
