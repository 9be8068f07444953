//! Request ids for the `x-request-id` header and the logs: random (version 4) UUIDs.

use axum::http::{HeaderName, HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};
use uuid::Uuid;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// An id a trusted proxy passed on is kept if it is at most 128 visible ASCII characters;
/// anything else (or any id from elsewhere) is replaced, so no client can flood the logs.
pub fn acceptable(id: &HeaderValue) -> bool {
    let id = id.as_bytes();
    !id.is_empty() && id.len() <= 128 && id.iter().all(|byte| byte.is_ascii_graphic())
}

/// A UUID from the thread's generator (`uuid`'s `fast-rng`): ids need to be unique, not
/// secret, and tower-http's `MakeRequestUuid` asks the kernel for randomness on every
/// request, a system call on the hot path. Written into a stack buffer, not a `String`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fast;

impl MakeRequestId for Fast {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let id = Uuid::new_v4().hyphenated().encode_lower(&mut text);
        HeaderValue::from_str(id).ok().map(RequestId::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_uuids_and_differ() {
        let request = Request::new(());
        let first = Fast.make_request_id(&request).unwrap();
        let second = Fast.make_request_id(&request).unwrap();
        let text = first.header_value().to_str().unwrap();
        let parsed = Uuid::parse_str(text).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(parsed.hyphenated().to_string(), text, "lower-case and hyphenated");
        assert_ne!(first.header_value(), second.header_value());
    }

    #[test]
    fn only_short_visible_ids_are_acceptable() {
        assert!(acceptable(&HeaderValue::from_static("abc-123_XYZ")));
        assert!(acceptable(&HeaderValue::from_str(&"a".repeat(128)).unwrap()));
        assert!(!acceptable(&HeaderValue::from_str(&"a".repeat(129)).unwrap()));
        assert!(!acceptable(&HeaderValue::from_static("two words")));
        assert!(!acceptable(&HeaderValue::from_static("")));
    }
}
