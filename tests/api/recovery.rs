use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, spawn_app, token_of};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn reset_link(app: &crate::helpers::TestApp, email: &str) -> String {
    let before = app.mail.count_with_subject(email, "Reset your password");
    let response = app.post_form("/forgot-password", &[("email", email)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mail = app.mail.nth_with_subject(email, "Reset your password", before + 1).await;
    app.reachable(&mail.link(&format!("{}/reset-password?token=", app.base_url)))
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_and_ends_every_session() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.com").await;
    assert_eq!(app.get_with(&laptop, "/api/me").await.status(), StatusCode::OK);

    let link = reset_link(&app, "ada@example.com").await;
    let form = app.client.get(&link).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    assert_eq!(form.headers()["referrer-policy"], "no-referrer");
    let done = app.post_form("/reset-password", &[("token", &token_of(&link)), ("password", NEW_PASSWORD)]).await;

    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("Your password is changed"));
    assert_eq!(app.get_with(&laptop, "/api/me").await.status(), StatusCode::UNAUTHORIZED, "the other session ended");
    assert_eq!(app.login_with(&browser(), "ada@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login_with(&browser(), "ada@example.com", NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.mail.latest_with_subject("ada@example.com", "Your password was reset").await;
}

#[tokio::test]
async fn v6_3_8_forgot_password_answers_the_same_for_any_address() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let mut pages = Vec::new();
    for email in ["ada@example.com", "nobody@example.com", "not an address"] {
        let response = app.post_form("/forgot-password", &[("email", email)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        pages.push(response.text().await.unwrap());
    }
    assert!(pages.windows(2).all(|pair| pair[0] == pair[1]));
    app.mail.latest_with_subject("ada@example.com", "Reset your password").await;
    app.all_mail_sent().await;
    assert!(app.mail.messages_to("nobody@example.com").is_empty());
}

#[tokio::test]
async fn following_a_reset_link_does_not_use_it_up() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let link = reset_link(&app, "ada@example.com").await;
    for _ in 0..3 {
        assert_eq!(app.client.get(&link).send().await.unwrap().status(), StatusCode::OK);
    }
    let done = app.post_form("/reset-password", &[("token", &token_of(&link)), ("password", NEW_PASSWORD)]).await;
    assert_eq!(done.status(), StatusCode::OK);
}

#[tokio::test]
async fn v6_4_3_a_used_expired_or_cross_purpose_reset_link_is_refused() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let verification = app.verification_link("ada@example.com").await;
    let link = reset_link(&app, "ada@example.com").await;

    // A verification token is not a reset token.
    let cross_purpose = token_of(&verification);
    let refused = app.post_form("/reset-password", &[("token", &cross_purpose), ("password", NEW_PASSWORD)]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("not valid"));

    let token = token_of(&link);
    let first = app.post_form("/reset-password", &[("token", &token), ("password", NEW_PASSWORD)]).await;
    assert_eq!(first.status(), StatusCode::OK);
    let again = app.post_form("/reset-password", &[("token", &token), ("password", "yet another passphrase")]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.unwrap().contains("already been used"));

    let later = reset_link(&app, "ada@example.com").await;
    app.execute("UPDATE email_tokens SET expires_at = created_at - 1 WHERE purpose = 'reset_password'").await;
    let expired = app.client.get(&later).send().await.unwrap();
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
    let page = expired.text().await.unwrap();
    assert!(page.contains("expired") && page.contains("action=\"/forgot-password\""));
}

#[tokio::test]
async fn v6_4_3_two_resets_racing_on_one_link_exactly_one_wins() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let token = token_of(&reset_link(&app, "ada@example.com").await);
    let first = [("token", token.as_str()), ("password", "first racing passphrase")];
    let second = [("token", token.as_str()), ("password", "second racing passphrase")];
    let (a, b) = tokio::join!(app.post_form("/reset-password", &first), app.post_form("/reset-password", &second));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::BAD_REQUEST]);
    let first = app.login_with(&browser(), "ada@example.com", "first racing passphrase").await.status();
    let second = app.login_with(&browser(), "ada@example.com", "second racing passphrase").await.status();
    assert!(
        (first == StatusCode::SEE_OTHER) ^ (second == StatusCode::SEE_OTHER),
        "exactly one password holds: {first} {second}"
    );
}

#[tokio::test]
async fn a_reset_confirms_an_unverified_address() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let link = reset_link(&app, "ada@example.com").await;
    app.post_form("/reset-password", &[("token", &token_of(&link)), ("password", NEW_PASSWORD)]).await;
    assert_eq!(app.login("ada@example.com", NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_weak_new_password_shows_the_form_again_and_keeps_the_link() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let token = token_of(&reset_link(&app, "ada@example.com").await);
    let weak = app.post_form("/reset-password", &[("token", &token), ("password", "short")]).await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("Use at least 15 characters."));
    let good = app.post_form("/reset-password", &[("token", &token), ("password", NEW_PASSWORD)]).await;
    assert_eq!(good.status(), StatusCode::OK);
}
