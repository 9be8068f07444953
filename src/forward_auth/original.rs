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

use std::borrow::Cow;

use axum::http::{HeaderMap, HeaderName, Method};
use url::Url;

// Looked up by name, not by text: a `&str` would be parsed into a name on every lookup.
static ORIGINAL_URL: HeaderName = HeaderName::from_static("x-original-url");
static FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
static FORWARDED_URI: HeaderName = HeaderName::from_static("x-forwarded-uri");
static FORWARDED_METHOD: HeaderName = HeaderName::from_static("x-forwarded-method");

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
    /// The canonical address, spelled as the URL parser spells it: where a sign-in returns
    /// the browser (`rd`). Kept as text, since most checks never need it.
    address: String,
    /// Lower case, no trailing dot, no port, no IPv6 brackets: what rules match against.
    host: String,
    /// Decoded, dot segments resolved, slashes merged: what rules match against.
    path: String,
}

impl OriginalRequest {
    /// The request `headers` describe, from exactly one of the two conventions.
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, Unclear> {
        let original = single(headers, &ORIGINAL_URL)?;
        let (host, uri) = (single(headers, &FORWARDED_HOST)?, single(headers, &FORWARDED_URI)?);
        let method = match single(headers, &FORWARDED_METHOD)? {
            None => Method::GET,
            Some(name) => Method::from_bytes(name.as_bytes()).map_err(|_| Unclear::Method)?,
        };
        let target = match (original, host.is_some() || uri.is_some()) {
            (Some(_), true) => return Err(Unclear::BothConventions),
            (None, false) => return Err(Unclear::Missing),
            (Some(url), false) => Target::parse_url(url)?,
            (None, true) => {
                let proto = single(headers, &FORWARDED_PROTO)?.ok_or(Unclear::MissingPart("X-Forwarded-Proto"))?;
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

    /// The canonical address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The canonical address as a URL; parsed here rather than on every check. It was made
    /// to parse (see [`canonical_address`]), so this fails only if that promise broke.
    pub fn url(&self) -> Result<Url, Unclear> {
        Url::parse(&self.address).map_err(|_| Unclear::Host)
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn path(&self) -> &str {
        &self.path
    }
}

/// The one value of `name`, if any; a second one, or one that is not text, is refused.
fn single<'h>(headers: &'h HeaderMap, name: &'static HeaderName) -> Result<Option<&'h str>, Unclear> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(Unclear::Repeated(name.as_str()));
    }
    let text = value.to_str().map_err(|_| Unclear::NotText(name.as_str()))?;
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
        let address = canonical_address(self.https, &host, port, &path, query)?;
        Ok(OriginalRequest { method, address, host, path })
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
    // Most paths a proxy asks about are canonical as they come: no copy to make.
    if is_resolved(&decoded) {
        return Ok(decoded.into_owned());
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

/// No dot segment and no empty one, but for a trailing slash: resolving changes nothing.
fn is_resolved(path: &str) -> bool {
    let mut segments = path.split('/').skip(1).peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        if segment == "." || segment == ".." || (segment.is_empty() && !last) {
            return false;
        }
    }
    true
}

/// Every `%XX` decoded; a `%` without two hex digits, or bytes that are not UTF-8, refused.
fn percent_decode(raw: &str) -> Result<Cow<'_, str>, PathProblem> {
    let bytes = raw.as_bytes();
    if !bytes.iter().copied().all(is_visible) {
        return Err(PathProblem::Forbidden);
    }
    if !raw.contains('%') {
        return Ok(Cow::Borrowed(raw));
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
    String::from_utf8(decoded).map(Cow::Owned).map_err(|_| PathProblem::NotUtf8)
}

/// The canonical parts as one address, spelled as the URL parser would spell it, so that
/// [`OriginalRequest::url`] reads it back unchanged. The parser would read some hosts its
/// own way (`0x7f.1` is an IPv4 address to it, `xn--` labels are Punycode): those are
/// parsed here, and refused unless the parser keeps them as they are. Any other host is a
/// plain DNS name, which it keeps, so the check costs no parse.
fn canonical_address(
    https: bool,
    host: &str,
    port: Option<u16>,
    path: &str,
    query: Option<&str>,
) -> Result<String, Unclear> {
    use std::fmt::Write;

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
    // What the URL parser escapes in the query of an http(s) address (the query is visible
    // ASCII by now).
    const QUERY: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'\'');
    let (scheme, default_port) = if https { ("https", 443) } else { ("http", 80) };
    let bracketed = if host.contains(':') { Cow::Owned(format!("[{host}]")) } else { Cow::Borrowed(host) };
    let mut address =
        String::with_capacity(scheme.len() + 3 + bracketed.len() + 6 + path.len() + 1 + query.map_or(0, str::len));
    address.push_str(scheme);
    address.push_str("://");
    address.push_str(&bracketed);
    if let Some(port) = port.filter(|port| *port != default_port) {
        let _ = write!(address, ":{port}");
    }
    let _ = write!(address, "{}", utf8_percent_encode(path, PATH));
    if let Some(query) = query {
        let _ = write!(address, "?{}", percent_encoding::percent_encode(query.as_bytes(), QUERY));
    }
    if url_parser_may_read_differently(host) {
        let url = Url::parse(&address).map_err(|_| Unclear::Host)?;
        if url.host_str() != Some(&*bracketed) {
            return Err(Unclear::Host);
        }
        return Ok(url.into());
    }
    Ok(address)
}

/// Whether the URL parser might read `host` as something other than the plain DNS name it
/// is spelled as: an IPv6 literal, a Punycode label, or a last label that "ends in a
/// number" (all digits, or hex after `0x`), which makes the whole host an IPv4 address.
fn url_parser_may_read_differently(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or(host);
    host.contains(':')
        || host.split('.').any(|label| label.starts_with("xn--"))
        || last.bytes().all(|b| b.is_ascii_digit())
        || last.starts_with("0x")
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
        assert_eq!(asked.address(), "https://app.example.com:8443/admin/users?q=1");
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
        assert_eq!(asked.address(), "https://app.example.com/a/d%25e?x=%2F");
        assert_eq!(asked.path(), "/a/d%e");
        let again = OriginalRequest::from_url(asked.address()).unwrap();
        assert_eq!((again.host(), again.path()), (asked.host(), asked.path()));
        let ipv6 = OriginalRequest::from_url("http://[::1]:8080/x").unwrap();
        assert_eq!((ipv6.host(), ipv6.address()), ("::1", "http://[::1]:8080/x"));
    }
}
