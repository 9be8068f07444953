//! Who is calling `/api/*`: the session cookie, a personal API token or an access token
//! as `Bearer`, or HTTP Basic with a password or an API token.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::csrf::CsrfLayer;
use tower_sessions::Session;

use crate::accounts::Client;
use crate::accounts::password::{self, DISABLED, UNVERIFIED_FOR_PROGRAMS};
use crate::accounts::sessions::{self, CurrentUser};
use crate::domain::{Authorization, AuthorizationError, Email, Scope, Token};
use crate::error::AppError;
use crate::security::csrf;
use crate::state::AppState;
use crate::store::users::{self, User};
use crate::store::{self, api_tokens};

/// How the caller proved who they are.
pub enum Credential {
    Session(Box<CurrentUser>),
    /// The session cookie, read on a route that only reads and so runs without the session
    /// layer (`GET /api/me`): the account, but no session to change.
    SessionCookie,
    ApiToken {
        expires_at: Option<i64>,
    },
    AccessToken {
        expires_at: i64,
        second_factor: bool,
    },
    Password,
}

pub struct ApiCaller {
    pub user: User,
    pub scope: Scope,
    pub credential: Credential,
}

impl ApiCaller {
    /// The caller's own browser session, when the cookie is its credential.
    pub fn browser_session(&self) -> Option<&CurrentUser> {
        match &self.credential {
            Credential::Session(current) => Some(current),
            _ => None,
        }
    }
}

/// Why a caller was refused, and whether to offer HTTP Basic: a program may answer a
/// `Basic` challenge, but a browser navigating to an API address would pop up its native
/// login box, so it is offered only the `Bearer` one.
pub struct Refused {
    error: AppError,
    offer_basic: bool,
}

/// Marks a `401` whose client may be offered a `Basic` challenge (see [`add_challenge`]).
#[derive(Clone, Copy)]
struct OfferBasic;

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let mut response = self.error.into_response();
        if self.offer_basic {
            response.extensions_mut().insert(OfferBasic);
        }
        response
    }
}

/// A browser loading the address as a page, rather than a program asking for JSON.
fn is_navigation(parts: &Parts) -> bool {
    let navigate = parts.headers.get("sec-fetch-mode").is_some_and(|mode| mode == "navigate");
    let wants_html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.starts_with("text/html"));
    navigate || wants_html
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Self::identify(parts, state).await.map_err(|error| Refused { error, offer_basic: !is_navigation(parts) })
    }
}

impl ApiCaller {
    async fn identify(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let caller = match parts.headers.get(header::AUTHORIZATION) {
            None if parts.extensions.get::<Session>().is_none() => {
                let cookie_name = state.session_cookie_name();
                let signed_in = sessions::signed_in_by_cookie(state.store(), &parts.headers, cookie_name).await?;
                let (user, _) = signed_in.ok_or(AppError::Unauthenticated)?;
                Self { user, scope: Scope::ReadWrite, credential: Credential::SessionCookie }
            }
            // Boxed, these two: their futures are large, and unboxed every request would
            // carry (and move) room for them.
            None => {
                let current = Box::pin(CurrentUser::from_request_parts(parts, state)).await?;
                Self {
                    user: current.user.clone(),
                    scope: Scope::ReadWrite,
                    credential: Credential::Session(Box::new(current)),
                }
            }
            Some(value) => {
                let client = super::extract::client_of(parts, state);
                Box::pin(from_authorization(state, value, &client)).await?
            }
        };
        if !csrf::is_read(&parts.method) && caller.scope == Scope::Read {
            return Err(AppError::Forbidden("This credential may only read (its scope is \"read\")."));
        }
        Ok(caller)
    }
}

pub(crate) async fn from_authorization(
    state: &AppState,
    value: &HeaderValue,
    client: &Client,
) -> Result<ApiCaller, AppError> {
    let parsed = Authorization::parse(value.as_bytes());
    match parsed.map_err(|error| AppError::Unauthorized(error.explanation()))? {
        Authorization::ApiToken(token) => api_token(state, &token, None).await,
        Authorization::BasicToken { email, token } => api_token(state, &token, Some(&email)).await,
        Authorization::BasicPassword { email, password } => {
            let (user, _) = password::check_for_program(state, &email, password, None, client).await?;
            Ok(ApiCaller { user, scope: Scope::ReadWrite, credential: Credential::Password })
        }
        Authorization::AccessToken(jwt) => {
            let verified = state.jwt().verify(&jwt).await.map_err(|error| {
                tracing::info!(event = "access_token_refused", reason = %error, "bad bearer token");
                AppError::Unauthorized(
                    "The access token is not valid: it may be malformed, forged, expired or for another service.",
                )
            })?;
            let user = usable(users::find_by_id(state.store().pool(), verified.user_id).await?)?;
            let second_factor = verified.amr.is_multi_factor();
            let credential = Credential::AccessToken { expires_at: verified.expires_at, second_factor };
            Ok(ApiCaller { user, scope: Scope::ReadWrite, credential })
        }
    }
}

/// `POST /api/auth/token`: the one API route that takes its credential in the body.
pub const TOKEN_ENDPOINT: &str = "/api/auth/token";

const BAD_TOKEN: &str = AuthorizationError::BadApiToken.explanation();

async fn api_token(state: &AppState, token: &Token, email: Option<&str>) -> Result<ApiCaller, AppError> {
    let pool = state.store().pool();
    let row = api_tokens::authenticate(pool, token, store::now()).await?.ok_or(AppError::Unauthorized(BAD_TOKEN))?;
    let user = usable(users::find_by_id(pool, row.user_id).await?)?;
    // With Basic, the name must be the token owner's address.
    if let Some(email) = email
        && Email::parse(email).map_or(true, |email| email.as_str() != user.email)
    {
        return Err(AppError::Unauthorized(BAD_TOKEN));
    }
    let scope = Scope::parse(&row.scope).unwrap_or(Scope::Read);
    Ok(ApiCaller { user, scope, credential: Credential::ApiToken { expires_at: row.expires_at } })
}

/// A credential of a deleted or disabled account is worth nothing.
fn usable(user: Option<User>) -> Result<User, AppError> {
    match user {
        Some(user) if user.is_disabled() => Err(AppError::Forbidden(DISABLED)),
        Some(user) if user.is_verified() => Ok(user),
        Some(_) => Err(AppError::Forbidden(UNVERIFIED_FOR_PROGRAMS)),
        None => Err(AppError::Unauthorized(BAD_TOKEN)),
    }
}

/// The cross-site check for cookie-authenticated calls. Requests that carry their own
/// credential (Bearer or Basic) cannot be forged by another site and skip it, and so
/// does the token endpoint, which reads its credential from the body and never a
/// cookie: browser apps on `CORS_ALLOWED_ORIGINS` get and refresh tokens there.
pub async fn same_site_unless_credential(layer: State<CsrfLayer>, request: Request, next: Next) -> Response {
    if request.headers().contains_key(header::AUTHORIZATION) || request.uri().path() == TOKEN_ENDPOINT {
        return next.run(request).await;
    }
    csrf::same_site_only(layer, request, next).await
}

/// Every `401` from the API says how to authenticate: `Basic` to programs, `Bearer` to all.
pub fn add_challenge(response: &mut Response) {
    if response.status() == StatusCode::UNAUTHORIZED {
        let offer_basic = response.extensions().get::<OfferBasic>().is_some();
        let headers = response.headers_mut();
        if offer_basic {
            headers.append(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"gatehouse\""));
        }
        headers.append(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"gatehouse\""));
    }
}
