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
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, h, m, s).unwrap()
    }

    fn t() -> Timeouts {
        Timeouts::default()
    }

    fn login(when: DateTime<Utc>) -> Session {
        Session::open(when, when + Duration::hours(12), reason::LOGIN)
    }

    /// Applies signals in order and returns the final session and every step.
    fn run(session: Session, signals: &[(Signal, DateTime<Utc>)], t: &Timeouts) -> (Session, Vec<Step>) {
        let mut s = session;
        let mut steps = Vec::new();
        for (signal, now) in signals {
            let step = s.step(*signal, *now, t);
            s = step.session.clone();
            steps.push(step);
        }
        (s, steps)
    }

    #[test]
    fn active_idle_active_counts_the_idle_period_exactly() {
        let (s, steps) = run(
            login(at(9, 0, 0)),
            &[
                (Signal::Heartbeat, at(9, 5, 0)),
                (Signal::ClientIdle, at(9, 20, 0)),
                (Signal::ClientActive, at(9, 27, 30)),
                (Signal::End(EndReason::Logout), at(10, 0, 0)),
            ],
            &t(),
        );
        assert_eq!(steps[1].idle_opened, Some((at(9, 20, 0), IdleSource::Client)));
        assert_eq!(steps[2].idle_closed, Some((at(9, 27, 30), 450)));
        assert_eq!(s.ended, Some((at(10, 0, 0), EndReason::Logout)));
        assert_eq!(
            s.totals_at(at(23, 0, 0)),
            Totals { total_seconds: 3600, active_seconds: 3600 - 450, idle_seconds: 450 }
        );
    }

    #[test]
    fn idle_across_midnight_is_one_period_of_its_real_length() {
        let start = Utc.with_ymd_and_hms(2026, 12, 3, 23, 0, 0).unwrap();
        let idle = Utc.with_ymd_and_hms(2026, 12, 3, 23, 50, 0).unwrap();
        let back = Utc.with_ymd_and_hms(2026, 12, 4, 0, 10, 0).unwrap();
        let out = Utc.with_ymd_and_hms(2026, 12, 4, 1, 0, 0).unwrap();
        let mut script = beats(start + Duration::seconds(30), idle - Duration::seconds(30));
        script.push((Signal::ClientIdle, idle));
        script.extend(beats(idle + Duration::seconds(30), back - Duration::seconds(30)));
        script.push((Signal::ClientActive, back));
        script.extend(beats(back + Duration::seconds(30), out - Duration::seconds(30)));
        script.push((Signal::End(EndReason::Logout), out));
        let (s, steps) = run(login(start), &script, &t());
        let closed: Vec<_> = steps.iter().filter_map(|s| s.idle_closed).collect();
        assert_eq!(closed, vec![(back, 1200)]);
        assert_eq!(s.totals_at(out), Totals { total_seconds: 7200, active_seconds: 6000, idle_seconds: 1200 });
    }

    #[test]
    fn overlapping_idle_signals_keep_one_period_from_the_first() {
        let (s, steps) = run(
            login(at(9, 0, 0)),
            &[
                (Signal::ClientIdle, at(9, 10, 0)),
                // A second tab's idle timer fires too.
                (Signal::ClientIdle, at(9, 10, 2)),
                (Signal::ClientIdle, at(9, 12, 0)),
                (Signal::ClientActive, at(9, 20, 0)),
            ],
            &t(),
        );
        assert!(steps[0].idle_opened.is_some());
        assert!(steps[1].idle_opened.is_none() && steps[1].transition.is_none());
        assert!(steps[2].idle_opened.is_none() && steps[2].transition.is_none());
        assert_eq!(steps[3].idle_closed, Some((at(9, 20, 0), 600)));
        assert_eq!(s.idle_seconds, 600);
    }

    #[test]
    fn a_client_idle_after_a_server_idle_does_not_open_a_second_period() {
        let timeouts = t();
        let s = login(at(9, 0, 0));
        // Silence since 9:00: at 9:12 the sweeper marks it idle from 9:00.
        let step = s.step(Signal::Tick, at(9, 12, 0), &timeouts);
        assert_eq!(step.idle_opened, Some((at(9, 0, 0), IdleSource::Server)));
        let s = step.session;
        let step = s.step(Signal::ClientIdle, at(9, 12, 5), &timeouts);
        assert!(step.idle_opened.is_none() && step.transition.is_none());
        assert_eq!(step.session.since, at(9, 0, 0));
    }

    #[test]
    fn active_before_idle_was_acknowledged_changes_nothing() {
        // The client's `active` arrives while the server never saw the `idle` (lost or
        // reordered): no zero-length period, no transition.
        let s = login(at(9, 0, 0));
        let step = s.step(Signal::ClientActive, at(9, 15, 0), &t());
        assert!(step.transition.is_none() && step.idle_closed.is_none());
        assert_eq!(step.session.last_seen_at, at(9, 15, 0));
        // And an `idle` right after is a normal idle.
        let step = step.session.step(Signal::ClientIdle, at(9, 15, 1), &t());
        assert_eq!(step.idle_opened, Some((at(9, 15, 1), IdleSource::Client)));
    }

    #[test]
    fn duplicate_heartbeats_change_nothing_but_last_seen() {
        let s = login(at(9, 0, 0));
        let first = s.step(Signal::Heartbeat, at(9, 0, 30), &t());
        let second = first.session.step(Signal::Heartbeat, at(9, 0, 30), &t());
        assert_eq!(first.session, second.session);
        assert!(second.transition.is_none());
        // A heartbeat from a clock behind ours does not move time backwards.
        let late = second.session.step(Signal::Heartbeat, at(9, 0, 10), &t());
        assert_eq!(late.session.last_seen_at, at(9, 0, 30));
    }

    #[test]
    fn a_heartbeat_does_not_end_a_client_idle_but_ends_a_server_one() {
        let timeouts = t();
        let idle = login(at(9, 0, 0)).step(Signal::ClientIdle, at(9, 10, 0), &timeouts).session;
        let step = idle.step(Signal::Heartbeat, at(9, 10, 30), &timeouts);
        assert_eq!(step.session.status, Status::Idle);
        assert!(step.transition.is_none());
        let step = idle.step(Signal::Seen, at(9, 11, 0), &timeouts);
        assert_eq!(step.session.status, Status::Idle);

        let server_idle = login(at(9, 0, 0)).step(Signal::Tick, at(9, 12, 0), &timeouts).session;
        let step = server_idle.step(Signal::Heartbeat, at(9, 13, 0), &timeouts);
        assert_eq!(step.session.status, Status::Active);
        assert_eq!(step.idle_closed, Some((at(9, 13, 0), 780)));
    }

    #[test]
    fn silence_is_idle_after_idle_plus_server_timeout_then_offline_at_the_last_signal() {
        let timeouts = t();
        let s = login(at(9, 0, 0)).step(Signal::Heartbeat, at(9, 1, 0), &timeouts).session;
        assert_eq!(s.next_check(&timeouts), Some(at(9, 13, 0)));
        // One second early: nothing.
        let step = s.step(Signal::Tick, at(9, 12, 59), &timeouts);
        assert!(step.transition.is_none());
        let step = s.step(Signal::Tick, at(9, 13, 0), &timeouts);
        let tr = step.transition.clone().unwrap();
        assert_eq!(
            (tr.from, tr.to, tr.at, tr.reason.as_str()),
            (Status::Active, Status::Idle, at(9, 1, 0), "heartbeat_timeout")
        );
        let s = step.session;
        assert_eq!(s.next_check(&timeouts), Some(at(9, 31, 0)));
        assert!(s.step(Signal::Tick, at(9, 30, 59), &timeouts).ended.is_none());
        let step = s.step(Signal::Tick, at(9, 31, 0), &timeouts);
        assert_eq!(step.ended, Some((at(9, 1, 0), EndReason::ServerTimeout)));
        assert_eq!(step.idle_closed, Some((at(9, 1, 0), 0)));
        assert_eq!(
            step.session.totals_at(at(12, 0, 0)),
            Totals { total_seconds: 60, active_seconds: 60, idle_seconds: 0 }
        );
    }

    #[test]
    fn a_client_idle_agent_whose_browser_closes_is_closed_at_its_last_heartbeat() {
        let timeouts = t();
        let mut script = beats(at(9, 0, 30), at(9, 29, 30));
        script.push((Signal::ClientIdle, at(9, 30, 0)));
        // The tab stays open (heartbeats go on) until 9:40, then the browser closes.
        script.extend(beats(at(9, 30, 30), at(9, 40, 0)));
        let (s, _) = run(login(at(9, 0, 0)), &script, &timeouts);
        let step = s.step(Signal::Tick, at(10, 10, 0), &timeouts);
        assert_eq!(step.ended, Some((at(9, 40, 0), EndReason::ServerTimeout)));
        assert_eq!(step.idle_closed, Some((at(9, 40, 0), 600)));
        assert_eq!(step.session.totals_at(at(11, 0, 0)).active_seconds, 1800);
    }

    #[test]
    fn auto_logout_ends_an_idle_session_after_the_grace_and_warns_first() {
        let timeouts = Timeouts { auto_logout_grace: Some(Duration::minutes(5)), ..t() };
        let step = login(at(9, 0, 0)).step(Signal::ClientIdle, at(9, 10, 0), &timeouts);
        assert_eq!(step.logout_warning, Some(at(9, 15, 0)));
        let s = step.session;
        assert_eq!(s.next_check(&timeouts), Some(at(9, 15, 0)));
        assert!(s.step(Signal::Tick, at(9, 14, 59), &timeouts).ended.is_none());
        let step = s.step(Signal::Tick, at(9, 15, 0), &timeouts);
        assert_eq!(step.ended, Some((at(9, 15, 0), EndReason::Forced)));
        assert!(step.revoke_login);
        assert_eq!(step.session.totals_at(at(9, 15, 0)).idle_seconds, 300);
        // Without auto-logout nothing happens at that time.
        let s = login(at(9, 0, 0)).step(Signal::ClientIdle, at(9, 10, 0), &t()).session;
        assert!(s.step(Signal::Tick, at(9, 15, 0), &t()).ended.is_none());
    }

    #[test]
    fn a_server_idle_is_logged_out_after_idle_timeout_plus_grace_from_the_last_signal() {
        let timeouts = Timeouts { auto_logout_grace: Some(Duration::minutes(5)), ..t() };
        let step = login(at(9, 0, 0)).step(Signal::Tick, at(9, 12, 0), &timeouts);
        assert_eq!(step.logout_warning, Some(at(9, 15, 0)));
        let step = step.session.step(Signal::Tick, at(9, 15, 0), &timeouts);
        assert_eq!(step.ended, Some((at(9, 15, 0), EndReason::Forced)));
    }

    #[test]
    fn token_expiry_closes_the_session_at_the_expiry() {
        let s = Session::open(at(9, 0, 0), at(10, 0, 0), reason::LOGIN);
        let (s, _) = run(s, &beats(at(9, 0, 30), at(9, 59, 30)), &t());
        assert_eq!(s.next_check(&t()), Some(at(10, 0, 0)));
        let step = s.step(Signal::Tick, at(10, 0, 5), &t());
        assert_eq!(step.ended, Some((at(10, 0, 0), EndReason::Expired)));
        assert_eq!(step.session.totals_at(at(11, 0, 0)).total_seconds, 3600);
    }

    #[test]
    fn a_late_signal_after_the_offline_timeout_does_not_revive_the_session() {
        let s = login(at(9, 0, 0));
        let step = s.step(Signal::Heartbeat, at(11, 0, 0), &t());
        assert_eq!(step.ended, Some((at(9, 0, 0), EndReason::ServerTimeout)));
        let step = s.step(Signal::Seen, at(11, 0, 0), &t());
        assert!(step.ended.is_some());
    }

    #[test]
    fn logout_while_idle_closes_the_open_period() {
        let mut script = beats(at(9, 0, 30), at(9, 39, 30));
        script.push((Signal::ClientIdle, at(9, 40, 0)));
        script.push((Signal::End(EndReason::Logout), at(9, 45, 0)));
        let (s, steps) = run(login(at(9, 0, 0)), &script, &t());
        assert_eq!(steps.last().unwrap().idle_closed, Some((at(9, 45, 0), 300)));
        assert_eq!(s.status, Status::Offline);
        assert_eq!(s.totals_at(at(9, 45, 0)), Totals { total_seconds: 2700, active_seconds: 2400, idle_seconds: 300 });
        // A closed session ignores everything.
        let step = s.step(Signal::Heartbeat, at(9, 46, 0), &t());
        assert_eq!(step.session, s);
    }

    /// Heartbeats every 30 s from `from` to `to` inclusive.
    fn beats(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(Signal, DateTime<Utc>)> {
        let mut out = Vec::new();
        let mut now = from;
        while now <= to {
            out.push((Signal::Heartbeat, now));
            now += Duration::seconds(30);
        }
        out
    }

    #[test]
    fn a_scripted_day_matches_totals_computed_by_hand() {
        // 08:00 login; heartbeats every 30 s while the tab is open; idle 10:00–10:20
        // (client); browser closed after the 11:59:30 heartbeat, so the sweeper (12:12)
        // marks it idle from 11:59:30; back 12:20; idle 15:00–15:05; logout 17:00.
        // By hand: total 9 h = 32400 s; idle 1200 + (12:20:00 − 11:59:30 = 1230) + 300
        // = 2730 s; active 32400 − 2730 = 29670 s.
        let timeouts = t();
        let mut script = beats(at(8, 0, 30), at(9, 59, 30));
        script.push((Signal::ClientIdle, at(10, 0, 0)));
        script.extend(beats(at(10, 0, 30), at(10, 19, 30)));
        script.push((Signal::ClientActive, at(10, 20, 0)));
        script.extend(beats(at(10, 20, 30), at(11, 59, 30)));
        script.push((Signal::Tick, at(12, 11, 0)));
        script.push((Signal::Tick, at(12, 11, 30)));
        script.extend(beats(at(12, 20, 0), at(14, 59, 30)));
        script.push((Signal::ClientIdle, at(15, 0, 0)));
        script.extend(beats(at(15, 0, 30), at(15, 4, 30)));
        script.push((Signal::ClientActive, at(15, 5, 0)));
        script.extend(beats(at(15, 5, 30), at(16, 59, 30)));
        script.push((Signal::End(EndReason::Logout), at(17, 0, 0)));
        let (s, steps) = run(login(at(8, 0, 0)), &script, &timeouts);
        let idle_periods: Vec<_> = steps.iter().filter_map(|s| s.idle_opened).collect();
        assert_eq!(
            idle_periods,
            vec![
                (at(10, 0, 0), IdleSource::Client),
                (at(11, 59, 30), IdleSource::Server),
                (at(15, 0, 0), IdleSource::Client)
            ]
        );
        assert_eq!(
            s.totals_at(at(18, 0, 0)),
            Totals { total_seconds: 32400, active_seconds: 29670, idle_seconds: 2730 }
        );
    }
}
