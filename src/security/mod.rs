//! The parts that keep accounts safe: password hashing, CSRF protection, client IPs.

pub mod client_ip;
pub mod csrf;
pub mod hasher;
pub mod headers;
