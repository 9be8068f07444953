//! `OriginalRequest::from_headers` (forward auth's description of the request a proxy
//! asks about): never panics; whatever it accepts, its canonical address reads back as
//! the same host and path, so the gate and the return after sign-in agree.
#![no_main]

use gatehouse::forward_auth::OriginalRequest;
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] =
    ["x-original-url", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-uri", "x-forwarded-method"];

fuzz_target!(|input: &[u8]| {
    // The input is up to five header values, one a name, split at a 0x00 byte; a value
    // that starts with 0x01 is given twice.
    let mut headers = HeaderMap::new();
    for (name, value) in NAMES.iter().zip(input.split(|byte| *byte == 0)) {
        let (twice, value) = match value.split_first() {
            Some((1, rest)) => (true, rest),
            _ => (false, value),
        };
        if value.is_empty() {
            continue;
        }
        let Ok(value) = HeaderValue::from_bytes(value) else { return };
        if twice {
            headers.append(*name, value.clone());
        }
        headers.append(*name, value);
    }
    let Ok(asked) = OriginalRequest::from_headers(&headers) else { return };
    let url = asked.url().expect("a canonical address is a URL");
    assert_eq!(url.as_str(), asked.address(), "spelled as the URL parser spells it");
    let again = OriginalRequest::from_url(asked.address()).expect("a canonical address parses");
    assert_eq!((again.host(), again.path()), (asked.host(), asked.path()));
    assert!(asked.path().starts_with('/') && !asked.path().contains("//"));
    assert!(!asked.path().split('/').any(|segment| segment == "." || segment == ".."));
});
