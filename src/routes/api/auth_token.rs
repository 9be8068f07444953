//! `POST /api/auth/token`: a password or a refresh token buys an access token.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::program_tokens::{self, Family};
use crate::accounts::{Client, password};
use crate::error::{Problem, Result};
use crate::state::AppState;
use crate::web::Json;

/// `{"email", "password"}` (with `"otp"` for an account with two-step login) or `{"refresh_token"}`.
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
    /// For an account with two-step login: the code from its authenticator app, or a
    /// recovery code.
    #[serde(default)]
    otp: Option<String>,
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

/// Exchanges a password or a refresh token for an access token and a new refresh token.
#[utoipa::path(post, path = "/api/auth/token", tag = "auth", request_body = TokenRequest, security(()), responses(
    (status = 200, description = "New tokens", body = TokenResponse),
    (status = 400, description = "Neither a password nor a refresh token", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "Wrong password or code, a code needed (`mfa-required`), or a bad, used or revoked refresh token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Unverified or disabled account", body = Problem, content_type = "application/problem+json"),
    (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
))]
pub async fn issue_token(
    State(state): State<AppState>,
    client: Client,
    Json(request): Json<TokenRequest>,
) -> Result<Response> {
    let (user, family) = match request {
        TokenRequest::Password(PasswordGrant { email, password, otp }) => {
            let password = SecretString::from(password);
            let (user, amr) = password::check_for_program(&state, &email, password, otp.as_deref(), &client).await?;
            (user, Family::fresh(amr))
        }
        TokenRequest::Refresh(RefreshGrant { refresh_token }) => {
            program_tokens::redeem_refresh(&state, &refresh_token).await?
        }
    };
    let issued = program_tokens::issue(&state, &user, &family).await?;
    let body = TokenResponse {
        access_token: issued.access_token,
        token_type: "Bearer",
        expires_in: issued.expires_in,
        refresh_token: issued.refresh_token,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}
