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

/// Wrong second-step codes in a row an account may send before it must wait: a code
/// has a million values, so the budget is far smaller than a password's.
pub const FREE_CODE_ATTEMPTS: i64 = 5;

/// Seconds to wait after the latest wrong code: 30, 60, 120 … up to 15 minutes.
pub fn code_delay_secs(failures: i64) -> i64 {
    if failures < FREE_CODE_ATTEMPTS {
        return 0;
    }
    let exponent = (failures - FREE_CODE_ATTEMPTS).min(20);
    (30i64 << exponent).min(MAX_DELAY_SECS)
}

/// How long the address must wait before another password attempt, if it must.
pub fn retry_after(failures: Option<Failures>, now: i64) -> Option<u64> {
    wait(failures, now, delay_secs)
}

/// How long the account must wait before another second-step code, if it must.
pub fn code_retry_after(failures: Option<Failures>, now: i64) -> Option<u64> {
    wait(failures, now, code_delay_secs)
}

fn wait(failures: Option<Failures>, now: i64, delay_secs: fn(i64) -> i64) -> Option<u64> {
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
    fn the_sixth_wrong_code_in_a_row_waits() {
        let after = |failures| code_retry_after(Some(Failures { failures, last_failure_at: 1000 }), 1000);
        assert_eq!(after(FREE_CODE_ATTEMPTS - 1), None);
        assert_eq!(after(FREE_CODE_ATTEMPTS), Some(30));
        assert_eq!(after(FREE_CODE_ATTEMPTS + 1), Some(60));
        assert_eq!(after(100), Some(900));
    }

    #[test]
    fn old_failures_are_forgotten() {
        let failures = Failures { failures: 50, last_failure_at: 0 };
        assert_eq!(retry_after(Some(failures), FORGET_AFTER_SECS + 1), None);
    }
}
