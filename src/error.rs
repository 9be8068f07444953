//! One error type for every handler, rendered as an HTML page or as RFC 9457
//! problem+json depending on where the request went (see `routes::errors`).

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::i18n::Language;

use crate::store;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("bad credentials: {0}")]
    Unauthorized(&'static str),
    #[error("second step required")]
    SecondStepRequired,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("unprocessable: {0}")]
    Unprocessable(&'static str),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType(&'static str),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Every problem type this server answers with, by slug: `/problems/{slug}` is its
/// `type`, and serves a page of what it means (the words `problem-<slug>` and
/// `problem-type-<slug>` in `templates/locales`).
pub const PROBLEM_TYPES: &[&str] = &[
    "bad-request",
    "unauthenticated",
    "invalid-credentials",
    "mfa-required",
    "forbidden",
    "not-found",
    "method-not-allowed",
    "timeout",
    "conflict",
    "invalid-value",
    "payload-too-large",
    "unsupported-media-type",
    "too-many-requests",
    "server-error",
    "unavailable",
];

/// What a response needs to show an error, kept in the response's extensions so the
/// HTML and JSON renderers can each present it their way.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    /// The key of the detail's words ([`crate::i18n`]), when the detail was given as
    /// one: JSON carries the English, a page the reader's language.
    #[serde(skip)]
    #[schema(ignore)]
    pub detail_key: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, title: &'static str, detail: impl Into<String>) -> Self {
        let (kind, status, detail) = (format!("/problems/{slug}"), status.as_u16(), detail.into());
        Self { kind, title, status, detail, detail_key: None }
    }

    /// Like [`Problem::new`], with a detail that may be the key of its words.
    fn keyed(status: StatusCode, slug: &str, title: &'static str, detail: &str) -> Self {
        if !Language::knows(detail) {
            return Self::new(status, slug, title, detail);
        }
        Self { detail_key: Some(detail.to_owned()), ..Self::new(status, slug, title, Language::english().t(detail)) }
    }

    /// A problem for a response that some layer (router, body limit, CSRF check) sent without a body.
    pub fn for_status(status: StatusCode) -> Self {
        let (slug, title, detail) = match status {
            StatusCode::NOT_FOUND => ("not-found", "Page not found", "There is nothing at this address."),
            StatusCode::METHOD_NOT_ALLOWED => {
                ("method-not-allowed", "Method not allowed", "This address does not accept that method.")
            }
            StatusCode::FORBIDDEN => (
                "forbidden",
                "Request refused",
                "This request came from another site, or the form had expired. Go back, reload the page and try again.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => {
                ("payload-too-large", "Request too large", "The request body is larger than this server accepts.")
            }
            StatusCode::REQUEST_TIMEOUT => ("timeout", "Request timed out", "The request took too long. Try again."),
            StatusCode::TOO_MANY_REQUESTS => {
                ("too-many-requests", "Too many attempts", "Wait a little before you try again.")
            }
            status if status.is_server_error() => (
                "server-error",
                "Something went wrong",
                "The server could not finish this request. Try again in a moment.",
            ),
            _ => ("bad-request", "Bad request", "The request could not be understood."),
        };
        Self::new(status, slug, title, detail)
    }

    pub fn to_json_response(&self, mut response: Response) -> Response {
        let body = serde_json::to_vec(self).expect("a problem serialises");
        *response.body_mut() = body.into();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        response.headers_mut().remove(header::CONTENT_LENGTH);
        response
    }
}

impl AppError {
    fn problem(&self) -> Problem {
        use StatusCode as S;
        match self {
            Self::NotFound => Problem::for_status(S::NOT_FOUND),
            Self::Unauthenticated => {
                Problem::new(S::UNAUTHORIZED, "unauthenticated", "Sign-in required", "Sign in to continue.")
            }
            Self::Unauthorized(detail) => {
                Problem::keyed(S::UNAUTHORIZED, "invalid-credentials", "Invalid credentials", detail)
            }
            Self::SecondStepRequired => Problem::new(
                S::UNAUTHORIZED,
                "mfa-required",
                "Second step required",
                "This account uses two-step login: send the password again with \"otp\", the current code from its authenticator app or a recovery code.",
            ),
            Self::Forbidden(detail) => Problem::keyed(S::FORBIDDEN, "forbidden", "Request refused", detail),
            Self::BadRequest(detail) => Problem::keyed(S::BAD_REQUEST, "bad-request", "Bad request", detail),
            Self::Conflict(detail) => Problem::keyed(S::CONFLICT, "conflict", "Not possible", detail),
            Self::Unprocessable(detail) => {
                Problem::keyed(S::UNPROCESSABLE_ENTITY, "invalid-value", "Invalid value", detail)
            }
            Self::PayloadTooLarge => Problem::for_status(S::PAYLOAD_TOO_LARGE),
            Self::UnsupportedMediaType(detail) => {
                Problem::new(S::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported content type", *detail)
            }
            Self::TooManyRequests { retry_after_secs } => Problem::new(
                S::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many attempts",
                format!("Wait {} before you try again.", seconds(*retry_after_secs)),
            ),
            Self::Unavailable(_) => Problem::new(
                S::SERVICE_UNAVAILABLE,
                "unavailable",
                "Temporarily unavailable",
                "The service cannot reach its database right now. Nothing you sent was lost; try again in a moment.",
            ),
            Self::Internal(_) => Problem::for_status(S::INTERNAL_SERVER_ERROR),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(cause) => tracing::error!(error = format!("{cause:#}"), "request failed"),
            Self::Unavailable(cause) => tracing::warn!(error = format!("{cause:#}"), "database unavailable"),
            _ => {}
        }
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).expect("problem statuses are valid");
        let mut response = problem.to_json_response(status.into_response());
        if let Self::TooManyRequests { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response.extensions_mut().insert(problem);
        response
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if store::is_unavailable(&error) { Self::Unavailable(error.into()) } else { Self::Internal(error.into()) }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(error: tower_sessions::session::Error) -> Self {
        match error {
            tower_sessions::session::Error::Store(store_error) => store_error.into(),
            other => Self::Internal(anyhow::anyhow!("session store: {other}")),
        }
    }
}

impl From<tower_sessions::session_store::Error> for AppError {
    fn from(error: tower_sessions::session_store::Error) -> Self {
        let unavailable = store::sessions::is_unavailable(&error);
        let cause = anyhow::anyhow!("session store: {error}");
        if unavailable { Self::Unavailable(cause) } else { Self::Internal(cause) }
    }
}

impl From<FormRejection> for AppError {
    fn from(rejection: FormRejection) -> Self {
        let expected = "This form is sent as application/x-www-form-urlencoded.";
        Self::from_rejection(rejection.status(), rejection.body_text(), expected)
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let expected = "This endpoint takes JSON: send the body with Content-Type: application/json.";
        let detail = rejection.body_text();
        // serde names the Rust type when no shape of an untagged enum fits: say it plainly.
        let detail = if detail.contains("untagged enum") {
            "The JSON matches none of the request shapes this endpoint takes (see /api/openapi.json).".to_owned()
        } else {
            detail
        };
        Self::from_rejection(rejection.status(), detail, expected)
    }
}

impl AppError {
    fn from_rejection(status: StatusCode, detail: String, expected_type: &'static str) -> Self {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType(expected_type),
            _ => Self::BadRequest(detail),
        }
    }
}

/// "1 second", "2 seconds", "2 minutes" ... as people say it.
fn seconds(secs: u64) -> String {
    let (amount, unit) = if secs >= 120 { (secs.div_ceil(60), "minute") } else { (secs, "second") };
    format!("{amount} {unit}{}", if amount == 1 { "" } else { "s" })
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

#[cfg(test)]
mod tests {
    use super::{Language, PROBLEM_TYPES, seconds};

    #[test]
    fn every_problem_type_has_a_title_a_detail_and_a_page_in_words() {
        for slug in PROBLEM_TYPES {
            for key in [format!("problem-{slug}"), format!("problem-{slug}-detail"), format!("problem-type-{slug}")] {
                assert!(Language::knows(&key), "{key}");
            }
        }
    }

    #[test]
    fn waits_are_said_as_people_say_them() {
        assert_eq!(seconds(1), "1 second");
        assert_eq!(seconds(2), "2 seconds");
        assert_eq!(seconds(119), "119 seconds");
        assert_eq!(seconds(120), "2 minutes");
        assert_eq!(seconds(121), "3 minutes");
    }
}
