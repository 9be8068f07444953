//! What a user types at the second step: a six-digit code from their authenticator app,
//! or one of their recovery codes (`xxxxx-xxxxx`, with or without the dash, any case).
//! Spaces are ignored: apps show codes as `123 456`, and people copy them so.

/// Characters of a recovery code: lower-case letters and digits.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Characters in a recovery code, not counting its dash.
pub const RECOVERY_LEN: usize = 10;
pub const TOTP_DIGITS: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactorCode {
    /// Six digits.
    Totp(String),
    /// Ten characters of [`RECOVERY_ALPHABET`], without the dash.
    Recovery(String),
}

impl SecondFactorCode {
    /// `None` for anything that cannot be a code at all (five or seven digits, other
    /// characters): the caller answers it as a wrong code.
    pub fn parse(input: &str) -> Option<Self> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() == TOTP_DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self::Totp(compact));
        }
        let lower = compact.to_ascii_lowercase();
        let plain = match lower.split_once('-') {
            Some((head, tail)) if head.len() == RECOVERY_LEN / 2 => format!("{head}{tail}"),
            Some(_) => return None,
            None => lower,
        };
        let valid = plain.len() == RECOVERY_LEN && plain.bytes().all(|b| RECOVERY_ALPHABET.contains(&b));
        valid.then_some(Self::Recovery(plain))
    }
}

/// How a recovery code is shown: `xxxxx-xxxxx`.
pub fn show_recovery_code(plain: &str) -> String {
    let (head, tail) = plain.split_at(RECOVERY_LEN / 2);
    format!("{head}-{tail}")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn six_digits_are_an_app_code_with_or_without_spaces() {
        assert_eq!(SecondFactorCode::parse("123456"), Some(SecondFactorCode::Totp("123456".into())));
        assert_eq!(SecondFactorCode::parse(" 123 456 "), Some(SecondFactorCode::Totp("123456".into())));
    }

    #[test]
    fn recovery_codes_are_read_with_or_without_the_dash_in_any_case() {
        let expected = Some(SecondFactorCode::Recovery("abcde12345".into()));
        for input in ["abcde-12345", "ABCDE-12345", "abcde12345", "AbCdE 12345"] {
            assert_eq!(SecondFactorCode::parse(input), expected, "{input}");
        }
    }

    #[test]
    fn near_misses_are_no_code() {
        for input in ["", "12345", "1234567", "12345a", "abcd-e12345", "abcde-1234", "abcde--12345", "abcdé-12345"] {
            assert_eq!(SecondFactorCode::parse(input), None, "{input}");
        }
    }

    proptest! {
        #[test]
        fn a_shown_recovery_code_parses_back(plain in "[a-z0-9]{10}") {
            let shown = show_recovery_code(&plain);
            prop_assert_eq!(SecondFactorCode::parse(&shown), Some(SecondFactorCode::Recovery(plain.clone())));
            prop_assert_eq!(SecondFactorCode::parse(&shown.to_uppercase()), Some(SecondFactorCode::Recovery(plain)));
        }

        #[test]
        fn no_input_panics_and_a_parsed_code_has_its_shape(input in "\\PC{0,16}") {
            match SecondFactorCode::parse(&input) {
                Some(SecondFactorCode::Totp(code)) => prop_assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())),
                Some(SecondFactorCode::Recovery(code)) => prop_assert!(code.len() == 10),
                None => {}
            }
        }
    }
}
