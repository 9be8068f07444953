//! Request ids for the `x-request-id` header and the logs.

use axum::http::{HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};

/// A random UUID-shaped id from the thread's generator: ids need to be unique, not
/// secret, and tower-http's `MakeRequestUuid` asks the kernel for randomness on every
/// request, a system call on the hot path.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fast;

impl MakeRequestId for Fast {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let bits: u128 = rand::random();
        // Version 4, variant 1, as a UUID has them.
        let bits = (bits & !(0xF << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
        let id = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            bits >> 96,
            (bits >> 80) & 0xFFFF,
            (bits >> 64) & 0xFFFF,
            (bits >> 48) & 0xFFFF,
            bits & 0xFFFF_FFFF_FFFF
        );
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_version_4_uuids_and_differ() {
        let request = Request::new(());
        let first = Fast.make_request_id(&request).unwrap();
        let second = Fast.make_request_id(&request).unwrap();
        let text = first.header_value().to_str().unwrap();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4");
        assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"), "variant bits in {text}");
        assert_ne!(first.header_value(), second.header_value());
    }
}
