//! The security log: each account's own activity, which the account page shows, and
//! which the admin area reads across accounts.

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
    PasskeyAdded,
    PasskeyRemoved,
    ProviderLinked,
    ProviderUnlinked,
    AdminVerified,
    AdminDisabled,
    AdminEnabled,
    AdminSessionsRevoked,
    RoleGranted,
    RoleRevoked,
    /// On the admin's own log: the account they deleted is gone, its log with it.
    UserDeleted,
    ApiTokenCreated,
    ApiTokenRevoked,
    AppAllowed,
    AppAccessRevoked,
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
            Self::PasskeyAdded => "passkey_added",
            Self::PasskeyRemoved => "passkey_removed",
            Self::ProviderLinked => "provider_linked",
            Self::ProviderUnlinked => "provider_unlinked",
            Self::AdminVerified => "admin_verified",
            Self::AdminDisabled => "admin_disabled",
            Self::AdminEnabled => "admin_enabled",
            Self::AdminSessionsRevoked => "admin_sessions_revoked",
            Self::RoleGranted => "role_granted",
            Self::RoleRevoked => "role_revoked",
            Self::UserDeleted => "user_deleted",
            Self::ApiTokenCreated => "api_token_created",
            Self::ApiTokenRevoked => "api_token_revoked",
            Self::AppAllowed => "app_allowed",
            Self::AppAccessRevoked => "app_access_revoked",
        }
    }

    /// The key of the words for an event kind ([`crate::i18n`]); "account activity" for
    /// a kind this version does not know (a newer instance wrote it).
    pub fn describe(kind: &str) -> &'static str {
        match kind {
            "logged_in" => "event-logged-in",
            "login_failed" => "event-login-failed",
            "logged_out" => "event-logged-out",
            "email_verified" => "event-email-verified",
            "password_changed" => "event-password-changed",
            "password_reset" => "event-password-reset",
            "email_change_requested" => "event-email-change-requested",
            "email_changed" => "event-email-changed",
            "session_revoked" => "event-session-revoked",
            "other_sessions_revoked" => "event-other-sessions-revoked",
            "two_factor_enabled" => "event-two-factor-enabled",
            "two_factor_disabled" => "event-two-factor-disabled",
            "two_factor_reset" => "event-two-factor-reset",
            "recovery_codes_renewed" => "event-recovery-codes-renewed",
            "recovery_code_used" => "event-recovery-code-used",
            "second_step_failed" => "event-second-step-failed",
            "passkey_added" => "event-passkey-added",
            "passkey_removed" => "event-passkey-removed",
            "provider_linked" => "event-provider-linked",
            "provider_unlinked" => "event-provider-unlinked",
            "admin_verified" => "event-admin-verified",
            "admin_disabled" => "event-admin-disabled",
            "admin_enabled" => "event-admin-enabled",
            "admin_sessions_revoked" => "event-admin-sessions-revoked",
            "role_granted" => "event-role-granted",
            "role_revoked" => "event-role-revoked",
            "user_deleted" => "event-user-deleted",
            "api_token_created" => "event-api-token-created",
            "api_token_revoked" => "event-api-token-revoked",
            "app_allowed" => "event-app-allowed",
            "app_access_revoked" => "event-app-access-revoked",
            _ => "event-other",
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct Event {
    pub kind: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: i64,
    /// What the event was about: how a sign-in was made, a role, a deleted account.
    pub detail: Option<String>,
}

/// Every kind, for the admin area's filter.
pub const ALL_KINDS: [EventKind; 31] = [
    EventKind::LoggedIn,
    EventKind::LoginFailed,
    EventKind::LoggedOut,
    EventKind::EmailVerified,
    EventKind::PasswordChanged,
    EventKind::PasswordReset,
    EventKind::EmailChangeRequested,
    EventKind::EmailChanged,
    EventKind::SessionRevoked,
    EventKind::OtherSessionsRevoked,
    EventKind::TwoFactorEnabled,
    EventKind::TwoFactorDisabled,
    EventKind::TwoFactorReset,
    EventKind::RecoveryCodesRenewed,
    EventKind::RecoveryCodeUsed,
    EventKind::SecondStepFailed,
    EventKind::PasskeyAdded,
    EventKind::PasskeyRemoved,
    EventKind::ProviderLinked,
    EventKind::ProviderUnlinked,
    EventKind::AdminVerified,
    EventKind::AdminDisabled,
    EventKind::AdminEnabled,
    EventKind::AdminSessionsRevoked,
    EventKind::RoleGranted,
    EventKind::RoleRevoked,
    EventKind::UserDeleted,
    EventKind::ApiTokenCreated,
    EventKind::ApiTokenRevoked,
    EventKind::AppAllowed,
    EventKind::AppAccessRevoked,
];

impl EventKind {
    pub fn parse(kind: &str) -> Option<Self> {
        ALL_KINDS.into_iter().find(|known| known.as_str() == kind)
    }
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

/// A sign-in, and how it was made (`with`: "a password", "a passkey", ...).
pub async fn record_sign_in<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    with: &str,
    ip: &str,
    user_agent: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_events (user_id, kind, ip, user_agent, created_at, detail) \
         SELECT id, $2, $3, $4, $5, $6 FROM users WHERE id = $1",
    )
    .bind(user_id)
    .bind(EventKind::LoggedIn.as_str())
    .bind(ip)
    .bind(user_agent)
    .bind(now)
    .bind(with)
    .execute(db)
    .await?;
    Ok(())
}

/// Who acted on someone else's account, and on what: an admin (`actor_id`), or the
/// operator at the command line (`None`); `detail` names a role or a deleted account.
pub struct Acted<'a> {
    pub actor_id: Option<i64>,
    pub detail: Option<&'a str>,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Records an event on `user_id`'s log that someone else caused.
pub async fn record_acted<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    kind: EventKind,
    acted: &Acted<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_events (user_id, kind, ip, user_agent, created_at, acted_by, actor_id, detail) \
         SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM users WHERE id = $1",
    )
    .bind(user_id)
    .bind(kind.as_str())
    .bind(acted.ip)
    .bind(acted.user_agent)
    .bind(now)
    .bind(if acted.actor_id.is_some() { "admin" } else { "operator" })
    .bind(acted.actor_id)
    .bind(acted.detail)
    .execute(db)
    .await?;
    Ok(())
}

/// A row of the security log as the admin area shows it: whose, what, and who did it.
#[derive(Debug, Clone, FromRow)]
pub struct LogEntry {
    pub user_id: i64,
    pub user_email: String,
    pub kind: String,
    pub ip: String,
    pub user_agent: String,
    pub created_at: i64,
    /// `admin`, `operator`, or `None` for the account's owner.
    pub acted_by: Option<String>,
    pub actor_id: Option<i64>,
    /// `None` also when the admin's account is gone since.
    pub actor_email: Option<String>,
    pub detail: Option<String>,
}

/// One page of the log, newest first, of one account and/or one kind when given. Each
/// combination has its own statement so each can use its index.
pub async fn log<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: Option<i64>,
    kind: Option<EventKind>,
    limit: i64,
    offset: i64,
) -> Result<Vec<LogEntry>, sqlx::Error> {
    let filter = match (user_id, kind) {
        (Some(_), Some(_)) => "WHERE e.user_id = $3 AND e.kind = $4",
        (Some(_), None) => "WHERE e.user_id = $3",
        (None, Some(_)) => "WHERE e.kind = $3",
        (None, None) => "",
    };
    let sql = format!(
        "SELECT e.user_id, u.email AS user_email, e.kind, e.ip, e.user_agent, e.created_at, e.acted_by, e.actor_id, \
                a.email AS actor_email, e.detail \
         FROM account_events e JOIN users u ON u.id = e.user_id LEFT JOIN users a ON a.id = e.actor_id \
         {filter} ORDER BY e.id DESC LIMIT $1 OFFSET $2"
    );
    let mut query = sqlx::query_as(&sql).bind(limit).bind(offset);
    if let Some(user_id) = user_id {
        query = query.bind(user_id);
    }
    if let Some(kind) = kind {
        query = query.bind(kind.as_str());
    }
    query.fetch_all(db).await
}

pub async fn recent<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    // An admin's or operator's address and browser are not the account owner's business.
    sqlx::query_as(
        "SELECT kind, CASE WHEN acted_by IS NULL THEN ip ELSE '' END AS ip, \
                CASE WHEN acted_by IS NULL THEN user_agent ELSE '' END AS user_agent, created_at, detail \
         FROM account_events WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The sign-in before the latest one: what "last sign-in" means to someone signed in now.
/// Failed logins after the sign-in before the latest one (all of them, before a second
/// sign-in), in the order events were written: seconds would tie.
pub async fn failures_since_previous_login<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM account_events WHERE user_id = $1 AND kind = $2 AND id > COALESCE((SELECT id \
         FROM account_events WHERE user_id = $1 AND kind = $3 ORDER BY id DESC LIMIT 1 OFFSET 1), 0)",
    )
    .bind(user_id)
    .bind(EventKind::LoginFailed.as_str())
    .bind(EventKind::LoggedIn.as_str())
    .fetch_one(db)
    .await
}

pub async fn previous_login<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
) -> Result<Option<Event>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, ip, user_agent, created_at, detail FROM account_events \
         WHERE user_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1 OFFSET 1",
    )
    .bind(user_id)
    .bind(EventKind::LoggedIn.as_str())
    .fetch_optional(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    #[test]
    fn every_kind_has_words_of_its_own() {
        for kind in ALL_KINDS {
            let key = EventKind::describe(kind.as_str());
            assert_ne!(key, "event-other", "{kind:?}");
            assert!(Language::knows(key), "{key}");
        }
    }
}
