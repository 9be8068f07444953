//! Changing the address: a link to the new address, a notice to the old one, and the
//! change only when the link is used (Devise's "reconfirmable").

use super::Client;
use crate::domain::{Email, Token};
use crate::error::Result;
use crate::mail::messages;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::users::User;
use crate::store::{self, users};

/// Mails a confirmation link to `new_email` and a notice to the old address. If the new
/// address belongs to another account, its owner is told instead, and the requester
/// learns nothing.
pub async fn request(state: &AppState, user: &User, new_email: &Email, client: &Client) -> Result<()> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    if !super::notices::within_budget(&mut tx, new_email).await? {
        return Ok(());
    }
    let mail = if let Some(owner) = users::find_by_email(&mut *tx, new_email).await? {
        messages::email_already_in_use(state.links(), new_email, owner.language())
    } else {
        // Only the newest request can be confirmed.
        tokens::revoke_for_user(&mut *tx, user.id, Purpose::ChangeEmail, now).await?;
        let token = Token::generate();
        tokens::insert(&mut *tx, &token, Purpose::ChangeEmail, user.id, new_email.as_str(), now).await?;
        let old = user.address()?;
        state
            .outbox()
            .enqueue(&mut tx, &messages::email_change_requested(state.links(), &old, new_email, user.language()))
            .await?;
        messages::confirm_new_email(state.links(), new_email, &token, user.language())
    };
    state.outbox().enqueue(&mut tx, &mail).await?;
    let (ip, agent) = (client.ip(), &client.user_agent);
    events::record(&mut *tx, user.id, EventKind::EmailChangeRequested, &ip, agent, now).await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "email_change_requested", user_id = user.id, "confirmation sent to the new address");
    Ok(())
}

/// What confirming a new address came to.
pub enum Confirmation {
    /// The account's address is now this one.
    Changed(String),
    Refused(Lookup),
    /// Another account took the address after the link was sent.
    Taken,
}

/// Makes the confirmed address the account's: exactly the one this link was sent to.
pub async fn confirm(state: &AppState, raw_token: &str) -> Result<Confirmation> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match super::links::redeem(&mut tx, raw_token, Purpose::ChangeEmail).await? {
        Lookup::Valid(row) => row,
        refused => return Ok(Confirmation::Refused(refused)),
    };
    match users::change_email(&mut *tx, row.user_id, &row.email, now).await {
        Ok(true) => {}
        Ok(false) => return Ok(Confirmation::Refused(Lookup::Unknown)),
        Err(error) if store::is_unique_violation(&error) => {
            tracing::info!(event = "email_change_refused", user_id = row.user_id, "the address was taken meanwhile");
            return Ok(Confirmation::Taken);
        }
        Err(error) => return Err(error.into()),
    }
    tokens::revoke_for_user(&mut *tx, row.user_id, Purpose::ChangeEmail, now).await?;
    tokens::revoke_for_user(&mut *tx, row.user_id, Purpose::ResetPassword, now).await?;
    events::record(&mut *tx, row.user_id, EventKind::EmailChanged, "", "", now).await?;
    tx.commit().await?;
    tracing::info!(event = "email_changed", user_id = row.user_id, "address changed");
    Ok(Confirmation::Changed(row.email))
}
