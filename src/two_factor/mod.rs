//! Two-step login: a TOTP authenticator app as the second factor, recovery codes for a
//! lost phone, and the pending state between the password and the code. The rules here
//! serve the account pages, the login pages, the token endpoint and the operator's command.

pub mod pending;
pub mod recovery_codes;
pub mod totp;

use sqlx::AnyConnection;

use crate::accounts::Client;
use crate::accounts::password;
use crate::accounts::sessions::{self, CurrentUser};
use crate::domain::{Amr, AuthSession, SecondFactorCode};
use crate::error::{AppError, Result};
use crate::mail::messages;
use crate::security::throttle as backoff;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::users::User;
use crate::store::{self, throttle, two_factor};
use totp::TotpSecret;

/// How long a new secret waits for its first code.
const SETUP_TTL_SECS: i64 = 15 * 60;

/// Why a change to two-step login was refused; each has its own page or status.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("wrong password")]
    WrongPassword,
    #[error("wrong code")]
    WrongCode,
    #[error("too many wrong codes")]
    Throttled { retry_after_secs: u64 },
    #[error("unverified address")]
    Unverified,
    #[error("two-step login is already on")]
    AlreadyOn,
    #[error("two-step login is off")]
    NotOn,
    #[error("no setup to confirm")]
    NoSetup,
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        Self::Failed(error.into())
    }
}

impl From<anyhow::Error> for Refusal {
    fn from(error: anyhow::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// A new secret, shown once so the user can put it in their app.
pub struct Setup {
    pub uri: String,
    pub secret: String,
    pub qr_svg: String,
}

impl Setup {
    fn of(secret: &TotpSecret, issuer: &str, email: &str) -> Self {
        let uri = secret.uri(issuer, email);
        Self { qr_svg: totp::qr_svg(&uri), secret: secret.base32().to_owned(), uri }
    }
}

/// Starts enrolment: a new secret, pending until [`confirm_setup`] sees a code from it.
pub async fn begin_setup(state: &AppState, user: &User, password: &str) -> Result<Setup, Refusal> {
    if !user.is_verified() {
        return Err(Refusal::Unverified);
    }
    if !password::reconfirm(state, user, password).await? {
        return Err(Refusal::WrongPassword);
    }
    let secret = TotpSecret::generate();
    let sealed = state.vault().seal(secret.base32());
    if !two_factor::save_pending(state.store().pool(), user.id, &sealed, store::now()).await? {
        return Err(Refusal::AlreadyOn);
    }
    Ok(Setup::of(&secret, state.branding().name(), &user.email))
}

/// The setup waiting for its first code, shown again after a wrong one.
pub async fn pending_setup(state: &AppState, user: &User) -> Result<Option<Setup>> {
    let Some(pending) = two_factor::pending(state.store().pool(), user.id).await? else { return Ok(None) };
    let secret = TotpSecret::from_base32(&state.vault().open(&pending.secret)?);
    Ok(Some(Setup::of(&secret, state.branding().name(), &user.email)))
}

/// Turns two-step login on with the first right code: every other session and refresh
/// token ends, a notice is mailed, and the ten recovery codes come back to be shown once.
pub async fn confirm_setup(
    state: &AppState,
    current: &CurrentUser,
    code: &str,
    client: &Client,
) -> Result<Vec<String>, Refusal> {
    let user = &current.user;
    let now = store::now();
    let pending = two_factor::pending(state.store().pool(), user.id).await?;
    let pending = pending.filter(|pending| now - pending.created_at <= SETUP_TTL_SECS).ok_or(Refusal::NoSetup)?;
    let secret = TotpSecret::from_base32(&state.vault().open(&pending.secret)?);
    let Some(SecondFactorCode::Totp(code)) = SecondFactorCode::parse(code) else { return Err(Refusal::WrongCode) };
    let step = secret.step_of(&code, now).ok_or(Refusal::WrongCode)?;
    let codes = recovery_codes::generate();
    let mut tx = state.store().begin().await?;
    if !two_factor::confirm(&mut tx, user.id, &pending.secret, step, now).await? {
        // Another tab confirmed or replaced this secret in the meantime.
        return Err(Refusal::NoSetup);
    }
    store_codes(state, &mut tx, user.id, &codes).await?;
    sessions::end_all_but(&mut tx, user.id, &current.session_key()).await?;
    events::record(&mut *tx, user.id, EventKind::TwoFactorEnabled, &client.ip(), &client.user_agent, now).await?;
    state
        .outbox()
        .enqueue(&mut tx, &messages::two_factor_enabled(state.links(), &user.address()?, user.language()))
        .await?;
    state.outbox().commit(tx).await?;
    // This browser just proved it holds the app: its session now counts both factors.
    let upgraded = AuthSession { amr: Amr::password_and_code(), ..current.auth.clone() };
    sessions::start(&current.session, &upgraded).await?;
    tracing::info!(event = "two_factor_enabled", user_id = user.id, "two-step login turned on; other sessions ended");
    Ok(recovery_codes::shown(&codes))
}

/// A new set of recovery codes, after the password; the old set stops working.
pub async fn renew_recovery_codes(
    state: &AppState,
    user: &User,
    password: &str,
    client: &Client,
) -> Result<Vec<String>, Refusal> {
    if !user.has_two_factor() {
        return Err(Refusal::NotOn);
    }
    if !password::reconfirm(state, user, password).await? {
        return Err(Refusal::WrongPassword);
    }
    let codes = recovery_codes::generate();
    let mut tx = state.store().begin().await?;
    store_codes(state, &mut tx, user.id, &codes).await?;
    let now = store::now();
    events::record(&mut *tx, user.id, EventKind::RecoveryCodesRenewed, &client.ip(), &client.user_agent, now).await?;
    tx.commit().await?;
    tracing::info!(event = "recovery_codes_renewed", user_id = user.id, "new recovery codes");
    Ok(recovery_codes::shown(&codes))
}

/// Turns two-step login off, after the password and a code (from the app or a recovery
/// code), and mails a notice.
pub async fn turn_off(
    state: &AppState,
    user: &User,
    password: &str,
    code: &str,
    client: &Client,
) -> Result<(), Refusal> {
    if !user.has_two_factor() {
        return Err(Refusal::NotOn);
    }
    if !password::reconfirm(state, user, password).await? {
        return Err(Refusal::WrongPassword);
    }
    match check_code(state, user, code, client).await? {
        Verdict::Accepted { .. } => {}
        Verdict::Wrong => return Err(Refusal::WrongCode),
        Verdict::Throttled { retry_after_secs } => return Err(Refusal::Throttled { retry_after_secs }),
    }
    let mut tx = state.store().begin().await?;
    two_factor::remove(&mut tx, user.id).await?;
    let now = store::now();
    events::record(&mut *tx, user.id, EventKind::TwoFactorDisabled, &client.ip(), &client.user_agent, now).await?;
    state
        .outbox()
        .enqueue(&mut tx, &messages::two_factor_disabled(state.links(), &user.address()?, user.language()))
        .await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "two_factor_disabled", user_id = user.id, "two-step login turned off by its owner");
    Ok(())
}

/// Turns two-step login off for a locked-out user, within the caller's transaction, and
/// mails them a notice; the caller records who did it ([`crate::admin`]). `false` when
/// it was not on.
pub async fn reset(conn: &mut AnyConnection, links: &messages::Links, user: &User) -> Result<bool> {
    if !two_factor::remove(&mut *conn, user.id).await? {
        return Ok(false);
    }
    crate::mail::enqueue(&mut *conn, &messages::two_factor_reset(links, &user.address()?, user.language())).await?;
    Ok(true)
}

async fn store_codes(state: &AppState, conn: &mut AnyConnection, user_id: i64, codes: &[String]) -> Result<()> {
    let hashes: Vec<String> =
        codes.iter().map(|code| recovery_codes::hash(state.signing_key(), user_id, code)).collect();
    two_factor::replace_recovery_codes(conn, user_id, &hashes).await?;
    Ok(())
}

/// What checking a second-step code found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Accepted {
        by_recovery_code: bool,
    },
    /// Wrong, malformed, replayed or already used: one answer for all.
    Wrong,
    Throttled {
        retry_after_secs: u64,
    },
}

/// Checks a code of `user`'s: a TOTP code for the step before, the current or the next
/// one, each step at most once; or an unused recovery code, used up here. Five wrong
/// codes in a row make the account wait; using a recovery code mails a notice.
pub async fn check_code(state: &AppState, user: &User, input: &str, client: &Client) -> Result<Verdict> {
    let pool = state.store().pool();
    let now = store::now();
    let key = throttle_key(user.id);
    // Counted before it is checked (and forgotten if right), so that five codes are the
    // most checked, however many arrive at once on however many instances.
    let forget_before = now - backoff::FORGET_AFTER_SECS;
    let wait = |failures| backoff::code_retry_after(failures, now);
    if let Err(retry_after_secs) = throttle::claim_attempt(pool, &key, now, forget_before, wait).await? {
        tracing::warn!(event = "second_step_throttled", user_id = user.id, retry_after_secs);
        return Ok(Verdict::Throttled { retry_after_secs });
    }
    let accepted = match SecondFactorCode::parse(input) {
        Some(SecondFactorCode::Totp(code)) => app_code_accepted(state, user, &code, now).await?,
        Some(SecondFactorCode::Recovery(code)) => recovery_code_accepted(state, user, &code, client, now).await?,
        None => None,
    };
    let Some(by_recovery_code) = accepted else {
        events::record(pool, user.id, EventKind::SecondStepFailed, &client.ip(), &client.user_agent, now).await?;
        tracing::warn!(event = "second_step_failed", user_id = user.id, ip = %client.ip, "wrong second-step code");
        return Ok(Verdict::Wrong);
    };
    throttle::clear(pool, &key).await?;
    Ok(Verdict::Accepted { by_recovery_code })
}

/// `Some(false)` when the app code is right and its step not used before.
async fn app_code_accepted(state: &AppState, user: &User, code: &str, now: i64) -> Result<Option<bool>> {
    let pool = state.store().pool();
    let Some(stored) = two_factor::active_secret(pool, user.id).await? else { return Ok(None) };
    let secret = TotpSecret::from_base32(&state.vault().open(&stored)?);
    let Some(step) = secret.step_of(code, now) else { return Ok(None) };
    if !two_factor::take_step(pool, user.id, step).await? {
        tracing::warn!(event = "second_step_replayed", user_id = user.id, "a code for a used step came back");
        return Ok(None);
    }
    Ok(Some(false))
}

/// `Some(true)` when the recovery code was unused; it is used up now, and the owner told.
async fn recovery_code_accepted(
    state: &AppState,
    user: &User,
    code: &str,
    client: &Client,
    now: i64,
) -> Result<Option<bool>> {
    let hash = recovery_codes::hash(state.signing_key(), user.id, code);
    let mut tx = state.store().begin().await?;
    if !two_factor::use_recovery_code(&mut *tx, user.id, &hash, now).await? {
        return Ok(None);
    }
    let left = two_factor::recovery_codes_left(&mut *tx, user.id).await?;
    events::record(&mut *tx, user.id, EventKind::RecoveryCodeUsed, &client.ip(), &client.user_agent, now).await?;
    state
        .outbox()
        .enqueue(&mut tx, &messages::recovery_code_used(state.links(), &user.address()?, left, user.language()))
        .await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "recovery_code_used", user_id = user.id, left, "signed in with a recovery code");
    Ok(Some(true))
}

/// The second step's failures count per account, beside the password's per address.
fn throttle_key(user_id: i64) -> String {
    format!("second-step:{user_id}")
}

/// What the account page shows.
pub struct Status {
    pub on: bool,
    pub recovery_codes_left: i64,
}

/// Read afresh: the page that has just turned it on or off holds the user as it was.
pub async fn status(state: &AppState, user: &User) -> Result<Status> {
    let pool = state.store().pool();
    let left = two_factor::recovery_codes_left(pool, user.id).await?;
    let on = crate::store::users::find_by_id(pool, user.id).await?.is_some_and(|user| user.has_two_factor());
    Ok(Status { on, recovery_codes_left: left })
}

/// The second step of a program's sign-in (the password was right): the code it sent
/// as `otp`, or `mfa-required` when it sent none.
pub async fn program_second_step(state: &AppState, user: &User, otp: Option<&str>, client: &Client) -> Result<Amr> {
    let Some(otp) = otp else { return Err(AppError::SecondStepRequired) };
    match check_code(state, user, otp, client).await? {
        Verdict::Accepted { .. } => Ok(Amr::password_and_code()),
        Verdict::Wrong => Err(AppError::Unauthorized("The two-step login code is incorrect.")),
        Verdict::Throttled { retry_after_secs } => Err(AppError::TooManyRequests { retry_after_secs }),
    }
}
