//! The operator's commands on OpenID Connect clients: register, change, list, remove.

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

pub async fn update_client(store: &Store, client_id: &str, changes: clients::ClientChanges) -> anyhow::Result<()> {
    clients::update(store, client_id, changes).await?;
    println!("updated client {client_id}");
    Ok(())
}

#[derive(Serialize)]
struct ClientJson {
    client_id: String,
    name: String,
    redirect_uris: Vec<String>,
    post_logout_redirect_uris: Vec<String>,
    grant_types: Vec<String>,
    scopes: Vec<String>,
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
                post_logout_redirect_uris: client.post_logout_redirect_uris().map(str::to_owned).collect(),
                grant_types: client.grant_types.split(' ').map(str::to_owned).collect(),
                scopes: client.scopes.split(' ').filter(|scope| !scope.is_empty()).map(str::to_owned).collect(),
                public: client.is_public(),
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
            "{}  {}  ({kind}, grants: {}, {} ID tokens, created {})",
            row.client_id,
            row.name,
            row.grant_types.join(" "),
            row.id_token_alg,
            row.created_at
        );
        for uri in &row.redirect_uris {
            println!("    {uri}");
        }
        for uri in &row.post_logout_redirect_uris {
            println!("    after logout: {uri}");
        }
        if !row.scopes.is_empty() {
            println!("    its own scopes: {}", row.scopes.join(" "));
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
