//! JSON endpoints for programs acting as a user: the session cookie, personal API tokens,
//! access tokens (JWT) and HTTP Basic all work on every route.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Json, Router};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::account::{Ended, end_session};
use super::api_auth::{API_TOKEN_PREFIX, ApiCaller, Credential, Scope, recently_authenticated};
use super::auth::{DISABLED, PasswordCheck, check_password};
use super::{errors, rfc3339};
use crate::app::AppState;
use crate::domain::Token;
use crate::error::{AppError, Result};
use crate::security::client_ip::ClientIp;
use crate::store::{self, api_tokens, refresh_tokens, sessions};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/sessions", get(list_sessions))
        .route("/sessions/{id}", delete(delete_session))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", delete(delete_token))
        .route("/auth/token", post(issue_token))
        .fallback(errors::not_found)
}

#[derive(Serialize)]
pub struct Me {
    id: i64,
    email: String,
    email_verified: bool,
    created_at: String,
}

pub async fn me(caller: ApiCaller) -> Result<Json<Me>> {
    let user = caller.user;
    Ok(Json(Me {
        id: user.id,
        email_verified: user.is_verified(),
        created_at: rfc3339(user.created_at)?,
        email: user.email,
    }))
}

// ----- sessions -----

#[derive(Serialize)]
pub struct ApiSession {
    id: String,
    current: bool,
    created_at: String,
    last_seen_at: String,
    ip: String,
    user_agent: String,
}

fn current_session_hash(caller: &ApiCaller) -> String {
    match &caller.credential {
        Credential::Session(current) => current.session.id().map(|id| sessions::id_hash(&id)).unwrap_or_default(),
        _ => String::new(),
    }
}

pub async fn list_sessions(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<ApiSession>>> {
    let this = current_session_hash(&caller);
    let rows = sessions::list_for_user(state.store().pool(), caller.user.id, store::now()).await?;
    let sessions = rows
        .into_iter()
        .map(|row| {
            Ok(ApiSession {
                current: row.id_hash == this,
                created_at: rfc3339(row.created_at)?,
                last_seen_at: rfc3339(row.last_seen_at)?,
                id: row.id_hash,
                ip: row.ip,
                user_agent: row.user_agent,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Json(sessions))
}

pub async fn delete_session(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let current = match &caller.credential {
        Credential::Session(current) => Some(current.as_ref()),
        _ => None,
    };
    match end_session(&state, caller.user.id, current, &id, &ip.to_string()).await? {
        Ended::NoSuchSession => Err(AppError::NotFound),
        Ended::ThisOne | Ended::Another => Ok(StatusCode::NO_CONTENT),
    }
}

// ----- personal API tokens -----

#[derive(Serialize)]
pub struct ApiTokenView {
    id: i64,
    name: String,
    scope: String,
    created_at: String,
    expires_at: Option<String>,
    last_used_at: Option<String>,
    /// Present only in the answer to the request that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl ApiTokenView {
    fn of(row: api_tokens::ApiToken, token: Option<String>) -> Result<Self> {
        Ok(Self {
            id: row.id,
            created_at: rfc3339(row.created_at)?,
            expires_at: row.expires_at.map(rfc3339).transpose()?,
            last_used_at: row.last_used_at.map(rfc3339).transpose()?,
            name: row.name,
            scope: row.scope,
            token,
        })
    }
}

#[derive(Deserialize)]
pub struct NewToken {
    name: String,
    scope: String,
    #[serde(default)]
    expires_in_days: Option<i64>,
}

/// Parses a request for a new token; the same rules serve the account page's form.
pub fn validate_new_token(
    name: &str,
    scope: &str,
    expires_in_days: Option<i64>,
) -> Result<(String, Scope, Option<i64>), &'static str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err("Give the token a name of 1 to 100 characters.");
    }
    let scope = Scope::parse(scope).ok_or("The scope must be \"read\" or \"read-write\".")?;
    match expires_in_days {
        Some(days) if !(1..=3650).contains(&days) => Err("A token may expire in 1 to 3650 days, or never."),
        _ => Ok((name.to_owned(), scope, expires_in_days.map(|days| store::now() + days * 24 * 3600))),
    }
}

pub async fn create_api_token(
    state: &AppState,
    user_id: i64,
    name: &str,
    scope: Scope,
    expires_at: Option<i64>,
) -> Result<ApiTokenView> {
    let token = Token::generate();
    let row = api_tokens::insert(state.store().pool(), user_id, name, scope.as_str(), &token, store::now(), expires_at)
        .await?;
    tracing::info!(event = "api_token_created", user_id, token_id = row.id, scope = scope.as_str(), "new API token");
    ApiTokenView::of(row, Some(format!("{API_TOKEN_PREFIX}{}", token.encode())))
}

pub async fn create_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    super::Json(request): super::Json<NewToken>,
) -> Result<Response> {
    if let Credential::Session(current) = &caller.credential
        && !recently_authenticated(&current.auth)
    {
        return Err(AppError::Forbidden(
            "Log in again: creating a token needs a password entered in the last 10 minutes.",
        ));
    }
    let (name, scope, expires_at) = validate_new_token(&request.name, &request.scope, request.expires_in_days)
        .map_err(|e| AppError::BadRequest(e.into()))?;
    let view = create_api_token(&state, caller.user.id, &name, scope, expires_at).await?;
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], Json(view)).into_response())
}

pub async fn list_tokens(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<ApiTokenView>>> {
    let rows = api_tokens::list(state.store().pool(), caller.user.id).await?;
    Ok(Json(rows.into_iter().map(|row| ApiTokenView::of(row, None)).collect::<Result<_>>()?))
}

pub async fn delete_token(State(state): State<AppState>, caller: ApiCaller, Path(id): Path<i64>) -> Result<StatusCode> {
    if !api_tokens::delete(state.store().pool(), caller.user.id, id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(event = "api_token_revoked", user_id = caller.user.id, token_id = id, "API token revoked");
    Ok(StatusCode::NO_CONTENT)
}

// ----- access and refresh tokens -----

pub const REFRESH_TOKEN_PREFIX: &str = "gtr_";
const REFRESH_TTL_SECS: i64 = 30 * 24 * 3600;

/// `{"email", "password"}` or `{"refresh_token"}`.
#[derive(Deserialize)]
pub struct TokenRequest {
    email: Option<String>,
    password: Option<String>,
    refresh_token: Option<String>,
}

/// The OAuth 2.0 token response (RFC 6749 §5.1).
#[derive(Serialize)]
pub struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    refresh_token: String,
}

const BAD_REFRESH: &str = "The refresh token is not valid: it may be expired, revoked or already used.";

pub async fn issue_token(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    super::Json(request): super::Json<TokenRequest>,
) -> Result<Response> {
    let (user_id, family) = match request {
        TokenRequest { email: Some(email), password: Some(password), refresh_token: None } => {
            if let Some(retry_after_secs) = state.password_budget_exhausted(ip) {
                return Err(AppError::TooManyRequests { retry_after_secs });
            }
            let user = match check_password(&state, &email, SecretString::from(password), &headers, ip).await? {
                PasswordCheck::Accepted(user) => user,
                PasswordCheck::Refused => return Err(AppError::Unauthorized("The email or password is incorrect.")),
                PasswordCheck::Throttled { retry_after_secs } => {
                    return Err(AppError::TooManyRequests { retry_after_secs });
                }
                PasswordCheck::Unverified(_) => {
                    return Err(AppError::Forbidden("Confirm your email address before using the API."));
                }
                PasswordCheck::Disabled(_) => return Err(AppError::Forbidden(DISABLED)),
            };
            (user.id, random_family())
        }
        TokenRequest { email: None, password: None, refresh_token: Some(refresh) } => {
            rotate_refresh(&state, &refresh).await?
        }
        _ => return Err(AppError::BadRequest("Send {\"email\", \"password\"} or {\"refresh_token\"}.".into())),
    };
    let (access_token, expires_in) = state.jwt().issue(user_id).await?;
    let refresh = Token::generate();
    let now = store::now();
    refresh_tokens::insert(state.store().pool(), &refresh, user_id, &family, now, now + REFRESH_TTL_SECS).await?;
    let body = TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in,
        refresh_token: format!("{REFRESH_TOKEN_PREFIX}{}", refresh.encode()),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

/// Uses a refresh token up and returns its user and family. A token used twice means it
/// was copied: the whole family is revoked, the thief's copy and the owner's alike.
async fn rotate_refresh(state: &AppState, presented: &str) -> Result<(i64, String)> {
    let token = presented
        .strip_prefix(REFRESH_TOKEN_PREFIX)
        .and_then(|rest| Token::parse(rest).ok())
        .ok_or(AppError::Unauthorized(BAD_REFRESH))?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = refresh_tokens::find(&mut *tx, &token).await?.filter(|row| row.matches(&token));
    let Some(row) = row else { return Err(AppError::Unauthorized(BAD_REFRESH)) };
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(AppError::Unauthorized(BAD_REFRESH));
    }
    if row.used_at.is_some() || !refresh_tokens::consume(&mut *tx, &row.selector, now).await? {
        refresh_tokens::revoke_family(&mut *tx, &row.family, now).await?;
        tx.commit().await?;
        tracing::warn!(
            event = "refresh_token_reused",
            user_id = row.user_id,
            "a used refresh token came back; its family is revoked"
        );
        return Err(AppError::Unauthorized(BAD_REFRESH));
    }
    tx.commit().await?;
    Ok((row.user_id, row.family))
}

fn random_family() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

/// `GET /.well-known/jwks.json`: the keys other services verify access tokens with.
pub async fn jwks(State(state): State<AppState>) -> Result<Response> {
    let keys = state.jwt().jwks().await?;
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(keys)).into_response())
}
