//! The last step of every way to sign in (password, second step, passkey, provider,
//! invitation, emailed code): the session, and the browser's device cookie.

use axum_extra::extract::cookie::Cookie;
use tower_sessions::Session;

use crate::accounts::password::SignedInWith;
use crate::accounts::{Client, devices, sessions};
use crate::domain::AuthSession;
use crate::error::Result;
use crate::security::device;
use crate::state::AppState;
use crate::store::users::User;

/// Starts `auth`'s session on this browser, keeps the books (saying how the person signed
/// in `with`) and returns the device cookie to set; the owner hears of it if the browser
/// is new to the account.
pub async fn start_session(
    state: &AppState,
    session: &Session,
    user: &User,
    (auth, with): (&AuthSession, SignedInWith),
    client: &Client,
) -> Result<Cookie<'static>> {
    sessions::sign_in(state, session, auth).await?;
    let mail = (state.store(), state.outbox(), state.links());
    let device_id = devices::record_sign_in(mail, user, auth, client, with).await?;
    Ok(device::cookie(state.signing_key(), user, &device_id, state.secure_cookies()))
}
