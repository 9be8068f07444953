//! `/auth/request` (nginx `auth_request`) and `/auth/forward` (Caddy `forward_auth`,
//! Traefik `ForwardAuth`): the proxy asks about one request to an app behind it.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use url::Url;

use crate::branding::Branding;
use crate::error::{AppError, Result};
use crate::forward_auth::{self, OriginalRequest, Refusal, Verdict};
use crate::i18n::Language;
use crate::security::client_ip::FromTrustedProxy;
use crate::security::headers::ForProxyOnly;
use crate::state::AppState;
use crate::store::users::User;

/// For nginx, which turns any answer but 2xx, 401 and 403 into an error: a browser that
/// must sign in gets `401`, and the shipped `deploy/nginx.conf` asks `/auth/forward` for
/// the redirect.
pub async fn request(State(state): State<AppState>, request: Request) -> Result<Response> {
    let (asked, verdict) = judge(&state, request.headers(), request.extensions()).await?;
    Ok(match verdict {
        Verdict::SignIn => StatusCode::UNAUTHORIZED.into_response(),
        other => answer(&state, other, asked.as_ref(), request.headers()),
    })
}

/// For Caddy and Traefik, which hand any answer but 2xx to the browser as it is: a browser
/// that must sign in is sent to the login form, and back here after.
pub async fn forward(State(state): State<AppState>, request: Request) -> Result<Response> {
    let (asked, verdict) = judge(&state, request.headers(), request.extensions()).await?;
    Ok(answer(&state, verdict, asked.as_ref(), request.headers()))
}

/// The request asked about, and the verdict on it. The asking client (browser, device
/// cookie) is worked out only if a credential's check needs it. Takes the request's parts,
/// not the request, whose body may not be shared across an await.
async fn judge(
    state: &AppState,
    headers: &HeaderMap,
    extensions: &Extensions,
) -> Result<(Option<OriginalRequest>, Verdict)> {
    let client = || crate::web::extract::client_from(headers, extensions, state);
    let asked = asked(headers, extensions, client)?;
    let verdict = forward_auth::decide(state, asked.as_ref(), headers, client).await?;
    Ok((asked, verdict))
}

/// The request the proxy asks about: `None` when the peer is no proxy we trust to say
/// (answered `403`), a `400` when its description is unclear, which is never judged.
fn asked(
    headers: &HeaderMap,
    extensions: &Extensions,
    client: impl FnOnce() -> crate::accounts::Client,
) -> Result<Option<OriginalRequest>> {
    if extensions.get::<FromTrustedProxy>().is_none() {
        // An untrusted peer's address is the client's own.
        let peer = client().ip;
        tracing::warn!(event = "forward_auth_untrusted_peer", %peer, "forward-auth question from a peer not in TRUSTED_PROXIES");
        return Ok(None);
    }
    match OriginalRequest::from_headers(headers) {
        Ok(asked) => Ok(Some(asked)),
        Err(reason) => {
            tracing::warn!(event = "forward_auth_unclear_request", %reason, "refused: the proxy's description of the request is unclear");
            Err(AppError::BadRequest("The proxy's description of this request is missing or ambiguous.".into()))
        }
    }
}

/// `headers` are the asking proxy's, which carry the browser's `Accept-Language`: a
/// refusal's page is written in it.
fn answer(state: &AppState, verdict: Verdict, asked: Option<&OriginalRequest>, headers: &HeaderMap) -> Response {
    match verdict {
        Verdict::Allow(user) => allowed(user.as_ref()),
        Verdict::SignIn => match asked {
            Some(asked) => (StatusCode::FOUND, [(header::LOCATION, sign_in_address(state, asked.address()).as_str())])
                .into_response(),
            None => StatusCode::UNAUTHORIZED.into_response(),
        },
        Verdict::BadCredential => {
            let challenge = "Bearer realm=\"gatehouse\", error=\"invalid_token\"";
            (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, challenge)]).into_response()
        }
        Verdict::Deny(refusal) => {
            let accept_language = headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
            denied(state, refusal, asked, Language::choose(None, accept_language))
        }
    }
}

const REMOTE_USER: HeaderName = HeaderName::from_static("remote-user");
const REMOTE_EMAIL: HeaderName = HeaderName::from_static("remote-email");
const REMOTE_GROUPS: HeaderName = HeaderName::from_static("remote-groups");

/// `200`, naming the account for the app. A `bypass` rule names nobody, with the headers
/// present and empty: Caddy 2.6 copies a header missing from this answer as the literal
/// text of its placeholder, which the app would read as a name.
fn allowed(user: Option<&User>) -> Response {
    let (id, email, roles) = match user {
        Some(user) => (user.id.to_string(), user.email.clone(), user.roles().join(",")),
        None => Default::default(),
    };
    let mut response = Response::new(Body::empty());
    let headers = response.headers_mut();
    for (name, value) in [(REMOTE_USER, id), (REMOTE_EMAIL, email), (REMOTE_GROUPS, roles)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response.extensions_mut().insert(ForProxyOnly);
    response
}

/// `BASE_URL/login?rd=<the original URL>`.
fn sign_in_address(state: &AppState, original: &str) -> Url {
    let mut login = state.base_url().join("/login").expect("BASE_URL is an origin");
    login.query_pairs_mut().append_pair("rd", original);
    login
}

#[derive(Template)]
#[template(path = "forward_denied.html")]
struct DeniedPage<'a> {
    base: &'a str,
    /// The page is shown at the app's address, so the brand's files are named absolutely.
    brand: &'a Branding,
    origin: &'a str,
    lang: Language,
    title: String,
    detail: String,
    sign_in_again: Option<String>,
    /// For a signed-in person refused by role: the login page, to come back as someone else.
    another_account: Option<String>,
}

/// `403` with a page that says why: the proxy shows it in place of the app.
fn denied(state: &AppState, refusal: Refusal, asked: Option<&OriginalRequest>, lang: Language) -> Response {
    let (title, detail) = match refusal {
        Refusal::UnknownRequest => ("denied-title", "denied-unknown-request"),
        Refusal::ByRule => ("denied-title", "denied-by-rule"),
        Refusal::MissingRole => ("denied-title", "denied-missing-role"),
        Refusal::ReadOnlyCredential => ("denied-title", "denied-read-only"),
        Refusal::SecondFactorNeeded => ("denied-two-step-title", "denied-two-step"),
    };
    let (title, detail) = (lang.t(title), lang.t1(detail, "product", state.branding().name()));
    let sign_in_again = match (refusal, asked) {
        (Refusal::SecondFactorNeeded, Some(asked)) => Some(sign_in_address(state, asked.address()).to_string()),
        _ => None,
    };
    let another_account = match (refusal, asked) {
        (Refusal::MissingRole, Some(asked)) => Some(sign_in_address(state, asked.address()).to_string()),
        _ => None,
    };
    let base = state.base_url().as_str();
    // The page is shown at the app's address: its style comes from Gatehouse's.
    let origin = state.base_url().origin().ascii_serialization();
    let brand = state.branding();
    let page = DeniedPage { base, brand, origin: &origin, lang, title, detail, sign_in_again, another_account };
    let Ok(html) = page.render() else { return StatusCode::FORBIDDEN.into_response() };
    let policy = format!(
        "default-src 'none'; style-src {origin}; img-src {origin}; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    );
    let mut response = (StatusCode::FORBIDDEN, Html(html)).into_response();
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}
