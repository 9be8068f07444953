//! Programs as clients: API tokens, HTTP Basic, access and refresh tokens, JWKS, CORS.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use reqwest::{Client, StatusCode};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Value, json};

use crate::helpers::process::gatehouse;
use crate::helpers::{PASSWORD, TestApp, browser, spawn_app, spawn_app_with};

fn basic(email: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{email}:{secret}")))
}

async fn create_token(app: &TestApp, client: &Client, body: Value) -> reqwest::Response {
    client.post(app.url("/api/tokens")).json(&body).send().await.unwrap()
}

async fn me_with(app: &TestApp, authorization: &str) -> reqwest::Response {
    reqwest::Client::new().get(app.url("/api/me")).header("authorization", authorization).send().await.unwrap()
}

async fn problem(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_personal_token_is_shown_once_and_works_as_bearer_and_basic() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;

    let created =
        create_token(&app, &client, json!({"name": "backup", "scope": "read", "expires_in_days": null})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("gth_"), "a recognisable prefix: {token}");
    for field in ["id", "name", "scope", "created_at", "expires_at"] {
        assert!(created.get(field).is_some(), "{field}");
    }

    let me: Value = me_with(&app, &format!("Bearer {token}")).await.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");
    assert_eq!(me_with(&app, &basic("ada@example.com", &token)).await.status(), StatusCode::OK);
    assert_eq!(me_with(&app, &basic("eve@example.com", &token)).await.status(), StatusCode::UNAUTHORIZED);

    let listed: Value = client.get(app.url("/api/tokens")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(listed[0].get("token").is_none(), "the secret is never shown again");
    assert!(listed[0]["last_used_at"].is_string());
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM api_tokens WHERE verifier_hash LIKE '%{}%'", &token[4..])).await,
        0
    );

    let id = created["id"].as_i64().unwrap();
    let deleted = client.delete(app.url(&format!("/api/tokens/{id}"))).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let refused = problem(me_with(&app, &format!("Bearer {token}")).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(refused["status"], 401);
}

#[tokio::test]
async fn a_read_token_may_not_change_anything() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let read: Value = create_token(&app, &client, json!({"name": "r", "scope": "read"})).await.json().await.unwrap();
    let write: Value =
        create_token(&app, &client, json!({"name": "w", "scope": "read-write"})).await.json().await.unwrap();
    let bearer = |token: &Value| format!("Bearer {}", token["token"].as_str().unwrap());

    let by_read = Client::new()
        .post(app.url("/api/tokens"))
        .header("authorization", bearer(&read))
        .json(&json!({"name": "x", "scope": "read"}));
    problem(by_read.send().await.unwrap(), StatusCode::FORBIDDEN).await;
    let by_write = Client::new()
        .post(app.url("/api/tokens"))
        .header("authorization", bearer(&write))
        .json(&json!({"name": "x", "scope": "read", "password": PASSWORD}));
    assert_eq!(by_write.send().await.unwrap().status(), StatusCode::CREATED);
    // A bearer request is not a browser's: another site's Origin does not matter.
    let from_elsewhere = Client::new()
        .get(app.url("/api/tokens"))
        .header("authorization", bearer(&read))
        .header("origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(from_elsewhere.status(), StatusCode::OK);
}

#[tokio::test]
async fn tokens_expire_and_bad_requests_for_tokens_are_refused() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    for body in [
        json!({"name": "", "scope": "read"}),
        json!({"name": "x", "scope": "admin"}),
        json!({"name": "x", "scope": "read", "expires_in_days": 0}),
    ] {
        problem(create_token(&app, &client, body).await, StatusCode::BAD_REQUEST).await;
    }
    let malformed = client
        .post(app.url("/api/tokens"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    problem(malformed, StatusCode::BAD_REQUEST).await;

    let token: Value = create_token(&app, &client, json!({"name": "t", "scope": "read", "expires_in_days": 1}))
        .await
        .json()
        .await
        .unwrap();
    app.execute("UPDATE api_tokens SET expires_at = created_at - 1").await;
    problem(me_with(&app, &format!("Bearer {}", token["token"].as_str().unwrap())).await, StatusCode::UNAUTHORIZED)
        .await;

    // A password entered more than ten minutes ago is not enough to create credentials.
    app.execute(
        r#"UPDATE sessions SET data = replace(data, '"authenticated_at":', '"authenticated_at":1000000000,"was":')"#,
    )
    .await;
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::OK, "the session itself lives on");
    let stale = create_token(&app, &client, json!({"name": "late", "scope": "read"})).await;
    let refused = problem(stale, StatusCode::FORBIDDEN).await;
    assert!(refused["detail"].as_str().unwrap().contains("10 minutes"));
}

#[tokio::test]
async fn basic_with_a_password_works_for_verified_accounts_only() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    app.register("new@example.com", PASSWORD).await;

    assert_eq!(me_with(&app, &basic("ada@example.com", PASSWORD)).await.status(), StatusCode::OK);
    let wrong = me_with(&app, &basic("ada@example.com", "wrong")).await;
    let challenges: Vec<_> =
        wrong.headers().get_all("www-authenticate").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert!(challenges.contains(&"Basic realm=\"gatehouse\"".to_owned()), "{challenges:?}");
    problem(wrong, StatusCode::UNAUTHORIZED).await;
    problem(me_with(&app, &basic("new@example.com", PASSWORD)).await, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn malformed_authorization_headers_are_clear_401s() {
    let app = spawn_app().await;
    for header in [
        "Bearer",
        "Bearer ",
        "Token abc",
        "Basic !!!",
        "Basic Zm9v",
        "Bearer gth_short",
        "Bearer a.b.c",
        "Bearer x.y",
        "Digest username=x",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
    ] {
        let response = me_with(&app, header).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{header}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{header}");
    }
}

async fn password_grant(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    Client::new()
        .post(app.url("/api/auth/token"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    Client::new().post(app.url("/api/auth/token")).json(&json!({"refresh_token": token})).send().await.unwrap()
}

fn decode(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[tokio::test]
async fn an_access_token_verifies_with_nothing_but_the_published_keys() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;

    let response = password_grant(&app, "ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let grant: Value = response.json().await.unwrap();
    assert_eq!(grant["token_type"], "Bearer");
    assert_eq!(grant["expires_in"], 900);
    let access = grant["access_token"].as_str().unwrap();
    assert_eq!(me_with(&app, &format!("Bearer {access}")).await.status(), StatusCode::OK);

    // A separate verifier, built only from the JWKS document.
    let jwks: Value = Client::new().get(app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let parts: Vec<&str> = access.split('.').collect();
    let header = decode(parts[0]);
    assert_eq!(header["alg"], "RS256", "what every JWT library accepts");
    let jwk =
        jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == header["kid"]).expect("the kid is published");
    assert_eq!(jwk["kty"], "RSA");
    let modulus = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
    let exponent = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap();
    let key = RsaPublicKeyComponents { n: modulus, e: exponent };
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    key.verify(&RSA_PKCS1_2048_8192_SHA256, format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
        .expect("a valid signature");

    let claims = decode(parts[1]);
    let me: Value = me_with(&app, &format!("Bearer {access}")).await.json().await.unwrap();
    assert_eq!(claims["sub"], me["id"].to_string());
    assert_eq!(claims["iss"], app.base_url);
    assert_eq!(claims["aud"], "gatehouse");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 900);
    assert!(claims["jti"].as_str().unwrap().len() >= 16);
}

/// Signs arbitrary claims with the app's own current key, read from its database.
async fn forge(app: &TestApp, header: Value, claims: Value) -> String {
    let row: (String, String) = sqlx::query_as("SELECT kid, secret FROM id_token_keys ORDER BY created_at DESC")
        .fetch_one(app.state.store().pool())
        .await
        .unwrap();
    let mut header = header;
    header["kid"] = row.0.into();
    let key = RsaKeyPair::from_pkcs8(&hex::decode(row.1).unwrap()).unwrap();
    let signed =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), signed.as_bytes(), &mut signature).unwrap();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[tokio::test]
async fn v9_1_1_expired_forged_unsigned_and_foreign_access_tokens_are_refused() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let grant: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();
    let access = grant["access_token"].as_str().unwrap();
    let me: Value = me_with(&app, &format!("Bearer {access}")).await.json().await.unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = |aud: &str, iss: &str, exp: i64| json!({"sub": me["id"].to_string(), "aud": aud, "iss": iss, "exp": exp, "iat": now, "jti": "x"});
    let rs256 = json!({"alg": "RS256", "typ": "JWT"});
    // A control: a well-formed token made the same way is accepted, so the refusals below mean something.
    let good = forge(&app, rs256.clone(), claims("gatehouse", &app.base_url, now + 60)).await;
    assert_eq!(me_with(&app, &format!("Bearer {good}")).await.status(), StatusCode::OK);

    let parts: Vec<&str> = access.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims("gatehouse", &app.base_url, now + 9999).to_string()),
        parts[2]
    );
    let unsigned = format!("{}.{}.", URL_SAFE_NO_PAD.encode(json!({"alg": "none"}).to_string()), parts[1]);
    for bad in [
        forge(&app, rs256.clone(), claims("gatehouse", &app.base_url, now - 120)).await,
        forge(&app, rs256.clone(), claims("another-service", &app.base_url, now + 60)).await,
        forge(&app, rs256.clone(), claims("gatehouse", "https://evil.example", now + 60)).await,
        forge(&app, json!({"alg": "HS256"}), claims("gatehouse", &app.base_url, now + 60)).await,
        tampered,
        unsigned,
        access[..access.len() - 5].to_owned(),
    ] {
        problem(me_with(&app, &format!("Bearer {bad}")).await, StatusCode::UNAUTHORIZED).await;
    }
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_replayed_one_revokes_its_family() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let first: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();
    let first_refresh = first["refresh_token"].as_str().unwrap();

    let second = refresh(&app, first_refresh).await;
    assert_eq!(second.status(), StatusCode::OK);
    let second: Value = second.json().await.unwrap();
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(first_refresh, second_refresh);
    assert_eq!(
        me_with(&app, &format!("Bearer {}", second["access_token"].as_str().unwrap())).await.status(),
        StatusCode::OK
    );

    // The first token comes back: someone copied it. Both copies of the chain die.
    problem(refresh(&app, first_refresh).await, StatusCode::UNAUTHORIZED).await;
    problem(refresh(&app, second_refresh).await, StatusCode::UNAUTHORIZED).await;
    problem(refresh(&app, "gtr_nonsense").await, StatusCode::UNAUTHORIZED).await;
    problem(password_grant(&app, "ada@example.com", "wrong").await, StatusCode::UNAUTHORIZED).await;
    let both = Client::new()
        .post(app.url("/api/auth/token"))
        .json(&json!({"email": "a", "refresh_token": "b"}))
        .send()
        .await
        .unwrap();
    problem(both, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn logout_and_password_changes_revoke_refresh_tokens() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let grant: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();
    app.post_form_with(&client, "/logout", &[]).await;
    problem(refresh(&app, grant["refresh_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED).await;

    let grant: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();
    let client = browser();
    app.login_with(&client, "ada@example.com", PASSWORD).await;
    let fields = [("current_password", PASSWORD), ("new_password", "a brand new passphrase")];
    app.post_form_with(&client, "/account/password", &fields).await;
    problem(refresh(&app, grant["refresh_token"].as_str().unwrap()).await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn after_a_key_rotation_old_tokens_still_verify_until_they_expire() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let before: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let rotated =
        gatehouse(dir.path()).args(["keys", "rotate"]).env("DATABASE_URL", &app.database.url).output().unwrap();
    assert!(rotated.status.success(), "{}", String::from_utf8_lossy(&rotated.stderr));

    let after: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();
    let kid = |grant: &Value| decode(grant["access_token"].as_str().unwrap().split('.').next().unwrap())["kid"].clone();
    assert_ne!(kid(&before), kid(&after));
    for grant in [&before, &after] {
        assert_eq!(
            me_with(&app, &format!("Bearer {}", grant["access_token"].as_str().unwrap())).await.status(),
            StatusCode::OK
        );
    }
    // The RSA keys that sign access tokens (and ID tokens).
    let access_token_keys = || async {
        let jwks: Value =
            Client::new().get(app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
        jwks["keys"].as_array().unwrap().iter().filter(|key| key["kty"] == "RSA").count()
    };
    assert_eq!(access_token_keys().await, 2);
    // Once the old key's tokens have all expired (a day on), it is no longer published.
    app.execute("UPDATE id_token_keys SET retired_at = retired_at - 90000 WHERE retired_at IS NOT NULL").await;
    assert_eq!(access_token_keys().await, 1);
}

#[tokio::test]
async fn cors_answers_only_the_configured_origins() {
    let closed = spawn_app().await;
    let open = spawn_app_with(|config| config.cors_allowed_origins = vec!["https://app.example.com".into()]).await;
    let preflight = |app: &TestApp, origin: &str| {
        Client::new()
            .request(reqwest::Method::OPTIONS, app.url("/api/me"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
    };
    let allowed = preflight(&open, "https://app.example.com").send().await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.example.com");
    let other = preflight(&open, "https://evil.example").send().await.unwrap();
    assert!(!other.headers().contains_key("access-control-allow-origin"));
    let off = preflight(&closed, "https://app.example.com").send().await.unwrap();
    assert!(!off.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn tokens_can_be_created_and_revoked_on_the_account_page() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let fields = [("name", "laptop script"), ("scope", "read"), ("expires_in_days", "30"), ("password", PASSWORD)];
    let page = app.post_form_with(&client, "/account/tokens", &fields).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let start = html.find("gth_").expect("the new token is shown");
    let token: String =
        html[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    assert_eq!(me_with(&app, &format!("Bearer {token}")).await.status(), StatusCode::OK);
    let again = app.get_with(&client, "/account/tokens").await.text().await.unwrap();
    assert!(!again.contains(&token) && again.contains("laptop script"));

    let wrong = [("name", "kept name"), ("scope", "read-write"), ("expires_in_days", "7"), ("password", "nope")];
    let wrong = app.post_form_with(&client, "/account/tokens", &wrong).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let form = wrong.text().await.unwrap();
    assert!(form.contains("That is not your password.") && form.contains(r#"value="kept name""#));
    assert!(form.contains(r#"value="read-write" selected"#) && form.contains(r#"value="7""#));
    let empty = app.post_form_with(&client, "/account/tokens", &[("name", "x"), ("scope", "read")]).await;
    assert!(empty.text().await.unwrap().contains("Enter your password."));

    let listed: Value = client.get(app.url("/api/tokens")).send().await.unwrap().json().await.unwrap();
    let id = listed[0]["id"].to_string();
    app.post_form_with(&client, "/account/tokens/revoke", &[("token_id", &id)]).await;
    assert_eq!(me_with(&app, &format!("Bearer {token}")).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = spawn_app().await;
    let doc: Value = Client::new().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/me", "get"),
        ("/api/sessions", "get"),
        ("/api/sessions/{id}", "delete"),
        ("/api/tokens", "get"),
        ("/api/tokens", "post"),
        ("/api/tokens/{id}", "delete"),
        ("/api/auth/token", "post"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not documented");
    }
    for scheme in ["session", "bearer", "basic"] {
        assert!(doc["components"]["securitySchemes"].get(scheme).is_some(), "{scheme}");
    }
}

/// Creates a token with `authorization` as the credential and `body` as the request.
async fn create_with(app: &TestApp, authorization: &str, body: Value) -> reqwest::Response {
    let request = Client::new().post(app.url("/api/tokens")).header("authorization", authorization);
    request.json(&body).send().await.unwrap()
}

#[tokio::test]
async fn v7_5_3_a_token_mints_tokens_only_with_the_password_and_never_longer_lived_than_itself() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let grant: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();
    let access = format!("Bearer {}", grant["access_token"].as_str().unwrap());
    let forever = json!({"name": "forever", "scope": "read-write", "expires_in_days": null});

    let without = create_with(&app, &access, forever.clone()).await;
    assert!(problem(without, StatusCode::UNAUTHORIZED).await["detail"].as_str().unwrap().contains("password"));
    let wrong = json!({"name": "x", "scope": "read", "expires_in_days": null, "password": "not it"});
    problem(create_with(&app, &access, wrong).await, StatusCode::UNAUTHORIZED).await;

    let with_password = json!({"name": "made by an access token", "scope": "read-write", "expires_in_days": null, "password": PASSWORD});
    let made = create_with(&app, &access, with_password).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: Value = made.json().await.unwrap();
    let access_expires = decode(grant["access_token"].as_str().unwrap().split('.').nth(1).unwrap())["exp"].as_i64();
    let made_expires = time::OffsetDateTime::parse(
        made["expires_at"].as_str().expect("it expires, however it was asked"),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap()
    .unix_timestamp();
    assert!(made_expires <= access_expires.unwrap(), "no later than the access token that made it");

    // An API token that expires in a day makes tokens that expire within that day.
    let one_day = format!("Bearer {}", made["token"].as_str().unwrap());
    let asked = json!({"name": "child", "scope": "read", "expires_in_days": 365, "password": PASSWORD});
    let child: Value = create_with(&app, &one_day, asked).await.json().await.unwrap();
    assert!(child["expires_at"].as_str().unwrap() <= made["expires_at"].as_str().unwrap());
}

#[tokio::test]
async fn v7_4_3_a_password_change_or_reset_can_revoke_every_api_token() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let make = |name: &'static str| {
        let (client, app) = (&client, &app);
        async move {
            let created = create_token(app, client, json!({"name": name, "scope": "read"})).await;
            format!("Bearer {}", created.json::<Value>().await.unwrap()["token"].as_str().unwrap())
        }
    };
    let kept = make("kept").await;
    let change = [("current_password", PASSWORD), ("new_password", "a second long passphrase")];
    app.post_form_with(&client, "/account/password", &change).await;
    assert_eq!(me_with(&app, &kept).await.status(), StatusCode::OK, "left alone unless asked");

    let change = [
        ("current_password", "a second long passphrase"),
        ("new_password", "a third long passphrase"),
        ("revoke_api_tokens", "on"),
    ];
    app.post_form_with(&client, "/account/password", &change).await;
    assert_eq!(me_with(&app, &kept).await.status(), StatusCode::UNAUTHORIZED, "revoked with the change");
    let form = app.get_with(&client, "/account/settings").await.text().await.unwrap();
    assert!(form.contains(r#"name="revoke_api_tokens" type="checkbox" value="on" checked"#), "on by default");

    // A reset that asks for it.
    let client = app.signed_in("bob@example.com").await;
    let bobs = {
        let created = create_token(&app, &client, json!({"name": "bob's", "scope": "read"})).await;
        format!("Bearer {}", created.json::<Value>().await.unwrap()["token"].as_str().unwrap())
    };
    app.post_form("/forgot-password", &[("email", "bob@example.com")]).await;
    let link = app.mail.latest_with_subject("bob@example.com", "Reset your password").await.link(&app.base_url);
    let token = crate::helpers::token_of(&link);
    let reset = [("token", token.as_str()), ("password", "bob's brand new passphrase"), ("revoke_api_tokens", "on")];
    assert_eq!(app.post_form("/reset-password", &reset).await.status(), StatusCode::OK);
    assert_eq!(me_with(&app, &bobs).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_operator_can_revoke_api_tokens_with_the_sessions() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let created = create_token(&app, &client, json!({"name": "x", "scope": "read"})).await;
    let token = format!("Bearer {}", created.json::<Value>().await.unwrap()["token"].as_str().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut command = gatehouse(dir.path());
        command.args(["user", "revoke-sessions", "ada@example.com"]).args(extra).env("DATABASE_URL", &app.database.url);
        command.output().unwrap()
    };
    assert!(run(&[]).status.success());
    assert_eq!(me_with(&app, &token).await.status(), StatusCode::OK, "sessions only, by default");
    let output = run(&["--api-tokens"]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("revoked 1 API token(s)"));
    assert_eq!(me_with(&app, &token).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_browser_app_on_an_allowed_origin_gets_and_refreshes_tokens() {
    let app = spawn_app_with(|config| config.cors_allowed_origins = vec!["https://app.example.com".into()]).await;
    app.verified_user("ada@example.com").await;
    let from_app = |body: Value| {
        Client::new().post(app.url("/api/auth/token")).header("origin", "https://app.example.com").json(&body).send()
    };
    let granted = from_app(json!({"email": "ada@example.com", "password": PASSWORD})).await.unwrap();
    assert_eq!(granted.status(), StatusCode::OK);
    assert_eq!(granted.headers()["access-control-allow-origin"], "https://app.example.com");
    let grant: Value = granted.json().await.unwrap();
    let refreshed = from_app(json!({"refresh_token": grant["refresh_token"]})).await.unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    // Cookie-authenticated calls from another origin are still refused.
    let client = app.signed_in("bob@example.com").await;
    let cookie_call = client.post(app.url("/api/tokens")).header("origin", "https://app.example.com");
    let cookie_call = cookie_call.json(&json!({"name": "x", "scope": "read"})).send().await.unwrap();
    assert_eq!(cookie_call.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn with_a_secret_key_file_the_database_alone_holds_no_usable_signing_key() {
    let secrets = tempfile::tempdir().unwrap();
    let secret_file = secrets.path().join("secret");
    std::fs::write(&secret_file, "thirty-two bytes of secret, or so!").unwrap();
    let app = spawn_app_with(|config| config.secret_key_file = Some(secret_file.clone())).await;
    app.verified_user("ada@example.com").await;
    let grant: Value = password_grant(&app, "ada@example.com", PASSWORD).await.json().await.unwrap();
    let access = format!("Bearer {}", grant["access_token"].as_str().unwrap());
    assert_eq!(me_with(&app, &access).await.status(), StatusCode::OK, "sealed keys still sign and verify");
    for table in ["jwt_keys", "signing_keys"] {
        let unsealed = app.scalar(&format!("SELECT COUNT(*) FROM {table} WHERE secret NOT LIKE 'sealed:v1:%'")).await;
        assert_eq!(unsealed, 0, "every key in {table} is sealed");
    }

    // A server given the database but not the file stops at once, saying what is missing.
    let dir = tempfile::tempdir().unwrap();
    let without = gatehouse(dir.path())
        .env("DATABASE_URL", &app.database.url)
        .env("GATEHOUSE_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!without.status.success());
    assert!(String::from_utf8_lossy(&without.stderr).contains("SECRET_KEY_FILE"));
}
