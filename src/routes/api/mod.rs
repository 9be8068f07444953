//! JSON endpoints for programs acting as a user: the session cookie, personal API tokens,
//! access tokens (JWT) and HTTP Basic all work on every route (see [`crate::web::ApiCaller`]).
//! Errors are problem+json. The OpenAPI document is generated from the handlers.

pub mod auth_token;
pub mod me;
pub mod sessions;
pub mod tokens;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::Problem;

/// The OpenAPI document of every `/api/*` route.
#[derive(OpenApi)]
#[openapi(
    info(title = "Gatehouse API", description = "Accounts as JSON: the session cookie, personal API tokens (Bearer), access tokens (Bearer JWT) or HTTP Basic."),
    paths(me::me, sessions::list_sessions, sessions::delete_session, tokens::list_tokens, tokens::create_token, tokens::delete_token, auth_token::issue_token),
    components(schemas(me::Me, sessions::ApiSession, tokens::ApiTokenView, tokens::NewToken, auth_token::TokenRequest, auth_token::PasswordGrant, auth_token::RefreshGrant, auth_token::TokenResponse, Problem)),
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
