//! Who may make an account here: everyone (`open`, perhaps only at some address domains),
//! people an admin invited (`invite`), or only those the operator creates (`closed`).
//! Invitations and the operator's commands are not sign-up: they work in every mode.

use super::Email;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SignupMode {
    #[default]
    Open,
    Invite,
    Closed,
}

/// The sign-up rules of this server, from `SIGNUP` and `SIGNUP_ALLOWED_DOMAINS`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignupPolicy {
    pub mode: SignupMode,
    /// Lower-case domains; empty admits every domain.
    pub allowed_domains: Vec<String>,
}

/// Why an address may not sign up. None of these depends on whether it has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupRefusal {
    ByInvitationOnly,
    Closed,
    DomainNotAllowed,
}

impl SignupPolicy {
    /// Whether `email` may make an account by itself (the form, a sign-in provider).
    /// A domain must match exactly: `example.com` does not admit `mail.example.com`.
    pub fn admits(&self, email: &Email) -> Result<(), SignupRefusal> {
        match self.mode {
            SignupMode::Invite => Err(SignupRefusal::ByInvitationOnly),
            SignupMode::Closed => Err(SignupRefusal::Closed),
            SignupMode::Open if self.allowed_domains.is_empty() => Ok(()),
            SignupMode::Open if self.allowed_domains.iter().any(|domain| domain == email.domain()) => Ok(()),
            SignupMode::Open => Err(SignupRefusal::DomainNotAllowed),
        }
    }
}

/// One entry of `SIGNUP_ALLOWED_DOMAINS`: a domain name, lower-cased; a leading `@` is
/// forgiven, a wildcard or anything an address could not end in is refused.
pub fn parse_allowed_domain(value: &str) -> Result<String, String> {
    let domain = value.trim().trim_start_matches('@').to_ascii_lowercase();
    let probe = format!("a@{domain}");
    match Email::parse(&probe) {
        Ok(email) if email.domain() == domain => Ok(domain),
        _ => Err(format!("SIGNUP_ALLOWED_DOMAINS entry {value:?} must be a domain like example.com")),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn open_to(domains: &[&str]) -> SignupPolicy {
        SignupPolicy { mode: SignupMode::Open, allowed_domains: domains.iter().map(|d| d.to_string()).collect() }
    }

    fn email(text: &str) -> Email {
        Email::parse(text).unwrap()
    }

    #[test]
    fn open_sign_up_admits_any_address_without_a_list() {
        assert_eq!(open_to(&[]).admits(&email("a@anywhere.org")), Ok(()));
    }

    #[test]
    fn a_domain_list_admits_exactly_its_domains() {
        let policy = open_to(&["example.com"]);
        assert_eq!(policy.admits(&email("A@Example.COM")), Ok(()));
        assert_eq!(policy.admits(&email("a@mail.example.com")), Err(SignupRefusal::DomainNotAllowed));
        assert_eq!(policy.admits(&email("a@example.com.evil.org")), Err(SignupRefusal::DomainNotAllowed));
        assert_eq!(policy.admits(&email("a@notexample.com")), Err(SignupRefusal::DomainNotAllowed));
    }

    #[test]
    fn invite_and_closed_admit_nobody() {
        for (mode, refusal) in
            [(SignupMode::Invite, SignupRefusal::ByInvitationOnly), (SignupMode::Closed, SignupRefusal::Closed)]
        {
            let policy = SignupPolicy { mode, allowed_domains: vec!["example.com".into()] };
            assert_eq!(policy.admits(&email("a@example.com")), Err(refusal));
        }
    }

    #[test]
    fn allowed_domains_are_parsed_to_lower_case() {
        assert_eq!(parse_allowed_domain(" @Example.COM "), Ok("example.com".into()));
        for wrong in ["", "*.example.com", "exa mple.com", "a@b.com", "example..com", "-x.com/"] {
            assert!(parse_allowed_domain(wrong).is_err(), "{wrong:?}");
        }
    }

    proptest! {
        /// With a list, an address is admitted exactly when its domain is on it.
        #[test]
        fn admitted_exactly_when_the_domain_is_listed(
            local in "[a-z0-9]{1,10}",
            domain in "[a-z]{1,8}\\.[a-z]{2,4}",
            listed in proptest::collection::vec("[a-z]{1,8}\\.[a-z]{2,4}", 0..4),
        ) {
            let policy = SignupPolicy { mode: SignupMode::Open, allowed_domains: listed.clone() };
            let admitted = policy.admits(&email(&format!("{local}@{domain}"))).is_ok();
            prop_assert_eq!(admitted, listed.is_empty() || listed.contains(&domain));
        }
    }
}
