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
