//! `/oauth2/token`, `/oauth2/userinfo` and `/oauth2/revoke`: a code (with its PKCE
//! verifier) or a refresh token buys an ID token, an access token and, with
//! `offline_access`, a new refresh token. Codes are single use; one that comes back
//! revokes everything it bought. Refresh tokens rotate like the API's (reuse revokes the
//! family).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::authorize::issuer;
use super::clients::GrantType;
use super::{has_scope, hash};
use crate::accounts::program_tokens::{self, live_user};
use crate::domain::{Amr, Token};
use crate::error::AppError;
use crate::security::jwt::{ClientGrant, ClientToken};
use crate::state::AppState;
use crate::store::oauth::{self, Client};
use crate::store::oauth_grants;
use crate::store::refresh_tokens;
use crate::store::users::User;
use crate::store::{self};

const ID_TOKEN_TTL_SECS: i64 = 60 * 60;
const REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;
pub const REFRESH_TOKEN_PREFIX: &str = "gor_";

/// An RFC 6749 §5.2 error.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("invalid_request: {0}")]
    InvalidRequest(&'static str),
    #[error("invalid_client")]
    InvalidClient,
    #[error("invalid_grant: {0}")]
    InvalidGrant(&'static str),
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    #[error("unauthorized_client")]
    UnauthorizedClient,
    #[error("invalid_scope")]
    InvalidScope,
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl From<sqlx::Error> for TokenError {
    fn from(error: sqlx::Error) -> Self {
        Self::Failed(error.into())
    }
}

impl From<anyhow::Error> for TokenError {
    fn from(error: anyhow::Error) -> Self {
        Self::Failed(error.into())
    }
}

#[derive(Debug, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub scope: String,
}

/// What a code or refresh token grants: the same things, whichever bought the tokens.
struct Grant {
    user: User,
    scope: String,
    amr: Amr,
    auth_time: i64,
    nonce: Option<String>,
    /// The grant's id, which is also its refresh tokens' family.
    id: String,
    sid: Option<String>,
}

#[derive(Serialize)]
struct IdTokenClaims<'a> {
    iss: String,
    sub: String,
    aud: &'a str,
    exp: i64,
    iat: i64,
    auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    amr: &'a Amr,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<&'a str>,
    #[serde(flatten)]
    scoped: Value,
}

/// The code's tokens, for the client it was issued to, with the redirect URI and PKCE
/// verifier of its request.
pub async fn exchange_code(
    state: &AppState,
    client: &Client,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Result<TokenResponse, TokenError> {
    const BAD_CODE: &str = "The code is not valid: it may be expired, used, or not this client's.";
    signs_users_in(client)?;
    let pool = state.store().pool();
    let now = store::now();
    let Some(row) = oauth::code(pool, &hash(code)).await? else { return Err(TokenError::InvalidGrant(BAD_CODE)) };
    if row.client_id != client.client_id {
        return Err(TokenError::InvalidGrant(BAD_CODE));
    }
    // Everything the request must prove comes first: a code presented with the wrong
    // redirect URI or verifier, or too late, changes nothing (neither used up nor revoking).
    if row.redirect_uri != redirect_uri {
        return Err(TokenError::InvalidGrant("redirect_uri is not the one the code was issued for."));
    }
    if !pkce_matches(verifier, &row.code_challenge) {
        return Err(TokenError::InvalidGrant("The code_verifier does not match the code_challenge."));
    }
    if row.expires_at <= now {
        return Err(TokenError::InvalidGrant(BAD_CODE));
    }
    let granted = oauth_grants::Grant::new(new_grant_id(), &client.client_id, Some(row.user_id), row.sid.clone());
    if row.used_at.is_some() || !redeem(state, &row.code_hash, &granted, now).await? {
        // A code that comes back, with its verifier, was intercepted or replayed: what it
        // bought goes too, access tokens included.
        if let Some(bought) = oauth::code(pool, &row.code_hash).await?.and_then(|row| row.family) {
            revoke_grant(state, &bought, now).await?;
        }
        tracing::warn!(event = "oauth_code_reused", user_id = row.user_id, client_id = %client.client_id,
            "a used code came back; its grant is revoked");
        return Err(TokenError::InvalidGrant(BAD_CODE));
    }
    let user = live_user(state, row.user_id).await?.ok_or(TokenError::InvalidGrant(BAD_CODE))?;
    let grant = Grant {
        user,
        scope: row.scope,
        amr: Amr::from_column(&row.amr),
        auth_time: row.auth_time,
        nonce: row.nonce,
        id: granted.id,
        sid: granted.sid,
    };
    issue(state, client, grant).await
}

/// Uses the code up and records the grant it makes, together; `false` when another
/// request used the code first.
async fn redeem(state: &AppState, code_hash: &str, grant: &oauth_grants::Grant, now: i64) -> Result<bool, TokenError> {
    let mut tx = state.store().begin().await?;
    if !oauth::use_code(&mut *tx, code_hash, &grant.id, now).await? {
        return Ok(false);
    }
    oauth_grants::insert(&mut *tx, grant, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// A grant and its refresh tokens, together.
async fn revoke_grant(state: &AppState, id: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = state.store().begin().await?;
    refresh_tokens::revoke_family(&mut *tx, id, now).await?;
    oauth_grants::revoke(&mut *tx, id, now).await?;
    tx.commit().await
}

/// Codes and refresh tokens are for clients registered for the authorization code grant.
fn signs_users_in(client: &Client) -> Result<(), TokenError> {
    match client.allows_grant(GrantType::AuthorizationCode.as_str()) {
        true => Ok(()),
        false => Err(TokenError::UnauthorizedClient),
    }
}

/// RFC 7636 S256: BASE64URL(SHA256(verifier)) is the challenge.
fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let valid = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    valid && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

/// New tokens for a refresh token of this client; a used one revokes its family.
pub async fn refresh(state: &AppState, client: &Client, presented: &str) -> Result<TokenResponse, TokenError> {
    const BAD_REFRESH: &str = "The refresh token is not valid: it may be expired, revoked or already used.";
    signs_users_in(client)?;
    let token = presented
        .strip_prefix(REFRESH_TOKEN_PREFIX)
        .and_then(|rest| Token::parse(rest).ok())
        .ok_or(TokenError::InvalidGrant(BAD_REFRESH))?;
    let row = program_tokens::use_once(state, &token, Some(&client.client_id)).await?;
    let row = row.ok_or(TokenError::InvalidGrant(BAD_REFRESH))?;
    let granted = grant_of_refresh_token(state, &client.client_id, row.user_id, &row.family).await?;
    if !granted.is_live() {
        return Err(TokenError::InvalidGrant(BAD_REFRESH));
    }
    let user = live_user(state, row.user_id).await?.ok_or(TokenError::InvalidGrant(BAD_REFRESH))?;
    let grant = Grant {
        user,
        scope: row.scope.unwrap_or_default(),
        amr: Amr::from_column(&row.amr),
        auth_time: row.auth_time.unwrap_or_else(store::now),
        nonce: None,
        id: granted.id,
        sid: granted.sid,
    };
    issue(state, client, grant).await
}

/// The grant a refresh token's family is. A family from before grants were recorded gets
/// one now: its refresh token is live, so its app may go on.
async fn grant_of_refresh_token(
    state: &AppState,
    client_id: &str,
    user_id: i64,
    family: &str,
) -> Result<oauth_grants::Grant, TokenError> {
    let pool = state.store().pool();
    if let Some(grant) = oauth_grants::find(pool, family).await? {
        return Ok(grant);
    }
    let grant = oauth_grants::Grant::new(family.to_owned(), client_id, Some(user_id), None);
    oauth_grants::insert(pool, &grant, store::now()).await?;
    Ok(grant)
}

fn new_grant_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

async fn issue(state: &AppState, client: &Client, grant: Grant) -> Result<TokenResponse, TokenError> {
    let Grant { user, scope, amr, auth_time, nonce, id, sid } = grant;
    let roles = user.roles();
    let token_grant = ClientGrant { client_id: &client.client_id, scope: &scope, grant: &id };
    let (access_token, expires_in) = state.jwt().issue_for_client(user.id, &amr, &roles, token_grant).await?;
    let now = store::now();
    let claims = IdTokenClaims {
        iss: issuer(state),
        sub: user.id.to_string(),
        aud: &client.client_id,
        exp: now + ID_TOKEN_TTL_SECS,
        iat: now,
        auth_time,
        nonce: nonce.as_deref(),
        amr: &amr,
        sid: sid.as_deref(),
        scoped: scoped_claims(&user, &scope),
    };
    let id_token = match client.id_token_alg.as_str() {
        "EdDSA" => state.jwt().sign_claims(&claims).await?,
        _ => state.rsa_keys().sign(&claims).await?,
    };
    let refresh_token = if has_scope(&scope, "offline_access") {
        let token = Token::generate();
        let grant = refresh_tokens::ClientGrant { client_id: &client.client_id, scope: &scope, auth_time };
        let pool = state.store().pool();
        refresh_tokens::insert(pool, &token, user.id, &id, &amr.to_column(), Some(&grant), now, now + REFRESH_TTL_SECS)
            .await?;
        Some(format!("{REFRESH_TOKEN_PREFIX}{}", token.encode()))
    } else {
        None
    };
    tracing::info!(event = "oauth_tokens_issued", user_id = user.id, client_id = %client.client_id, "tokens issued");
    Ok(TokenResponse { access_token, token_type: "Bearer", expires_in, id_token: Some(id_token), refresh_token, scope })
}

/// The claims of the granted scopes: `email` and `email_verified` with `email`; `name`
/// (when the person set one) and `preferred_username` (their username, else their address)
/// with `profile`; `roles` with `roles`, and `groups` (the same values, for apps that map
/// roles from that claim) with `roles` or `groups`.
fn scoped_claims(user: &User, scope: &str) -> Value {
    let mut claims = serde_json::Map::new();
    if has_scope(scope, "email") {
        claims.insert("email".into(), json!(user.email));
        claims.insert("email_verified".into(), json!(user.is_verified()));
    }
    if has_scope(scope, "profile") {
        if let Some(name) = &user.display_name {
            claims.insert("name".into(), json!(name));
        }
        claims.insert("preferred_username".into(), json!(user.username.as_ref().unwrap_or(&user.email)));
    }
    if has_scope(scope, "roles") {
        claims.insert("roles".into(), json!(user.roles()));
    }
    if has_scope(scope, "roles") || has_scope(scope, "groups") {
        claims.insert("groups".into(), json!(user.roles()));
    }
    Value::Object(claims)
}

/// `userinfo`: `sub` and the claims of the scopes the access token carries, and the client
/// it was issued to; `None` for a token that is not valid, or whose grant or user is gone.
pub async fn userinfo(state: &AppState, access_token: &str) -> Result<Option<(Value, String)>, AppError> {
    let Ok(token) = state.jwt().verify_client_token(access_token).await else { return Ok(None) };
    if !grant_is_live(state, &token).await? {
        return Ok(None);
    }
    let Some(user_id) = token.user_id else { return Ok(None) };
    let Some(user) = live_user(state, user_id).await? else { return Ok(None) };
    let mut claims = scoped_claims(&user, &token.scope);
    claims["sub"] = json!(user.id.to_string());
    Ok(Some((claims, token.client_id)))
}

/// Whether an access token's grant still stands, for the client and user it names (the
/// client's removal deletes its grants). Read through the cache: every use asks.
pub(super) async fn grant_is_live(state: &AppState, token: &ClientToken) -> Result<bool, AppError> {
    let grant = oauth_grants::find_cached(state.store(), &token.grant).await?;
    Ok(grant
        .is_some_and(|grant| grant.is_live() && grant.client_id == token.client_id && grant.user_id == token.user_id))
}

/// RFC 7009: a refresh token or an access token of this client revokes its whole grant
/// (the other tokens of the same exchange too). Anything else is answered the same way.
pub async fn revoke(state: &AppState, client: &Client, presented: &str) -> Result<(), AppError> {
    let Some((grant, user_id)) = grant_of_token(state, client, presented).await? else { return Ok(()) };
    revoke_grant(state, &grant, store::now()).await?;
    tracing::info!(event = "oauth_token_revoked", user_id, client_id = %client.client_id, "grant revoked");
    Ok(())
}

/// The grant (and user, if any) of one of this client's refresh or access tokens.
async fn grant_of_token(
    state: &AppState,
    client: &Client,
    presented: &str,
) -> Result<Option<(String, Option<i64>)>, AppError> {
    if let Some(row) = refresh_token_of(state, client, presented).await? {
        return Ok(Some((row.family, Some(row.user_id))));
    }
    let Ok(token) = state.jwt().verify_client_token(presented).await else { return Ok(None) };
    Ok((token.client_id == client.client_id).then_some((token.grant, token.user_id)))
}

/// One of this client's refresh tokens, as stored (used, revoked or expired too).
pub(super) async fn refresh_token_of(
    state: &AppState,
    client: &Client,
    presented: &str,
) -> Result<Option<refresh_tokens::RefreshToken>, AppError> {
    let Some(token) = presented.strip_prefix(REFRESH_TOKEN_PREFIX).and_then(|rest| Token::parse(rest).ok()) else {
        return Ok(None);
    };
    let row = refresh_tokens::find(state.store().pool(), &token).await?;
    Ok(row.filter(|row| row.matches(&token) && row.client_id.as_deref() == Some(&client.client_id)))
}

/// The client credentials grant: a service's token for itself, with the scopes it asks
/// for among those registered for it (all of them when it names none). No user, no ID
/// token, no refresh token: it asks again when the token expires.
pub async fn client_credentials(
    state: &AppState,
    client: &Client,
    requested: &str,
) -> Result<TokenResponse, TokenError> {
    if !client.allows_grant(GrantType::ClientCredentials.as_str()) || client.is_public() {
        return Err(TokenError::UnauthorizedClient);
    }
    let registered: Vec<&str> = client.scopes.split(' ').filter(|scope| !scope.is_empty()).collect();
    let asked: Vec<&str> = requested.split(' ').filter(|scope| !scope.is_empty()).collect();
    if asked.iter().any(|scope| !registered.contains(scope)) {
        return Err(TokenError::InvalidScope);
    }
    let scope = if asked.is_empty() { registered.join(" ") } else { asked.join(" ") };
    let grant = oauth_grants::Grant::new(new_grant_id(), &client.client_id, None, None);
    oauth_grants::insert(state.store().pool(), &grant, store::now()).await?;
    let token_grant = ClientGrant { client_id: &client.client_id, scope: &scope, grant: &grant.id };
    let (access_token, expires_in) = state.jwt().issue_for_service(token_grant).await?;
    tracing::info!(event = "oauth_service_token_issued", client_id = %client.client_id, "client credentials token issued");
    Ok(TokenResponse { access_token, token_type: "Bearer", expires_in, id_token: None, refresh_token: None, scope })
}

#[cfg(test)]
mod tests {
    use super::pkce_matches;

    #[test]
    fn the_rfc_7636_example_verifier_matches_its_challenge() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(pkce_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert!(!pkce_matches(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"));
        assert!(!pkce_matches("short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }
}
