//! The parts that keep accounts safe: password hashing, CSRF protection, client IPs.

pub mod client_ip;
pub mod csrf;
pub mod device;
pub mod hasher;
pub mod headers;
pub mod jwt;
pub mod request_id;
pub mod signing;
pub mod throttle;
pub mod vault;

/// The session cookie's name: with the `__Host-` prefix when the site is served over https.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-gatehouse-session" } else { "gatehouse-session" }
}
