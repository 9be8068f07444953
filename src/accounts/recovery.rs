//! Forgotten passwords: a one-hour, single-use link by email.

use super::Client;
use crate::domain::{Email, Password, Token};
use crate::error::Result;
use crate::mail::messages;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::{self, users};

/// Mails a reset link to a known address (within the mail budget); nothing otherwise.
pub async fn request_reset(state: &AppState, email: &Email) -> Result<()> {
    let Some(user) = users::find_by_email(state.store().pool(), email).await? else { return Ok(()) };
    let mut tx = state.store().begin().await?;
    if !super::notices::within_budget(&mut tx, email).await? {
        return Ok(());
    }
    let token = Token::generate();
    tokens::insert(&mut *tx, &token, Purpose::ResetPassword, user.id, &user.email, store::now()).await?;
    state.outbox().enqueue(&mut tx, &messages::reset_password(state.links(), email, &token, user.language())).await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "password_reset_requested", user_id = user.id, "reset link sent");
    Ok(())
}

/// Uses the link up and sets the new password; the link also proves the address, and
/// every session ends (and, asked to, every API token). A refused link is returned as
/// it was found.
pub async fn reset(
    state: &AppState,
    raw_token: &str,
    password: &Password,
    revoke_api_tokens: bool,
    client: &Client,
) -> Result<Lookup> {
    let password_hash = state.hasher().hash(password.expose()).await?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match super::links::redeem(&mut tx, raw_token, Purpose::ResetPassword).await? {
        Lookup::Valid(row) => row,
        refused => return Ok(refused),
    };
    // A link sent to an address the account no longer has is worth nothing.
    let Some(user) = users::find_by_id(&mut *tx, row.user_id).await?.filter(|user| user.email == row.email) else {
        return Ok(Lookup::Unknown);
    };
    users::set_password_hash(&mut *tx, user.id, &password_hash).await?;
    users::mark_verified(&mut *tx, user.id, &user.email, now).await?;
    tokens::revoke_for_user(&mut *tx, user.id, Purpose::ResetPassword, now).await?;
    super::sessions::end_all(&mut tx, user.id).await?;
    if revoke_api_tokens {
        super::api_tokens::revoke_all(&mut tx, user.id).await?;
    }
    events::record(&mut *tx, user.id, EventKind::PasswordReset, &client.ip(), "", now).await?;
    let email = user.address()?;
    state.outbox().enqueue(&mut tx, &messages::password_was_reset(state.links(), &email, user.language())).await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "password_reset", user_id = user.id, "password reset; all sessions ended");
    Ok(Lookup::Valid(row))
}
