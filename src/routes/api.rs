//! JSON endpoints for programs acting as a user: the session cookie, personal API tokens,
//! access tokens (JWT) and HTTP Basic all work on every route.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post};
use axum::{Extension, Json, Router};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use super::account::{Ended, end_session};
use super::api_auth::{ApiCaller, Credential, Scope, check_api_password, recently_authenticated};
use super::{Path, errors, rfc3339};
use crate::app::AppState;
use crate::domain::{API_TOKEN_PREFIX, Token};
use crate::error::{AppError, Problem, Result};
use crate::security::client_ip::ClientIp;
use crate::store::{self, api_tokens, refresh_tokens, sessions};

/// Every `/api` route by its full path (merged, not nested: nesting costs every request a
/// second routing pass and a rewritten URI). Unknown paths under `/api` are problems too.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/me", get(me))
        .route("/api/sessions", get(list_sessions))
        .route("/api/sessions/{id}", delete(delete_session))
        .route("/api/tokens", get(list_tokens).post(create_token))
        .route("/api/tokens/{id}", delete(delete_token))
        .route("/api/auth/token", post(issue_token))
        .route("/api/openapi.json", get(openapi))
        .route("/api", any(errors::not_found))
        .route("/api/", any(errors::not_found))
        .route("/api/{*rest}", any(errors::not_found))
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    email: String,
    email_verified: bool,
    created_at: String,
}

/// The caller's account.
#[utoipa::path(get, path = "/api/me", tag = "account", responses(
    (status = 200, description = "The account", body = Me),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Credential of an unverified or disabled account", body = Problem, content_type = "application/problem+json"),
))]
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

#[derive(Serialize, ToSchema)]
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
        Credential::Session(current) => current.session_key(),
        _ => String::new(),
    }
}

/// The caller's active sessions.
#[utoipa::path(get, path = "/api/sessions", tag = "sessions", responses(
    (status = 200, description = "Active sessions", body = [ApiSession]),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Credential of an unverified or disabled account", body = Problem, content_type = "application/problem+json"),
))]
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

/// Ends one of the caller's sessions.
#[utoipa::path(delete, path = "/api/sessions/{id}", tag = "sessions", params(("id" = String, Path, description = "A session id from the list")), responses(
    (status = 204, description = "The session ended"),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Read-only credential, or a cross-site request", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such session of the caller", body = Problem, content_type = "application/problem+json"),
))]
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

#[derive(Serialize, ToSchema)]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, 1 to 100 characters.
    #[schema(pattern = r"^[^\u0000-\u001F\u007F]{1,100}$")]
    name: String,
    #[schema(pattern = "^(read|read-write)$")]
    scope: String,
    /// 1 to 3650, or null for a token that never expires.
    #[serde(default, deserialize_with = "whole_number")]
    #[schema(minimum = 1, maximum = 3650)]
    expires_in_days: Option<i64>,
}

/// JSON Schema counts `30.0` as an integer, so this accepts it as 30.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    match Option::<f64>::deserialize(deserializer)? {
        Some(number) if number.fract() == 0.0 && number.abs() < 1e15 => Ok(Some(number as i64)),
        Some(_) => Err(serde::de::Error::custom("expected a whole number of days")),
        None => Ok(None),
    }
}

/// Parses a request for a new token; the same rules serve the account page's form.
pub fn validate_new_token(
    name: &str,
    scope: &str,
    expires_in_days: Option<i64>,
) -> Result<(String, Scope, Option<i64>), &'static str> {
    // The same rule as the schema's pattern: no C0 control characters or DEL.
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(|c| c < ' ' || c == '\u{7f}') {
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

/// Creates a personal API token; the `token` is in this answer only.
#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = NewToken, responses(
    (status = 201, description = "The new token", body = ApiTokenView),
    (status = 400, description = "Invalid name, scope or expiry", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Read-only credential, stale session or cross-site request", body = Problem, content_type = "application/problem+json"),
    (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
))]
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

/// The caller's API tokens, without their secrets.
#[utoipa::path(get, path = "/api/tokens", tag = "tokens", responses(
    (status = 200, description = "API tokens", body = [ApiTokenView]),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Credential of an unverified or disabled account", body = Problem, content_type = "application/problem+json"),
))]
pub async fn list_tokens(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<ApiTokenView>>> {
    let rows = api_tokens::list(state.store().pool(), caller.user.id).await?;
    Ok(Json(rows.into_iter().map(|row| ApiTokenView::of(row, None)).collect::<Result<_>>()?))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", params(("id" = i64, Path, description = "The token's id")), responses(
    (status = 204, description = "Revoked"),
    (status = 400, description = "The id is not a number", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Read-only credential, or a cross-site request", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such token of the caller", body = Problem, content_type = "application/problem+json"),
))]
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
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum TokenRequest {
    Password(PasswordGrant),
    Refresh(RefreshGrant),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordGrant {
    email: String,
    password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshGrant {
    refresh_token: String,
}

/// The OAuth 2.0 token response (RFC 6749 §5.1).
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    refresh_token: String,
}

const BAD_REFRESH: &str = "The refresh token is not valid: it may be expired, revoked or already used.";

/// Exchanges a password or a refresh token for an access token and a new refresh token.
#[utoipa::path(post, path = "/api/auth/token", tag = "auth", request_body = TokenRequest, security(()), responses(
    (status = 200, description = "New tokens", body = TokenResponse),
    (status = 400, description = "Neither a password nor a refresh token", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Wrong password, or a bad, used or revoked refresh token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Unverified or disabled account", body = Problem, content_type = "application/problem+json"),
    (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
))]
pub async fn issue_token(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    super::Json(request): super::Json<TokenRequest>,
) -> Result<Response> {
    let (user_id, family) = match request {
        TokenRequest::Password(PasswordGrant { email, password }) => {
            let user = check_api_password(&state, &email, SecretString::from(password), &headers, ip).await?;
            (user.id, random_family())
        }
        TokenRequest::Refresh(RefreshGrant { refresh_token }) => rotate_refresh(&state, &refresh_token).await?,
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

/// The OpenAPI document of every `/api/*` route, generated from the handlers above.
#[derive(OpenApi)]
#[openapi(
    info(title = "Gatehouse API", description = "Accounts as JSON: the session cookie, personal API tokens (Bearer), access tokens (Bearer JWT) or HTTP Basic."),
    paths(me, list_sessions, delete_session, list_tokens, create_token, delete_token, issue_token),
    components(schemas(Me, ApiSession, ApiTokenView, NewToken, TokenRequest, PasswordGrant, RefreshGrant, TokenResponse, Problem)),
    modifiers(&Credentials),
    security(("session" = []), ("bearer" = []), ("basic" = [])),
)]
pub struct ApiDoc;

struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("gatehouse-session"))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
    }
}

/// Built once: the document is the same for every request.
static OPENAPI: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| ApiDoc::openapi().to_json().expect("the OpenAPI document serialises"));

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI.as_str()).into_response()
}
