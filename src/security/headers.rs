//! Headers every response carries, so no page can be framed, sniffed or made to run script.

use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The policy of the pages that run `assets/passkeys.js`: that one file, and its calls
/// back to this site. No inline script, no other source.
pub const SCRIPTED_CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
                                img-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; \
                                frame-ancestors 'none'";

/// The page policy with its forms' answers allowed to lead to `targets` too (origins or
/// CSP sources): the consent form's redirect goes to the app.
pub fn with_form_targets(targets: &[String]) -> HeaderValue {
    let policy = CSP.replace("form-action 'self'", &format!("form-action 'self' {}", targets.join(" ")));
    HeaderValue::from_str(&policy).expect("origins are header-safe")
}

/// The policy of a sign-in form (which offers passkeys too), whose answer may send the
/// browser on to an app behind forward auth (`rd`): Chromium applies `form-action` to a
/// form's redirects too.
pub fn sign_in_form_policy(form_targets: &[String]) -> HeaderValue {
    if form_targets.is_empty() {
        return HeaderValue::from_static(SCRIPTED_CSP);
    }
    let policy = SCRIPTED_CSP.replace("form-action 'self'", &format!("form-action 'self' {}", form_targets.join(" ")));
    HeaderValue::from_str(&policy).expect("rule domains are header-safe host names")
}

const ALWAYS: [(HeaderName, &str); 5] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
];

/// Marks a response of a page or API route as not to be kept by the browser or any cache,
/// unless its handler chose a caching policy: these answers show an account or carry a
/// token, so Back after logout must not bring them back (ASVS 14.3.2).
pub fn not_stored(mut response: Response) -> Response {
    response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Marks an answer that only a proxy reads, never a browser (forward auth's "allowed":
/// nginx, Caddy and Traefik copy just the `Remote-*` headers from it). It goes without the
/// page headers, which would only lengthen the hottest answer there is.
#[derive(Debug, Clone, Copy)]
pub struct ForProxyOnly;

/// Adds the headers to a response; `https` is whether the public origin is https. Pages
/// set a stricter `Referrer-Policy` themselves when their URL holds a token, so a header
/// already present is kept.
pub fn add(https: bool, mut response: Response) -> Response {
    if response.extensions().get::<ForProxyOnly>().is_some() {
        return response;
    }
    let headers = response.headers_mut();
    for (name, value) in ALWAYS {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    if https {
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}
