//! A client may go away at any moment: the request's future is then dropped wherever it
//! waits. Every route that writes is abandoned at random moments, on the engine of the run,
//! and the server must be left whole: writable, healthy, the CLI working, nothing
//! half-written.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::json;

use crate::helpers::authenticator::Authenticator;
use crate::helpers::process::{run, run_beside, stdout};
use crate::helpers::{PASSWORD, TestApp, browser, spawn_app_on_localhost_with, token_of};
use crate::oidc::{add_client, code_for, exchange, pkce};

/// How often each route is abandoned, and the latest moment (after sending) it is.
const TIMES: usize = 20;
const LATEST_MICROS: u64 = 30_000;

/// Sends what `request` makes `TIMES` times, each abandoned after a random moment (the
/// connection is closed, so the server drops the request's future where it waits).
async fn abandon(route: &str, request: impl Fn(usize) -> RequestBuilder) {
    for attempt in 0..TIMES {
        let _ = request(attempt).timeout(random_moment()).send().await;
    }
    tracing::debug!(route, "abandoned {TIMES} times");
}

fn random_moment() -> Duration {
    Duration::from_micros(rand::random_range(0..LATEST_MICROS))
}

/// As the outside review did: connect, send `GET /healthz`, and reset the connection
/// (SO_LINGER 0) after a moment of up to a millisecond, many times.
async fn abandon_health_checks(app: &TestApp) {
    use tokio::io::AsyncWriteExt;
    for _ in 0..TIMES * 5 {
        let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
        tokio::time::sleep(Duration::from_micros(rand::random_range(0..1_000))).await;
        // Deprecated for a linger that makes drop block; a zero linger resets at once.
        #[expect(deprecated)]
        stream.set_linger(Some(Duration::ZERO)).unwrap();
        drop(stream);
    }
}

/// A form as the page would post it: with the client's CSRF token.
fn form(app: &TestApp, client: &Client, csrf: &str, path: &str, fields: &[(&str, &str)]) -> RequestBuilder {
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", csrf)];
    form.extend_from_slice(fields);
    client.post(app.url(path)).form(&form)
}

#[tokio::test]
async fn requests_abandoned_at_any_moment_leave_nothing_half_done() {
    // On localhost, so that passkeys are on.
    let app = spawn_app_on_localhost_with(|config| config.login_rate_burst = 100_000).await;
    let ada = app.signed_in("ada@example.com").await;
    let ada_csrf = app.csrf_token_with(&ada).await;
    let admin = app.signed_in("root@example.com").await;
    stdout(&run(&app, &["user", "grant", "root@example.com", "admin"], ""));
    let admin_csrf = app.csrf_token_with(&admin).await;
    assert_eq!(app.register("bea@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let bea_link = token_of(&app.verification_link("bea@example.com").await);
    let bea = app.scalar("SELECT id FROM users WHERE email = 'bea@example.com'").await;
    // A reset link, asked for before the abandoned requests spend this client's mail budget.
    app.verified_user("cy@example.com").await;
    assert_eq!(app.post_form("/forgot-password", &[("email", "cy@example.com")]).await.status(), StatusCode::OK);
    let mail = app.mail.latest_with_subject("cy@example.com", "Reset your password").await;
    let reset = token_of(&app.reachable(&mail.link(&format!("{}/reset-password?token=", app.base_url))));
    // Set up while nothing is in flight: the CLI blocks this thread, which the app shares.
    let client = add_client(&app, &["--skip-consent"]);
    let visitor = browser();
    let csrf = app.csrf_token_with(&visitor).await;
    let new_people = AtomicUsize::new(0);

    abandon_health_checks(&app).await;
    abandon("register", |_| {
        let email = format!("abandoned{}@example.com", new_people.fetch_add(1, Ordering::SeqCst));
        form(&app, &visitor, &csrf, "/register", &[("email", &email), ("password", PASSWORD)])
    })
    .await;
    abandon("login", |_| {
        form(&app, &visitor, &csrf, "/login", &[("email", "ada@example.com"), ("password", PASSWORD)])
    })
    .await;
    abandon("verify", |_| form(&app, &visitor, &csrf, "/verify-email", &[("token", &bea_link)])).await;
    abandon("forgot", |_| form(&app, &visitor, &csrf, "/forgot-password", &[("email", "ada@example.com")])).await;
    abandon("program sign-in", |_| {
        visitor.post(app.url("/api/auth/token")).json(&json!({"email": "ada@example.com", "password": PASSWORD}))
    })
    .await;
    abandon("token", |n| ada.post(app.url("/api/tokens")).json(&json!({"name": format!("t{n}"), "scope": "read"})))
        .await;
    abandon("two-step setup", |_| form(&app, &ada, &ada_csrf, "/account/2fa/totp/setup", &[("password", PASSWORD)]))
        .await;
    abandon("admin", |n| {
        let action = if n % 2 == 0 { "disable" } else { "enable" };
        form(&app, &admin, &admin_csrf, &format!("/admin/users/{bea}/{action}"), &[])
    })
    .await;

    // Passkeys: each ceremony started in full, its answer abandoned.
    for n in 0..TIMES {
        let options: serde_json::Value = ada
            .post(app.url("/account/passkeys/register/start"))
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut answer = Authenticator::new(&app.base_url).register(&options);
        answer["name"] = json!(format!("key {n}"));
        let finish = ada.post(app.url("/account/passkeys/register/finish")).json(&answer);
        let _ = finish.timeout(random_moment()).send().await;
    }
    // The OpenID Connect token endpoint: a refresh token's grant, abandoned (the first
    // that completes rotates it, later ones are reuses that revoke its family: writes both).
    let verifier = pkce();
    let code = code_for(&app, &ada, &client, &verifier).await;
    let tokens: serde_json::Value = exchange(&app, &client, &code, &verifier.verifier).await.json().await.unwrap();
    let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();
    abandon("oidc token", |_| {
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token.as_str())];
        browser().post(app.url("/oauth2/token")).basic_auth(&client.id, Some(&client.secret)).form(&form)
    })
    .await;
    // A password reset from the mailed link (last: it changes a password).
    abandon("reset", |_| {
        form(&app, &visitor, &csrf, "/reset-password", &[("token", &reset), ("password", "a new passphrase for cy")])
    })
    .await;

    // Writable and healthy at once: no retry, no wait.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(app.register("after@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let listed = run_beside(&app, &["user", "list"]).await;
    assert!(stdout(&listed).contains("after@example.com"), "the CLI works");
    let token = ada.post(app.url("/api/tokens")).json(&json!({"name": "after", "scope": "read"})).send().await;
    assert_eq!(token.unwrap().status(), StatusCode::CREATED);

    // Each sign-up that happened is whole: its account, its link and its mail together.
    let half_written = app
        .scalar(
            "SELECT COUNT(*) FROM users u WHERE u.email LIKE 'abandoned%' AND (\
             NOT EXISTS (SELECT 1 FROM email_tokens t WHERE t.user_id = u.id) OR \
             NOT EXISTS (SELECT 1 FROM outbox o WHERE o.recipient = u.email))",
        )
        .await;
    assert_eq!(half_written, 0, "an account without its link or its mail");
    let events_without_account = app
        .scalar("SELECT COUNT(*) FROM account_events e WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id)")
        .await;
    assert_eq!(events_without_account, 0);
    let passkeys_without_account = app
        .scalar("SELECT COUNT(*) FROM passkeys p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)")
        .await;
    assert_eq!(passkeys_without_account, 0);
}
