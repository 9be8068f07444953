//! The stylesheet, the brand mark (also the favicon) and the passkeys script, compiled into the binary so they
//! serve from any working directory.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

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

/// The brand mark; also answers `/favicon.ico`, which browsers ask for on their own.
pub async fn mark(request_headers: HeaderMap) -> Response {
    MARK.serve(&request_headers)
}
