//! Form tokens without server-side state: a signed double-submit cookie, bound to the
//! session.
//!
//! A random nonce lives in an HttpOnly cookie; each form carries HMAC(key, nonce and a
//! key of the signed-in session). A forged cross-site post has the cookies but cannot read
//! or compute the token; and one who can plant a nonce cookie (over plain http, where the
//! `__Host-` prefix does not apply) still cannot make a token for the victim's session,
//! which they do not know. No session row is created for anonymous visitors (bots would
//! fill the table). A login changes the session, so forms opened before it expire.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use tower_sessions::Session;

use crate::domain::AuthSession;
use tower::{Layer, ServiceExt};
use tower_http::csrf::CsrfLayer;

use crate::error::AppError;
use crate::state::AppState;

/// The hidden field every form carries.
pub const FIELD: &str = "csrf_token";
const NONCE_BYTES: usize = 32;

/// The token for the current visitor's forms, put in the request by [`protect_forms`].
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

const PURPOSE: &str = "csrf";

pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-gatehouse-csrf" } else { "gatehouse-csrf" }
}

fn is_nonce(value: &str) -> bool {
    URL_SAFE_NO_PAD.decode(value).is_ok_and(|bytes| bytes.len() == NONCE_BYTES)
}

fn new_nonce() -> String {
    let mut bytes = [0u8; NONCE_BYTES];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Gives every page a form token, and refuses unsafe requests whose form lacks a valid one.
pub async fn protect_forms(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let secure = state.secure_cookies();
    let name = cookie_name(secure);
    let existing = CookieJar::from_headers(request.headers())
        .get(name)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| is_nonce(value));
    let (nonce, is_new) = match existing {
        Some(nonce) => (nonce, false),
        None => (new_nonce(), true),
    };

    let session = request.extensions().get::<Session>().cloned();
    let bound = format!("{nonce}.{}", signed_in_session(session).await);
    let mut response = match check(&state, &bound, request).await {
        Ok(mut request) => {
            request.extensions_mut().insert(CsrfToken(state.signing_key().sign(PURPOSE, &bound)));
            next.run(request).await
        }
        Err(error) => error.into_response(),
    };
    if is_new {
        let cookie = Cookie::build((name, nonce)).http_only(true).secure(secure).same_site(SameSite::Lax).path("/");
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The form token for a page that a request renders after giving the session a new id
/// (turning on two-step login does): the one [`protect_forms`] made was bound to the old
/// id, so the page's forms would be refused. The session is saved first, which gives it
/// its new id.
pub async fn renewed_token(state: &AppState, headers: &HeaderMap, session: &Session) -> Option<String> {
    let nonce = CookieJar::from_headers(headers).get(cookie_name(state.secure_cookies()))?.value().to_owned();
    if session.id().is_none() {
        session.save().await.ok()?;
    }
    let bound = format!("{nonce}.{}", signed_in_session(Some(session.clone())).await);
    Some(state.signing_key().sign(PURPOSE, &bound))
}

/// The key of this browser's signed-in session, or nothing before sign-in: what a form
/// token is bound to besides its nonce. A cookie of a session that has ended counts as
/// none, as it does for the pages (which also drop it).
async fn signed_in_session(session: Option<Session>) -> String {
    let Some(session) = session else { return String::new() };
    match session.get::<AuthSession>(AuthSession::KEY).await {
        Ok(Some(_)) => session.id().map(|id| crate::store::sessions::id_hash(&id)).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A method that only reads, and so meets no origin or form check: tower-http's CSRF
/// layer's own list (`Method::is_safe` would add `TRACE`).
pub fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn check(state: &AppState, bound: &str, request: Request) -> Result<Request, AppError> {
    if is_read(request.method()) {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, crate::config::BODY_LIMIT).await.map_err(|_| AppError::PayloadTooLarge)?;
    let token = form_urlencoded::parse(&bytes).find(|(key, _)| key == FIELD).map(|(_, value)| value.into_owned());
    match token {
        Some(token) if state.signing_key().verify(PURPOSE, bound, &token) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => {
            tracing::warn!(event = "csrf_rejected", "form posted without a valid CSRF token");
            Err(AppError::Forbidden(
                "This form has expired or did not come from this site. Go back, reload the page and try again.",
            ))
        }
    }
}

/// Refuses an unsafe request that either signal says came from another site: the
/// browser's `Sec-Fetch-Site: cross-site`, or an `Origin` that is not ours (tower-http's
/// check, which alone would let a matching `Origin` outweigh `Sec-Fetch-Site`).
pub async fn same_site_only(State(origin_check): State<CsrfLayer>, request: Request, next: Next) -> Response {
    let unsafe_method = !is_read(request.method());
    let cross_site = request.headers().get("sec-fetch-site").is_some_and(|site| site == "cross-site");
    if unsafe_method && cross_site {
        tracing::warn!(event = "cross_site_refused", "an unsafe request came from another site");
        return StatusCode::FORBIDDEN.into_response();
    }
    match origin_check.layer(next).oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_nonces_are_reused() {
        assert!(is_nonce(&new_nonce()));
        assert!(!is_nonce("short"));
        assert!(!is_nonce("not base64 at all!"));
    }
}
