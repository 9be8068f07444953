//! The parts that keep accounts safe: password hashing, CSRF protection, client IPs.

pub mod client_ip;
pub mod cookies;
pub mod csrf;
pub mod device;
pub mod hasher;
pub mod headers;
pub mod jwt;
pub mod request_id;
pub mod rsa_keys;
pub mod signing;
pub mod throttle;
pub mod vault;

/// The session cookie's name. Over https it has a prefix the browser enforces: `__Host-`
/// (this host only), or `__Secure-` when `SESSION_COOKIE_DOMAIN` shares it with subdomains,
/// which `__Host-` forbids.
pub fn session_cookie_name(secure: bool, shared_with_subdomains: bool) -> &'static str {
    match (secure, shared_with_subdomains) {
        (true, false) => "__Host-gatehouse-session",
        (true, true) => "__Secure-gatehouse-session",
        (false, _) => "gatehouse-session",
    }
}
