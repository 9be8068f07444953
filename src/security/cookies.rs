//! Reading one cookie from a request without building a jar of them all: the forward-auth
//! check reads the session cookie on every request to every protected app.

use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::Cookie;

/// The value of the cookie `name`, read exactly as `CookieJar::from_headers` reads it (and
/// so as the session layer does): every `Cookie` header, split at `;`, names and values
/// percent-decoded, and of several with this name the last.
pub fn value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .rev()
        .find_map(|pair| value_in(pair, name))
}

/// The value of one `name=value` pair if it is the cookie `name`. The split and trim are
/// the cookie crate's own; only a pair with a `%` to decode is handed to it whole, so the
/// usual pair (another cookie, or this one unencoded) costs no parse.
fn value_in(pair: &str, name: &str) -> Option<String> {
    let (raw_name, raw_value) = pair.split_once('=')?;
    let (raw_name, raw_value) = (raw_name.trim(), raw_value.trim());
    if raw_name.contains('%') || raw_value.contains('%') {
        let cookie = Cookie::parse_encoded(pair).ok()?;
        return (cookie.name() == name).then(|| cookie.value().to_owned());
    }
    (!raw_name.is_empty() && raw_name == name).then(|| raw_value.to_owned())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use axum_extra::extract::cookie::CookieJar;
    use proptest::prelude::*;

    use super::*;

    /// Cookie headers made of the pieces that make parsing interesting.
    fn cookie_header() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("id"),
            Just("other"),
            Just("i%64"),
            Just("="),
            Just(";"),
            Just(" "),
            Just("\t"),
            Just("\""),
            Just("%"),
            Just("%3B"),
            Just("%FF"),
            Just("abc"),
            Just("; Path=/"),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn reads_what_the_jar_reads(headers in prop::collection::vec(cookie_header(), 0..3)) {
            let mut map = HeaderMap::new();
            for header in &headers {
                if let Ok(value) = HeaderValue::from_str(header) {
                    map.append(header::COOKIE, value);
                }
            }
            let jar = CookieJar::from_headers(&map);
            prop_assert_eq!(value(&map, "id"), jar.get("id").map(|cookie| cookie.value().to_owned()));
        }
    }

    #[test]
    fn of_two_cookies_with_one_name_the_last_counts() {
        let mut map = HeaderMap::new();
        map.append(header::COOKIE, HeaderValue::from_static("id=first; other=x"));
        map.append(header::COOKIE, HeaderValue::from_static("id=second"));
        assert_eq!(value(&map, "id").as_deref(), Some("second"));
        assert_eq!(value(&map, "missing"), None);
    }
}
