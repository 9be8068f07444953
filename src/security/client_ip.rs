//! Who is on the other end: the TCP peer, unless that peer is a proxy we were told to trust.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderName};
use ipnet::IpNet;
use tower_governor::GovernorError;
use tower_governor::key_extractor::KeyExtractor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// Marks a request whose TCP peer is in `TRUSTED_PROXIES`: only such a peer may speak for
/// the client (its address, its request id, the request a forward-auth proxy asks about).
#[derive(Debug, Clone, Copy)]
pub struct FromTrustedProxy;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Walks `X-Forwarded-For` from the nearest hop outwards and stops at the first address
/// that is not a trusted proxy: everything left of it could have been written by the client.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all(X_FORWARDED_FOR)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map_while(|hop| hop.trim().parse().ok())
        .collect();
    hops.iter().rev().find(|ip| !is_trusted(ip)).or(hops.first()).copied().unwrap_or(peer)
}

/// Puts the [`ClientIp`] of the request (and [`FromTrustedProxy`]) in its extensions, and
/// drops an `X-Request-Id` that no trusted proxy vouches for (see
/// [`super::request_id::acceptable`]).
pub fn identify(trusted: &[IpNet], mut request: Request) -> Request {
    let peer =
        request.extensions().get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([127, 0, 0, 1]), |info| info.0.ip());
    let from_proxy = trusted.iter().any(|net| net.contains(&peer));
    let given_id = request.headers().get(super::request_id::HEADER);
    if given_id.is_some_and(|id| !from_proxy || !super::request_id::acceptable(id)) {
        request.headers_mut().remove(super::request_id::HEADER);
    }
    let ip = resolve(peer, request.headers(), trusted);
    request.extensions_mut().insert(ClientIp(ip));
    if from_proxy {
        request.extensions_mut().insert(FromTrustedProxy);
    }
    request
}

/// Rate-limit key for tower-governor: the resolved client IP.
#[derive(Debug, Clone, Copy)]
pub struct ClientIpKey;

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<Self::Key, GovernorError> {
        request.extensions().get::<ClientIp>().map(|ip| ip.0).ok_or(GovernorError::UnableToExtractKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().unwrap());
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        assert_eq!(resolve(ip("203.0.113.9"), &headers("1.2.3.4"), &[]), ip("203.0.113.9"));
    }

    #[test]
    fn a_trusted_proxy_passes_on_the_client_address() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(resolve(ip("10.0.0.2"), &headers("198.51.100.7"), &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn addresses_a_client_prepends_are_not_believed() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        let spoofed = headers("6.6.6.6, 198.51.100.7, 10.0.0.3");
        assert_eq!(resolve(ip("10.0.0.2"), &spoofed, &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn garbage_in_the_header_falls_back_to_the_peer() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(resolve(ip("10.0.0.2"), &headers("not-an-ip"), &trusted), ip("10.0.0.2"));
    }
}
