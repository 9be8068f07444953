//! `Authorization::parse`: any header bytes are parsed or refused, never a panic.
#![no_main]

use gatehouse::domain::Authorization;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|header: &[u8]| {
    if let Ok(Authorization::AccessToken(jwt)) = Authorization::parse(header) {
        assert!(!jwt.starts_with(gatehouse::domain::API_TOKEN_PREFIX));
    }
});
