//! `GET /api/me`: the caller's account.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Problem, Result};
use crate::web::ApiCaller;
use crate::web::format::rfc3339;

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    email: String,
    email_verified: bool,
    created_at: String,
    /// Whether signing in takes a second step (a code from an authenticator app).
    two_factor: bool,
    /// The account's roles, sorted by name (`admin` opens the admin area).
    roles: Vec<String>,
}

/// The caller's account.
#[utoipa::path(get, path = "/api/me", tag = "account", responses(
    (status = 200, description = "The account", body = Me),
    (status = 401, description = "No valid credential", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Credential of an unverified or disabled account", body = Problem, content_type = "application/problem+json"),
))]
pub async fn me(caller: ApiCaller) -> Result<axum::Json<Me>> {
    let user = caller.user;
    Ok(axum::Json(Me {
        id: user.id,
        email_verified: user.is_verified(),
        created_at: rfc3339(user.created_at)?,
        two_factor: user.has_two_factor(),
        roles: user.roles().into_iter().map(str::to_owned).collect(),
        email: user.email,
    }))
}
