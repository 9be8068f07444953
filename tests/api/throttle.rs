use reqwest::{Client, StatusCode};

use crate::helpers::{PASSWORD, TestApp, browser, spawn_app_with};

/// An app behind a trusted proxy, so each request can come from its own client address.
async fn behind_proxy() -> TestApp {
    spawn_app_with(|config| {
        config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        config.login_rate_burst = 1000;
    })
    .await
}

async fn login_from(app: &TestApp, client: &Client, ip: &str, email: &str, password: &str) -> reqwest::Response {
    let token = app.csrf_token_with(client).await;
    client
        .post(app.url("/login"))
        .header("x-forwarded-for", ip)
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn failures_on_one_account_from_many_addresses_slow_it_down_and_tell_the_owner_once() {
    let app = behind_proxy().await;
    app.verified_user("ada@example.com").await;

    for n in 0..10 {
        let response = login_from(&app, &browser(), &format!("198.51.100.{n}"), "ada@example.com", "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password, from yet another address and a new browser, must wait.
    let throttled = login_from(&app, &browser(), "203.0.113.9", "ada@example.com", PASSWORD).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);

    let subject = "Several failed attempts to log in to your account";
    app.mail.latest_with_subject("ada@example.com", subject).await;
    app.execute("UPDATE login_throttle SET last_failure_at = last_failure_at - 3600").await;
    login_from(&app, &browser(), "198.51.100.77", "ada@example.com", "guess").await;
    app.all_mail_sent().await;
    assert_eq!(app.mail.count_with_subject("ada@example.com", subject), 1, "one notice per run of failures");

    // Once the delay has passed, the owner gets in and the count starts afresh.
    app.execute("UPDATE login_throttle SET last_failure_at = last_failure_at - 3600").await;
    assert_eq!(
        login_from(&app, &browser(), "203.0.113.9", "ada@example.com", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM login_throttle").await, 0);
}

#[tokio::test]
async fn a_browser_that_logged_in_before_still_gets_in_while_strangers_wait() {
    let app = behind_proxy().await;
    app.verified_user("ada@example.com").await;
    let own = browser();
    assert_eq!(login_from(&app, &own, "192.0.2.1", "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.post_form_with(&own, "/logout", &[]).await;

    for n in 0..11 {
        login_from(&app, &browser(), &format!("198.51.100.{n}"), "ada@example.com", "guess").await;
    }
    let stranger = login_from(&app, &browser(), "198.51.100.50", "ada@example.com", PASSWORD).await;
    assert_eq!(stranger.status(), StatusCode::TOO_MANY_REQUESTS);
    let owner = login_from(&app, &own, "192.0.2.1", "ada@example.com", PASSWORD).await;
    assert_eq!(owner.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn unknown_addresses_are_slowed_down_exactly_like_known_ones() {
    let app = behind_proxy().await;
    app.verified_user("ada@example.com").await;
    let mut statuses = Vec::new();
    for email in ["ada@example.com", "nobody@example.com"] {
        let mut run = Vec::new();
        for n in 0..11 {
            run.push(login_from(&app, &browser(), &format!("198.51.100.{n}"), email, "guess").await.status());
        }
        statuses.push(run);
    }
    assert_eq!(statuses[0], statuses[1]);
    assert_eq!(statuses[0].last(), Some(&StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn mail_forms_are_limited_per_address_and_per_client() {
    let app = behind_proxy().await;
    app.register("ada@example.com", PASSWORD).await;
    app.mail.wait_for("ada@example.com", 1).await;

    // Many clients asking for mail to one inbox: at most five an hour reach it.
    for n in 0..8 {
        let token = app.csrf_token_with(&app.client).await;
        let response = app
            .client
            .post(app.url("/resend-verification"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .form(&[("csrf_token", token.as_str()), ("email", "ada@example.com")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    app.mail.wait_for("ada@example.com", 5).await;
    app.all_mail_sent().await;
    assert_eq!(app.mail.messages_to("ada@example.com").len(), 5);

    // One client asking for mail to many inboxes: limited too.
    let mut statuses = Vec::new();
    for n in 0..22 {
        let token = app.csrf_token_with(&app.client).await;
        let response = app
            .client
            .post(app.url("/forgot-password"))
            .header("x-forwarded-for", "192.0.2.200")
            .form(&[("csrf_token", token.as_str()), ("email", format!("user{n}@example.com").as_str())])
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count(), 2, "{statuses:?}");
}

#[tokio::test]
async fn twenty_sign_ups_at_once_for_a_registered_address_mail_it_no_more_than_the_budget() {
    let app = behind_proxy().await;
    app.register("ada@example.com", PASSWORD).await;
    app.mail.wait_for("ada@example.com", 1).await;

    let token = app.csrf_token_with(&app.client).await;
    let mut at_once = tokio::task::JoinSet::new();
    for n in 0..20 {
        let (client, url, token) = (app.client.clone(), app.url("/register"), token.clone());
        at_once.spawn(async move {
            let form = [("csrf_token", token.as_str()), ("email", "ada@example.com"), ("password", PASSWORD)];
            let sent = client.post(url).header("x-forwarded-for", format!("198.51.100.{n}")).form(&form).send();
            sent.await.unwrap().status()
        });
    }
    while let Some(status) = at_once.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::SEE_OTHER, "every sign-up gets the same answer");
    }
    // The first verification mail and four notices: five an hour, however they race.
    app.mail.wait_for("ada@example.com", 5).await;
    app.all_mail_sent().await;
    assert_eq!(app.mail.messages_to("ada@example.com").len(), 5);
}

#[tokio::test]
async fn a_known_browser_has_a_failure_budget_of_its_own_and_its_cookie_dies_with_the_password() {
    let app = behind_proxy().await;
    app.verified_user("ada@example.com").await;
    let own = browser();
    let other = browser();
    for client in [&own, &other] {
        assert_eq!(
            login_from(&app, client, "192.0.2.1", "ada@example.com", PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    // Wrong passwords from the known browser: free at first, then slowed down like anyone's.
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(login_from(&app, &own, "192.0.2.1", "ada@example.com", "guess").await.status());
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "the cookie lifts nothing without limit: {statuses:?}");
    // Its failures were its own: a stranger with the right password is not held up by them.
    let stranger = login_from(&app, &browser(), "198.51.100.9", "ada@example.com", PASSWORD).await;
    assert_eq!(stranger.status(), StatusCode::SEE_OTHER);

    // A password change makes the other browser's cookie worthless: strangers' failures
    // now hold it up like anyone else.
    let change = [("current_password", PASSWORD), ("new_password", "a different long passphrase")];
    app.post_form_with(&browser_signed_in(&app).await, "/account/password", &change).await;
    for n in 0..11 {
        login_from(&app, &browser(), &format!("198.51.100.{n}"), "ada@example.com", "guess").await;
    }
    let after = login_from(&app, &other, "192.0.2.2", "ada@example.com", "a different long passphrase").await;
    assert_eq!(after.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn browser_signed_in(app: &TestApp) -> Client {
    let client = browser();
    login_from(app, &client, "192.0.2.3", "ada@example.com", PASSWORD).await;
    client
}

/// Every form and endpoint where a signed-in person re-enters the password spends the
/// login form's per-account budget: wrong guesses there count for `POST /login`, and once
/// ten are spent each of them answers `429` with `Retry-After`, the right password too.
#[tokio::test]
async fn every_password_re_entry_shares_the_login_budget() {
    let app = spawn_app_with(|config| config.login_rate_burst = 1000).await;
    let client = app.signed_in("ada@example.com").await;
    let created: serde_json::Value = client
        .post(app.url("/api/tokens"))
        .json(&serde_json::json!({"name": "script", "scope": "read-write"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    let csrf = app.csrf_token_with(&client).await;
    let re_entry = |password: &str| {
        let form = |path: &str, fields: &[(&str, &str)]| {
            let mut form = vec![("csrf_token", csrf.as_str())];
            form.extend_from_slice(fields);
            client.post(app.url(path)).form(&form)
        };
        [
            ("the token endpoint", {
                let body = serde_json::json!({"name": "more", "scope": "read", "password": password});
                browser().post(app.url("/api/tokens")).bearer_auth(&token).json(&body)
            }),
            ("two-step setup", form("/account/2fa/totp/setup", &[("password", password)])),
            ("the token page", form("/account/tokens", &[("name", "page"), ("scope", "read"), ("password", password)])),
            (
                "password change",
                form("/account/password", &[("current_password", password), ("new_password", "a new passphrase here")]),
            ),
            ("address change", form("/account/email", &[("new_email", "ada2@example.com"), ("password", password)])),
            ("deletion", form("/account/delete", &[("password", password)])),
        ]
    };
    // Ten wrong passwords, spread over every place that asks for one.
    for attempt in 0..10 {
        let (place, request) = re_entry("not my password").into_iter().nth(attempt % 6).unwrap();
        let refused = request.send().await.unwrap().status();
        assert!(refused.is_client_error() && refused != StatusCode::TOO_MANY_REQUESTS, "{place}: {refused}");
    }
    for (place, request) in re_entry(PASSWORD) {
        let throttled = request.send().await.unwrap();
        assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS, "{place}");
        assert!(throttled.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1, "{place}");
    }
    let login = app.login_with(&browser(), "ada@example.com", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::TOO_MANY_REQUESTS, "the login form shares the budget");
}
