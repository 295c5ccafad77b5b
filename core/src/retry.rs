//! Backoff for the retry loop (DESIGN §3): full-jitter exponential from 10 ms.
//!
//! Which errors are retried, and how long, is decided where each error is made
//! ([`crate::error::Retry`]); this module only says how long to wait between attempts.

use std::time::Duration;

/// The first ceiling.
pub const BASE: Duration = Duration::from_millis(10);
/// No single wait exceeds this, so a 3 s readiness deadline still gets ~20+ attempts.
pub const CAP: Duration = Duration::from_millis(250);
/// Extra attempts for transient errors (429, 5xx, timeouts, resets).
pub const MAX_TRANSIENT_RETRIES: u32 = 2;

/// The wait after attempt number `attempt` (1-based): uniform in `[0, min(CAP, BASE·2^(attempt-1))]`.
/// `random(n)` returns a uniform integer in `0..=n`.
pub fn backoff(attempt: u32, random: impl FnOnce(u64) -> u64) -> Duration {
    let exp = attempt.saturating_sub(1).min(16);
    let ceiling = BASE.saturating_mul(1u32 << exp).min(CAP);
    let micros = u64::try_from(ceiling.as_micros()).unwrap_or(u64::MAX);
    Duration::from_micros(random(micros).min(micros))
}

/// [`backoff`] with the thread-local generator.
pub fn jittered(attempt: u32) -> Duration {
    backoff(attempt, |n| fastrand::u64(0..=n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_from_ten_ms_up_to_the_cap() {
        let max = |a| backoff(a, |n| n);
        assert_eq!(max(1), Duration::from_millis(10));
        assert_eq!(max(2), Duration::from_millis(20));
        assert_eq!(max(3), Duration::from_millis(40));
        assert_eq!(max(5), Duration::from_millis(160));
        assert_eq!(max(6), CAP);
        assert_eq!(max(1000), CAP);
        assert_eq!(backoff(3, |_| 0), Duration::ZERO);
    }

    #[test]
    fn jitter_stays_inside_the_ceiling_and_spreads() {
        let mut rng = fastrand::Rng::with_seed(7);
        let waits: Vec<Duration> = (0..200).map(|_| backoff(4, |n| rng.u64(0..=n))).collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_millis(80)));
        let distinct: std::collections::HashSet<_> = waits.iter().collect();
        assert!(distinct.len() > 100, "full jitter should spread waits");
    }
}
