use reqwest::StatusCode;

use crate::helpers::{PASSWORD, hidden_field, spawn_app, spawn_app_with};

#[tokio::test]
async fn signing_up_redirects_to_check_your_email_and_sends_a_verification_link() {
    let app = spawn_app().await;

    let response = app.register("Ada@Example.com", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/check-email");
    let page = app.get("/check-email").await.text().await.unwrap();
    assert!(page.contains("Check your email"));
    let mail = app.mail.wait_for("ada@example.com", 1).await.remove(0);
    assert_eq!(mail.subject, "Confirm your email address");
    assert!(mail.link(&format!("{}/verify-email?token=", app.base_url)).len() > 60);
}

#[tokio::test]
async fn invalid_input_returns_the_form_with_a_message_beside_the_field_and_the_email_kept() {
    let app = spawn_app().await;
    let long = "x".repeat(10_000);
    let cases: &[(&str, &str, &str)] = &[
        ("not-an-email", PASSWORD, "Enter an email address like name@example.com."),
        ("", PASSWORD, "Enter your email address."),
        ("ada@example.com", "", "Use at least 15 characters."),
        ("ada@example.com", "short but true", "Use at least 15 characters."),
        ("ada@example.com", &"Zq9!".repeat(33), "Use at most 128 characters."),
        ("ada@example.com", "passwordpassword", "most common"),
        ("ada@example.com", "correct\0horse battery", "control characters"),
        (&long, PASSWORD, "too long"),
        ("ada@example.com", &long, "Use at most 128 characters."),
    ];
    for (email, password, message) in cases {
        let response = app.register(email, password).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email:.20} / {password:.20}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{message} missing for {email:.20} / {password:.20}");
        if email.len() < 100 {
            assert!(page.contains(&format!("value=\"{email}\"")), "email not kept: {email}");
        }
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn a_password_is_counted_in_code_points_and_checked_exactly_as_typed() {
    let app = spawn_app().await;
    // 15 code points but 45 bytes: long enough.
    assert_eq!(
        app.register("kana@example.com", "ありがとうございます日本語です").await.status(),
        StatusCode::SEE_OTHER
    );
    // 14 characters plus a space: not trimmed, so long enough too.
    assert_eq!(app.register("space@example.com", "fourteen chars ").await.status(), StatusCode::SEE_OTHER);
    // 14 code points: too short, however many bytes.
    assert_eq!(
        app.register("short@example.com", "ありがとうございます日本語で").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_minimum_length_follows_the_setting() {
    let app = spawn_app_with(|config| config.password_min_length = 8).await;
    assert_eq!(app.register("ada@example.com", "tulip-93x").await.status(), StatusCode::SEE_OTHER);
    let page = app.get("/register").await.text().await.unwrap();
    assert!(page.contains("minlength=\"8\""));
}

#[tokio::test]
async fn v6_3_8_a_registered_address_gets_the_same_answer_and_its_owner_a_notice() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;

    let again = app.register("ADA@example.com", "another fine passphrase").await;

    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(again.headers()["location"], "/check-email");
    let notice = app.mail.wait_for("ada@example.com", 2).await.pop().unwrap();
    assert_eq!(notice.subject, "Someone tried to sign up with your email address");
    assert!(!notice.text.contains("verify-email"), "a verified owner needs no new link");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1);
    // The original password still works; the attempted one does not.
    assert_eq!(app.login("ada@example.com", "another fine passphrase").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_unverified_owner_who_signs_up_again_gets_a_fresh_link() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    app.register("ada@example.com", PASSWORD).await;
    let notice = app.mail.wait_for("ada@example.com", 2).await.pop().unwrap();
    let link = app.reachable(&notice.link(&format!("{}/verify-email?token=", app.base_url)));
    assert_eq!(app.client.get(&link).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_double_submitted_registration_creates_one_account() {
    let app = spawn_app().await;
    let (first, second) =
        tokio::join!(app.register("race@example.com", PASSWORD), app.register("race@example.com", PASSWORD));
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1);
    let mails = app.mail.wait_for("race@example.com", 2).await;
    assert_eq!(mails.len(), 2);
}

#[tokio::test]
async fn echoed_input_is_escaped() {
    let app = spawn_app().await;
    let response = app.register("<script>alert(1)</script>@x.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn the_sign_up_form_is_accessible() {
    let app = spawn_app().await;
    let page = app.get("/register").await.text().await.unwrap();
    assert!(page.contains(r#"<label for="email">"#) && page.contains(r#"<label for="password">"#));
    assert!(page.contains(r#"autocomplete="email""#) && page.contains(r#"autocomplete="new-password""#));
    assert!(hidden_field(&page, "csrf_token").is_some());
}
