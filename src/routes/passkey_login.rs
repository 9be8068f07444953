//! Logging in with a passkey, as JSON calls from `assets/passkeys.js` around the
//! browser's `navigator.credentials.get`: `/login/passkey/*` with no email and no password
//! (it counts as two factors), and `/login/2fa/passkey/*` as the second step instead of
//! a code. Each finish answers `{"redirect": ...}` for the script to follow, with the
//! new session's cookie.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use tower_sessions::Session;
use webauthn_rs::prelude::PublicKeyCredential;

use crate::accounts::{Client, password, sessions};
use crate::domain::Amr;
use crate::error::{AppError, Result};
use crate::passkeys::{self, Refusal};
use crate::routes::login::return_address;
use crate::state::AppState;
use crate::store::users::User;
use crate::two_factor::pending::PendingSignIn;
use crate::web::Json;
use crate::web::format::{after_sign_in, local_path};
use crate::web::sign_in::start_session;

/// The browser's assertion, with where to go once signed in.
#[derive(Deserialize)]
pub struct Assertion {
    #[serde(flatten)]
    credential: PublicKeyCredential,
    /// A local path, as the login form's `next`.
    #[serde(default)]
    next: String,
    /// An app behind forward auth, as the login form's `rd`.
    #[serde(default)]
    rd: String,
    #[serde(default)]
    remember: bool,
}

/// `{"publicKey": {...}}` for `navigator.credentials.get`, naming no credential.
pub async fn start(State(state): State<AppState>, session: Session) -> Result<Response> {
    let options = passkeys::start_sign_in(&state, &session).await.map_err(refused)?;
    Ok(axum::Json(options).into_response())
}

pub async fn finish(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    Json(assertion): Json<Assertion>,
) -> Result<Response> {
    let user = passkeys::finish_sign_in(&state, &session, &assertion.credential, &client).await.map_err(refused)?;
    let rd = return_address(&state, &assertion.rd);
    let destination = if rd.is_empty() { local_path(&assertion.next).unwrap_or_default().to_owned() } else { rd };
    signed_in(&state, &session, &user, assertion.remember, Amr::passkey(), &client, &destination).await
}

/// Options naming the pending account's passkeys.
pub async fn start_second_step(State(state): State<AppState>, session: Session) -> Result<Response> {
    let pending = PendingSignIn::of(&session).await?.ok_or(AppError::Unauthenticated)?;
    let options = passkeys::start_second_step(&state, &session, &pending).await.map_err(refused)?;
    Ok(axum::Json(options).into_response())
}

pub async fn finish_second_step(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    Json(assertion): Json<Assertion>,
) -> Result<Response> {
    let pending = PendingSignIn::of(&session).await?.ok_or(AppError::Unauthenticated)?;
    let user = pending.user(&state).await?.ok_or(AppError::Unauthenticated)?;
    passkeys::finish_second_step(&state, &session, &pending, &assertion.credential, &client).await.map_err(refused)?;
    PendingSignIn::finish(&session).await?;
    let rd = return_address(&state, &assertion.rd);
    let destination = if rd.is_empty() { pending.next.clone() } else { rd };
    signed_in(&state, &session, &user, pending.remember, pending.with_passkey(), &client, &destination).await
}

/// Starts the session (a new id), remembers the browser as the login form does, and tells
/// the script where to go.
async fn signed_in(
    state: &AppState,
    session: &Session,
    user: &User,
    remember: bool,
    amr: Amr,
    client: &Client,
    destination: &str,
) -> Result<Response> {
    let auth = sessions::signed_in(user, remember, amr, client);
    let known_device = start_session(state, session, user, (&auth, password::SignedInWith::Passkey), client).await?;
    let body = serde_json::json!({ "redirect": after_sign_in(destination) });
    Ok((CookieJar::new().add(known_device), axum::Json(body)).into_response())
}

/// One answer for every refused passkey, so nobody learns which credentials exist.
fn refused(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Off => AppError::NotFound,
        Refusal::NoCeremony | Refusal::NotAccepted | Refusal::AlreadyRegistered | Refusal::StaleSignIn => {
            AppError::Unauthorized("error-passkey-refused")
        }
        Refusal::Failed(error) => error,
    }
}
