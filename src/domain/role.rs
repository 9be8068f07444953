//! Role names: what an account is allowed beyond signing in.

use std::fmt;

/// A role's name: 1 to 32 of `a-z`, `0-9`, `_` and `-`, so it can stand in a header
/// (`Remote-Groups`), a token claim and a URL without escaping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Role(String);

const MAX_ROLE_LEN: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("A role name is 1 to 32 characters: a-z, 0-9, _ and -.")]
pub struct RoleError;

impl Role {
    /// The built-in role that opens the admin area.
    pub const ADMIN: &'static str = "admin";

    pub fn parse(name: &str) -> Result<Self, RoleError> {
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
        if name.is_empty() || name.len() > MAX_ROLE_LEN || !name.chars().all(allowed) {
            return Err(RoleError);
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_admin(&self) -> bool {
        self.0 == Self::ADMIN
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_of_the_allowed_characters_parse() {
        for name in ["admin", "a", "ops_team", "read-only", "x2", &"r".repeat(32)] {
            assert_eq!(Role::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn other_names_are_refused() {
        for name in ["", "Admin", "ops team", "a.b", "rôle", "a,b", "<script>", &"r".repeat(33)] {
            assert_eq!(Role::parse(name), Err(RoleError), "{name:?}");
        }
    }

    proptest! {
        #[test]
        fn a_parsed_role_is_always_safe_in_a_header(name in "\\PC{0,40}") {
            if let Ok(role) = Role::parse(&name) {
                prop_assert!((1..=MAX_ROLE_LEN).contains(&role.as_str().len()));
                prop_assert!(role.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'));
            }
        }

        #[test]
        fn every_name_of_allowed_characters_parses(name in "[a-z0-9_-]{1,32}") {
            let role = Role::parse(&name).unwrap();
            prop_assert_eq!(role.as_str(), name.as_str());
        }
    }
}
