//! "Email me a code" (`EMAIL_CODE_LOGIN=true`): single use, ten minutes, bound to the
//! browser that asked, throttled, and the same answer for every address.

use reqwest::{Client, StatusCode};

use crate::helpers::{PASSWORD, TestApp, browser, spawn_app, spawn_app_with};

const SUBJECT: &str = "Your sign-in code";

async fn app() -> TestApp {
    spawn_app_with(|config| config.email_code_login = true).await
}

async fn ask(app: &TestApp, client: &Client, email: &str) -> reqwest::Response {
    app.post_form_with(client, "/login/code", &[("email", email)]).await
}

/// The code in the `nth` code mail to `email`, as the mail shows it.
async fn mailed_code(app: &TestApp, email: &str, nth: usize) -> String {
    let mails = app.mail.wait_for_matching(email, nth, |mail| mail.subject == SUBJECT).await;
    let text = &mails[nth - 1].text;
    let code = text.lines().map(str::trim).find(|line| line.len() == 9 && line.as_bytes()[4] == b'-');
    code.unwrap_or_else(|| panic!("no code in {text}")).to_owned()
}

async fn enter(app: &TestApp, client: &Client, code: &str) -> reqwest::Response {
    app.post_form_with(client, "/login/code/enter", &[("code", code)]).await
}

#[tokio::test]
async fn the_mailed_code_signs_in_the_browser_that_asked_once() {
    let app = app().await;
    app.verified_user("ada@example.com").await;
    let login = app.get("/login").await.text().await.unwrap();
    assert!(login.contains(r#"href="/login/code""#), "offered on the login page");

    let client = browser();
    let asked = ask(&app, &client, "Ada@Example.com").await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    assert_eq!(asked.headers()["location"], "/login/code/enter");
    let page = app.get_with(&client, "/login/code/enter").await.text().await.unwrap();
    assert!(page.contains("If ada@example.com has an account here, a code is on its way"), "{page}");
    let code = mailed_code(&app, "ada@example.com", 1).await;
    assert!(!app.mail.messages_to("ada@example.com").last().unwrap().subject.contains(&code), "not in the subject");

    let signed_in = enter(&app, &client, &code.to_lowercase().replace('-', " ")).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()["location"], "/account");
    let me = app.get_with(&client, "/account").await;
    assert_eq!(me.status(), StatusCode::OK);
    let amr = app.scalar("SELECT COUNT(*) FROM account_events WHERE detail = 'emailed code'").await;
    assert_eq!(amr, 1, "the activity log says how");

    // Used: asking the same browser for it again starts over.
    let again = enter(&app, &client, &code).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert_eq!(again.headers()["location"], "/login/code");
}

#[tokio::test]
async fn a_code_is_worth_nothing_in_another_browser() {
    let app = app().await;
    app.verified_user("ada@example.com").await;
    let asker = browser();
    ask(&app, &asker, "ada@example.com").await;
    let code = mailed_code(&app, "ada@example.com", 1).await;

    let thief = browser();
    let without_asking = enter(&app, &thief, &code).await;
    assert_eq!(without_asking.status(), StatusCode::SEE_OTHER, "nothing asked in this browser");
    ask(&app, &thief, "ada@example.com").await;
    let refused = enter(&app, &thief, &code).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.text().await.unwrap().contains("That code is not right, or no longer valid."));
    assert_eq!(app.get_with(&thief, "/account").await.status(), StatusCode::SEE_OTHER);

    assert_eq!(enter(&app, &asker, &code).await.status(), StatusCode::SEE_OTHER, "still good where it was asked");
}

#[tokio::test]
async fn wrong_tries_are_refused_and_five_spend_the_code() {
    let app = app().await;
    app.verified_user("ada@example.com").await;
    let client = browser();
    ask(&app, &client, "ada@example.com").await;
    let code = mailed_code(&app, "ada@example.com", 1).await;
    let wrong = if code.starts_with('Z') { "YYYY-YYYY" } else { "ZZZZ-ZZZZ" };

    for _ in 0..4 {
        assert_eq!(enter(&app, &client, wrong).await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(enter(&app, &client, "not a code at all").await.status(), StatusCode::UNAUTHORIZED);
    let spent = enter(&app, &client, &code).await;
    assert_eq!(spent.status(), StatusCode::UNAUTHORIZED, "the right code after five wrong ones");

    ask(&app, &client, "ada@example.com").await;
    let fresh = mailed_code(&app, "ada@example.com", 2).await;
    assert_eq!(enter(&app, &client, &fresh).await.status(), StatusCode::SEE_OTHER, "a new code works");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = app().await;
    app.verified_user("ada@example.com").await;
    let client = browser();
    ask(&app, &client, "ada@example.com").await;
    let code = mailed_code(&app, "ada@example.com", 1).await;
    app.execute("UPDATE login_codes SET expires_at = created_at + 600 - 1000").await;
    assert_eq!(enter(&app, &client, &code).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_mail() {
    let app = app().await;
    app.verified_user("ada@example.com").await;
    let mut answers = Vec::new();
    for email in ["ada@example.com", "nobody@example.com"] {
        let client = browser();
        let asked = ask(&app, &client, email).await;
        let page = app.get_with(&client, "/login/code/enter").await;
        answers.push((
            asked.status(),
            asked.headers()["location"].clone(),
            page.status(),
            page.text().await.unwrap().replace(email, ""),
        ));
        let wrong = enter(&app, &client, "ABCD-EFGH").await;
        answers.push((
            wrong.status(),
            reqwest::header::HeaderValue::from_static(""),
            wrong.status(),
            wrong.text().await.unwrap().replace(email, ""),
        ));
    }
    let strip_csrf =
        |page: &str| page.lines().filter(|line| !line.contains("csrf_token")).collect::<Vec<_>>().join("\n");
    for (known, unknown) in [(&answers[0], &answers[2]), (&answers[1], &answers[3])] {
        assert_eq!((known.0, &known.1, known.2), (unknown.0, &unknown.1, unknown.2));
        assert_eq!(strip_csrf(&known.3), strip_csrf(&unknown.3));
    }
    app.all_mail_sent().await;
    assert!(app.mail.messages_to("nobody@example.com").is_empty());
    assert_eq!(app.mail.count_with_subject("ada@example.com", SUBJECT), 1);
}

#[tokio::test]
async fn asking_is_throttled_per_address_and_per_client() {
    let app = app().await;
    app.verified_user("ada@example.com").await;
    let client = browser();
    for _ in 0..8 {
        assert_eq!(ask(&app, &client, "ada@example.com").await.status(), StatusCode::SEE_OTHER);
    }
    app.all_mail_sent().await;
    // The address's mail budget (five an hour, the verification mail among them).
    assert_eq!(app.mail.count_with_subject("ada@example.com", SUBJECT), 4);

    let mut statuses = Vec::new();
    for n in 0..20 {
        statuses.push(ask(&app, &client, &format!("other{n}@example.com")).await.status());
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "one client cannot ask without end: {statuses:?}");
}

#[tokio::test]
async fn two_step_login_still_follows_the_code() {
    let app = app().await;
    app.verified_user("ada@example.com").await;
    app.execute("UPDATE users SET two_factor_since = 1").await;
    let client = browser();
    ask(&app, &client, "ada@example.com").await;
    let code = mailed_code(&app, "ada@example.com", 1).await;
    let answer = enter(&app, &client, &code).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(answer.headers()["location"], "/login/2fa");
    assert_eq!(app.get_with(&client, "/account").await.status(), StatusCode::SEE_OTHER, "not signed in yet");
}

#[tokio::test]
async fn without_the_setting_there_is_no_code_login() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    assert!(!app.get("/login").await.text().await.unwrap().contains("/login/code"));
    assert_eq!(app.get("/login/code").await.status(), StatusCode::NOT_FOUND);
    let asked = ask(&app, &browser(), "ada@example.com").await;
    assert_eq!(asked.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}
