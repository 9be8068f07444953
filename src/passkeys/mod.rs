//! Passkeys (WebAuthn): registered from the account page, then used to sign in with no
//! email and no password, or as the second step instead of a code. webauthn-rs does the
//! ceremonies (challenge, origin, signature, user verification, counter); this module
//! keeps their state in the session, binds each credential to one account and records
//! each use. The rules serve the account page, the login page and the second step.

mod ceremony;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use tower_sessions::Session;
use url::Url;
use webauthn_rs::prelude::{
    CreationChallengeResponse, Passkey, PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse,
    Uuid,
};
use webauthn_rs::{Webauthn, WebauthnBuilder};
use webauthn_rs_proto::ResidentKeyRequirement;

use crate::accounts::Client;
use crate::accounts::sessions::{CurrentUser, recently_authenticated};
use crate::error::{AppError, Result};
use crate::mail::messages;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::passkeys::{self, StoredPasskey};
use crate::store::users::{self, User};
use crate::store::{self, is_unique_violation};
use crate::two_factor::pending::PendingSignIn;
use ceremony::Ceremony;

/// The relying party: `BASE_URL`'s host is the rp id, its origin the only origin allowed.
/// `None` when the host is an IP address, which WebAuthn does not accept as an rp id.
/// `name` is what the browser shows when it asks to use or save a passkey.
pub fn relying_party(base_url: &Url, name: &str) -> anyhow::Result<Option<Webauthn>> {
    let Some(url::Host::Domain(host)) = base_url.host() else { return Ok(None) };
    let webauthn = WebauthnBuilder::new(host, base_url)?.rp_name(name).build()?;
    Ok(Some(webauthn))
}

/// Why a passkey was not accepted. Sign-in refusals share one answer, so a caller learns
/// nothing about which credentials exist.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("passkeys are off")]
    Off,
    #[error("the sign-in is not recent enough")]
    StaleSignIn,
    #[error("no ceremony to finish")]
    NoCeremony,
    #[error("the authenticator's answer was not accepted")]
    NotAccepted,
    #[error("this passkey is already registered")]
    AlreadyRegistered,
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

fn webauthn(state: &AppState) -> Result<&Webauthn, Refusal> {
    state.webauthn().ok_or(Refusal::Off)
}

/// How a credential is named in the database: base64url of its id, as browsers send it.
fn credential_key(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

/// Registration, step one: options for `navigator.credentials.create`, asking for a
/// discoverable credential with user verification, excluding the account's own. A new
/// way in needs a sign-in within the last ten minutes, like a new API token.
pub async fn start_registration(state: &AppState, current: &CurrentUser) -> Result<CreationChallengeResponse, Refusal> {
    let webauthn = webauthn(state)?;
    if !recently_authenticated(&current.auth) {
        return Err(Refusal::StaleSignIn);
    }
    let user = &current.user;
    let pool = state.store().pool();
    let handle = match passkeys::user_handle(pool, user.id).await? {
        Some(handle) => Uuid::parse_str(&handle).map_err(|error| AppError::Internal(error.into()))?,
        None => Uuid::new_v4(),
    };
    let own = passkeys::for_user(pool, user.id).await?;
    let exclude = own.iter().filter_map(|stored| URL_SAFE_NO_PAD.decode(&stored.credential_id).ok()).collect();
    let (mut options, registration) = webauthn
        .start_passkey_registration(handle, &user.email, &user.email, Some(exclude))
        .map_err(|error| AppError::Internal(error.into()))?;
    // webauthn-rs leaves residence to the authenticator; sign-in without an email needs it.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    Ceremony::Registration { state: registration, handle, user_id: user.id }.begin(&current.session).await?;
    Ok(options)
}

/// Registration, step two: the authenticator's answer checked against the options sent,
/// the passkey kept under `name`, an event recorded and a notice mailed.
pub async fn finish_registration(
    state: &AppState,
    current: &CurrentUser,
    credential: &RegisterPublicKeyCredential,
    name: &str,
    client: &Client,
) -> Result<StoredPasskey, Refusal> {
    let webauthn = webauthn(state)?;
    let user = &current.user;
    let Some(Ceremony::Registration { state: registration, handle, user_id }) =
        Ceremony::take(&current.session).await?
    else {
        return Err(Refusal::NoCeremony);
    };
    if user_id != user.id {
        return Err(Refusal::NoCeremony);
    }
    let passkey = webauthn.finish_passkey_registration(credential, &registration).map_err(|error| {
        tracing::warn!(event = "passkey_registration_refused", user_id = user.id, %error, "passkey not registered");
        Refusal::NotAccepted
    })?;
    let now = store::now();
    let new = StoredPasskey {
        id: 0,
        user_id: user.id,
        credential_id: credential_key(passkey.cred_id()),
        user_handle: handle.to_string(),
        name: name_or_default(name),
        credential: serde_json::to_string(&passkey).map_err(|error| AppError::Internal(error.into()))?,
        created_at: now,
        last_used_at: None,
    };
    let mut tx = state.store().begin().await?;
    let stored = match passkeys::insert(&mut *tx, &new).await {
        Ok(stored) => stored,
        Err(error) if is_unique_violation(&error) => return Err(Refusal::AlreadyRegistered),
        Err(error) => return Err(error.into()),
    };
    events::record(&mut *tx, user.id, EventKind::PasskeyAdded, &client.ip(), &client.user_agent, now).await?;
    let notice = messages::passkey_added(state.links(), &user.address()?, &stored.name, user.language());
    state.outbox().enqueue(&mut tx, &notice).await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "passkey_added", user_id = user.id, passkey_id = stored.id, "passkey registered");
    Ok(stored)
}

/// What a passkey is called: one short line of printable text, since the name goes into
/// the notice mail's body and onto pages (a CR/LF could add lines to the mail). Control
/// characters and line breaks become spaces, runs of blanks one; no name is "Passkey".
fn name_or_default(name: &str) -> String {
    let printable: String =
        name.chars().map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect();
    let line = printable.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() { "Passkey".to_owned() } else { line.chars().take(NAME_MAX_CHARS).collect() }
}

pub const NAME_MAX_CHARS: usize = 64;

/// Sign-in, step one: options for `navigator.credentials.get` naming no credential, so
/// the authenticator offers the passkeys it holds for this site.
pub async fn start_sign_in(state: &AppState, session: &Session) -> Result<RequestChallengeResponse, Refusal> {
    let (mut options, authentication) =
        webauthn(state)?.start_discoverable_authentication().map_err(|error| AppError::Internal(error.into()))?;
    // A button press, not the autofill ("conditional") kind webauthn-rs assumes.
    options.mediation = None;
    Ceremony::SignIn { state: authentication }.begin(session).await?;
    Ok(options)
}

/// Sign-in, step two: the account whose passkey answered the challenge. Unknown,
/// deleted or foreign credentials, a wrong challenge, no user verification, a counter
/// that went backwards and a replay are all [`Refusal::NotAccepted`].
pub async fn finish_sign_in(
    state: &AppState,
    session: &Session,
    credential: &PublicKeyCredential,
    client: &Client,
) -> Result<User, Refusal> {
    let webauthn = webauthn(state)?;
    let Some(Ceremony::SignIn { state: authentication }) = Ceremony::take(session).await? else {
        return Err(refused(None, client, "no sign-in to finish (replayed or expired)"));
    };
    let (handle, credential_id) = webauthn
        .identify_discoverable_authentication(credential)
        .map_err(|_| refused(None, client, "the answer names no account"))?;
    let pool = state.store().pool();
    let stored = passkeys::by_credential_id(pool, &credential_key(credential_id)).await?;
    let Some(stored) = stored.filter(|stored| stored.user_handle == handle.to_string()) else {
        return Err(refused(None, client, "unknown credential, or one of another account"));
    };
    let passkey = parse(&stored)?;
    let result = webauthn
        .finish_discoverable_authentication_v2(credential, authentication, &passkey)
        .map_err(|error| refused(Some(stored.user_id), client, &error.to_string()))?;
    record_use(state, &stored, passkey, &result, client).await?;
    let user = users::find_by_id(pool, stored.user_id).await?.ok_or(Refusal::NotAccepted)?;
    if user.is_disabled() {
        return Err(AppError::Forbidden(crate::accounts::password::DISABLED).into());
    }
    Ok(user)
}

/// The second step, step one: options naming the pending account's passkeys.
pub async fn start_second_step(
    state: &AppState,
    session: &Session,
    pending: &PendingSignIn,
) -> Result<RequestChallengeResponse, Refusal> {
    let webauthn = webauthn(state)?;
    let own = passkeys::for_user(state.store().pool(), pending.user_id).await?;
    let keys: Vec<Passkey> = own.iter().map(parse).collect::<Result<_, _>>()?;
    if keys.is_empty() {
        return Err(Refusal::NoCeremony);
    }
    let (options, authentication) =
        webauthn.start_passkey_authentication(&keys).map_err(|error| AppError::Internal(error.into()))?;
    Ceremony::SecondStep { state: authentication, user_id: pending.user_id }.begin(session).await?;
    Ok(options)
}

/// The second step, step two: whether one of the pending account's passkeys answered.
pub async fn finish_second_step(
    state: &AppState,
    session: &Session,
    pending: &PendingSignIn,
    credential: &PublicKeyCredential,
    client: &Client,
) -> Result<(), Refusal> {
    let webauthn = webauthn(state)?;
    let Some(Ceremony::SecondStep { state: authentication, user_id }) = Ceremony::take(session).await? else {
        return Err(refused(Some(pending.user_id), client, "no second step to finish (replayed or expired)"));
    };
    if user_id != pending.user_id {
        return Err(refused(Some(pending.user_id), client, "the ceremony was for another account"));
    }
    let pool = state.store().pool();
    let stored = passkeys::by_credential_id(pool, &credential_key(credential.get_credential_id())).await?;
    let Some(stored) = stored.filter(|stored| stored.user_id == user_id) else {
        return Err(refused(Some(user_id), client, "unknown credential, or one of another account"));
    };
    let result = webauthn
        .finish_passkey_authentication(credential, &authentication)
        .map_err(|error| refused(Some(user_id), client, &error.to_string()))?;
    record_use(state, &stored, parse(&stored)?, &result, client).await
}

/// Keeps the new counter and backup flags, unless another use of the same passkey got
/// there first (then this one is a replay or a clone, and refused).
async fn record_use(
    state: &AppState,
    stored: &StoredPasskey,
    mut passkey: Passkey,
    result: &webauthn_rs::prelude::AuthenticationResult,
    client: &Client,
) -> Result<(), Refusal> {
    passkey.update_credential(result);
    let updated = serde_json::to_string(&passkey).map_err(|error| AppError::Internal(error.into()))?;
    if !passkeys::record_use(state.store().pool(), stored.id, &stored.credential, &updated, store::now()).await? {
        return Err(refused(Some(stored.user_id), client, "the passkey was used by another request at once"));
    }
    Ok(())
}

fn parse(stored: &StoredPasskey) -> Result<Passkey, Refusal> {
    serde_json::from_str(&stored.credential).map_err(|error| Refusal::Failed(AppError::Internal(error.into())))
}

/// Logs a refused passkey (never the credential itself) and answers [`Refusal::NotAccepted`].
fn refused(user_id: Option<i64>, client: &Client, why: &str) -> Refusal {
    tracing::warn!(event = "passkey_refused", user_id, ip = %client.ip, why, "passkey not accepted");
    Refusal::NotAccepted
}

/// The account page's list.
pub async fn list(state: &AppState, user: &User) -> Result<Vec<StoredPasskey>> {
    Ok(passkeys::for_user(state.store().pool(), user.id).await?)
}

/// Whether the account has a passkey, for the second step to offer one.
pub async fn has_any(state: &AppState, user_id: i64) -> Result<bool> {
    Ok(passkeys::count(state.store().pool(), user_id).await? > 0)
}

/// `false` when the user has no such passkey.
pub async fn rename(state: &AppState, user: &User, id: i64, name: &str) -> Result<bool> {
    Ok(passkeys::rename(state.store().pool(), user.id, id, &name_or_default(name)).await?)
}

/// Deletes one of the user's passkeys and mails a notice; `false` when there is no such
/// passkey. The last way in (no password, no sign-in provider, no other passkey) stays.
pub async fn delete(state: &AppState, user: &User, id: i64, client: &Client) -> Result<bool> {
    let mut tx = state.store().begin().await?;
    users::lock(&mut tx, user.id).await?;
    if !passkeys::delete(&mut *tx, user.id, id).await? {
        return Ok(false);
    }
    if !users::has_a_way_in(&mut tx, user.id).await? {
        // Dropping the transaction takes the deletion back.
        return Err(AppError::Conflict("error-passkey-only-way-in"));
    }
    let now = store::now();
    events::record(&mut *tx, user.id, EventKind::PasskeyRemoved, &client.ip(), &client.user_agent, now).await?;
    state
        .outbox()
        .enqueue(&mut tx, &messages::passkey_removed(state.links(), &user.address()?, user.language()))
        .await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "passkey_removed", user_id = user.id, passkey_id = id, "passkey deleted by its owner");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passkey_name_is_one_line_of_printable_text() {
        assert_eq!(name_or_default("Phone\r\nBcc: evil@example.org"), "Phone Bcc: evil@example.org");
        assert_eq!(name_or_default("a\u{2028}b\tc\u{0}d"), "a b c d");
        assert_eq!(name_or_default(" \r\n "), "Passkey");
        assert_eq!(name_or_default(&"x".repeat(100)).chars().count(), NAME_MAX_CHARS);
    }
}
