//! Which factors a sign-in passed, as the `amr` values of RFC 8176: the session, the access
//! token and (later) forward auth and OpenID Connect all read them from here.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Factor {
    /// A password.
    Pwd,
    /// A one-time code: from an authenticator app, or a recovery code.
    Otp,
    /// Proof of a hardware-secured key: a passkey.
    Hwk,
    /// The user was verified on their device (a PIN, a fingerprint) to use the passkey.
    User,
    /// Another OpenID Connect provider vouched for the user ("fed" is not in RFC 8176's
    /// registry, which lets values outside it be used).
    Fed,
    /// A single-use code or link mailed to the account's address ("email" is not in the
    /// registry either).
    Email,
}

impl Factor {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pwd => "pwd",
            Self::Otp => "otp",
            Self::Hwk => "hwk",
            Self::User => "user",
            Self::Fed => "fed",
            Self::Email => "email",
        }
    }

    fn parse(word: &str) -> Option<Self> {
        [Self::Pwd, Self::Otp, Self::Hwk, Self::User, Self::Fed, Self::Email]
            .into_iter()
            .find(|factor| factor.as_str() == word)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Amr(Vec<Factor>);

impl Amr {
    pub fn password() -> Self {
        Self(vec![Factor::Pwd])
    }

    pub fn password_and_code() -> Self {
        Self(vec![Factor::Pwd, Factor::Otp])
    }

    /// A passkey alone: it is something the user has, unlocked by something they are or
    /// know (user verification is required), so it counts as two factors.
    pub fn passkey() -> Self {
        Self(vec![Factor::Hwk, Factor::User])
    }

    /// A password, then a passkey as the second step.
    pub fn password_and_passkey() -> Self {
        Self(vec![Factor::Pwd, Factor::Hwk])
    }

    /// Another provider signed the user in.
    pub fn federated() -> Self {
        Self(vec![Factor::Fed])
    }

    /// Another provider, then a code from this site's two-step login.
    pub fn federated_and_code() -> Self {
        Self(vec![Factor::Fed, Factor::Otp])
    }

    /// Another provider, then a passkey as this site's second step.
    pub fn federated_and_passkey() -> Self {
        Self(vec![Factor::Fed, Factor::Hwk])
    }

    /// A code or link mailed to the address: one factor, like a password.
    pub fn email() -> Self {
        Self(vec![Factor::Email])
    }

    /// A code mailed to the address, then a code from this site's two-step login.
    pub fn email_and_code() -> Self {
        Self(vec![Factor::Email, Factor::Otp])
    }

    /// A code mailed to the address, then a passkey as the second step.
    pub fn email_and_passkey() -> Self {
        Self(vec![Factor::Email, Factor::Hwk])
    }

    pub fn has(&self, factor: Factor) -> bool {
        self.0.contains(&factor)
    }

    /// Whether the sign-in passed more than one factor: what `two_factor` rules ask for.
    pub fn is_multi_factor(&self) -> bool {
        self.has(Factor::Otp) || self.has(Factor::Hwk)
    }

    pub fn factors(&self) -> &[Factor] {
        &self.0
    }

    /// As one column: the values separated by spaces.
    pub fn to_column(&self) -> String {
        self.0.iter().map(|factor| factor.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// Reads [`Amr::to_column`] back; unknown words are skipped, and a sign-in with no
    /// known factor counts as a password one.
    pub fn from_column(column: &str) -> Self {
        let factors: Vec<Factor> = column.split(' ').filter_map(Factor::parse).collect();
        if factors.is_empty() { Self::password() } else { Self(factors) }
    }
}

/// Sessions stored before two-step login existed passed a password.
impl Default for Amr {
    fn default() -> Self {
        Self::password()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_form_reads_back() {
        for amr in [Amr::password(), Amr::password_and_code(), Amr::passkey(), Amr::federated_and_code()] {
            assert_eq!(Amr::from_column(&amr.to_column()), amr);
        }
        assert_eq!(Amr::password_and_code().to_column(), "pwd otp");
        assert_eq!(Amr::from_column(""), Amr::password());
    }

    #[test]
    fn it_serialises_as_the_rfc_8176_values() {
        assert_eq!(serde_json::to_string(&Amr::password_and_code()).unwrap(), r#"["pwd","otp"]"#);
        assert_eq!(serde_json::to_string(&Amr::passkey()).unwrap(), r#"["hwk","user"]"#);
    }

    #[test]
    fn a_code_or_a_passkey_makes_a_sign_in_multi_factor() {
        assert!(!Amr::password().is_multi_factor());
        assert!(Amr::password_and_code().is_multi_factor());
        assert!(Amr::passkey().is_multi_factor());
        assert!(Amr::password_and_passkey().is_multi_factor());
    }
}
