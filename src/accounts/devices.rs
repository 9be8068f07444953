//! "A new browser signed in to your account": every browser that signs in keeps one id
//! in its device cookie ([`crate::security::device`]); the account remembers a hash of
//! each. A sign-in from a browser the account has not seen, when it has seen others,
//! mails the owner when and with what it happened, and a link that ends that session and
//! leads to a new password. The first browser of an account is not news. The owner can
//! turn the mail off; it also counts against the address's mail budget, so a script that
//! signs in without keeping cookies does not flood the inbox.

use sha2::{Digest, Sha256};

use super::Client;
use crate::domain::{AuthSession, Email, Token};
use crate::error::Result;
use crate::mail::messages;
use crate::security::device;
use crate::state::AppState;
use crate::store::users::User;
use crate::store::{self, known_devices, tokens};

/// Remembers this browser for `user`, mailing the owner if it is new to the account.
/// Returns the browser's id, for its device cookie.
pub async fn remember(state: &AppState, user: &User, auth: &AuthSession, client: &Client) -> Result<String> {
    let claimed = client.device_cookie.as_deref().and_then(|value| device::claimed_id(value, user.id));
    let device_id = claimed.map_or_else(device::new_id, str::to_owned);
    let device_hash = hex::encode(Sha256::digest(device_id.as_bytes()));
    let mut tx = state.store().begin().await?;
    // Most sign-ins come from a known browser: they only read.
    if claimed.is_some() && known_devices::is_known(&mut tx, user.id, &device_hash).await? {
        return Ok(device_id);
    }
    let now = store::now();
    let new_here = known_devices::remember(&mut tx, user.id, &device_hash, now).await?;
    let seen_others = new_here && known_devices::count(&mut tx, user.id).await? > 1;
    if seen_others && user.wants_new_device_mail() {
        let email = user.address()?;
        if super::notices::within_budget(&mut tx, &email).await? {
            let token = Token::generate();
            tokens::insert_for_session(&mut *tx, &token, user.id, &user.email, &auth.sid, now).await?;
            let mail = new_device_mail(state, &email, &token, auth, user);
            state.outbox().enqueue(&mut tx, &mail).await?;
            tracing::info!(event = "new_device_sign_in", user_id = user.id, "owner mailed");
        }
    }
    state.outbox().commit(tx).await?;
    Ok(device_id)
}

fn new_device_mail(
    state: &AppState,
    to: &Email,
    token: &Token,
    auth: &AuthSession,
    user: &User,
) -> crate::mail::OutgoingMail {
    let lang = user.language();
    let device = crate::web::format::describe_device(lang, &auth.user_agent);
    messages::new_device(state.links(), to, token, (&lang.date_time(auth.authenticated_at), &device, &auth.ip), lang)
}

/// What a "was this not you?" link did.
pub enum Disowned {
    /// The session is over (if it still was); the person goes on to choose a new
    /// password with this reset link, which the mail's link was as good as.
    Reset(Token),
    Refused(tokens::Lookup),
}

/// Ends the session a new-device mail told of, and makes a reset link for the account.
pub async fn disown(state: &AppState, raw_token: &str, client: &Client) -> Result<Disowned> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match super::links::redeem(&mut tx, raw_token, tokens::Purpose::EndSession).await? {
        tokens::Lookup::Valid(row) => row,
        refused => return Ok(Disowned::Refused(refused)),
    };
    let sid = row.session_sid.as_deref().unwrap_or_default();
    if let Some(key) = store::sessions::key_of_sid(&mut *tx, row.user_id, sid).await? {
        store::sessions::delete_one(&mut *tx, row.user_id, &key).await?;
    }
    let reset = Token::generate();
    tokens::insert(&mut *tx, &reset, tokens::Purpose::ResetPassword, row.user_id, &row.email, now).await?;
    let kind = store::events::EventKind::SessionRevoked;
    store::events::record(&mut *tx, row.user_id, kind, &client.ip(), &client.user_agent, now).await?;
    tx.commit().await?;
    tracing::warn!(event = "new_device_disowned", user_id = row.user_id, "the owner ended a sign-in they did not make");
    Ok(Disowned::Reset(reset))
}
