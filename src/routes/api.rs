//! JSON endpoints for programs acting as the signed-in user.

use axum::Router;
use axum::routing::get;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use axum::Json;

use super::{CurrentUser, errors};
use crate::app::AppState;
use crate::error::{AppError, Result};

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me)).fallback(errors::not_found)
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
    let created_at = OffsetDateTime::from_unix_timestamp(user.created_at)
        .ok()
        .and_then(|at| at.format(&Rfc3339).ok())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("user {} has an invalid created_at", user.id)))?;
    Ok(Json(Me { id: user.id, email_verified: user.is_verified(), email: user.email, created_at }))
}
