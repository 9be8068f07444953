use sqlx::{Executor, FromRow};

use super::Db;
use crate::domain::Token;

/// What an emailed token is for; a token of one purpose is unknown to every other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    /// `email` is the new address, which this token confirms.
    ChangeEmail,
    /// "Was this not you?" in a new-device mail: ends the session `session_sid` names.
    EndSession,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
            Self::EndSession => "end_session",
        }
    }

    /// How long a link of this purpose stays valid, in seconds.
    pub fn lifetime_secs(self) -> i64 {
        match self {
            Self::VerifyEmail | Self::ChangeEmail => 24 * 60 * 60,
            Self::ResetPassword => 60 * 60,
            Self::EndSession => 7 * 24 * 60 * 60,
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct EmailToken {
    pub selector: String,
    verifier_hash: String,
    pub user_id: i64,
    pub email: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// The session an [`Purpose::EndSession`] link ends.
    pub session_sid: Option<String>,
}

/// The state of a token presented by a visitor.
#[derive(Debug)]
pub enum Lookup {
    Valid(EmailToken),
    /// Used before: by whom, so a page can tell "already confirmed" from "get a new link".
    Used {
        user_id: i64,
        email: String,
    },
    Expired,
    Unknown,
}

pub async fn insert<'e>(
    db: impl Executor<'e, Database = Db>,
    token: &Token,
    purpose: Purpose,
    user_id: i64,
    email: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    insert_row(db, token, purpose, (user_id, email), None, now).await
}

/// A link that ends the session `sid` (a new-device mail's "was this not you?").
pub async fn insert_for_session<'e>(
    db: impl Executor<'e, Database = Db>,
    token: &Token,
    user_id: i64,
    email: &str,
    sid: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    insert_row(db, token, Purpose::EndSession, (user_id, email), Some(sid), now).await
}

async fn insert_row<'e>(
    db: impl Executor<'e, Database = Db>,
    token: &Token,
    purpose: Purpose,
    (user_id, email): (i64, &str),
    session_sid: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let parts = token.parts();
    sqlx::query(
        "INSERT INTO email_tokens (selector, verifier_hash, user_id, purpose, email, created_at, expires_at, session_sid) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(parts.selector)
    .bind(parts.verifier_hash)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(email)
    .bind(now)
    .bind(now + purpose.lifetime_secs())
    .bind(session_sid)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn lookup<'e>(
    db: impl Executor<'e, Database = Db>,
    token: &Token,
    purpose: Purpose,
    now: i64,
) -> Result<Lookup, sqlx::Error> {
    let row: Option<EmailToken> = sqlx::query_as(
        "SELECT selector, verifier_hash, user_id, email, expires_at, used_at, session_sid \
         FROM email_tokens WHERE selector = $1 AND purpose = $2",
    )
    .bind(token.selector())
    .bind(purpose.as_str())
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some(row) if !token.matches(&row.verifier_hash) => Lookup::Unknown,
        Some(row) if row.used_at.is_some() => Lookup::Used { user_id: row.user_id, email: row.email },
        Some(row) if row.expires_at <= now => Lookup::Expired,
        Some(row) => Lookup::Valid(row),
        None => Lookup::Unknown,
    })
}

/// Looks the token up and uses it: `Valid` for exactly one of several racing requests,
/// `Used` for the others, as if they had come after it.
pub async fn redeem(tx: &mut super::Tx, token: &Token, purpose: Purpose, now: i64) -> Result<Lookup, sqlx::Error> {
    match lookup(&mut **tx, token, purpose, now).await? {
        Lookup::Valid(row) if !consume(&mut **tx, &row.selector, now).await? => {
            Ok(Lookup::Used { user_id: row.user_id, email: row.email })
        }
        other => Ok(other),
    }
}

/// Uses the token up. `false` means another request used it first.
async fn consume<'e>(db: impl Executor<'e, Database = Db>, selector: &str, now: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE email_tokens SET used_at = $2 WHERE selector = $1 AND used_at IS NULL")
        .bind(selector)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Uses up every outstanding token of one purpose for a user, e.g. older reset links
/// once the password was reset.
pub async fn revoke_for_user<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    purpose: Purpose,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE email_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets tokens a week after they expired; until then a late click still says "expired".
pub async fn delete_stale<'e>(db: impl Executor<'e, Database = Db>, now: i64) -> Result<u64, sqlx::Error> {
    let result =
        sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1").bind(now - 7 * 24 * 60 * 60).execute(db).await?;
    Ok(result.rows_affected())
}
