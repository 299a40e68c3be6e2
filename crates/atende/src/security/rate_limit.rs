//! Login throttling per client IP and per account (workspace + email), with governor's
//! GCRA limiters so bursts are allowed and the wait is exact.

use std::{net::IpAddr, num::NonZeroU32};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::error::AppError;

/// The two login limiters.
pub struct LoginLimiter {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_account: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl LoginLimiter {
    /// `per_ip` and `per_account` attempts per minute (each also the burst size).
    pub fn new(per_ip: u32, per_account: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"));
        LoginLimiter {
            by_ip: RateLimiter::keyed(quota(per_ip)),
            by_account: RateLimiter::keyed(quota(per_account)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one attempt for this IP and account, or says how long to wait.
    pub fn check(&self, ip: Option<IpAddr>, account: &str) -> Result<(), AppError> {
        if let Some(ip) = ip {
            self.by_ip.check_key(&ip).map_err(|not_until| self.limited(not_until.wait_time_from(self.clock.now())))?;
        }
        self.by_account
            .check_key(&account.to_lowercase())
            .map_err(|not_until| self.limited(not_until.wait_time_from(self.clock.now())))?;
        // Keys are kept per IP/account; shed idle ones so memory stays bounded.
        if self.by_account.len() > 10_000 || self.by_ip.len() > 10_000 {
            self.by_account.retain_recent();
            self.by_ip.retain_recent();
        }
        Ok(())
    }

    fn limited(&self, wait: std::time::Duration) -> AppError {
        metrics::counter!("login_rate_limited_total").increment(1);
        AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) + u64::from(wait.subsec_nanos() > 0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_limit_applies_across_ips() {
        let limiter = LoginLimiter::new(100, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limiter.check(Some(a), "demo/ana@x.com").is_ok());
        assert!(limiter.check(Some(b), "demo/ANA@x.com").is_ok());
        let err = limiter.check(Some(a), "demo/ana@x.com").unwrap_err();
        assert!(matches!(err, AppError::RateLimited { retry_after_secs } if retry_after_secs >= 1));
        assert!(limiter.check(Some(a), "demo/other@x.com").is_ok());
    }
}
