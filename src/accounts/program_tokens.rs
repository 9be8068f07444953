//! Access and refresh tokens for programs: a password or a refresh token buys a
//! 15-minute access token and a new refresh token. Refresh tokens rotate on every use;
//! one used twice was copied, and its whole family is revoked.

use crate::domain::{Amr, Token};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::store::users::{self, User};
use crate::store::{self, refresh_tokens};

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
    refresh_tokens::insert(state.store().pool(), &refresh, user_id, &family.id, &amr, now, expires_at).await?;
    Ok(Issued { access_token, expires_in, refresh_token: format!("{REFRESH_TOKEN_PREFIX}{}", refresh.encode()) })
}

/// Uses a refresh token up and returns its user (as they are now: roles may have
/// changed since the sign-in) and family.
pub async fn redeem_refresh(state: &AppState, presented: &str) -> Result<(User, Family)> {
    let token = presented
        .strip_prefix(REFRESH_TOKEN_PREFIX)
        .and_then(|rest| Token::parse(rest).ok())
        .ok_or(AppError::Unauthorized(BAD_REFRESH))?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    // An OpenID Connect client's refresh token is redeemed at its own endpoint only.
    let row = refresh_tokens::find(&mut *tx, &token).await?;
    let row = row.filter(|row| row.matches(&token) && row.client_id.is_none());
    let Some(row) = row else { return Err(AppError::Unauthorized(BAD_REFRESH)) };
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(AppError::Unauthorized(BAD_REFRESH));
    }
    if row.used_at.is_some() || !refresh_tokens::consume(&mut *tx, &row.selector, now).await? {
        refresh_tokens::revoke_family(&mut *tx, &row.family, now).await?;
        tx.commit().await?;
        tracing::warn!(
            event = "refresh_token_reused",
            user_id = row.user_id,
            "a used refresh token came back; its family is revoked"
        );
        return Err(AppError::Unauthorized(BAD_REFRESH));
    }
    tx.commit().await?;
    // Disabling or deleting an account revokes its refresh tokens; this covers the moment between.
    let user = users::find_by_id(state.store().pool(), row.user_id).await?;
    let user = user.filter(|user| !user.is_disabled()).ok_or(AppError::Unauthorized(BAD_REFRESH))?;
    Ok((user, Family { amr: Amr::from_column(&row.amr), id: row.family }))
}
