//! Short-lived access tokens for services: RS256 JWTs (signed with [`RsaKeys`]) whose
//! public keys are published at `/.well-known/jwks.json`, so other services verify them on
//! their own. Also the Ed25519 keys of the EdDSA ID tokens some clients ask for, published
//! only while such a client is registered. Signing, checking and the key sets are
//! `jsonwebtoken`'s; this module picks the keys.

use anyhow::Context;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, KeyAlgorithm, OctetKeyPairParameters, OctetKeyPairType,
    PublicKeyUse,
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::rsa_keys::RsaKeys;
use super::vault::Vault;
use crate::domain::Amr;
use crate::store::keys::KeyTable;
use crate::store::{self, Store, keys};

/// Access tokens live 15 minutes.
pub const ACCESS_TTL_SECS: i64 = 15 * 60;
/// A retired Ed25519 key stays published a day, like the RSA keys.
const ED25519_PUBLISHED_SECS: i64 = 24 * 3600;
/// Clock difference tolerated between Gatehouse and the services that check its tokens.
const LEEWAY_SECS: u64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("the access token is malformed")]
    Malformed,
    #[error("the access token must be signed with RS256")]
    WrongAlgorithm,
    #[error("the access token was signed with an unknown key")]
    UnknownKey,
    #[error("the access token's signature is not valid")]
    BadSignature,
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is not meant for this service")]
    WrongAudience,
    #[error("the access token is not valid yet")]
    NotYetValid,
    #[error("the access token names critical extensions this service does not know")]
    UnknownCritical,
}

impl From<jsonwebtoken::errors::Error> for JwtError {
    fn from(error: jsonwebtoken::errors::Error) -> Self {
        match error.kind() {
            ErrorKind::InvalidSignature => Self::BadSignature,
            ErrorKind::ExpiredSignature => Self::Expired,
            ErrorKind::InvalidAudience | ErrorKind::InvalidIssuer => Self::WrongAudience,
            ErrorKind::InvalidAlgorithm => Self::WrongAlgorithm,
            ErrorKind::ImmatureSignature => Self::NotYetValid,
            _ => Self::Malformed,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    /// The factors of the sign-in behind the token (RFC 8176); none for a service's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amr: Option<Amr>,
    /// The user's roles when the token was issued (a token lives 15 minutes).
    #[serde(default)]
    pub roles: Vec<String>,
    /// For an OpenID Connect client's token: the scopes the user granted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// For an OpenID Connect client's token: the grant it belongs to, refused once revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<String>,
}

/// What a valid access token says.
#[derive(Debug, PartialEq, Eq)]
pub struct Verified {
    pub user_id: i64,
    pub expires_at: i64,
    /// The factors of the sign-in it was issued for.
    pub amr: Amr,
}

/// What a valid access token of an OpenID Connect client says.
#[derive(Debug, PartialEq, Eq)]
pub struct ClientToken {
    /// The account it speaks for; `None` for a service's own token (client credentials),
    /// whose subject is the client.
    pub user_id: Option<i64>,
    pub subject: String,
    pub client_id: String,
    pub scope: String,
    pub grant: String,
    pub issued_at: i64,
    pub expires_at: i64,
}

/// Whose an OpenID Connect client's access token is: the client, the scopes, the grant.
#[derive(Clone, Copy)]
pub struct ClientGrant<'a> {
    pub client_id: &'a str,
    pub scope: &'a str,
    pub grant: &'a str,
}

#[derive(Clone)]
pub struct Jwt {
    store: Store,
    vault: Vault,
    /// The RS256 keys access tokens are signed and checked with.
    rsa: RsaKeys,
    issuer: String,
    audience: String,
}

/// A stored Ed25519 key: 32 secret bytes, hex-encoded, sealed by the vault when it has a key.
fn decode_key(vault: &Vault, stored: &str) -> anyhow::Result<SigningKey> {
    let secret = vault.open(stored)?;
    let bytes: [u8; 32] =
        hex::decode(secret).ok().and_then(|bytes| bytes.try_into().ok()).context("not 32 hex bytes")?;
    Ok(SigningKey::from_bytes(&bytes))
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system's random source failed");
    hex::encode(buffer)
}

/// Starts signing EdDSA ID tokens with a new Ed25519 key; the old ones stay published a day.
pub async fn rotate(store: &Store, vault: &Vault) -> anyhow::Result<String> {
    let kid = random_hex(8);
    let mut tx = store.begin().await?;
    keys::add_jwt_key(&mut tx, KeyTable::Ed25519, &kid, &vault.seal(&random_hex(32)), store::now(), true).await?;
    tx.commit().await?;
    Ok(kid)
}

impl Jwt {
    /// Makes sure an Ed25519 key exists (the first instance to start creates it).
    pub async fn start(
        store: Store,
        vault: Vault,
        rsa: RsaKeys,
        issuer: String,
        audience: String,
    ) -> anyhow::Result<Self> {
        let existing = keys::jwt_keys(store.pool(), KeyTable::Ed25519, store::now(), 0).await?;
        match existing.first() {
            // Fail at start, not at the first sign-in, when the keys cannot be opened.
            Some(newest) => drop(decode_key(&vault, &newest.secret).context("the newest Ed25519 key")?),
            None => {
                let mut tx = store.begin().await?;
                let sealed = vault.seal(&random_hex(32));
                keys::add_jwt_key(&mut tx, KeyTable::Ed25519, &random_hex(8), &sealed, store::now(), false).await?;
                tx.commit().await?;
            }
        }
        Ok(Self { store, vault, rsa, issuer, audience })
    }

    /// A signed access token for `user_id`, and its lifetime in seconds.
    pub async fn issue(&self, user_id: i64, amr: &Amr, roles: &[&str]) -> anyhow::Result<(String, i64)> {
        self.sign(user_id.to_string(), Some(amr), roles, &self.audience, None).await
    }

    /// An access token for an OpenID Connect client: its `aud` is the client id (so the
    /// API, which expects its own audience, refuses it), `scope` what the user granted and
    /// `grant` what it belongs to.
    pub async fn issue_for_client(
        &self,
        user_id: i64,
        amr: &Amr,
        roles: &[&str],
        client: ClientGrant<'_>,
    ) -> anyhow::Result<(String, i64)> {
        self.sign(user_id.to_string(), Some(amr), roles, client.client_id, Some(client)).await
    }

    /// A service's own access token (client credentials): no user, the client its subject.
    pub async fn issue_for_service(&self, client: ClientGrant<'_>) -> anyhow::Result<(String, i64)> {
        self.sign(client.client_id.to_owned(), None, &[], client.client_id, Some(client)).await
    }

    async fn sign(
        &self,
        subject: String,
        amr: Option<&Amr>,
        roles: &[&str],
        audience: &str,
        client: Option<ClientGrant<'_>>,
    ) -> anyhow::Result<(String, i64)> {
        let now = store::now();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: audience.to_owned(),
            sub: subject,
            exp: now + ACCESS_TTL_SECS,
            iat: now,
            jti: random_hex(16),
            amr: amr.cloned(),
            roles: roles.iter().map(|&role| role.to_owned()).collect(),
            scope: client.map(|client| client.scope.to_owned()),
            grant: client.map(|client| client.grant.to_owned()),
        };
        Ok((self.rsa.sign(&claims).await?, ACCESS_TTL_SECS))
    }

    /// `claims` signed EdDSA with the newest Ed25519 key: the ID tokens of an OpenID
    /// Connect client registered for EdDSA.
    pub async fn sign_claims(&self, claims: &impl Serialize) -> anyhow::Result<String> {
        let newest = keys::jwt_keys(self.store.pool(), KeyTable::Ed25519, store::now(), 0).await?.into_iter().next();
        let key = newest.ok_or_else(|| anyhow::anyhow!("no Ed25519 key"))?;
        let signing = decode_key(&self.vault, &key.secret).with_context(|| format!("Ed25519 key {}", key.kid))?;
        let der = signing.to_pkcs8_der().map_err(|e| anyhow::anyhow!("Ed25519 key {} as PKCS#8: {e}", key.kid))?;
        let header = Header { kid: Some(key.kid), ..Header::new(Algorithm::EdDSA) };
        Ok(jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(der.as_bytes()))?)
    }

    /// The claims of an EdDSA ID token we signed, expired or not (RP-initiated logout).
    /// Logout is rare: the key is read from the database each time.
    pub async fn id_token_claims(&self, token: &str) -> Option<serde_json::Value> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::EdDSA || header.crit.is_some() {
            return None;
        }
        let kid = header.kid?;
        let published = self.published_ed25519_keys().await.ok()?;
        let (_, key) = published.into_iter().find(|(known, _)| *known == kid)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["iss", "aud", "sub"]);
        let key = DecodingKey::from_ed_der(key.verifying_key().as_bytes());
        Some(jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation).ok()?.claims)
    }

    /// The user id a valid access token speaks for, and when it expires.
    pub async fn verify(&self, token: &str) -> Result<Verified, JwtError> {
        let claims = self.check(token, Some(&self.audience)).await?;
        let user_id = claims.sub.parse().map_err(|_| JwtError::Malformed)?;
        Ok(Verified { user_id, expires_at: claims.exp, amr: claims.amr.unwrap_or_default() })
    }

    /// A valid access token issued to an OpenID Connect client (any client: the caller
    /// looks the client up): who it speaks for, for which client, with which scopes.
    pub async fn verify_client_token(&self, token: &str) -> Result<ClientToken, JwtError> {
        let claims = self.check(token, None).await?;
        let (Some(scope), Some(grant)) = (claims.scope, claims.grant) else { return Err(JwtError::WrongAudience) };
        // A service's token has the client as its subject; the grant says which it is.
        let user_id =
            (claims.sub != claims.aud).then(|| claims.sub.parse()).transpose().map_err(|_| JwtError::Malformed)?;
        Ok(ClientToken {
            user_id,
            subject: claims.sub,
            client_id: claims.aud,
            scope,
            grant,
            issued_at: claims.iat,
            expires_at: claims.exp,
        })
    }

    /// The claims of an access token signed by one of our keys, unexpired, from this
    /// issuer, for `audience` (or, with `None`, any audience: it is still required).
    async fn check(&self, token: &str, audience: Option<&str>) -> Result<Claims, JwtError> {
        let header = jsonwebtoken::decode_header(token)?;
        // Only RS256: "none", HMAC with the public key and friends are refused outright.
        if header.alg != Algorithm::RS256 {
            return Err(JwtError::WrongAlgorithm);
        }
        // We understand no JWS extension, so any "crit" must be refused (RFC 7515 §4.1.11).
        if header.crit.is_some() {
            return Err(JwtError::UnknownCritical);
        }
        let kid = header.kid.ok_or(JwtError::UnknownKey)?;
        let key = self.rsa.verifying_key(&kid).await.ok_or(JwtError::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        match audience {
            Some(audience) => validation.set_audience(&[audience]),
            None => validation.validate_aud = false,
        }
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        // An ID token, signed with the same keys, is no access token: it has no `jti` and
        // does not deserialize as one.
        let claims = jsonwebtoken::decode::<Claims>(token, &key, &validation)?.claims;
        if claims.iat > store::now() + LEEWAY_SECS as i64 {
            return Err(JwtError::NotYetValid);
        }
        Ok(claims)
    }

    /// The Ed25519 keys still published (a day after retirement: EdDSA ID tokens live an
    /// hour, and an expired one is still a logout hint).
    async fn published_ed25519_keys(&self) -> Result<Vec<(String, SigningKey)>, sqlx::Error> {
        let keys = keys::jwt_keys(self.store.pool(), KeyTable::Ed25519, store::now(), ED25519_PUBLISHED_SECS).await?;
        Ok(keys.into_iter().filter_map(|key| Some((key.kid, decode_key(&self.vault, &key.secret).ok()?))).collect())
    }

    /// The Ed25519 public keys, as JWKs (RFC 8037 OKP keys), for the JWKS while a client
    /// uses EdDSA.
    pub async fn ed25519_jwks(&self) -> Result<Vec<Jwk>, sqlx::Error> {
        Ok(self.published_ed25519_keys().await?.into_iter().map(|(kid, key)| public_jwk(kid, &key)).collect())
    }
}

fn public_jwk(kid: String, key: &SigningKey) -> Jwk {
    Jwk {
        common: CommonParameters {
            public_key_use: Some(PublicKeyUse::Signature),
            key_algorithm: Some(KeyAlgorithm::EdDSA),
            key_id: Some(kid),
            ..CommonParameters::default()
        },
        algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
            key_type: OctetKeyPairType::OctetKeyPair,
            curve: EllipticCurve::Ed25519,
            x: URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;

    use super::*;
    use crate::store::PoolSettings;

    async fn started() -> (tempfile::TempDir, Store, Jwt) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("keys.db").display());
        let store = Store::connect(&url, PoolSettings::default()).await.unwrap();
        store.migrate().await.unwrap();
        let vault = Vault::from_file(None).unwrap();
        let rsa = RsaKeys::new(store.clone(), vault.clone());
        let jwt =
            Jwt::start(store.clone(), vault, rsa, "http://127.0.0.1:3000".into(), "gatehouse".into()).await.unwrap();
        (dir, store, jwt)
    }

    #[tokio::test]
    async fn made_up_key_ids_read_the_keys_at_most_once_a_second() {
        let (_dir, _store, jwt) = started().await;
        let (token, _) = jwt.issue(1, &Amr::password(), &[]).await.unwrap();
        assert_eq!(jwt.verify(&token).await.unwrap().user_id, 1, "the signing key is known at once");

        let rest = token.split_once('.').unwrap().1;
        for n in 0..300 {
            let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"RS256","typ":"JWT","kid":"made-up-{n}"}}"#));
            let forged = format!("{header}.{rest}");
            assert_eq!(jwt.verify(&forged).await, Err(JwtError::UnknownKey));
        }
        let reloads = jwt.rsa.reloads();
        assert!(reloads <= 3, "300 made-up ids read the keys {reloads} times");
        assert_eq!(jwt.verify(&token).await.unwrap().user_id, 1, "known keys are still served from the cache");
    }

    #[tokio::test]
    async fn tokens_from_the_future_or_with_unknown_critical_extensions_are_refused() {
        let (_dir, store, jwt) = started().await;
        // The signing key exists once something was signed.
        jwt.issue(1, &Amr::password(), &[]).await.unwrap();
        let key = keys::jwt_keys(store.pool(), KeyTable::Rsa, store::now(), 0).await.unwrap().remove(0);
        let pkcs8 = hex::decode(Vault::from_file(None).unwrap().open(&key.secret).unwrap()).unwrap();
        let pkcs1 = rsa::RsaPrivateKey::from_pkcs8_der(&pkcs8).unwrap().to_pkcs1_der().unwrap();
        let sign = |header: Header, claims: serde_json::Value| {
            let header = Header { kid: Some(key.kid.clone()), ..header };
            jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_der(pkcs1.as_bytes())).unwrap()
        };
        let now = store::now();
        let claims = |iat: i64, nbf: Option<i64>| {
            let mut claims = serde_json::json!({"iss": "http://127.0.0.1:3000", "aud": "gatehouse", "sub": "1",
                "exp": now + 600, "iat": iat, "jti": "x"});
            if let Some(nbf) = nbf {
                claims["nbf"] = nbf.into();
            }
            claims
        };
        let plain = Header::new(Algorithm::RS256);
        assert!(jwt.verify(&sign(plain.clone(), claims(now, None))).await.is_ok(), "the control passes");
        assert_eq!(jwt.verify(&sign(plain.clone(), claims(now + 300, None))).await, Err(JwtError::NotYetValid));
        assert_eq!(jwt.verify(&sign(plain.clone(), claims(now, Some(now + 300)))).await, Err(JwtError::NotYetValid));
        let critical = Header { crit: Some(vec!["exp".into()]), ..plain };
        assert_eq!(jwt.verify(&sign(critical, claims(now, None))).await, Err(JwtError::UnknownCritical));
    }
}
