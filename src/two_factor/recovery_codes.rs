//! Recovery codes: ten single-use codes for when the phone is lost. Each is about 52 bits
//! from the OS random source; the database keeps only a keyed hash, so a copy of it
//! holds no usable code.

use crate::domain::{RECOVERY_ALPHABET, RECOVERY_LEN, show_recovery_code};
use crate::security::signing::SigningKey;

pub const PER_SET: usize = 10;

/// A fresh set: each code in its plain form (no dash).
pub fn generate() -> Vec<String> {
    (0..PER_SET).map(|_| one()).collect()
}

fn one() -> String {
    let mut code = String::with_capacity(RECOVERY_LEN);
    while code.len() < RECOVERY_LEN {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte).expect("the operating system's random source failed");
        // 252 is the largest multiple of 36 below 256: rejecting the rest keeps every
        // character equally likely.
        if byte[0] < 252 {
            code.push(RECOVERY_ALPHABET[byte[0] as usize % RECOVERY_ALPHABET.len()] as char);
        }
    }
    code
}

/// How the codes are shown to the user: `xxxxx-xxxxx`.
pub fn shown(codes: &[String]) -> Vec<String> {
    codes.iter().map(|code| show_recovery_code(code)).collect()
}

/// The stored form of a plain code, bound to its account.
pub fn hash(key: &SigningKey, user_id: i64, plain: &str) -> String {
    key.sign("recovery-code", &format!("{user_id}:{plain}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SecondFactorCode;

    #[test]
    fn a_set_is_ten_distinct_codes_of_the_documented_shape() {
        let codes = generate();
        assert_eq!(codes.len(), PER_SET);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), PER_SET);
        for code in shown(&codes) {
            assert_eq!(code.len(), 11);
            assert_eq!(&code[5..6], "-");
            assert!(matches!(SecondFactorCode::parse(&code), Some(SecondFactorCode::Recovery(_))));
        }
    }

    #[test]
    fn the_hash_is_bound_to_the_account() {
        let key = SigningKey::new(b"0123456789abcdef0123456789abcdef");
        assert_eq!(hash(&key, 1, "abcde12345"), hash(&key, 1, "abcde12345"));
        assert_ne!(hash(&key, 1, "abcde12345"), hash(&key, 2, "abcde12345"));
    }
}
