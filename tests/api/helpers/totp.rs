//! A second RFC 6238 implementation, written here from the RFC so the tests never compute
//! codes with the code under test (and `oathtool`, in one test, checks this one).

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The code of `base32_secret` for the 30-second step `steps` away from now.
pub fn code(base32_secret: &str, steps: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    code_at(base32_secret, now + steps * 30)
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
pub fn seconds_left_in_step() -> u64 {
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
