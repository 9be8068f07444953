//! "Email me a code" (`EMAIL_CODE_LOGIN=true`): a single-use code, valid ten minutes,
//! mailed to the address and good only in the browser that asked. Asking writes one row
//! for every address and hands the mailing to the background ([`super::deferred`]), so
//! neither the answer nor its timing says whether the address has an account; the code
//! is mailed only to an account's confirmed address, within its mail budget. Five wrong
//! tries spend a code. The code counts as one factor: two-step login still follows.

use sha2::{Digest, Sha256};

use super::deferred::{self, Ask};
use crate::domain::{Email, LoginCode};
use crate::error::Result;
use crate::mail::messages;
use crate::state::AppState;
use crate::store::users::{self, User};
use crate::store::{self, login_codes};

pub const VALID_SECS: i64 = 10 * 60;
pub const MAX_ATTEMPTS: i64 = 5;
const PURPOSE: &str = "login-code";

/// What the asking browser keeps (in its session) to prove it asked.
pub fn new_browser_nonce() -> String {
    random_hex()
}

fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

fn hash(nonce: &str) -> String {
    hex::encode(Sha256::digest(nonce.as_bytes()))
}

fn code_of(state: &AppState, salt: &str) -> LoginCode {
    LoginCode::derive(state.signing_key().sign(PURPOSE, salt).as_bytes())
}

/// Records the request of the browser holding `nonce` and asks for the mail; the same
/// work for every address.
pub async fn request(state: &AppState, email: &Email, nonce: &str) -> Result<()> {
    let now = store::now();
    login_codes::insert(state.store().pool(), email.as_str(), &random_hex(), &hash(nonce), now, now + VALID_SECS)
        .await?;
    deferred::ask(state, Ask::LoginCode, email).await
}

/// The background half: mails each code asked for (one per asking browser), if the
/// address is an account's that may sign in, while its mail budget allows.
pub async fn mail_code(state: &AppState, email: &Email) -> Result<()> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let user = users::find_by_email(&mut *tx, email).await?.filter(|user| user.is_verified() && !user.is_disabled());
    let Some(user) = user else { return Ok(()) };
    for row in login_codes::unmailed(&mut *tx, email.as_str(), now).await? {
        if !super::notices::within_budget(&mut tx, email).await? {
            break;
        }
        login_codes::mark_mailed(&mut *tx, row.id, now).await?;
        let mail = messages::login_code(email, &code_of(state, &row.salt), VALID_SECS / 60, user.language());
        state.outbox().enqueue(&mut tx, &mail).await?;
        tracing::info!(event = "login_code_sent", user_id = user.id, "sign-in code mailed");
    }
    state.outbox().commit(tx).await?;
    Ok(())
}

/// What trying a code found. Every refusal reads the same to the person.
pub enum Tried {
    SignedIn(Box<User>),
    Refused,
    Disabled,
}

/// Checks what the browser holding `nonce` typed for `email`.
pub async fn try_code(state: &AppState, email: &Email, nonce: &str, typed: &str) -> Result<Tried> {
    let pool = state.store().pool();
    let now = store::now();
    let row = login_codes::newest_of_browser(pool, email.as_str(), &hash(nonce)).await?;
    let Some(row) = row.filter(|row| row.mailed_at.is_some() && row.used_at.is_none() && row.expires_at > now) else {
        return Ok(Tried::Refused);
    };
    if login_codes::count_attempt(pool, row.id).await? > MAX_ATTEMPTS {
        tracing::warn!(event = "login_code_spent", "too many wrong tries at one code");
        return Ok(Tried::Refused);
    }
    let right = LoginCode::parse(typed).is_some_and(|typed| typed.matches(&code_of(state, &row.salt)));
    if !right || !login_codes::consume(pool, row.id, now).await? {
        tracing::warn!(event = "login_code_wrong", "a wrong sign-in code");
        return Ok(Tried::Refused);
    }
    match users::find_by_email(pool, email).await? {
        Some(user) if user.is_disabled() => Ok(Tried::Disabled),
        Some(user) if user.is_verified() => Ok(Tried::SignedIn(Box::new(user))),
        _ => Ok(Tried::Refused),
    }
}
