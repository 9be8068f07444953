use serde::{Deserialize, Serialize};
use time::Duration;

use super::Amr;

/// What a signed-in session remembers, stored under [`AuthSession::KEY`] in the session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuthSession {
    pub user_id: i64,
    pub remember: bool,
    /// Unix time of the last password entry, for "recent authentication" checks.
    pub authenticated_at: i64,
    pub ip: String,
    pub user_agent: String,
    /// The factors this sign-in passed.
    #[serde(default)]
    pub amr: Amr,
    /// This sign-in's public name (random), the `sid` of the ID tokens apps get from it:
    /// an app's logout request names the session it means. Never the cookie's secret id.
    #[serde(default)]
    pub sid: String,
}

impl AuthSession {
    pub const KEY: &'static str = "auth";

    pub fn policy(&self) -> SessionPolicy {
        SessionPolicy::for_remember(self.remember)
    }
}

/// How long a session lives: it ends after `idle` without a request, or `absolute` after login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl SessionPolicy {
    pub const BROWSER: Self = Self { idle: Duration::minutes(30), absolute: Duration::hours(12) };
    pub const REMEMBERED: Self = Self { idle: Duration::days(30), absolute: Duration::days(30) };

    pub fn for_remember(remember: bool) -> Self {
        if remember { Self::REMEMBERED } else { Self::BROWSER }
    }
}
