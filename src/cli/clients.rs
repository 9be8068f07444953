//! The operator's commands on OpenID Connect clients: register, list, remove.

use serde::Serialize;

use crate::oidc::clients;
use crate::store::{Store, oauth};
use crate::web::format::rfc3339;

pub async fn add_client(store: &Store, new: clients::NewClient<'_>, json: bool) -> anyhow::Result<()> {
    let registered = clients::register(store, new).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&registered)?);
        return Ok(());
    }
    println!("client_id:     {}", registered.client_id);
    if let Some(secret) = &registered.client_secret {
        println!("client_secret: {secret}");
        println!("(the secret is shown only now; keep it in the app's settings)");
    }
    Ok(())
}

#[derive(Serialize)]
struct ClientJson {
    client_id: String,
    name: String,
    redirect_uris: Vec<String>,
    public: bool,
    skip_consent: bool,
    id_token_alg: String,
    created_at: String,
}

pub async fn list_clients(store: &Store, json: bool) -> anyhow::Result<()> {
    let all = oauth::clients(store.pool()).await?;
    let rows = all
        .iter()
        .map(|client| {
            Ok(ClientJson {
                client_id: client.client_id.clone(),
                name: client.name.clone(),
                redirect_uris: client.redirect_uris().map(str::to_owned).collect(),
                public: client.secret_hash.is_none(),
                skip_consent: client.skips_consent(),
                id_token_alg: client.id_token_alg.clone(),
                created_at: rfc3339(client.created_at)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for row in &rows {
        let kind = if row.public { "public" } else { "confidential" };
        println!(
            "{}  {}  ({kind}, {} ID tokens, created {})",
            row.client_id, row.name, row.id_token_alg, row.created_at
        );
        for uri in &row.redirect_uris {
            println!("    {uri}");
        }
    }
    println!("{} client(s)", rows.len());
    Ok(())
}

pub async fn remove_client(store: &Store, client_id: &str) -> anyhow::Result<()> {
    anyhow::ensure!(oauth::delete_client(store.pool(), client_id).await?, "no client {client_id}");
    println!("removed client {client_id}");
    Ok(())
}
