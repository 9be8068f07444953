//! The router: every route with the layers it needs, and the layers that run before
//! routing.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post};
use tower::{Service, ServiceBuilder};
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::SessionManagerLayer;
use tower_sessions::cookie::SameSite;
use tracing::Level;

use crate::branding;
use crate::config::{BODY_LIMIT, Config};
use crate::domain::Role;
use crate::error::AppError;
use crate::routes::{
    account, admin, api, apps, assets, deletion, email, email_code, errors, external, forward_auth, health, home,
    invitation, jwks, login, oidc, passkey_login, passkeys, password, profile, recovery, second_step, sessions,
    sign_in_alert, signup, tokens, two_factor,
};
use crate::security::client_ip::{self, ClientIp, ClientIpKey};
use crate::security::csrf;
use crate::security::{headers, request_id};
use crate::state::AppState;
use crate::store::sessions::SqlSessionStore;
use crate::web::for_writes::ForWritesLayer;
use crate::web::{api_caller, guard};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Every route with the layers that need to know it, in groups: pages, passkey calls, the
/// API, the routes that read no session (health checks, JWKS, the OpenID Connect endpoints
/// apps' servers call), and the assets, which stay out of the request log.
///
/// Each `Router::layer` boxes every route once more, and each box is cloned per request,
/// so each group gets one `ServiceBuilder`. Layers that need no route run in front of
/// routing instead ([`service`]).
pub fn router(state: AppState) -> Router {
    let https = state.secure_cookies();
    let origin_check = CsrfLayer::new()
        .add_trusted_origin(state.base_url().origin().ascii_serialization())
        .expect("BASE_URL is a valid origin");

    let pages = Router::new()
        .route("/", get(home::home))
        .route("/register", get(signup::register_page).post(signup::register))
        .route("/check-email", get(signup::check_email))
        .route("/invitation", get(invitation::invitation_page).post(invitation::accept))
        .route("/verify-email", get(signup::verify_page).post(signup::verify))
        .route("/resend-verification", post(signup::resend_verification).layer(mail_rate_limit()))
        .route("/login", get(login::login_page).post(login::login).layer(sign_in_form(&state)))
        .route(
            "/login/2fa",
            get(second_step::second_step_page).post(second_step::second_step).layer(sign_in_form(&state)),
        )
        .route("/login/code", get(email_code::ask_page).post(email_code::ask).layer(mail_rate_limit()))
        .route("/login/code/enter", get(email_code::enter_page).post(email_code::enter).layer(sign_in_form(&state)))
        .route("/logout", post(login::logout))
        .route("/login/oidc/{id}", post(external::start).layer(sign_in_form(&state)))
        .route("/login/oidc/{id}/callback", get(external::callback))
        .route("/login/oauth2/{id}", post(external::start).layer(sign_in_form(&state)))
        .route("/login/oauth2/{id}/callback", get(external::callback))
        .route("/account/links/{id}/remove", post(external::unlink))
        .merge(link_pages(&state))
        .route("/account/settings", get(account::settings))
        .route("/account/profile", get(profile::profile_page).post(profile::save_profile))
        .route("/account/language", post(profile::save_language))
        .route("/account/activity", get(account::activity))
        .route("/account/sessions", get(sessions::sessions_page))
        .route("/account/password", post(password::change_password))
        .route("/account/email", post(email::change_email).layer(mail_rate_limit()))
        .route("/confirm-email", get(email::confirm_email_page).post(email::confirm_email))
        .route("/account/sessions/revoke", post(sessions::revoke_session))
        .route("/account/sign-in-alerts", post(sign_in_alert::save_setting))
        .route("/sign-in-alert", get(sign_in_alert::alert_page).post(sign_in_alert::disown))
        .route(
            "/account/sessions/revoke-others",
            get(sessions::confirm_revoke_others).post(sessions::revoke_other_sessions),
        )
        .route("/account/delete", get(deletion::delete_page).post(deletion::delete_account))
        .route("/account/tokens", get(tokens::tokens_page).post(tokens::create_token))
        .route("/account/tokens/revoke", post(tokens::revoke_token))
        .route("/account/2fa", get(two_factor::two_factor_page))
        .route("/account/2fa/totp/setup", post(two_factor::begin_setup))
        .route("/account/2fa/totp/confirm", post(two_factor::confirm_setup))
        .route("/account/2fa/recovery-codes", post(two_factor::renew_recovery_codes))
        .route("/account/2fa/disable", post(two_factor::turn_off))
        .merge(passkey_pages(&state))
        .route("/account/apps", get(apps::apps_page))
        .route("/account/apps/revoke", post(apps::revoke))
        .route("/oauth2/authorize", get(oidc::authorize))
        .route("/oauth2/consent", post(oidc::decide))
        .route("/oauth2/logout", get(oidc::logout))
        .route("/oauth2/logout/confirm", post(oidc::confirm_logout))
        .route("/forgot-password", get(recovery::forgot_page).post(recovery::forgot).layer(mail_rate_limit()))
        .route("/reset-password", get(recovery::reset_page).post(recovery::reset))
        .route("/problems/{slug}", get(errors::problem_type))
        .merge(admin_routes(&state))
        .fallback(errors::not_found)
        .layer(
            ServiceBuilder::new()
                .map_response(headers::not_stored)
                // Outside the sessions, so a session that cannot be saved (an empty 500 from
                // tower-sessions) still gets a page.
                .layer(from_fn(errors::html))
                .layer(from_fn_with_state(state.clone(), read_your_writes))
                .layer(session_layer(&state, https))
                // Outside the form checks, so a refused form's page (403, 413) still shows
                // who is signed in.
                .layer(from_fn_with_state(state.clone(), errors::keep_page_header))
                .layer(from_fn_with_state(origin_check.clone(), csrf::same_site_only))
                .layer(from_fn_with_state(state.clone(), csrf::protect_forms)),
        );

    let passkey_calls = passkey_calls().layer(
        ServiceBuilder::new()
            .map_response(headers::not_stored)
            .map_response(errors::problem_json)
            .layer(from_fn_with_state(state.clone(), read_your_writes))
            .layer(session_layer(&state, https))
            .layer(from_fn_with_state(origin_check.clone(), csrf::same_site_only)),
    );

    // `GET /api/me`, the hottest API call, reads the session cookie itself (as forward auth
    // does) and sets none: for a read, the session layer and the origin and
    // read-your-writes checks have nothing to do.
    let api_reads = Router::new().route("/api/me", get(api::me::me)).layer(
        ServiceBuilder::new()
            .map_response(headers::not_stored)
            .map_response(errors::problem_json)
            .layer(cors(state.config()))
            // Any other method is refused as from the API group: cross-site first (403), then 405.
            .layer(ForWritesLayer(from_fn_with_state(origin_check.clone(), api_caller::same_site_unless_credential))),
    );

    let api = api_routes().layer(
        ServiceBuilder::new()
            .map_response(headers::not_stored)
            .map_response(errors::problem_json)
            .layer(from_fn_with_state(state.clone(), read_your_writes))
            .layer(session_layer(&state, https))
            .layer(cors(state.config()))
            .layer(from_fn_with_state(origin_check, api_caller::same_site_unless_credential)),
    );

    // Forward auth reads the session cookie itself, and sets none; the OpenID Connect
    // endpoints for apps' servers read no session at all, nor do the form-posted requests
    // of apps' pages, which are sent on as GETs.
    // The endpoints browser apps call answer the origins of the calling client.
    let apps_cors = from_fn_with_state(state.store().clone(), crate::oidc::cors::for_apps);
    let sessionless = Router::new()
        .route("/auth/request", any(forward_auth::request))
        .route("/auth/forward", any(forward_auth::forward))
        .route("/healthz", get(health::healthz))
        .route("/.well-known/jwks.json", get(jwks::jwks).layer(public_cors()))
        .route("/.well-known/openid-configuration", get(oidc::discovery).layer(public_cors()))
        .route("/.well-known/oauth-authorization-server", get(oidc::authorization_server_metadata).layer(public_cors()))
        .route("/oauth2/token", post(oidc::token).layer(apps_cors.clone()))
        .route("/oauth2/userinfo", get(oidc::userinfo).post(oidc::userinfo).layer(apps_cors.clone()))
        .route("/oauth2/revoke", post(oidc::revoke).layer(apps_cors.clone()))
        .route("/oauth2/introspect", post(oidc::introspect))
        .route("/oauth2/authorize", post(oidc::as_get))
        .route("/oauth2/logout", post(oidc::as_get));

    // Outside the request log: a page's stylesheet and icons would drown the lines that
    // matter (printed mail, refusals) at INFO.
    let assets = Router::new()
        .route("/assets/style.css", get(assets::stylesheet))
        .route("/assets/passkeys.js", get(assets::passkeys_script))
        .route("/assets/keep.js", get(assets::keep_script))
        .route("/assets/mark.svg", get(assets::mark))
        .route(branding::LOGO_ROUTE, get(assets::brand_logo))
        .route(branding::FAVICON_ROUTE, get(assets::brand_favicon))
        .route(branding::STYLESHEET_ROUTE, get(assets::brand_stylesheet))
        .route("/favicon.ico", get(assets::favicon));

    let routes = Router::new().merge(pages).merge(passkey_calls).merge(api).merge(api_reads).merge(sessionless).layer(
        ServiceBuilder::new()
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(request_span)
                    .on_response(DefaultOnResponse::new().level(Level::INFO))
                    .on_failure(()),
            )
            .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
            // Read by the extractors (and the form check), whose refusals are pages or
            // problems like every other error; tower-http's layer would answer in plain text.
            .layer(DefaultBodyLimit::max(BODY_LIMIT)),
    );
    // A layer of its own, so a server without METRICS_ADDR pays nothing for it.
    let routes = match state.config().metrics_addr {
        Some(_) => routes.layer(from_fn(crate::metrics::track)),
        None => routes,
    };
    routes.merge(assets).with_state(state)
}

/// After a request that may have written (any but GET, HEAD and OPTIONS), this instance's
/// read cache forgets what it holds, so the client's next request reads what this one
/// wrote, before PostgreSQL's notification of the write arrives (see `store::cache`).
/// Outside the session layer, so it runs after the session is saved. Not in front of
/// forward auth, which writes nothing.
async fn read_your_writes(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let wrote = !request.method().is_safe();
    let response = next.run(request).await;
    if wrote {
        state.store().forget_cached_reads();
    }
    response
}

/// The admin area: every route behind the one role check, and its changes behind a
/// fresh sign-in. A route added here cannot skip either.
fn admin_routes(state: &AppState) -> Router<AppState> {
    use admin::{actions, events, invitations, users};
    Router::new()
        .route("/admin", get(users::users_page))
        .route("/admin/users", get(users::users_page))
        .route("/admin/users/{id}", get(users::user_page))
        .route("/admin/users/{id}/verify", post(actions::verify))
        .route("/admin/users/{id}/disable", get(actions::confirm_disable).post(actions::disable))
        .route("/admin/users/{id}/enable", post(actions::enable))
        .route(
            "/admin/users/{id}/revoke-sessions",
            get(actions::confirm_revoke_sessions).post(actions::revoke_sessions),
        )
        .route("/admin/users/{id}/reset-2fa", post(actions::reset_two_factor))
        .route("/admin/users/{id}/roles/grant", post(actions::grant_role))
        .route("/admin/users/{id}/roles/revoke", post(actions::revoke_role))
        .route("/admin/users/{id}/delete", get(actions::confirm_delete).post(actions::delete))
        .route("/admin/events", get(events::events_page))
        .route("/admin/invitations", get(invitations::invitations_page).post(invitations::invite))
        .route("/admin/invitations/{id}/resend", post(invitations::resend))
        .route("/admin/invitations/{id}/revoke", post(invitations::revoke))
        .route_layer(
            ServiceBuilder::new()
                .layer(from_fn_with_state((state.clone(), Role::ADMIN), guard::needs_role))
                .layer(from_fn_with_state(state.clone(), guard::fresh_sign_in)),
        )
}

/// Linking a sign-in provider needs a fresh sign-in, and its answer (or the password
/// page's) leads on to the provider, so `form-action` allows the providers. The account
/// page, whose link buttons post here, too.
fn link_pages(state: &AppState) -> Router<AppState> {
    let policy = headers::with_form_targets(&state.providers().form_action_sources());
    let to_providers = SetResponseHeaderLayer::overriding(axum::http::header::CONTENT_SECURITY_POLICY, policy);
    Router::new()
        .route("/account/links/{id}", post(external::link))
        .route_layer(from_fn_with_state(state.clone(), guard::fresh_sign_in))
        .route("/account", get(account::overview))
        .layer(to_providers)
}

/// The passkeys page and its forms; the page runs `assets/passkeys.js`, and deleting a
/// passkey needs a fresh sign-in (so does the form that renews one before adding a passkey).
fn passkey_pages(state: &AppState) -> Router<AppState> {
    let scripted = SetResponseHeaderLayer::overriding(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(headers::SCRIPTED_CSP),
    );
    Router::new()
        .route("/account/passkeys/delete", get(passkeys::confirm_delete).post(passkeys::delete))
        .route("/account/passkeys/confirm", post(passkeys::confirm))
        .route_layer(from_fn_with_state(state.clone(), guard::fresh_sign_in))
        .route("/account/passkeys", get(passkeys::passkeys_page).layer(scripted))
        .route("/account/passkeys/rename", post(passkeys::rename))
}

/// The passkey ceremonies' JSON calls, from `assets/passkeys.js` on this site only. The
/// sign-in calls share a per-IP budget: an answer cannot be guessed (it is a signature),
/// so the budget only bounds the challenges (each kept in a session until answered) and
/// the verifying, and is roomier than the password's.
fn passkey_calls() -> Router<AppState> {
    let budget = per_ip_limit(Duration::from_secs(1), 60, "passkey_rate_limited");
    Router::new()
        .route("/account/passkeys/register/start", post(passkeys::start_registration))
        .route("/account/passkeys/register/finish", post(passkeys::finish_registration))
        .route("/login/passkey/start", post(passkey_login::start).layer(budget.clone()))
        .route("/login/passkey/finish", post(passkey_login::finish).layer(budget.clone()))
        .route("/login/2fa/passkey/start", post(passkey_login::start_second_step).layer(budget.clone()))
        .route("/login/2fa/passkey/finish", post(passkey_login::finish_second_step).layer(budget))
}

/// Every `/api` route by its full path (merged, not nested: nesting costs every request a
/// second routing pass and a rewritten URI). Unknown paths under `/api` are problems too.
fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/api/sessions", get(api::sessions::list_sessions))
        .route("/api/sessions/{id}", delete(api::sessions::delete_session))
        .route("/api/tokens", get(api::tokens::list_tokens).post(api::tokens::create_token))
        .route("/api/tokens/{id}", delete(api::tokens::delete_token))
        .route(api_caller::TOKEN_ENDPOINT, post(api::auth_token::issue_token))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api", any(errors::not_found))
        .route("/api/", any(errors::not_found))
        .route("/api/{*rest}", any(errors::not_found))
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
        .map_request(move |request| client_ip::identify(&trusted_proxies, request))
        .layer(SetRequestIdLayer::x_request_id(request_id::Fast))
        .layer(PropagateRequestIdLayer::x_request_id())
        .service(router(state))
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

/// Published documents any page may read (OpenID Connect discovery, the keys).
fn public_cors() -> tower_http::cors::CorsLayer {
    tower_http::cors::CorsLayer::new().allow_origin(tower_http::cors::Any).allow_methods([Method::GET])
}

/// One span per request, carrying what lets a log line be traced back to it. The field
/// expressions only run when the span is enabled, so a quiet server pays nothing for them.
fn request_span(request: &Request) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        route = request.extensions().get::<MatchedPath>().map_or("-", MatchedPath::as_str),
        request_id = request.headers().get(request_id::HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default(),
        client_ip = %request.extensions().get::<ClientIp>().map(|ip| ip.0.to_string()).unwrap_or_default(),
    )
}

fn session_layer(state: &AppState, https: bool) -> SessionManagerLayer<SqlSessionStore> {
    let layer = SessionManagerLayer::new(SqlSessionStore::new(state.store().clone()))
        .with_name(state.session_cookie_name())
        .with_secure(https)
        .with_http_only(true)
        // Lax, not Strict: a link from webmail must arrive signed in.
        .with_same_site(SameSite::Lax)
        .with_path("/");
    // Shared with the apps behind forward auth when the operator says so.
    match &state.config().session_cookie_domain {
        Some(domain) => layer.with_domain(domain.clone()),
        None => layer,
    }
}

/// What the sign-in forms share: the login budget per client IP, and a page policy that
/// lets their answer send the browser back to an app behind forward auth (see `rd`).
fn sign_in_form(
    state: &AppState,
) -> tower::layer::util::Stack<
    RateLimit,
    tower::layer::util::Stack<SetResponseHeaderLayer<axum::http::HeaderValue>, tower::layer::util::Identity>,
> {
    let policy = headers::sign_in_form_policy(&state.sign_in_form_sources());
    ServiceBuilder::new()
        // A page that continues to an OpenID Connect app sets a wider policy of its own.
        .layer(SetResponseHeaderLayer::if_not_present(axum::http::header::CONTENT_SECURITY_POLICY, policy))
        .layer(login_rate_limit(state.config()))
        .into_inner()
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
