//! Signing in with GitHub, which speaks plain OAuth2 (no ID token, no discovery), through
//! `preset = "github"`. GitHub itself is a fake here, on loopback, answering as GitHub's
//! documentation says: `/login/oauth/authorize` and `/login/oauth/access_token` (the secret
//! in the form, errors as `200` with an `error` member, PKCE S256), then `/user` (which
//! needs a `User-Agent`) and `/user/emails` with the token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header;
use serde_json::{Value, json};
use sha2::Digest;

use crate::helpers::{PASSWORD, TestApp, browser, spawn_app_with};

const CLIENT_ID: &str = "Iv1.gatehouse";
const CLIENT_SECRET: &str = "a GitHub app's secret";

/// The GitHub account the next person signs in as: its numeric id and its addresses
/// (address, primary, verified).
#[derive(Clone)]
struct GitHubUser {
    id: u64,
    login: &'static str,
    emails: Vec<(&'static str, bool, bool)>,
}

#[derive(Default)]
struct Fake {
    next_user: Option<GitHubUser>,
    /// Codes handed out: (the user, the PKCE challenge, the redirect URI).
    codes: HashMap<String, (GitHubUser, String, String)>,
    tokens: HashMap<String, GitHubUser>,
}

type Shared = Arc<Mutex<Fake>>;

async fn authorize(State(fake): State<Shared>, Query(query): Query<HashMap<String, String>>) -> Response {
    let mut fake = fake.lock().unwrap();
    if query.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return (StatusCode::NOT_FOUND, "unknown client").into_response();
    }
    let (Some(redirect_uri), Some(state)) = (query.get("redirect_uri"), query.get("state")) else {
        return (StatusCode::BAD_REQUEST, "no redirect_uri or state").into_response();
    };
    let user = fake.next_user.clone().expect("the test names who signs in");
    let code = format!("code-{}", fake.codes.len());
    let challenge = query.get("code_challenge").cloned().unwrap_or_default();
    fake.codes.insert(code.clone(), (user, challenge, redirect_uri.clone()));
    Redirect::to(&format!("{redirect_uri}?code={code}&state={state}")).into_response()
}

async fn access_token(State(fake): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Json<Value> {
    let mut fake = fake.lock().unwrap();
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
        return Json(json!({"error": "incorrect_client_credentials"}));
    }
    let Some((user, challenge, redirect_uri)) = fake.codes.remove(field("code")) else {
        return Json(
            json!({"error": "bad_verification_code", "error_description": "The code passed is incorrect or expired."}),
        );
    };
    let verified = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(field("code_verifier").as_bytes())) == challenge;
    if redirect_uri != field("redirect_uri") || !verified {
        return Json(json!({"error": "bad_verification_code"}));
    }
    let token = format!("gho_{}", fake.tokens.len());
    fake.tokens.insert(token.clone(), user);
    Json(json!({"access_token": token, "token_type": "bearer", "scope": "read:user,user:email"}))
}

/// The user the request's token belongs to; GitHub refuses a request with no User-Agent.
fn caller(fake: &Fake, headers: &HeaderMap) -> Result<GitHubUser, (StatusCode, Json<Value>)> {
    if !headers.contains_key(header::USER_AGENT) {
        return Err((StatusCode::FORBIDDEN, Json(json!({"message": "Request forbidden by administrative rules."}))));
    }
    let token = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let token = token.strip_prefix("Bearer ").or_else(|| token.strip_prefix("token ")).unwrap_or_default();
    fake.tokens
        .get(token)
        .cloned()
        .ok_or_else(|| (StatusCode::UNAUTHORIZED, Json(json!({"message": "Bad credentials"}))))
}

async fn user(State(fake): State<Shared>, headers: HeaderMap) -> Response {
    match caller(&fake.lock().unwrap(), &headers) {
        // Like most accounts, no public address: it is in /user/emails only.
        Ok(user) => Json(json!({"login": user.login, "id": user.id, "name": null, "email": null})).into_response(),
        Err(refused) => refused.into_response(),
    }
}

async fn emails(State(fake): State<Shared>, headers: HeaderMap) -> Response {
    match caller(&fake.lock().unwrap(), &headers) {
        Ok(user) => Json(
            user.emails
                .iter()
                .map(|(email, primary, verified)| json!({"email": email, "primary": primary, "verified": verified, "visibility": null}))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(refused) => refused.into_response(),
    }
}

/// The fake GitHub, and Gatehouse configured with the preset, its URLs pointed at the fake
/// (as for GitHub Enterprise).
async fn site() -> (TestApp, Shared) {
    let fake = Shared::default();
    let routes = Router::new()
        .route("/login/oauth/authorize", get(authorize))
        .route("/login/oauth/access_token", post(access_token))
        .route("/api/user", get(user))
        .route("/api/user/emails", get(emails))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let github = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, routes).await });
    let toml = format!(
        "[[oauth2_providers]]\nid = \"github\"\nname = \"GitHub\"\npreset = \"github\"\nclient_id = \"{CLIENT_ID}\"\n\
         client_secret = \"{CLIENT_SECRET}\"\nauthorization_url = \"{github}/login/oauth/authorize\"\n\
         token_url = \"{github}/login/oauth/access_token\"\nuserinfo_url = \"{github}/api/user\"\n\
         emails_url = \"{github}/api/user/emails\"\n"
    );
    let providers = gatehouse::external::providers::from_toml(&toml.parse().unwrap(), |_| None).unwrap();
    let app = spawn_app_with(|config| config.sign_in_providers = Arc::new(providers)).await;
    (app, fake)
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

/// "Continue with GitHub" as `who`: Gatehouse's answer to the callback, and the browser.
async fn sign_in_as(app: &TestApp, fake: &Shared, who: GitHubUser) -> (reqwest::Response, reqwest::Client) {
    fake.lock().unwrap().next_user = Some(who);
    let browser = browser();
    let started = app.post_form_with(&browser, "/login/oauth2/github", &[]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let to_github = location(&started);
    for param in ["state=", "code_challenge=", "code_challenge_method=S256", "scope=read%3Auser+user%3Aemail"] {
        assert!(to_github.contains(param), "{param} in {to_github}");
    }
    let back = browser.get(&to_github).send().await.unwrap();
    let callback = location(&back);
    assert!(callback.starts_with(&app.url("/login/oauth2/github/callback?")), "{callback}");
    (browser.get(&callback).send().await.unwrap(), browser)
}

fn ada(emails: Vec<(&'static str, bool, bool)>) -> GitHubUser {
    GitHubUser { id: 583231, login: "ada", emails }
}

async fn is_signed_in(app: &TestApp, browser: &reqwest::Client) -> bool {
    app.get_with(browser, "/account").await.status() == StatusCode::OK
}

#[tokio::test]
async fn a_new_person_signs_up_with_github_and_comes_back_by_their_github_id() {
    let (app, fake) = site().await;
    let login = app.get("/login").await.text().await.unwrap();
    assert!(login.contains(r#"action="/login/oauth2/github""#) && login.contains("Continue with GitHub"), "{login}");

    let addresses = vec![("old@example.com", false, true), ("ada@example.com", true, true)];
    let (back, browser) = sign_in_as(&app, &fake, ada(addresses)).await;
    assert_eq!(location(&back), "/account");
    let page = app.get_with(&browser, "/account").await.text().await.unwrap();
    assert!(page.contains("ada@example.com") && page.contains("linked as ada@example.com"), "{page}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE email_verified_at IS NOT NULL").await, 1);

    // The same GitHub account, its primary address changed since: the same account here.
    let (again, browser) = sign_in_as(&app, &fake, ada(vec![("lovelace@example.com", true, true)])).await;
    assert_eq!(location(&again), "/account");
    assert!(is_signed_in(&app, &browser).await);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1, "found by GitHub's id, not the address");
}

#[tokio::test]
async fn an_unverified_primary_address_makes_no_account_even_with_another_verified() {
    let (app, fake) = site().await;
    let (refused, browser) =
        sign_in_as(&app, &fake, ada(vec![("ada@example.com", true, false), ("other@example.com", false, true)])).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("did not confirm an email address"));
    assert!(!is_signed_in(&app, &browser).await);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn an_address_with_an_account_here_is_not_linked_by_github() {
    let (app, fake) = site().await;
    app.verified_user("ada@example.com").await;
    let (refused, browser) = sign_in_as(&app, &fake, ada(vec![("ada@example.com", true, true)])).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(!is_signed_in(&app, &browser).await);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM external_links").await, 0);
    assert_eq!(
        app.login("ada@example.com", PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "the owner's password still works"
    );
}

#[tokio::test]
async fn a_github_error_or_a_forged_callback_ends_on_a_page() {
    let (app, fake) = site().await;
    fake.lock().unwrap().next_user = Some(ada(vec![("ada@example.com", true, true)]));
    let browser = browser();
    let started = app.post_form_with(&browser, "/login/oauth2/github", &[]).await;
    let back = browser.get(location(&started)).send().await.unwrap();
    // The code is used up by someone else first: GitHub answers 200 with an error member.
    fake.lock().unwrap().codes.clear();
    let refused = browser.get(location(&back)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let forged = app.get_with(&browser, "/login/oauth2/github/callback?code=code-0&state=made-up").await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/login/oidc/github").await.status(), StatusCode::METHOD_NOT_ALLOWED);
    let wrong_kind = app.post_form_with(&browser, "/login/oidc/github", &[]).await;
    assert_eq!(wrong_kind.status(), StatusCode::NOT_FOUND, "GitHub is reached at /login/oauth2/ only");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);
}
