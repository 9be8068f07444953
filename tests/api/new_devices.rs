//! A mail when a browser new to the account signs in, with a link that ends that session.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, browser, spawn_app, token_of};

const SUBJECT: &str = "A new sign-in to your account";

async fn log_in(app: &TestApp, client: &reqwest::Client, email: &str) {
    assert_eq!(app.login_with(client, email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

async fn alerts(app: &TestApp, email: &str) -> usize {
    app.all_mail_sent().await;
    app.mail.count_with_subject(email, SUBJECT)
}

#[tokio::test]
async fn a_new_browser_is_news_once_and_the_first_browser_never() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.com").await;
    assert_eq!(alerts(&app, "ada@example.com").await, 0, "an account's first browser is not news");

    let phone = browser();
    log_in(&app, &phone, "ada@example.com").await;
    assert_eq!(alerts(&app, "ada@example.com").await, 1);
    let mail = app.mail.latest_with_subject("ada@example.com", SUBJECT).await;
    assert!(mail.text.contains("Network address: 127.0.0.1"), "{}", mail.text);
    assert!(mail.text.contains(&format!("{}/sign-in-alert?token=", app.base_url)));

    for client in [&phone, &laptop, &phone] {
        log_in(&app, client, "ada@example.com").await;
    }
    assert_eq!(alerts(&app, "ada@example.com").await, 1, "browsers seen before are not news");
}

#[tokio::test]
async fn the_alert_link_ends_that_session_and_leads_to_a_new_password() {
    let app = spawn_app().await;
    let owner = app.signed_in("ada@example.com").await;
    let intruder = browser();
    log_in(&app, &intruder, "ada@example.com").await;
    let mail = app.mail.latest_with_subject("ada@example.com", SUBJECT).await;
    let link = mail.link(&format!("{}/sign-in-alert?token=", app.base_url));
    let token = token_of(&link);

    let page = app.get_with(&owner, &format!("/sign-in-alert?token={token}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("End that session and choose a new password"));
    assert_eq!(app.get_with(&intruder, "/account").await.status(), StatusCode::OK, "looking changes nothing");

    let pressed = app.post_form_with(&owner, "/sign-in-alert", &[("token", &token)]).await;
    assert_eq!(pressed.status(), StatusCode::SEE_OTHER);
    let reset = pressed.headers()["location"].to_str().unwrap().to_owned();
    assert!(reset.starts_with("/reset-password?token="), "{reset}");
    assert_eq!(app.get_with(&intruder, "/account").await.status(), StatusCode::SEE_OTHER, "that session is over");
    assert_eq!(app.get_with(&owner, "/account").await.status(), StatusCode::OK, "the owner's is not");

    let new_password = "a fresh and different passphrase";
    let done = app
        .post_form_with(&owner, "/reset-password", &[("token", &token_of(&reset)), ("password", new_password)])
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(app.login_with(&browser(), "ada@example.com", new_password).await.status(), StatusCode::SEE_OTHER);

    let again = app.post_form_with(&owner, "/sign-in-alert", &[("token", &token)]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "the link works once");
}

#[tokio::test]
async fn the_owner_can_turn_sign_in_alerts_off() {
    let app = spawn_app().await;
    let owner = app.signed_in("ada@example.com").await;
    let page = app.get_with(&owner, "/account/sessions").await.text().await.unwrap();
    assert!(page.contains(r#"name="new_device_mail" type="checkbox" value="on" checked"#), "on by default");

    let saved = app.post_form_with(&owner, "/account/sign-in-alerts", &[]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = app.get_with(&owner, "/account/sessions?notice=alerts-saved").await.text().await.unwrap();
    assert!(page.contains("Your sign-in alert setting is saved."));
    assert!(!page.contains(r#"value="on" checked"#), "{page}");
    log_in(&app, &browser(), "ada@example.com").await;
    assert_eq!(alerts(&app, "ada@example.com").await, 0);

    app.post_form_with(&owner, "/account/sign-in-alerts", &[("new_device_mail", "on")]).await;
    log_in(&app, &browser(), "ada@example.com").await;
    assert_eq!(alerts(&app, "ada@example.com").await, 1);
}

#[tokio::test]
async fn new_browser_mails_have_a_budget_of_their_own() {
    let app = spawn_app().await;
    app.signed_in("ada@example.com").await;
    for _ in 0..7 {
        log_in(&app, &browser(), "ada@example.com").await;
    }
    assert_eq!(alerts(&app, "ada@example.com").await, 5, "five an hour at most");

    // A script signing in without cookies has not used up what a reset needs.
    app.post_form("/forgot-password", &[("email", "ada@example.com")]).await;
    app.mail.latest_with_subject("ada@example.com", "Reset your password").await;
}
