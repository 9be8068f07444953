//! Between the password and the code: a session that has passed only the password. It is
//! kept under its own key, never [`AuthSession::KEY`], so nothing that looks for a
//! signed-in user (pages, JSON, tokens, forward auth) can mistake it for one. It lasts
//! five minutes.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::domain::{Amr, AuthSession};
use crate::error::Result;
use crate::state::AppState;
use crate::store;
use crate::store::users::{self, User};

const TTL_SECS: i64 = 5 * 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub user_id: i64,
    pub remember: bool,
    /// Where to go once signed in: a local path, an app's address (`rd`, checked), or
    /// empty for the account page.
    pub next: String,
    /// Whether the first step was another provider's sign-in rather than the password.
    #[serde(default)]
    pub federated: bool,
    /// Whether the first step was a code mailed to the address.
    #[serde(default)]
    pub emailed: bool,
    started_at: i64,
}

impl PendingSignIn {
    const KEY: &'static str = "second_step";

    pub fn new(user_id: i64, remember: bool, next: String) -> Self {
        Self { user_id, remember, next, federated: false, emailed: false, started_at: store::now() }
    }

    /// After another provider's sign-in instead of the password.
    pub fn after_provider(user_id: i64, next: String) -> Self {
        Self { federated: true, ..Self::new(user_id, false, next) }
    }

    /// After a code mailed to the address instead of the password.
    pub fn after_email_code(user_id: i64, next: String) -> Self {
        Self { emailed: true, ..Self::new(user_id, false, next) }
    }

    /// The factors of the sign-in once a code completes it.
    pub fn with_code(&self) -> Amr {
        match (self.federated, self.emailed) {
            (true, _) => Amr::federated_and_code(),
            (_, true) => Amr::email_and_code(),
            _ => Amr::password_and_code(),
        }
    }

    /// The factors of the sign-in once a passkey completes it.
    pub fn with_passkey(&self) -> Amr {
        match (self.federated, self.emailed) {
            (true, _) => Amr::federated_and_passkey(),
            (_, true) => Amr::email_and_passkey(),
            _ => Amr::password_and_passkey(),
        }
    }

    /// Puts the browser in the pending state under a new session id. Whoever was signed
    /// in on this browser before is not any more.
    pub async fn begin(self, session: &Session) -> Result<()> {
        session.remove_value(AuthSession::KEY).await?;
        session.cycle_id().await?;
        session.insert(Self::KEY, self).await?;
        Ok(())
    }

    /// The browser's pending sign-in, if it has one that has not expired (an expired one
    /// is forgotten here).
    pub async fn of(session: &Session) -> Result<Option<Self>> {
        let Some(pending) = session.get::<Self>(Self::KEY).await? else { return Ok(None) };
        if store::now() - pending.started_at > TTL_SECS {
            session.remove_value(Self::KEY).await?;
            return Ok(None);
        }
        Ok(Some(pending))
    }

    /// The account being signed in to, while it may still sign in.
    pub async fn user(&self, state: &AppState) -> Result<Option<User>> {
        let user = users::find_by_id(state.store().pool(), self.user_id).await?;
        Ok(user.filter(|user| !user.is_disabled()))
    }

    /// Ends the pending state (the sign-in is complete).
    pub async fn finish(session: &Session) -> Result<()> {
        session.remove_value(Self::KEY).await?;
        Ok(())
    }
}
