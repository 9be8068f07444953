//! RFC 7662 token introspection: a resource server (registered as a confidential client)
//! asks whether a token it was handed is active, and for whom. Any of our access tokens
//! answers (the resource server is seldom the client the token was issued to); a refresh
//! token only to the client that holds it. Everything else, and every token whose grant,
//! user or expiry has passed, is `{"active": false}` and nothing more.

use serde_json::{Value, json};

use super::authorize::issuer;
use super::tokens::{grant_is_live, refresh_token_of};
use crate::accounts::program_tokens::live_user;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::oauth::Client;
use crate::store::{self, oauth_grants};

pub async fn introspect(state: &AppState, caller: &Client, presented: &str) -> Result<Value, AppError> {
    let answer = match refresh_token_of(state, caller, presented).await? {
        Some(row) => refresh_token(state, row).await?,
        None => access_token(state, presented).await?,
    };
    Ok(answer.unwrap_or_else(|| json!({"active": false})))
}

async fn access_token(state: &AppState, presented: &str) -> Result<Option<Value>, AppError> {
    let Ok(token) = state.jwt().verify_client_token(presented).await else { return Ok(None) };
    if !grant_is_live(state, &token).await? {
        return Ok(None);
    }
    if let Some(user_id) = token.user_id
        && live_user(state, user_id).await?.is_none()
    {
        return Ok(None);
    }
    Ok(Some(json!({
        "active": true,
        "token_type": "Bearer",
        "client_id": token.client_id,
        "sub": token.subject,
        "scope": token.scope,
        "iat": token.issued_at,
        "exp": token.expires_at,
        "iss": issuer(state),
        "aud": token.client_id,
    })))
}

async fn refresh_token(
    state: &AppState,
    row: crate::store::refresh_tokens::RefreshToken,
) -> Result<Option<Value>, AppError> {
    let usable = row.used_at.is_none() && row.revoked_at.is_none() && row.expires_at > store::now();
    let grant = oauth_grants::find(state.store().pool(), &row.family).await?;
    if !usable || !grant.is_some_and(|grant| grant.is_live()) || live_user(state, row.user_id).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(json!({
        "active": true,
        "token_type": "refresh_token",
        "client_id": row.client_id,
        "sub": row.user_id.to_string(),
        "scope": row.scope,
        "exp": row.expires_at,
        "iss": issuer(state),
    })))
}
