use std::fmt;

/// An email address, trimmed and lower-cased once so that uniqueness is case-insensitive.
///
/// Only plain ASCII addresses of the `local@domain` form are accepted: they are what
/// every SMTP relay delivers, and refusing the rest keeps header injection impossible.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter your email address.")]
    Empty,
    #[error("That email address is too long.")]
    TooLong,
    #[error("Enter an email address like name@example.com.")]
    Invalid,
}

const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let normalized = trimmed.to_ascii_lowercase();
        let (local, domain) = normalized.rsplit_once('@').ok_or(EmailError::Invalid)?;
        if valid_local_part(local) && valid_domain(domain) { Ok(Self(normalized)) } else { Err(EmailError::Invalid) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`, lower case like the rest.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// Shows only enough of the address to tell accounts apart in logs.
    pub fn redacted(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or(("", &self.0));
        let first = local.chars().next().unwrap_or('*');
        format!("{first}***@{domain}")
    }
}

/// RFC 5322 dot-atom: no quoted strings, no leading, trailing or double dots.
fn valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(|c| c.is_ascii_alphanumeric() || SPECIALS.contains(c)))
}

/// A host name with at least one dot (or `localhost`), made of LDH labels.
fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    (labels.len() >= 2 || domain == "localhost")
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Debug output never shows the whole address, so it can not leak into logs by accident.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let email = Email::parse("  Alice.Smith+news@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "alice.smith+news@example.com");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "plainaddress",
            "@example.com",
            "alice@",
            "alice@@example.com",
            "al ice@example.com",
            "alice@example",
            "alice@-example.com",
            "alice@example..com",
            ".alice@example.com",
            "alice.@example.com",
            "al..ice@example.com",
            "alice@exa_mple.com",
            "alice@1.2.3.4",
            "alice\r\nBcc: x@example.com@example.com",
            "alice\0@example.com",
            "élise@example.com",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad:?}");
        }
    }

    #[test]
    fn empty_and_overlong_addresses_say_why() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(Email::parse(&long_local), Err(EmailError::Invalid));
    }

    #[test]
    fn localhost_is_a_valid_domain() {
        assert!(Email::parse("root@localhost").is_ok());
    }

    #[test]
    fn debug_output_hides_the_address() {
        let email = Email::parse("alice@example.com").unwrap();
        assert_eq!(format!("{email:?}"), "Email(a***@example.com)");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in ".{0,300}") {
            let _ = Email::parse(&input);
        }

        #[test]
        fn parsed_addresses_are_normalised_and_reparse_to_themselves(input in ".{0,300}") {
            if let Ok(email) = Email::parse(&input) {
                prop_assert_eq!(email.as_str(), email.as_str().trim().to_ascii_lowercase());
                prop_assert!(!email.as_str().chars().any(|c| c.is_control() || c.is_whitespace()));
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
        }

        #[test]
        fn case_does_not_make_a_different_address(local in "[a-zA-Z0-9]{1,20}", domain in "[a-zA-Z]{1,20}\\.[a-zA-Z]{2,6}") {
            let upper = Email::parse(&format!("{}@{}", local.to_uppercase(), domain.to_uppercase())).unwrap();
            let lower = Email::parse(&format!("{}@{}", local.to_lowercase(), domain.to_lowercase())).unwrap();
            prop_assert_eq!(upper, lower);
        }
    }
}
