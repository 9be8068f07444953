//! `/oauth2/authorize`: checking an authorization request, asking for consent and
//! issuing the code. A request whose client or redirect URI is wrong is answered with a
//! page (never a redirect: the URI is not known to be the app's); every other mistake goes
//! back to the app's redirect URI as an OAuth error, with its `state`.

use serde::Deserialize;
use url::Url;

use super::{covers, has_scope, hash, known_scopes, random_secret};
use crate::domain::AuthSession;
use crate::error::Result;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::oauth::{self, Client, Code};
use crate::store::{self, users::User};

/// A code is exchanged within a minute, or never.
const CODE_TTL_SECS: i64 = 60;

/// The query of `/oauth2/authorize` (and the hidden fields of the consent form), as sent.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub response_type: String,
    #[serde(default)]
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    #[serde(default)]
    pub code_challenge: String,
    #[serde(default)]
    pub code_challenge_method: String,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    /// Request objects (Core §6): not supported, and said so rather than ignored (the
    /// parameters inside them would be lost).
    pub request: Option<String>,
    pub request_uri: Option<String>,
}

/// A request that names a registered client and one of its redirect URIs exactly.
#[derive(Debug)]
pub struct Request {
    pub client: Client,
    pub redirect_uri: String,
    pub state: Option<String>,
    /// The known scopes asked for, in order.
    pub scope: String,
    pub nonce: Option<String>,
    pub code_challenge: String,
    pub prompt: Option<String>,
    pub max_age: Option<i64>,
}

/// Why a request is refused.
#[derive(Debug)]
pub enum Refusal {
    /// The client or its redirect URI is wrong: a page, never a redirect.
    Page(&'static str),
    /// Back to the app, as `error` (RFC 6749 §4.1.2.1).
    Redirect(String),
}

impl Params {
    /// The request, once the client and redirect URI are known good and the rest is an
    /// authorization code request with PKCE S256.
    pub async fn check(self, state: &AppState) -> Result<Request, Refusal> {
        let client = oauth::client(state.store().pool(), &self.client_id).await.map_err(|error| {
            tracing::error!(%error, "cannot read the client");
            Refusal::Page("error-authorize-unavailable")
        })?;
        let Some(client) = client else {
            return Err(Refusal::Page("error-authorize-unknown-app"));
        };
        if !client.redirect_uris().any(|uri| uri == self.redirect_uri) {
            return Err(Refusal::Page("error-authorize-unregistered-return"));
        }
        let request = Request {
            client,
            redirect_uri: self.redirect_uri,
            state: self.state,
            scope: known_scopes(&self.scope),
            nonce: self.nonce.filter(|nonce| !nonce.is_empty()),
            code_challenge: self.code_challenge,
            prompt: self.prompt,
            max_age: self.max_age.and_then(|age| age.parse().ok()),
        };
        if !request.client.allows_grant(super::clients::GrantType::AuthorizationCode.as_str()) {
            let why = "This app is not registered to sign users in.";
            return Err(Refusal::Redirect(request.error_redirect(state, "unauthorized_client", why)));
        }
        if self.request.is_some() {
            let why = "Request objects (the request parameter) are not supported.";
            return Err(Refusal::Redirect(request.error_redirect(state, "request_not_supported", why)));
        }
        if self.request_uri.is_some() {
            let why = "Request objects by reference (the request_uri parameter) are not supported.";
            return Err(Refusal::Redirect(request.error_redirect(state, "request_uri_not_supported", why)));
        }
        if self.response_type != "code" {
            let why = "Only the authorization code flow (response_type=code) is supported.";
            return Err(Refusal::Redirect(request.error_redirect(state, "unsupported_response_type", why)));
        }
        if self.code_challenge_method != "S256" || !is_s256_challenge(&request.code_challenge) {
            let why = "PKCE is required: send a code_challenge with code_challenge_method=S256.";
            return Err(Refusal::Redirect(request.error_redirect(state, "invalid_request", why)));
        }
        if !has_scope(&request.scope, "openid") {
            let why = "The openid scope is required.";
            return Err(Refusal::Redirect(request.error_redirect(state, "invalid_scope", why)));
        }
        Ok(request)
    }
}

/// A SHA-256 as base64url: 43 characters of the URL-safe alphabet.
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43 && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Request {
    /// The redirect URI with `error`, its description, the request's `state` and our
    /// issuer (RFC 9207).
    pub fn error_redirect(&self, state: &AppState, error: &str, description: &str) -> String {
        self.back(state, &[("error", error), ("error_description", description)])
    }

    fn back(&self, state: &AppState, pairs: &[(&str, &str)]) -> String {
        let mut url = Url::parse(&self.redirect_uri).expect("registered redirect URIs are URLs");
        {
            let mut query = url.query_pairs_mut();
            for (name, value) in pairs {
                query.append_pair(name, value);
            }
            if let Some(value) = &self.state {
                query.append_pair("state", value);
            }
            query.append_pair("iss", &issuer(state));
        }
        url.into()
    }

    /// Whether this sign-in is too old for the request: `prompt=login`, or `max_age`
    /// reached. Times are whole seconds, so "reached" errs towards asking again: `max_age=0`
    /// always asks, and `max_age=1` asks once the second has turned.
    pub fn wants_new_sign_in(&self, auth: &AuthSession) -> bool {
        let too_old = self.max_age.is_some_and(|max_age| store::now() - auth.authenticated_at >= max_age);
        self.prompt_is("login") || too_old
    }

    pub fn prompt_is(&self, value: &str) -> bool {
        self.prompt.as_deref().is_some_and(|prompt| prompt.split(' ').any(|word| word == value))
    }

    /// Whether the user needs to be asked: not for an app that skips consent, nor for
    /// scopes they allowed this app before.
    pub async fn needs_consent(&self, state: &AppState, user: &User) -> Result<bool> {
        if self.client.skips_consent() {
            return Ok(false);
        }
        let allowed = oauth::consent(state.store().pool(), user.id, &self.client.client_id).await?;
        Ok(!allowed.is_some_and(|allowed| covers(&allowed, &self.scope)))
    }

    /// Remembers the consent (`consented_from`: the person just said yes, from there: the
    /// activity log says so), issues a code for this sign-in, and returns where to send
    /// the browser with it.
    pub async fn allow(
        &self,
        state: &AppState,
        user: &User,
        auth: &AuthSession,
        consented_from: Option<&crate::accounts::Client>,
    ) -> Result<String> {
        let pool = state.store().pool();
        let now = store::now();
        if !self.client.skips_consent() {
            let mut tx = state.store().begin().await?;
            oauth::save_consent(&mut *tx, user.id, &self.client.client_id, &self.scope, now).await?;
            if let Some(from) = consented_from {
                events::record(&mut *tx, user.id, EventKind::AppAllowed, &from.ip(), &from.user_agent, now).await?;
            }
            tx.commit().await?;
        }
        let code = random_secret();
        let record = Code {
            code_hash: hash(&code),
            client_id: self.client.client_id.clone(),
            user_id: user.id,
            redirect_uri: self.redirect_uri.clone(),
            code_challenge: self.code_challenge.clone(),
            scope: self.scope.clone(),
            nonce: self.nonce.clone(),
            auth_time: auth.authenticated_at,
            amr: auth.amr.to_column(),
            expires_at: now + CODE_TTL_SECS,
            used_at: None,
            family: None,
            sid: Some(auth.sid.clone()).filter(|sid| !sid.is_empty()),
        };
        oauth::insert_code(pool, &record).await?;
        tracing::info!(event = "oauth_code_issued", user_id = user.id, client_id = %self.client.client_id, "code issued");
        Ok(self.back(state, &[("code", &code)]))
    }

    /// The scopes, as the consent page lists them.
    pub fn scope_list(&self) -> Vec<&'static str> {
        super::SCOPES.iter().copied().filter(|scope| has_scope(&self.scope, scope)).collect()
    }

    /// The host (and port, if not the scheme's) the answer goes back to, for the consent page.
    pub fn redirect_host(&self) -> String {
        let url = Url::parse(&self.redirect_uri).expect("registered redirect URIs are URLs");
        match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => self.redirect_uri.clone(),
        }
    }

    /// The origin of the redirect URI, for the consent page's `form-action`.
    pub fn redirect_origin(&self) -> String {
        Url::parse(&self.redirect_uri).expect("registered redirect URIs are URLs").origin().ascii_serialization()
    }
}

/// `BASE_URL` without its trailing slash: the `iss` of our tokens and discovery document.
pub fn issuer(state: &AppState) -> String {
    state.base_url().as_str().trim_end_matches('/').to_owned()
}
