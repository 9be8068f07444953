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

/// An Ed25519 key for access tokens.
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
    now: i64,
    grace_secs: i64,
) -> Result<Vec<JwtKey>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kid, secret, created_at FROM jwt_keys WHERE retired_at IS NULL OR retired_at > $1 \
         ORDER BY created_at DESC, kid",
    )
    .bind(now - grace_secs)
    .fetch_all(db)
    .await
}

/// Adds a key; with `retire_others`, every older key stops signing now (a rotation).
pub async fn add_jwt_key(
    db: &mut sqlx::AnyConnection,
    kid: &str,
    secret: &str,
    now: i64,
    retire_others: bool,
) -> Result<(), sqlx::Error> {
    if retire_others {
        sqlx::query("UPDATE jwt_keys SET retired_at = $1 WHERE retired_at IS NULL").bind(now).execute(&mut *db).await?;
    }
    sqlx::query("INSERT INTO jwt_keys (kid, secret, created_at) VALUES ($1, $2, $3)")
        .bind(kid)
        .bind(secret)
        .bind(now)
        .execute(&mut *db)
        .await?;
    Ok(())
}
