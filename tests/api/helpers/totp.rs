//! A second RFC 6238 implementation, written here from the RFC so the tests never compute
//! codes with the code under test (and `oathtool`, in one test, checks this one).

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The code of `base32_secret` for the 30-second step `steps` away from now, where "now"
/// is recorded at least [`MARGIN_SECS`] before its step ends: the server, checking the
/// code a moment later, is then in the same step, so a code meant to be one step away is
/// not two away at a step boundary.
pub fn code(base32_secret: &str, steps: i64) -> String {
    code_at(base32_secret, recorded_now() + steps * 30)
}

/// How long before the end of its step a code's time may be recorded.
const MARGIN_SECS: u64 = 5;

/// Now, or the start of the next step when this one ends within [`MARGIN_SECS`]. It blocks
/// the thread for those seconds: the test has nothing else to do in them.
fn recorded_now() -> i64 {
    let left = seconds_left_in_step();
    if left <= MARGIN_SECS {
        std::thread::sleep(std::time::Duration::from_secs(left));
    }
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

pub fn code_at(base32_secret: &str, unix_time: i64) -> String {
    let key = base32_decode(base32_secret);
    let counter = (unix_time / 30) as u64;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).unwrap();
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let binary = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", binary % 1_000_000)
}

/// RFC 4648 base32, no padding.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u64, 0u32, Vec::new());
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|&a| a == c.to_ascii_uppercase()).expect("base32") as u64;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// Seconds until the current 30-second step ends.
fn seconds_left_in_step() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    30 - now % 30
}

#[test]
fn the_rfc_6238_sha1_vectors_hold() {
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"
    for (time, code) in [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")] {
        assert_eq!(code_at(secret, time), code);
    }
}
