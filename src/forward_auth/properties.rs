//! Property: however a proxy's description of a request is spelled, the gate decides as
//! it would on the request the app acts on, or refuses it (`400`) — never more openly.
//!
//! Each case starts from the request meant (a host and plain path segments), spells it the
//! ways a client can (case, a trailing dot, ports, percent-escapes of any character, `%2F`,
//! dot segments, runs of slashes, either header convention), and adds the tricks that must
//! be refused (userinfo, ports out of range).

use axum::http::HeaderMap;
use proptest::prelude::*;

use super::Policy;
use super::original::OriginalRequest;
use super::rules::AccessRules;

const RULES: &str = r#"
    default_policy = "deny"
    [[access_rules]]
    domain = "public.example.com"
    policy = "bypass"
    [[access_rules]]
    domain = "app.example.com"
    path = "^/public"
    policy = "bypass"
    [[access_rules]]
    domain = "app.example.com"
    path = "^/admin"
    roles = ["admin"]
    policy = "one_factor"
    [[access_rules]]
    domain = "app.example.com"
    path = "^/closed"
    policy = "deny"
    [[access_rules]]
    domain = "app.example.com"
    policy = "one_factor"
"#;

fn rules() -> AccessRules {
    AccessRules::from_toml(&RULES.parse().unwrap()).unwrap()
}

fn decision(rules: &AccessRules, asked: &OriginalRequest) -> (Policy, Vec<String>) {
    let (policy, roles) = rules.for_request(asked);
    (policy, roles.iter().map(|role| role.as_str().to_owned()).collect())
}

/// How one character of the path is written.
#[derive(Debug, Clone)]
enum Spelling {
    Plain,
    Lower,
    Upper,
}

fn spelled(text: &str, spellings: &[Spelling]) -> String {
    text.chars()
        .zip(spellings.iter().cycle())
        .map(|(c, spelling)| match spelling {
            Spelling::Plain if c.is_ascii_alphanumeric() => c.to_string(),
            Spelling::Lower => format!("%{:02x}", c as u32),
            _ => format!("%{:02X}", c as u32),
        })
        .collect()
}

/// What a segment of the meant path becomes on the wire.
#[derive(Debug, Clone)]
enum Detour {
    None,
    /// `./` before it.
    Dot,
    /// `elsewhere/../` before it, `..` possibly escaped.
    UpFrom(String, bool),
    /// An extra `/` before it.
    Slash,
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![Just("admin"), Just("public"), Just("closed"), Just("notes"), Just("a"), Just("adm"), Just("in")]
        .prop_map(str::to_owned)
}

fn detour() -> impl Strategy<Value = Detour> {
    prop_oneof![
        3 => Just(Detour::None),
        1 => Just(Detour::Dot),
        1 => (segment(), any::<bool>()).prop_map(|(from, escaped)| Detour::UpFrom(from, escaped)),
        1 => Just(Detour::Slash),
    ]
}

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![6 => Just(Spelling::Plain), 1 => Just(Spelling::Lower), 1 => Just(Spelling::Upper)]
}

/// The meant path's segments, and the raw path a client sent for it.
fn path() -> impl Strategy<Value = (String, String)> {
    (
        prop::collection::vec((segment(), detour(), any::<bool>()), 0..4),
        prop::collection::vec(spelling(), 1..6),
        any::<bool>(),
    )
        .prop_map(|(parts, spellings, trailing)| {
            let meant = format!("/{}", parts.iter().map(|(name, _, _)| name.as_str()).collect::<Vec<_>>().join("/"));
            let mut raw = String::new();
            for (name, detour, escaped_slash) in &parts {
                let slash = if *escaped_slash && !raw.is_empty() { "%2F" } else { "/" };
                match detour {
                    Detour::None => {}
                    Detour::Dot => raw.push_str(&format!("{slash}.")),
                    Detour::UpFrom(from, escaped) => {
                        let up = if *escaped { "%2e%2E" } else { ".." };
                        raw.push_str(&format!("{slash}{}/{up}", spelled(from, &spellings)));
                    }
                    Detour::Slash => raw.push('/'),
                }
                raw.push_str(&format!("{slash}{}", spelled(name, &spellings)));
            }
            if raw.is_empty() || trailing {
                raw.push('/');
            }
            let meant = if trailing && meant != "/" { format!("{meant}/") } else { meant };
            (meant, raw)
        })
}

/// How the host is written: the meant host, and the raw authority.
fn host() -> impl Strategy<Value = (String, String, bool)> {
    let name = prop_oneof![Just("app.example.com"), Just("public.example.com"), Just("other.example.com")];
    let port = prop_oneof![
        Just(None),
        (1u32..=65535).prop_map(|port| Some((port.to_string(), true))),
        prop_oneof![Just("0"), Just("65536"), Just("99999"), Just("x"), Just(""), Just("8080x")]
            .prop_map(|port| Some((port.to_owned(), false))),
    ];
    let userinfo = prop_oneof![4 => Just(None), 1 => Just(Some("user@")), 1 => Just(Some("public.example.com:@"))];
    (name, any::<bool>(), any::<bool>(), port, userinfo).prop_map(|(name, upper, dot, port, userinfo)| {
        let mut raw = if upper { name.to_ascii_uppercase() } else { name.to_owned() };
        if dot {
            raw.push('.');
        }
        let mut clear = true;
        if let Some((port, valid)) = port {
            raw = format!("{raw}:{port}");
            clear &= valid;
        }
        if let Some(userinfo) = userinfo {
            raw = format!("{userinfo}{raw}");
            clear = false;
        }
        (name.to_owned(), raw, clear)
    })
}

fn described(https: bool, authority: &str, path: &str, original_url: bool) -> HeaderMap {
    let scheme = if https { "https" } else { "http" };
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| headers.insert(name, value.parse().unwrap());
    if original_url {
        set("x-original-url", format!("{scheme}://{authority}{path}"));
    } else {
        set("x-forwarded-proto", scheme.to_owned());
        set("x-forwarded-host", authority.to_owned());
        set("x-forwarded-uri", path.to_owned());
    }
    headers
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_gate_decides_on_the_request_the_app_acts_on_or_refuses_it(
        (meant_host, raw_host, clear) in host(),
        (meant_path, raw_path) in path(),
        https in any::<bool>(),
        original_url in any::<bool>(),
    ) {
        let rules = rules();
        let meant = OriginalRequest::from_url(&format!("https://{meant_host}{meant_path}")).unwrap();
        prop_assert_eq!((meant.host(), meant.path()), (meant_host.as_str(), meant_path.as_str()));
        match OriginalRequest::from_headers(&described(https, &raw_host, &raw_path, original_url)) {
            Ok(asked) => {
                prop_assert!(clear, "{raw_host} should have been refused");
                prop_assert_eq!(decision(&rules, &asked), decision(&rules, &meant));
                // And the canonical address, read again, is the same request.
                let again = OriginalRequest::from_url(asked.address()).unwrap();
                prop_assert_eq!((again.host(), again.path()), (asked.host(), asked.path()));
                let url = asked.url().unwrap();
                prop_assert_eq!(url.as_str(), asked.address());
            }
            // Refusing is always safe; but a clear description must not be refused.
            Err(reason) => prop_assert!(!clear, "{raw_host}{raw_path} refused: {reason}"),
        }
    }

    #[test]
    fn any_text_is_read_canonically_or_refused(text in "\\PC{0,60}") {
        for candidate in [text.clone(), format!("https://app.example.com{text}"), format!("http://{text}")] {
            if let Ok(asked) = OriginalRequest::from_url(&candidate) {
                // The address is spelled as the URL parser spells it, so it parses as itself.
                let url = asked.url().unwrap();
                prop_assert_eq!(url.as_str(), asked.address());
                let again = OriginalRequest::from_url(asked.address()).unwrap();
                prop_assert_eq!(&again, &asked);
            }
        }
    }

    #[test]
    fn a_canonical_address_is_spelled_as_the_url_parser_spells_it(
        host in "([a-z0-9_-]{1,5}|xn--[a-z0-9-]{1,5}|0x[0-9a-f]{0,3}|[0-9]{1,4})(\\.([a-z0-9_-]{1,5}|xn--[a-z0-9]{1,4}|[0-9]{1,3}|0x[0-9a-f]{0,2})){0,3}\\.?",
        port in prop_oneof![Just(None), Just(Some(80)), Just(Some(443)), (1u16..).prop_map(Some)],
        path in "/([!-~]|%[0-9a-fA-F]{2}|/\\.\\.?/){0,20}",
        query in prop::option::of("[!-~]{0,20}"),
        https in any::<bool>(),
    ) {
        let scheme = if https { "https" } else { "http" };
        let port = port.map(|port| format!(":{port}")).unwrap_or_default();
        let query = query.map(|query| format!("?{query}")).unwrap_or_default();
        if let Ok(asked) = OriginalRequest::from_url(&format!("{scheme}://{host}{port}{path}{query}")) {
            let url = asked.url().unwrap();
            prop_assert_eq!(url.as_str(), asked.address());
            prop_assert_eq!(url.host_str().map(|host| host.trim_matches(['[', ']'])), Some(asked.host()));
        }
    }
}
