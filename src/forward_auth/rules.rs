//! The access rules of `gatehouse.toml`: which requests to the apps behind the proxy need
//! what. Read once at start; `gatehouse check-config` reports every mistake, one line each.
//!
//! ```toml
//! default_policy = "deny"
//! [[access_rules]]
//! domain = "app.example.com"      # exact, or "*.example.com"
//! path = "^/admin"                # optional regex on the path
//! roles = ["admin"]               # optional: any of these
//! policy = "two_factor"           # bypass | one_factor | two_factor | deny
//! ```

use regex::Regex;
use url::{Host, Url};

use super::original::{OriginalRequest, Unclear};
use crate::domain::Role;

/// Why a sign-in does not return to an `rd`, for the log.
#[derive(Debug, thiserror::Error)]
pub enum ReturnRefused {
    #[error("not a clear address: {0}")]
    Unclear(Unclear),
    #[error("its host is no access rule's domain")]
    UnknownDomain,
    #[error(
        "plain http is followed only to this machine (localhost, *.localhost, loopback addresses); use https, \
         or a *.localhost name to try it locally"
    )]
    PlainHttp,
}

/// What a request must bring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Let through without asking who it is.
    Bypass,
    /// Any signed-in account (a password, a token).
    OneFactor,
    /// A sign-in that passed the second step too.
    TwoFactor,
    /// Never.
    Deny,
}

impl Policy {
    const NAMES: [(&'static str, Self); 4] = [
        ("bypass", Self::Bypass),
        ("one_factor", Self::OneFactor),
        ("two_factor", Self::TwoFactor),
        ("deny", Self::Deny),
    ];

    fn parse(name: &str) -> Option<Self> {
        Self::NAMES.iter().find(|(known, _)| *known == name).map(|(_, policy)| *policy)
    }
}

/// A rule's `domain`: one host, or every subdomain of one (at any depth, not the domain itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainPattern {
    Exact(String),
    /// The suffix with its leading dot: `*.example.com` keeps `.example.com`.
    Subdomains(String),
}

impl DomainPattern {
    fn parse(text: &str) -> Result<Self, String> {
        // Hosts are compared without the trailing dot of a fully qualified name.
        let lowered = text.trim().to_ascii_lowercase();
        let lowered = lowered.strip_suffix('.').unwrap_or(&lowered).to_owned();
        let (pattern, host) = match lowered.strip_prefix("*.") {
            Some(parent) => (Self::Subdomains(format!(".{parent}")), parent.to_owned()),
            None => (Self::Exact(lowered.clone()), lowered),
        };
        if host.is_empty() || host.contains(['*', '/', ':']) || Host::parse(&host).is_err() {
            return Err(format!("{text:?} is not a host name like app.example.com or *.example.com"));
        }
        Ok(pattern)
    }

    /// Whether `host` (lower case, without a port) is this domain.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            Self::Exact(name) => host == name,
            Self::Subdomains(suffix) => host.len() > suffix.len() && host.ends_with(suffix.as_str()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub domain: DomainPattern,
    pub path: Option<Regex>,
    /// Empty: any account; else an account with any one of them.
    pub roles: Vec<Role>,
    pub policy: Policy,
}

impl Rule {
    fn matches(&self, host: &str, path: &str) -> bool {
        self.domain.matches(host) && self.path.as_ref().is_none_or(|regex| regex.is_match(path))
    }
}

#[derive(Debug, Clone)]
pub struct AccessRules {
    pub default_policy: Policy,
    pub rules: Vec<Rule>,
}

impl Default for AccessRules {
    /// No rules: every app is denied until the operator says otherwise.
    fn default() -> Self {
        Self { default_policy: Policy::Deny, rules: Vec::new() }
    }
}

/// The keys of `gatehouse.toml` that are rules rather than settings.
pub const KEYS: [&str; 2] = ["default_policy", "access_rules"];
const RULE_KEYS: [&str; 4] = ["domain", "path", "roles", "policy"];

impl AccessRules {
    /// The rules in a parsed `gatehouse.toml`, or one line per mistake.
    pub fn from_toml(table: &toml::Table) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let default_policy = match table.get("default_policy") {
            None => Policy::Deny,
            Some(value) => policy(value, "default_policy").unwrap_or_else(|problem| {
                problems.push(problem);
                Policy::Deny
            }),
        };
        let entries = match table.get("access_rules") {
            None => &Vec::new(),
            Some(toml::Value::Array(entries)) => entries,
            Some(_) => return Err(vec!["access_rules must be a list of [[access_rules]] tables".into()]),
        };
        let mut rules = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            match rule(entry, &format!("access_rules[{index}]")) {
                Ok(rule) => rules.push(rule),
                Err(mut more) => problems.append(&mut more),
            }
        }
        if problems.is_empty() { Ok(Self { default_policy, rules }) } else { Err(problems) }
    }

    /// The policy and role requirement for the request: the first rule that matches its
    /// canonical host and path, else the default with no role requirement.
    pub fn for_request(&self, asked: &OriginalRequest) -> (Policy, &[Role]) {
        match self.rules.iter().find(|rule| rule.matches(asked.host(), asked.path())) {
            Some(rule) => (rule.policy, &rule.roles),
            None => (self.default_policy, &[]),
        }
    }

    /// `rd`, if it is somewhere a sign-in may send the browser back to: a rule's domain
    /// over https, or over http on this machine only (`localhost`, `*.localhost`, loopback
    /// addresses). It is read as strictly as a proxy's description of a request.
    pub fn return_address(&self, rd: &str) -> Result<Url, ReturnRefused> {
        let asked = OriginalRequest::from_url(rd).map_err(ReturnRefused::Unclear)?;
        if !self.rules.iter().any(|rule| rule.domain.matches(asked.host())) {
            return Err(ReturnRefused::UnknownDomain);
        }
        let url = asked.url().map_err(ReturnRefused::Unclear)?;
        if url.scheme() == "http" && !is_loopback(&url) {
            return Err(ReturnRefused::PlainHttp);
        }
        Ok(url)
    }

    /// The CSP sources a sign-in form may send the browser on to (see [`Self::return_address`]).
    pub fn form_action_sources(&self) -> Vec<String> {
        let mut sources: Vec<String> = self
            .rules
            .iter()
            .flat_map(|rule| {
                let host = match &rule.domain {
                    DomainPattern::Exact(name) => name.clone(),
                    DomainPattern::Subdomains(suffix) => format!("*{suffix}"),
                };
                let local = host == "localhost" || host.ends_with(".localhost") || is_loopback_host(&host);
                let https = format!("https://{host}:*");
                if local { vec![https, format!("http://{host}:*")] } else { vec![https] }
            })
            .collect();
        sources.sort();
        sources.dedup();
        sources
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn is_loopback_host(host: &str) -> bool {
    host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn policy(value: &toml::Value, at: &str) -> Result<Policy, String> {
    let name = value.as_str().ok_or_else(|| format!("{at} must be a string"))?;
    Policy::parse(name).ok_or_else(|| format!("{at}: {name:?} is not one of bypass, one_factor, two_factor, deny"))
}

fn rule(entry: &toml::Value, at: &str) -> Result<Rule, Vec<String>> {
    let Some(table) = entry.as_table() else { return Err(vec![format!("{at} must be a table")]) };
    let mut problems: Vec<String> = table
        .keys()
        .filter(|key| !RULE_KEYS.contains(&key.as_str()))
        .map(|key| format!("{at}: unknown key {key:?} (known: {})", RULE_KEYS.join(", ")))
        .collect();
    let domain = match table.get("domain").map(|value| value.as_str()) {
        None => Err(format!("{at}: domain is missing")),
        Some(None) => Err(format!("{at}.domain must be a string")),
        Some(Some(text)) => DomainPattern::parse(text).map_err(|problem| format!("{at}.domain: {problem}")),
    };
    let path = match table.get("path").map(|value| value.as_str()) {
        None => Ok(None),
        Some(None) => Err(format!("{at}.path must be a string")),
        Some(Some(text)) => Regex::new(text).map(Some).map_err(|error| {
            let reason = error.to_string().lines().last().unwrap_or_default().trim().to_owned();
            format!("{at}.path: {text:?} is not a valid regular expression ({reason})")
        }),
    };
    let roles = match table.get("roles") {
        None => Ok(Vec::new()),
        Some(toml::Value::Array(names)) => names
            .iter()
            .map(|name| {
                let text = name.as_str().unwrap_or_default();
                Role::parse(text).map_err(|_| format!("{at}.roles: {name} is not a role name (a-z, 0-9, _ and -)"))
            })
            .collect(),
        Some(_) => Err(format!("{at}.roles must be a list like [\"admin\"]")),
    };
    let policy = match table.get("policy") {
        None => Err(format!("{at}: policy is missing")),
        Some(value) => policy(value, &format!("{at}.policy")),
    };
    match (domain, path, roles, policy) {
        (Ok(domain), Ok(path), Ok(roles), Ok(policy)) if problems.is_empty() => {
            Ok(Rule { domain, path, roles, policy })
        }
        (domain, path, roles, policy) => {
            problems.extend([domain.err(), path.err(), roles.err(), policy.err()].into_iter().flatten());
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Result<AccessRules, Vec<String>> {
        AccessRules::from_toml(&text.parse().unwrap())
    }

    fn at(url: &str) -> OriginalRequest {
        OriginalRequest::from_url(url).unwrap()
    }

    const EXAMPLE: &str = r#"
        default_policy = "one_factor"
        [[access_rules]]
        domain = "public.example.com"
        policy = "bypass"
        [[access_rules]]
        domain = "app.example.com"
        path = "^/admin"
        roles = ["admin"]
        policy = "two_factor"
        [[access_rules]]
        domain = "*.example.com"
        policy = "one_factor"
    "#;

    #[test]
    fn the_first_matching_rule_wins_and_the_default_covers_the_rest() {
        let rules = rules(EXAMPLE).unwrap();
        assert_eq!(rules.for_request(&at("https://public.example.com/admin")).0, Policy::Bypass);
        let (policy, roles) = rules.for_request(&at("https://APP.example.com/admin/users"));
        assert_eq!((policy, roles.len()), (Policy::TwoFactor, 1));
        assert_eq!(rules.for_request(&at("https://app.example.com/home")).0, Policy::OneFactor);
        assert_eq!(rules.for_request(&at("https://elsewhere.org/")).0, Policy::OneFactor, "the default");
    }

    #[test]
    fn a_wildcard_matches_subdomains_at_any_depth_but_not_the_domain_itself() {
        let pattern = DomainPattern::parse("*.example.com").unwrap();
        assert!(pattern.matches("a.example.com"));
        assert!(pattern.matches("a.b.example.com"));
        assert!(!pattern.matches("example.com"));
        assert!(!pattern.matches("badexample.com"));
        assert!(!pattern.matches("example.com.evil.org"));
    }

    #[test]
    fn no_rules_means_everything_is_denied() {
        let rules = rules("").unwrap();
        assert_eq!(rules.for_request(&at("https://app.example.com/")).0, Policy::Deny);
    }

    #[test]
    fn every_mistake_is_reported_on_its_own_line() {
        let problems = rules(
            r#"
            default_policy = "allow"
            [[access_rules]]
            domain = "app.example.com"
            path = "^/(admin"
            policy = "two-factor"
            methods = ["GET"]
            [[access_rules]]
            domain = "https://x.example.com/"
            roles = ["Admins!"]
            "#,
        )
        .unwrap_err();
        let expected = [
            "default_policy: \"allow\"",
            "access_rules[0]: unknown key \"methods\"",
            "access_rules[0].path: \"^/(admin\" is not a valid regular expression",
            "access_rules[0].policy: \"two-factor\" is not one of",
            "access_rules[1].domain: \"https://x.example.com/\" is not a host name",
            "access_rules[1].roles: \"Admins!\" is not a role name",
            "access_rules[1]: policy is missing",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (problem, start) in problems.iter().zip(expected) {
            assert!(problem.starts_with(start), "{problem:?} should start with {start:?}");
            assert!(!problem.contains('\n'), "one line: {problem:?}");
        }
    }

    #[test]
    fn a_return_address_must_be_a_rule_domain_over_https_or_loopback_http() {
        let rules = rules(
            r#"
            [[access_rules]]
            domain = "*.example.com"
            policy = "one_factor"
            [[access_rules]]
            domain = "app.localhost"
            policy = "one_factor"
            "#,
        )
        .unwrap();
        assert!(rules.return_address("https://wiki.example.com/page?x=1").is_ok());
        assert!(rules.return_address("http://app.localhost:8080/").is_ok());
        assert!(matches!(rules.return_address("http://wiki.example.com/"), Err(ReturnRefused::PlainHttp)));
        assert!(matches!(rules.return_address("https://example.com/"), Err(ReturnRefused::UnknownDomain)));
        assert!(rules.return_address("https://evil.org/?wiki.example.com").is_err());
        assert!(matches!(rules.return_address("https://user@wiki.example.com/"), Err(ReturnRefused::Unclear(_))));
        assert!(rules.return_address("https://evil.org:@wiki.example.com/").is_err());
        assert!(rules.return_address("javascript:alert(1)").is_err());
        assert!(rules.return_address("/account").is_err(), "a path is `next`, not `rd`");
        let canonical = rules.return_address("https://Wiki.Example.com.//a/./b").unwrap();
        assert_eq!(canonical.as_str(), "https://wiki.example.com/a/b", "the same canonical address as the gate's");
    }

    #[test]
    fn sign_in_forms_may_post_on_to_every_rule_domain() {
        let rules = rules(EXAMPLE).unwrap();
        assert_eq!(
            rules.form_action_sources(),
            ["https://*.example.com:*", "https://app.example.com:*", "https://public.example.com:*"]
        );
    }
}
