//! `GET /.well-known/jwks.json`: the keys other services verify access tokens with.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::Result;
use crate::state::AppState;

pub async fn jwks(State(state): State<AppState>) -> Result<Response> {
    let keys = state.jwt().jwks().await?;
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(keys)).into_response())
}
