//! The plain OAuth2 side of signing in with another provider (GitHub and its like: no ID
//! token, no discovery). `oauth2` does the protocol (state, PKCE, the code exchange); the
//! person is then read from the provider's userinfo URL as `gatehouse.toml` maps it, and
//! the address, with an emails URL (GitHub's `/user/emails`), is the primary one, only if
//! the provider verified it.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use secrecy::ExposeSecret;
use serde_json::Value;
use url::Url;

use super::providers::{OAuth2Settings, TokenAuth};
use super::{Http, Identity, Provider, Refusal, Started};

fn client(
    provider: &Provider,
    settings: &OAuth2Settings,
    callback: &Url,
) -> oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    oauth2::basic::BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
> {
    let auth_type = match settings.token_auth {
        TokenAuth::Basic => AuthType::BasicAuth,
        TokenAuth::Post => AuthType::RequestBody,
    };
    BasicClient::new(ClientId::new(provider.settings.client_id.clone()))
        .set_client_secret(ClientSecret::new(provider.settings.client_secret.expose_secret().to_owned()))
        .set_auth_uri(AuthUrl::from_url(settings.authorization_url.clone()))
        .set_token_uri(TokenUrl::from_url(settings.token_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(callback.clone()))
        .set_auth_type(auth_type)
}

/// The provider's authorization URL, with a new state and (unless turned off) a PKCE
/// challenge.
pub(super) fn start(provider: &Provider, settings: &OAuth2Settings, callback: &Url) -> Started {
    let client = client(provider, settings, callback);
    let mut request = client.authorize_url(CsrfToken::new_random);
    for scope in &settings.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let mut verifier = String::new();
    if settings.pkce {
        let (challenge, pkce_verifier) = PkceCodeChallenge::new_random_sha256();
        request = request.set_pkce_challenge(challenge);
        verifier = pkce_verifier.secret().clone();
    }
    let (url, csrf) = request.url();
    Started { url, state: csrf.secret().clone(), nonce: String::new(), verifier }
}

/// The code exchanged, and the person read from the provider's API with the token.
pub(super) async fn identity(
    provider: &Provider,
    settings: &OAuth2Settings,
    http: &Http,
    callback: &Url,
    code: String,
    verifier: String,
) -> Result<Identity, Refusal> {
    let client = client(provider, settings, callback);
    let mut exchange = client.exchange_code(AuthorizationCode::new(code));
    if !verifier.is_empty() {
        exchange = exchange.set_pkce_verifier(PkceCodeVerifier::new(verifier));
    }
    let answer =
        exchange.request_async(http).await.map_err(|error| Refusal::BadAnswer(format!("token request: {error}")))?;
    let token = answer.access_token().secret();
    let user = get_json(http, &settings.userinfo_url, token).await?;
    let subject = match &user[settings.subject_claim.as_str()] {
        Value::String(subject) if !subject.is_empty() => subject.clone(),
        Value::Number(subject) => subject.to_string(),
        _ => return Err(Refusal::BadAnswer(format!("userinfo has no {:?}", settings.subject_claim))),
    };
    let (email, email_verified) = match &settings.emails_url {
        Some(emails_url) => primary_verified_address(&get_json(http, emails_url, token).await?),
        None => (
            user[settings.email_claim.as_str()].as_str().map(str::to_owned),
            user[settings.email_verified_claim.as_str()].as_bool().unwrap_or(false),
        ),
    };
    Ok(Identity { provider: provider.settings.id.clone(), subject, email, email_verified })
}

/// GitHub's list of addresses: the primary one, and whether GitHub verified it. Any other
/// address, verified or not, is not the person's address here.
fn primary_verified_address(emails: &Value) -> (Option<String>, bool) {
    let primary = emails.as_array().into_iter().flatten().find(|entry| entry["primary"] == Value::Bool(true));
    match primary {
        Some(entry) => (entry["email"].as_str().map(str::to_owned), entry["verified"] == Value::Bool(true)),
        None => (None, false),
    }
}

/// A GET of the provider's API with the access token. GitHub's API refuses a request
/// without a `User-Agent`.
async fn get_json(http: &Http, url: &Url, token: &str) -> Result<Value, Refusal> {
    let answer = http
        .get(url.clone())
        .bearer_auth(token)
        .header("accept", "application/json")
        .header("user-agent", concat!("gatehouse/", env!("CARGO_PKG_VERSION")))
        .send()
        .await
        .map_err(|error| Refusal::BadAnswer(format!("{url}: {error}")))?;
    if !answer.status().is_success() {
        return Err(Refusal::BadAnswer(format!("{url}: {}", answer.status())));
    }
    let body = answer.bytes().await.map_err(|error| Refusal::BadAnswer(format!("{url}: {error}")))?;
    serde_json::from_slice(&body).map_err(|error| Refusal::BadAnswer(format!("{url}: {error}")))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::primary_verified_address;

    #[test]
    fn only_the_primary_address_counts_and_only_if_verified() {
        let emails = json!([
            {"email": "old@example.com", "primary": false, "verified": true},
            {"email": "ada@example.com", "primary": true, "verified": true},
        ]);
        assert_eq!(primary_verified_address(&emails), (Some("ada@example.com".into()), true));
        let unverified = json!([{"email": "ada@example.com", "primary": true, "verified": false},
                                {"email": "other@example.com", "primary": false, "verified": true}]);
        assert_eq!(primary_verified_address(&unverified), (Some("ada@example.com".into()), false));
        assert_eq!(primary_verified_address(&json!({"message": "Bad credentials"})), (None, false));
    }
}
