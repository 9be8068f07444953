//! Signed-in sessions: starting one, ending one, ending the others, ending them all.
//! Ending sessions also revokes refresh tokens, so no program keeps access that the
//! browser sessions lost.

use std::str::FromStr;

use axum::http::HeaderMap;
use serde::Deserialize;
use sqlx::AnyConnection;
use tower_sessions::session::Id;
use tower_sessions::{Expiry, Session};

use super::Client;
use crate::domain::{Amr, AuthSession, SessionPolicy};
use crate::error::{AppError, Result};
use crate::security::cookies;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::sessions::SqlSessionStore;
use crate::store::users::{self, User};
use crate::store::{self, Store, oauth_grants, refresh_tokens, sessions};

/// The signed-in user of a request, with the session that proves it.
#[derive(Clone)]
pub struct CurrentUser {
    pub user: User,
    pub auth: AuthSession,
    pub session: Session,
}

impl CurrentUser {
    /// The key of this browser's session in the sessions table (and in the lists users see).
    pub fn session_key(&self) -> String {
        self.session.id().map(|id| sessions::id_hash(&id)).unwrap_or_default()
    }
}

/// The signed-in account the session cookie `cookie_name` names, and how it signed in,
/// read without tower-sessions' layer: for the hottest answers (forward auth's check,
/// `GET /api/me`), which only read the session and never set its cookie. `None` for no
/// cookie, an unknown, expired or half-finished (second step pending) session, or a
/// disabled account.
pub async fn signed_in_by_cookie(
    store: &Store,
    headers: &HeaderMap,
    cookie_name: &str,
) -> Result<Option<(User, AuthSession)>> {
    let cookie = cookies::value(headers, cookie_name);
    let Some(id) = cookie.and_then(|value| Id::from_str(&value).ok()) else { return Ok(None) };
    let found = store
        .snapshot(async {
            let Some(session) = SqlSessionStore::new(store.clone()).find_live(&id).await? else { return Ok(None) };
            let Some(auth) = session.get(AuthSession::KEY) else { return Ok(None) };
            let auth = AuthSession::deserialize(auth).map_err(anyhow::Error::from)?;
            let user = users::find_by_id_cached(store, auth.user_id).await?;
            Ok::<_, AppError>(user.map(|user| (user, auth)))
        })
        .await?;
    Ok(found.filter(|(user, _)| !user.is_disabled()))
}

/// Sessions an account may have at once; signing in once more ends the least recently
/// used beyond it, so forgotten devices do not pile up.
pub const MAX_PER_ACCOUNT: i64 = 50;

/// Makes room for a new sign-in: ends all but the most recently used sessions.
async fn make_room(state: &AppState, user_id: i64) -> Result<()> {
    let ended = sessions::keep_most_recent(state.store().pool(), user_id, MAX_PER_ACCOUNT - 1).await?;
    if ended > 0 {
        tracing::info!(event = "sessions_capped", user_id, ended, "least recently used sessions ended");
    }
    Ok(())
}

/// Signs a user in on this browser: room among their sessions, then the session itself.
pub async fn sign_in(state: &AppState, session: &Session, auth: &AuthSession) -> Result<()> {
    make_room(state, auth.user_id).await?;
    start(session, auth).await
}

/// A new session id on login (an id planted before login is worth nothing after it), and
/// a thirty-day cookie when the user asked to be remembered.
pub async fn start(session: &Session, auth: &AuthSession) -> Result<()> {
    session.cycle_id().await?;
    session.insert(AuthSession::KEY, auth).await?;
    if auth.remember {
        session.set_expiry(Some(Expiry::OnInactivity(SessionPolicy::REMEMBERED.idle)));
    }
    Ok(())
}

/// Ends the session on the server, so the old cookie stops working everywhere at once.
pub async fn log_out(state: &AppState, session: &Session) -> Result<()> {
    if let Ok(Some(auth)) = session.get::<AuthSession>(AuthSession::KEY).await {
        tracing::info!(event = "logout", user_id = auth.user_id, "signed out");
        let now = store::now();
        let mut tx = state.store().begin().await?;
        events::record(&mut *tx, auth.user_id, EventKind::LoggedOut, &auth.ip, &auth.user_agent, now).await?;
        revoke_what_programs_hold(&mut tx, auth.user_id, now).await?;
        tx.commit().await?;
    }
    session.flush().await?;
    Ok(())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    ThisOne,
    Another,
    NoSuchSession,
}

/// Ends one of `user_id`'s sessions by its key; `current` is the caller's own browser
/// session, if the caller has one (it may be the one ended).
pub async fn end_one(
    state: &AppState,
    user_id: i64,
    current: Option<&CurrentUser>,
    key: &str,
    client: &Client,
) -> Result<Ended> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    if !sessions::delete_one(&mut *tx, user_id, key).await? {
        return Ok(Ended::NoSuchSession);
    }
    events::record(&mut *tx, user_id, EventKind::SessionRevoked, &client.ip(), &client.user_agent, now).await?;
    revoke_what_programs_hold(&mut tx, user_id, now).await?;
    tx.commit().await?;
    tracing::info!(event = "session_revoked", user_id, "session ended by its owner");
    match current {
        Some(current) if current.session_key() == key => {
            current.session.flush().await?;
            Ok(Ended::ThisOne)
        }
        _ => Ok(Ended::Another),
    }
}

/// Ends every session of the user but this one.
pub async fn end_others(state: &AppState, current: &CurrentUser, client: &Client) -> Result<u64> {
    let pool = state.store().pool();
    let user_id = current.user.id;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let ended = end_all_but(&mut tx, user_id, &current.session_key()).await?;
    tx.commit().await?;
    events::record(pool, user_id, EventKind::OtherSessionsRevoked, &client.ip(), &client.user_agent, now).await?;
    tracing::info!(event = "other_sessions_revoked", user_id, ended, "other sessions ended");
    Ok(ended)
}

/// Signs the user out everywhere, within the caller's transaction: every session and
/// every refresh token and app grant. Returns how many sessions ended.
pub async fn end_all(conn: &mut AnyConnection, user_id: i64) -> Result<u64, sqlx::Error> {
    let ended = sessions::delete_for_user(&mut *conn, user_id).await?;
    revoke_what_programs_hold(conn, user_id, store::now()).await?;
    Ok(ended)
}

/// Ends every session of the user but the one with key `keep`, and every refresh token
/// and app grant, within the caller's transaction. Returns how many sessions ended.
pub async fn end_all_but(conn: &mut AnyConnection, user_id: i64, keep: &str) -> Result<u64, sqlx::Error> {
    let ended = sessions::delete_others(&mut *conn, user_id, keep).await?;
    revoke_what_programs_hold(conn, user_id, store::now()).await?;
    Ok(ended)
}

/// Every refresh token of the user's programs and apps, and the grants behind the apps'
/// access tokens: what goes with a session when it ends.
async fn revoke_what_programs_hold(conn: &mut AnyConnection, user_id: i64, now: i64) -> Result<(), sqlx::Error> {
    refresh_tokens::revoke_for_user(&mut *conn, user_id, now).await?;
    oauth_grants::revoke_for_user(&mut *conn, user_id, now).await?;
    Ok(())
}

/// A fresh session for a user who just proved who they are.
pub fn signed_in(user: &User, remember: bool, amr: Amr, client: &Client) -> AuthSession {
    AuthSession {
        user_id: user.id,
        remember,
        amr,
        authenticated_at: store::now(),
        ip: client.ip(),
        user_agent: client.user_agent.clone(),
        sid: new_sid(),
    }
}

fn new_sid() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

/// Whether a session is recent enough for sensitive changes (creating credentials).
pub fn recently_authenticated(auth: &AuthSession) -> bool {
    store::now() - auth.authenticated_at <= 10 * 60
}
