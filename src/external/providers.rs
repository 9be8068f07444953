//! The providers of `gatehouse.toml`: `[[oidc_providers]]` (OpenID Connect, found by
//! discovery) and `[[oauth2_providers]]` (plain OAuth2, such as GitHub, described by their
//! URLs or a `preset`), read at start; mistakes are reported one line each (`gatehouse
//! check-config`), and the server does not start with one.

use secrecy::SecretString;
use url::Url;

/// The parts of `gatehouse.toml` read here.
pub const KEYS: [&str; 2] = ["oidc_providers", "oauth2_providers"];
const OIDC_KEYS: [&str; 6] = ["id", "name", "issuer", "client_id", "client_secret", "token_endpoint_auth_method"];
const OAUTH2_KEYS: [&str; 15] = [
    "id",
    "name",
    "preset",
    "client_id",
    "client_secret",
    "token_endpoint_auth_method",
    "authorization_url",
    "token_url",
    "userinfo_url",
    "emails_url",
    "scopes",
    "subject_claim",
    "email_claim",
    "email_verified_claim",
    "pkce",
];

#[derive(Debug, Clone)]
pub struct ProviderSettings {
    /// `[a-z0-9-]`, unique among all providers, in the provider's URLs here
    /// (`/login/oidc/{id}` or `/login/oauth2/{id}`).
    pub id: String,
    /// What the login page's button says: "Continue with {name}".
    pub name: String,
    pub client_id: String,
    /// From the file, or from the environment (see [`ProviderSettings::secret_variable`]),
    /// so the file need not hold it.
    pub client_secret: SecretString,
    pub protocol: Protocol,
}

#[derive(Debug, Clone)]
pub enum Protocol {
    OpenIdConnect {
        /// As written: discovery compares the provider's `issuer` with it character for
        /// character (a trailing slash matters).
        issuer: String,
        /// `None`: as the provider's metadata says (Basic when it offers both).
        token_auth: Option<TokenAuth>,
    },
    OAuth2(Box<OAuth2Settings>),
}

/// How Gatehouse proves itself at the provider's token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAuth {
    /// `client_secret_basic`: HTTP Basic.
    Basic,
    /// `client_secret_post`: in the form.
    Post,
}

/// A plain OAuth2 provider: where to send people, where to trade the code, and how to read
/// who they are.
#[derive(Debug, Clone)]
pub struct OAuth2Settings {
    pub authorization_url: Url,
    pub token_url: Url,
    pub userinfo_url: Url,
    /// GitHub's `/user/emails`: the address is the primary one, if it is verified.
    pub emails_url: Option<Url>,
    pub scopes: Vec<String>,
    /// The userinfo member naming the person for good (a string or a number).
    pub subject_claim: String,
    pub email_claim: String,
    /// The userinfo member saying the address is verified; without it, none is.
    pub email_verified_claim: String,
    pub pkce: bool,
    pub token_auth: TokenAuth,
}

impl ProviderSettings {
    /// The variable that may hold the client secret: `OIDC_{ID}_CLIENT_SECRET` or
    /// `OAUTH2_{ID}_CLIENT_SECRET` (the id in capitals, `-` as `_`).
    pub fn secret_variable(kind: &str, id: &str) -> String {
        format!("{}_{}_CLIENT_SECRET", kind.to_ascii_uppercase(), id.to_ascii_uppercase().replace('-', "_"))
    }

    /// The path segment of its routes: `oidc` or `oauth2`.
    pub fn kind(&self) -> &'static str {
        match self.protocol {
            Protocol::OpenIdConnect { .. } => "oidc",
            Protocol::OAuth2(_) => "oauth2",
        }
    }

    /// Where the browser is sent: the issuer's or the authorization URL's origin.
    pub fn origin(&self) -> Option<String> {
        let url = match &self.protocol {
            Protocol::OpenIdConnect { issuer, .. } => Url::parse(issuer).ok()?,
            Protocol::OAuth2(oauth2) => oauth2.authorization_url.clone(),
        };
        Some(url.origin().ascii_serialization())
    }
}

/// GitHub's documented endpoints (github.com); GitHub Enterprise sets its own URLs.
fn github() -> [(&'static str, &'static str); 4] {
    [
        ("authorization_url", "https://github.com/login/oauth/authorize"),
        ("token_url", "https://github.com/login/oauth/access_token"),
        ("userinfo_url", "https://api.github.com/user"),
        ("emails_url", "https://api.github.com/user/emails"),
    ]
}

/// The providers in a parsed `gatehouse.toml`, or one line per mistake.
pub fn from_toml(
    table: &toml::Table,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Vec<ProviderSettings>, Vec<String>> {
    let mut problems = Vec::new();
    let mut providers: Vec<ProviderSettings> = Vec::new();
    for kind in KEYS {
        let entries = match table.get(kind) {
            None => continue,
            Some(toml::Value::Array(entries)) => entries,
            Some(_) => {
                problems.push(format!("{kind} must be a list of [[{kind}]] tables"));
                continue;
            }
        };
        for (index, entry) in entries.iter().enumerate() {
            let at = format!("{kind}[{index}]");
            let Some(entry) = entry.as_table() else {
                problems.push(format!("{at} must be a table"));
                continue;
            };
            let read = Entry { table: entry, at: &at };
            let parsed = if kind == "oidc_providers" { read.oidc(&env) } else { read.oauth2(&env) };
            match parsed {
                Ok(provider) if providers.iter().any(|known| known.id == provider.id) => {
                    problems.push(format!("{at}.id: {:?} is used twice", provider.id));
                }
                Ok(provider) => providers.push(provider),
                Err(mut found) => problems.append(&mut found),
            }
        }
    }
    if problems.is_empty() { Ok(providers) } else { Err(problems) }
}

/// One provider's table, and where it is in the file (for the messages).
struct Entry<'a> {
    table: &'a toml::Table,
    at: &'a str,
}

impl Entry<'_> {
    fn unknown_keys(&self, known: &[&str]) -> Vec<String> {
        let at = self.at;
        self.table
            .keys()
            .filter(|key| !known.contains(&key.as_str()))
            .map(|key| format!("{at}: unknown key {key:?} (known: {})", known.join(", ")))
            .collect()
    }

    fn text(&self, key: &str) -> Result<String, String> {
        match self.table.get(key) {
            None => Err(format!("{}: {key} is missing", self.at)),
            Some(toml::Value::String(value)) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
            Some(_) => Err(format!("{}.{key} must be a non-empty string", self.at)),
        }
    }

    fn text_or(&self, key: &str, default: Option<&str>) -> Result<String, String> {
        match (self.table.get(key), default) {
            (None, Some(default)) => Ok(default.to_owned()),
            _ => self.text(key),
        }
    }

    fn url(&self, key: &str, default: Option<&str>) -> Result<Url, String> {
        let text = self.text_or(key, default)?;
        match Url::parse(&text) {
            Ok(url) if url.scheme() == "https" || url.scheme() == "http" => Ok(url),
            _ => Err(format!("{}.{key}: {text:?} is not an http(s) URL", self.at)),
        }
    }

    fn id(&self) -> Result<String, String> {
        self.text("id").and_then(|id| {
            let valid = id.len() <= 32 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if valid { Ok(id) } else { Err(format!("{}.id: {id:?} must be 1 to 32 of a-z, 0-9 and -", self.at)) }
        })
    }

    fn secret(
        &self,
        kind: &str,
        id: &Result<String, String>,
        env: &impl Fn(&str) -> Option<String>,
    ) -> Result<String, String> {
        let at = self.at;
        match (self.table.get("client_secret"), id) {
            (Some(_), _) => self.text("client_secret"),
            (None, Ok(id)) => {
                let variable = ProviderSettings::secret_variable(kind, id);
                env(&variable).ok_or_else(|| format!("{at}: client_secret is missing (or set {variable})"))
            }
            (None, Err(_)) => Err(format!("{at}: client_secret is missing")),
        }
    }

    fn token_auth(&self) -> Result<Option<TokenAuth>, String> {
        match self.table.get("token_endpoint_auth_method").map(toml::Value::as_str) {
            None => Ok(None),
            Some(Some("client_secret_basic")) => Ok(Some(TokenAuth::Basic)),
            Some(Some("client_secret_post")) => Ok(Some(TokenAuth::Post)),
            Some(_) => {
                Err(format!("{}.token_endpoint_auth_method must be client_secret_basic or client_secret_post", self.at))
            }
        }
    }

    fn oidc(&self, env: &impl Fn(&str) -> Option<String>) -> Result<ProviderSettings, Vec<String>> {
        let mut problems = self.unknown_keys(&OIDC_KEYS);
        let id = self.id();
        // Kept as written (discovery compares it character for character), once it parses.
        let issuer = self.url("issuer", None).and_then(|_| self.text("issuer"));
        let secret = self.secret("oidc", &id, env);
        let (name, client_id, token_auth) = (self.text("name"), self.text("client_id"), self.token_auth());
        let failed = [id.as_ref().err(), name.as_ref().err(), client_id.as_ref().err(), secret.as_ref().err()];
        problems.extend(failed.into_iter().flatten().cloned());
        problems.extend([issuer.as_ref().err(), token_auth.as_ref().err()].into_iter().flatten().cloned());
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ProviderSettings {
            id: id.unwrap_or_default(),
            name: name.unwrap_or_default(),
            client_id: client_id.unwrap_or_default(),
            client_secret: SecretString::from(secret.unwrap_or_default()),
            protocol: Protocol::OpenIdConnect {
                issuer: issuer.unwrap_or_default(),
                token_auth: token_auth.unwrap_or_default(),
            },
        })
    }

    fn oauth2(&self, env: &impl Fn(&str) -> Option<String>) -> Result<ProviderSettings, Vec<String>> {
        let mut problems = self.unknown_keys(&OAUTH2_KEYS);
        let preset = match self.table.get("preset").map(toml::Value::as_str) {
            None => Ok(None),
            Some(Some("github")) => Ok(Some(github())),
            Some(_) => Err(format!("{}.preset must be \"github\" (or left out)", self.at)),
        };
        let preset_value = |key: &str| {
            let urls = preset.as_ref().ok().and_then(Option::as_ref)?;
            urls.iter().find(|(name, _)| *name == key).map(|(_, url)| *url)
        };
        let is_github = matches!(preset, Ok(Some(_)));
        let id = self.id();
        let secret = self.secret("oauth2", &id, env);
        let (name, client_id, token_auth) = (self.text("name"), self.text("client_id"), self.token_auth());
        let authorization_url = self.url("authorization_url", preset_value("authorization_url"));
        let token_url = self.url("token_url", preset_value("token_url"));
        let userinfo_url = self.url("userinfo_url", preset_value("userinfo_url"));
        let emails_url = match (self.table.contains_key("emails_url"), preset_value("emails_url")) {
            (false, None) => Ok(None),
            (_, default) => self.url("emails_url", default).map(Some),
        };
        let scopes = match self.table.get("scopes") {
            None if is_github => Ok(vec!["read:user".to_owned(), "user:email".to_owned()]),
            None => Ok(Vec::new()),
            Some(toml::Value::Array(scopes)) => scopes
                .iter()
                .map(|scope| scope.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("{}.scopes must be a list of strings", self.at)),
            Some(_) => Err(format!("{}.scopes must be a list of strings", self.at)),
        };
        let subject_claim = self.text_or("subject_claim", Some(if is_github { "id" } else { "sub" }));
        let email_claim = self.text_or("email_claim", Some("email"));
        let email_verified_claim = self.text_or("email_verified_claim", Some("email_verified"));
        let pkce = match self.table.get("pkce") {
            None => Ok(true),
            Some(toml::Value::Boolean(pkce)) => Ok(*pkce),
            Some(_) => Err(format!("{}.pkce must be true or false", self.at)),
        };
        let texts = [&id, &name, &client_id, &secret, &subject_claim, &email_claim, &email_verified_claim];
        problems.extend(texts.into_iter().filter_map(|text| text.as_ref().err()).cloned());
        let urls = [&authorization_url, &token_url, &userinfo_url];
        problems.extend(urls.into_iter().filter_map(|url| url.as_ref().err()).cloned());
        problems.extend([preset.as_ref().err(), token_auth.as_ref().err()].into_iter().flatten().cloned());
        problems.extend(
            [emails_url.as_ref().err(), scopes.as_ref().err(), pkce.as_ref().err()].into_iter().flatten().cloned(),
        );
        if !problems.is_empty() {
            return Err(problems);
        }
        // GitHub takes the client's secret in the form.
        let default_auth = if is_github { TokenAuth::Post } else { TokenAuth::Basic };
        let ok = |result: Result<String, String>| result.unwrap_or_default();
        Ok(ProviderSettings {
            id: ok(id),
            name: ok(name),
            client_id: ok(client_id),
            client_secret: SecretString::from(ok(secret)),
            protocol: Protocol::OAuth2(Box::new(OAuth2Settings {
                authorization_url: authorization_url.expect("checked above"),
                token_url: token_url.expect("checked above"),
                userinfo_url: userinfo_url.expect("checked above"),
                emails_url: emails_url.unwrap_or_default(),
                scopes: scopes.unwrap_or_default(),
                subject_claim: ok(subject_claim),
                email_claim: ok(email_claim),
                email_verified_claim: ok(email_verified_claim),
                pkce: pkce.unwrap_or(true),
                token_auth: token_auth.ok().flatten().unwrap_or(default_auth),
            })),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<ProviderSettings>, Vec<String>> {
        let env = |name: &str| {
            matches!(name, "OIDC_CORP_CLIENT_SECRET" | "OAUTH2_GITHUB_CLIENT_SECRET").then(|| "from-env".to_owned())
        };
        from_toml(&text.parse().unwrap(), env)
    }

    #[test]
    fn a_provider_takes_its_secret_from_the_file_or_the_environment() {
        let providers = parse(
            "[[oidc_providers]]\nid = \"corp\"\nname = \"Corp SSO\"\nissuer = \"https://sso.example.com\"\nclient_id = \"gh\"\n",
        )
        .unwrap();
        assert_eq!(providers[0].name, "Corp SSO");
        assert_eq!(secrecy::ExposeSecret::expose_secret(&providers[0].client_secret), "from-env");
        assert!(matches!(providers[0].protocol, Protocol::OpenIdConnect { token_auth: None, .. }));
    }

    #[test]
    fn each_mistake_is_one_line() {
        let problems = parse(
            "[[oidc_providers]]\nid = \"Corp!\"\nname = \"x\"\nissuer = \"ftp://x\"\nclient_id = \"c\"\nclient_secret = \"s\"\ncolour = 1\n\
             token_endpoint_auth_method = \"private_key_jwt\"\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("unknown key \"colour\"")));
        assert!(problems.iter().any(|p| p.contains("a-z, 0-9")));
        assert!(problems.iter().any(|p| p.contains("not an http(s) URL")));
        assert!(problems.iter().any(|p| p.contains("client_secret_basic or client_secret_post")));
    }

    #[test]
    fn the_github_preset_fills_what_github_needs_and_each_url_can_be_set() {
        let providers = parse(
            "[[oauth2_providers]]\nid = \"github\"\nname = \"GitHub\"\npreset = \"github\"\nclient_id = \"Iv1\"\n\n\
             [[oauth2_providers]]\nid = \"ghe\"\nname = \"GitHub Enterprise\"\npreset = \"github\"\nclient_id = \"x\"\n\
             client_secret = \"s\"\nauthorization_url = \"https://ghe.example.com/login/oauth/authorize\"\n",
        )
        .unwrap();
        let Protocol::OAuth2(github) = &providers[0].protocol else { panic!("an OAuth2 provider") };
        assert_eq!(github.token_url.as_str(), "https://github.com/login/oauth/access_token");
        assert_eq!(github.emails_url.as_ref().unwrap().as_str(), "https://api.github.com/user/emails");
        assert_eq!((github.subject_claim.as_str(), github.token_auth), ("id", TokenAuth::Post));
        assert_eq!(github.scopes, ["read:user", "user:email"]);
        assert_eq!(providers[0].kind(), "oauth2");
        let Protocol::OAuth2(enterprise) = &providers[1].protocol else { panic!("an OAuth2 provider") };
        assert_eq!(enterprise.authorization_url.as_str(), "https://ghe.example.com/login/oauth/authorize");
    }

    #[test]
    fn a_plain_oauth2_provider_names_its_urls_and_ids_are_unique_across_kinds() {
        let problems = parse(
            "[[oauth2_providers]]\nid = \"x\"\nname = \"x\"\nclient_id = \"c\"\nclient_secret = \"s\"\npreset = \"gitlab\"\n",
        )
        .unwrap_err();
        assert!(problems.iter().any(|p| p.contains("preset must be")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("authorization_url is missing")), "{problems:?}");
        let problems = parse(
            "[[oauth2_providers]]\nid = \"corp\"\nname = \"x\"\nclient_id = \"c\"\npreset = \"github\"\nclient_secret = \"s\"\n\
             [[oidc_providers]]\nid = \"corp\"\nname = \"Corp SSO\"\nissuer = \"https://sso.example.com\"\nclient_id = \"gh\"\n",
        )
        .unwrap_err();
        assert_eq!(problems, ["oauth2_providers[0].id: \"corp\" is used twice"]);
    }
}
