//! Login throttling. Per client IP: every attempt counts (governor's GCRA limiter, so
//! bursts are allowed and the wait is exact). Per account (workspace + email): only
//! *failed* attempts count, in a sliding minute, so nobody can lock a known user out by
//! spending the account's budget with attempts that never had the password, and a
//! user who signs in correctly never spends it.

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    num::NonZeroU32,
    sync::Mutex,
    time::{Duration, Instant},
};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::error::AppError;

/// The window failed attempts are counted in.
const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// The login limiters.
pub struct LoginLimiter {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    per_account: usize,
    clock: DefaultClock,
}

impl LoginLimiter {
    /// `per_ip` attempts and `per_account` failures per minute.
    pub fn new(per_ip: u32, per_account: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"));
        LoginLimiter {
            by_ip: RateLimiter::keyed(quota(per_ip)),
            failures: Mutex::new(HashMap::new()),
            per_account: per_account.max(1) as usize,
            clock: DefaultClock::default(),
        }
    }

    /// Before checking a password: takes one attempt of this IP's budget, and refuses
    /// an account that failed too often in the last minute.
    pub fn check(&self, ip: Option<IpAddr>, account: &str) -> Result<(), AppError> {
        if let Some(ip) = ip {
            self.by_ip.check_key(&ip).map_err(|not_until| limited(not_until.wait_time_from(self.clock.now())))?;
            if self.by_ip.len() > 10_000 {
                self.by_ip.retain_recent();
            }
        }
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(times) = failures.get_mut(&account.to_lowercase()) {
            prune(times, now);
            if times.len() >= self.per_account
                && let Some(oldest) = times.front()
            {
                return Err(limited((*oldest + FAILURE_WINDOW).saturating_duration_since(now)));
            }
        }
        Ok(())
    }

    /// After a sign-in attempt failed: a wrong password (or unknown account) counts
    /// against the account; other errors (suspended workspace, database) do not.
    pub fn count_outcome(&self, account: &str, error: &AppError) {
        if matches!(error, AppError::InvalidCredentials) {
            self.record_failure(account);
        }
    }

    /// After a wrong password (or unknown account): counts a failure for the account.
    pub fn record_failure(&self, account: &str) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Keys are kept per account; shed idle ones so memory stays bounded.
        if failures.len() > 10_000 {
            failures.retain(|_, times| {
                prune(times, now);
                !times.is_empty()
            });
        }
        let times = failures.entry(account.to_lowercase()).or_default();
        prune(times, now);
        times.push_back(now);
        // Never more than the limit needs to remember.
        while times.len() > self.per_account {
            times.pop_front();
        }
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant) {
    while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= FAILURE_WINDOW) {
        times.pop_front();
    }
}

fn limited(wait: Duration) -> AppError {
    metrics::counter!("login_rate_limited_total").increment(1);
    AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) + u64::from(wait.subsec_nanos() > 0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_failures_apply_across_ips() {
        let limiter = LoginLimiter::new(100, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limiter.check(Some(a), "demo/ana@x.com").is_ok());
        limiter.record_failure("demo/ana@x.com");
        assert!(limiter.check(Some(b), "demo/ANA@x.com").is_ok());
        limiter.record_failure("demo/ANA@x.com");
        let err = limiter.check(Some(a), "demo/ana@x.com").unwrap_err();
        assert!(matches!(err, AppError::RateLimited { retry_after_secs } if (1..=60).contains(&retry_after_secs)));
        assert!(limiter.check(Some(a), "demo/other@x.com").is_ok());
    }

    #[test]
    fn attempts_without_failures_never_lock_an_account() {
        let limiter = LoginLimiter::new(1000, 2);
        for n in 0..50u8 {
            let ip = IpAddr::from([10, 0, 0, n]);
            assert!(limiter.check(Some(ip), "demo/ana@x.com").is_ok(), "attempt {n}");
        }
    }

    #[test]
    fn the_ip_limit_counts_every_attempt() {
        let limiter = LoginLimiter::new(3, 100);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for n in 0..3 {
            assert!(limiter.check(Some(ip), &format!("demo/u{n}@x.com")).is_ok());
        }
        assert!(limiter.check(Some(ip), "demo/u9@x.com").is_err());
    }
}
