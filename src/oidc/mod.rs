//! The OpenID Connect provider: other apps (clients the operator registers) sign their
//! users in through Gatehouse with the authorization code flow and PKCE (S256 only), get
//! RS256 ID tokens, EdDSA access tokens and rotating refresh tokens, and read `userinfo`.
//! Consent is remembered per user, client and scopes. The rules serve the routes in
//! `routes/oidc.rs`, the account page's "apps with access" and the operator's commands.

pub mod authorize;
pub mod clients;
pub mod cors;
pub mod introspect;
pub mod tokens;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The scopes Gatehouse knows, in the order they are shown and stored.
pub const SCOPES: [&str; 6] = ["openid", "email", "profile", "roles", "groups", "offline_access"];

/// The known scopes among `requested` (space-separated), in [`SCOPES`]' order; unknown
/// ones are dropped, as RFC 6749 §3.3 allows.
pub fn known_scopes(requested: &str) -> String {
    let asked: Vec<&str> = requested.split(' ').collect();
    SCOPES.iter().filter(|scope| asked.contains(scope)).copied().collect::<Vec<_>>().join(" ")
}

/// Whether every scope of `wanted` is among `granted`.
pub fn covers(granted: &str, wanted: &str) -> bool {
    let granted: Vec<&str> = granted.split(' ').collect();
    wanted.split(' ').filter(|scope| !scope.is_empty()).all(|scope| granted.contains(&scope))
}

pub fn has_scope(scopes: &str, scope: &str) -> bool {
    scopes.split(' ').any(|granted| granted == scope)
}

/// What an RP-initiated logout's `id_token_hint` names: the app (still registered), the
/// account the ID token was issued for and the sign-in (`sid`). Only an ID token we signed
/// is a hint, never an access token.
pub struct LogoutHint {
    pub client: crate::store::oauth::Client,
    subject: String,
    sid: Option<String>,
}

impl LogoutHint {
    /// Whether the hint names this very sign-in: then the app may end it without asking.
    pub fn names(&self, current: &crate::accounts::sessions::CurrentUser) -> bool {
        let sid_matches = self.sid.as_deref().is_some_and(|sid| {
            !current.auth.sid.is_empty() && bool::from(sid.as_bytes().ct_eq(current.auth.sid.as_bytes()))
        });
        self.subject == current.user.id.to_string() && sid_matches
    }
}

pub async fn logout_hint(
    state: &crate::state::AppState,
    id_token_hint: &str,
) -> crate::error::Result<Option<LogoutHint>> {
    let issuer = authorize::issuer(state);
    let claims = match state.rsa_keys().claims_of(id_token_hint, &issuer).await {
        Some(claims) => Some(claims),
        None => state.jwt().id_token_claims(id_token_hint).await,
    };
    let Some(claims) = claims else { return Ok(None) };
    let (Some(client_id), Some(subject)) = (claims["aud"].as_str(), claims["sub"].as_str()) else { return Ok(None) };
    let sid = claims["sid"].as_str().map(str::to_owned);
    let client = crate::store::oauth::client(state.store().pool(), client_id).await?;
    Ok(client.map(|client| LogoutHint { client, subject: subject.to_owned(), sid }))
}

/// The app a sign-in continues to, when `next` is its authorization request.
pub struct ContinuesTo {
    /// The app's name, for the login page to say where the person is going.
    pub app: String,
    /// The origin of its (registered) redirect URI. The login and second-step pages allow
    /// their forms to lead there, as Chromium applies `form-action` to the whole chain of
    /// redirects after a form (login → `/oauth2/authorize` → the app).
    pub origin: String,
}

pub async fn continues_to(state: &crate::state::AppState, next: &str) -> crate::error::Result<Option<ContinuesTo>> {
    let Some(query) = next.strip_prefix("/oauth2/authorize?") else { return Ok(None) };
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes()).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
    };
    let (Some(client_id), Some(redirect_uri)) = (param("client_id"), param("redirect_uri")) else { return Ok(None) };
    let Some(client) = crate::store::oauth::client(state.store().pool(), &client_id).await? else { return Ok(None) };
    if !client.redirect_uris().any(|uri| uri == redirect_uri) {
        return Ok(None);
    }
    let origin = url::Url::parse(&redirect_uri).ok().map(|url| url.origin().ascii_serialization());
    Ok(origin.map(|origin| ContinuesTo { app: client.name, origin }))
}

/// The apps the user allowed, for the account page.
pub async fn apps_with_access(
    state: &crate::state::AppState,
    user_id: i64,
) -> crate::error::Result<Vec<crate::store::oauth::Grant>> {
    Ok(crate::store::oauth::grants(state.store().pool(), user_id).await?)
}

/// Takes an app's access away: the consent (it asks again next time) and every grant and
/// refresh token it holds for the user. `false` when the user had not allowed it.
pub async fn revoke_access(
    state: &crate::state::AppState,
    user_id: i64,
    client_id: &str,
    from: &crate::accounts::Client,
) -> crate::error::Result<bool> {
    use crate::store::events::{self, EventKind};
    let mut tx = state.store().begin().await?;
    let had = crate::store::oauth::delete_consent(&mut *tx, user_id, client_id).await?;
    let now = crate::store::now();
    let revoked = crate::store::refresh_tokens::revoke_for_client(&mut *tx, user_id, client_id, now).await?;
    crate::store::oauth_grants::revoke_for_client(&mut *tx, user_id, client_id, now).await?;
    if had || revoked > 0 {
        events::record(&mut *tx, user_id, EventKind::AppAccessRevoked, &from.ip(), &from.user_agent, now).await?;
    }
    tx.commit().await?;
    tracing::info!(event = "oauth_access_revoked", user_id, client_id, revoked, "an app's access was taken away");
    Ok(had || revoked > 0)
}

/// 256 random bits, base64url: codes and client secrets.
fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How codes and client secrets are kept: they are random, so a plain hash is enough.
fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_scopes_are_dropped_and_the_rest_put_in_order() {
        assert_eq!(known_scopes("email openid admin"), "openid email");
        assert_eq!(known_scopes(""), "");
        assert!(covers("openid email roles", "roles openid"));
        assert!(!covers("openid", "openid email"));
    }
}
