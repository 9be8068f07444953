//! The providers of `gatehouse.toml`'s `[[oidc_providers]]`, read at start; mistakes are
//! reported one line each (`gatehouse check-config`), and the server does not start with one.

use secrecy::SecretString;
use url::Url;

/// The part of `gatehouse.toml` read here.
pub const KEYS: [&str; 1] = ["oidc_providers"];
const PROVIDER_KEYS: [&str; 5] = ["id", "name", "issuer", "client_id", "client_secret"];

#[derive(Debug, Clone)]
pub struct ProviderSettings {
    /// `[a-z0-9-]`, in the provider's URLs here (`/login/oidc/{id}`).
    pub id: String,
    /// What the login page's button says: "Continue with {name}".
    pub name: String,
    /// As written: discovery compares the provider's `issuer` with it character for
    /// character (a trailing slash matters).
    pub issuer: String,
    pub client_id: String,
    /// From the file, or from the environment as `OIDC_{ID}_CLIENT_SECRET` (the id in
    /// capitals, `-` as `_`), so the file need not hold it.
    pub client_secret: SecretString,
}

impl ProviderSettings {
    /// The variable that may hold the client secret.
    pub fn secret_variable(id: &str) -> String {
        format!("OIDC_{}_CLIENT_SECRET", id.to_ascii_uppercase().replace('-', "_"))
    }
}

/// The providers in a parsed `gatehouse.toml`, or one line per mistake.
pub fn from_toml(
    table: &toml::Table,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Vec<ProviderSettings>, Vec<String>> {
    let entries = match table.get("oidc_providers") {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(entries)) => entries,
        Some(_) => return Err(vec!["oidc_providers must be a list of [[oidc_providers]] tables".into()]),
    };
    let mut problems = Vec::new();
    let mut providers: Vec<ProviderSettings> = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let at = format!("oidc_providers[{index}]");
        let Some(entry) = entry.as_table() else {
            problems.push(format!("{at} must be a table"));
            continue;
        };
        match provider(entry, &at, &env) {
            Ok(provider) if providers.iter().any(|known| known.id == provider.id) => {
                problems.push(format!("{at}.id: {:?} is used twice", provider.id));
            }
            Ok(provider) => providers.push(provider),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() { Ok(providers) } else { Err(problems) }
}

fn provider(
    entry: &toml::Table,
    at: &str,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<ProviderSettings, Vec<String>> {
    let mut problems: Vec<String> = entry
        .keys()
        .filter(|key| !PROVIDER_KEYS.contains(&key.as_str()))
        .map(|key| format!("{at}: unknown key {key:?} (known: {})", PROVIDER_KEYS.join(", ")))
        .collect();
    let text = |key: &str| match entry.get(key) {
        None => Err(format!("{at}: {key} is missing")),
        Some(toml::Value::String(value)) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        Some(_) => Err(format!("{at}.{key} must be a non-empty string")),
    };
    let id = text("id").and_then(|id| {
        let valid = id.len() <= 32 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid { Ok(id) } else { Err(format!("{at}.id: {id:?} must be 1 to 32 of a-z, 0-9 and -")) }
    });
    let issuer = text("issuer").and_then(|issuer| match Url::parse(&issuer) {
        Ok(url) if url.scheme() == "https" || url.scheme() == "http" => Ok(issuer),
        _ => Err(format!("{at}.issuer: {issuer:?} is not an http(s) URL")),
    });
    let secret = match (entry.get("client_secret"), &id) {
        (Some(_), _) => text("client_secret"),
        (None, Ok(id)) => env(&ProviderSettings::secret_variable(id)).ok_or_else(|| {
            format!("{at}: client_secret is missing (or set {})", ProviderSettings::secret_variable(id))
        }),
        (None, Err(_)) => Err(format!("{at}: client_secret is missing")),
    };
    let (name, client_id) = (text("name"), text("client_id"));
    for result in [&id, &name, &client_id, &secret] {
        if let Err(problem) = result {
            problems.push(problem.clone());
        }
    }
    if let Err(problem) = &issuer {
        problems.push(problem.clone());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ProviderSettings {
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        issuer: issuer.expect("checked above"),
        client_id: client_id.unwrap_or_default(),
        client_secret: SecretString::from(secret.unwrap_or_default()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<ProviderSettings>, Vec<String>> {
        let env = |name: &str| (name == "OIDC_CORP_CLIENT_SECRET").then(|| "from-env".to_owned());
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
    }

    #[test]
    fn each_mistake_is_one_line() {
        let problems = parse(
            "[[oidc_providers]]\nid = \"Corp!\"\nname = \"x\"\nissuer = \"ftp://x\"\nclient_id = \"c\"\nclient_secret = \"s\"\ncolour = 1\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("unknown key \"colour\"")));
        assert!(problems.iter().any(|p| p.contains("a-z, 0-9")));
        assert!(problems.iter().any(|p| p.contains("not an http(s) URL")));
    }
}
