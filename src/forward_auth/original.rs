//! The request the proxy is asking about, parsed once into one canonical description.
//!
//! nginx's `auth_request` names it in `X-Original-URL`; Caddy's `forward_auth` and
//! Traefik's `ForwardAuth` in `X-Forwarded-Proto`, `-Host` and `-Uri`; either may add
//! `X-Forwarded-Method`. A proxy sets its own headers and passes the client's others
//! along, so a description is taken from exactly one convention, and anything a client
//! could have bent — both conventions at once, a header given twice, userinfo, an odd
//! port, a path that the app would read differently — is refused ([`Unclear`]), never
//! guessed at: a guess is where a bypass hides.
//!
//! Rules then match what the app will act on: the host lower-cased without a trailing dot
//! or port, and the path percent-decoded, with dot segments resolved and runs of slashes
//! merged.

use axum::http::{HeaderMap, Method};
use url::Url;

const ORIGINAL_URL: &str = "x-original-url";
const FORWARDED_PROTO: &str = "x-forwarded-proto";
const FORWARDED_HOST: &str = "x-forwarded-host";
const FORWARDED_URI: &str = "x-forwarded-uri";
const FORWARDED_METHOD: &str = "x-forwarded-method";

/// Why a description was refused: each is answered `400` and logged, never judged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unclear {
    #[error("no X-Original-URL, and no X-Forwarded-Host or X-Forwarded-Uri")]
    Missing,
    #[error("X-Original-URL together with X-Forwarded-Host or X-Forwarded-Uri")]
    BothConventions,
    #[error("{0} is given more than once")]
    Repeated(&'static str),
    #[error("{0} is missing")]
    MissingPart(&'static str),
    #[error("{0} is not plain visible ASCII")]
    NotText(&'static str),
    #[error("the method is not an HTTP method")]
    Method,
    #[error("the scheme is not http or https")]
    Scheme,
    #[error("the address is not scheme://host/path")]
    Shape,
    #[error("the host carries userinfo")]
    UserInfo,
    #[error("the host is empty or not a host name")]
    Host,
    #[error("the port is not a number from 1 to 65535")]
    Port,
    #[error("the path {0}")]
    Path(PathProblem),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PathProblem {
    #[error("does not start with /")]
    NotAbsolute,
    #[error("holds a fragment (#)")]
    Fragment,
    #[error("has a % not followed by two hex digits")]
    BadEscape,
    #[error("does not decode to UTF-8")]
    NotUtf8,
    #[error("decodes to a NUL, a control character or a backslash")]
    Forbidden,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalRequest {
    pub method: Method,
    /// The canonical address: where a sign-in returns the browser (`rd`).
    pub url: Url,
    /// Lower case, no trailing dot, no port, no IPv6 brackets: what rules match against.
    host: String,
    /// Decoded, dot segments resolved, slashes merged: what rules match against.
    path: String,
}

impl OriginalRequest {
    /// The request `headers` describe, from exactly one of the two conventions.
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, Unclear> {
        let original = single(headers, ORIGINAL_URL)?;
        let (host, uri) = (single(headers, FORWARDED_HOST)?, single(headers, FORWARDED_URI)?);
        let method = match single(headers, FORWARDED_METHOD)? {
            None => Method::GET,
            Some(name) => Method::from_bytes(name.as_bytes()).map_err(|_| Unclear::Method)?,
        };
        let target = match (original, host.is_some() || uri.is_some()) {
            (Some(_), true) => return Err(Unclear::BothConventions),
            (None, false) => return Err(Unclear::Missing),
            (Some(url), false) => Target::parse_url(url)?,
            (None, true) => {
                let proto = single(headers, FORWARDED_PROTO)?.ok_or(Unclear::MissingPart("X-Forwarded-Proto"))?;
                let host = host.ok_or(Unclear::MissingPart("X-Forwarded-Host"))?;
                let uri = uri.ok_or(Unclear::MissingPart("X-Forwarded-Uri"))?;
                Target::parse_parts(proto, host, uri)?
            }
        };
        target.into_request(method)
    }

    /// An absolute address, as `rd` names one, parsed as strictly as a proxy's description.
    pub fn from_url(text: &str) -> Result<Self, Unclear> {
        Target::parse_url(text)?.into_request(Method::GET)
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn path(&self) -> &str {
        &self.path
    }
}

/// The one value of `name`, if any; a second one, or one that is not text, is refused.
fn single<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<Option<&'h str>, Unclear> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(Unclear::Repeated(name));
    }
    let text = value.to_str().map_err(|_| Unclear::NotText(name))?;
    // Surrounding blanks are the header syntax's; any inside are refused below.
    Ok(Some(text.trim_matches([' ', '\t'])))
}

/// The three parts of a description, split but not yet canonical.
struct Target<'a> {
    https: bool,
    authority: &'a str,
    path: &'a str,
    query: Option<&'a str>,
}

impl<'a> Target<'a> {
    fn parse_url(text: &'a str) -> Result<Self, Unclear> {
        let (scheme, rest) = text.split_once("://").ok_or(Unclear::Shape)?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(end);
        let (path, query) = split_query(if path_and_query.is_empty() { "/" } else { path_and_query });
        Ok(Self { https: https(scheme)?, authority, path, query })
    }

    fn parse_parts(proto: &'a str, host: &'a str, uri: &'a str) -> Result<Self, Unclear> {
        let (path, query) = split_query(uri);
        Ok(Self { https: https(proto)?, authority: host, path, query })
    }

    fn into_request(self, method: Method) -> Result<OriginalRequest, Unclear> {
        let (host, port) = authority(self.authority)?;
        let path = canonical_path(self.path).map_err(Unclear::Path)?;
        let query = match self.query {
            Some(query) if query.contains('#') => return Err(Unclear::Path(PathProblem::Fragment)),
            Some(query) if !query.bytes().all(is_visible) => return Err(Unclear::NotText("the query")),
            other => other,
        };
        let url = canonical_url(self.https, &host, port, &path, query)?;
        Ok(OriginalRequest { method, url, host, path })
    }
}

fn https(scheme: &str) -> Result<bool, Unclear> {
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(true),
        "http" => Ok(false),
        _ => Err(Unclear::Scheme),
    }
}

fn split_query(path_and_query: &str) -> (&str, Option<&str>) {
    match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    }
}

fn is_visible(byte: u8) -> bool {
    byte.is_ascii_graphic()
}

/// `host[:port]` as the canonical host and the port, if given.
fn authority(text: &str) -> Result<(String, Option<u16>), Unclear> {
    if text.contains('@') {
        return Err(Unclear::UserInfo);
    }
    let (host, port) = match text.strip_prefix('[') {
        Some(literal) => {
            let (address, after) = literal.split_once(']').ok_or(Unclear::Host)?;
            let address: std::net::Ipv6Addr = address.parse().map_err(|_| Unclear::Host)?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':').ok_or(Unclear::Host)?),
            };
            (address.to_string(), port)
        }
        None => {
            let (name, port) = match text.split_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (text, None),
            };
            (host_name(name)?, port)
        }
    };
    let port = port.map(port_number).transpose()?;
    Ok((host, port))
}

/// A DNS name or IPv4 address: lower case, one trailing dot dropped, each label of letters,
/// digits, `-` and `_`. Anything else (percent escapes, Unicode, empty labels) is refused.
fn host_name(name: &str) -> Result<String, Unclear> {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if name.is_empty() || name.len() > 253 || !name.split('.').all(label_ok) {
        return Err(Unclear::Host);
    }
    Ok(name)
}

fn port_number(text: &str) -> Result<u16, Unclear> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Unclear::Port);
    }
    match text.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(Unclear::Port),
    }
}

/// The path as the app will act on it: percent-decoded once (`%2F` included), dot
/// segments resolved, runs of slashes merged. A trailing slash is kept (`/a/` is not `/a`).
pub fn canonical_path(raw: &str) -> Result<String, PathProblem> {
    if !raw.starts_with('/') {
        return Err(PathProblem::NotAbsolute);
    }
    if raw.contains('#') {
        return Err(PathProblem::Fragment);
    }
    let decoded = percent_decode(raw)?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(PathProblem::Forbidden);
    }
    let mut segments: Vec<&str> = Vec::new();
    let mut trailing_slash = false;
    for segment in decoded.split('/').skip(1) {
        trailing_slash = matches!(segment, "" | "." | "..");
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            name => segments.push(name),
        }
    }
    let mut path = format!("/{}", segments.join("/"));
    if trailing_slash && !segments.is_empty() {
        path.push('/');
    }
    Ok(path)
}

/// Every `%XX` decoded; a `%` without two hex digits, or bytes that are not UTF-8, refused.
fn percent_decode(raw: &str) -> Result<String, PathProblem> {
    let bytes = raw.as_bytes();
    if !bytes.iter().copied().all(is_visible) {
        return Err(PathProblem::Forbidden);
    }
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3).ok_or(PathProblem::BadEscape)?;
            let hex = std::str::from_utf8(hex).map_err(|_| PathProblem::BadEscape)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(PathProblem::BadEscape);
            }
            decoded.push(u8::from_str_radix(hex, 16).map_err(|_| PathProblem::BadEscape)?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| PathProblem::NotUtf8)
}

/// The canonical parts as one URL. The URL parser would read some hosts its own way
/// (`0x7f.1` is an IPv4 address to it): a host it does not keep as it is, is refused.
fn canonical_url(https: bool, host: &str, port: Option<u16>, path: &str, query: Option<&str>) -> Result<Url, Unclear> {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    // What a path segment may not hold as itself (RFC 3986 pchar), plus `%` so that a
    // decoded `%` is not read as an escape again.
    const PATH: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'\\')
        .add(b'^')
        .add(b'|');
    let scheme = if https { "https" } else { "http" };
    let bracketed = if host.contains(':') { format!("[{host}]") } else { host.to_owned() };
    let port = port.map(|port| format!(":{port}")).unwrap_or_default();
    let query = query.map(|query| format!("?{query}")).unwrap_or_default();
    let path = utf8_percent_encode(path, PATH);
    let url = Url::parse(&format!("{scheme}://{bracketed}{port}{path}{query}")).map_err(|_| Unclear::Host)?;
    if url.host_str() != Some(bracketed.as_str()) {
        return Err(Unclear::Host);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn forwarded(host: &'static str, uri: &'static str) -> HeaderMap {
        headers(&[("x-forwarded-proto", "https"), ("x-forwarded-host", host), ("x-forwarded-uri", uri)])
    }

    #[test]
    fn forwarded_headers_make_the_url() {
        let mut described = forwarded("App.Example.com.:8443", "/admin/users?q=1");
        described.insert("x-forwarded-method", "POST".parse().unwrap());
        let asked = OriginalRequest::from_headers(&described).unwrap();
        assert_eq!(asked.url.as_str(), "https://app.example.com:8443/admin/users?q=1");
        assert_eq!((asked.host(), asked.path(), asked.method.as_str()), ("app.example.com", "/admin/users", "POST"));
    }

    #[test]
    fn both_conventions_at_once_are_refused_whichever_endpoint_asks() {
        for other in ["x-forwarded-host", "x-forwarded-uri"] {
            let mut both = headers(&[("x-original-url", "https://app.example.com/")]);
            both.insert(other, "public.example.com".parse().unwrap());
            assert_eq!(OriginalRequest::from_headers(&both), Err(Unclear::BothConventions), "{other}");
        }
        assert_eq!(OriginalRequest::from_headers(&headers(&[])), Err(Unclear::Missing));
    }

    #[test]
    fn an_unclear_description_is_refused_never_read_another_way() {
        let refused = |url: &'static str| OriginalRequest::from_headers(&headers(&[("x-original-url", url)])).err();
        assert_eq!(refused("http://app.example.com:@status.example.com/admin"), Some(Unclear::UserInfo));
        assert_eq!(refused("http://user@app.example.com/"), Some(Unclear::UserInfo));
        assert_eq!(refused("http://app.example.com:99999/"), Some(Unclear::Port));
        assert_eq!(refused("http://app.example.com:0/"), Some(Unclear::Port));
        assert_eq!(refused("http://app.example.com:x/"), Some(Unclear::Port));
        assert_eq!(refused("http://app.example.com:/"), Some(Unclear::Port));
        assert_eq!(refused("http:///admin"), Some(Unclear::Host));
        assert_eq!(refused("http://%61pp.example.com/"), Some(Unclear::Host));
        assert_eq!(refused("http://app..example.com/"), Some(Unclear::Host));
        assert_eq!(refused("http://0x7f.1/"), Some(Unclear::Host));
        assert_eq!(refused("ftp://app.example.com/"), Some(Unclear::Scheme));
        assert_eq!(refused("/just/a/path"), Some(Unclear::Shape));
        assert_eq!(refused("http://app.example.com/a%2"), Some(Unclear::Path(PathProblem::BadEscape)));
        assert_eq!(refused("http://app.example.com/%ff"), Some(Unclear::Path(PathProblem::NotUtf8)));
        assert_eq!(refused("http://app.example.com/a%00b"), Some(Unclear::Path(PathProblem::Forbidden)));
        assert_eq!(refused("http://app.example.com/a%5cb"), Some(Unclear::Path(PathProblem::Forbidden)));
        assert_eq!(refused("http://app.example.com/a\\b"), Some(Unclear::Path(PathProblem::Forbidden)));
        assert_eq!(refused("http://app.example.com/a#/../admin"), Some(Unclear::Path(PathProblem::Fragment)));

        let twice =
            headers(&[("x-original-url", "https://a.example.com/"), ("x-original-url", "https://b.example.com/")]);
        assert_eq!(OriginalRequest::from_headers(&twice), Err(Unclear::Repeated("x-original-url")));
        let mut host_twice = forwarded("app.example.com", "/");
        host_twice.append("x-forwarded-host", "public.example.com".parse().unwrap());
        assert_eq!(OriginalRequest::from_headers(&host_twice), Err(Unclear::Repeated("x-forwarded-host")));
        assert_eq!(OriginalRequest::from_headers(&forwarded("a.example.com, b.example.com", "/")), Err(Unclear::Host));
        assert_eq!(
            OriginalRequest::from_headers(&forwarded("app.example.com", "admin")).err(),
            Some(Unclear::Path(PathProblem::NotAbsolute))
        );
        let no_proto = headers(&[("x-forwarded-host", "app.example.com"), ("x-forwarded-uri", "/")]);
        assert_eq!(OriginalRequest::from_headers(&no_proto), Err(Unclear::MissingPart("X-Forwarded-Proto")));
    }

    #[test]
    fn the_path_is_read_as_the_app_will_read_it() {
        for (raw, canonical) in [
            ("/%61dmin/secret", "/admin/secret"),
            ("//admin/secret", "/admin/secret"),
            ("/./admin", "/admin"),
            ("/public/..%2fadmin", "/admin"),
            ("/public/%2e%2e/admin", "/admin"),
            ("/%63losed", "/closed"),
            ("/a/b/../../../../c", "/c"),
            ("/admin/", "/admin/"),
            ("/admin/.", "/admin/"),
            ("/", "/"),
            ("/..", "/"),
            ("/caf%C3%A9", "/café"),
        ] {
            assert_eq!(canonical_path(raw).as_deref(), Ok(canonical), "{raw}");
        }
    }

    #[test]
    fn the_canonical_url_reads_back_as_itself() {
        let asked = OriginalRequest::from_url("HTTPS://App.Example.COM.:443//a/%2e/b%20c/../d%25e?x=%2F#").err();
        assert_eq!(asked, Some(Unclear::Path(PathProblem::Fragment)));
        let asked = OriginalRequest::from_url("HTTPS://App.Example.COM.:443//a/%2e/b%20c/../d%25e?x=%2F").unwrap();
        assert_eq!(asked.url.as_str(), "https://app.example.com/a/d%25e?x=%2F");
        assert_eq!(asked.path(), "/a/d%e");
        let again = OriginalRequest::from_url(asked.url.as_str()).unwrap();
        assert_eq!((again.host(), again.path()), (asked.host(), asked.path()));
        let ipv6 = OriginalRequest::from_url("http://[::1]:8080/x").unwrap();
        assert_eq!((ipv6.host(), ipv6.url.as_str()), ("::1", "http://[::1]:8080/x"));
    }
}
