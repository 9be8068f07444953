use sqlx::Executor;

use super::Db;

/// Returns the key stored under `name`, storing `fresh` first if there is none yet.
/// Every instance on one database thus agrees on the same key with no setting.
pub async fn get_or_create<'e, E>(db: E, name: &str, fresh: &str, now: i64) -> Result<String, sqlx::Error>
where
    E: Executor<'e, Database = Db> + Copy,
{
    sqlx::query(
        "INSERT INTO signing_keys (name, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(fresh)
    .bind(now)
    .execute(db)
    .await?;
    sqlx::query_scalar("SELECT secret FROM signing_keys WHERE name = $1").bind(name).fetch_one(db).await
}

/// The two kinds of token-signing keys, each in its own table.
#[derive(Debug, Clone, Copy)]
pub enum KeyTable {
    /// Ed25519 keys, for the EdDSA ID tokens of clients that ask for them.
    Ed25519,
    /// RSA keys, for access tokens and RS256 ID tokens.
    Rsa,
}

impl KeyTable {
    fn name(self) -> &'static str {
        match self {
            Self::Ed25519 => "jwt_keys",
            Self::Rsa => "id_token_keys",
        }
    }
}

/// A token-signing key, as stored (sealed by the vault when it has a key).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JwtKey {
    pub kid: String,
    pub secret: String,
    pub created_at: i64,
}

/// Keys that sign (the newest) or still verify: not retired, or retired less than
/// `grace_secs` ago, so tokens signed just before a rotation stay valid until they expire.
pub async fn jwt_keys<'e>(
    db: impl Executor<'e, Database = Db>,
    table: KeyTable,
    now: i64,
    grace_secs: i64,
) -> Result<Vec<JwtKey>, sqlx::Error> {
    sqlx::query_as(&format!(
        // The signing key (never retired) first: a rotation in the second its key was made
        // ties on created_at.
        "SELECT kid, secret, created_at FROM {} WHERE retired_at IS NULL OR retired_at > $1 \
         ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, created_at DESC, kid",
        table.name()
    ))
    .bind(now - grace_secs)
    .fetch_all(db)
    .await
}

/// Adds a key; with `retire_others`, every older key stops signing now (a rotation).
pub async fn add_jwt_key(
    db: &mut sqlx::AnyConnection,
    table: KeyTable,
    kid: &str,
    secret: &str,
    now: i64,
    retire_others: bool,
) -> Result<(), sqlx::Error> {
    if retire_others {
        let retire = format!("UPDATE {} SET retired_at = $1 WHERE retired_at IS NULL", table.name());
        sqlx::query(&retire).bind(now).execute(&mut *db).await?;
    }
    sqlx::query(&format!("INSERT INTO {} (kid, secret, created_at) VALUES ($1, $2, $3)", table.name()))
        .bind(kid)
        .bind(secret)
        .bind(now)
        .execute(&mut *db)
        .await?;
    Ok(())
}
