//! Per-account login throttling: growing delays after repeated failures, never a lockout.

use crate::store::throttle::Failures;

/// Failures allowed before delays begin.
pub const FREE_ATTEMPTS: i64 = 10;
/// A quiet day starts the count afresh.
pub const FORGET_AFTER_SECS: i64 = 24 * 60 * 60;
const MAX_DELAY_SECS: i64 = 15 * 60;

/// Seconds to wait after the latest failure: 2, 4, 8 … up to 15 minutes.
pub fn delay_secs(failures: i64) -> i64 {
    if failures < FREE_ATTEMPTS {
        return 0;
    }
    let exponent = (failures - FREE_ATTEMPTS + 1).min(20);
    (1i64 << exponent).min(MAX_DELAY_SECS)
}

/// How long the address must wait before another attempt, if it must.
pub fn retry_after(failures: Option<Failures>, now: i64) -> Option<u64> {
    let failures = failures.filter(|f| f.last_failure_at >= now - FORGET_AFTER_SECS)?;
    let until = failures.last_failure_at + delay_secs(failures.failures);
    (now < until).then(|| (until - now) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_the_free_attempts_and_grow_to_a_cap() {
        assert_eq!(delay_secs(FREE_ATTEMPTS - 1), 0);
        assert_eq!(delay_secs(FREE_ATTEMPTS), 2);
        assert_eq!(delay_secs(FREE_ATTEMPTS + 1), 4);
        assert_eq!(delay_secs(100), 900);
    }

    #[test]
    fn the_wait_counts_from_the_last_failure() {
        let failures = Failures { failures: FREE_ATTEMPTS + 1, last_failure_at: 1000 };
        assert_eq!(retry_after(Some(failures), 1001), Some(3));
        assert_eq!(retry_after(Some(failures), 1004), None);
        assert_eq!(retry_after(None, 1001), None);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let failures = Failures { failures: 50, last_failure_at: 0 };
        assert_eq!(retry_after(Some(failures), FORGET_AFTER_SECS + 1), None);
    }
}
