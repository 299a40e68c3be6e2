//! The presence state machine of one work session (DESIGN.md §7), pure: no database,
//! no clock of its own. Every call takes `now`; the result says what to store.
//!
//! ```text
//! OFFLINE --login--> ACTIVE --idle (client) | no signal for idle+server timeout--> IDLE
//! IDLE --activity--> ACTIVE
//! IDLE --idle timeout + grace, auto-logout on--> OFFLINE (forced)
//! any --logout | token expiry | no signal for the offline timeout--> OFFLINE
//! ```
//!
//! Time rules:
//! - An idle period starts when the status becomes IDLE (`since`) and ends when it
//!   leaves IDLE; active time = total − idle. The client's idle starts when its idle
//!   timer fires (the minutes before count as active, as in the seed's "option A").
//! - A server-detected idle starts at the last signal (`last_seen_at`): nothing was
//!   heard after it, so nothing after it is counted as active.
//! - Losing every signal closes the session at the last signal, not when noticed.
//! - Time never runs backwards: a `now` earlier than what the session already knows
//!   (another instance's clock, a late request) is taken as that latest instant, so
//!   no duration is ever negative.
//! - A heartbeat or API call is a sign of life. It ends a server-detected idle (the
//!   only evidence was silence) but not a client-declared one: a background refetch is
//!   not the agent coming back; the client says `active` when input returns.

use chrono::{DateTime, Duration, Utc};

pub use super::model::{EndReason, IdleSource, PresenceStatus as Status};

/// Transition reasons (stored and shown).
pub mod reason {
    pub const LOGIN: &str = "login";
    pub const ACTIVITY: &str = "activity";
    pub const CLIENT_IDLE: &str = "client_idle";
    pub const HEARTBEAT_TIMEOUT: &str = "heartbeat_timeout";
}

/// The tenant's timeouts, as durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The client's idle timer.
    pub idle: Duration,
    /// Added to `idle` before silence counts as idle on the server.
    pub server: Duration,
    /// Silence after which the session is closed (at its last signal).
    pub offline: Duration,
    /// With auto-logout on: minutes of IDLE tolerated before the session is ended.
    pub auto_logout_grace: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            idle: Duration::minutes(10),
            server: Duration::minutes(2),
            offline: Duration::minutes(30),
            auto_logout_grace: None,
        }
    }
}

/// What a session knows about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub login_at: DateTime<Utc>,
    pub status: Status,
    /// When the current status began.
    pub since: DateTime<Utc>,
    pub reason: Option<String>,
    pub idle_source: Option<IdleSource>,
    /// The latest signal (heartbeat, transition, API call).
    pub last_seen_at: DateTime<Utc>,
    /// Seconds of the closed idle periods.
    pub idle_seconds: i64,
    /// When the login session's token expires.
    pub expires_at: DateTime<Utc>,
    /// Set once closed.
    pub ended: Option<(DateTime<Utc>, EndReason)>,
}

/// What happened to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The client's periodic "still here, still active".
    Heartbeat,
    /// The client's idle timer fired.
    ClientIdle,
    /// Input came back in the client.
    ClientActive,
    /// Some authenticated API call was made with this login session.
    Seen,
    /// The sweeper looks at a session whose `next_check` passed.
    Tick,
    /// The login session ended (logout, revocation).
    End(EndReason),
}

/// A status change to store and broadcast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Status,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// The result of one signal: the new session and the records to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub session: Session,
    pub transition: Option<Transition>,
    /// An idle period opens (start, source).
    pub idle_opened: Option<(DateTime<Utc>, IdleSource)>,
    /// The open idle period closes (end, seconds).
    pub idle_closed: Option<(DateTime<Utc>, i64)>,
    /// The session closed now (end, reason): totals are final.
    pub ended: Option<(DateTime<Utc>, EndReason)>,
    /// Auto-logout: the login session must be revoked (`force_logout`).
    pub revoke_login: bool,
    /// Entering IDLE with auto-logout on: when the session will be ended.
    pub logout_warning: Option<DateTime<Utc>>,
}

/// Totals of a session at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub total_seconds: i64,
    pub active_seconds: i64,
    pub idle_seconds: i64,
}

fn seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_seconds().max(0)
}

impl Session {
    /// A session opened at login (ACTIVE since `login_at`).
    pub fn open(login_at: DateTime<Utc>, expires_at: DateTime<Utc>, reason: &str) -> Session {
        Session {
            login_at,
            status: Status::Active,
            since: login_at,
            reason: Some(reason.to_string()),
            idle_source: None,
            last_seen_at: login_at,
            idle_seconds: 0,
            expires_at,
            ended: None,
        }
    }

    /// The latest instant this session already knows of.
    fn horizon(&self) -> DateTime<Utc> {
        self.last_seen_at.max(self.since).max(self.login_at)
    }

    /// Totals at `at` (the open idle period counts up to `at`); final once closed.
    pub fn totals_at(&self, at: DateTime<Utc>) -> Totals {
        let end = match self.ended {
            Some((end, _)) => end,
            None => at.max(self.login_at),
        };
        let total = seconds(self.login_at, end);
        let open_idle = if self.status == Status::Idle { seconds(self.since, end) } else { 0 };
        let idle = (self.idle_seconds + open_idle).min(total);
        Totals { total_seconds: total, active_seconds: total - idle, idle_seconds: idle }
    }

    /// When auto-logout ends this IDLE session.
    fn auto_logout_at(&self, t: &Timeouts) -> Option<DateTime<Utc>> {
        let grace = t.auto_logout_grace?;
        if self.status != Status::Idle {
            return None;
        }
        Some(match self.idle_source {
            // The client's idle timer already waited the idle timeout.
            Some(IdleSource::Client) => self.since + grace,
            // Silence since `since`: the client would have gone idle after the idle timeout.
            _ => self.since + t.idle + grace,
        })
    }

    fn idle_deadline(&self, t: &Timeouts) -> DateTime<Utc> {
        self.last_seen_at + t.idle + t.server
    }

    fn offline_deadline(&self, t: &Timeouts) -> DateTime<Utc> {
        // Never before the idle deadline, whatever the settings say.
        self.last_seen_at + t.offline.max(t.idle + t.server)
    }

    /// When the sweeper must look at this session next (`None` once closed).
    pub fn next_check(&self, t: &Timeouts) -> Option<DateTime<Utc>> {
        if self.ended.is_some() {
            return None;
        }
        let mut next = self.expires_at.min(self.offline_deadline(t));
        match self.status {
            Status::Active => next = next.min(self.idle_deadline(t)),
            Status::Idle => {
                if let Some(at) = self.auto_logout_at(t) {
                    next = next.min(at);
                }
            }
            Status::Offline => {}
        }
        Some(next)
    }

    /// Applies a signal at `now`.
    pub fn step(&self, signal: Signal, now: DateTime<Utc>, t: &Timeouts) -> Step {
        let mut step = Step {
            session: self.clone(),
            transition: None,
            idle_opened: None,
            idle_closed: None,
            ended: None,
            revoke_login: false,
            logout_warning: None,
        };
        if self.ended.is_some() {
            return step;
        }
        let now = now.max(self.horizon());
        match signal {
            Signal::Heartbeat | Signal::ClientActive => {
                if self.deadline_passed(now, t) {
                    // The signal came after the session was already over (the sweeper
                    // had not run yet): close it as it should have been.
                    return self.step(Signal::Tick, now, t);
                }
                step.session.last_seen_at = now;
                let wakes = match self.status {
                    Status::Idle => signal == Signal::ClientActive || self.idle_source == Some(IdleSource::Server),
                    _ => false,
                };
                if wakes {
                    step.become_active(now, reason::ACTIVITY);
                }
            }
            Signal::Seen => {
                if self.deadline_passed(now, t) {
                    return self.step(Signal::Tick, now, t);
                }
                step.session.last_seen_at = now;
                if self.status == Status::Idle && self.idle_source == Some(IdleSource::Server) {
                    step.become_active(now, reason::ACTIVITY);
                }
            }
            Signal::ClientIdle => {
                if self.deadline_passed(now, t) {
                    return self.step(Signal::Tick, now, t);
                }
                step.session.last_seen_at = now;
                // Already idle (either source): the open period goes on, no second one.
                if self.status == Status::Active {
                    step.become_idle(now, IdleSource::Client, reason::CLIENT_IDLE, t);
                }
            }
            Signal::End(why) => step.end(now, why),
            Signal::Tick => {
                // The earliest ending that is due wins (after downtime several may be).
                let mut endings = vec![
                    (self.expires_at, self.expires_at, EndReason::Expired),
                    (self.offline_deadline(t), self.last_seen_at, EndReason::ServerTimeout),
                ];
                if let Some(at) = self.auto_logout_at(t) {
                    endings.push((at, at, EndReason::Forced));
                }
                let due = endings.into_iter().filter(|(deadline, _, _)| now >= *deadline).min_by_key(|(d, _, _)| *d);
                if let Some((_, end, why)) = due {
                    step.end(end, why);
                    step.revoke_login = why == EndReason::Forced;
                } else if self.status == Status::Active && now >= self.idle_deadline(t) {
                    let at = self.last_seen_at;
                    step.become_idle(at, IdleSource::Server, reason::HEARTBEAT_TIMEOUT, t);
                }
            }
        }
        step
    }

    /// The deadline that ended this session already at `now`, if any (token expiry or
    /// offline timeout): a late signal must not revive it.
    fn deadline_passed(&self, now: DateTime<Utc>, t: &Timeouts) -> bool {
        now >= self.expires_at || now >= self.offline_deadline(t)
    }
}

impl Step {
    fn transition(&mut self, to: Status, at: DateTime<Utc>, why: &str) {
        self.transition = Some(Transition { from: self.session.status, to, at, reason: why.to_string() });
        self.session.status = to;
        self.session.since = at;
        self.session.reason = Some(why.to_string());
    }

    fn become_active(&mut self, at: DateTime<Utc>, why: &str) {
        let idle = seconds(self.session.since, at);
        self.idle_closed = Some((at, idle));
        self.session.idle_seconds += idle;
        self.session.idle_source = None;
        self.transition(Status::Active, at, why);
    }

    fn become_idle(&mut self, at: DateTime<Utc>, source: IdleSource, why: &str, t: &Timeouts) {
        self.transition(Status::Idle, at, why);
        self.session.idle_source = Some(source);
        self.idle_opened = Some((at, source));
        self.logout_warning = self.session.auto_logout_at(t);
    }

    fn end(&mut self, at: DateTime<Utc>, why: EndReason) {
        let at = at.max(self.session.login_at);
        if self.session.status == Status::Idle {
            let at = at.max(self.session.since);
            let idle = seconds(self.session.since, at);
            self.idle_closed = Some((at, idle));
            self.session.idle_seconds += idle;
        }
        self.session.idle_source = None;
        let at = at.max(self.session.since);
        self.transition(Status::Offline, at, why.as_str());
        self.session.ended = Some((at, why));
        self.ended = Some((at, why));
    }
}

#[cfg(test)]
#[path = "presence_tests.rs"]
mod tests;
