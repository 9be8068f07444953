//! The OpenID Connect provider, black-box: clients registered with the operator's
//! command, a browser-like client through authorize, login and consent, and an app's
//! server at the token, userinfo and revocation endpoints. ID tokens are checked against
//! the published JWKS. (tests/oidc/ drives the same flow with a real OpenID Connect library.)

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use reqwest::{Client, StatusCode, header};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::process::{fails_with, run, stdout};
use crate::helpers::{PASSWORD, TestApp, browser, hidden_field, spawn_app};
use crate::two_factor::{pending, second_step, user_with_two_factor};

pub(crate) const CALLBACK: &str = "http://127.0.0.1:9/callback";

/// An app registered with `gatehouse client add`: its id and secret.
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) secret: String,
}

pub(crate) fn add_client(app: &TestApp, extra: &[&str]) -> App {
    let mut args = vec!["client", "add", "--name", "Wiki", "--redirect-uri", CALLBACK, "--json"];
    args.extend_from_slice(extra);
    let registered: Value = serde_json::from_str(&stdout(&run(app, &args, ""))).unwrap();
    App {
        id: registered["client_id"].as_str().unwrap().to_owned(),
        secret: registered["client_secret"].as_str().unwrap_or_default().to_owned(),
    }
}

pub(crate) struct Pkce {
    pub(crate) verifier: String,
    challenge: String,
}

pub(crate) fn pkce() -> Pkce {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).unwrap();
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce { verifier, challenge }
}

/// `/oauth2/authorize?…` for `client` with the usual parameters, `extra` replacing or adding.
fn authorize_path(client: &App, pkce: &Pkce, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("client_id", client.id.as_str()),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("scope", "openid email roles offline_access"),
        ("state", "st-123"),
        ("nonce", "n-456"),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    for (name, value) in extra {
        pairs.retain(|(known, _)| known != name);
        if !value.is_empty() {
            pairs.push((name, value));
        }
    }
    let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    format!("/oauth2/authorize?{query}")
}

pub(crate) fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

/// The query parameters of a redirect to the app.
fn callback_params(to: &str) -> Vec<(String, String)> {
    let url = url::Url::parse(to).unwrap();
    assert_eq!(&url[..url::Position::AfterPath], CALLBACK, "{to}");
    url.query_pairs().into_owned().collect()
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone())
}

/// Answers the consent page the browser is on with `decision`; where the app is sent.
pub(crate) async fn decide(app: &TestApp, browser: &Client, consent_page: &str, decision: &str) -> reqwest::Response {
    let mut fields: Vec<(String, String)> = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce"]
        .into_iter()
        .chain(["code_challenge", "code_challenge_method", "csrf_token"])
        .filter_map(|name| hidden_field(consent_page, name).map(|value| (name.to_owned(), unescape(&value))))
        .collect();
    fields.push(("decision".into(), decision.into()));
    browser.post(app.url("/oauth2/consent")).form(&fields).send().await.unwrap()
}

/// An attribute value as the page escaped it, back to text.
fn unescape(value: &str) -> String {
    value
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#34;", "\"")
}

/// A signed-in browser through authorize and consent: the code the app receives.
pub(crate) async fn code_for(app: &TestApp, browser: &Client, client: &App, pkce: &Pkce) -> String {
    let asked = app.get_with(browser, &authorize_path(client, pkce, &[])).await;
    let sent = if asked.status() == StatusCode::OK {
        let page = asked.text().await.unwrap();
        decide(app, browser, &page, "allow").await
    } else {
        asked
    };
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let params = callback_params(&location(&sent));
    assert_eq!(param(&params, "state").as_deref(), Some("st-123"));
    assert_eq!(param(&params, "iss").as_deref(), Some(app.base_url.as_str()));
    param(&params, "code").expect("a code")
}

pub(crate) async fn token_request(app: &TestApp, client: &App, form: &[(&str, &str)]) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/oauth2/token"))
        .basic_auth(&client.id, Some(&client.secret))
        .form(form)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn exchange(app: &TestApp, client: &App, code: &str, verifier: &str) -> reqwest::Response {
    let form =
        [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", CALLBACK), ("code_verifier", verifier)];
    token_request(app, client, &form).await
}

async fn oauth_error(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["error"].as_str().unwrap().to_owned()
}

/// The claims of an ID token, checked against the published keys as an app would.
async fn verified_id_token(app: &TestApp, client: &App, id_token: &str) -> Value {
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    let keys: JwkSet = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().json().await.unwrap();
    let jwk = keys.find(&header.kid.unwrap()).expect("the key is published");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[&client.id]);
    validation.set_issuer(&[&app.base_url]);
    jsonwebtoken::decode::<Value>(id_token, &DecodingKey::from_jwk(jwk).unwrap(), &validation).unwrap().claims
}

/// The app's RP-initiated logout address, with `state=bye`.
fn logout_path(hint: &str, to: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("id_token_hint", hint), ("post_logout_redirect_uri", to), ("state", "bye")])
        .finish();
    format!("/oauth2/logout?{query}")
}

pub(crate) async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM users WHERE email = '{email}'")).await
}

#[tokio::test]
async fn discovery_names_every_endpoint_and_what_is_supported() {
    let app = spawn_app().await;
    let document: Value = app.get("/.well-known/openid-configuration").await.json().await.unwrap();
    assert_eq!(document["issuer"], app.base_url);
    for (key, path) in [
        ("authorization_endpoint", "/oauth2/authorize"),
        ("token_endpoint", "/oauth2/token"),
        ("userinfo_endpoint", "/oauth2/userinfo"),
        ("revocation_endpoint", "/oauth2/revoke"),
        ("introspection_endpoint", "/oauth2/introspect"),
        ("end_session_endpoint", "/oauth2/logout"),
        ("jwks_uri", "/.well-known/jwks.json"),
    ] {
        assert_eq!(document[key], format!("{}{path}", app.base_url), "{key}");
    }
    assert_eq!(document["response_types_supported"], serde_json::json!(["code"]));
    assert_eq!(document["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert!(document["id_token_signing_alg_values_supported"].as_array().unwrap().contains(&"RS256".into()));
    for scope in ["openid", "email", "profile", "roles", "offline_access"] {
        assert!(document["scopes_supported"].as_array().unwrap().contains(&scope.into()), "{scope}");
    }
    assert!(document["grant_types_supported"].as_array().unwrap().contains(&"client_credentials".into()));
    assert_eq!(document["request_parameter_supported"], false);
    assert_eq!(document["request_uri_parameter_supported"], false);

    // RFC 8414's address serves the same metadata.
    let oauth: Value = app.get("/.well-known/oauth-authorization-server").await.json().await.unwrap();
    assert_eq!(oauth["issuer"], app.base_url);
    assert_eq!(oauth["token_endpoint"], document["token_endpoint"]);
    assert_eq!(oauth["code_challenge_methods_supported"], serde_json::json!(["S256"]));
}

/// The parameters of an authorization request, as an app's page would post them.
fn as_form(path: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(path.split_once('?').unwrap().1.as_bytes()).into_owned().collect()
}

/// Core §3.1.2.1 and RP-Initiated Logout §2: both requests may come as a form posted
/// from the app's page, cross-site (so without Gatehouse's session cookie).
#[tokio::test]
async fn an_app_may_post_its_authorization_and_logout_requests_as_forms() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    let from_the_app = |path: &str| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .header("origin", "http://127.0.0.1:9")
    };
    let pkce = pkce();

    let posted = from_the_app("/oauth2/authorize").form(&as_form(&authorize_path(&client, &pkce, &[]))).send().await;
    let posted = posted.unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let asked = location(&posted);
    assert!(asked.starts_with("/oauth2/authorize?"), "{asked}");
    let sent = app.get_with(&browser, &asked).await;
    let code = param(&callback_params(&location(&sent)), "code").expect("a code");
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();

    let logout = as_form(&logout_path(tokens["id_token"].as_str().unwrap(), CALLBACK));
    let posted = from_the_app("/oauth2/logout").form(&logout).send().await.unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let asked = location(&posted);
    assert!(asked.starts_with("/oauth2/logout?"), "{asked}");
    assert_eq!(location(&app.get_with(&browser, &asked).await), format!("{CALLBACK}?state=bye"));
    assert_ne!(app.get_with(&browser, "/account").await.status(), StatusCode::OK, "signed out");
}

/// RFC 6750: the token in the header (the scheme in any case) or in a posted form, not
/// both; without one, a challenge with no error code.
#[tokio::test]
async fn userinfo_takes_the_token_in_the_header_or_a_form_and_challenges_without_one() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let token = tokens["access_token"].as_str().unwrap();
    let userinfo = || reqwest::Client::new().post(app.url("/oauth2/userinfo"));
    let sub = user_id(&app, "ada@example.com").await.to_string();

    for (how, request) in [
        ("header", userinfo().header("authorization", format!("Bearer {token}"))),
        ("lower-case scheme", userinfo().header("authorization", format!("bearer {token}"))),
        ("form body", userinfo().form(&[("access_token", token)])),
    ] {
        let answered = request.send().await.unwrap();
        assert_eq!(answered.status(), StatusCode::OK, "{how}");
        assert_eq!(answered.json::<Value>().await.unwrap()["sub"], sub, "{how}");
    }

    let none = userinfo().send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(none.headers()[header::WWW_AUTHENTICATE], "Bearer", "no error code without a token");
    let both = userinfo().bearer_auth(token).form(&[("access_token", token)]).send().await.unwrap();
    assert_eq!(both.status(), StatusCode::BAD_REQUEST);
    assert!(both.headers()[header::WWW_AUTHENTICATE].to_str().unwrap().contains("invalid_request"));
    let wrong = userinfo().bearer_auth("x.y.z").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers()[header::WWW_AUTHENTICATE].to_str().unwrap().contains("invalid_token"));
}

/// Request objects are refused by name, back at the app, rather than silently dropped
/// (with the parameters inside them).
#[tokio::test]
async fn request_objects_are_refused_by_name() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    for (parameter, value, error) in [
        ("request", "eyJhbGciOiJub25lIn0.e30.", "request_not_supported"),
        ("request_uri", "https://app.example/request.jwt", "request_uri_not_supported"),
    ] {
        let sent = app.get_with(&browser, &authorize_path(&client, &pkce, &[(parameter, value)])).await;
        let params = callback_params(&location(&sent));
        assert_eq!(param(&params, "error").as_deref(), Some(error));
        assert_eq!(param(&params, "state").as_deref(), Some("st-123"));
        assert!(param(&params, "code").is_none());
    }
}

#[tokio::test]
async fn an_app_signs_a_user_in_and_gets_verified_tokens_userinfo_and_refreshes() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();

    let asked = app.get_with(&browser, &authorize_path(&client, &pkce, &[])).await;
    assert_eq!(asked.status(), StatusCode::OK, "the consent page");
    let policy = asked.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(policy.contains("form-action 'self' http://127.0.0.1:9"), "{policy}");
    let page = asked.text().await.unwrap();
    assert!(page.contains("Allow Wiki to use your Gatehouse account?") && page.contains("See your email address"));
    let sent = decide(&app, &browser, &page, "allow").await;
    let code = param(&callback_params(&location(&sent)), "code").unwrap();

    let answered = exchange(&app, &client, &code, &pkce.verifier).await;
    assert_eq!(answered.status(), StatusCode::OK);
    assert_eq!(answered.headers()[header::CACHE_CONTROL], "no-store");
    let tokens: Value = answered.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    let claims = verified_id_token(&app, &client, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], user_id(&app, "ada@example.com").await.to_string());
    assert_eq!(claims["nonce"], "n-456");
    assert_eq!(claims["email"], "ada@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["amr"], serde_json::json!(["pwd"]));
    assert_eq!(claims["roles"], serde_json::json!([]));
    assert!(claims["auth_time"].as_i64().unwrap() <= claims["iat"].as_i64().unwrap());

    let access_token = tokens["access_token"].as_str().unwrap();
    let info: Value = reqwest::Client::new()
        .get(app.url("/oauth2/userinfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["sub"], claims["sub"]);
    assert_eq!(info["email"], "ada@example.com");
    assert!(info.get("preferred_username").is_none(), "no profile scope was granted");
    let api = reqwest::Client::new().get(app.url("/api/me")).bearer_auth(access_token).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED, "an app's token is not for Gatehouse's own API");

    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
    let refreshed: Value = token_request(&app, &client, &form).await.json().await.unwrap();
    let newer = refreshed["refresh_token"].as_str().unwrap();
    assert_ne!(newer, refresh_token, "refresh tokens rotate");
    assert_eq!(verified_id_token(&app, &client, refreshed["id_token"].as_str().unwrap()).await["sub"], claims["sub"]);
    let replayed = token_request(&app, &client, &form).await;
    assert_eq!(oauth_error(replayed).await, "invalid_grant");
    let form = [("grant_type", "refresh_token"), ("refresh_token", newer)];
    assert_eq!(oauth_error(token_request(&app, &client, &form).await).await, "invalid_grant", "the family is revoked");
}

#[tokio::test]
async fn consent_is_remembered_per_app_and_scopes_and_can_be_denied_or_taken_back() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();

    let page = app.get_with(&browser, &authorize_path(&client, &pkce, &[])).await.text().await.unwrap();
    let denied = decide(&app, &browser, &page, "deny").await;
    let params = callback_params(&location(&denied));
    assert_eq!(param(&params, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(&params, "state").as_deref(), Some("st-123"));

    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let again = app.get_with(&browser, &authorize_path(&client, &pkce, &[])).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER, "allowed before: straight back");
    let more = app.get_with(&browser, &authorize_path(&client, &pkce, &[("scope", "openid profile")])).await;
    assert_eq!(more.status(), StatusCode::OK, "a scope not allowed before asks again");

    let listed = app.get_with(&browser, "/account/apps").await.text().await.unwrap();
    assert!(listed.contains("<strong>Wiki</strong>"), "{listed}");
    let removed = app.post_form_with(&browser, "/account/apps/revoke", &[("client_id", &client.id)]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let form = [("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())];
    assert_eq!(oauth_error(token_request(&app, &client, &form).await).await, "invalid_grant");
    let asked = app.get_with(&browser, &authorize_path(&client, &pkce, &[])).await;
    assert_eq!(asked.status(), StatusCode::OK, "asked again");

    let trusted = add_client(&app, &["--skip-consent"]);
    assert_eq!(app.get_with(&browser, &authorize_path(&trusted, &pkce, &[])).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_unknown_app_or_an_unregistered_return_address_gets_a_page_never_a_redirect() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    for extra in [
        [("client_id", "nobody"), ("state", "s")],
        [("redirect_uri", "http://127.0.0.1:9/callback/evil"), ("state", "s")],
        [("redirect_uri", "https://evil.example/callback"), ("state", "s")],
    ] {
        let asked = app.get_with(&browser, &authorize_path(&client, &pkce, &extra)).await;
        assert_eq!(asked.status(), StatusCode::BAD_REQUEST, "{extra:?}");
        assert!(asked.headers().get(header::LOCATION).is_none());
        assert!(asked.text().await.unwrap().contains("<h1>"));
    }
}

#[tokio::test]
async fn other_mistakes_go_back_to_the_app_as_oauth_errors_with_its_state() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let pkce = pkce();
    let visitor = browser();
    for (extra, error) in [
        (vec![("response_type", "token")], "unsupported_response_type"),
        (vec![("code_challenge", "")], "invalid_request"),
        (vec![("code_challenge_method", "plain")], "invalid_request"),
        (vec![("prompt", "none")], "login_required"),
    ] {
        let asked = app.get_with(&visitor, &authorize_path(&client, &pkce, &extra)).await;
        assert_eq!(asked.status(), StatusCode::SEE_OTHER, "{extra:?}");
        let params = callback_params(&location(&asked));
        assert_eq!(param(&params, "error").as_deref(), Some(error), "{extra:?}");
        assert_eq!(param(&params, "state").as_deref(), Some("st-123"));
    }
}

#[tokio::test]
async fn a_visitor_logs_in_on_the_way_and_prompt_login_asks_again() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    app.verified_user("ada@example.com").await;
    let pkce = pkce();
    let visitor = browser();
    let path = authorize_path(&client, &pkce, &[]);
    let asked = app.get_with(&visitor, &path).await;
    let login = location(&asked);
    assert!(login.starts_with("/login?next=%2Foauth2%2Fauthorize"), "{login}");
    let next = url::Url::parse(&format!("http://x{login}")).unwrap().query_pairs().next().unwrap().1.into_owned();
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("next", next.as_str())];
    let signed_in = app.post_form_with(&visitor, "/login", &fields).await;
    assert_eq!(location(&signed_in), next);
    let back = app.get_with(&visitor, &next).await;
    assert!(param(&callback_params(&location(&back)), "code").is_some());

    let forced = app.get_with(&visitor, &authorize_path(&client, &pkce, &[("prompt", "login")])).await;
    let login = location(&forced);
    assert!(login.starts_with("/login?next=") && !login.contains("prompt"), "{login}");
}

#[tokio::test]
async fn the_token_endpoint_refuses_wrong_verifier_reused_or_expired_code_and_wrong_secret() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();

    let code = code_for(&app, &browser, &client, &pkce).await;
    let wrong = exchange(&app, &client, &code, &self::pkce().verifier).await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert_eq!(oauth_error(wrong).await, "invalid_grant");
    let right = exchange(&app, &client, &code, &pkce.verifier).await;
    assert_eq!(right.status(), StatusCode::OK, "a wrong verifier does not use the code up");

    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let reused = exchange(&app, &client, &code, &pkce.verifier).await;
    assert_eq!(oauth_error(reused).await, "invalid_grant");
    let form = [("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())];
    assert_eq!(oauth_error(token_request(&app, &client, &form).await).await, "invalid_grant", "revoked by the reuse");

    let code = code_for(&app, &browser, &client, &pkce).await;
    app.execute("UPDATE oauth_codes SET expires_at = 0 WHERE used_at IS NULL").await;
    assert_eq!(oauth_error(exchange(&app, &client, &code, &pkce.verifier).await).await, "invalid_grant");

    let code = code_for(&app, &browser, &client, &pkce).await;
    let impostor = App { id: client.id.clone(), secret: "not the secret".into() };
    let refused = exchange(&app, &impostor, &code, &pkce.verifier).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.headers()[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Basic"));
    assert_eq!(oauth_error(refused).await, "invalid_client");
    let posted = reqwest::Client::new()
        .post(app.url("/oauth2/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", &pkce.verifier),
            ("client_id", &client.id),
            ("client_secret", &client.secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::OK, "client_secret_post works too");
}

#[tokio::test]
async fn two_step_login_comes_first_and_the_id_token_says_so() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let (enrolled, _) = user_with_two_factor(&app, "ada@example.com").await;
    let waiting = pending(&app, "ada@example.com").await;
    let pkce = pkce();
    let asked = app.get_with(&waiting, &authorize_path(&client, &pkce, &[])).await;
    assert!(location(&asked).starts_with("/login"), "half signed in is not signed in");
    let code = crate::helpers::totp::code(&enrolled.secret, 1);
    assert_eq!(second_step(&app, &waiting, &code).await.status(), StatusCode::SEE_OTHER);
    let code = code_for(&app, &waiting, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let claims = verified_id_token(&app, &client, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp"]));
}

#[tokio::test]
async fn logout_ends_the_session_and_returns_only_to_a_registered_address() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();

    let logout = logout_path;
    let forged = app.get_with(&browser, &logout("not.a.token", CALLBACK)).await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.get_with(&browser, "/account").await.status(), StatusCode::OK, "still signed in");

    let elsewhere = app.get_with(&browser, &logout(id_token, "https://evil.example/")).await;
    assert_eq!(location(&elsewhere), "/?notice=signed-out", "never to an address the app did not register");
    let browser = crate::helpers::browser();
    assert_eq!(app.login_with(&browser, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();
    let back = app.get_with(&browser, &logout(id_token, CALLBACK)).await;
    assert_eq!(location(&back), format!("{CALLBACK}?state=bye"));
    assert_ne!(app.get_with(&browser, "/account").await.status(), StatusCode::OK, "signed out");
}

/// Any page can send a signed-in browser to the logout address with any ID token (the
/// attacker's own, say): a hint issued to someone else ends nothing without the person's
/// say on a confirmation page, and an access token is no hint at all.
#[tokio::test]
async fn a_logout_hint_for_someone_else_asks_first_and_an_access_token_is_no_hint() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--id-token-alg", "EdDSA"]);
    let ada = app.signed_in("ada@example.com").await;
    let mallory = app.signed_in("mallory@example.com").await;
    let pkce = pkce();
    let code = code_for(&app, &mallory, &client, &pkce).await;
    let theirs: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let logout = |hint: &str| logout_path(hint, CALLBACK);

    let access_token = app.get_with(&ada, &logout(theirs["access_token"].as_str().unwrap())).await;
    assert_eq!(access_token.status(), StatusCode::BAD_REQUEST, "an access token is not a hint");
    let asked = app.get_with(&ada, &logout(theirs["id_token"].as_str().unwrap())).await;
    assert_eq!(asked.status(), StatusCode::OK, "a page, not a redirect");
    let policy = asked.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("form-action 'self' http://127.0.0.1:9"), "{policy}");
    let page = asked.text().await.unwrap();
    assert!(page.contains("Log out of Gatehouse?") && page.contains("ada@example.com"), "{page}");
    assert_eq!(app.get_with(&ada, "/account").await.status(), StatusCode::OK, "still signed in");

    // Saying yes ends the session and goes back to the app.
    let fields: Vec<(String, String)> = ["id_token_hint", "post_logout_redirect_uri", "state"]
        .iter()
        .map(|name| (name.to_string(), unescape(&hidden_field(&page, name).unwrap())))
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let confirmed = app.post_form_with(&ada, "/oauth2/logout/confirm", &fields).await;
    assert_eq!(location(&confirmed), format!("{CALLBACK}?state=bye"));
    assert_ne!(app.get_with(&ada, "/account").await.status(), StatusCode::OK, "signed out");
    assert_eq!(app.get_with(&mallory, "/account").await.status(), StatusCode::OK, "the other account is untouched");
}

#[tokio::test]
async fn the_operator_registers_lists_and_removes_apps() {
    let app = spawn_app().await;
    let public = add_client(&app, &["--public"]);
    assert!(public.secret.is_empty(), "a public client has no secret");
    let confidential = add_client(&app, &[]);
    assert!(confidential.secret.len() >= 43);
    let listed = stdout(&run(&app, &["client", "list"], ""));
    assert!(listed.contains(&public.id) && listed.contains("(public,") && listed.contains("2 client(s)"), "{listed}");
    fails_with(&run(&app, &["client", "add", "--name", "X", "--redirect-uri", "http://example.com/cb"], ""), "https");
    assert!(stdout(&run(&app, &["client", "remove", &public.id], "")).contains("removed"));
    fails_with(&run(&app, &["client", "remove", &public.id], ""), "no client");
}

/// `node tests/oidc/rp.mjs STEP …` with openid-client; its one line of output. Waited for
/// off the test's thread, which also serves Gatehouse.
async fn relying_party(
    step: &str,
    app: &TestApp,
    client: &App,
    state_file: &std::path::Path,
    extra: &[&str],
) -> String {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc/rp.mjs");
    let mut command = std::process::Command::new("node");
    command.arg(script).args([step, &app.base_url, &client.id, &client.secret, CALLBACK]).arg(state_file).args(extra);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("node runs (tests/run installs openid-client)");
    assert!(output.status.success(), "rp.mjs {step}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[tokio::test]
#[ignore = "needs Node and openid-client: tests/run installs them"]
async fn a_real_openid_connect_library_signs_in_refreshes_revokes_and_logs_out() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("state.json");

    let authorization_url = relying_party("start", &app, &client, &state_file, &[]).await;
    let path = authorization_url.strip_prefix(&app.base_url).expect("the discovered authorization endpoint");
    let page = app.get_with(&browser, path).await.text().await.unwrap();
    let callback = location(&decide(&app, &browser, &page, "allow").await);

    let result = relying_party("finish", &app, &client, &state_file, &[&callback]).await;
    let result: Value = serde_json::from_str(&result).unwrap();
    let sub = user_id(&app, "ada@example.com").await.to_string();
    assert_eq!(result["claims"]["sub"], sub, "the library validated the ID token: {result}");
    assert_eq!(result["claims"]["email"], "ada@example.com");
    assert_eq!(result["userinfo"]["email"], "ada@example.com");
    assert_eq!(result["refreshed_sub"], sub);
    assert_eq!(result["refresh_rotated"], true);
    assert_eq!(result["after_revocation"], "invalid_grant", "{result}");

    let logout = result["logout"].as_str().unwrap().strip_prefix(&app.base_url).unwrap().to_owned();
    let back = app.get_with(&browser, &logout).await;
    assert_eq!(location(&back), format!("{CALLBACK}?state=bye"));
    assert_ne!(app.get_with(&browser, "/account").await.status(), StatusCode::OK, "signed out");
}

/// The key types in the published JWKS.
async fn published_key_types(app: &TestApp) -> Vec<String> {
    let keys: Value = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().json().await.unwrap();
    keys["keys"].as_array().unwrap().iter().map(|key| key["kty"].as_str().unwrap().to_owned()).collect()
}

/// Ed25519 keys make some relying parties warn or fail (pyoidc, mod_auth_openidc): the
/// JWKS has them only while a client uses EdDSA.
#[tokio::test]
async fn the_jwks_has_an_eddsa_key_only_while_a_client_uses_eddsa() {
    let app = spawn_app().await;
    add_client(&app, &[]);
    assert!(published_key_types(&app).await.iter().all(|kty| kty == "RSA"));
    let eddsa = add_client(&app, &["--id-token-alg", "EdDSA"]);
    assert!(published_key_types(&app).await.contains(&"OKP".to_owned()));
    run(&app, &["client", "remove", &eddsa.id], "");
    assert!(published_key_types(&app).await.iter().all(|kty| kty == "RSA"));
}

#[tokio::test]
async fn an_app_registered_for_eddsa_gets_eddsa_id_tokens_and_a_public_app_needs_no_secret() {
    let app = spawn_app().await;
    let eddsa = add_client(&app, &["--id-token-alg", "EdDSA", "--skip-consent"]);
    let public = add_client(&app, &["--public", "--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();

    let code = code_for(&app, &browser, &eddsa, &pkce).await;
    let tokens: Value = exchange(&app, &eddsa, &code, &pkce.verifier).await.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.alg, Algorithm::EdDSA);
    let keys: JwkSet = reqwest::get(app.url("/.well-known/jwks.json")).await.unwrap().json().await.unwrap();
    let key = DecodingKey::from_jwk(keys.find(&header.kid.unwrap()).unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_audience(&[&eddsa.id]);
    let claims = jsonwebtoken::decode::<Value>(id_token, &key, &validation).unwrap().claims;
    assert_eq!(claims["nonce"], "n-456");
    let userinfo = reqwest::Client::new().get(app.url("/oauth2/userinfo")).bearer_auth(id_token).send().await.unwrap();
    assert_eq!(userinfo.status(), StatusCode::UNAUTHORIZED, "an ID token is not an access token");

    let code = code_for(&app, &browser, &public, &pkce).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", pkce.verifier.as_str()),
        ("client_id", public.id.as_str()),
    ];
    let answered = reqwest::Client::new().post(app.url("/oauth2/token")).form(&form).send().await.unwrap();
    assert_eq!(answered.status(), StatusCode::OK, "PKCE alone for a public client");
    let code = code_for(&app, &browser, &eddsa, &pkce).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", pkce.verifier.as_str()),
        ("client_id", eddsa.id.as_str()),
    ];
    let refused = reqwest::Client::new().post(app.url("/oauth2/token")).form(&form).send().await.unwrap();
    assert_eq!(oauth_error(refused).await, "invalid_client", "a confidential client must send its secret");

    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("id_token_hint", id_token), ("post_logout_redirect_uri", CALLBACK)])
        .finish();
    let back = app.get_with(&browser, &format!("/oauth2/logout?{query}")).await;
    assert_eq!(location(&back), CALLBACK, "an EdDSA ID token is a good hint too");
}

/// Only a request that proves everything (client, redirect URI, verifier, in time) counts
/// as a replay of a used code and revokes what it bought: anyone else holding the code
/// changes nothing.
#[tokio::test]
async fn a_used_code_revokes_its_tokens_only_when_replayed_with_its_verifier_in_time() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();

    assert_eq!(oauth_error(exchange(&app, &client, &code, &self::pkce().verifier).await).await, "invalid_grant");
    let elsewhere = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9/elsewhere"),
        ("code_verifier", pkce.verifier.as_str()),
    ];
    assert_eq!(oauth_error(token_request(&app, &client, &elsewhere).await).await, "invalid_grant");
    app.execute("UPDATE oauth_codes SET expires_at = 0").await;
    assert_eq!(oauth_error(exchange(&app, &client, &code, &pkce.verifier).await).await, "invalid_grant", "expired");
    let refresh = [("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())];
    assert_eq!(token_request(&app, &client, &refresh).await.status(), StatusCode::OK, "none of those revoked anything");

    // The real replay: the same code, its verifier, in time.
    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    assert_eq!(oauth_error(exchange(&app, &client, &code, &pkce.verifier).await).await, "invalid_grant");
    let refresh = [("grant_type", "refresh_token"), ("refresh_token", tokens["refresh_token"].as_str().unwrap())];
    assert_eq!(oauth_error(token_request(&app, &client, &refresh).await).await, "invalid_grant", "revoked");
}

/// `max_age=0` always asks for a new sign-in, and the sign-in it asked for ends the
/// asking: back from the login page, the app gets its code.
#[tokio::test]
async fn max_age_zero_asks_for_a_new_sign_in_once() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    let asked = app.get_with(&browser, &authorize_path(&client, &pkce, &[("max_age", "0")])).await;
    let login = location(&asked);
    assert!(login.starts_with("/login?next="), "{login}");
    let next = url::Url::parse(&format!("http://x{login}")).unwrap().query_pairs().next().unwrap().1.into_owned();
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("next", next.as_str())];
    let signed_in = app.post_form_with(&browser, "/login", &fields).await;
    assert_eq!(location(&signed_in), next);
    let back = app.get_with(&browser, &next).await;
    assert!(param(&callback_params(&location(&back)), "code").is_some(), "{}", location(&back));

    // max_age=1, once the second has turned since that sign-in: asked again. (The wait is
    // the condition under test, not a stand-in for work.)
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let again = app.get_with(&browser, &authorize_path(&client, &pkce, &[("max_age", "1")])).await;
    assert!(location(&again).starts_with("/login?next="), "{}", location(&again));
}

/// `prompt=login consent`: the sign-in is asked for once, then the consent page, never
/// the login page again.
#[tokio::test]
async fn prompt_login_consent_asks_for_a_sign_in_once_then_consent() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    let asked = app.get_with(&browser, &authorize_path(&client, &pkce, &[("prompt", "login consent")])).await;
    let login = location(&asked);
    let next = url::Url::parse(&format!("http://x{login}")).unwrap().query_pairs().next().unwrap().1.into_owned();
    let kept: Vec<(String, String)> =
        url::Url::parse(&format!("http://x{next}")).unwrap().query_pairs().into_owned().collect();
    assert_eq!(param(&kept, "prompt").as_deref(), Some("consent"), "{next}");
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("next", next.as_str())];
    assert_eq!(location(&app.post_form_with(&browser, "/login", &fields).await), next);
    let consent = app.get_with(&browser, &next).await;
    assert_eq!(consent.status(), StatusCode::OK, "the consent page, not the login page again");
    assert!(consent.text().await.unwrap().contains("Allow"));
}

#[tokio::test]
async fn max_age_asks_for_a_sign_in_that_recent() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    let pkce = pkce();
    let recent = app.get_with(&browser, &authorize_path(&client, &pkce, &[("max_age", "600")])).await;
    assert!(param(&callback_params(&location(&recent)), "code").is_some());
    app.age_sign_ins().await;
    let old = app.get_with(&browser, &authorize_path(&client, &pkce, &[("max_age", "600")])).await;
    assert!(location(&old).starts_with("/login?next="), "{}", location(&old));
}

#[tokio::test]
async fn tokens_from_a_passkey_sign_in_say_so_in_amr() {
    let app = crate::helpers::spawn_app_on_localhost_with(|_| {}).await;
    let client = add_client(&app, &["--skip-consent"]);
    let signed_in = app.signed_in("ada@example.com").await;
    let mut authenticator = crate::passkeys::register(&app, &signed_in, "Laptop").await;
    let (answered, browser) = crate::passkeys::passkey_sign_in(&app, &mut authenticator).await;
    assert_eq!(answered.status(), StatusCode::OK);

    let pkce = pkce();
    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let claims = verified_id_token(&app, &client, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["amr"], serde_json::json!(["hwk", "user"]));
    let payload = tokens["access_token"].as_str().unwrap().split('.').nth(1).unwrap();
    let access: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(access["amr"], serde_json::json!(["hwk", "user"]));
}

/// The same account signed in on two browsers: an app's logout request carrying the ID
/// token of one sign-in (its `sid`) ends that one, and only asks on the other.
#[tokio::test]
async fn a_logout_hint_from_another_sign_in_of_the_same_account_asks_first() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let laptop = app.signed_in("ada@example.com").await;
    let phone = crate::helpers::browser();
    assert_eq!(app.login_with(&phone, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let pkce = pkce();
    let code = code_for(&app, &phone, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();
    let claims = verified_id_token(&app, &client, id_token).await;
    assert!(claims["sid"].as_str().is_some_and(|sid| sid.len() >= 32), "{claims}");

    let asked = app.get_with(&laptop, &logout_path(id_token, CALLBACK)).await;
    assert_eq!(asked.status(), StatusCode::OK, "the laptop's sign-in is not the one the app means");
    assert!(asked.text().await.unwrap().contains("Log out of Gatehouse?"));
    assert_eq!(app.get_with(&laptop, "/account").await.status(), StatusCode::OK, "still signed in");

    let ended = app.get_with(&phone, &logout_path(id_token, CALLBACK)).await;
    assert_eq!(location(&ended), format!("{CALLBACK}?state=bye"));
    assert_ne!(app.get_with(&phone, "/account").await.status(), StatusCode::OK, "signed out");
}

/// An app's access token, where Gatehouse would take it: userinfo, `/api/*`, forward auth.
struct Uses {
    userinfo: StatusCode,
    api: StatusCode,
    forward_auth: StatusCode,
}

async fn uses_of(app: &TestApp, access_token: &str) -> Uses {
    let program = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let send = |request: reqwest::RequestBuilder| async move { request.send().await.unwrap().status() };
    Uses {
        userinfo: send(program.get(app.url("/oauth2/userinfo")).bearer_auth(access_token)).await,
        api: send(program.get(app.url("/api/me")).bearer_auth(access_token)).await,
        forward_auth: send(
            program
                .get(app.url("/auth/request"))
                .bearer_auth(access_token)
                .header("x-original-url", "https://app.example.com/notes"),
        )
        .await,
    }
}

/// A live grant's token answers userinfo only (it is for the app, not Gatehouse's API or
/// the apps behind the gate); a revoked one's nowhere.
async fn assert_usable(app: &TestApp, access_token: &str, usable: bool, when: &str) {
    let uses = uses_of(app, access_token).await;
    let userinfo = if usable { StatusCode::OK } else { StatusCode::UNAUTHORIZED };
    assert_eq!(uses.userinfo, userinfo, "userinfo {when}");
    assert_eq!(uses.api, StatusCode::UNAUTHORIZED, "/api/me {when}");
    assert_eq!(uses.forward_auth, StatusCode::UNAUTHORIZED, "forward auth {when}");
}

/// The tokens of one sign-in through the app: access and refresh.
async fn grant_for(app: &TestApp, browser: &Client, client: &App) -> (String, String, String) {
    let pkce = pkce();
    let code = code_for(app, browser, client, &pkce).await;
    let tokens: Value = exchange(app, client, &code, &pkce.verifier).await.json().await.unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    (code, access, refresh)
}

#[tokio::test]
async fn access_tokens_stop_working_with_their_grant_at_once() {
    let app = crate::forward_auth::guarded_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;

    // A code used twice (with its verifier): its grant goes.
    let pkce = pkce();
    let code = code_for(&app, &browser, &client, &pkce).await;
    let tokens: Value = exchange(&app, &client, &code, &pkce.verifier).await.json().await.unwrap();
    let replayed = tokens["access_token"].as_str().unwrap().to_owned();
    let (_, other, _) = grant_for(&app, &browser, &client).await;
    assert_usable(&app, &replayed, true, "before the replay").await;
    assert_eq!(oauth_error(exchange(&app, &client, &code, &pkce.verifier).await).await, "invalid_grant");
    assert_usable(&app, &replayed, false, "after the code came back").await;
    assert_usable(&app, &other, true, "another grant is untouched").await;

    // The refresh token revoked: the grant's access tokens go, even one refreshed from it.
    let (_, access, refresh) = grant_for(&app, &browser, &client).await;
    let refreshed: Value =
        token_request(&app, &client, &[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
            .await
            .json()
            .await
            .unwrap();
    let newer = refreshed["access_token"].as_str().unwrap();
    let revoke = [("token", refreshed["refresh_token"].as_str().unwrap())];
    let revoked = reqwest::Client::new()
        .post(app.url("/oauth2/revoke"))
        .basic_auth(&client.id, Some(&client.secret))
        .form(&revoke)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_usable(&app, &access, false, "after revoking the refresh token").await;
    assert_usable(&app, newer, false, "the refreshed one after revoking").await;
    assert_usable(&app, &other, true, "another grant is still untouched").await;

    // Logout: every grant of the account.
    let (_, access, _) = grant_for(&app, &browser, &client).await;
    assert_usable(&app, &access, true, "before logout").await;
    let logout = app.post_form_with(&browser, "/logout", &[]).await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_usable(&app, &access, false, "after logout").await;
    assert_usable(&app, &other, false, "after logout, every grant").await;
}

/// A browser app (a public client's page) may read discovery and the keys from anywhere,
/// and call token, userinfo and revoke from the origin of one of its redirect URIs only.
#[tokio::test]
async fn a_browser_app_may_call_the_endpoints_from_its_own_origin_only() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--public", "--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    let (ours, theirs) = ("http://127.0.0.1:9", "https://evil.example");
    let allowed = |response: &reqwest::Response| {
        response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).map(|value| value.to_str().unwrap().to_owned())
    };
    let program = reqwest::Client::new();

    for path in ["/.well-known/openid-configuration", "/.well-known/jwks.json"] {
        let read = program.get(app.url(path)).header("origin", theirs).send().await.unwrap();
        assert_eq!(allowed(&read).as_deref(), Some("*"), "{path} is public");
    }

    for path in ["/oauth2/token", "/oauth2/userinfo", "/oauth2/revoke"] {
        let preflight = |origin: &str| {
            program
                .request(reqwest::Method::OPTIONS, app.url(path))
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "authorization")
                .send()
        };
        let asked = preflight(ours).await.unwrap();
        assert_eq!(allowed(&asked).as_deref(), Some(ours), "{path}");
        assert!(asked.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap().contains("authorization"));
        assert_eq!(allowed(&preflight(theirs).await.unwrap()), None, "{path} from an origin no app registered");
    }

    let pkce = pkce();
    let code = code_for(&app, &browser, &client, &pkce).await;
    let exchange = |origin: &'static str, code: String, verifier: String| {
        program
            .post(app.url("/oauth2/token"))
            .header("origin", origin)
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", CALLBACK),
                ("code_verifier", verifier.as_str()),
                ("client_id", client.id.as_str()),
            ])
            .send()
    };
    let answered = exchange(ours, code, pkce.verifier.clone()).await.unwrap();
    assert_eq!(allowed(&answered).as_deref(), Some(ours));
    let tokens: Value = answered.json().await.unwrap();
    let access_token = tokens["access_token"].as_str().unwrap();
    let code = code_for(&app, &browser, &client, &pkce).await;
    assert_eq!(allowed(&exchange(theirs, code, pkce.verifier.clone()).await.unwrap()), None);

    let userinfo = |origin: &str| {
        program.get(app.url("/oauth2/userinfo")).bearer_auth(access_token).header("origin", origin).send()
    };
    assert_eq!(allowed(&userinfo(theirs).await.unwrap()), None);
    // A refusal names no client: any registered origin may read it, to tell it from a failure.
    let refused =
        |origin: &str| program.get(app.url("/oauth2/userinfo")).bearer_auth("x.y.z").header("origin", origin).send();
    let bad_token = refused(ours).await.unwrap();
    assert_eq!((bad_token.status(), allowed(&bad_token).as_deref()), (StatusCode::UNAUTHORIZED, Some(ours)));
    assert_eq!(allowed(&refused(theirs).await.unwrap()), None);
    let read = userinfo(ours).await.unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(allowed(&read).as_deref(), Some(ours));

    let revoked = program
        .post(app.url("/oauth2/revoke"))
        .header("origin", ours)
        .form(&[("token", access_token), ("client_id", client.id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(allowed(&revoked).as_deref(), Some(ours));
}

/// RP logout may return to an address registered for it (the app's home page), which the
/// operator can change later like the rest of the registration.
#[tokio::test]
async fn logout_returns_to_a_registered_post_logout_address_which_the_operator_can_change() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent", "--post-logout-redirect-uri", "http://127.0.0.1:9/bye"]);
    let signed_out_to = |to: &'static str| {
        let (app, client) = (&app, &client);
        async move {
            let browser = app.signed_in("ada@example.com").await;
            let pkce = pkce();
            let code = code_for(app, &browser, client, &pkce).await;
            let tokens: Value = exchange(app, client, &code, &pkce.verifier).await.json().await.unwrap();
            location(&app.get_with(&browser, &logout_path(tokens["id_token"].as_str().unwrap(), to)).await)
        }
    };
    assert_eq!(signed_out_to("http://127.0.0.1:9/bye").await, "http://127.0.0.1:9/bye?state=bye");
    assert_eq!(signed_out_to(CALLBACK).await, format!("{CALLBACK}?state=bye"), "a redirect URI still is one");

    let changed = run(
        &app,
        &["client", "update", &client.id, "--name", "Wiki 2", "--post-logout-redirect-uri", "http://127.0.0.1:9/home"],
        "",
    );
    assert!(stdout(&changed).contains("updated"));
    assert_eq!(signed_out_to("http://127.0.0.1:9/bye").await, "/?notice=signed-out", "no longer registered");
    assert_eq!(signed_out_to("http://127.0.0.1:9/home").await, "http://127.0.0.1:9/home?state=bye");
    let listed: Value = serde_json::from_str(&stdout(&run(&app, &["client", "list", "--json"], ""))).unwrap();
    assert_eq!(listed[0]["name"], "Wiki 2");
    assert_eq!(listed[0]["post_logout_redirect_uris"], serde_json::json!(["http://127.0.0.1:9/home"]));
    assert_eq!(listed[0]["redirect_uris"], serde_json::json!([CALLBACK]), "what was not given is kept");

    let update = |extra: &[&str]| {
        let mut args = vec!["client", "update", client.id.as_str()];
        args.extend_from_slice(extra);
        run(&app, &args, "")
    };
    fails_with(&update(&["--post-logout-redirect-uri", "http://example.com/"]), "https");
    fails_with(&update(&["--name", " "]), "--name");
    fails_with(&run(&app, &["client", "update", "no-such-client", "--name", "X"], ""), "no client");
}

/// A service registered for client credentials: a secret, its own scopes, no user.
fn add_service(app: &TestApp) -> App {
    let args = [
        "client",
        "add",
        "--name",
        "Reports",
        "--grant",
        "client_credentials",
        "--scope",
        "reports:read",
        "--scope",
        "reports:write",
        "--json",
    ];
    let registered: Value = serde_json::from_str(&stdout(&run(app, &args, ""))).unwrap();
    App {
        id: registered["client_id"].as_str().unwrap().to_owned(),
        secret: registered["client_secret"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn a_service_gets_a_token_for_itself_with_client_credentials() {
    let app = crate::forward_auth::guarded_app().await;
    let service = add_service(&app);
    let grant = |scope: &'static str| {
        let (app, service) = (&app, &service);
        async move { token_request(app, service, &[("grant_type", "client_credentials"), ("scope", scope)]).await }
    };

    let all: Value = grant("").await.json().await.unwrap();
    assert_eq!(all["scope"], "reports:read reports:write");
    assert_eq!(all["token_type"], "Bearer");
    assert!(all.get("id_token").is_none() && all.get("refresh_token").is_none(), "{all}");
    let read: Value = grant("reports:read").await.json().await.unwrap();
    assert_eq!(read["scope"], "reports:read");
    assert_eq!(oauth_error(grant("reports:read admin").await).await, "invalid_scope");
    assert_eq!(oauth_error(grant("openid").await).await, "invalid_scope");

    let token = all["access_token"].as_str().unwrap();
    let claims = jsonwebtoken::dangerous::insecure_decode::<Value>(token).unwrap().claims;
    assert_eq!(claims["sub"], service.id, "the service is its own subject");
    assert!(claims.get("amr").is_none(), "nobody signed in");
    assert_usable(&app, token, false, "a service's token reads no user's info").await;

    let app_client = add_client(&app, &[]);
    let refused = token_request(&app, &app_client, &[("grant_type", "client_credentials")]).await;
    assert_eq!(oauth_error(refused).await, "unauthorized_client", "not registered for it");
    let code_with_service = token_request(&app, &service, &[("grant_type", "authorization_code"), ("code", "x")]);
    assert_eq!(oauth_error(code_with_service.await).await, "unauthorized_client");

    let listed = stdout(&run(&app, &["client", "list"], ""));
    assert!(listed.contains("grants: client_credentials") && listed.contains("grants: authorization_code"), "{listed}");
    assert!(listed.contains("its own scopes: reports:read reports:write"), "{listed}");
    let public = ["client", "add", "--name", "X", "--public", "--grant", "client_credentials"];
    fails_with(&run(&app, &public, ""), "public client");
    fails_with(&run(&app, &["client", "add", "--name", "X"], ""), "--redirect-uri");
}

async fn introspect(app: &TestApp, caller: Option<&App>, token: &str) -> reqwest::Response {
    let request = reqwest::Client::new().post(app.url("/oauth2/introspect")).form(&[("token", token)]);
    match caller {
        Some(caller) => request.basic_auth(&caller.id, Some(&caller.secret)),
        None => request,
    }
    .send()
    .await
    .unwrap()
}

#[tokio::test]
async fn a_resource_server_introspects_tokens_with_its_own_credentials() {
    let app = spawn_app().await;
    let wiki = add_client(&app, &["--skip-consent"]);
    let api = add_service(&app);
    let browser = app.signed_in("ada@example.com").await;
    let (_, access, refresh) = grant_for(&app, &browser, &wiki).await;
    let answer = |response: reqwest::Response| async move {
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        response.json::<Value>().await.unwrap()
    };

    let about = answer(introspect(&app, Some(&api), &access).await).await;
    assert_eq!(about["active"], true, "{about}");
    assert_eq!(about["sub"], user_id(&app, "ada@example.com").await.to_string());
    assert_eq!(about["client_id"], wiki.id);
    assert_eq!(about["scope"], "openid email roles offline_access");
    assert!(about["exp"].as_i64().unwrap() > about["iat"].as_i64().unwrap());
    let own: Value = token_request(&app, &api, &[("grant_type", "client_credentials")]).await.json().await.unwrap();
    let own = answer(introspect(&app, Some(&api), own["access_token"].as_str().unwrap()).await).await;
    assert_eq!((own["active"].as_bool(), own["sub"].as_str()), (Some(true), Some(api.id.as_str())));

    assert_eq!(
        answer(introspect(&app, Some(&api), &refresh).await).await,
        serde_json::json!({"active": false}),
        "not its refresh token"
    );
    let held = answer(introspect(&app, Some(&wiki), &refresh).await).await;
    assert_eq!((held["active"].as_bool(), held["token_type"].as_str()), (Some(true), Some("refresh_token")));
    assert_eq!(answer(introspect(&app, Some(&api), "x.y.z").await).await, serde_json::json!({"active": false}));

    let revoke = [("token", refresh.as_str())];
    let revoked =
        reqwest::Client::new().post(app.url("/oauth2/revoke")).basic_auth(&wiki.id, Some(&wiki.secret)).form(&revoke);
    assert_eq!(revoked.send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(answer(introspect(&app, Some(&api), &access).await).await["active"], false, "its grant is revoked");
    assert_eq!(answer(introspect(&app, Some(&wiki), &refresh).await).await["active"], false);

    assert_eq!(introspect(&app, None, &access).await.status(), StatusCode::UNAUTHORIZED, "no client");
    let public = add_client(&app, &["--public"]);
    assert_eq!(introspect(&app, Some(&public), &access).await.status(), StatusCode::UNAUTHORIZED, "a public client");
    let wrong = App { id: api.id.clone(), secret: "wrong".into() };
    assert_eq!(introspect(&app, Some(&wrong), &access).await.status(), StatusCode::UNAUTHORIZED);
}

/// The person sees where they are going: the login page names the app, the consent page
/// the host the answer returns to.
#[tokio::test]
async fn the_login_page_names_the_app_and_the_consent_page_where_it_returns() {
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    app.verified_user("ada@example.com").await;
    let visitor = crate::helpers::browser();
    let pkce = pkce();

    let sent = app.get_with(&visitor, &authorize_path(&client, &pkce, &[])).await;
    let login = app.get_with(&visitor, &location(&sent)).await.text().await.unwrap();
    assert!(login.contains("Log in to continue to Wiki."), "{login}");
    let plain = app.get_with(&visitor, "/login").await.text().await.unwrap();
    assert!(!plain.contains("continue to Wiki"), "only on the way to the app");

    assert_eq!(app.login_with(&visitor, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let consent = app.get_with(&visitor, &authorize_path(&client, &pkce, &[])).await.text().await.unwrap();
    assert!(consent.contains("Your answer takes you back to 127.0.0.1:9."), "{consent}");
}

/// `name` and `preferred_username` with `profile` (the address until a username is set),
/// `groups` with `roles` or `groups`, for apps that map roles from that claim.
#[tokio::test]
async fn apps_read_the_name_username_and_groups_the_person_has() {
    let app = spawn_app().await;
    let client = add_client(&app, &["--skip-consent"]);
    let browser = app.signed_in("ada@example.com").await;
    stdout(&run(&app, &["user", "grant", "ada@example.com", "editor"], ""));
    let claims_with = |scope: &'static str| {
        let (app, browser, client) = (&app, &browser, &client);
        async move {
            let pkce = pkce();
            let asked = app.get_with(browser, &authorize_path(client, &pkce, &[("scope", scope)])).await;
            let code = param(&callback_params(&location(&asked)), "code").unwrap();
            let tokens: Value = exchange(app, client, &code, &pkce.verifier).await.json().await.unwrap();
            let id_token = verified_id_token(app, client, tokens["id_token"].as_str().unwrap()).await;
            let userinfo: Value = reqwest::Client::new()
                .get(app.url("/oauth2/userinfo"))
                .bearer_auth(tokens["access_token"].as_str().unwrap())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (id_token, userinfo)
        }
    };

    let (claims, _) = claims_with("openid profile").await;
    assert_eq!(claims["preferred_username"], "ada@example.com", "no username yet");
    assert!(claims.get("name").is_none() && claims.get("groups").is_none(), "{claims}");

    let fields = [("display_name", "Ada Lovelace"), ("username", "ada")];
    assert_eq!(app.post_form_with(&browser, "/account/profile", &fields).await.status(), StatusCode::SEE_OTHER);
    let (claims, userinfo) = claims_with("openid profile groups").await;
    for (from, claims) in [("ID token", &claims), ("userinfo", &userinfo)] {
        assert_eq!(claims["name"], "Ada Lovelace", "{from}");
        assert_eq!(claims["preferred_username"], "ada", "{from}");
        assert_eq!(claims["groups"], serde_json::json!(["editor"]), "{from}");
        assert!(claims.get("roles").is_none(), "{from}: roles needs its own scope");
    }
    let (claims, _) = claims_with("openid roles").await;
    assert_eq!(
        (claims["roles"].clone(), claims["groups"].clone()),
        (serde_json::json!(["editor"]), serde_json::json!(["editor"]))
    );
}

/// pyoidc (the `oic` package), a confidential client: discovery, PKCE, the code grant with
/// `client_secret_basic`, ID token checks against the JWKS, userinfo with the token in a
/// POST body, revocation. Run as its own process, which prints the authorization URL and
/// reads the callback the browser reached.
#[tokio::test]
#[ignore = "needs pyoidc: tests/run installs it (pip install oic) and runs it"]
async fn pyoidc_signs_in_reads_userinfo_by_body_and_revokes() {
    use std::io::{BufRead, BufReader, Read, Write};
    let app = spawn_app().await;
    let client = add_client(&app, &[]);
    let browser = app.signed_in("ada@example.com").await;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc/pyoidc_rp.py");
    let mut rp = std::process::Command::new("python3")
        .arg(script)
        .args([&app.base_url, &client.id, &client.secret, CALLBACK])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    // Its reads block: on threads of their own, so that this test's app keeps answering.
    let stdout = BufReader::new(rp.stdout.take().unwrap());
    let (mut stdout, authorization_url) = tokio::task::spawn_blocking(move || {
        let mut stdout = stdout;
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        (stdout, line.trim().to_owned())
    })
    .await
    .unwrap();
    let Some(path) = authorization_url.strip_prefix(&app.base_url) else {
        let output = rp.wait_with_output().unwrap();
        panic!("no authorization URL: {authorization_url:?} {}", String::from_utf8_lossy(&output.stderr));
    };
    let page = app.get_with(&browser, path).await.text().await.unwrap();
    let callback = location(&decide(&app, &browser, &page, "allow").await);
    writeln!(rp.stdin.take().unwrap(), "{callback}").unwrap();
    let (result, output) = tokio::task::spawn_blocking(move || {
        let mut result = String::new();
        stdout.read_to_string(&mut result).unwrap();
        (result, rp.wait_with_output().unwrap())
    })
    .await
    .unwrap();
    let warnings = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "pyoidc_rp.py: {warnings}");
    assert!(!warnings.contains("Unknown key type"), "pyoidc read every key in the JWKS: {warnings}");

    let result: Value = serde_json::from_str(&result).unwrap();
    let sub = user_id(&app, "ada@example.com").await.to_string();
    assert_eq!(result["claims"]["sub"], sub, "{result}");
    assert_eq!(result["userinfo"]["sub"], sub, "{result}");
    assert_eq!(result["userinfo"]["email"], "ada@example.com");
    assert_eq!(result["userinfo"]["preferred_username"], "ada@example.com");
    assert_eq!(result["revoked"], 200);
    assert_eq!(result["userinfo_after_revocation"]["error"], "invalid_token", "{result}");
}
