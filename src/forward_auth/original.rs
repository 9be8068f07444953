//! The request the proxy is asking about, as its headers describe it.
//!
//! nginx's `auth_request` names it in `X-Original-URL`; Caddy's `forward_auth` and
//! Traefik's `ForwardAuth` in `X-Forwarded-Proto`, `-Host`, `-Uri` and `-Method`. A proxy
//! sets its own and passes the client's other headers along, so each endpoint believes its
//! proxy's convention first: a client cannot override what the proxy set with the other
//! one. Neither is believed from a peer outside `TRUSTED_PROXIES`.

use axum::http::{HeaderMap, Method};
use url::Url;

/// Which headers the asking proxy sets itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// `X-Original-URL` (nginx).
    OriginalUrl,
    /// `X-Forwarded-Host` and friends (Caddy, Traefik).
    Forwarded,
}

#[derive(Debug, Clone)]
pub struct OriginalRequest {
    pub method: Method,
    pub url: Url,
    /// Lower case, without a port or IPv6 brackets: what rules match against.
    host: String,
}

impl OriginalRequest {
    /// The request `headers` describe, reading `preferred`'s headers first; `None` when
    /// they describe none (missing, or not a URL).
    pub fn from_headers(headers: &HeaderMap, preferred: Convention) -> Option<Self> {
        let method = text(headers, "x-forwarded-method")
            .or_else(|| text(headers, "x-original-method"))
            .and_then(|name| Method::from_bytes(name.as_bytes()).ok())
            .unwrap_or(Method::GET);
        let url = match preferred {
            Convention::OriginalUrl => original_url(headers).or_else(|| forwarded_url(headers)),
            Convention::Forwarded => forwarded_url(headers).or_else(|| original_url(headers)),
        }?;
        let host = url.host_str()?.trim_matches(['[', ']']).to_ascii_lowercase();
        Some(Self { method, url, host })
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn path(&self) -> &str {
        self.url.path()
    }
}

fn text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim).filter(|value| !value.is_empty())
}

fn original_url(headers: &HeaderMap) -> Option<Url> {
    web_url(text(headers, "x-original-url")?)
}

fn forwarded_url(headers: &HeaderMap) -> Option<Url> {
    let host = text(headers, "x-forwarded-host")?;
    // Several proxies in a row append: the first is what the client asked for.
    let host = host.split(',').next()?.trim();
    if host.contains(['/', '\\', '@', '?', '#']) {
        return None;
    }
    // Without a scheme, assume https: a wrong guess only makes plain http refuse to return.
    let proto = text(headers, "x-forwarded-proto").and_then(|p| p.split(',').next()).map_or("https", str::trim);
    let uri = text(headers, "x-forwarded-uri").unwrap_or("/");
    if !uri.starts_with('/') {
        return None;
    }
    web_url(&format!("{proto}://{host}{uri}"))
}

fn web_url(text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.parse().unwrap(), value.parse().unwrap())).collect()
    }

    #[test]
    fn forwarded_headers_make_the_url() {
        let asked = OriginalRequest::from_headers(
            &headers(&[
                ("x-forwarded-proto", "https"),
                ("x-forwarded-host", "App.Example.com:8443"),
                ("x-forwarded-uri", "/admin/users?q=1"),
                ("x-forwarded-method", "POST"),
            ]),
            Convention::Forwarded,
        )
        .unwrap();
        assert_eq!(asked.url.as_str(), "https://app.example.com:8443/admin/users?q=1");
        assert_eq!((asked.host(), asked.path(), asked.method.as_str()), ("app.example.com", "/admin/users", "POST"));
    }

    #[test]
    fn each_endpoint_believes_its_proxys_headers_over_the_other_kind() {
        let both = headers(&[
            ("x-original-url", "https://nginx-set.example.com/"),
            ("x-forwarded-host", "client-set.example.com"),
        ]);
        let nginx = OriginalRequest::from_headers(&both, Convention::OriginalUrl).unwrap();
        assert_eq!(nginx.host(), "nginx-set.example.com");
        let caddy = OriginalRequest::from_headers(&both, Convention::Forwarded).unwrap();
        assert_eq!(caddy.host(), "client-set.example.com");
    }

    #[test]
    fn a_host_that_smuggles_a_path_or_a_user_is_refused() {
        for host in ["evil.org/x", "app.example.com@evil.org", "evil.org?", "evil.org\\x"] {
            let mut fake = headers(&[("x-forwarded-uri", "/")]);
            fake.insert("x-forwarded-host", host.parse().unwrap());
            assert!(OriginalRequest::from_headers(&fake, Convention::Forwarded).is_none(), "{host}");
        }
        assert!(OriginalRequest::from_headers(&headers(&[]), Convention::Forwarded).is_none());
        let relative = headers(&[("x-original-url", "/just/a/path")]);
        assert!(OriginalRequest::from_headers(&relative, Convention::OriginalUrl).is_none());
    }
}
