use std::fmt;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const SELECTOR_LEN: usize = 12;
const VERIFIER_LEN: usize = 32;

/// A single-use secret sent in an email link.
///
/// It is a split token: the selector finds the database row, the 256-bit verifier proves
/// possession. Only a SHA-256 of the verifier is stored, and it is compared in constant
/// time, so neither a database dump nor response timing gives a usable link away.
#[derive(Clone)]
pub struct Token {
    selector: [u8; SELECTOR_LEN],
    verifier: [u8; VERIFIER_LEN],
}

/// What the database keeps of a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenParts {
    pub selector: String,
    pub verifier_hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("This link is not valid: it may have been cut short when it was copied.")]
pub struct TokenError;

impl Token {
    /// Draws a fresh token from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0u8; SELECTOR_LEN + VERIFIER_LEN];
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        Self::from_bytes(&bytes)
    }

    pub fn parse(input: &str) -> Result<Self, TokenError> {
        let mut bytes = [0u8; SELECTOR_LEN + VERIFIER_LEN + 1];
        match URL_SAFE_NO_PAD.decode_slice(input.trim(), &mut bytes) {
            Ok(len) if len == SELECTOR_LEN + VERIFIER_LEN => Ok(Self::from_bytes(&bytes[..len])),
            _ => Err(TokenError),
        }
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        let (selector, verifier) = bytes.split_at(SELECTOR_LEN);
        Self {
            selector: selector.try_into().expect("selector length"),
            verifier: verifier.try_into().expect("verifier length"),
        }
    }

    /// The form that goes into a link.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(SELECTOR_LEN + VERIFIER_LEN);
        bytes.extend_from_slice(&self.selector);
        bytes.extend_from_slice(&self.verifier);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn selector(&self) -> String {
        hex::encode(self.selector)
    }

    pub fn parts(&self) -> TokenParts {
        TokenParts { selector: self.selector(), verifier_hash: hex::encode(self.verifier_hash()) }
    }

    /// Whether this token's verifier is the one whose hash was stored.
    pub fn matches(&self, stored_verifier_hash: &str) -> bool {
        let Ok(stored) = hex::decode(stored_verifier_hash) else {
            return false;
        };
        bool::from(self.verifier_hash().as_slice().ct_eq(&stored))
    }

    fn verifier_hash(&self) -> [u8; 32] {
        Sha256::digest(self.verifier).into()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({}…)", self.selector())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_token_round_trips_through_its_link_form() {
        let token = Token::generate();
        let parsed = Token::parse(&token.encode()).unwrap();
        assert_eq!(parsed.parts(), token.parts());
        assert!(parsed.matches(&token.parts().verifier_hash));
    }

    #[test]
    fn two_tokens_differ() {
        assert_ne!(Token::generate().encode(), Token::generate().encode());
    }

    #[test]
    fn a_token_with_a_changed_verifier_does_not_match() {
        let token = Token::generate();
        let mut link = token.encode();
        let last = link.pop().unwrap();
        link.push(if last == 'A' { 'B' } else { 'A' });
        // The last character may only carry padding bits; flip one in the middle too.
        let forged = Token::parse(&link).map(|t| t.matches(&token.parts().verifier_hash));
        assert_ne!(forged, Ok(true));
    }

    #[test]
    fn truncated_or_garbled_links_are_refused() {
        let link = Token::generate().encode();
        assert_eq!(Token::parse(&link[..link.len() - 1]).err(), Some(TokenError));
        assert_eq!(Token::parse(&format!("{link}AAAA")).err(), Some(TokenError));
        assert_eq!(Token::parse("not a token!").err(), Some(TokenError));
        assert_eq!(Token::parse("").err(), Some(TokenError));
    }

    #[test]
    fn the_stored_hash_is_not_the_secret() {
        let token = Token::generate();
        assert!(!token.encode().contains(&token.parts().verifier_hash));
        assert_eq!(token.parts().verifier_hash.len(), 64);
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in ".{0,100}") {
            let _ = Token::parse(&input);
        }
    }
}
