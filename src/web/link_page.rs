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
    SignInAlert,
}

/// Why a link was refused, shown on a `400` page with a way to get a new link.
#[derive(Template, WebTemplate)]
#[template(path = "token_error.html")]
struct TokenErrorPage {
    page: Page,
    title: String,
    message: String,
    /// Where the form for a new link posts, and what its button says.
    retry_action: &'static str,
    retry_label: String,
}

/// The page for a link that was not [`Lookup::Valid`].
pub fn refused(page: Page, lookup: &Lookup, kind: LinkKind) -> Response {
    let lang = page.lang;
    let (hours, retry_action, retry_label) = match kind {
        LinkKind::Verification => (24, "/resend-verification", lang.t("check-email-resend")),
        LinkKind::PasswordReset => (1, "/forgot-password", lang.t("link-new-reset-link")),
        LinkKind::EmailChange => (24, "", String::new()),
        LinkKind::SignInAlert => (7 * 24, "/forgot-password", lang.t("link-new-reset-link")),
    };
    let (title, message) = match lookup {
        Lookup::Expired => (lang.t("link-expired"), lang.count("link-valid-for", "hours", hours)),
        Lookup::Used { .. } => (lang.t("link-used"), lang.t("link-works-once")),
        Lookup::Unknown | Lookup::Valid(_) => (lang.t("link-invalid"), lang.t("link-invalid-why")),
    };
    let body = TokenErrorPage { page, title, message, retry_action, retry_label };
    (StatusCode::BAD_REQUEST, TOKEN_PAGE_HEADERS, body).into_response()
}

/// A page shown for a valid link: with the link's headers.
pub fn showing_link(page: impl IntoResponse) -> Response {
    (TOKEN_PAGE_HEADERS, page).into_response()
}
