//! `/api/sessions`: the caller's sessions, and ending one.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::Client;
use crate::accounts::sessions::{self, Ended};
use crate::error::{AppError, Problem, Result};
use crate::state::AppState;
use crate::store;
use crate::web::format::rfc3339;
use crate::web::{ApiCaller, Path};

#[derive(Serialize, ToSchema)]
pub struct ApiSession {
    id: String,
    current: bool,
    created_at: String,
    last_seen_at: String,
    ip: String,
    user_agent: String,
}

/// The caller's active sessions.
#[utoipa::path(get, path = "/api/sessions", tag = "sessions", responses(
    (status = 200, description = "Active sessions", body = [ApiSession]),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Credential of an unverified or disabled account", body = Problem, content_type = "application/problem+json"),
))]
pub async fn list_sessions(State(state): State<AppState>, caller: ApiCaller) -> Result<axum::Json<Vec<ApiSession>>> {
    let this = caller.browser_session().map(|current| current.session_key()).unwrap_or_default();
    let rows = store::sessions::list_for_user(state.store().pool(), caller.user.id, store::now()).await?;
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
    Ok(axum::Json(sessions))
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
    client: Client,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    match sessions::end_one(&state, caller.user.id, caller.browser_session(), &id, &client).await? {
        Ended::NoSuchSession => Err(AppError::NotFound),
        Ended::ThisOne | Ended::Another => Ok(StatusCode::NO_CONTENT),
    }
}
