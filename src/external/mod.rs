//! Signing in with another provider — OpenID Connect ([`openid`], a company's SSO, say)
//! or plain OAuth2 ([`oauth2`], GitHub) — and linking accounts to one. The rules here: a
//! subject already linked signs in to its account; a new subject with a verified address
//! not known here gets a new account (with no password); an address that belongs to an
//! account is never linked by itself — its owner links it while signed in.

mod oauth2;
mod openid;
pub mod providers;

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use openidconnect::core::CoreProviderMetadata;
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
use providers::{Protocol, ProviderSettings};

/// How long a discovery that failed waits before it tries again.
const RETRY_DISCOVERY: Duration = Duration::from_secs(30);
/// How often a provider's document and keys are fetched again, besides when an ID token
/// names a key they lack.
const REFRESH_DISCOVERY: Duration = Duration::from_secs(60 * 60);
/// How long the browser has to come back from the provider.
const CEREMONY_TTL_SECS: i64 = 10 * 60;

/// The HTTP client that talks to providers.
type Http = openidconnect::reqwest::Client;

/// A configured provider and, for OpenID Connect, what its discovery found (nothing yet
/// while it cannot be reached: the login page then says it is unavailable).
pub struct Provider {
    pub settings: ProviderSettings,
    metadata: RwLock<Option<CoreProviderMetadata>>,
    /// When its keys were last re-read for an ID token naming an unknown key.
    keys_reread: Mutex<Option<Instant>>,
    /// When a click last tried discovery itself; held while it does.
    discovering: tokio::sync::Mutex<Option<Instant>>,
}

impl Provider {
    pub fn is_available(&self) -> bool {
        match self.settings.protocol {
            Protocol::OpenIdConnect { .. } => self.metadata.read().expect("provider metadata").is_some(),
            Protocol::OAuth2(_) => true,
        }
    }
}

/// Every configured provider, and the HTTP client that talks to them (no redirects
/// followed: a provider's answers are read as they are).
#[derive(Clone)]
pub struct Providers {
    list: Arc<Vec<Arc<Provider>>>,
    http: Http,
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
            .map(|settings| {
                Arc::new(Provider {
                    settings: settings.clone(),
                    metadata: RwLock::new(None),
                    keys_reread: Mutex::new(None),
                    discovering: tokio::sync::Mutex::new(None),
                })
            })
            .collect();
        Ok(Self { list: Arc::new(list), http, base_url: base_url.clone() })
    }

    pub fn all(&self) -> &[Arc<Provider>] {
        &self.list
    }

    fn get(&self, id: &str) -> Option<&Arc<Provider>> {
        self.list.iter().find(|provider| provider.settings.id == id)
    }

    /// The provider `id`, if it is of `kind` (`oidc`, `oauth2`: the routes' path segment).
    pub fn is_of_kind(&self, id: &str, kind: &str) -> bool {
        self.get(id).is_some_and(|provider| provider.settings.kind() == kind)
    }

    /// The origins the sign-in forms lead to (through a redirect) for these providers.
    pub fn form_action_sources(&self) -> Vec<String> {
        self.list.iter().filter_map(|provider| provider.settings.origin()).collect()
    }

    /// Fetches each OpenID Connect provider's discovery document (and keys) in the
    /// background, again every half minute until it succeeds, then every hour: start-up
    /// does not wait for (or fail on) a provider, and a provider down later keeps the
    /// document it had.
    pub fn discover(&self, stop: &tokio::sync::watch::Receiver<bool>) {
        for provider in self.list.iter() {
            let Protocol::OpenIdConnect { issuer, .. } = provider.settings.protocol.clone() else { continue };
            let (provider, http, mut stop) = (provider.clone(), self.http.clone(), stop.clone());
            tokio::spawn(async move {
                loop {
                    let wait = match openid::discover(&issuer, &http).await {
                        Ok(metadata) => {
                            *provider.metadata.write().expect("provider metadata") = Some(metadata);
                            tracing::info!(provider = %provider.settings.id, "sign-in provider discovered");
                            REFRESH_DISCOVERY
                        }
                        Err(error) => {
                            tracing::warn!(
                                provider = %provider.settings.id,
                                %issuer,
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

    /// Where the provider sends the browser back: `/login/{kind}/{id}/callback`.
    fn callback(&self, provider: &Provider) -> Result<Url, Refusal> {
        let settings = &provider.settings;
        self.base_url.join(&format!("/login/{}/{}/callback", settings.kind(), settings.id)).map_err(internal)
    }
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

/// A trip to the provider, as started: where to send the browser, and the secrets the
/// answer must match (the nonce for OpenID Connect only, the PKCE verifier if one was
/// sent; empty otherwise).
struct Started {
    url: Url,
    state: String,
    nonce: String,
    verifier: String,
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

/// Where to send the browser: the provider's authorization endpoint, with a new state
/// (and nonce and PKCE challenge) kept in this session.
pub async fn begin(state: &AppState, session: &Session, provider_id: &str, purpose: Purpose) -> Result<Url, Refusal> {
    let providers = state.providers();
    let provider = providers.get(provider_id).ok_or(Refusal::Unknown)?;
    let callback = providers.callback(provider)?;
    let started = match &provider.settings.protocol {
        Protocol::OpenIdConnect { .. } => openid::start(provider, &providers.http, &callback).await?,
        Protocol::OAuth2(settings) => oauth2::start(provider, settings, &callback),
    };
    let ceremony = Ceremony {
        provider: provider_id.to_owned(),
        state: started.state,
        nonce: started.nonce,
        verifier: started.verifier,
        purpose,
        started_at: store::now(),
    };
    session.insert(CEREMONY_KEY, ceremony).await?;
    Ok(started.url)
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
/// and the person read (from the verified ID token, or the provider's API). A replayed or
/// forged callback finds no ceremony.
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
    let back_to = providers.callback(provider)?;
    let (http, verifier) = (&providers.http, ceremony.verifier);
    let identity = match &provider.settings.protocol {
        Protocol::OpenIdConnect { .. } => {
            openid::identity(provider, http, &back_to, code, verifier, ceremony.nonce).await?
        }
        Protocol::OAuth2(settings) => oauth2::identity(provider, settings, http, &back_to, code, verifier).await?,
    };
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
    /// A new person, and this server's sign-up rules do not let them make an account.
    SignupRefused,
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
    if state.config().signup_policy().admits(&email).is_err() && users::find_by_email(pool, &email).await?.is_none() {
        tracing::info!(event = "external_signup_refused", provider = %identity.provider, "sign-up is not open to this address");
        return Ok(SignIn::SignupRefused);
    }
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
    state
        .outbox()
        .enqueue(&mut tx, &messages::provider_linked(state.links(), &user.address()?, &name, user.language()))
        .await?;
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
    state
        .outbox()
        .enqueue(&mut tx, &messages::provider_unlinked(state.links(), &user.address()?, &name, user.language()))
        .await?;
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
