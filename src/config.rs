//! Settings: every one is an environment variable and a flag of `gatehouse serve`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

use clap::Args;
use ipnet::IpNet;
use lettre::message::Mailbox;
use secrecy::SecretString;
use url::Url;

use crate::branding::{self, Branding};
use crate::domain::password::{LOWEST_MIN_LENGTH, MAX_LENGTH, RECOMMENDED_MIN_LENGTH};
use crate::domain::signup::parse_allowed_domain;
use crate::domain::{PasswordPolicy, SignupMode, SignupPolicy};
use crate::external::providers::{self, ProviderSettings};
use crate::forward_auth::{AccessRules, rules};
use crate::store::PoolSettings;

// Each default once: the flags, the environment, the files and `Config::with_database`
// all take them from here (or from the type they configure).
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://gatehouse.db";
pub const DEFAULT_MAIL_FROM: &str = "Gatehouse <no-reply@localhost>";
pub const DEFAULT_LOGIN_RATE: u32 = 10;
pub const DEFAULT_JWT_AUDIENCE: &str = "gatehouse";
pub const DEFAULT_INVITATION_VALID_DAYS: u32 = 7;
/// Forms are small; this leaves room for 10,000-character fields, percent-encoded.
pub const BODY_LIMIT: usize = 256 * 1024;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Listen address; port 0 picks a free port.
    #[arg(long = "addr", env = "GATEHOUSE_ADDR", default_value = DEFAULT_ADDR, value_parser = parse_addr)]
    pub addr: SocketAddr,

    /// `sqlite://PATH` or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_parser = parse_database_url)]
    pub database_url: String,

    /// Public origin people open and email links use [default: http:// and the listen
    /// address, with localhost for an unspecified one like 0.0.0.0].
    #[arg(long, env = "BASE_URL", value_parser = parse_base_url)]
    pub base_url: Option<Url>,

    /// `smtp://host:port`, `smtp://user:pass@host:587?tls=required` or `smtps://...`; unset = mail goes to the log.
    #[arg(long, env = "SMTP_URL", value_parser = parse_smtp_url, hide_env_values = true)]
    pub smtp_url: Option<SecretString>,

    /// A PEM file of CA certificates that SMTP_URL's TLS trusts besides the public ones (a relay with a private CA).
    #[arg(long, env = "SMTP_CA_FILE")]
    pub smtp_ca_file: Option<std::path::PathBuf>,

    /// Sender of every email.
    #[arg(long, env = "MAIL_FROM", default_value = DEFAULT_MAIL_FROM, value_parser = parse_mail_from)]
    pub mail_from: Mailbox,

    /// Login attempts a client IP may make at once.
    #[arg(long, env = "LOGIN_RATE_BURST", default_value_t = DEFAULT_LOGIN_RATE, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_rate_burst: u32,

    /// Login attempts a client IP regains per minute.
    #[arg(long, env = "LOGIN_RATE_PER_MINUTE", default_value_t = DEFAULT_LOGIN_RATE, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_rate_per_minute: u32,

    /// Comma-separated CIDRs of proxies whose X-Forwarded-For is believed.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_cidr)]
    pub trusted_proxies: Vec<IpNet>,

    /// Most database connections this instance keeps open.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = PoolSettings::DEFAULT_MAX_CONNECTIONS, value_parser = parse_max_connections)]
    pub database_max_connections: u32,

    /// Seconds a request waits for a database connection before it is answered with 503.
    #[arg(long, env = "DATABASE_ACQUIRE_TIMEOUT", default_value_t = PoolSettings::DEFAULT_ACQUIRE_TIMEOUT_SECS, value_parser = parse_acquire_timeout)]
    pub database_acquire_timeout: u64,

    /// Serve Prometheus metrics at http://METRICS_ADDR/metrics (unset = off).
    #[arg(long, env = "METRICS_ADDR", value_parser = parse_metrics_addr)]
    pub metrics_addr: Option<SocketAddr>,

    /// The `aud` claim of access tokens.
    #[arg(long, env = "JWT_AUDIENCE", default_value = DEFAULT_JWT_AUDIENCE)]
    pub jwt_audience: String,

    /// Comma-separated origins allowed to call /api/* from browsers (empty = no CORS).
    #[arg(long, env = "CORS_ALLOWED_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_allowed_origins: Vec<String>,

    /// A file whose bytes seal the signing keys kept in the database (unset = unsealed).
    #[arg(long, env = "SECRET_KEY_FILE")]
    pub secret_key_file: Option<std::path::PathBuf>,

    /// Most connections open at once [default: 4096, or the file-descriptor limit less a reserve].
    #[arg(long, env = "MAX_CONNECTIONS", value_parser = parse_max_open_connections)]
    pub max_connections: Option<usize>,

    /// Open connections one client (an IPv4 address, an IPv6 /64) may hold; trusted proxies are exempt.
    #[arg(long, env = "MAX_CONNECTIONS_PER_IP", default_value_t = crate::listener::DEFAULT_MAX_CONNECTIONS_PER_IP, value_parser = parse_max_connections_per_ip)]
    pub max_connections_per_ip: usize,

    /// Share the session cookie with this domain and its subdomains, for apps behind forward auth (unset = this host only).
    #[arg(long, env = "SESSION_COOKIE_DOMAIN", value_parser = parse_cookie_domain)]
    pub session_cookie_domain: Option<String>,

    /// The access rules for forward auth, from `gatehouse.toml` (no flag or variable).
    #[arg(skip)]
    pub access_rules: Arc<AccessRules>,
    /// The providers people may sign in with, from `gatehouse.toml`.
    #[arg(skip)]
    pub sign_in_providers: Arc<Vec<ProviderSettings>>,
    /// The operator's name, colours and files for pages and mail, from `gatehouse.toml`.
    #[arg(skip)]
    pub branding: Arc<Branding>,

    /// Who may sign up: open (anyone), invite (only people an admin invited) or closed (only accounts the operator creates).
    #[arg(long, env = "SIGNUP", value_enum, default_value_t = SignupMode::Open)]
    pub signup: SignupMode,

    /// Comma-separated address domains open sign-up is limited to (empty = any domain).
    #[arg(long, env = "SIGNUP_ALLOWED_DOMAINS", value_delimiter = ',', value_parser = parse_allowed_domain)]
    pub signup_allowed_domains: Vec<String>,

    /// Days an invitation's link stays valid.
    #[arg(long, env = "INVITATION_VALID_DAYS", default_value_t = DEFAULT_INVITATION_VALID_DAYS, value_parser = parse_invitation_days)]
    pub invitation_valid_days: u32,

    /// Offer "email me a code" on the login page: a single-use code mailed to the address signs in as one factor.
    #[arg(long, env = "EMAIL_CODE_LOGIN", default_value_t = false, value_parser = parse_switch, action = clap::ArgAction::Set)]
    pub email_code_login: bool,

    /// Shortest password accepted at sign-up (8 to 128).
    #[arg(long, env = "PASSWORD_MIN_LENGTH", default_value_t = RECOMMENDED_MIN_LENGTH, value_parser = parse_min_length)]
    pub password_min_length: usize,
}

impl Config {
    /// The defaults of the contract, with nothing read from the environment.
    pub fn with_database(database_url: impl Into<String>) -> Self {
        Self {
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            database_url: database_url.into(),
            base_url: None,
            smtp_url: None,
            smtp_ca_file: None,
            mail_from: DEFAULT_MAIL_FROM.parse().expect("valid default sender"),
            login_rate_burst: DEFAULT_LOGIN_RATE,
            login_rate_per_minute: DEFAULT_LOGIN_RATE,
            trusted_proxies: Vec::new(),
            database_max_connections: PoolSettings::DEFAULT_MAX_CONNECTIONS,
            database_acquire_timeout: PoolSettings::DEFAULT_ACQUIRE_TIMEOUT_SECS,
            metrics_addr: None,
            jwt_audience: DEFAULT_JWT_AUDIENCE.into(),
            cors_allowed_origins: Vec::new(),
            password_min_length: RECOMMENDED_MIN_LENGTH,
            signup: SignupMode::Open,
            signup_allowed_domains: Vec::new(),
            invitation_valid_days: DEFAULT_INVITATION_VALID_DAYS,
            email_code_login: false,
            max_connections: None,
            max_connections_per_ip: crate::listener::DEFAULT_MAX_CONNECTIONS_PER_IP,
            secret_key_file: None,
            session_cookie_domain: None,
            access_rules: Arc::default(),
            sign_in_providers: Arc::default(),
            branding: Arc::default(),
        }
    }

    pub fn pool_options(&self) -> PoolSettings {
        PoolSettings {
            max_connections: self.database_max_connections,
            acquire_timeout: std::time::Duration::from_secs(self.database_acquire_timeout),
        }
    }

    pub fn signup_policy(&self) -> SignupPolicy {
        SignupPolicy { mode: self.signup, allowed_domains: self.signup_allowed_domains.clone() }
    }

    pub fn password_policy(&self) -> PasswordPolicy {
        PasswordPolicy { min_length: self.password_min_length }
    }

    /// How often a client IP regains one login attempt (nanoseconds, so that even very
    /// large per-minute budgets give a positive period).
    pub fn login_period(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(60_000_000_000 / u64::from(self.login_rate_per_minute.max(1)))
    }

    /// The login budget per client IP, shared by the login form, HTTP Basic and the token endpoint.
    pub fn login_quota(&self) -> governor::Quota {
        let burst = std::num::NonZeroU32::new(self.login_rate_burst).unwrap_or(std::num::NonZeroU32::MIN);
        governor::Quota::with_period(self.login_period()).expect("a positive period").allow_burst(burst)
    }

    /// Refuses a `SESSION_COOKIE_DOMAIN` that does not cover this server's own host: the
    /// browser would drop every session cookie, and each sign-in would loop back to the form.
    pub fn check_cookie_domain(&self, base_url: &Url) -> anyhow::Result<()> {
        let (Some(domain), Some(host)) = (&self.session_cookie_domain, base_url.host_str()) else { return Ok(()) };
        let host = host.to_ascii_lowercase();
        if host != *domain && !host.ends_with(&format!(".{domain}")) {
            anyhow::bail!(
                "SESSION_COOKIE_DOMAIN {domain:?} does not contain BASE_URL's host {host:?}: browsers would refuse \
                 the session cookie; set it to {host:?} or a parent domain of it"
            );
        }
        Ok(())
    }

    /// `BASE_URL`, or else the address the server listens on, exactly as it prints it,
    /// so the printed address and the mailed links share one origin (and one cookie jar).
    /// An unspecified address (`0.0.0.0`, `[::]`) is reached as `localhost`.
    pub fn base_url_for(&self, bound: SocketAddr) -> Url {
        self.base_url.clone().unwrap_or_else(|| {
            let origin = if bound.ip().is_unspecified() {
                format!("http://localhost:{}", bound.port())
            } else {
                format!("http://{bound}")
            };
            Url::parse(&origin).expect("a socket address makes a valid origin")
        })
    }
}

pub(crate) fn parse_addr(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|e| format!("GATEHOUSE_ADDR must be HOST:PORT like 127.0.0.1:3000 ({e})"))
}

fn parse_metrics_addr(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|e| format!("METRICS_ADDR must be HOST:PORT like 127.0.0.1:9100 ({e})"))
}

fn parse_origin(value: &str) -> Result<String, String> {
    let url = Url::parse(value.trim()).map_err(|_| format!("CORS_ALLOWED_ORIGINS entry {value:?} is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || url.path() != "/" {
        return Err(format!("CORS_ALLOWED_ORIGINS entry {value:?} must be an origin like https://app.example.com"));
    }
    Ok(url.origin().ascii_serialization())
}

fn parse_log_format(value: &str) -> Result<(), String> {
    match value {
        "text" | "json" => Ok(()),
        _ => Err("LOG_FORMAT must be text or json".into()),
    }
}

/// Every setting's variable and the check its value must pass, for `check-config`.
type Check = fn(&str) -> Result<(), String>;

const CHECKS: &[(&str, Check)] = &[
    ("GATEHOUSE_ADDR", |v| parse_addr(v).map(drop)),
    ("DATABASE_URL", |v| parse_database_url(v).map(drop)),
    ("BASE_URL", |v| parse_base_url(v).map(drop)),
    ("SMTP_URL", |v| parse_smtp_url(v).map(drop)),
    ("SMTP_CA_FILE", |v| crate::mail::sender::ca_certificates(v.as_ref()).map(drop).map_err(|e| format!("{e:#}"))),
    ("MAIL_FROM", |v| parse_mail_from(v).map(drop)),
    ("LOGIN_RATE_BURST", |v| parse_positive("LOGIN_RATE_BURST", v)),
    ("LOGIN_RATE_PER_MINUTE", |v| parse_positive("LOGIN_RATE_PER_MINUTE", v)),
    ("TRUSTED_PROXIES", |v| v.split(',').filter(|c| !c.trim().is_empty()).try_for_each(|c| parse_cidr(c).map(drop))),
    ("DATABASE_MAX_CONNECTIONS", |v| parse_max_connections(v).map(drop)),
    ("DATABASE_ACQUIRE_TIMEOUT", |v| parse_acquire_timeout(v).map(drop)),
    ("MAX_CONNECTIONS", |v| parse_max_open_connections(v).map(drop)),
    ("MAX_CONNECTIONS_PER_IP", |v| parse_max_connections_per_ip(v).map(drop)),
    ("SECRET_KEY_FILE", |v| {
        crate::security::vault::Vault::from_file(Some(v.as_ref())).map(drop).map_err(|e| format!("{e:#}"))
    }),
    ("METRICS_ADDR", |v| parse_metrics_addr(v).map(drop)),
    ("PASSWORD_MIN_LENGTH", |v| parse_min_length(v).map(drop)),
    ("SESSION_COOKIE_DOMAIN", |v| parse_cookie_domain(v).map(drop)),
    ("LOG_FORMAT", parse_log_format),
    ("SIGNUP", |v| match v {
        "open" | "invite" | "closed" => Ok(()),
        _ => Err("SIGNUP must be open, invite or closed".into()),
    }),
    ("SIGNUP_ALLOWED_DOMAINS", |v| {
        v.split(',').filter(|d| !d.trim().is_empty()).try_for_each(|d| parse_allowed_domain(d).map(drop))
    }),
    ("INVITATION_VALID_DAYS", |v| parse_invitation_days(v).map(drop)),
    ("EMAIL_CODE_LOGIN", |v| parse_switch(v).map(drop)),
    ("CORS_ALLOWED_ORIGINS", |v| {
        v.split(',').filter(|o| !o.trim().is_empty()).try_for_each(|o| parse_origin(o).map(drop))
    }),
];

fn parse_positive(name: &str, value: &str) -> Result<(), String> {
    match value.parse::<u32>() {
        Ok(n) if n > 0 => Ok(()),
        _ => Err(format!("{name} must be a whole number above 0")),
    }
}

/// Checks every setting that is set and returns one line per wrong one.
pub fn check_settings(files: &FileSettings) -> Vec<String> {
    CHECKS.iter().filter_map(|(name, check)| check(&files.get(name)?).err()).collect()
}

/// Settings from `.env` and `gatehouse.toml` (or the file `GATEHOUSE_CONFIG` names), by
/// variable name. They are read, never copied into the process's environment: a setting's
/// value is the flag's, else the environment's, else `.env`'s, else the file's, else the
/// default ([`FileSettings::get`]; for flags, clap takes the files' values as defaults).
#[derive(Debug, Default)]
pub struct FileSettings {
    settings: HashMap<String, String>,
    /// The tables of `gatehouse.toml` that are no single setting: the forward-auth rules
    /// ([`rules::KEYS`]), the sign-in providers ([`providers::KEYS`]) and the brand.
    rules: toml::Table,
    /// Where the files `gatehouse.toml` names are looked for: beside it.
    directory: std::path::PathBuf,
}

impl FileSettings {
    pub fn load() -> anyhow::Result<Self> {
        let mut settings = HashMap::new();
        let mut rule_table = toml::Table::new();
        let path = std::env::var("GATEHOUSE_CONFIG").unwrap_or_else(|_| "gatehouse.toml".into());
        if let Ok(text) = std::fs::read_to_string(&path) {
            let table: toml::Table = text.parse().with_context(|| format!("{path} is not valid TOML"))?;
            for (key, value) in table {
                let table = rules::KEYS.contains(&key.as_str()) || providers::KEYS.contains(&key.as_str());
                if table || key == branding::KEY {
                    rule_table.insert(key, value);
                } else {
                    settings.insert(key.to_ascii_uppercase(), toml_text(value));
                }
            }
        }
        match dotenvy::dotenv_iter() {
            Ok(lines) => {
                for line in lines {
                    let (name, value) = line.context(".env is not a valid dotenv file")?;
                    settings.insert(name, value);
                }
            }
            Err(dotenvy::Error::Io(_)) => {}
            Err(error) => return Err(error).context(".env is not a valid dotenv file"),
        }
        let directory = std::path::Path::new(&path).parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        Ok(Self { settings, rules: rule_table, directory })
    }

    /// The forward-auth access rules, or one line per mistake in them.
    pub fn access_rules(&self) -> Result<AccessRules, Vec<String>> {
        AccessRules::from_toml(&self.rules)
    }

    /// The other providers to sign in with (OpenID Connect and OAuth2), or one line per mistake; a
    /// client secret may come from the environment (or `.env`).
    pub fn sign_in_providers(&self) -> Result<Vec<ProviderSettings>, Vec<String>> {
        providers::from_toml(&self.rules, |name| self.get(name))
    }

    /// The brand for pages and mail, or one line per mistake in `[branding]`.
    pub fn branding(&self) -> Result<Branding, Vec<String>> {
        Branding::from_toml(&self.rules, &self.directory, |name| self.get(name))
    }

    /// A setting by its variable name: the environment's value, else the files'.
    pub fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().or_else(|| self.settings.get(name).cloned())
    }

    /// The files' value for a variable, for a flag's default (clap reads the environment).
    pub fn from_files(&self, name: &str) -> Option<&str> {
        self.settings.get(name).map(String::as_str)
    }
}

/// A TOML value as the text its variable would hold; arrays become comma-separated lists.
fn toml_text(value: toml::Value) -> String {
    match value {
        toml::Value::String(text) => text,
        toml::Value::Array(items) => items
            .iter()
            .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

pub fn parse_database_url(value: &str) -> Result<String, String> {
    if value.starts_with("sqlite:") || value.starts_with("postgres://") || value.starts_with("postgresql://") {
        Ok(value.to_owned())
    } else {
        Err("DATABASE_URL must start with sqlite:// or postgres://".into())
    }
}

pub(crate) fn parse_base_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| format!("BASE_URL is not a URL ({e})"))?;
    let origin_only = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || !origin_only {
        return Err("BASE_URL must be an origin like https://accounts.example.com".into());
    }
    Ok(url)
}

fn parse_smtp_url(value: &str) -> Result<SecretString, String> {
    let url = Url::parse(value).map_err(|_| "SMTP_URL is not a URL".to_owned())?;
    if !matches!(url.scheme(), "smtp" | "smtps") || url.host().is_none() {
        return Err("SMTP_URL must look like smtp://host:port or smtps://user:pass@host:465".into());
    }
    Ok(SecretString::from(value))
}

fn parse_mail_from(value: &str) -> Result<Mailbox, String> {
    value.parse().map_err(|e| format!("MAIL_FROM must be an address like \"Name <a@b.org>\" ({e})"))
}

/// A host name, lower case, without the leading dot some write (browsers ignore it).
/// Browsers refuse a cookie for a name of one label (`localhost`, `com`): the session
/// cookie would never be stored and every sign-in would loop back to the form.
fn parse_cookie_domain(value: &str) -> Result<String, String> {
    let domain = value.trim().trim_start_matches('.').to_ascii_lowercase();
    let valid = !domain.is_empty()
        && !domain.contains(['/', ':', '*', ' '])
        && matches!(url::Host::parse(&domain), Ok(url::Host::Domain(_)));
    if !valid {
        return Err(format!("SESSION_COOKIE_DOMAIN {value:?} must be a domain name like example.com"));
    }
    if !domain.trim_end_matches('.').contains('.') {
        return Err(format!(
            "SESSION_COOKIE_DOMAIN {value:?} is refused by browsers as a cookie domain (it has one label); \
             use a parent of BASE_URL's host with a dot, like example.com, or gatehouse.localhost to try it locally"
        ));
    }
    Ok(domain)
}

fn parse_max_connections_per_ip(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("MAX_CONNECTIONS_PER_IP must be a whole number above 0".into()),
    }
}

fn parse_cidr(value: &str) -> Result<IpNet, String> {
    let value = value.trim();
    value
        .parse::<IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("TRUSTED_PROXIES entry {value:?} is not a CIDR like 10.0.0.0/8"))
}

fn parse_max_connections(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("DATABASE_MAX_CONNECTIONS must be a number from 1 to 1000".into()),
    }
}

fn parse_max_open_connections(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if (1..=1_000_000).contains(&n) => Ok(n),
        _ => Err("MAX_CONNECTIONS must be a number from 1 to 1000000".into()),
    }
}

fn parse_acquire_timeout(value: &str) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(n) if (1..=300).contains(&n) => Ok(n),
        _ => Err("DATABASE_ACQUIRE_TIMEOUT must be a number of seconds from 1 to 300".into()),
    }
}

fn parse_invitation_days(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(n) if (1..=90).contains(&n) => Ok(n),
        _ => Err("INVITATION_VALID_DAYS must be a number of days from 1 to 90".into()),
    }
}

/// An on/off setting, written as TOML writes it (`true`) or as people type it.
fn parse_switch(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        _ => Err(format!("EMAIL_CODE_LOGIN must be true or false, not {value:?}")),
    }
}

pub fn parse_min_length(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if (LOWEST_MIN_LENGTH..=MAX_LENGTH).contains(&n) => Ok(n),
        _ => Err(format!("PASSWORD_MIN_LENGTH must be a number from {LOWEST_MIN_LENGTH} to {MAX_LENGTH}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_must_be_an_origin() {
        assert!(parse_base_url("https://accounts.example.com").is_ok());
        assert!(parse_base_url("http://localhost:3000/").is_ok());
        assert!(parse_base_url("ftp://example.com").is_err());
        assert!(parse_base_url("https://example.com/app").is_err());
        assert!(parse_base_url("not a url").is_err());
    }

    #[test]
    fn the_minimum_password_length_is_never_below_eight() {
        assert!(parse_min_length("7").is_err());
        assert_eq!(parse_min_length("8"), Ok(8));
        assert!(parse_min_length("129").is_err());
    }

    #[test]
    fn trusted_proxies_take_cidrs_and_single_addresses() {
        assert_eq!(parse_cidr("10.0.0.0/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(parse_cidr(" 127.0.0.1").unwrap().to_string(), "127.0.0.1/32");
        assert!(parse_cidr("nope").is_err());
    }

    #[test]
    fn errors_name_the_variable() {
        let cases = [
            (parse_addr("x").unwrap_err(), "GATEHOUSE_ADDR"),
            (parse_database_url("mysql://x").unwrap_err(), "DATABASE_URL"),
            (parse_base_url("x").unwrap_err(), "BASE_URL"),
            (parse_smtp_url("x").unwrap_err(), "SMTP_URL"),
            (parse_mail_from("x").unwrap_err(), "MAIL_FROM"),
            (parse_cidr("x").unwrap_err(), "TRUSTED_PROXIES"),
            (parse_min_length("x").unwrap_err(), "PASSWORD_MIN_LENGTH"),
            (parse_max_connections("0").unwrap_err(), "DATABASE_MAX_CONNECTIONS"),
            (parse_acquire_timeout("x").unwrap_err(), "DATABASE_ACQUIRE_TIMEOUT"),
        ];
        for (message, variable) in cases {
            assert!(message.contains(variable), "{message}");
        }
    }
}
