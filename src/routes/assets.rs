//! The stylesheet, the brand mark (also the favicon) and the passkeys script, compiled into the binary so they
//! serve from any working directory.

use std::sync::{Arc, LazyLock};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::branding::{Branding, Image};

/// One file, served with a content hash as its `ETag` and a day of caching.
struct Asset {
    content_type: &'static str,
    body: &'static str,
    etag: LazyLock<String>,
}

impl Asset {
    fn serve(&self, request_headers: &HeaderMap) -> Response {
        let etag = HeaderValue::from_str(&self.etag).expect("hex is a valid header value");
        let headers = [
            (header::CONTENT_TYPE, HeaderValue::from_static(self.content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
            (header::ETAG, etag.clone()),
        ];
        if request_headers.get(header::IF_NONE_MATCH) == Some(&etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        (headers, self.body).into_response()
    }
}

/// The operator's files (see [`crate::branding`]), read at start; cached for an hour only,
/// since a new logo comes with a restart, not a new address.
fn serve_operator_file(content_type: &str, body: Vec<u8>, request_headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..16]);
    let Ok(etag) = HeaderValue::from_str(&etag) else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let Ok(content_type) = HeaderValue::from_str(content_type) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        (header::ETAG, etag.clone()),
        // An SVG opened on its own runs no script and loads nothing.
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if request_headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, body).into_response()
}

fn serve_image(image: Option<&Image>, request_headers: &HeaderMap) -> Response {
    match image {
        Some(image) => serve_operator_file(image.content_type, image.bytes.clone(), request_headers),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `[branding] logo`.
pub async fn brand_logo(State(brand): State<Arc<Branding>>, request_headers: HeaderMap) -> Response {
    serve_image(brand.logo(), &request_headers)
}

/// `[branding] favicon`.
pub async fn brand_favicon(State(brand): State<Arc<Branding>>, request_headers: HeaderMap) -> Response {
    serve_image(brand.favicon(), &request_headers)
}

/// `[branding] accent_color` and `stylesheet`, after the built-in stylesheet.
pub async fn brand_stylesheet(State(brand): State<Arc<Branding>>, request_headers: HeaderMap) -> Response {
    match brand.extra_stylesheet() {
        Some(css) => serve_operator_file("text/css; charset=utf-8", css.into_bytes(), &request_headers),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn etag_of(body: &str) -> String {
    format!("\"{}\"", &hex::encode(Sha256::digest(body))[..16])
}

static STYLE: Asset = Asset {
    content_type: "text/css; charset=utf-8",
    body: include_str!("../../assets/style.css"),
    etag: LazyLock::new(|| etag_of(STYLE.body)),
};

static MARK: Asset = Asset {
    content_type: "image/svg+xml",
    body: include_str!("../../assets/mark.svg"),
    etag: LazyLock::new(|| etag_of(MARK.body)),
};

static PASSKEYS: Asset = Asset {
    content_type: "text/javascript; charset=utf-8",
    body: include_str!("../../assets/passkeys.js"),
    etag: LazyLock::new(|| etag_of(PASSKEYS.body)),
};

static KEEP: Asset = Asset {
    content_type: "text/javascript; charset=utf-8",
    body: include_str!("../../assets/keep.js"),
    etag: LazyLock::new(|| etag_of(KEEP.body)),
};

/// The passkey ceremonies on the login, second-step and passkeys pages.
pub async fn passkeys_script(request_headers: HeaderMap) -> Response {
    PASSKEYS.serve(&request_headers)
}

/// Copy and Print beside a secret shown once.
pub async fn keep_script(request_headers: HeaderMap) -> Response {
    KEEP.serve(&request_headers)
}

pub async fn stylesheet(request_headers: HeaderMap) -> Response {
    STYLE.serve(&request_headers)
}

/// The brand mark.
pub async fn mark(request_headers: HeaderMap) -> Response {
    MARK.serve(&request_headers)
}

/// `/favicon.ico`, which browsers ask for on their own: the operator's favicon, else the mark.
pub async fn favicon(State(brand): State<Arc<Branding>>, request_headers: HeaderMap) -> Response {
    match brand.favicon() {
        Some(image) => serve_image(Some(image), &request_headers),
        None => MARK.serve(&request_headers),
    }
}
