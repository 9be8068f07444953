//! The running application: database, keys and listeners, the background workers, and
//! a graceful stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::external::Providers;
use crate::listener;
use crate::mail::messages::Links;
use crate::mail::{Outbox, sender};
use crate::passkeys;
use crate::router::service;
use crate::security::hasher::{self, PasswordHasher};
use crate::security::jwt::Jwt;
use crate::security::rsa_keys::RsaKeys;
use crate::security::signing::SigningKey;
use crate::security::vault::Vault;
use crate::state::{AppState, Inner};
use crate::store::{self, Store, keys};

/// The separate listener for Prometheus, so metrics never face the public.
fn metrics_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(crate::metrics::render)).with_state(state)
}

/// A bound server with its background work, ready to run.
pub struct Application {
    listener: TcpListener,
    metrics: Option<TcpListener>,
    state: AppState,
    addr: SocketAddr,
}

/// The checks of the settings that need the final `BASE_URL`: `serve` stops on the first,
/// `check-config` reports it with the rest.
pub fn check_against_base_url(config: &Config, base_url: &url::Url) -> anyhow::Result<()> {
    config.check_cookie_domain(base_url)?;
    passkeys::relying_party(base_url, config.branding.name()).context("BASE_URL as the passkeys' relying party")?;
    Ok(())
}

/// How long SIGTERM waits for requests in flight before the process exits anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(20);

impl Application {
    /// Opens and migrates the database, loads the keys and binds the listen address.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let store = Store::connect(&config.database_url, config.pool_options())
            .await?
            .with_read_cache(&config.database_url)
            .await;
        store.migrate().await?;
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("GATEHOUSE_ADDR: cannot listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        let metrics = match config.metrics_addr {
            Some(metrics_addr) => {
                crate::metrics::install();
                let listener = TcpListener::bind(metrics_addr)
                    .await
                    .with_context(|| format!("METRICS_ADDR: cannot listen on {metrics_addr}"))?;
                Some(listener)
            }
            None => None,
        };
        let base_url = config.base_url_for(addr);
        check_against_base_url(&config, &base_url)?;
        let vault = Vault::from_file(config.secret_key_file.as_deref())?;
        if !vault.seals() {
            // First-run advice, not a fault: calm, once, with what to do.
            tracing::info!(
                "signing keys are kept unsealed in the database (fine to try Gatehouse out). In production, \
                 set SECRET_KEY_FILE to a file of 32 random bytes (head -c 32 /dev/urandom > secret.key) and run \
                 `gatehouse keys rotate`: a copy of the database alone then cannot forge tokens or forms"
            );
        }
        let stored = keys::get_or_create(store.pool(), "signing", &vault.seal(&random_hex_key()), store::now()).await?;
        let secret = vault.open(&stored).context("the form and device signing key")?;
        let signing_key = SigningKey::new(&hex::decode(secret).context("stored signing key is not hex")?);
        let origin = base_url.origin().ascii_serialization();
        let rsa_keys = RsaKeys::new(store.clone(), vault.clone());
        let jwt =
            Jwt::start(store.clone(), vault.clone(), rsa_keys.clone(), origin, config.jwt_audience.clone()).await?;
        let password_limiter = Arc::new(governor::RateLimiter::keyed(config.login_quota()));
        let providers = Providers::new(&config.sign_in_providers, &base_url)?;
        let webauthn = passkeys::relying_party(&base_url, config.branding.name())?;
        if webauthn.is_none() {
            tracing::info!(
                %base_url,
                "passkeys are off: BASE_URL names an IP address, which cannot be a WebAuthn relying party \
                 (set BASE_URL=http://localhost:PORT, or your domain, to offer them)"
            );
        }
        let state = AppState::new(Inner {
            hasher: PasswordHasher::start(hasher::production_params())?,
            links: Links::new(base_url.clone()),
            outbox: Outbox::default(),
            deferred: Default::default(),
            signing_key,
            vault,
            jwt,
            rsa_keys,
            password_limiter,
            webauthn,
            providers,
            base_url,
            store,
            config,
        });
        Ok(Self { listener, metrics, state, addr })
    }

    /// Where `/metrics` is served, when `METRICS_ADDR` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|listener| listener.local_addr().ok())
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `BASE_URL`: the address people open, and mails link to.
    pub fn base_url(&self) -> &url::Url {
        self.state.base_url()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets requests in flight and the mail
    /// batch in hand finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let (stop_workers, stopped) = watch::channel(false);
        let config = self.state.config();
        let transport = sender::Transport::from_config(config.smtp_url.as_ref(), config.smtp_ca_file.as_deref())?;
        transport.announce();
        self.state.providers().discover(&stopped);
        let workers: Vec<JoinHandle<()>> = vec![
            tokio::spawn(sender::run(
                self.state.store().clone(),
                self.state.outbox().clone(),
                transport,
                config.mail_from.clone(),
                crate::mail::letterhead::Letterhead::new(Arc::clone(&config.branding), self.state.base_url()),
                stopped.clone(),
            )),
            tokio::spawn(crate::accounts::deferred::run(self.state.clone(), stopped.clone())),
            tokio::spawn(housekeeping(self.state.store().clone(), stopped)),
        ];
        if let Some(listener) = self.metrics {
            let metrics = metrics_router(self.state.clone());
            tokio::spawn(async move { axum::serve(listener, metrics).await });
        }
        // Once `shutdown` fires, requests in flight get DRAIN_TIMEOUT to finish.
        let limits = listener::Limits {
            max_connections: listener::max_connections(config.max_connections),
            per_client: config.max_connections_per_ip,
            trusted: config.trusted_proxies.clone(),
        };
        tracing::info!(
            max_connections = limits.max_connections,
            per_client = limits.per_client,
            "accepting connections"
        );
        let app = service(self.state.clone());
        listener::serve(self.listener, app, limits, shutdown, DRAIN_TIMEOUT).await;
        let _ = stop_workers.send(true);
        for worker in workers {
            let _ = tokio::time::timeout(Duration::from_secs(10), worker).await;
        }
        self.state.store().close().await;
        Ok(())
    }
}

/// Deletes expired sessions, stale tokens and old sent mail once a minute, and keeps the
/// search index compact.
async fn housekeeping(store: Store, mut stop: watch::Receiver<bool>) {
    loop {
        let now = store::now();
        let result = async {
            store::sessions::delete_expired(store.pool(), now).await?;
            store::tokens::delete_stale(store.pool(), now).await?;
            // Kept a day after expiry, so a code that comes back still revokes what it bought.
            store::oauth::delete_expired_codes(store.pool(), now - 24 * 60 * 60).await?;
            store::oauth_grants::delete_spent(store.pool(), now).await?;
            store::login_codes::delete_stale(store.pool(), now).await?;
            store::mail_budget::delete_stale(store.pool(), now - crate::accounts::notices::WINDOW_SECS).await?;
            store::throttle::delete_stale(store.pool(), now - crate::security::throttle::FORGET_AFTER_SECS).await?;
            store::outbox::delete_sent_before(store.pool(), now - 7 * 24 * 60 * 60).await?;
            store::users::compact_search_index(&store).await
        }
        .await;
        if let Err(error) = result {
            tracing::warn!(error = %error, "housekeeping failed; will retry");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
            _ = stop.changed() => return,
        }
    }
}

fn random_hex_key() -> String {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).expect("the operating system's random source failed");
    hex::encode(key)
}
