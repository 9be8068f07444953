//! RS256 keys: they sign access tokens and ID tokens. OpenID Connect requires RS256 and
//! many apps and libraries accept nothing else (Ed25519 keys in a JWKS made some warn or
//! fail). A key is made with `rsa` (the first time one is needed, and at each rotation),
//! stored as PKCS#8 sealed by the vault, and signs through ring's `RsaKeyPair`, whose
//! private-key operation is constant-time (rsa's is not). Every instance on a database
//! signs with the newest key; retired keys stay published a day.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, Jwk, KeyAlgorithm, PublicKeyUse, RSAKeyParameters, RSAKeyType,
};
use jsonwebtoken::{Algorithm, DecodingKey, Header};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use serde::Serialize;

use crate::security::vault::Vault;
use crate::store::keys::{self, JwtKey, KeyTable};
use crate::store::{self, Store};

/// ID tokens live an hour at most, access tokens 15 minutes; a retired key is published a day.
const RETIRED_KEYS_PUBLISHED_SECS: i64 = 24 * 3600;
const RSA_BITS: usize = 2048;

/// A key id not in the cache reloads the keys at most this often: a flood of tokens with
/// made-up ids must not become a flood of database reads.
const RELOAD_AT_MOST_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

#[derive(Clone)]
pub struct RsaKeys {
    store: Store,
    vault: Vault,
    /// Parsed signing keys by kid: parsing PKCS#8 costs more than signing.
    parsed: Arc<RwLock<HashMap<String, Arc<RsaKeyPair>>>>,
    /// Public keys by kid, for checking tokens.
    verifying: Arc<RwLock<HashMap<String, DecodingKey>>>,
    /// When the keys were last read for an unknown kid, and how often that happened.
    reloaded: Arc<Mutex<Option<Instant>>>,
    reloads: Arc<AtomicU64>,
}

impl RsaKeys {
    pub fn new(store: Store, vault: Vault) -> Self {
        Self {
            store,
            vault,
            parsed: Arc::default(),
            verifying: Arc::default(),
            reloaded: Arc::default(),
            reloads: Arc::default(),
        }
    }

    /// The public key with this id, if it is one of ours and still published.
    pub async fn verifying_key(&self, kid: &str) -> Option<DecodingKey> {
        if let Some(key) = self.verifying.read().expect("key cache").get(kid) {
            return Some(key.clone());
        }
        // A key this instance has not seen: another instance or the operator rotated, or
        // the id is made up. Look again, but not more than once a second.
        {
            let mut reloaded = self.reloaded.lock().expect("reload time");
            if reloaded.is_some_and(|at| at.elapsed() < RELOAD_AT_MOST_EVERY) {
                return None;
            }
            *reloaded = Some(Instant::now());
        }
        self.reloads.fetch_add(1, Ordering::Relaxed);
        let keys = match self.jwks().await {
            Ok(keys) => keys,
            Err(error) => {
                tracing::warn!(error = %error, "cannot load the RSA keys");
                return None;
            }
        };
        let mut cache = self.verifying.write().expect("key cache");
        cache.clear();
        for jwk in keys {
            if let (Some(kid), Ok(key)) = (jwk.common.key_id.clone(), DecodingKey::from_jwk(&jwk)) {
                cache.insert(kid, key);
            }
        }
        cache.get(kid).cloned()
    }

    #[cfg(test)]
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// `claims` as a compact JWS signed RS256 with the newest key (RFC 7515).
    pub async fn sign(&self, claims: &impl Serialize) -> anyhow::Result<String> {
        let (kid, key) = self.signing_key().await?;
        let header = Header { kid: Some(kid), ..Header::new(Algorithm::RS256) };
        let message = format!("{}.{}", part(&header)?, part(claims)?);
        let mut signature = vec![0; key.public().modulus_len()];
        key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message.as_bytes(), &mut signature)
            .map_err(|_| anyhow::anyhow!("RSA signing failed"))?;
        Ok(format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    async fn signing_key(&self) -> anyhow::Result<(String, Arc<RsaKeyPair>)> {
        let newest = self.published().await?.into_iter().next().context("no RSA key")?;
        if let Some(key) = self.parsed.read().expect("key cache").get(&newest.kid) {
            return Ok((newest.kid, key.clone()));
        }
        let der = hex::decode(self.vault.open(&newest.secret)?).context("RSA key is not hex")?;
        let key = Arc::new(RsaKeyPair::from_pkcs8(&der).map_err(|error| anyhow::anyhow!("RSA key: {error}"))?);
        self.parsed.write().expect("key cache").insert(newest.kid.clone(), key.clone());
        // A key this instance signs with is one it can check at once, without a reload.
        let public = DecodingKey::from_rsa_der(key.public().as_ref());
        self.verifying.write().expect("key cache").insert(newest.kid.clone(), public);
        Ok((newest.kid, key))
    }

    /// The keys that sign (the newest) or are still published, newest first; the first
    /// one is made here when there is none, so an app can fetch it before its first ID token.
    async fn published(&self) -> anyhow::Result<Vec<JwtKey>> {
        let read = || keys::jwt_keys(self.store.pool(), KeyTable::Rsa, store::now(), RETIRED_KEYS_PUBLISHED_SECS);
        let keys = read().await?;
        if !keys.is_empty() {
            return Ok(keys);
        }
        add_key(&self.store, &self.vault, false).await?;
        Ok(read().await?)
    }

    /// The public keys, for the JWKS.
    pub async fn jwks(&self) -> anyhow::Result<Vec<Jwk>> {
        self.published().await?.into_iter().map(|key| public_jwk(&self.vault, key)).collect()
    }

    /// The claims of an RS256 ID token this provider signed, expired or not: what
    /// RP-initiated logout needs to know which app asks, for whom. `None` for anything else.
    pub async fn claims_of(&self, token: &str, issuer: &str) -> Option<serde_json::Value> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::RS256 || header.crit.is_some() {
            return None;
        }
        let key = self.verifying_key(&header.kid?).await?;
        let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation).ok()?.claims;
        // Access tokens are signed with the same keys: they carry an id and a scope or a
        // grant, which an ID token never does, and are never a logout hint.
        if claims.get("jti").is_some() || claims.get("scope").is_some() {
            return None;
        }
        Some(claims)
    }
}

/// Retires the signing key (it stays published a day) and makes a new one.
pub async fn rotate(store: &Store, vault: &Vault) -> anyhow::Result<String> {
    add_key(store, vault, true).await
}

async fn add_key(store: &Store, vault: &Vault, retire_others: bool) -> anyhow::Result<String> {
    let pkcs8 = tokio::task::spawn_blocking(|| {
        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, RSA_BITS)?;
        anyhow::Ok(hex::encode(key.to_pkcs8_der()?.as_bytes()))
    })
    .await??;
    let mut id = [0u8; 8];
    getrandom::fill(&mut id).expect("the operating system's random source failed");
    let kid = format!("rs-{}", hex::encode(id));
    let mut tx = store.begin().await?;
    keys::add_jwt_key(&mut tx, KeyTable::Rsa, &kid, &vault.seal(&pkcs8), store::now(), retire_others).await?;
    tx.commit().await?;
    tracing::info!(event = "rsa_key_added", kid, "a new RS256 key signs access and ID tokens");
    Ok(kid)
}

fn public_jwk(vault: &Vault, key: JwtKey) -> anyhow::Result<Jwk> {
    let der = hex::decode(vault.open(&key.secret)?).context("RSA key is not hex")?;
    let public = rsa::RsaPrivateKey::from_pkcs8_der(&der).context("RSA key")?.to_public_key();
    Ok(Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::RS256),
            key_id: Some(key.kid),
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::RSA(RSAKeyParameters {
            key_type: RSAKeyType::RSA,
            n: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        }),
    })
}

/// A JWS part: JSON, then base64url.
fn part(value: &impl Serialize) -> anyhow::Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(serde_json::to_vec(value)?))
}
