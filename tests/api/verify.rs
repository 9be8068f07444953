use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, spawn_app, token_of};

#[tokio::test]
async fn following_the_link_shows_the_address_and_a_button_but_verifies_nothing() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let link = app.verification_link("ada@example.com").await;

    for _ in 0..3 {
        // Mail scanners and link previews fetch links nobody clicked.
        let page = app.client.get(&link).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()["referrer-policy"], "no-referrer");
        let html = page.text().await.unwrap();
        assert!(html.contains("ada@example.com") && html.contains(">Confirm</button>"));
    }

    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn pressing_confirm_verifies_the_address_from_any_browser() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let link = app.verification_link("ada@example.com").await;

    // A different device, never signed in.
    let phone = browser();
    let confirmed = app.post_form_with(&phone, "/verify-email", &[("token", &token_of(&link))]).await;

    assert_eq!(confirmed.status(), StatusCode::OK);
    assert!(confirmed.text().await.unwrap().contains("is confirmed"));
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn v6_4_1_a_used_link_is_refused_with_a_page_that_says_so() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let link = app.verification_link("ada@example.com").await;
    app.post_form("/verify-email", &[("token", &token_of(&link))]).await;

    // The address it confirmed is still confirmed: nothing to do but log in.
    let again = app.post_form("/verify-email", &[("token", &token_of(&link))]).await;
    assert_eq!(again.status(), StatusCode::OK);
    let page = again.text().await.unwrap();
    assert!(page.contains("already confirmed") && page.contains("href=\"/login\""), "{page}");
    assert!(!page.contains("resend-verification"), "no new link is offered for a confirmed address");

    // Once the address is no longer confirmed, the used link is refused, with a way to a new one.
    app.execute("UPDATE users SET email_verified_at = NULL").await;
    let visit = app.client.get(&link).send().await.unwrap();
    assert_eq!(visit.status(), StatusCode::BAD_REQUEST);
    let page = visit.text().await.unwrap();
    assert!(page.contains("already been used") && page.contains("action=\"/resend-verification\""));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM account_events WHERE kind = 'email_verified'").await, 1);
}

#[tokio::test]
async fn v6_4_1_an_expired_link_is_refused() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let link = app.verification_link("ada@example.com").await;
    app.execute("UPDATE email_tokens SET expires_at = created_at - 1").await;

    let visit = app.client.get(&link).send().await.unwrap();
    assert_eq!(visit.status(), StatusCode::BAD_REQUEST);
    assert!(visit.text().await.unwrap().contains("expired"));
    let press = app.post_form("/verify-email", &[("token", &token_of(&link))]).await;
    assert_eq!(press.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn v6_4_1_garbled_forged_and_unknown_links_are_refused() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let token = token_of(&app.verification_link("ada@example.com").await);
    let forged = format!("{}{}", &token[..20], "A".repeat(token.len() - 20));
    for bad in [&token[..token.len() - 3], "", "%00%00", "not a token", &forged, &"A".repeat(59)] {
        let visit = app.get(&format!("/verify-email?token={bad}")).await;
        assert_eq!(visit.status(), StatusCode::BAD_REQUEST, "GET {bad}");
        assert!(visit.text().await.unwrap().contains("not valid"));
        let press = app.post_form("/verify-email", &[("token", bad)]).await;
        assert_eq!(press.status(), StatusCode::BAD_REQUEST, "POST {bad}");
    }
    assert_eq!(app.get("/verify-email").await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE email_verified_at IS NOT NULL").await, 0);
}

#[tokio::test]
async fn two_presses_racing_verify_once() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let token = token_of(&app.verification_link("ada@example.com").await);
    let fields = [("token", token.as_str())];
    let (a, b) = tokio::join!(app.post_form("/verify-email", &fields), app.post_form("/verify-email", &fields));
    let (a, b) = (a.text().await.unwrap(), b.text().await.unwrap());
    // One press confirms; the other finds the link used (and, if the first has finished,
    // the address already confirmed).
    let confirmed = [&a, &b].iter().filter(|page| page.contains("is now verified")).count();
    assert_eq!(confirmed, 1, "{a}\n{b}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM account_events WHERE kind = 'email_verified'").await, 1);
}

#[tokio::test]
async fn resend_answers_the_same_for_any_address_and_mails_only_unverified_accounts() {
    let app = spawn_app().await;
    app.register("new@example.com", PASSWORD).await;
    app.verified_user("done@example.com").await;
    app.mail.wait_for("new@example.com", 1).await;

    let mut pages = Vec::new();
    for email in ["new@example.com", "done@example.com", "nobody@example.com", "garbage"] {
        let response = app.post_form("/resend-verification", &[("email", email)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        pages.push(response.text().await.unwrap());
    }
    assert!(pages.windows(2).all(|pair| pair[0] == pair[1]), "the answer must not depend on the address");

    let fresh = app.mail.wait_for("new@example.com", 2).await.pop().unwrap();
    let link = app.reachable(&fresh.link(&format!("{}/verify-email?token=", app.base_url)));
    app.post_form("/verify-email", &[("token", &token_of(&link))]).await;
    assert_eq!(app.login("new@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.all_mail_sent().await;
    assert_eq!(app.mail.messages_to("done@example.com").len(), 1, "only the first verification mail");
    assert!(app.mail.messages_to("nobody@example.com").is_empty());
}
