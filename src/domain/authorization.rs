use base64::{Engine, engine::general_purpose::STANDARD};
use secrecy::SecretString;

use super::Token;

/// What a personal API token starts with, so it can be told from an access token (and
/// found by secret scanners).
pub const API_TOKEN_PREFIX: &str = "gth_";

/// The credential an `Authorization` header presents, parsed once. Nothing here has been
/// checked against the database or the signing keys yet.
pub enum Authorization {
    /// `Bearer gth_…`: a personal API token.
    ApiToken(Token),
    /// `Bearer <anything else>`: an access token, for the JWT verifier.
    AccessToken(String),
    /// `Basic` with an API token as the password; `email` must be its owner's address.
    BasicToken { email: String, token: Token },
    /// `Basic email:password`.
    BasicPassword { email: String, password: SecretString },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizationError {
    Malformed,
    BadApiToken,
}

impl AuthorizationError {
    /// What the caller is told.
    pub const fn explanation(self) -> &'static str {
        match self {
            Self::Malformed => {
                "The Authorization header must be \"Bearer <token>\" or \"Basic <base64 of email:secret>\"."
            }
            Self::BadApiToken => "The API token is not valid: it may be mistyped, expired or revoked.",
        }
    }
}

impl Authorization {
    pub fn parse(header: &[u8]) -> Result<Self, AuthorizationError> {
        let header = std::str::from_utf8(header).map_err(|_| AuthorizationError::Malformed)?;
        let (scheme, credentials) = header.trim().split_once(' ').ok_or(AuthorizationError::Malformed)?;
        let credentials = credentials.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            return Ok(match credentials.strip_prefix(API_TOKEN_PREFIX) {
                Some(token) => Self::ApiToken(api_token(token)?),
                None => Self::AccessToken(credentials.to_owned()),
            });
        }
        if scheme.eq_ignore_ascii_case("basic") {
            let decoded = STANDARD.decode(credentials).map_err(|_| AuthorizationError::Malformed)?;
            let decoded = String::from_utf8(decoded).map_err(|_| AuthorizationError::Malformed)?;
            let (email, secret) = decoded.split_once(':').ok_or(AuthorizationError::Malformed)?;
            let email = email.to_owned();
            return Ok(match secret.strip_prefix(API_TOKEN_PREFIX) {
                Some(token) => Self::BasicToken { email, token: api_token(token)? },
                None => Self::BasicPassword { email, password: SecretString::from(secret.to_owned()) },
            });
        }
        Err(AuthorizationError::Malformed)
    }
}

fn api_token(encoded: &str) -> Result<Token, AuthorizationError> {
    Token::parse(encoded).map_err(|_| AuthorizationError::BadApiToken)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use secrecy::ExposeSecret;

    use super::*;

    fn basic(user_and_secret: &str) -> Vec<u8> {
        format!("Basic {}", STANDARD.encode(user_and_secret)).into_bytes()
    }

    #[test]
    fn each_scheme_is_told_apart() {
        let token = Token::generate().encode();
        assert!(matches!(
            Authorization::parse(format!("Bearer gth_{token}").as_bytes()),
            Ok(Authorization::ApiToken(_))
        ));
        assert!(
            matches!(Authorization::parse(b"bearer eyJ.x.y"), Ok(Authorization::AccessToken(jwt)) if jwt == "eyJ.x.y")
        );
        let with_token = basic(&format!("ada@example.com:gth_{token}"));
        assert!(
            matches!(Authorization::parse(&with_token), Ok(Authorization::BasicToken { email, .. }) if email == "ada@example.com")
        );
        match Authorization::parse(&basic("ada@example.com:pass:word")) {
            Ok(Authorization::BasicPassword { email, password }) => {
                assert_eq!(email, "ada@example.com");
                assert_eq!(password.expose_secret(), "pass:word", "only the first colon separates");
            }
            _ => panic!("a password credential"),
        }
    }

    #[test]
    fn garbage_is_malformed_and_a_bad_api_token_says_so() {
        for header in [&b""[..], b"Bearer", b"Digest abc", b"Basic !!!", b"Basic bm9jb2xvbg==", b"\xff\xfe"] {
            assert_eq!(Authorization::parse(header).err(), Some(AuthorizationError::Malformed), "{header:?}");
        }
        assert_eq!(Authorization::parse(b"Bearer gth_short").err(), Some(AuthorizationError::BadApiToken));
        assert_eq!(Authorization::parse(&basic("a@b.c:gth_short")).err(), Some(AuthorizationError::BadApiToken));
    }

    proptest! {
        #[test]
        fn any_header_parses_or_is_refused_without_panicking(header in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Authorization::parse(&header);
        }

        #[test]
        fn any_basic_pair_without_a_token_comes_back_as_it_was(email in "[^:]{0,40}", secret in ".{0,40}") {
            prop_assume!(!secret.starts_with(API_TOKEN_PREFIX));
            match Authorization::parse(&basic(&format!("{email}:{secret}"))) {
                Ok(Authorization::BasicPassword { email: parsed, password }) => {
                    prop_assert_eq!(parsed, email);
                    prop_assert_eq!(password.expose_secret(), secret.as_str());
                }
                _ => prop_assert!(false, "not a password credential"),
            }
        }
    }
}
