//! The code of "email me a code": eight characters from an alphabet without look-alikes
//! (no 0/O, 1/I/L), shown as `ABCD-EFGH`, typed in any case with or without the dash.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ_";
/// 31 symbols are used (the last is a placeholder so that a byte maps without bias when
/// reduced modulo 32; a draw landing on it is skipped).
const SYMBOLS: usize = 31;
pub const LEN: usize = 8;

#[derive(Clone, PartialEq, Eq)]
pub struct LoginCode([u8; LEN]);

impl LoginCode {
    /// The code for `seed` (a secret-keyed MAC of a row's salt): the same seed always
    /// gives the same code, so it need not be stored.
    pub fn derive(seed: &[u8]) -> Self {
        let mut code = [0u8; LEN];
        let mut filled = 0;
        let mut block = Sha256::digest(seed);
        while filled < LEN {
            for byte in block {
                let symbol = usize::from(byte) % 32;
                if symbol < SYMBOLS && filled < LEN {
                    code[filled] = ALPHABET[symbol];
                    filled += 1;
                }
            }
            block = Sha256::digest(block);
        }
        Self(code)
    }

    /// What a person typed: spaces and dashes dropped, lower case raised. `None` for
    /// anything that cannot be a code.
    pub fn parse(typed: &str) -> Option<Self> {
        let mut code = [0u8; LEN];
        let mut len = 0;
        for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = u8::try_from(c.to_ascii_uppercase()).ok()?;
            if len == LEN || !ALPHABET[..SYMBOLS].contains(&c) {
                return None;
            }
            code[len] = c;
            len += 1;
        }
        (len == LEN).then_some(Self(code))
    }

    /// Compares in constant time.
    pub fn matches(&self, other: &Self) -> bool {
        bool::from(self.0.ct_eq(&other.0))
    }
}

impl fmt::Display for LoginCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = std::str::from_utf8(&self.0).map_err(|_| fmt::Error)?;
        write!(f, "{}-{}", &text[..4], &text[4..])
    }
}

/// Never printed by accident: it is a sign-in.
impl fmt::Debug for LoginCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoginCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = LoginCode::derive(b"seed");
        let shown = code.to_string();
        assert_eq!(shown.len(), LEN + 1);
        for typed in
            [shown.clone(), shown.to_lowercase(), shown.replace('-', " "), format!(" {} ", shown.replace('-', ""))]
        {
            assert!(LoginCode::parse(&typed).is_some_and(|parsed| parsed.matches(&code)), "{typed}");
        }
    }

    #[test]
    fn what_cannot_be_a_code_is_refused() {
        for typed in ["", "ABCD-EFG", "ABCD-EFGHJ", "ABCD-EFG0", "ABCD-EFGI", "ABCD_EFGH", "ÄBCD-EFGH"] {
            assert!(LoginCode::parse(typed).is_none(), "{typed}");
        }
    }

    proptest! {
        #[test]
        fn every_derived_code_parses_to_itself(seed in proptest::collection::vec(any::<u8>(), 0..64)) {
            let code = LoginCode::derive(&seed);
            prop_assert!(LoginCode::parse(&code.to_string()).is_some_and(|parsed| parsed.matches(&code)));
        }

        #[test]
        fn parsing_never_panics(typed in "\\PC{0,20}") {
            let _ = LoginCode::parse(&typed);
        }
    }
}
