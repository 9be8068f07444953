//! The account's own activity log.

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    LoggedIn,
    LoginFailed,
    LoggedOut,
    EmailVerified,
    PasswordChanged,
    PasswordReset,
    EmailChangeRequested,
    EmailChanged,
    SessionRevoked,
    OtherSessionsRevoked,
    TwoFactorEnabled,
    TwoFactorDisabled,
    TwoFactorReset,
    RecoveryCodesRenewed,
    RecoveryCodeUsed,
    SecondStepFailed,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoggedIn => "logged_in",
            Self::LoginFailed => "login_failed",
            Self::LoggedOut => "logged_out",
            Self::EmailVerified => "email_verified",
            Self::PasswordChanged => "password_changed",
            Self::PasswordReset => "password_reset",
            Self::EmailChangeRequested => "email_change_requested",
            Self::EmailChanged => "email_changed",
            Self::SessionRevoked => "session_revoked",
            Self::OtherSessionsRevoked => "other_sessions_revoked",
            Self::TwoFactorEnabled => "two_factor_enabled",
            Self::TwoFactorDisabled => "two_factor_disabled",
            Self::TwoFactorReset => "two_factor_reset",
            Self::RecoveryCodesRenewed => "recovery_codes_renewed",
            Self::RecoveryCodeUsed => "recovery_code_used",
            Self::SecondStepFailed => "second_step_failed",
        }
    }

    /// How the account page describes the event.
    pub fn describe(kind: &str) -> &'static str {
        match kind {
            "logged_in" => "Logged in",
            "login_failed" => "Failed login attempt",
            "logged_out" => "Logged out",
            "email_verified" => "Email address confirmed",
            "password_changed" => "Password changed",
            "password_reset" => "Password reset by email link",
            "email_change_requested" => "Email change requested",
            "email_changed" => "Email address changed",
            "session_revoked" => "A session was signed out",
            "other_sessions_revoked" => "All other sessions were signed out",
            "two_factor_enabled" => "Two-step login turned on",
            "two_factor_disabled" => "Two-step login turned off",
            "two_factor_reset" => "Two-step login reset by an operator",
            "recovery_codes_renewed" => "New recovery codes made",
            "recovery_code_used" => "Signed in with a recovery code",
            "second_step_failed" => "Wrong two-step login code",
            _ => "Account activity",
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct Event {
    pub kind: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: i64,
}

/// Records an event; a user deleted in the meantime simply gets none (no orphan rows).
pub async fn record<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    kind: EventKind,
    ip: &str,
    user_agent: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_events (user_id, kind, ip, user_agent, created_at) \
         SELECT id, $2, $3, $4, $5 FROM users WHERE id = $1",
    )
    .bind(user_id)
    .bind(kind.as_str())
    .bind(ip)
    .bind(user_agent)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn recent<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, ip, user_agent, created_at FROM account_events WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The sign-in before the latest one: what "last sign-in" means to someone signed in now.
pub async fn previous_login<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
) -> Result<Option<Event>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, ip, user_agent, created_at FROM account_events \
         WHERE user_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1 OFFSET 1",
    )
    .bind(user_id)
    .bind(EventKind::LoggedIn.as_str())
    .fetch_optional(db)
    .await
}
