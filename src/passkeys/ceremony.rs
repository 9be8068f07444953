//! A ceremony in progress, kept server-side in the session (both engines) between its
//! start and its finish. Taken out on finish, so each challenge is answered at most once;
//! it lasts as long as the browser is given to answer.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use webauthn_rs::prelude::{DiscoverableAuthentication, PasskeyAuthentication, PasskeyRegistration, Uuid};

use crate::error::Result;
use crate::store;

/// webauthn-rs's default authenticator timeout, which the options tell the browser.
const TTL_SECS: i64 = 5 * 60;

#[derive(Serialize, Deserialize)]
pub enum Ceremony {
    Registration { state: PasskeyRegistration, handle: Uuid, user_id: i64 },
    SignIn { state: DiscoverableAuthentication },
    SecondStep { state: PasskeyAuthentication, user_id: i64 },
}

#[derive(Serialize, Deserialize)]
struct Started {
    ceremony: Ceremony,
    at: i64,
}

impl Ceremony {
    const KEY: &'static str = "passkey_ceremony";

    /// Starts this ceremony on the browser's session, replacing one it left unfinished.
    pub async fn begin(self, session: &Session) -> Result<()> {
        session.insert(Self::KEY, Started { ceremony: self, at: store::now() }).await?;
        Ok(())
    }

    /// The ceremony to finish, if one was started and has not expired; gone afterwards.
    pub async fn take(session: &Session) -> Result<Option<Self>> {
        let started = session.remove::<Started>(Self::KEY).await?;
        Ok(started.filter(|started| store::now() - started.at <= TTL_SECS).map(|started| started.ceremony))
    }
}
