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
}

impl Factor {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pwd => "pwd",
            Self::Otp => "otp",
        }
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

    pub fn has(&self, factor: Factor) -> bool {
        self.0.contains(&factor)
    }

    pub fn factors(&self) -> &[Factor] {
        &self.0
    }

    /// As one column: the values separated by spaces.
    pub fn to_column(&self) -> String {
        self.0.iter().map(|factor| factor.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// Reads [`Amr::to_column`] back; a sign-in is at least a password one.
    pub fn from_column(column: &str) -> Self {
        if column.split(' ').any(|word| word == Factor::Otp.as_str()) {
            Self::password_and_code()
        } else {
            Self::password()
        }
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
        for amr in [Amr::password(), Amr::password_and_code()] {
            assert_eq!(Amr::from_column(&amr.to_column()), amr);
        }
        assert_eq!(Amr::password_and_code().to_column(), "pwd otp");
        assert_eq!(Amr::from_column(""), Amr::password());
    }

    #[test]
    fn it_serialises_as_the_rfc_8176_values() {
        assert_eq!(serde_json::to_string(&Amr::password_and_code()).unwrap(), r#"["pwd","otp"]"#);
    }
}
