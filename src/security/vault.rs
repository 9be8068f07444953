//! The signing keys kept in the database (form tokens, device cookies, access tokens),
//! sealed with a key from `SECRET_KEY_FILE` when one is given, so a copy of the database
//! alone cannot forge anything. Without it keys are stored as they are, and the server
//! says so at start.

use std::path::Path;

use anyhow::{Context, bail};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// How a sealed value begins: the scheme and its version.
const SEALED: &str = "sealed:v1:";
const NONCE_BYTES: usize = 24;

#[derive(Clone)]
pub struct Vault(Option<XChaCha20Poly1305>);

impl Vault {
    /// The vault for `SECRET_KEY_FILE`: the file's bytes (e.g. 32 random ones, or a long
    /// passphrase) become the key through SHA-256.
    pub fn from_file(path: Option<&Path>) -> anyhow::Result<Self> {
        let Some(path) = path else { return Ok(Self(None)) };
        let secret = std::fs::read(path).with_context(|| format!("SECRET_KEY_FILE: cannot read {}", path.display()))?;
        if secret.trim_ascii().len() < 16 {
            bail!("SECRET_KEY_FILE: {} holds fewer than 16 bytes; use 32 random ones", path.display());
        }
        let key = Sha256::digest(secret.trim_ascii());
        Ok(Self(Some(XChaCha20Poly1305::new(Key::from_slice(&key)))))
    }

    pub fn seals(&self) -> bool {
        self.0.is_some()
    }

    /// What to store for `secret`: sealed when this vault has a key, else `secret` itself.
    pub fn seal(&self, secret: &str) -> String {
        let Some(cipher) = &self.0 else { return secret.to_owned() };
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).expect("the operating system's random source failed");
        let sealed = cipher.encrypt(XNonce::from_slice(&nonce), secret.as_bytes()).expect("sealing cannot fail");
        format!("{SEALED}{}", URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat()))
    }

    /// The secret a stored value holds. A sealed value needs this vault's key; a plain one
    /// (stored before a key was given) is read as it is.
    pub fn open(&self, stored: &str) -> anyhow::Result<String> {
        let Some(sealed) = stored.strip_prefix(SEALED) else { return Ok(stored.to_owned()) };
        let Some(cipher) = &self.0 else {
            bail!("the signing keys in the database are sealed: set SECRET_KEY_FILE to the file that sealed them")
        };
        let bytes = URL_SAFE_NO_PAD.decode(sealed).context("a sealed key is garbled")?;
        if bytes.len() <= NONCE_BYTES {
            bail!("a sealed key is too short");
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let secret = cipher.decrypt(XNonce::from_slice(nonce), ciphertext).map_err(|_| {
            anyhow::anyhow!("SECRET_KEY_FILE does not open the signing keys in the database (another key sealed them)")
        })?;
        String::from_utf8(secret).context("a sealed key is not text")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(secret: &str) -> Vault {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        std::fs::write(&file, secret).unwrap();
        Vault::from_file(Some(&file)).unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_shows_nothing_of_itself() {
        let sealed = vault("correct horse battery staple 1").seal("deadbeef");
        assert!(sealed.starts_with(SEALED) && !sealed.contains("deadbeef"));
        assert_eq!(vault("correct horse battery staple 1").open(&sealed).unwrap(), "deadbeef");
        assert!(vault("another key, just as long").open(&sealed).is_err());
        assert!(Vault(None).open(&sealed).is_err(), "no key, no secret");
        assert_eq!(Vault(None).seal("deadbeef"), "deadbeef", "without a key, today's behaviour");
        assert_eq!(vault("correct horse battery staple 1").open("deadbeef").unwrap(), "deadbeef");
        assert_ne!(
            vault("correct horse battery staple 1").seal("x"),
            vault("correct horse battery staple 1").seal("x")
        );
    }
}
