//! Checking a password: one path for the login form, HTTP Basic and the token endpoint,
//! with the account throttle, exactly one verification whether or not the account
//! exists (same time, same answer), failure counting and hash upgrades.

use secrecy::{ExposeSecret, SecretString};
use sqlx::AnyConnection;

use super::Client;
use crate::domain::{Amr, Email};
use crate::error::{AppError, Result};
use crate::i18n::Language;
use crate::mail::messages;
use crate::metrics;
use crate::security::hasher::Verification;
use crate::security::{device, throttle as backoff};
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::users::{self, User};
use crate::store::{self, throttle};

/// What checking an email and password found.
pub enum PasswordCheck {
    Accepted(User),
    /// The password is right, and the account asks for a second step before it counts
    /// as a sign-in (see [`crate::two_factor`]).
    SecondStepNeeded(User),
    /// Wrong email or password: one answer for both.
    Refused,
    Throttled {
        retry_after_secs: u64,
    },
    Unverified(User),
    Disabled(User),
}

/// Keys of the words ([`crate::i18n`]): a page shows them in the reader's language, JSON in English.
pub const DISABLED: &str = "error-account-disabled";
pub const UNVERIFIED_FOR_PROGRAMS: &str = "error-unverified-for-programs";

pub async fn check(state: &AppState, email: &str, password: SecretString, client: &Client) -> Result<PasswordCheck> {
    let pool = state.store().pool();
    let ip = client.ip;
    let email = Email::parse(email).ok();
    let user = match &email {
        Some(email) => users::find_by_email(pool, email).await?,
        None => None,
    };
    // Failures from a browser that logged in to this account before count on its own
    // budget; everyone else shares the address's.
    let known_device = user.as_ref().and_then(|user| known_device(state, user, client));
    let throttle_key = match (&known_device, &email) {
        (Some(device_id), _) => Some(device::throttle_key(device_id)),
        (None, Some(email)) => Some(email.as_str().to_owned()),
        (None, None) => None,
    };
    if let Some(key) = &throttle_key
        && let Some(retry_after_secs) = backoff::retry_after(throttle::get(pool, key).await?, store::now())
    {
        tracing::warn!(event = "login_throttled", user_id = user.as_ref().map(|u| u.id), %ip, retry_after_secs);
        metrics::login("throttled");
        return Ok(PasswordCheck::Throttled { retry_after_secs });
    }
    // An account with no password is checked against the dummy hash, like an unknown one.
    let verification = state.hasher().verify(&password, user.as_ref().and_then(User::password_phc)).await?;
    let known_user_id = user.as_ref().map(|u| u.id);
    let owner_language = user.as_ref().map(User::language).unwrap_or_default();
    let Some(mut user) = user.filter(|_| verification.is_match()) else {
        tracing::warn!(event = "login_failed", user_id = known_user_id, %ip, "wrong email or password");
        metrics::login("failed");
        if let (Some(email), Some(key)) = (&email, &throttle_key) {
            record_failure(state, email, key, known_user_id.map(|id| (id, owner_language)), client).await?;
        }
        return Ok(PasswordCheck::Refused);
    };
    if verification == Verification::MatchNeedsRehash {
        let fresh = state.hasher().hash(password.expose_secret()).await?;
        users::set_password_hash(pool, user.id, &fresh).await?;
        // The device cookie this login hands out is bound to the hash now stored.
        user.password_hash = fresh;
    }
    if user.is_disabled() {
        tracing::warn!(event = "login_disabled", user_id = user.id, %ip, "right password, account disabled");
        metrics::login("disabled");
        return Ok(PasswordCheck::Disabled(user));
    }
    if !user.is_verified() {
        tracing::info!(event = "login_unverified", user_id = user.id, "right password, address not confirmed");
        metrics::login("unverified");
        return Ok(PasswordCheck::Unverified(user));
    }
    throttle::clear(pool, &user.email).await?;
    if let Some(device_id) = &known_device {
        throttle::clear(pool, &device::throttle_key(device_id)).await?;
    }
    if user.has_two_factor() {
        tracing::info!(event = "login_second_step", user_id = user.id, %ip, "right password, code still needed");
        return Ok(PasswordCheck::SecondStepNeeded(user));
    }
    Ok(PasswordCheck::Accepted(user))
}

/// How a sign-in was made, for the activity log and the admin's.
#[derive(Debug, Clone, Copy)]
pub enum SignedInWith {
    Password,
    PasswordAndCode,
    PasswordAndRecoveryCode,
    Passkey,
    Provider,
    /// The link of an invitation, which made the account.
    Invitation,
    /// A code mailed to the address ([`crate::accounts::email_codes`]).
    EmailCode,
}

impl SignedInWith {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::PasswordAndCode => "password and code",
            Self::PasswordAndRecoveryCode => "password and recovery code",
            Self::Passkey => "passkey",
            Self::Provider => "sign-in provider",
            Self::Invitation => "invitation",
            Self::EmailCode => "emailed code",
        }
    }

    /// The key of the words for how a sign-in was made, from what [`Self::describe`]
    /// stored; `None` for what this version did not write.
    pub fn key_of(stored: &str) -> Option<&'static str> {
        [
            Self::Password,
            Self::PasswordAndCode,
            Self::PasswordAndRecoveryCode,
            Self::Passkey,
            Self::Provider,
            Self::Invitation,
            Self::EmailCode,
        ]
        .into_iter()
        .find(|with| with.describe() == stored)
        .map(|with| match with {
            Self::Password => "how-password",
            Self::PasswordAndCode => "how-password-and-code",
            Self::PasswordAndRecoveryCode => "how-password-and-recovery-code",
            Self::Passkey => "how-passkey",
            Self::Provider => "how-provider",
            Self::Invitation => "how-invitation",
            Self::EmailCode => "how-email-code",
        })
    }
}

/// The books of a program's completed sign-in: last login, the activity log (saying how),
/// the metrics. A browser's are kept by [`super::devices::record_sign_in`], with its device.
/// One commit: each commit empties every instance's read cache, which the session checks
/// arriving meanwhile pay for.
pub async fn record_sign_in(state: &AppState, user: &User, client: &Client, with: SignedInWith) -> Result<()> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    write_sign_in(&mut tx, user, client, with, now).await?;
    tx.commit().await?;
    signed_in(user, client);
    Ok(())
}

/// The sign-in's rows, within the caller's transaction.
pub async fn write_sign_in(
    conn: &mut AnyConnection,
    user: &User,
    client: &Client,
    with: SignedInWith,
    now: i64,
) -> Result<(), sqlx::Error> {
    users::record_login(&mut *conn, user.id, &client.ip(), now).await?;
    events::record_sign_in(&mut *conn, user.id, with.describe(), &client.ip(), &client.user_agent, now).await
}

/// The log line and the metric of a completed sign-in, once it is committed.
pub fn signed_in(user: &User, client: &Client) {
    tracing::info!(event = "login_succeeded", user_id = user.id, ip = %client.ip, "signed in");
    metrics::login("ok");
}

/// The check for programs (HTTP Basic, the token endpoint): the login form's per-IP
/// budget and account throttle, every refusal an error. An account with two-step login
/// needs `otp` too (Basic has no place for one, so it is refused there).
pub async fn check_for_program(
    state: &AppState,
    email: &str,
    password: SecretString,
    otp: Option<&str>,
    client: &Client,
) -> Result<(User, Amr)> {
    if let Some(retry_after_secs) = state.password_budget_exhausted(client.ip) {
        return Err(AppError::TooManyRequests { retry_after_secs });
    }
    match check(state, email, password, client).await? {
        PasswordCheck::Accepted(user) => {
            record_sign_in(state, &user, client, SignedInWith::Password).await?;
            Ok((user, Amr::password()))
        }
        PasswordCheck::SecondStepNeeded(user) => {
            let amr = crate::two_factor::program_second_step(state, &user, otp, client).await?;
            record_sign_in(state, &user, client, SignedInWith::PasswordAndCode).await?;
            Ok((user, amr))
        }
        PasswordCheck::Refused => Err(AppError::Unauthorized("The email or password is incorrect.")),
        PasswordCheck::Throttled { retry_after_secs } => Err(AppError::TooManyRequests { retry_after_secs }),
        PasswordCheck::Unverified(_) => Err(AppError::Forbidden(UNVERIFIED_FOR_PROGRAMS)),
        PasswordCheck::Disabled(_) => Err(AppError::Forbidden(DISABLED)),
    }
}

/// Whether `password` is the user's. An empty one is not, without hashing it.
async fn is_current(state: &AppState, user: &User, password: &str) -> Result<bool> {
    if password.is_empty() {
        return Ok(false);
    }
    let password = SecretString::from(password);
    Ok(state.hasher().verify(&password, user.password_phc()).await?.is_match())
}

/// Whether `typed` is the signed-in user's password: the one check for every place that
/// asks a signed-in person to re-enter it (changing the password or address, deleting the
/// account, two-step setup and removal, creating tokens, renewing a stale sign-in). It
/// spends the same per-account budget as `POST /login` (the address's), so a stolen
/// session or token cannot become a way to guess the password: after ten wrong ones in a
/// row, `429` with a growing wait, wherever they were typed.
pub async fn reconfirm(state: &AppState, user: &User, typed: &str) -> Result<bool> {
    let pool = state.store().pool();
    let key = user.email.as_str();
    let now = store::now();
    if let Some(retry_after_secs) = backoff::retry_after(throttle::get(pool, key).await?, now) {
        tracing::warn!(event = "reconfirm_throttled", user_id = user.id, retry_after_secs);
        return Err(AppError::TooManyRequests { retry_after_secs });
    }
    if is_current(state, user, typed).await? {
        throttle::clear(pool, key).await?;
        return Ok(true);
    }
    throttle::record_failure(pool, key, now, now - backoff::FORGET_AFTER_SECS).await?;
    tracing::warn!(event = "reconfirm_failed", user_id = user.id, "wrong password re-entered");
    Ok(false)
}

/// This browser's id, if it carries a device cookie for `user` (see [`device`]).
fn known_device(state: &AppState, user: &User, client: &Client) -> Option<String> {
    device::recognise(state.signing_key(), client.device_cookie.as_deref()?, user)
}

/// Counts a failure on `throttle_key` (the address's, or a known browser's), and tells the
/// owner once when their address is under attack.
/// `owner` is the account's id and language, if the address has one.
async fn record_failure(
    state: &AppState,
    email: &Email,
    throttle_key: &str,
    owner: Option<(i64, Language)>,
    client: &Client,
) -> Result<()> {
    let pool = state.store().pool();
    let now = store::now();
    let failures = throttle::record_failure(pool, throttle_key, now, now - backoff::FORGET_AFTER_SECS).await?;
    let Some((user_id, lang)) = owner else { return Ok(()) };
    users::record_failed_login(pool, user_id).await?;
    events::record(pool, user_id, EventKind::LoginFailed, &client.ip(), &client.user_agent, now).await?;
    if failures.failures >= backoff::FREE_ATTEMPTS && throttle::claim_notice(pool, email.as_str(), now).await? {
        state.outbox().send(state.store(), &messages::failed_logins(state.links(), email, lang)).await?;
    }
    Ok(())
}
