//! Cross-origin calls from apps that run in the browser (a `--public` client's page): the
//! token, userinfo and revocation endpoints answer an origin only if it is the origin of
//! one of the calling client's registered redirect URIs. Discovery and the JWKS are public
//! and answer any origin (the router gives them tower-http's layer).
//!
//! A preflight names no client yet (it has no body and no token), so it is allowed for an
//! origin some client registered; the request itself then needs the calling client's.
//! Handlers say who called by putting [`CallingClient`] in their response. A refusal that
//! names no client (a bad token, an unknown client) is readable by any registered origin,
//! so a browser app can tell "refused" from "unreachable": it carries nothing else.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::store::{Store, oauth};

/// The id of the client a response answers, put there by the handler once it knows.
#[derive(Clone)]
pub struct CallingClient(pub String);

pub async fn for_apps(State(store): State<Store>, request: Request, next: Next) -> Response {
    let Some(origin) = origin_of(request.headers()) else { return next.run(request).await };
    if request.method() == Method::OPTIONS {
        return preflight(&store, &origin).await;
    }
    let mut response = next.run(request).await;
    let allowed = match response.extensions().get::<CallingClient>() {
        Some(CallingClient(client_id)) => calling_client_has(&store, client_id, &origin).await,
        None => some_client_has(&store, &origin).await,
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if allowed && let Ok(value) = HeaderValue::from_str(&origin) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    response
}

async fn calling_client_has(store: &Store, client_id: &str, origin: &str) -> bool {
    match oauth::client(store.pool(), client_id).await {
        Ok(client) => client.is_some_and(|client| client.has_origin(origin)),
        Err(error) => {
            tracing::warn!(%error, "cannot read the client for a cross-origin call");
            false
        }
    }
}

fn origin_of(headers: &HeaderMap) -> Option<String> {
    headers.get(header::ORIGIN)?.to_str().ok().map(str::to_owned)
}

async fn some_client_has(store: &Store, origin: &str) -> bool {
    match oauth::clients(store.pool()).await {
        Ok(clients) => clients.iter().any(|client| client.has_origin(origin)),
        Err(error) => {
            tracing::warn!(%error, "cannot read the clients for a cross-origin call");
            false
        }
    }
}

async fn preflight(store: &Store, origin: &str) -> Response {
    let registered = some_client_has(store, origin).await;
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let (true, Ok(value)) = (registered, HeaderValue::from_str(origin)) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("authorization, content-type"));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    }
    response
}
