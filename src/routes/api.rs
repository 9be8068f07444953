//! JSON endpoints for programs acting as the signed-in user.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Extension, Json, Router};
use serde::Serialize;

use super::account::{Ended, end_session};
use super::{CurrentUser, errors, rfc3339};
use crate::app::AppState;
use crate::error::{AppError, Result};
use crate::security::client_ip::ClientIp;
use crate::store::{self, sessions};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/sessions", get(list_sessions))
        .route("/sessions/{id}", delete(delete_session))
        .fallback(errors::not_found)
}

#[derive(Serialize)]
pub struct Me {
    id: i64,
    email: String,
    email_verified: bool,
    created_at: String,
}

pub async fn me(current: CurrentUser) -> Result<Json<Me>> {
    let user = current.user;
    Ok(Json(Me {
        id: user.id,
        email_verified: user.is_verified(),
        created_at: rfc3339(user.created_at)?,
        email: user.email,
    }))
}

#[derive(Serialize)]
pub struct ApiSession {
    id: String,
    current: bool,
    created_at: String,
    last_seen_at: String,
    ip: String,
    user_agent: String,
}

pub async fn list_sessions(State(state): State<AppState>, current: CurrentUser) -> Result<Json<Vec<ApiSession>>> {
    let this = current.session.id().map(|id| sessions::id_hash(&id)).unwrap_or_default();
    let rows = sessions::list_for_user(state.store().pool(), current.user.id, store::now()).await?;
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
    current: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    match end_session(&state, &current, &id, &ip.to_string()).await? {
        Ended::NoSuchSession => Err(AppError::NotFound),
        Ended::ThisOne | Ended::Another => Ok(StatusCode::NO_CONTENT),
    }
}
