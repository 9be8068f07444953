//! "This browser logged in here before": a signed cookie set on every successful login.
//! While an account's logins are slowed down after repeated failures, a browser that
//! carries it may still try, so a stranger hammering the account cannot lock its owner out.

use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use time::Duration;

use super::signing::SigningKey;

const PURPOSE: &str = "device";

pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-gatehouse-device" } else { "gatehouse-device" }
}

pub fn cookie(key: &SigningKey, user_id: i64, secure: bool) -> Cookie<'static> {
    let value = format!("{user_id}.{}", key.sign(PURPOSE, &user_id.to_string()));
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
    CookieJar::from_headers(headers).get(cookie_name(secure)).map(|cookie| cookie.value().to_owned())
}

/// Whether a device cookie's value says its browser logged in to `user_id` before.
pub fn is_known(key: &SigningKey, value: &str, user_id: i64) -> bool {
    match value.split_once('.') {
        Some((id, signature)) => id == user_id.to_string() && key.verify(PURPOSE, id, signature),
        None => false,
    }
}
