//! A signed-in user changes their password (after re-entering the current one).

use super::Client;
use super::sessions::CurrentUser;
use crate::domain::{AuthSession, Password};
use crate::error::Result;
use crate::mail::messages;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::{self, users};

/// Sets the new password, ends every other session (and, asked to, revokes every API
/// token) and mails a notice; this browser carries on under a new session id.
pub async fn change(
    state: &AppState,
    current: &CurrentUser,
    new_password: &Password,
    revoke_api_tokens: bool,
    client: &Client,
) -> Result<()> {
    let user = &current.user;
    let password_hash = state.hasher().hash(new_password.expose()).await?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    users::set_password_hash(&mut *tx, user.id, &password_hash).await?;
    super::sessions::end_all(&mut tx, user.id).await?;
    if revoke_api_tokens {
        super::api_tokens::revoke_all(&mut tx, user.id).await?;
    }
    events::record(&mut *tx, user.id, EventKind::PasswordChanged, &client.ip(), &client.user_agent, now).await?;
    state
        .outbox()
        .enqueue(&mut tx, &messages::password_changed(state.links(), &user.address()?, user.language()))
        .await?;
    state.outbox().commit(tx).await?;
    let renewed = AuthSession { authenticated_at: now, ..current.auth.clone() };
    super::sessions::start(&current.session, &renewed).await?;
    tracing::info!(event = "password_changed", user_id = user.id, "password changed; other sessions ended");
    Ok(())
}
