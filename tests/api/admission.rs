//! Who may sign up (`SIGNUP`, `SIGNUP_ALLOWED_DOMAINS`) and invitations.

use gatehouse::domain::SignupMode;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, spawn_app_with};

async fn accounts(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM users").await
}

#[tokio::test]
async fn with_invite_only_sign_up_the_form_explains_and_creates_nothing_for_any_address() {
    let app = spawn_app_with(|config| config.signup = SignupMode::Invite).await;
    app.verified_user_made_by_operator("taken@example.com").await;

    let page = app.get("/register").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("Sign-up here is by invitation"), "{page}");
    assert!(!page.contains("name=\"password\""), "no form to fill in");
    assert!(!app.get("/login").await.text().await.unwrap().contains("href=\"/register\""));

    let mut answers = Vec::new();
    for email in ["new@example.com", "taken@example.com"] {
        let response = app.register(email, PASSWORD).await;
        answers.push((response.status(), response.text().await.unwrap().replace(email, "")));
    }
    assert_eq!(answers[0].0, StatusCode::FORBIDDEN);
    assert_eq!(answers[0], answers[1], "the same answer whether or not the address has an account");
    app.all_mail_sent().await;
    assert_eq!(accounts(&app).await, 1);
    assert!(app.mail.messages().is_empty(), "no mail to anyone");
}

#[tokio::test]
async fn with_closed_sign_up_only_the_operator_makes_accounts() {
    let app = spawn_app_with(|config| config.signup = SignupMode::Closed).await;

    let page = app.get("/register").await.text().await.unwrap();
    assert!(page.contains("This site does not take sign-ups"), "{page}");
    assert!(!app.get("/").await.text().await.unwrap().contains("href=\"/register\""));
    let response = app.register("new@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(accounts(&app).await, 0);

    app.verified_user_made_by_operator("ops@example.com").await;
    assert_eq!(app.login("ops@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn open_sign_up_can_be_limited_to_some_address_domains() {
    let app = spawn_app_with(|config| {
        config.signup_allowed_domains = vec!["example.com".into(), "example.org".into()];
    })
    .await;

    let refused = app.register("ada@elsewhere.net", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Sign-up is open to addresses at example.com, example.org only."), "{page}");
    assert!(page.contains("value=\"ada@elsewhere.net\""), "the address is kept to correct");
    let subdomain = app.register("ada@mail.example.com", PASSWORD).await;
    assert_eq!(subdomain.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(accounts(&app).await, 0);

    assert_eq!(app.register("Ada@Example.ORG", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.mail.wait_for("ada@example.org", 1).await;
    assert_eq!(accounts(&app).await, 1);
}
