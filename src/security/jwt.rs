//! Short-lived access tokens for services: EdDSA (Ed25519) JWTs whose public keys are
//! published at `/.well-known/jwks.json`, so other services verify them on their own.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::store::{self, Store, keys};

/// Access tokens live 15 minutes; a retired key is published that long after rotation.
pub const ACCESS_TTL_SECS: i64 = 15 * 60;
/// Clock difference tolerated between Gatehouse and the services that check its tokens.
const LEEWAY_SECS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("the access token is malformed")]
    Malformed,
    #[error("the access token must be signed with EdDSA")]
    WrongAlgorithm,
    #[error("the access token was signed with an unknown key")]
    UnknownKey,
    #[error("the access token's signature is not valid")]
    BadSignature,
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is not meant for this service")]
    WrongAudience,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    typ: Option<String>,
    kid: Option<String>,
}

#[derive(Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
}

#[derive(Clone)]
pub struct Jwt {
    store: Store,
    issuer: String,
    audience: String,
    verifying: Arc<RwLock<HashMap<String, VerifyingKey>>>,
}

fn decode_key(secret: &str) -> Option<SigningKey> {
    let bytes: [u8; 32] = hex::decode(secret).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&bytes))
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system's random source failed");
    hex::encode(buffer)
}

/// Starts signing with a new key; the old ones keep verifying for `ACCESS_TTL_SECS`.
pub async fn rotate(store: &Store) -> anyhow::Result<String> {
    let kid = random_hex(8);
    let mut tx = store.begin().await?;
    keys::add_jwt_key(&mut tx, &kid, &random_hex(32), store::now(), true).await?;
    tx.commit().await?;
    Ok(kid)
}

impl Jwt {
    /// Makes sure a signing key exists (the first instance to start creates it).
    pub async fn start(store: Store, issuer: String, audience: String) -> anyhow::Result<Self> {
        if keys::jwt_keys(store.pool(), store::now(), 0).await?.is_empty() {
            let mut tx = store.begin().await?;
            keys::add_jwt_key(&mut tx, &random_hex(8), &random_hex(32), store::now(), false).await?;
            tx.commit().await?;
        }
        Ok(Self { store, issuer, audience, verifying: Arc::default() })
    }

    /// A signed access token for `user_id`, and its lifetime in seconds.
    pub async fn issue(&self, user_id: i64) -> anyhow::Result<(String, i64)> {
        let now = store::now();
        let newest = keys::jwt_keys(self.store.pool(), now, 0).await?.into_iter().next();
        let key = newest.ok_or_else(|| anyhow::anyhow!("no JWT signing key"))?;
        let signing = decode_key(&key.secret).ok_or_else(|| anyhow::anyhow!("JWT key {} is corrupt", key.kid))?;
        let header = Header { alg: "EdDSA".into(), typ: Some("JWT".into()), kid: Some(key.kid) };
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user_id.to_string(),
            exp: now + ACCESS_TTL_SECS,
            iat: now,
            jti: random_hex(16),
        };
        let signed_part = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header)?),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims)?)
        );
        let signature = signing.sign(signed_part.as_bytes());
        Ok((format!("{signed_part}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes())), ACCESS_TTL_SECS))
    }

    /// The user id a valid access token speaks for.
    pub async fn verify(&self, token: &str) -> Result<i64, JwtError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let header: Header = decode_json(header)?;
        // Only EdDSA: "none", HMAC with the public key and friends are refused outright.
        if header.alg != "EdDSA" {
            return Err(JwtError::WrongAlgorithm);
        }
        let kid = header.kid.ok_or(JwtError::UnknownKey)?;
        let key = self.verifying_key(&kid).await?.ok_or(JwtError::UnknownKey)?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| JwtError::Malformed)?;
        let signature = Signature::from_slice(&signature).map_err(|_| JwtError::Malformed)?;
        let signed_part = &token[..header_and_payload_len(token)];
        key.verify(signed_part.as_bytes(), &signature).map_err(|_| JwtError::BadSignature)?;
        let claims: Claims = decode_json(payload)?;
        let now = store::now();
        if claims.exp + LEEWAY_SECS <= now {
            return Err(JwtError::Expired);
        }
        if claims.aud != self.audience || claims.iss != self.issuer {
            return Err(JwtError::WrongAudience);
        }
        claims.sub.parse().map_err(|_| JwtError::Malformed)
    }

    async fn verifying_key(&self, kid: &str) -> Result<Option<VerifyingKey>, JwtError> {
        if let Some(key) = self.verifying.read().expect("key cache").get(kid) {
            return Ok(Some(*key));
        }
        // A key this instance has not seen: another instance or the operator rotated.
        let keys = keys::jwt_keys(self.store.pool(), store::now(), ACCESS_TTL_SECS).await.map_err(|error| {
            tracing::warn!(error = %error, "cannot load JWT keys");
            JwtError::UnknownKey
        })?;
        let mut cache = self.verifying.write().expect("key cache");
        cache.clear();
        for key in keys {
            if let Some(signing) = decode_key(&key.secret) {
                cache.insert(key.kid, signing.verifying_key());
            }
        }
        Ok(cache.get(kid).copied())
    }

    /// The public keys, as a JSON Web Key Set (RFC 7517, OKP keys of RFC 8037).
    pub async fn jwks(&self) -> Result<serde_json::Value, sqlx::Error> {
        let keys = keys::jwt_keys(self.store.pool(), store::now(), ACCESS_TTL_SECS).await?;
        let keys: Vec<_> = keys
            .iter()
            .filter_map(|key| {
                let public = decode_key(&key.secret)?.verifying_key();
                Some(serde_json::json!({
                    "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": key.kid,
                    "x": URL_SAFE_NO_PAD.encode(public.as_bytes()),
                }))
            })
            .collect();
        Ok(serde_json::json!({ "keys": keys }))
    }
}

fn header_and_payload_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(token.len())
}

fn decode_json<T: for<'de> Deserialize<'de>>(part: &str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}
