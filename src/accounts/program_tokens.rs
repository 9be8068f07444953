//! Access and refresh tokens for programs: a password or a refresh token buys a
//! 15-minute access token and a new refresh token. Refresh tokens rotate on every use;
//! one used twice was copied, and its whole family is revoked.

use crate::domain::{Amr, Token};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::store::refresh_tokens::RefreshToken;
use crate::store::users::{self, User};
use crate::store::{self, oauth_grants, refresh_tokens};

pub const REFRESH_TOKEN_PREFIX: &str = "gtr_";
const REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;
const BAD_REFRESH: &str = "The refresh token is not valid: it may be expired, revoked or already used.";

/// A family of refresh tokens: every rotation of one sign-in shares it, and the factors
/// that sign-in passed.
pub struct Family {
    id: String,
    amr: Amr,
}

impl Family {
    /// A new family, for a sign-in with a password (and maybe a code).
    pub fn fresh(amr: Amr) -> Self {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        Self { id: hex::encode(bytes), amr }
    }
}

pub struct Issued {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: String,
}

/// A fresh access token, with the user's roles as they are now, and the next refresh
/// token of `family`.
pub async fn issue(state: &AppState, user: &User, family: &Family) -> Result<Issued> {
    let user_id = user.id;
    let (access_token, expires_in) = state.jwt().issue(user_id, &family.amr, &user.roles()).await?;
    let refresh = Token::generate();
    let now = store::now();
    let expires_at = now + REFRESH_TTL_SECS;
    let amr = family.amr.to_column();
    refresh_tokens::insert(state.store().pool(), &refresh, user_id, &family.id, &amr, None, now, expires_at).await?;
    Ok(Issued { access_token, expires_in, refresh_token: format!("{REFRESH_TOKEN_PREFIX}{}", refresh.encode()) })
}

/// Uses a refresh token up and returns its user (as they are now: roles may have
/// changed since the sign-in) and family.
pub async fn redeem_refresh(state: &AppState, presented: &str) -> Result<(User, Family)> {
    let token = presented
        .strip_prefix(REFRESH_TOKEN_PREFIX)
        .and_then(|rest| Token::parse(rest).ok())
        .ok_or(AppError::Unauthorized(BAD_REFRESH))?;
    // An OpenID Connect client's refresh token is redeemed at its own endpoint only.
    let row = use_once(state, &token, None).await?.ok_or(AppError::Unauthorized(BAD_REFRESH))?;
    let user = live_user(state, row.user_id).await?.ok_or(AppError::Unauthorized(BAD_REFRESH))?;
    Ok((user, Family { amr: Amr::from_column(&row.amr), id: row.family }))
}

/// Uses up a refresh token issued to `client` (`None`: to the API's own programs). `None`
/// when it is unknown, another's, revoked, expired or used: a used one came back, so it
/// was copied, and its whole family is revoked. Shared with the OpenID Connect provider.
pub async fn use_once(
    state: &AppState,
    token: &Token,
    client: Option<&str>,
) -> Result<Option<RefreshToken>, sqlx::Error> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = refresh_tokens::find(&mut *tx, token).await?;
    let Some(row) = row.filter(|row| row.matches(token) && row.client_id.as_deref() == client) else {
        return Ok(None);
    };
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Ok(None);
    }
    if row.used_at.is_some() || !refresh_tokens::consume(&mut *tx, &row.selector, now).await? {
        refresh_tokens::revoke_family(&mut *tx, &row.family, now).await?;
        // An app's refresh token family is its grant: the access tokens go too.
        oauth_grants::revoke(&mut *tx, &row.family, now).await?;
        tx.commit().await?;
        tracing::warn!(
            event = "refresh_token_reused",
            user_id = row.user_id,
            client_id = client,
            "a used refresh token came back; its family is revoked"
        );
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(row))
}

/// The token's user, unless the account is gone or disabled. Disabling or deleting an
/// account revokes its refresh tokens; this covers the moment between.
pub async fn live_user(state: &AppState, user_id: i64) -> Result<Option<User>, sqlx::Error> {
    let user = users::find_by_id(state.store().pool(), user_id).await?;
    Ok(user.filter(|user| !user.is_disabled()))
}
