//! What every request may use: the settings, the database, the password hasher, the
//! mail outbox and the keys. Built once by [`crate::server::Application::build`].

use std::net::IpAddr;
use std::sync::Arc;

use url::Url;

use crate::accounts::deferred::Deferred;
use crate::config::Config;
use crate::external::Providers;
use crate::forward_auth::AccessRules;
use crate::mail::Outbox;
use crate::mail::messages::Links;
use crate::security::hasher::PasswordHasher;
use crate::security::jwt::Jwt;
use crate::security::rsa_keys::RsaKeys;
use crate::security::signing::SigningKey;
use crate::security::vault::Vault;
use crate::store::Store;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The parts of [`AppState`], handed over whole when the application starts.
pub struct Inner {
    pub config: Config,
    pub store: Store,
    pub hasher: PasswordHasher,
    pub outbox: Outbox,
    pub deferred: Deferred,
    pub links: Links,
    pub signing_key: SigningKey,
    /// Seals secrets kept in the database (signing keys, TOTP secrets) with `SECRET_KEY_FILE`.
    pub vault: Vault,
    pub jwt: Jwt,
    /// The RSA keys that sign access tokens and OpenID Connect ID tokens.
    pub rsa_keys: RsaKeys,
    /// Password checks outside the login form (HTTP Basic, the token endpoint) share
    /// the login form's per-IP budget.
    pub password_limiter: Arc<governor::DefaultKeyedRateLimiter<IpAddr>>,
    /// The other OpenID Connect providers people may sign in with.
    pub providers: Providers,
    /// The passkeys' relying party; `None` when `BASE_URL` names an IP address.
    pub webauthn: Option<webauthn_rs::Webauthn>,
    pub base_url: Url,
}

/// A handler that needs only the database takes `State<Store>`, not the whole state.
impl axum::extract::FromRef<AppState> for Store {
    fn from_ref(state: &AppState) -> Self {
        state.0.store.clone()
    }
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }
    pub fn config(&self) -> &Config {
        &self.0.config
    }
    pub fn store(&self) -> &Store {
        &self.0.store
    }
    pub fn hasher(&self) -> &PasswordHasher {
        &self.0.hasher
    }
    pub fn outbox(&self) -> &Outbox {
        &self.0.outbox
    }
    pub fn deferred(&self) -> &Deferred {
        &self.0.deferred
    }
    pub fn branding(&self) -> &Arc<crate::branding::Branding> {
        &self.0.config.branding
    }
    pub fn links(&self) -> &Links {
        &self.0.links
    }
    pub fn signing_key(&self) -> &SigningKey {
        &self.0.signing_key
    }
    pub fn vault(&self) -> &Vault {
        &self.0.vault
    }
    pub fn jwt(&self) -> &Jwt {
        &self.0.jwt
    }
    pub fn rsa_keys(&self) -> &RsaKeys {
        &self.0.rsa_keys
    }
    pub fn base_url(&self) -> &Url {
        &self.0.base_url
    }
    pub fn providers(&self) -> &Providers {
        &self.0.providers
    }
    /// Where the sign-in forms' answers may lead beyond this site: the apps behind forward
    /// auth (`rd`) and the sign-in providers.
    pub fn sign_in_form_sources(&self) -> Vec<String> {
        let mut sources = self.access_rules().form_action_sources();
        sources.extend(self.providers().form_action_sources());
        sources
    }
    pub fn webauthn(&self) -> Option<&webauthn_rs::Webauthn> {
        self.0.webauthn.as_ref()
    }

    /// Seconds to wait if `ip` has used up its password-check budget.
    pub fn password_budget_exhausted(&self, ip: IpAddr) -> Option<u64> {
        use governor::clock::{Clock, DefaultClock};
        self.0
            .password_limiter
            .check_key(&ip)
            .err()
            .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
    }

    /// Cookies get `Secure` and the `__Host-` prefix when the public origin is https.
    pub fn secure_cookies(&self) -> bool {
        self.0.base_url.scheme() == "https"
    }

    pub fn session_cookie_name(&self) -> &'static str {
        crate::security::session_cookie_name(self.secure_cookies(), self.0.config.session_cookie_domain.is_some())
    }

    pub fn access_rules(&self) -> &AccessRules {
        &self.0.config.access_rules
    }
}

/// For handlers that need the brand and nothing else (the brand's files).
impl axum::extract::FromRef<AppState> for Arc<crate::branding::Branding> {
    fn from_ref(state: &AppState) -> Self {
        Arc::clone(state.branding())
    }
}
