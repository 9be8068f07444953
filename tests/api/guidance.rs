//! What a person sees after each step: where they are, what went wrong, and the way on.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, spawn_app_with};

#[tokio::test]
async fn the_login_page_says_why_it_is_shown_and_asks_for_an_empty_password() {
    let app = spawn_app_with(|_| {}).await;
    let page = app.get("/login?next=/account/sessions").await.text().await.unwrap();
    assert!(page.contains("Log in to see that page"));
    assert!(page.contains(r#"autocomplete="username""#), "password managers know the email is the username");
    assert!(!app.get("/login").await.text().await.unwrap().contains("Log in to see that page"));

    let empty = app.post_form("/login", &[("email", "ada@example.com"), ("password", "")]).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = empty.text().await.unwrap();
    assert!(page.contains("Enter your password.") && !page.contains("incorrect"));
    assert!(page.contains(r#"value="ada@example.com""#), "the typed email is kept");
    assert!(page.contains("autofocus"), "the focus goes to the password");
}

#[tokio::test]
async fn the_first_invalid_field_takes_the_focus_and_messages_sit_beside_their_fields() {
    let app = spawn_app_with(|_| {}).await;
    let client = app.signed_in("ada@example.com").await;
    let wrong = [("new_email", "not an address"), ("password", PASSWORD)];
    let page = app.post_form_with(&client, "/account/email", &wrong).await.text().await.unwrap();
    let field = page.find(r#"id="new_email""#).unwrap();
    let tag_end = field + page[field..].find('>').unwrap();
    assert!(page[field..tag_end].contains("autofocus") && page[field..tag_end].contains(r#"aria-invalid="true""#));
    assert_eq!(page.matches("autofocus").count(), 1, "only the invalid field");
    assert!(page.contains(r#"value="not an address""#), "the typed value is kept");
}

#[tokio::test]
async fn refused_forms_lead_back_to_the_form_and_deletion_says_goodbye() {
    let app = spawn_app_with(|config| config.login_rate_burst = 1).await;
    // A form whose token is missing: the page says why and leads back to it.
    let forged = app.client.post(app.url("/register")).form(&[("email", "a@example.com")]).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.unwrap().contains(r#"href="/register""#));
    // Over the login budget: the wait is said in words people use, with the way back.
    app.post_form("/login", &[("email", "a@example.com"), ("password", "x")]).await;
    let limited = app.post_form("/login", &[("email", "a@example.com"), ("password", "x")]).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = limited.text().await.unwrap();
    assert!(page.contains(r#"href="/login""#) && !page.contains(" 1 seconds"), "{page}");

    let other = spawn_app_with(|_| {}).await;
    let client = other.signed_in("ada@example.com").await;
    let deleted = other.post_form_with(&client, "/account/delete", &[("password", PASSWORD)]).await;
    assert_eq!(deleted.headers()["location"], "/?notice=account-deleted");
    let home = other.get_with(&browser(), "/?notice=account-deleted").await.text().await.unwrap();
    assert!(home.contains("Your account and everything kept about it are deleted"));
}

#[tokio::test]
async fn the_reset_form_names_the_account_for_password_managers() {
    let app = spawn_app_with(|_| {}).await;
    app.verified_user("ada@example.com").await;
    app.post_form("/forgot-password", &[("email", "ada@example.com")]).await;
    let link = app
        .mail
        .latest_with_subject("ada@example.com", "Reset your password")
        .await
        .link(&format!("{}/reset-password", app.base_url));
    let page = app.client.get(app.reachable(&link)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"name="username" autocomplete="username" value="ada@example.com""#), "{page}");
}
