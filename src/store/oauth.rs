//! The OpenID Connect provider's tables: clients, authorization codes and consents.
//! Its refresh tokens live in `refresh_tokens` (see [`super::refresh_tokens`]).

use sqlx::{Executor, FromRow};

use super::Db;

#[derive(Debug, Clone, FromRow)]
pub struct Client {
    pub client_id: String,
    /// SHA-256 of the secret, hex; `None` for a public client.
    pub secret_hash: Option<String>,
    pub name: String,
    /// One registered redirect URI per line.
    pub redirect_uris: String,
    pub skip_consent: i64,
    /// `RS256` (the default OpenID Connect requires) or `EdDSA`.
    pub id_token_alg: String,
    pub created_at: i64,
    /// Where RP-initiated logout may also return, one per line.
    pub post_logout_redirect_uris: String,
    /// The grants it may use, space-separated: `authorization_code`, `client_credentials`.
    pub grant_types: String,
    /// For `client_credentials`: the scopes it may ask for itself, space-separated.
    pub scopes: String,
}

impl Client {
    pub fn redirect_uris(&self) -> impl Iterator<Item = &str> {
        self.redirect_uris.lines()
    }

    pub fn post_logout_redirect_uris(&self) -> impl Iterator<Item = &str> {
        self.post_logout_redirect_uris.lines()
    }

    /// Whether RP-initiated logout may send the browser to `uri`: a registered post-logout
    /// address or redirect URI, matched exactly.
    pub fn may_return_after_logout(&self, uri: &str) -> bool {
        self.post_logout_redirect_uris().chain(self.redirect_uris()).any(|registered| registered == uri)
    }

    pub fn allows_grant(&self, grant_type: &str) -> bool {
        self.grant_types.split(' ').any(|allowed| allowed == grant_type)
    }

    pub fn is_public(&self) -> bool {
        self.secret_hash.is_none()
    }

    /// Whether `origin` (as a browser sends it) is that of a registered redirect URI.
    pub fn has_origin(&self, origin: &str) -> bool {
        self.redirect_uris()
            .filter_map(|uri| url::Url::parse(uri).ok())
            .any(|uri| uri.origin().ascii_serialization() == origin)
    }

    pub fn skips_consent(&self) -> bool {
        self.skip_consent != 0
    }
}

const CLIENT_COLUMNS: &str = "client_id, secret_hash, name, redirect_uris, skip_consent, id_token_alg, created_at, \
                              post_logout_redirect_uris, grant_types, scopes";

pub async fn insert_client<'e>(db: impl Executor<'e, Database = Db>, client: &Client) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO oauth_clients ({CLIENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&client.client_id)
    .bind(&client.secret_hash)
    .bind(&client.name)
    .bind(&client.redirect_uris)
    .bind(client.skip_consent)
    .bind(&client.id_token_alg)
    .bind(client.created_at)
    .bind(&client.post_logout_redirect_uris)
    .bind(&client.grant_types)
    .bind(&client.scopes)
    .execute(db)
    .await?;
    Ok(())
}

/// Saves what the operator may change of a client (not its id, secret or age).
pub async fn update_client<'e>(db: impl Executor<'e, Database = Db>, client: &Client) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE oauth_clients SET name = $2, redirect_uris = $3, skip_consent = $4, id_token_alg = $5, \
         post_logout_redirect_uris = $6, grant_types = $7, scopes = $8 WHERE client_id = $1",
    )
    .bind(&client.client_id)
    .bind(&client.name)
    .bind(&client.redirect_uris)
    .bind(client.skip_consent)
    .bind(&client.id_token_alg)
    .bind(&client.post_logout_redirect_uris)
    .bind(&client.grant_types)
    .bind(&client.scopes)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn client<'e>(db: impl Executor<'e, Database = Db>, client_id: &str) -> Result<Option<Client>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = $1"))
        .bind(client_id)
        .fetch_optional(db)
        .await
}

pub async fn clients<'e>(db: impl Executor<'e, Database = Db>) -> Result<Vec<Client>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients ORDER BY created_at, client_id"))
        .fetch_all(db)
        .await
}

pub async fn any_with_id_token_alg<'e>(db: impl Executor<'e, Database = Db>, alg: &str) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM oauth_clients WHERE id_token_alg = $1").bind(alg).fetch_one(db).await?;
    Ok(count > 0)
}

/// `false` when there is no such client. Its codes and consents go with it.
pub async fn delete_client<'e>(db: impl Executor<'e, Database = Db>, client_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM oauth_clients WHERE client_id = $1").bind(client_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// An authorization code, as issued (only its hash is kept).
#[derive(Debug, Clone, FromRow)]
pub struct Code {
    pub code_hash: String,
    pub client_id: String,
    pub user_id: i64,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub auth_time: i64,
    pub amr: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// The grant its exchange made (also its refresh tokens' family).
    pub family: Option<String>,
    /// The sign-in it was issued in (see [`crate::domain::AuthSession::sid`]).
    pub sid: Option<String>,
}

const CODE_COLUMNS: &str = "code_hash, client_id, user_id, redirect_uri, code_challenge, scope, nonce, auth_time, \
                            amr, expires_at, used_at, family, sid";

pub async fn insert_code<'e>(db: impl Executor<'e, Database = Db>, code: &Code) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO oauth_codes ({CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, $11)"
    ))
    .bind(&code.code_hash)
    .bind(&code.client_id)
    .bind(code.user_id)
    .bind(&code.redirect_uri)
    .bind(&code.code_challenge)
    .bind(&code.scope)
    .bind(&code.nonce)
    .bind(code.auth_time)
    .bind(&code.amr)
    .bind(code.expires_at)
    .bind(&code.sid)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn code<'e>(db: impl Executor<'e, Database = Db>, code_hash: &str) -> Result<Option<Code>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {CODE_COLUMNS} FROM oauth_codes WHERE code_hash = $1"))
        .bind(code_hash)
        .fetch_optional(db)
        .await
}

/// Uses the code up, recording the refresh-token family it starts; `false` when another
/// request used it first.
pub async fn use_code<'e>(
    db: impl Executor<'e, Database = Db>,
    code_hash: &str,
    family: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE oauth_codes SET used_at = $2, family = $3 WHERE code_hash = $1 AND used_at IS NULL")
        .bind(code_hash)
        .bind(now)
        .bind(family)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Codes are worth nothing a minute after they were made; the housekeeping drops them.
pub async fn delete_expired_codes<'e>(db: impl Executor<'e, Database = Db>, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM oauth_codes WHERE expires_at < $1").bind(before).execute(db).await?;
    Ok(done.rows_affected())
}

/// The scopes the user allowed the client, space-separated.
pub async fn consent<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    client_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT scope FROM oauth_consents WHERE user_id = $1 AND client_id = $2")
        .bind(user_id)
        .bind(client_id)
        .fetch_optional(db)
        .await
}

pub async fn save_consent<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    client_id: &str,
    scope: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO oauth_consents (user_id, client_id, scope, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, client_id) DO UPDATE SET scope = $3, created_at = $4",
    )
    .bind(user_id)
    .bind(client_id)
    .bind(scope)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// An app the user allowed, for the account page.
#[derive(Debug, Clone, FromRow)]
pub struct Grant {
    pub client_id: String,
    pub name: String,
    pub scope: String,
    pub created_at: i64,
}

pub async fn grants<'e>(db: impl Executor<'e, Database = Db>, user_id: i64) -> Result<Vec<Grant>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.client_id, c.name, g.scope, g.created_at FROM oauth_consents g \
         JOIN oauth_clients c ON c.client_id = g.client_id WHERE g.user_id = $1 ORDER BY c.name, c.client_id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// `false` when the user had not allowed the client.
pub async fn delete_consent<'e>(
    db: impl Executor<'e, Database = Db>,
    user_id: i64,
    client_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM oauth_consents WHERE user_id = $1 AND client_id = $2")
        .bind(user_id)
        .bind(client_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
