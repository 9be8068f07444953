//! Personal API tokens: made from the account page or the API, shown once, revocable.

use super::Client;
use crate::domain::{API_TOKEN_PREFIX, Scope, Token};
use crate::error::Result;
use crate::store::api_tokens::{self, ApiToken};
use crate::store::events::{self, EventKind};
use crate::store::{self, Store};

/// A request for a new token, checked: the same rules for the page's form and the API.
#[derive(Debug)]
pub struct NewApiToken {
    name: String,
    scope: Scope,
    expires_at: Option<i64>,
}

/// Refusals are keys of their words ([`crate::i18n`]): the token page shows them in the
/// reader's language, the API in English.
pub const BAD_EXPIRY: &str = "error-token-expiry";

impl NewApiToken {
    /// Limits the token to expire no later than `expires_at`: a token made with another
    /// credential never outlives it.
    pub fn no_later_than(mut self, expires_at: Option<i64>) -> Self {
        if let Some(limit) = expires_at {
            self.expires_at = Some(self.expires_at.map_or(limit, |own| own.min(limit)));
        }
        self
    }

    pub fn parse(name: &str, scope: &str, expires_in_days: Option<i64>) -> Result<Self, &'static str> {
        // The same rule as the API schema's pattern: no C0 control characters or DEL.
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(|c| c < ' ' || c == '\u{7f}') {
            return Err("error-token-name");
        }
        let scope = Scope::parse(scope).ok_or("error-token-scope")?;
        match expires_in_days {
            Some(days) if !(1..=3650).contains(&days) => Err(BAD_EXPIRY),
            _ => Ok(Self {
                name: name.to_owned(),
                scope,
                expires_at: expires_in_days.map(|days| store::now() + days * 24 * 3600),
            }),
        }
    }
}

/// Stores the token and returns its row and its secret, which is never shown again. The
/// account's activity log (and the admin's) records it, as every credential made.
pub async fn create(store: &Store, user_id: i64, new: &NewApiToken, client: &Client) -> Result<(ApiToken, String)> {
    let token = Token::generate();
    let (scope, now) = (new.scope.as_str(), store::now());
    let mut tx = store.begin().await?;
    let row = api_tokens::insert(&mut *tx, user_id, &new.name, scope, &token, now, new.expires_at).await?;
    events::record(&mut *tx, user_id, EventKind::ApiTokenCreated, &client.ip(), &client.user_agent, now).await?;
    tx.commit().await?;
    tracing::info!(event = "api_token_created", user_id, token_id = row.id, scope, "new API token");
    Ok((row, format!("{API_TOKEN_PREFIX}{}", token.encode())))
}

/// Revokes every API token of the user, within the caller's transaction.
pub async fn revoke_all(conn: &mut sqlx::AnyConnection, user_id: i64) -> Result<u64, sqlx::Error> {
    let revoked = api_tokens::delete_for_user(conn, user_id).await?;
    tracing::info!(event = "api_tokens_revoked", user_id, revoked, "every API token revoked");
    Ok(revoked)
}

/// Revokes one of the user's tokens; `false` if they have none with that id.
pub async fn revoke(store: &Store, user_id: i64, token_id: i64, client: &Client) -> Result<bool> {
    let now = store::now();
    let mut tx = store.begin().await?;
    if !api_tokens::delete(&mut *tx, user_id, token_id).await? {
        return Ok(false);
    }
    events::record(&mut *tx, user_id, EventKind::ApiTokenRevoked, &client.ip(), &client.user_agent, now).await?;
    tx.commit().await?;
    tracing::info!(event = "api_token_revoked", user_id, token_id, "API token revoked");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_needs_a_printable_name_a_known_scope_and_a_sane_expiry() {
        assert!(NewApiToken::parse("deploy", "read", Some(30)).is_ok());
        assert!(NewApiToken::parse("deploy", "read-write", None).is_ok());
        assert!(NewApiToken::parse("", "read", None).is_err());
        assert!(NewApiToken::parse(&"x".repeat(101), "read", None).is_err());
        assert!(NewApiToken::parse("a\nb", "read", None).is_err());
        assert!(NewApiToken::parse("deploy", "admin", None).is_err());
        assert_eq!(NewApiToken::parse("deploy", "read", Some(0)).unwrap_err(), BAD_EXPIRY);
        assert_eq!(NewApiToken::parse("deploy", "read", Some(3651)).unwrap_err(), BAD_EXPIRY);
    }

    #[test]
    fn a_token_made_by_a_token_never_outlives_it() {
        let never = NewApiToken::parse("x", "read", None).unwrap();
        assert_eq!(never.no_later_than(Some(1_000)).expires_at, Some(1_000));
        let long = NewApiToken::parse("x", "read", Some(30)).unwrap();
        assert_eq!(long.no_later_than(Some(1_000)).expires_at, Some(1_000));
        let short = NewApiToken::parse("x", "read", Some(1)).unwrap();
        let own = short.expires_at;
        assert_eq!(short.no_later_than(Some(i64::MAX)).expires_at, own);
        assert_eq!(NewApiToken::parse("x", "read", None).unwrap().no_later_than(None).expires_at, None);
    }
}
