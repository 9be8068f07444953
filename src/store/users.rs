use sqlx::{AnyConnection, Executor, FromRow};

use super::{Backend, Db, Store};
use crate::domain::Email;

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    pub last_login_ip: Option<String>,
    /// Failed logins since the last successful one.
    pub failed_logins: i64,
    pub disabled_at: Option<i64>,
    /// When two-step login was turned on; `None` while it is off.
    pub two_factor_since: Option<i64>,
    /// The account's roles, sorted and comma-separated, read with the row so that every
    /// request that loads the user sees them as they are now (see [`User::roles`]).
    role_list: Option<String>,
    /// What the person calls themselves, if they said ([`crate::domain::DisplayName`]).
    pub display_name: Option<String>,
    /// Their username, if they chose one ([`crate::domain::Username`]).
    pub username: Option<String>,
    /// The language they chose for pages and mail ([`crate::i18n::Language`]); `None`
    /// follows the browser.
    pub language: Option<String>,
    /// 1 (the default) to be mailed when a browser new to the account signs in.
    new_device_mail: i64,
}

impl User {
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    /// Accounts made by another provider have none until they set one ("forgot password").
    pub fn has_password(&self) -> bool {
        !self.password_hash.is_empty()
    }

    /// The password's PHC string, if the account has a password.
    pub fn password_phc(&self) -> Option<&str> {
        self.has_password().then_some(self.password_hash.as_str())
    }

    pub fn has_two_factor(&self) -> bool {
        self.two_factor_since.is_some()
    }

    /// The account's roles, sorted by name.
    pub fn roles(&self) -> Vec<&str> {
        self.role_list.as_deref().map_or_else(Vec::new, |list| list.split(',').collect())
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles().contains(&role)
    }

    /// The language the account chose, for mail sent with no page to go by: English
    /// when it chose none (or one there are no words for any more).
    pub fn language(&self) -> crate::i18n::Language {
        crate::i18n::Language::choose(self.language.as_deref(), None)
    }

    pub fn wants_new_device_mail(&self) -> bool {
        self.new_device_mail != 0
    }

    /// The stored address as an `Email` (it was parsed before it was stored).
    pub fn address(&self) -> anyhow::Result<Email> {
        Email::parse(&self.email).map_err(|_| anyhow::anyhow!("stored email of user {} is invalid", self.id))
    }
}

/// Every column of [`User`]; the roles come from an indexed subquery (`string_agg` with
/// `ORDER BY` is in PostgreSQL and in SQLite since 3.44).
const COLUMNS: &str = "id, email, password_hash, email_verified_at, created_at, last_login_at, last_login_ip, \
    failed_logins, disabled_at, two_factor_since, display_name, username, language, new_device_mail, \
    (SELECT string_agg(role, ',' ORDER BY role) FROM user_roles WHERE user_roles.user_id = users.id) AS role_list";

/// Inserts a user unless the address is taken; `None` means it was.
pub async fn insert_if_new<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &Email,
    password_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// A verified account with no password, for a person who signed in with another provider;
/// `None` when the address is taken.
pub async fn insert_without_password<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &Email,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, created_at, email_verified_at) VALUES ($1, '', $2, $2) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.as_str())
    .bind(now)
    .fetch_optional(db)
    .await
}

pub async fn find_by_email<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &Email,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
        .bind(email.as_str())
        .fetch_optional(db)
        .await
}

/// The user with this id, from the read cache when it has them.
pub async fn find_by_id_cached(store: &super::Store, id: i64) -> Result<Option<User>, sqlx::Error> {
    store.read_through(|cache| &cache.users, &id, find_by_id(store.pool(), id)).await
}

pub async fn find_by_id<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(db).await
}

pub async fn set_new_device_mail<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    wanted: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET new_device_mail = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::from(wanted))
        .execute(db)
        .await?;
    Ok(())
}

/// Sets the account's language (`None`: the browser's).
pub async fn set_language<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    language: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET language = $2 WHERE id = $1").bind(id).bind(language).execute(db).await?;
    Ok(())
}

/// Sets the display name and username; a username another account has is a unique
/// violation (see [`super::is_unique_violation`]).
pub async fn set_profile<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    display_name: Option<&str>,
    username: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = $2, username = $3 WHERE id = $1")
        .bind(id)
        .bind(display_name)
        .bind(username)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks the address verified, but only if it is still the account's address.
pub async fn mark_verified<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $1 AND email = $2",
    )
    .bind(id)
    .bind(email)
    .bind(now)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Takes the lock on the account's row for the rest of `conn`'s transaction (SQLite's
/// transactions hold the write lock from their start), so that two transactions each
/// removing a way in run one after the other, and the second sees what the first left.
pub async fn lock(conn: &mut AnyConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = password_hash WHERE id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}

/// Whether the account has a way in left: a password, a passkey or a sign-in provider.
pub async fn has_a_way_in(conn: &mut AnyConnection, user_id: i64) -> Result<bool, sqlx::Error> {
    let ways: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM users WHERE id = $1 AND password_hash <> '') \
              + (SELECT COUNT(*) FROM passkeys WHERE user_id = $1) \
              + (SELECT COUNT(*) FROM external_links WHERE user_id = $1)",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(ways > 0)
}

pub async fn set_password_hash<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1").bind(id).bind(password_hash).execute(db).await?;
    Ok(())
}

pub async fn record_login<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    ip: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = $2, last_login_ip = $3, failed_logins = 0 WHERE id = $1")
        .bind(id)
        .bind(now)
        .bind(ip)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn record_failed_login<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

/// Sets a new, confirmed address. A unique violation means another account has it now.
pub async fn change_email<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    new_email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1")
        .bind(id)
        .bind(new_email)
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes the account; its tokens, sessions and activity go with it (foreign keys cascade).
pub async fn delete<'e>(db: impl Executor<'e, Database = Db>, id: i64) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(db).await?;
    Ok(result.rows_affected() == 1)
}

/// Every account, oldest first, optionally only the unverified ones.
pub async fn list<'e>(db: impl Executor<'e, Database = Db>, unverified_only: bool) -> Result<Vec<User>, sqlx::Error> {
    let filter = if unverified_only { "WHERE email_verified_at IS NULL" } else { "" };
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users {filter} ORDER BY id")).fetch_all(db).await
}

/// One page of accounts, oldest first: all of them, or those whose address contains
/// `part` (at least three characters, lower case), found through the trigram index.
pub async fn search(store: &Store, part: Option<&str>, limit: i64, offset: i64) -> Result<Vec<User>, sqlx::Error> {
    let Some(part) = part else {
        return sqlx::query_as(&format!("SELECT {COLUMNS} FROM users ORDER BY id LIMIT $1 OFFSET $2"))
            .bind(limit)
            .bind(offset)
            .fetch_all(store.pool())
            .await;
    };
    match store.backend() {
        // A phrase query on the trigram table (a quoted string, `"` doubled inside it),
        // which walks its matches in rowid order, the index's own, and stops at the page's end.
        Backend::Sqlite => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM users WHERE id IN (SELECT rowid FROM users_email_search \
             WHERE users_email_search MATCH $1 ORDER BY rowid LIMIT $2 OFFSET $3) ORDER BY id"
            ))
            .bind(format!("\"{}\"", part.replace('"', "\"\"")))
            .bind(limit)
            .bind(offset)
            .fetch_all(store.pool())
            .await
        }
        // The matches first (the trigram index), so the planner cannot prefer walking the
        // whole primary key backwards in the hope of meeting a match early.
        Backend::Postgres => {
            sqlx::query_as(&format!(
                "WITH found AS MATERIALIZED (SELECT id FROM users WHERE email LIKE $1 ESCAPE '\\') \
             SELECT {COLUMNS} FROM users WHERE id IN (SELECT id FROM found) ORDER BY id LIMIT $2 OFFSET $3"
            ))
            .bind(format!("%{}%", escape_like(part)))
            .bind(limit)
            .bind(offset)
            .fetch_all(store.pool())
            .await
        }
    }
}

/// Merges a bounded share of the SQLite search index's segments into one. Each sign-up
/// adds a small segment, and a search reads every segment: merged, a search on a million
/// addresses reads about half as much. Bounded, so no write waits long behind it; repeated
/// (by the housekeeping) until one segment is left, after which it does nothing.
pub async fn compact_search_index(store: &Store) -> Result<(), sqlx::Error> {
    if store.backend() == Backend::Sqlite {
        sqlx::query("INSERT INTO users_email_search (users_email_search, rank) VALUES ('merge', -500)")
            .execute(store.pool())
            .await?;
    }
    Ok(())
}

/// `value` with LIKE's wildcards and escape character taken literally.
fn escape_like(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Disables (`Some(now)`) or enables (`None`) an account.
pub async fn set_disabled<'e>(
    db: impl Executor<'e, Database = Db>,
    id: i64,
    at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1").bind(id).bind(at).execute(db).await?;
    Ok(())
}

/// Inserts an account created by an operator; `None` if the address is taken.
pub async fn insert_verified<'e>(
    db: impl Executor<'e, Database = Db>,
    email: &Email,
    password_hash: &str,
    verified_at: Option<i64>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, email_verified_at, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email.as_str())
    .bind(password_hash)
    .bind(verified_at)
    .bind(now)
    .fetch_optional(db)
    .await
}
