//! How stored values read on pages and in JSON.

use crate::error::AppError;

/// A `next` parameter is followed only if it stays on this site: a path, not `//host`
/// or `/\host` (which browsers treat as another origin), with no control characters.
pub fn local_path(next: &str) -> Option<&str> {
    let is_local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    is_local.then_some(next)
}

/// Where a sign-in lands: the page the user was going to, else their account.
pub fn after_sign_in(next: &str) -> &str {
    if next.is_empty() { "/account" } else { next }
}

/// The page of the second step of a login.
pub const SECOND_STEP: &str = "/login/2fa";

/// Formats a stored Unix time as RFC 3339 for JSON.
pub fn rfc3339(unix: i64) -> Result<String, AppError> {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("invalid stored time {unix}")))
}

/// `text` as a `data:` URL a link can download (`<a download>`): it needs no script, and
/// a secret shown once is never stored where the server could serve it again.
pub fn text_download(text: &str) -> String {
    let mut url = String::from("data:text/plain;charset=utf-8,");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' || byte == b'.' {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_holds_the_text_percent_encoded() {
        assert_eq!(text_download("ab-1\nc d"), "data:text/plain;charset=utf-8,ab-1%0Ac%20d");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/account"), Some("/account"));
        assert_eq!(local_path("/account?tab=sessions"), Some("/account?tab=sessions"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\tevil",
            "account",
            "",
            "/a b",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn times_in_json_are_rfc_3339() {
        assert_eq!(rfc3339(1_764_028_800).unwrap(), "2025-11-25T00:00:00Z");
    }
}
