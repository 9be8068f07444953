//! Wiring: the shared state, the router with its layers, and the running application.

use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, ServiceExt};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::{Service, ServiceBuilder};
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::SessionManagerLayer;
use tower_sessions::cookie::SameSite;
use tracing::Level;
use url::Url;

use crate::config::Config;
use crate::error::AppError;
use crate::mail::messages::Links;
use crate::mail::{Outbox, sender};
use crate::routes::{account, api, assets, auth, errors, health, recovery};
use crate::security::client_ip::{self, ClientIp, ClientIpKey};
use crate::security::csrf;
use crate::security::hasher::{self, PasswordHasher};
use crate::security::jwt::Jwt;
use crate::security::signing::SigningKey;
use crate::security::{headers, request_id};
use crate::store::{self, Store, keys, sessions::SqlSessionStore};

/// Forms are small; this leaves room for 10,000-character fields, percent-encoded.
const BODY_LIMIT: usize = 256 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Mail a visitor may have sent to one address per hour (resend, reset, change email).
const MAIL_PER_ADDRESS_PER_HOUR: i64 = 5;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    config: Config,
    store: Store,
    hasher: PasswordHasher,
    outbox: Outbox,
    links: Links,
    signing_key: SigningKey,
    jwt: Jwt,
    /// Password checks outside the login form (HTTP Basic, the token endpoint) share
    /// the login form's per-IP budget.
    password_limiter: Arc<governor::DefaultKeyedRateLimiter<std::net::IpAddr>>,
    base_url: Url,
}

impl AppState {
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
    pub fn links(&self) -> &Links {
        &self.0.links
    }
    pub fn signing_key(&self) -> &SigningKey {
        &self.0.signing_key
    }
    pub fn jwt(&self) -> &Jwt {
        &self.0.jwt
    }
    /// Seconds to wait if `ip` has used up its password-check budget.
    pub fn password_budget_exhausted(&self, ip: std::net::IpAddr) -> Option<u64> {
        use governor::clock::{Clock, DefaultClock};
        self.0
            .password_limiter
            .check_key(&ip)
            .err()
            .map(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
    }
    pub fn body_limit(&self) -> usize {
        BODY_LIMIT
    }
    /// Whether `email` may be sent one more message asked for by a visitor: at most
    /// [`MAIL_PER_ADDRESS_PER_HOUR`], so nobody can flood an inbox through our forms.
    pub async fn within_mail_budget(&self, email: &crate::domain::Email) -> Result<bool, sqlx::Error> {
        let sent = store::outbox::count_recent_to(self.store().pool(), email.as_str(), store::now() - 3600).await?;
        let within = sent < MAIL_PER_ADDRESS_PER_HOUR;
        if !within {
            tracing::warn!(
                event = "mail_budget_exhausted",
                to = email.redacted(),
                "not sending more mail to this address"
            );
        }
        Ok(within)
    }

    /// Cookies get `Secure` and the `__Host-` prefix when the public origin is https.
    pub fn secure_cookies(&self) -> bool {
        self.0.base_url.scheme() == "https"
    }
}

/// Every route with the layers that need to know it, in three groups: pages, the API,
/// and the few routes that read no session (health checks, JWKS, the stylesheet).
///
/// Each `Router::layer` boxes every route once more, and each box is cloned per request,
/// so each group gets one `ServiceBuilder`. Layers that need no route run in front of
/// routing instead ([`service`]).
pub fn router(state: AppState) -> Router {
    let https = state.secure_cookies();
    let origin_check = CsrfLayer::new()
        .add_trusted_origin(state.0.base_url.origin().ascii_serialization())
        .expect("BASE_URL is a valid origin");

    let pages = Router::new()
        .route("/", get(auth::home))
        .route("/register", get(auth::register_page).post(auth::register))
        .route("/check-email", get(auth::check_email))
        .route("/verify-email", get(auth::verify_page).post(auth::verify))
        .route("/resend-verification", post(auth::resend_verification).layer(mail_rate_limit()))
        .route("/login", get(auth::login_page).post(auth::login).layer(login_rate_limit(state.config())))
        .route("/logout", post(auth::logout))
        .route("/account", get(account::account))
        .route("/account/password", post(account::change_password))
        .route("/account/email", post(account::change_email).layer(mail_rate_limit()))
        .route("/confirm-email", get(account::confirm_email_page).post(account::confirm_email))
        .route("/account/sessions/revoke", post(account::revoke_session))
        .route("/account/sessions/revoke-others", post(account::revoke_other_sessions))
        .route("/account/delete", post(account::delete_account))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/revoke", post(account::revoke_token))
        .route("/forgot-password", get(recovery::forgot_page).post(recovery::forgot).layer(mail_rate_limit()))
        .route("/reset-password", get(recovery::reset_page).post(recovery::reset))
        .fallback(errors::not_found)
        .layer(
            ServiceBuilder::new()
                // Outside the sessions, so a session that cannot be saved (an empty 500 from
                // tower-sessions) still gets a page.
                .layer(from_fn(errors::html))
                .layer(session_layer(&state, https))
                .layer(origin_check.clone())
                .layer(from_fn_with_state(state.clone(), csrf::protect_forms)),
        );

    let api = api::router().layer(
        ServiceBuilder::new()
            .map_response(errors::problem_json)
            .layer(session_layer(&state, https))
            .layer(cors(state.config()))
            .layer(from_fn_with_state(origin_check, crate::routes::api_auth::origin_check)),
    );

    let sessionless = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/.well-known/jwks.json", get(api::jwks))
        .route("/assets/style.css", get(assets::stylesheet));

    let routes = Router::new().merge(pages).merge(api).merge(sessionless).layer(
        ServiceBuilder::new()
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_response(DefaultOnResponse::new().level(Level::INFO))
                    .on_failure(()),
            )
            .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
            .layer(RequestBodyLimitLayer::new(BODY_LIMIT)),
    );
    // A layer of its own, so a server without METRICS_ADDR pays nothing for it.
    let routes = match state.config().metrics_addr {
        Some(_) => routes.layer(from_fn(crate::metrics::track)),
        None => routes,
    };
    routes.with_state(state)
}

/// The site as it is served: the [`router`] behind the layers every answer needs before
/// any route is known: the security headers, a request id, the client's address. Plain
/// functions, not axum middleware, which boxes and clones the rest of the stack per request.
pub fn service(
    state: AppState,
) -> impl Service<Request, Response = Response, Error = Infallible, Future: Send> + Clone {
    let https = state.secure_cookies();
    let trusted_proxies: Arc<[ipnet::IpNet]> = state.config().trusted_proxies.clone().into();
    ServiceBuilder::new()
        .map_response(move |response| headers::add(https, response))
        .layer(SetRequestIdLayer::x_request_id(request_id::Fast))
        .layer(PropagateRequestIdLayer::x_request_id())
        .map_request(move |request| client_ip::identify(&trusted_proxies, request))
        .service(router(state))
}

/// The separate listener for Prometheus, so metrics never face the public.
fn metrics_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(crate::metrics::render)).with_state(state)
}

/// CORS for `/api/*`: off unless `CORS_ALLOWED_ORIGINS` names origins. Cookies are never
/// allowed cross-origin; such callers use bearer tokens.
fn cors(config: &Config) -> tower::util::Either<tower_http::cors::CorsLayer, tower::layer::util::Identity> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins: Vec<axum::http::HeaderValue> =
        config.cors_allowed_origins.iter().filter_map(|origin| origin.parse().ok()).collect();
    let layer = (!origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::DELETE])
            .allow_headers([axum::http::header::AUTHORIZATION, axum::http::header::CONTENT_TYPE])
            .max_age(Duration::from_secs(600))
    });
    tower::util::option_layer(layer)
}

/// One span per request, carrying what lets a log line be traced back to it. The field
/// expressions only run when the span is enabled, so a quiet server pays nothing for them.
fn request_span(request: &Request) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        route = request.extensions().get::<MatchedPath>().map_or("-", MatchedPath::as_str),
        request_id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default(),
        client_ip = %request.extensions().get::<ClientIp>().map(|ip| ip.0.to_string()).unwrap_or_default(),
    )
}

fn session_layer(state: &AppState, https: bool) -> SessionManagerLayer<SqlSessionStore> {
    SessionManagerLayer::new(SqlSessionStore::new(state.store().clone()))
        .with_name(if https { "__Host-gatehouse-session" } else { "gatehouse-session" })
        .with_secure(https)
        .with_http_only(true)
        // Lax, not Strict: a link from webmail must arrive signed in.
        .with_same_site(SameSite::Lax)
        .with_path("/")
}

type RateLimit =
    GovernorLayer<ClientIpKey, governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>, axum::body::Body>;

fn login_rate_limit(config: &Config) -> RateLimit {
    per_ip_limit(config.login_period(), config.login_rate_burst, "login_rate_limited")
}

/// Forms that send mail: 20 at once per client IP, then one more every ten seconds. The
/// per-address budget (`within_mail_budget`) is what protects each inbox.
fn mail_rate_limit() -> RateLimit {
    per_ip_limit(Duration::from_secs(10), 20, "mail_rate_limited")
}

/// A per-client-IP budget for POSTs to one route, answered with `429` and `Retry-After`.
fn per_ip_limit(period: Duration, burst: u32, event: &'static str) -> RateLimit {
    let limiter = GovernorConfigBuilder::default()
        .key_extractor(ClientIpKey)
        .period(period)
        .burst_size(burst)
        .methods(vec![Method::POST])
        .finish()
        .expect("positive rate-limit settings");
    let limiter = Arc::new(limiter);
    // Forget idle clients now and then, until the router is dropped.
    let weak = Arc::downgrade(&limiter);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
            match weak.upgrade() {
                Some(limiter) => limiter.limiter().retain_recent(),
                None => return,
            }
        }
    });
    GovernorLayer::new(limiter).error_handler(move |error| {
        let retry_after_secs = match error {
            tower_governor::GovernorError::TooManyRequests { wait_time, .. } => wait_time.max(1),
            _ => 1,
        };
        tracing::warn!(event, retry_after_secs, "too many requests from one IP");
        let response: Response<axum::body::Body> = AppError::TooManyRequests { retry_after_secs }.into_response();
        response
    })
}

/// A bound server with its background work, ready to run.
pub struct Application {
    listener: TcpListener,
    metrics: Option<TcpListener>,
    state: AppState,
    addr: SocketAddr,
}

/// How long SIGTERM waits for requests in flight before the process exits anyway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(20);

impl Application {
    /// Opens and migrates the database, loads the keys and binds the listen address.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let store =
            Store::connect(&config.database_url, config.pool_options()).await?.with_read_cache(&config.database_url);
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
        let secret = keys::get_or_create(store.pool(), "signing", &random_hex_key(), store::now()).await?;
        let signing_key = SigningKey::new(&hex::decode(secret).context("stored signing key is not hex")?);
        let jwt =
            Jwt::start(store.clone(), base_url.origin().ascii_serialization(), config.jwt_audience.clone()).await?;
        let password_limiter = Arc::new(governor::RateLimiter::keyed(config.login_quota()));
        let state = AppState(Arc::new(Inner {
            hasher: PasswordHasher::start(hasher::production_params())?,
            links: Links::new(base_url.clone()),
            outbox: Outbox::default(),
            signing_key,
            jwt,
            password_limiter,
            base_url,
            store,
            config,
        }));
        Ok(Self { listener, metrics, state, addr })
    }

    /// Where `/metrics` is served, when `METRICS_ADDR` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|listener| listener.local_addr().ok())
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets requests in flight and the mail
    /// batch in hand finish.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let (stop_workers, stopped) = watch::channel(false);
        let transport = sender::Transport::from_config(self.state.config().smtp_url.as_ref())?;
        let workers: Vec<JoinHandle<()>> = vec![
            tokio::spawn(sender::run(
                self.state.store().clone(),
                self.state.outbox().clone(),
                transport,
                self.state.config().mail_from.clone(),
                stopped.clone(),
            )),
            tokio::spawn(housekeeping(self.state.store().clone(), stopped)),
        ];
        if let Some(listener) = self.metrics {
            let metrics = metrics_router(self.state.clone());
            tokio::spawn(async move { axum::serve(listener, metrics).await });
        }
        // Once `shutdown` fires, requests in flight get DRAIN_TIMEOUT to finish.
        let (draining, drain_started) = tokio::sync::oneshot::channel::<()>();
        let shutdown = async move {
            shutdown.await;
            let _ = draining.send(());
        };
        let app = service(self.state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(self.listener, app).with_graceful_shutdown(shutdown).into_future();
        tokio::pin!(server);
        tokio::select! {
            result = &mut server => result?,
            _ = async { let _ = drain_started.await; tokio::time::sleep(DRAIN_TIMEOUT).await } => {
                tracing::warn!("requests still running after {DRAIN_TIMEOUT:?}; stopping anyway");
            }
        }
        let _ = stop_workers.send(true);
        for worker in workers {
            let _ = tokio::time::timeout(Duration::from_secs(10), worker).await;
        }
        self.state.store().close().await;
        Ok(())
    }
}

/// Deletes expired sessions, stale tokens and old sent mail once a minute.
async fn housekeeping(store: Store, mut stop: watch::Receiver<bool>) {
    loop {
        let now = store::now();
        let result = async {
            store::sessions::delete_expired(store.pool(), now).await?;
            store::tokens::delete_stale(store.pool(), now).await?;
            store::throttle::delete_stale(store.pool(), now - crate::security::throttle::FORGET_AFTER_SECS).await?;
            store::outbox::delete_sent_before(store.pool(), now - 7 * 24 * 60 * 60).await
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
