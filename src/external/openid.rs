//! The OpenID Connect side of signing in with another provider. `openidconnect` does the
//! protocol: discovery, state, nonce, PKCE S256, the code exchange and the ID token's
//! signature, issuer, audience, expiry and nonce. Here: which keys and which client
//! authentication to use, and what to do when the provider has moved on (a new key, a
//! discovery not done yet).

use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreJsonWebKeySet, CoreProviderMetadata,
};
use openidconnect::{
    AuthType, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, SignatureVerificationError,
    TokenResponse,
};
use secrecy::ExposeSecret;
use url::Url;

use super::providers::{Protocol, TokenAuth};
use super::{Http, Identity, Provider, Refusal, Started};

/// An ID token naming a key the provider's keys lack re-reads them, not more often than
/// this: a forger's made-up key ids must not make Gatehouse hammer the provider.
const REREAD_KEYS_AT_MOST_EVERY: Duration = Duration::from_secs(60);
/// A click on a provider whose discovery has not finished tries it, for this long at most,
/// and not more often than every few seconds.
const DISCOVER_DURING_A_CLICK_FOR: Duration = Duration::from_secs(5);
const DISCOVER_DURING_A_CLICK_AT_MOST_EVERY: Duration = Duration::from_secs(5);

pub(super) async fn discover(issuer: &str, http: &Http) -> anyhow::Result<CoreProviderMetadata> {
    let issuer = IssuerUrl::new(issuer.to_owned())?;
    Ok(CoreProviderMetadata::discover_async(issuer, http).await?)
}

/// What discovery found; during a click before discovery finished (just after start, or
/// while the provider was down), one bounded try now.
async fn metadata(provider: &Provider, http: &Http) -> Result<CoreProviderMetadata, Refusal> {
    if let Some(metadata) = provider.metadata.read().expect("provider metadata").clone() {
        return Ok(metadata);
    }
    let Protocol::OpenIdConnect { issuer, .. } = &provider.settings.protocol else { return Err(Refusal::Unknown) };
    // One click at a time tries; the others then find what it found.
    let mut last_try = provider.discovering.lock().await;
    if let Some(metadata) = provider.metadata.read().expect("provider metadata").clone() {
        return Ok(metadata);
    }
    if last_try.is_some_and(|at| at.elapsed() < DISCOVER_DURING_A_CLICK_AT_MOST_EVERY) {
        return Err(Refusal::Unavailable);
    }
    *last_try = Some(Instant::now());
    match tokio::time::timeout(DISCOVER_DURING_A_CLICK_FOR, discover(issuer, http)).await {
        Ok(Ok(metadata)) => {
            *provider.metadata.write().expect("provider metadata") = Some(metadata.clone());
            tracing::info!(provider = %provider.settings.id, "sign-in provider discovered during a click");
            Ok(metadata)
        }
        Ok(Err(error)) => {
            tracing::warn!(provider = %provider.settings.id, error = format!("{error:#}"), "sign-in provider still cannot be reached");
            Err(Refusal::Unavailable)
        }
        Err(_) => Err(Refusal::Unavailable),
    }
}

/// The client type `from_provider_metadata` builds, with the redirect URI set.
type ReadyClient = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn client(provider: &Provider, metadata: CoreProviderMetadata, callback: &Url) -> ReadyClient {
    let settings = &provider.settings;
    let auth_type = match token_auth(provider, &metadata) {
        TokenAuth::Basic => AuthType::BasicAuth,
        TokenAuth::Post => AuthType::RequestBody,
    };
    CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.expose_secret().to_owned())),
    )
    .set_redirect_uri(RedirectUrl::from_url(callback.clone()))
    .set_auth_type(auth_type)
}

/// As `gatehouse.toml` says, else as the provider's metadata says: Basic when it takes
/// Basic (or says nothing, the specification's default), the form when it takes only that.
fn token_auth(provider: &Provider, metadata: &CoreProviderMetadata) -> TokenAuth {
    if let Protocol::OpenIdConnect { token_auth: Some(chosen), .. } = &provider.settings.protocol {
        return *chosen;
    }
    let offered = metadata.token_endpoint_auth_methods_supported();
    let takes = |method: &CoreClientAuthMethod| offered.is_none_or(|offered| offered.contains(method));
    if !takes(&CoreClientAuthMethod::ClientSecretBasic) && takes(&CoreClientAuthMethod::ClientSecretPost) {
        TokenAuth::Post
    } else {
        TokenAuth::Basic
    }
}

/// The provider's authorization endpoint, with a new state, nonce and PKCE challenge.
pub(super) async fn start(provider: &Provider, http: &Http, callback: &Url) -> Result<Started, Refusal> {
    let client = client(provider, metadata(provider, http).await?, callback);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Started {
        url,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
    })
}

/// The code exchanged and the ID token verified: who signed in.
pub(super) async fn identity(
    provider: &Provider,
    http: &Http,
    callback: &Url,
    code: String,
    verifier: String,
    nonce: String,
) -> Result<Identity, Refusal> {
    let client = client(provider, metadata(provider, http).await?, callback);
    let answer = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|error| Refusal::BadAnswer(error.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(http)
        .await
        .map_err(|error| Refusal::BadAnswer(format!("token request: {error}")))?;
    let id_token = answer.id_token().ok_or_else(|| Refusal::BadAnswer("no ID token".into()))?;
    let nonce = Nonce::new(nonce);
    let checked = id_token.claims(&client.id_token_verifier(), &nonce).cloned();
    let (claims, client) = match checked {
        Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey))
            if reread_keys(provider, http).await =>
        {
            // The provider moved to a new key since its keys were read: check again with them.
            let client = self::client(provider, metadata(provider, http).await?, callback);
            let checked = id_token.claims(&client.id_token_verifier(), &nonce).cloned();
            (checked, client)
        }
        checked => (checked, client),
    };
    let claims = claims.map_err(|error| Refusal::BadAnswer(format!("ID token: {error}")))?;
    let mut identity = Identity {
        provider: provider.settings.id.clone(),
        subject: claims.subject().to_string(),
        email: claims.email().map(|email| email.to_string()),
        email_verified: claims.email_verified().unwrap_or(false),
    };
    // Some providers put the address only in userinfo (OpenID Connect's default for
    // claims asked for by scope when an access token is issued).
    if identity.email.is_none()
        && let Ok(request) = client.user_info(answer.access_token().clone(), Some(claims.subject().clone()))
    {
        match request.request_async(http).await {
            Ok(info) => {
                let info: openidconnect::core::CoreUserInfoClaims = info;
                identity.email = info.email().map(|email| email.to_string());
                identity.email_verified = info.email_verified().unwrap_or(false);
            }
            Err(error) => {
                tracing::warn!(provider = %provider.settings.id, %error, "cannot read the provider's userinfo")
            }
        }
    }
    Ok(identity)
}

/// Reads the provider's keys again, unless that was done within the last minute; whether
/// there are new keys to try.
async fn reread_keys(provider: &Provider, http: &Http) -> bool {
    {
        let mut last = provider.keys_reread.lock().expect("key re-read time");
        if last.is_some_and(|at| at.elapsed() < REREAD_KEYS_AT_MOST_EVERY) {
            tracing::warn!(provider = %provider.settings.id, "an ID token names an unknown key; keys were re-read within the minute");
            return false;
        }
        *last = Some(Instant::now());
    }
    let Some(metadata) = provider.metadata.read().expect("provider metadata").clone() else { return false };
    match CoreJsonWebKeySet::fetch_async(metadata.jwks_uri(), http).await {
        Ok(keys) => {
            let renewed = metadata.set_jwks(keys);
            *provider.metadata.write().expect("provider metadata") = Some(renewed);
            tracing::info!(provider = %provider.settings.id, "an ID token named an unknown key: the provider's keys were re-read");
            true
        }
        Err(error) => {
            tracing::warn!(provider = %provider.settings.id, %error, "cannot re-read the provider's keys");
            false
        }
    }
}
