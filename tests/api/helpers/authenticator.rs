//! A software passkey authenticator, written here so the tests can also make it misbehave:
//! an ES256 (P-256) key, "none" attestation, and answers that a browser would send as
//! JSON (base64url fields), built from the options the server actually sent.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{DerSignature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED_CREDENTIAL: u8 = 0x40;

#[derive(Clone)]
pub struct Authenticator {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    /// The account's user handle, as the server gave it at registration.
    pub user_handle: Vec<u8>,
    pub counter: u32,
    /// The page's origin as the browser reports it in the client data: a phishing site's
    /// when the person was lured there.
    pub origin: String,
    /// Off: the authenticator skips user verification (no PIN, no fingerprint).
    pub verifies_user: bool,
    /// The relying party the authenticator signs for, instead of the options' (a phishing
    /// site asks for its own).
    pub rp_id: Option<String>,
    /// The ceremony named in the client data, instead of the right one.
    pub ceremony: Option<&'static str>,
    /// Signs with this other key instead of the registered one.
    pub forger: Option<SigningKey>,
}

impl Authenticator {
    /// An authenticator used from a browser at `origin`.
    pub fn new(origin: &str) -> Self {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).unwrap();
        Self {
            key: new_key(),
            credential_id: id.to_vec(),
            user_handle: Vec::new(),
            counter: 0,
            origin: origin.to_owned(),
            verifies_user: true,
            rp_id: None,
            ceremony: None,
            forger: None,
        }
    }

    /// A key that is not this authenticator's, for [`Self::forger`].
    pub fn other_key() -> SigningKey {
        new_key()
    }

    /// The answer to `navigator.credentials.create` with `options` (`{"publicKey": ...}`).
    pub fn register(&mut self, options: &Value) -> Value {
        let options = &options["publicKey"];
        self.user_handle = URL_SAFE_NO_PAD.decode(options["user"]["id"].as_str().unwrap()).unwrap();
        let client_data = self.client_data("webauthn.create", options["challenge"].as_str().unwrap());
        let rp_id = self.rp_id.clone().unwrap_or_else(|| options["rp"]["id"].as_str().unwrap().to_owned());
        let mut auth_data = self.auth_data(&rp_id, ATTESTED_CREDENTIAL);
        auth_data.extend_from_slice(&[0u8; 16]); // AAGUID: none
        auth_data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&self.credential_id);
        auth_data.extend_from_slice(&self.cose_public_key());
        let attestation = cbor::map(&[
            (cbor::text("fmt"), cbor::text("none")),
            (cbor::text("attStmt"), cbor::map(&[])),
            (cbor::text("authData"), cbor::bytes(&auth_data)),
        ]);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {"attestationObject": b64(&attestation), "clientDataJSON": b64(&client_data)},
            "clientExtensionResults": {},
        })
    }

    /// The answer to `navigator.credentials.get` with `options`, the counter one up.
    pub fn sign_in(&mut self, options: &Value) -> Value {
        self.answer(options["publicKey"]["challenge"].as_str().unwrap(), options)
    }

    /// An answer that signs `challenge` instead of the one in `options`.
    pub fn answer(&mut self, challenge: &str, options: &Value) -> Value {
        self.counter += 1;
        let rp_id = self.rp_id.clone().unwrap_or_else(|| options["publicKey"]["rpId"].as_str().unwrap().to_owned());
        let client_data = self.client_data("webauthn.get", challenge);
        let auth_data = self.auth_data(&rp_id, 0);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature: DerSignature = self.forger.as_ref().unwrap_or(&self.key).sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(signature.as_bytes()),
                "userHandle": b64(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        let kind = self.ceremony.unwrap_or(kind);
        json!({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false})
            .to_string()
            .into_bytes()
    }

    fn auth_data(&self, rp_id: &str, extra_flags: u8) -> Vec<u8> {
        let verified = if self.verifies_user { USER_VERIFIED } else { 0 };
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(USER_PRESENT | verified | extra_flags);
        data.extend_from_slice(&self.counter.to_be_bytes());
        data
    }

    /// The public key as a COSE_Key: EC2, ES256, P-256, x and y.
    fn cose_public_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_encoded_point(false);
        cbor::map(&[
            (cbor::int(1), cbor::int(2)),
            (cbor::int(3), cbor::int(-7)),
            (cbor::int(-1), cbor::int(1)),
            (cbor::int(-2), cbor::bytes(point.x().unwrap())),
            (cbor::int(-3), cbor::bytes(point.y().unwrap())),
        ])
    }
}

fn new_key() -> SigningKey {
    loop {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).unwrap();
        if let Ok(key) = SigningKey::from_bytes(&secret.into()) {
            return key;
        }
    }
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The little of CBOR (RFC 8949) that attestation objects and COSE keys need.
mod cbor {
    fn head(major: u8, value: u64) -> Vec<u8> {
        let major = major << 5;
        match value {
            0..=23 => vec![major | value as u8],
            24..=0xff => vec![major | 24, value as u8],
            0x100..=0xffff => [vec![major | 25], (value as u16).to_be_bytes().to_vec()].concat(),
            _ => [vec![major | 26], (value as u32).to_be_bytes().to_vec()].concat(),
        }
    }

    pub fn int(value: i64) -> Vec<u8> {
        if value >= 0 { head(0, value as u64) } else { head(1, (-1 - value) as u64) }
    }

    pub fn bytes(value: &[u8]) -> Vec<u8> {
        [head(2, value.len() as u64), value.to_vec()].concat()
    }

    pub fn text(value: &str) -> Vec<u8> {
        [head(3, value.len() as u64), value.as_bytes().to_vec()].concat()
    }

    pub fn map(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
        let mut out = head(5, entries.len() as u64);
        for (key, value) in entries {
            out.extend_from_slice(key);
            out.extend_from_slice(value);
        }
        out
    }
}
