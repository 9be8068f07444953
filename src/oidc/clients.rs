//! The apps that sign their users in through Gatehouse, registered by the operator
//! (`gatehouse client add`). A confidential client gets a secret, shown once and kept
//! as a hash; a public one (a single-page or mobile app) has none and relies on PKCE.

use subtle::ConstantTimeEq;
use url::Url;

use super::{hash, random_secret};
use crate::store::oauth::{self, Client};
use crate::store::{self, Store};

/// A new client's credentials, to be shown once.
#[derive(Debug, serde::Serialize)]
pub struct Registered {
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// How a client's ID tokens are signed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum IdTokenAlg {
    /// RSA: what OpenID Connect requires every app to accept.
    #[default]
    #[value(name = "RS256")]
    Rs256,
    /// Ed25519, for the apps that ask for it.
    #[value(name = "EdDSA")]
    EdDsa,
}

impl IdTokenAlg {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::EdDsa => "EdDSA",
        }
    }
}

/// What the operator registers.
pub struct NewClient<'a> {
    pub name: &'a str,
    pub redirect_uris: &'a [String],
    pub public: bool,
    pub skip_consent: bool,
    pub id_token_alg: IdTokenAlg,
}

/// Registers a client; each redirect URI must be an absolute `https` URL (or `http` on
/// `localhost` or loopback), with no fragment, and is later matched exactly.
pub async fn register(store: &Store, new: NewClient<'_>) -> anyhow::Result<Registered> {
    let NewClient { name, redirect_uris, public, skip_consent, id_token_alg } = new;
    let name = name.trim();
    anyhow::ensure!(!name.is_empty(), "--name: give the app a name its users will recognise");
    anyhow::ensure!(!redirect_uris.is_empty(), "--redirect-uri: give at least one");
    for uri in redirect_uris {
        check_redirect_uri(uri).map_err(|why| anyhow::anyhow!("--redirect-uri {uri}: {why}"))?;
    }
    let secret = (!public).then(random_secret);
    let client = Client {
        client_id: random_secret()[..22].to_owned(),
        secret_hash: secret.as_deref().map(hash),
        name: name.to_owned(),
        redirect_uris: redirect_uris.join("\n"),
        skip_consent: i64::from(skip_consent),
        id_token_alg: id_token_alg.as_str().to_owned(),
        created_at: store::now(),
    };
    oauth::insert_client(store.pool(), &client).await?;
    Ok(Registered { client_id: client.client_id, client_secret: secret })
}

fn check_redirect_uri(uri: &str) -> Result<(), &'static str> {
    let url = Url::parse(uri).map_err(|_| "not an absolute URL")?;
    if url.fragment().is_some() {
        return Err("a redirect URI cannot have a fragment");
    }
    let local = matches!(url.host(), Some(url::Host::Domain("localhost")))
        || url.host_str().is_some_and(|host| host.ends_with(".localhost"))
        || matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    match url.scheme() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        _ => Err("use https (http only on localhost or a loopback address)"),
    }
}

/// Whether some client's ID tokens are EdDSA: only then are the Ed25519 keys published.
pub async fn any_uses_eddsa(store: &Store) -> Result<bool, sqlx::Error> {
    oauth::any_with_id_token_alg(store.pool(), IdTokenAlg::EdDsa.as_str()).await
}

/// The client of a token request, if `secret` is its secret (a public client sends none).
pub async fn authenticate(store: &Store, client_id: &str, secret: Option<&str>) -> Result<Option<Client>, sqlx::Error> {
    let Some(client) = oauth::client(store.pool(), client_id).await? else { return Ok(None) };
    let accepted = match (&client.secret_hash, secret) {
        (None, None) => true,
        (Some(expected), Some(secret)) => bool::from(hash(secret).as_bytes().ct_eq(expected.as_bytes())),
        _ => false,
    };
    Ok(accepted.then_some(client))
}

#[cfg(test)]
mod tests {
    use super::check_redirect_uri;

    #[test]
    fn redirect_uris_are_https_or_local_http_without_a_fragment() {
        assert!(check_redirect_uri("https://grafana.example.com/login/generic_oauth").is_ok());
        assert!(check_redirect_uri("http://localhost:3000/cb").is_ok());
        assert!(check_redirect_uri("http://127.0.0.1:8080/cb").is_ok());
        assert!(check_redirect_uri("http://grafana.example.com/cb").is_err());
        assert!(check_redirect_uri("https://example.com/cb#x").is_err());
        assert!(check_redirect_uri("/cb").is_err());
    }
}
