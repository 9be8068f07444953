//! `Password::parse`: never panics, and what it accepts meets the policy it was given.
#![no_main]

use gatehouse::domain::{Password, PasswordPolicy};
use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;

fuzz_target!(|input: (u8, &str)| {
    let (min_length, text) = input;
    let policy = PasswordPolicy { min_length: usize::from(min_length % 32).max(8) };
    if let Ok(password) = Password::parse(SecretString::from(text.to_owned()), policy) {
        let length = password.expose().chars().count();
        assert!(length >= policy.min_length && length <= gatehouse::domain::password::MAX_LENGTH);
        assert_eq!(password.expose(), text, "checked exactly as typed");
        assert!(!text.chars().any(char::is_control));
    }
});
