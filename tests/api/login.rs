use reqwest::StatusCode;

use crate::helpers::{PASSWORD, SESSION_COOKIE, browser, set_cookie, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_right_password_signs_in_and_lands_on_the_account_page() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;

    let response = app.login("ada@example.com", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/account");
    assert!(set_cookie(response.headers(), SESSION_COOKIE).is_some());
    let account = app.get("/account").await;
    assert_eq!(account.status(), StatusCode::OK);
    let page = account.text().await.unwrap();
    assert!(page.contains("ada@example.com") && page.contains("verified") && page.contains("Member since"));
}

#[tokio::test]
async fn v6_3_8_a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;

    let wrong = app.login("ada@example.com", "not the password at all").await;
    let unknown = app.login("nobody@example.com", "not the password at all").await;

    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    assert!(wrong.contains("The email or password is incorrect."));
    assert_eq!(wrong.replace("ada@example.com", "EMAIL"), unknown.replace("nobody@example.com", "EMAIL"));
}

#[tokio::test]
async fn v6_3_8_the_password_verifier_runs_exactly_once_whether_or_not_the_account_exists() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let hasher = app.state.hasher();

    for (email, password) in [
        ("ada@example.com", "not the password at all"),
        ("nobody@example.com", "not the password at all"),
        ("not an email", "x"),
        ("ada@example.com", PASSWORD),
    ] {
        let before = hasher.verifications();
        app.login(email, password).await;
        assert_eq!(hasher.verifications() - before, 1, "{email}");
    }
}

#[tokio::test]
async fn an_unverified_account_with_the_right_password_is_offered_a_new_link() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;

    let response = app.login("ada@example.com", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(response.headers(), SESSION_COOKIE).is_none());
    let page = response.text().await.unwrap();
    assert!(page.contains("action=\"/resend-verification\"") && page.contains("ada@example.com"));
    assert_eq!(app.get("/api/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn v3_7_2_login_follows_next_only_to_a_local_path() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let cases = [
        ("/api/me", "/api/me"),
        ("https://evil.example/", "/account"),
        ("//evil.example", "/account"),
        ("/\\evil.example", "/account"),
        ("", "/account"),
    ];
    for (next, expected) in cases {
        let client = browser();
        let response = app
            .post_form_with(&client, "/login", &[("email", "ada@example.com"), ("password", PASSWORD), ("next", next)])
            .await;
        assert_eq!(response.headers()["location"], expected, "next={next}");
    }
}

#[tokio::test]
async fn the_account_page_sends_visitors_to_log_in_first_and_back_again() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;

    let response = app.get("/account").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login?next=/account");

    let form = app.get("/login?next=/account").await.text().await.unwrap();
    assert!(form.contains(r#"name="next" value="/account""#));
}

#[tokio::test]
async fn v6_3_1_too_many_logins_from_one_ip_get_429_with_retry_after() {
    let app = spawn_app_with(|config| {
        config.login_rate_burst = 3;
        config.login_rate_per_minute = 1;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.login("ada@example.com", "wrong password here").await.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = app.login("ada@example.com", "wrong password here").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(limited.text().await.unwrap().contains("Too many attempts"));
    // Only POST /login is limited.
    assert_eq!(app.get("/login").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn v6_3_1_forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let limited = |trusted: bool| async move {
        let app = spawn_app_with(|config| {
            config.login_rate_burst = 1;
            config.login_rate_per_minute = 1;
            if trusted {
                config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
            }
        })
        .await;
        let mut statuses = Vec::new();
        for client_ip in ["198.51.100.1", "198.51.100.2"] {
            let token = app.csrf_token_with(&app.client).await;
            let response = app
                .client
                .post(app.url("/login"))
                .header("x-forwarded-for", client_ip)
                .form(&[("csrf_token", token.as_str()), ("email", "a@example.com"), ("password", "wrong password")])
                .send()
                .await
                .unwrap();
            statuses.push(response.status());
        }
        statuses
    };
    // Behind a trusted proxy, two clients each have their own budget.
    assert_eq!(limited(true).await, [StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED]);
    // Otherwise the header is the client's own claim and changes nothing.
    assert_eq!(limited(false).await, [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS]);
}

#[tokio::test]
async fn a_form_posted_after_the_session_ended_leads_to_login_and_back_to_the_account() {
    let app = spawn_app().await;
    let response = app.post_form("/account/password", &[("current_password", "x"), ("new_password", "y")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login?next=/account");
}
