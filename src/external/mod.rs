//! Signing in with another OpenID Connect provider (a company's SSO, say), and linking
//! accounts to one. `openidconnect` does the protocol: discovery, state, nonce, PKCE S256,
//! the code exchange and the ID token's signature, issuer, audience, expiry and nonce.
//! The rules here: a subject already linked signs in to its account; a new subject with a
//! verified address not known here gets a new account (with no password); an address that
//! belongs to an account is never linked by itself — its owner links it while signed in.

pub mod providers;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tower_sessions::Session;
use url::Url;

use crate::accounts::Client;
use crate::domain::Email;
use crate::error::{AppError, Result};
use crate::mail::messages;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::links::{self, Link};
use crate::store::users::{self, User};
use crate::store::{self, is_unique_violation};
use providers::ProviderSettings;

/// How long a discovery that failed waits before it tries again.
const RETRY_DISCOVERY: Duration = Duration::from_secs(30);
/// How often a provider's document and keys are fetched again, so that a provider's key
/// rotation is picked up (openidconnect keeps the keys discovery found).
const REFRESH_DISCOVERY: Duration = Duration::from_secs(60 * 60);
/// How long the browser has to come back from the provider.
const CEREMONY_TTL_SECS: i64 = 10 * 60;

/// A configured provider and what its discovery found (nothing yet while it cannot be
/// reached: the login page then says it is unavailable).
pub struct Provider {
    pub settings: ProviderSettings,
    metadata: RwLock<Option<CoreProviderMetadata>>,
}

impl Provider {
    pub fn is_available(&self) -> bool {
        self.metadata.read().expect("provider metadata").is_some()
    }
}

/// Every configured provider, and the HTTP client that talks to them (no redirects
/// followed: a provider's answers are read as they are).
#[derive(Clone)]
pub struct Providers {
    list: Arc<Vec<Arc<Provider>>>,
    http: openidconnect::reqwest::Client,
    base_url: Url,
}

impl Providers {
    pub fn new(settings: &[ProviderSettings], base_url: &Url) -> anyhow::Result<Self> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        let list = settings
            .iter()
            .map(|settings| Arc::new(Provider { settings: settings.clone(), metadata: RwLock::new(None) }))
            .collect();
        Ok(Self { list: Arc::new(list), http, base_url: base_url.clone() })
    }

    pub fn all(&self) -> &[Arc<Provider>] {
        &self.list
    }

    fn get(&self, id: &str) -> Option<&Arc<Provider>> {
        self.list.iter().find(|provider| provider.settings.id == id)
    }

    /// The origins the sign-in forms lead to (through a redirect) for these providers.
    pub fn form_action_sources(&self) -> Vec<String> {
        let origin = |issuer: &str| Url::parse(issuer).ok().map(|url| url.origin().ascii_serialization());
        self.list.iter().filter_map(|provider| origin(&provider.settings.issuer)).collect()
    }

    /// Fetches each provider's discovery document (and keys) in the background, again every
    /// half minute until it succeeds, then every hour: start-up does not wait for (or fail
    /// on) a provider, and a provider down later keeps the document it had.
    pub fn discover(&self, stop: &tokio::sync::watch::Receiver<bool>) {
        for provider in self.list.iter() {
            let (provider, http, mut stop) = (provider.clone(), self.http.clone(), stop.clone());
            tokio::spawn(async move {
                loop {
                    let wait = match discover(&provider.settings, &http).await {
                        Ok(metadata) => {
                            *provider.metadata.write().expect("provider metadata") = Some(metadata);
                            tracing::info!(provider = %provider.settings.id, "sign-in provider discovered");
                            REFRESH_DISCOVERY
                        }
                        Err(error) => {
                            tracing::warn!(
                                provider = %provider.settings.id,
                                issuer = %provider.settings.issuer,
                                error = format!("{error:#}"),
                                "sign-in provider cannot be reached; trying again in 30 s"
                            );
                            RETRY_DISCOVERY
                        }
                    };
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => return,
                    }
                }
            });
        }
    }

    fn client(&self, provider: &Provider) -> Result<ReadyClient, Refusal> {
        let metadata = provider.metadata.read().expect("provider metadata").clone().ok_or(Refusal::Unavailable)?;
        let settings = &provider.settings;
        let callback = self.base_url.join(&format!("/login/oidc/{}/callback", settings.id)).map_err(internal)?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            Some(ClientSecret::new(settings.client_secret.expose_secret().to_owned())),
        )
        .set_redirect_uri(RedirectUrl::from_url(callback)))
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

async fn discover(
    settings: &ProviderSettings,
    http: &openidconnect::reqwest::Client,
) -> anyhow::Result<CoreProviderMetadata> {
    let issuer = IssuerUrl::new(settings.issuer.clone())?;
    Ok(CoreProviderMetadata::discover_async(issuer, http).await?)
}

fn internal(error: impl Into<anyhow::Error>) -> Refusal {
    Refusal::Failed(AppError::Internal(error.into()))
}

/// Why a sign-in or link through a provider did not happen.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("no such provider")]
    Unknown,
    #[error("the provider cannot be reached")]
    Unavailable,
    #[error("the state is missing, wrong or used")]
    BadState,
    #[error("the provider answered with an error: {0}")]
    ProviderError(String),
    #[error("the provider's answer did not check out: {0}")]
    BadAnswer(String),
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        Self::Failed(error.into())
    }
}

impl From<tower_sessions::session::Error> for Refusal {
    fn from(error: tower_sessions::session::Error) -> Self {
        Self::Failed(error.into())
    }
}

/// What the browser went to the provider for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Purpose {
    SignIn { next: String },
    Link { user_id: i64 },
}

/// The round trip to the provider, kept in the session until the browser comes back.
#[derive(Serialize, Deserialize)]
struct Ceremony {
    provider: String,
    state: String,
    nonce: String,
    verifier: String,
    purpose: Purpose,
    started_at: i64,
}

const CEREMONY_KEY: &str = "external_sign_in";

/// Where to send the browser: the provider's authorization endpoint, with a new state,
/// nonce and PKCE challenge kept in this session.
pub async fn begin(state: &AppState, session: &Session, provider_id: &str, purpose: Purpose) -> Result<Url, Refusal> {
    let providers = state.providers();
    let provider = providers.get(provider_id).ok_or(Refusal::Unknown)?;
    let client = providers.client(provider)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let ceremony = Ceremony {
        provider: provider_id.to_owned(),
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        purpose,
        started_at: store::now(),
    };
    session.insert(CEREMONY_KEY, ceremony).await?;
    Ok(url)
}

/// The query the provider sends the browser back with.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// Who the provider says signed in.
pub struct Identity {
    pub provider: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
}

/// The browser is back: the ceremony is used up, the state checked, the code exchanged
/// and the ID token verified. A replayed or forged callback finds no ceremony.
pub async fn finish(
    state: &AppState,
    session: &Session,
    provider_id: &str,
    callback: Callback,
) -> Result<(Purpose, Identity), Refusal> {
    let ceremony = session.remove::<Ceremony>(CEREMONY_KEY).await?;
    let ceremony = ceremony
        .filter(|ceremony| ceremony.provider == provider_id && store::now() - ceremony.started_at <= CEREMONY_TTL_SECS)
        .ok_or(Refusal::BadState)?;
    let state_matches =
        callback.state.as_deref().is_some_and(|sent| bool::from(sent.as_bytes().ct_eq(ceremony.state.as_bytes())));
    if !state_matches {
        return Err(Refusal::BadState);
    }
    if let Some(error) = callback.error {
        return Err(Refusal::ProviderError(error));
    }
    let code = callback.code.ok_or_else(|| Refusal::BadAnswer("no code".into()))?;
    let providers = state.providers();
    let provider = providers.get(provider_id).ok_or(Refusal::Unknown)?;
    let client = providers.client(provider)?;
    let answer = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|error| Refusal::BadAnswer(error.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(ceremony.verifier))
        .request_async(&providers.http)
        .await
        .map_err(|error| Refusal::BadAnswer(format!("token request: {error}")))?;
    let id_token = answer.id_token().ok_or_else(|| Refusal::BadAnswer("no ID token".into()))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(ceremony.nonce))
        .map_err(|error| Refusal::BadAnswer(format!("ID token: {error}")))?;
    let mut identity = Identity {
        provider: provider_id.to_owned(),
        subject: claims.subject().to_string(),
        email: claims.email().map(|email| email.to_string()),
        email_verified: claims.email_verified().unwrap_or(false),
    };
    // Some providers put the address only in userinfo (OpenID Connect's default for
    // claims asked for by scope when an access token is issued).
    if identity.email.is_none()
        && let Ok(request) = client.user_info(answer.access_token().clone(), Some(claims.subject().clone()))
    {
        match request.request_async(&providers.http).await {
            Ok(info) => {
                let info: openidconnect::core::CoreUserInfoClaims = info;
                identity.email = info.email().map(|email| email.to_string());
                identity.email_verified = info.email_verified().unwrap_or(false);
            }
            Err(error) => tracing::warn!(provider = provider_id, %error, "cannot read the provider's userinfo"),
        }
    }
    Ok((ceremony.purpose, identity))
}

/// What signing in with a provider's identity found.
pub enum SignIn {
    /// A linked account, or one just made for a new person.
    Account(Box<User>),
    /// The address belongs to an account here: its owner must sign in and link.
    EmailTaken,
    /// The provider vouched for no address.
    NoVerifiedEmail,
}

pub async fn sign_in(state: &AppState, identity: &Identity, client: &Client) -> Result<SignIn> {
    let pool = state.store().pool();
    if let Some(link) = links::find(pool, &identity.provider, &identity.subject).await? {
        let user = users::find_by_id(pool, link.user_id).await?;
        return user
            .map(|user| SignIn::Account(Box::new(user)))
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a link without its user")));
    }
    let email =
        identity.email.as_deref().filter(|_| identity.email_verified).and_then(|email| Email::parse(email).ok());
    let Some(email) = email else { return Ok(SignIn::NoVerifiedEmail) };
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let Some(user_id) = users::insert_without_password(&mut *tx, &email, now).await? else {
        tracing::info!(event = "external_email_taken", provider = %identity.provider, "an address with an account here; not linked");
        return Ok(SignIn::EmailTaken);
    };
    let link = new_link(identity, user_id, email.as_str(), now);
    links::insert(&mut *tx, &link).await?;
    events::record(&mut *tx, user_id, EventKind::ProviderLinked, &client.ip(), &client.user_agent, now).await?;
    tx.commit().await?;
    tracing::info!(event = "external_account_created", user_id, provider = %identity.provider, "account made by a provider");
    let user =
        users::find_by_id(pool, user_id).await?.ok_or_else(|| AppError::Internal(anyhow::anyhow!("new user gone")))?;
    Ok(SignIn::Account(Box::new(user)))
}

fn new_link(identity: &Identity, user_id: i64, email: &str, now: i64) -> Link {
    Link {
        provider: identity.provider.clone(),
        subject: identity.subject.clone(),
        user_id,
        email: email.to_owned(),
        created_at: now,
    }
}

/// Links the signed-in `user` to the identity; `false` when the subject is linked to an
/// account already, or this account to another subject of the provider.
pub async fn link(state: &AppState, user: &User, identity: &Identity, client: &Client) -> Result<bool> {
    let now = store::now();
    let email = identity.email.clone().unwrap_or_else(|| identity.subject.clone());
    let mut tx = state.store().begin().await?;
    match links::insert(&mut *tx, &new_link(identity, user.id, &email, now)).await {
        Ok(()) => {}
        Err(error) if is_unique_violation(&error) => return Ok(false),
        Err(error) => return Err(error.into()),
    }
    events::record(&mut *tx, user.id, EventKind::ProviderLinked, &client.ip(), &client.user_agent, now).await?;
    let name = provider_name(state, &identity.provider);
    state.outbox().enqueue(&mut tx, &messages::provider_linked(state.links(), &user.address()?, &name)).await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "provider_linked", user_id = user.id, provider = %identity.provider, "account linked");
    Ok(true)
}

fn provider_name(state: &AppState, id: &str) -> String {
    state.providers().get(id).map_or_else(|| id.to_owned(), |provider| provider.settings.name.clone())
}

/// Why a link was not removed.
#[derive(Debug, PartialEq, Eq)]
pub enum Unlink {
    Removed,
    NotLinked,
    /// No password, no passkey and no other link: it is the last way in.
    LastWayIn,
}

pub async fn unlink(state: &AppState, user: &User, provider_id: &str, client: &Client) -> Result<Unlink> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    users::lock(&mut tx, user.id).await?;
    if !links::delete(&mut *tx, user.id, provider_id).await? {
        return Ok(Unlink::NotLinked);
    }
    if !users::has_a_way_in(&mut tx, user.id).await? {
        // Dropping the transaction takes the unlinking back.
        return Ok(Unlink::LastWayIn);
    }
    events::record(&mut *tx, user.id, EventKind::ProviderUnlinked, &client.ip(), &client.user_agent, now).await?;
    let name = provider_name(state, provider_id);
    state.outbox().enqueue(&mut tx, &messages::provider_unlinked(state.links(), &user.address()?, &name)).await?;
    state.outbox().commit(tx).await?;
    tracing::info!(event = "provider_unlinked", user_id = user.id, provider = provider_id, "link removed");
    Ok(Unlink::Removed)
}

/// The account page's list: each provider, and the address of the account's link to it.
pub async fn links_of(state: &AppState, user: &User) -> Result<Vec<(Arc<Provider>, Option<String>)>> {
    let linked = links::for_user(state.store().pool(), user.id).await?;
    Ok(state
        .providers()
        .all()
        .iter()
        .map(|provider| {
            let link = linked.iter().find(|link| link.provider == provider.settings.id);
            (provider.clone(), link.map(|link| link.email.clone()))
        })
        .collect())
}
