//! The stylesheet, compiled into the binary so it serves from any working directory.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const STYLE: &str = include_str!("../../assets/style.css");

static STYLE_ETAG: LazyLock<String> = LazyLock::new(|| format!("\"{}\"", &hex::encode(Sha256::digest(STYLE))[..16]));

pub async fn stylesheet(request_headers: HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&STYLE_ETAG).expect("hex is a valid header value");
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        (header::ETAG, etag.clone()),
    ];
    if request_headers.get(header::IF_NONE_MATCH) == Some(&etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, STYLE).into_response()
}
