//! What a person tells apps about themselves: a display name (the `name` claim) and an
//! optional username (`preferred_username`), unique among accounts.

use std::fmt;

/// A name as the person writes it: trimmed, 1 to 100 characters, one line, no control
/// characters (it is shown on pages and put in tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

/// A username: 2 to 32 of `a-z 0-9 . _ -`, starting with a letter or digit, kept in lower
/// case so that `Ada` and `ada` are the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("Enter a name of 100 characters or fewer, on one line.")]
    BadName,
    #[error("Use 2 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.")]
    BadUsername,
}

const NAME_MAX_CHARS: usize = 100;
const USERNAME_LEN: std::ops::RangeInclusive<usize> = 2..=32;

impl DisplayName {
    /// `None` for an empty field: the name is optional.
    pub fn parse(input: &str) -> Result<Option<Self>, ProfileError> {
        let name = input.trim();
        if name.is_empty() {
            return Ok(None);
        }
        if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
            return Err(ProfileError::BadName);
        }
        Ok(Some(Self(name.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Username {
    /// `None` for an empty field: the username is optional.
    pub fn parse(input: &str) -> Result<Option<Self>, ProfileError> {
        let name = input.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Ok(None);
        }
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b);
        let starts_well = name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
        if !USERNAME_LEN.contains(&name.len()) || !starts_well || !name.bytes().all(allowed) {
            return Err(ProfileError::BadUsername);
        }
        Ok(Some(Self(name)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn examples() {
        assert_eq!(Username::parse(" Ada.L ").unwrap().unwrap().as_str(), "ada.l");
        assert_eq!(Username::parse("").unwrap(), None);
        assert!(Username::parse("-ada").is_err() && Username::parse("a").is_err() && Username::parse("ad a").is_err());
        assert!(Username::parse("ädä").is_err());
        assert_eq!(DisplayName::parse("  Ada Lovelace ").unwrap().unwrap().as_str(), "Ada Lovelace");
        assert_eq!(DisplayName::parse(" \t").unwrap(), None);
        assert!(DisplayName::parse("Ada\nLovelace").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
    }

    proptest! {
        #[test]
        fn a_parsed_username_is_canonical_and_parses_to_itself(input in "\\PC{0,40}") {
            if let Ok(Some(name)) = Username::parse(&input) {
                prop_assert!(USERNAME_LEN.contains(&name.as_str().len()));
                prop_assert!(name.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)));
                prop_assert_eq!(Username::parse(name.as_str()), Ok(Some(name.clone())));
                prop_assert_eq!(Username::parse(&name.as_str().to_uppercase()), Ok(Some(name)));
            }
        }

        #[test]
        fn a_parsed_name_is_trimmed_one_line_and_parses_to_itself(input in "\\PC{0,120}|.{0,20}\\n.{0,20}") {
            if let Ok(Some(name)) = DisplayName::parse(&input) {
                prop_assert_eq!(name.as_str().trim(), name.as_str());
                prop_assert!(!name.as_str().chars().any(char::is_control));
                prop_assert!(name.as_str().chars().count() <= NAME_MAX_CHARS);
                prop_assert_eq!(DisplayName::parse(name.as_str()), Ok(Some(name)));
            }
        }
    }
}
