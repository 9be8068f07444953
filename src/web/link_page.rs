//! The pages behind emailed links (verify, reset, change email): how a link that cannot
//! be used is explained, and the headers every such page carries.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Page;
use crate::store::tokens::Lookup;

/// For pages whose URL holds a token: never sent on as a referrer, never cached.
pub const TOKEN_PAGE_HEADERS: [(HeaderName, &str); 2] =
    [(header::REFERRER_POLICY, "no-referrer"), (header::CACHE_CONTROL, "no-store")];

/// `?token=` on a link, or the hidden field of the form behind it.
#[derive(Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    pub token: String,
}

/// The kinds of emailed link, for the refusal page.
#[derive(Debug, Clone, Copy)]
pub enum LinkKind {
    Verification,
    PasswordReset,
    EmailChange,
}

/// Why a link was refused, shown on a `400` page with a way to get a new link.
#[derive(Template, WebTemplate)]
#[template(path = "token_error.html")]
struct TokenErrorPage {
    page: Page,
    title: &'static str,
    message: String,
    /// Where the form for a new link posts, and what its button says.
    retry_action: &'static str,
    retry_label: &'static str,
}

/// The page for a link that was not [`Lookup::Valid`].
pub fn refused(page: Page, lookup: &Lookup, kind: LinkKind) -> Response {
    let (validity, retry_action, retry_label) = match kind {
        LinkKind::Verification => ("24 hours", "/resend-verification", "Send a new link"),
        LinkKind::PasswordReset => ("one hour", "/forgot-password", "Send a new reset link"),
        LinkKind::EmailChange => ("24 hours", "", ""),
    };
    let (title, message) = match lookup {
        Lookup::Expired => ("This link has expired", format!("Links like this one are valid for {validity}.")),
        Lookup::Used { .. } => ("This link has already been used", "Each link works once.".to_owned()),
        Lookup::Unknown | Lookup::Valid(_) => (
            "This link is not valid",
            "It may have been cut short when it was copied, or replaced by a newer link.".to_owned(),
        ),
    };
    let body = TokenErrorPage { page, title, message, retry_action, retry_label };
    (StatusCode::BAD_REQUEST, TOKEN_PAGE_HEADERS, body).into_response()
}

/// A page shown for a valid link: with the link's headers.
pub fn showing_link(page: impl IntoResponse) -> Response {
    (TOKEN_PAGE_HEADERS, page).into_response()
}
