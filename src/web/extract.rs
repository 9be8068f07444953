//! Extractors: the request's form or JSON body (rejections rendered like every other
//! error), the signed-in user, the asking client, and what every page's layout needs.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, header};
use tower_sessions::Session;

use crate::accounts::Client;
use crate::accounts::sessions::CurrentUser;
use crate::branding::Branding;
use crate::domain::{AuthSession, Role};
use crate::error::AppError;
use crate::i18n::Language;
use crate::security::client_ip::ClientIp;
use crate::security::csrf::CsrfToken;
use crate::security::device;
use crate::state::AppState;
use crate::store::users;
use crate::web::guard::Privileged;

/// `axum::Form` whose rejections render like every other error.
#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(AppError))]
pub struct Form<T>(pub T);

/// `axum::Json` whose rejections are problem+json like every other API error.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

/// `axum::extract::Path` whose rejections are problem+json like every other API error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query` whose rejections render like every other error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// Extracting the signed-in user fails with 401 (a redirect to the login page on HTML
/// routes) when there is none.
impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| AppError::Internal(anyhow::anyhow!(message)))?;
        let (auth, user) = state
            .store()
            .snapshot(async {
                let auth: AuthSession = session.get(AuthSession::KEY).await?.ok_or(AppError::Unauthenticated)?;
                let user = users::find_by_id_cached(state.store(), auth.user_id).await?;
                Ok::<_, AppError>((auth, user))
            })
            .await?;
        match user {
            Some(user) if !user.is_disabled() => Ok(Self { user, auth, session }),
            _ => {
                // The account was deleted or disabled while this session lived: end it.
                session.flush().await?;
                Err(AppError::Unauthenticated)
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <Self as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(AppError::Unauthenticated) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(client_of(parts, state))
    }
}

/// The asking client: its address (set before routing), browser and device cookie.
pub fn client_of(parts: &Parts, state: &AppState) -> Client {
    client_from(&parts.headers, &parts.extensions, state)
}

/// [`client_of`] for a handler that holds the whole request.
pub fn client_from(headers: &HeaderMap, extensions: &Extensions, state: &AppState) -> Client {
    let agent = headers.get(header::USER_AGENT).and_then(|value| value.to_str().ok()).unwrap_or_default();
    Client {
        ip: extensions.get::<ClientIp>().map_or([127, 0, 0, 1].into(), |ip| ip.0),
        user_agent: agent.chars().take(256).collect(),
        device_cookie: device::cookie_value(headers, state.secure_cookies()),
    }
}

/// `?notice=`: the key of what a redirect wants said on the page it leads to.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoticeParam {
    #[serde(default)]
    pub notice: String,
}

/// What every page's layout needs: the form token and who is signed in.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub csrf_token: String,
    pub signed_in_as: Option<String>,
    /// Whether to show the way to the admin area.
    pub is_admin: bool,
    /// Whether this site offers passkeys (`BASE_URL` names a domain).
    pub passkeys: bool,
    /// The operator's name, logo and links for the header and footer.
    pub brand: Arc<Branding>,
    /// The words the page is written in.
    pub lang: Language,
    /// Whether sign-up is by invitation or closed (`SIGNUP`): then no page offers the form.
    /// Pages made without a request (error pages) offer it, as an open server does.
    pub signup_closed: bool,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let csrf_token = parts.extensions.get::<CsrfToken>().map(|token| token.0.clone()).unwrap_or_default();
        // Behind the role guard the user is loaded already; elsewhere, load them.
        let user = match parts.extensions.get::<Privileged>() {
            Some(Privileged(current)) => Some(current.clone()),
            None => <CurrentUser as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await?,
        };
        let is_admin = user.as_ref().is_some_and(|current| current.user.has_role(Role::ADMIN));
        let passkeys = state.webauthn().is_some();
        let brand = Arc::clone(state.branding());
        let accept_language = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
        let lang =
            Language::choose(user.as_ref().and_then(|current| current.user.language.as_deref()), accept_language);
        let signed_in_as = user.map(|current| current.user.email);
        let signup_closed = state.config().signup != crate::domain::SignupMode::Open;
        Ok(Self { csrf_token, signed_in_as, is_admin, passkeys, brand, lang, signup_closed })
    }
}
