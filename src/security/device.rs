//! "This browser logged in here before": a cookie set on every successful login, holding
//! a random id of this browser, bound to the account and to its current password. While
//! an account's logins are slowed down after repeated failures, a browser that carries it
//! may still try, so a stranger hammering the account cannot lock its owner out; its own
//! failures count against a budget of its own, so the cookie lifts nothing without limit.
//! A password change makes every such cookie worthless until the next login.

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, SameSite};
use sha2::{Digest, Sha256};
use time::Duration;

use super::signing::SigningKey;
use crate::store::users::User;

const PURPOSE: &str = "device";

pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-gatehouse-device" } else { "gatehouse-device" }
}

/// What the signature binds: the account, this browser's id, and the password it knew.
fn bound(user: &User, device_id: &str) -> String {
    let password = hex::encode(&Sha256::digest(user.password_hash.as_bytes())[..8]);
    format!("{}.{device_id}.{password}", user.id)
}

/// A fresh random id for a browser that has none for the account.
pub fn new_id() -> String {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).expect("the operating system's random source failed");
    hex::encode(id)
}

/// The browser id a cookie value names for `user_id`, signature unchecked: it is only
/// worth something where it is looked up among the ids this account's browsers were given
/// (128 random bits nobody else knows), as [`crate::accounts::devices`] does.
pub fn claimed_id(value: &str, user_id: i64) -> Option<&str> {
    let mut parts = value.splitn(3, '.');
    let (user, device_id) = (parts.next()?, parts.next()?);
    let well_formed = device_id.len() == 32 && device_id.bytes().all(|b| b.is_ascii_hexdigit());
    (user == user_id.to_string() && well_formed).then_some(device_id)
}

/// A cookie for a browser that just logged in, carrying its id (see [`new_id`]).
pub fn cookie(key: &SigningKey, user: &User, device_id: &str, secure: bool) -> Cookie<'static> {
    let value = format!("{}.{device_id}.{}", user.id, key.sign(PURPOSE, &bound(user, device_id)));
    Cookie::build((cookie_name(secure), value))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(Duration::days(365))
        .build()
}

/// The value of this browser's device cookie, if it sent one.
pub fn cookie_value(headers: &HeaderMap, secure: bool) -> Option<String> {
    super::cookies::value(headers, cookie_name(secure))
}

/// The browser's id, if its cookie says it logged in to `user` since the password was
/// last set.
pub fn recognise(key: &SigningKey, value: &str, user: &User) -> Option<String> {
    let mut parts = value.splitn(3, '.');
    let (user_id, device_id, signature) = (parts.next()?, parts.next()?, parts.next()?);
    let genuine = user_id == user.id.to_string() && key.verify(PURPOSE, &bound(user, device_id), signature);
    genuine.then(|| device_id.to_owned())
}

/// The throttle's key for failures made from a known browser.
pub fn throttle_key(device_id: &str) -> String {
    format!("device:{device_id}")
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Any cookie value: no panic, and an id only when the value names this account
        /// and carries 32 hex digits where the id goes.
        #[test]
        fn a_claimed_id_is_read_only_from_a_well_formed_value(value in "\\PC{0,80}", user_id in 0i64..1000) {
            if let Some(id) = claimed_id(&value, user_id) {
                let prefix = format!("{user_id}.{id}");
                prop_assert!(value.starts_with(&prefix));
                prop_assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()));
            }
        }

        /// The id a browser was given is the id its cookie names, for its account only.
        #[test]
        fn a_cookie_names_its_own_id(user_id in 1i64..1_000_000, other in 1i64..1_000_000) {
            let id = new_id();
            let value = format!("{user_id}.{id}.signature");
            prop_assert_eq!(claimed_id(&value, user_id), Some(id.as_str()));
            if other != user_id {
                prop_assert_eq!(claimed_id(&value, other), None);
            }
        }
    }
}
