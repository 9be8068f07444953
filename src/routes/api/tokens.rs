//! `/api/tokens`: personal API tokens.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::api_tokens::{self, NewApiToken};
use crate::accounts::sessions::recently_authenticated;
use crate::accounts::{Client, password};
use crate::error::{AppError, Problem, Result};
use crate::state::AppState;
use crate::store;
use crate::web::format::rfc3339;
use crate::web::{ApiCaller, Credential, Json, Path};

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
    token: Option<String>,
}

impl ApiTokenView {
    fn of(row: store::api_tokens::ApiToken, token: Option<String>) -> Result<Self> {
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
    /// The account's password: needed when the request is made with an API token or an
    /// access token, so a stolen token cannot mint lasting ones.
    #[serde(default)]
    password: Option<String>,
}

/// JSON Schema counts `30.0` as an integer, so this accepts it as 30.
fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    match Option::<f64>::deserialize(deserializer)? {
        Some(number) if number.fract() == 0.0 && number.abs() < 1e15 => Ok(Some(number as i64)),
        Some(_) => Err(serde::de::Error::custom("expected a whole number of days")),
        None => Ok(None),
    }
}

/// Creates a personal API token; the `token` is in this answer only.
#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = NewToken, responses(
    (status = 201, description = "The new token", body = ApiTokenView),
    (status = 400, description = "Invalid name, scope or expiry", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "No valid credential, or a token credential without the right password", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Read-only credential, stale session or cross-site request", body = Problem, content_type = "application/problem+json"),
    (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Ten wrong passwords in a row for this account (here or at the login form): Retry-After says when to try again", body = Problem, content_type = "application/problem+json"),
))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    client: Client,
    Json(request): Json<NewToken>,
) -> Result<Response> {
    // A token made with a token needs the password too, and never outlives its maker.
    let no_later_than = match &caller.credential {
        Credential::Session(current) if !recently_authenticated(&current.auth) => {
            return Err(AppError::Forbidden(
                "Log in again: creating a token needs a password entered in the last 10 minutes.",
            ));
        }
        Credential::Session(_) | Credential::Password => None,
        // Only read-only routes run without the session layer; this one has it.
        Credential::SessionCookie => return Err(AppError::Forbidden("Log in again.")),
        Credential::ApiToken { expires_at } => {
            confirm_password(&state, &caller, request.password.as_deref()).await?;
            *expires_at
        }
        Credential::AccessToken { expires_at, .. } => {
            confirm_password(&state, &caller, request.password.as_deref()).await?;
            Some(*expires_at)
        }
    };
    let new = NewApiToken::parse(&request.name, &request.scope, request.expires_in_days)
        .map_err(|e| AppError::BadRequest(e.into()))?
        .no_later_than(no_later_than);
    let (row, secret) = api_tokens::create(state.store(), caller.user.id, &new, &client).await?;
    let view = ApiTokenView::of(row, Some(secret))?;
    Ok((StatusCode::CREATED, [(header::CACHE_CONTROL, "no-store")], axum::Json(view)).into_response())
}

/// The account's password, sent with a request made with a token.
async fn confirm_password(state: &AppState, caller: &ApiCaller, password: Option<&str>) -> Result<()> {
    const NEEDED: &str = "Creating a token with a token needs the account's password as \"password\".";
    let password = password.filter(|password| !password.is_empty()).ok_or(AppError::Unauthorized(NEEDED))?;
    if !password::reconfirm(state, &caller.user, password).await? {
        return Err(AppError::Unauthorized("The password is incorrect."));
    }
    Ok(())
}

/// The caller's API tokens, without their secrets.
#[utoipa::path(get, path = "/api/tokens", tag = "tokens", responses(
    (status = 200, description = "API tokens", body = [ApiTokenView]),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Credential of an unverified or disabled account", body = Problem, content_type = "application/problem+json"),
))]
pub async fn list_tokens(State(state): State<AppState>, caller: ApiCaller) -> Result<axum::Json<Vec<ApiTokenView>>> {
    let rows = store::api_tokens::list(state.store().pool(), caller.user.id).await?;
    Ok(axum::Json(rows.into_iter().map(|row| ApiTokenView::of(row, None)).collect::<Result<_>>()?))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens", params(("id" = i64, Path, description = "The token's id")), responses(
    (status = 204, description = "Revoked"),
    (status = 400, description = "The id is not a number", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Read-only credential, or a cross-site request", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such token of the caller", body = Problem, content_type = "application/problem+json"),
))]
pub async fn delete_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    client: Client,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    if !api_tokens::revoke(state.store(), caller.user.id, id, &client).await? {
        return Err(AppError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
