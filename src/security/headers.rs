//! Headers every response carries, so no page can be framed, sniffed or made to run script.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Pages set a stricter `Referrer-Policy` themselves when their URL holds a token.
pub fn apply<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let router = router
        .layer(default(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(default(header::X_FRAME_OPTIONS, "DENY"))
        .layer(default(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(default(header::REFERRER_POLICY, "same-origin"))
        .layer(default(HeaderName::from_static("cross-origin-opener-policy"), "same-origin"));
    if https {
        router.layer(default(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"))
    } else {
        router
    }
}

fn default(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
