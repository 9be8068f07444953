//! HTTP handlers, thin: parse the request, call the store and the mailer, pick a page.

pub mod account;
pub mod api;
pub mod api_auth;
pub mod assets;
pub mod auth;
pub mod errors;
pub mod health;
pub mod recovery;

use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use tower_sessions::Session;

use crate::app::AppState;
use crate::domain::AuthSession;
use crate::error::AppError;
use crate::security::csrf::CsrfToken;
use crate::store::users::{self, User};

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

/// The signed-in user of this request; extracting it fails with 401 (or a redirect to
/// the login page on HTML routes) when there is none.
pub struct CurrentUser {
    pub user: User,
    pub auth: AuthSession,
    pub session: Session,
}

impl CurrentUser {
    /// The key of this browser's session in the sessions table (and in the lists users see).
    pub fn session_key(&self) -> String {
        self.session.id().map(|id| crate::store::sessions::id_hash(&id)).unwrap_or_default()
    }
}

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

/// What every page's layout needs: the form token and who is signed in.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub csrf_token: String,
    pub signed_in_as: Option<String>,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let csrf_token = parts.extensions.get::<CsrfToken>().map(|token| token.0.clone()).unwrap_or_default();
        let user = <CurrentUser as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        Ok(Self { csrf_token, signed_in_as: user.map(|current| current.user.email) })
    }
}

/// For pages whose URL holds a token: never sent on as a referrer, never cached.
pub const TOKEN_PAGE_HEADERS: [(axum::http::HeaderName, &str); 2] =
    [(axum::http::header::REFERRER_POLICY, "no-referrer"), (axum::http::header::CACHE_CONTROL, "no-store")];

/// A `next` parameter is followed only if it stays on this site: a path, not `//host`
/// or `/\host` (which browsers treat as another origin), with no control characters.
pub fn local_path(next: &str) -> Option<&str> {
    let is_local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    is_local.then_some(next)
}

/// Formats a stored Unix time as a date people read, e.g. "25 November 2026".
pub fn human_date(unix: i64) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    time::OffsetDateTime::from_unix_timestamp(unix).ok().and_then(|date| date.format(&format).ok()).unwrap_or_default()
}

/// Formats a stored Unix time with the hour, e.g. "25 November 2026, 14:05 UTC".
pub fn human_time(unix: i64) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year], [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix).ok().and_then(|date| date.format(&format).ok()).unwrap_or_default()
}

/// Formats a stored Unix time as RFC 3339 for JSON.
pub fn rfc3339(unix: i64) -> Result<String, AppError> {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("invalid stored time {unix}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/account"), Some("/account"));
        assert_eq!(local_path("/account?tab=sessions"), Some("/account?tab=sessions"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\tevil",
            "account",
            "",
            "/a b",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_read_like_dates() {
        assert_eq!(human_date(1_764_028_800), "25 November 2025");
        assert_eq!(human_time(1_764_028_800 + 3600 + 5 * 60), "25 November 2025, 01:05 UTC");
        assert_eq!(rfc3339(1_764_028_800).unwrap(), "2025-11-25T00:00:00Z");
    }
}
