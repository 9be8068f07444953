//! The apps that sign their users in through Gatehouse, registered by the operator
//! (`gatehouse client add`, `client update`). A confidential client gets a secret, shown
//! once and kept as a hash; a public one (a single-page or mobile app) has none and relies
//! on PKCE. A service registered for `client_credentials` gets tokens for itself.

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

/// A grant a client may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GrantType {
    /// Users sign in through the app (with refresh tokens under `offline_access`).
    #[value(name = "authorization_code")]
    AuthorizationCode,
    /// The client acts for itself, with its own scopes and no user (a service).
    #[value(name = "client_credentials")]
    ClientCredentials,
}

impl GrantType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::ClientCredentials => "client_credentials",
        }
    }
}

/// What the operator registers.
pub struct NewClient<'a> {
    pub name: &'a str,
    pub redirect_uris: &'a [String],
    pub post_logout_redirect_uris: &'a [String],
    pub public: bool,
    pub skip_consent: bool,
    pub id_token_alg: IdTokenAlg,
    /// None given: `authorization_code`.
    pub grants: &'a [GrantType],
    pub scopes: &'a [String],
}

/// What the operator changes of a registered client; `None` keeps what it has. A list
/// given replaces the registered one (an empty value in it is dropped, so `""` clears).
#[derive(Default)]
pub struct ClientChanges {
    pub name: Option<String>,
    pub redirect_uris: Option<Vec<String>>,
    pub post_logout_redirect_uris: Option<Vec<String>>,
    pub skip_consent: Option<bool>,
    pub id_token_alg: Option<IdTokenAlg>,
    pub grants: Option<Vec<GrantType>>,
    pub scopes: Option<Vec<String>>,
}

/// Registers a client; each redirect URI must be an absolute `https` URL (or `http` on
/// `localhost` or loopback), with no fragment, and is later matched exactly.
pub async fn register(store: &Store, new: NewClient<'_>) -> anyhow::Result<Registered> {
    let secret = (!new.public).then(random_secret);
    let client = Client {
        client_id: random_secret()[..22].to_owned(),
        secret_hash: secret.as_deref().map(hash),
        name: new.name.trim().to_owned(),
        redirect_uris: lines(new.redirect_uris),
        skip_consent: i64::from(new.skip_consent),
        id_token_alg: new.id_token_alg.as_str().to_owned(),
        created_at: store::now(),
        post_logout_redirect_uris: lines(new.post_logout_redirect_uris),
        grant_types: grant_types(new.grants),
        scopes: words(new.scopes),
    };
    check(&client)?;
    oauth::insert_client(store.pool(), &client).await?;
    Ok(Registered { client_id: client.client_id, client_secret: secret })
}

/// Changes a registered client; the same rules as at registration hold after.
pub async fn update(store: &Store, client_id: &str, changes: ClientChanges) -> anyhow::Result<()> {
    let mut client =
        oauth::client(store.pool(), client_id).await?.ok_or_else(|| anyhow::anyhow!("no client {client_id}"))?;
    if let Some(name) = changes.name {
        client.name = name.trim().to_owned();
    }
    if let Some(uris) = changes.redirect_uris {
        client.redirect_uris = lines(&uris);
    }
    if let Some(uris) = changes.post_logout_redirect_uris {
        client.post_logout_redirect_uris = lines(&uris);
    }
    if let Some(skip) = changes.skip_consent {
        client.skip_consent = i64::from(skip);
    }
    if let Some(alg) = changes.id_token_alg {
        client.id_token_alg = alg.as_str().to_owned();
    }
    if let Some(grants) = changes.grants {
        client.grant_types = grant_types(&grants);
    }
    if let Some(scopes) = changes.scopes {
        client.scopes = words(&scopes);
    }
    check(&client)?;
    anyhow::ensure!(oauth::update_client(store.pool(), &client).await?, "no client {client_id}");
    Ok(())
}

fn lines(values: &[String]) -> String {
    values.iter().map(|value| value.trim()).filter(|value| !value.is_empty()).collect::<Vec<_>>().join("\n")
}

fn words(values: &[String]) -> String {
    values.iter().flat_map(|value| value.split_whitespace()).collect::<Vec<_>>().join(" ")
}

fn grant_types(grants: &[GrantType]) -> String {
    let grants = if grants.is_empty() { &[GrantType::AuthorizationCode][..] } else { grants };
    let mut names: Vec<&str> = grants.iter().map(|grant| grant.as_str()).collect();
    names.dedup();
    names.join(" ")
}

/// The rules a client's settings follow, at registration and after each change.
fn check(client: &Client) -> anyhow::Result<()> {
    anyhow::ensure!(!client.name.is_empty(), "--name: give the app a name its users will recognise");
    let signs_users_in = client.allows_grant(GrantType::AuthorizationCode.as_str());
    if signs_users_in {
        anyhow::ensure!(client.redirect_uris().next().is_some(), "--redirect-uri: give at least one");
    }
    for uri in client.redirect_uris() {
        check_redirect_uri(uri).map_err(|why| anyhow::anyhow!("--redirect-uri {uri}: {why}"))?;
    }
    for uri in client.post_logout_redirect_uris() {
        check_redirect_uri(uri).map_err(|why| anyhow::anyhow!("--post-logout-redirect-uri {uri}: {why}"))?;
    }
    if client.allows_grant(GrantType::ClientCredentials.as_str()) {
        anyhow::ensure!(
            !client.is_public(),
            "--grant client_credentials: a public client has no secret to prove itself with"
        );
    }
    for scope in client.scopes.split(' ').filter(|scope| !scope.is_empty()) {
        anyhow::ensure!(
            is_scope_token(scope) && !super::SCOPES.contains(&scope),
            "--scope {scope}: a service's own scope, one word of printable ASCII, not one of {:?}",
            super::SCOPES
        );
    }
    Ok(())
}

/// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
fn is_scope_token(scope: &str) -> bool {
    !scope.is_empty() && scope.bytes().all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
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
        assert!(
            super::is_scope_token("reports:read") && !super::is_scope_token("a\\b") && !super::is_scope_token("a b")
        );
        assert!(check_redirect_uri("https://example.com/cb#x").is_err());
        assert!(check_redirect_uri("/cb").is_err());
    }
}
