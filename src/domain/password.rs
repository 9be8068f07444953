use secrecy::{ExposeSecret, SecretString};

/// A new password that passed the sign-up rules. It is only ever exposed to the hasher.
pub struct Password(SecretString);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Use at least {0} characters.")]
    TooShort(usize),
    #[error("Use at most {MAX_LENGTH} characters.")]
    TooLong,
    #[error("This password is one of the most common ones. Choose one that is harder to guess.")]
    Common,
    #[error("Passwords can't contain control characters.")]
    ControlCharacter,
}

/// The longest password accepted, in Unicode code points.
pub const MAX_LENGTH: usize = 128;
/// NIST SP 800-63B-4 never allows fewer than 8 characters.
pub const LOWEST_MIN_LENGTH: usize = 8;

/// The sign-up rules, as configured by `PASSWORD_MIN_LENGTH`.
#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    pub min_length: usize,
}

/// NIST SP 800-63B-4 asks 15 characters of a password that is the only factor.
pub const RECOMMENDED_MIN_LENGTH: usize = 15;

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_length: RECOMMENDED_MIN_LENGTH }
    }
}

impl Password {
    /// Checks the password exactly as typed: no trimming, no truncation, length in code points.
    pub fn parse(input: SecretString, policy: PasswordPolicy) -> Result<Self, PasswordError> {
        let candidate = input.expose_secret();
        let length = candidate.chars().count();
        if length < policy.min_length {
            return Err(PasswordError::TooShort(policy.min_length));
        }
        if length > MAX_LENGTH {
            return Err(PasswordError::TooLong);
        }
        // U+FFFD stands for bytes that were not UTF-8: nobody can type that password again.
        if candidate.chars().any(|c| c.is_control() || c == char::REPLACEMENT_CHARACTER) {
            return Err(PasswordError::ControlCharacter);
        }
        if is_common(candidate) {
            return Err(PasswordError::Common);
        }
        Ok(Self(input))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// Looks the password up in a list of about 100,000 leaked passwords, ignoring case.
fn is_common(candidate: &str) -> bool {
    passwords::analyzer::is_common_password(candidate)
        || passwords::analyzer::is_common_password(candidate.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(input: &str, min_length: usize) -> Result<Password, PasswordError> {
        Password::parse(SecretString::from(input), PasswordPolicy { min_length })
    }

    #[test]
    fn length_is_counted_in_code_points() {
        // 15 code points, 45 bytes.
        assert!(parse("ありがとうございます日本語です", 15).is_ok());
        assert_eq!(parse("ありがとうございます日本語で", 15).err(), Some(PasswordError::TooShort(15)));
    }

    #[test]
    fn passwords_are_not_trimmed() {
        let spaced = "  correct horse  ";
        assert_eq!(parse(spaced, 17).unwrap().expose(), spaced);
        assert_eq!(parse(spaced.trim(), 17).err(), Some(PasswordError::TooShort(17)));
    }

    #[test]
    fn the_upper_limit_is_128_and_nothing_is_truncated() {
        assert!(parse(&"x7!".repeat(42), 8).is_ok()); // 126
        assert!(parse(&"ab9Q".repeat(32), 8).is_ok()); // 128
        assert_eq!(parse(&"ab9Q".repeat(32).add_one(), 8).err(), Some(PasswordError::TooLong));
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(parse("password", 8).err(), Some(PasswordError::Common));
        assert_eq!(parse("PASSWORD", 8).err(), Some(PasswordError::Common));
        assert_eq!(parse("iloveyou", 8).err(), Some(PasswordError::Common));
        assert_eq!(parse("1234567890", 8).err(), Some(PasswordError::Common));
    }

    #[test]
    fn control_characters_and_broken_encodings_are_refused() {
        assert_eq!(parse("correct\0horse battery", 8).err(), Some(PasswordError::ControlCharacter));
        assert_eq!(parse("correct\u{FFFD}horse battery", 8).err(), Some(PasswordError::ControlCharacter));
    }

    trait AddOne {
        fn add_one(self) -> String;
    }
    impl AddOne for String {
        fn add_one(mut self) -> String {
            self.push('z');
            self
        }
    }

    proptest! {
        #[test]
        fn accepted_passwords_respect_the_bounds(input in "\\PC{0,140}", min_length in 8usize..=64) {
            if let Ok(password) = parse(&input, min_length) {
                let length = password.expose().chars().count();
                prop_assert!(length >= min_length && length <= MAX_LENGTH);
                prop_assert_eq!(password.expose(), input.as_str());
            }
        }
    }
}
