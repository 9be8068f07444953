//! `GET /.well-known/jwks.json`: the keys other services verify access tokens and OpenID
//! Connect ID tokens with (RS256), and the Ed25519 keys of EdDSA ID tokens while a client
//! uses them (some libraries warn about, or fail on, key types they do not know).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::jwk::JwkSet;

use crate::error::Result;
use crate::state::AppState;

pub async fn jwks(State(state): State<AppState>) -> Result<Response> {
    let mut keys = state.rsa_keys().jwks().await?;
    if crate::oidc::clients::any_uses_eddsa(state.store()).await? {
        keys.extend(state.jwt().ed25519_jwks().await?);
    }
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(JwkSet { keys })).into_response())
}
