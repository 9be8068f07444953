use reqwest::StatusCode;

use crate::helpers::{PASSWORD, spawn_app};

/// Every route that changes state, with plausible fields.
const FORMS: &[(&str, &[(&str, &str)])] = &[
    ("/register", &[("email", "ada@example.com"), ("password", PASSWORD)]),
    ("/login", &[("email", "ada@example.com"), ("password", PASSWORD)]),
    ("/logout", &[]),
    ("/verify-email", &[("token", "x")]),
    ("/resend-verification", &[("email", "ada@example.com")]),
];

#[tokio::test]
async fn a_form_without_a_valid_csrf_token_is_refused() {
    let app = spawn_app().await;
    let valid = app.csrf_token_with(&app.client).await;
    let forged = format!("{}x", &valid[..valid.len() - 1]);
    for (path, fields) in FORMS {
        for token in [None, Some(""), Some(forged.as_str())] {
            let mut form: Vec<(&str, &str)> = fields.to_vec();
            if let Some(token) = token {
                form.push(("csrf_token", token));
            }
            let response = app.client.post(app.url(path)).form(&form).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} with {token:?}");
            assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        }
    }
    // A token from another visitor (another cookie) is no good either.
    let other = crate::helpers::browser();
    let theirs = app.csrf_token_with(&other).await;
    let response = app.client.post(app.url("/register")).form(&[("csrf_token", theirs.as_str())]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_token() {
    let app = spawn_app().await;
    let token = app.csrf_token_with(&app.client).await;
    let form = [("csrf_token", token.as_str()), ("email", "ada@example.com"), ("password", PASSWORD)];
    let cross_site = app.client.post(app.url("/register")).header("sec-fetch-site", "cross-site").form(&form);
    assert_eq!(cross_site.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let foreign_origin = app.client.post(app.url("/register")).header("origin", "https://evil.example").form(&form);
    assert_eq!(foreign_origin.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let same_origin = app.client.post(app.url("/register")).header("origin", app.base_url.as_str()).form(&form);
    assert_eq!(same_origin.send().await.unwrap().status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn unsafe_api_calls_from_another_site_are_refused_as_problems() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let response = client.post(app.url("/api/me")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let response = client.delete(app.url("/api/me")).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn api_errors_are_always_problem_json() {
    let app = spawn_app().await;
    for (method, path, status) in [
        ("GET", "/api/nothing-here", StatusCode::NOT_FOUND),
        ("PUT", "/api/me", StatusCode::METHOD_NOT_ALLOWED),
        ("GET", "/api/me", StatusCode::UNAUTHORIZED),
    ] {
        let response = app.client.request(method.parse().unwrap(), app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "{method} {path}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{method} {path}");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["status"], status.as_u16());
    }
}

#[tokio::test]
async fn unknown_pages_are_a_friendly_404() {
    let app = spawn_app().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/register", "/login", "/check-email", "/no-such-page", "/verify-email?token=x"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(!headers.contains_key("strict-transport-security"), "no HSTS over plain http");
    }
}

#[tokio::test]
async fn oversized_and_malformed_bodies_get_clear_errors() {
    let app = spawn_app().await;
    let token = app.csrf_token_with(&app.client).await;
    let huge = format!("csrf_token={token}&email={}", "a".repeat(2 * 1024 * 1024));
    let response = app
        .client
        .post(app.url("/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Bytes that are not UTF-8 are refused as input, never a 500.
    let invalid_utf8 = format!("csrf_token={token}&email=%FF%FE%00@example.com&password=%C3%28{}", "a".repeat(20));
    let response = app
        .client
        .post(app.url("/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(invalid_utf8)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let json = app.client.post(app.url("/register")).header("content-type", "application/json").body("{}");
    assert_eq!(json.send().await.unwrap().status(), StatusCode::FORBIDDEN, "no form token in a JSON body");
}

#[tokio::test]
async fn sql_metacharacters_are_just_text() {
    let app = spawn_app().await;
    let email = "o'brien+x@example.com";
    app.verified_user(email).await;
    assert_eq!(app.login(email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    for attempt in ["' OR '1'='1", "\"; DROP TABLE users; --"] {
        assert_eq!(app.login(email, attempt).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.login(attempt, attempt).await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn links_in_mail_come_from_the_base_url_not_the_host_header() {
    let app = spawn_app().await;
    let token = app.csrf_token_with(&app.client).await;
    let response = app
        .client
        .post(app.url("/register"))
        .header("host", "evil.example")
        .form(&[("csrf_token", token.as_str()), ("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mail = app.mail.wait_for("ada@example.com", 1).await.remove(0);
    assert!(!mail.text.contains("evil.example"));
    assert!(mail.text.contains(&format!("{}/verify-email?token=", app.base_url)));
}

#[tokio::test]
async fn the_stylesheet_is_served_with_caching_headers() {
    let app = spawn_app().await;
    let response = app.get("/assets/style.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["cache-control"].to_str().unwrap().contains("max-age"));
    let etag = response.headers()["etag"].clone();
    let again = app.client.get(app.url("/assets/style.css")).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}
