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
        HeaderValue::from_bytes(&uuid_text(bits)).ok().map(RequestId::new)
    }
}

/// `8-4-4-4-12` lower-case hex digits, written by hand: with `format!` the request id
/// was about 2 % of `/api/me` in perf.
fn uuid_text(bits: u128) -> [u8; 36] {
    let mut digits = [0u8; 32];
    hex::encode_to_slice(bits.to_be_bytes(), &mut digits).expect("16 bytes are 32 hex digits");
    let mut text = [b'-'; 36];
    for (group, start) in [(0..8, 0), (8..12, 9), (12..16, 14), (16..20, 19), (20..32, 24)] {
        text[start..start + group.len()].copy_from_slice(&digits[group]);
    }
    text
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

    #[test]
    fn the_text_is_the_hex_of_the_bits_in_uuid_groups() {
        let bits = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210_u128;
        assert_eq!(&uuid_text(bits), b"01234567-89ab-cdef-fedc-ba9876543210");
    }
}
