//! Deleting an account: by its owner (with a goodbye mail) or by an operator.

use sqlx::AnyConnection;

use super::sessions::CurrentUser;
use crate::error::Result;
use crate::mail::messages;
use crate::state::AppState;
use crate::store::users::User;
use crate::store::{outbox, users};

/// Deletes the account with its tokens, sessions and activity (the database cascades),
/// and the mail still waiting for it, within the caller's transaction.
pub async fn delete(conn: &mut AnyConnection, user: &User) -> Result<(), sqlx::Error> {
    outbox::delete_unsent_to(&mut *conn, &user.email).await?;
    users::delete(&mut *conn, user.id).await?;
    Ok(())
}

/// The owner deletes their own account: one transaction, a goodbye mail, signed out.
pub async fn delete_own(state: &AppState, current: &CurrentUser) -> Result<()> {
    let user = &current.user;
    let email = user.address()?;
    let mut tx = state.store().begin().await?;
    delete(&mut tx, user).await?;
    state.outbox().enqueue(&mut tx, &messages::account_deleted(state.links(), &email, user.language())).await?;
    state.outbox().commit(tx).await?;
    current.session.flush().await?;
    tracing::info!(event = "account_deleted", user_id = user.id, "account deleted by its owner");
    Ok(())
}
