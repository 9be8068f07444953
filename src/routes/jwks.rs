//! `GET /.well-known/jwks.json`: the keys other services verify access tokens (EdDSA)
//! and OpenID Connect ID tokens (RS256) with.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::Result;
use crate::state::AppState;

pub async fn jwks(State(state): State<AppState>) -> Result<Response> {
    let mut keys = state.jwt().jwks().await?;
    keys.keys.extend(state.id_token_keys().jwks().await?);
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(keys)).into_response())
}
