//! One HMAC key for the small signed values the server hands out (form tokens, device
//! cookies). It is generated on first start and kept in the database, so every instance
//! on one database signs and checks alike with no setting.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

#[derive(Clone)]
pub struct SigningKey(Arc<[u8]>);

impl SigningKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.into())
    }

    /// A signature of `message` that is only valid for `purpose`.
    pub fn sign(&self, purpose: &str, message: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(message.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Checks a signature in constant time.
    pub fn verify(&self, purpose: &str, message: &str, signature: &str) -> bool {
        bool::from(self.sign(purpose, message).as_bytes().ct_eq(signature.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_only_for_its_key_purpose_and_message() {
        let key = SigningKey::new(b"0123456789abcdef0123456789abcdef");
        let signature = key.sign("csrf", "nonce");
        assert!(key.verify("csrf", "nonce", &signature));
        assert!(!key.verify("device", "nonce", &signature));
        assert!(!key.verify("csrf", "other", &signature));
        assert!(!key.verify("csrf", "nonce", &signature[1..]));
        assert!(!SigningKey::new(b"another key").verify("csrf", "nonce", &signature));
    }
}
