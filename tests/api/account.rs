use reqwest::StatusCode;

use crate::helpers::{PASSWORD, SESSION_COOKIE, TestApp, browser, hidden_field, set_cookie, spawn_app};

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn post_as(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form_with(client, path, fields).await
}

#[tokio::test]
async fn v7_4_3_changing_the_password_ends_other_sessions_and_renews_this_one() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.com").await;
    let phone = browser();
    assert_eq!(app.login_with(&phone, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&phone, "/account").await.status(), StatusCode::OK, "the phone is signed in, before");

    let response =
        post_as(&app, &laptop, "/account/password", &[("current_password", PASSWORD), ("new_password", NEW_PASSWORD)])
            .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie(response.headers(), SESSION_COOKIE).is_some(), "a new session id for this browser");
    assert_eq!(app.get_with(&laptop, "/api/me").await.status(), StatusCode::OK);
    assert_eq!(app.get_with(&phone, "/api/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sessions").await, 1);
    assert_eq!(app.login_with(&browser(), "ada@example.com", NEW_PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.mail.latest_with_subject("ada@example.com", "Your password was changed").await;
    assert_eq!(response.headers()["location"], "/account/settings?notice=password-changed");
    let page = app.get_with(&laptop, "/account/settings?notice=password-changed").await.text().await.unwrap();
    assert!(page.contains("Your password was changed"));
    assert!(app.get_with(&laptop, "/account/activity").await.text().await.unwrap().contains("Password changed"));
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_a_good_new_one() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let wrong =
        post_as(&app, &client, "/account/password", &[("current_password", "nope"), ("new_password", NEW_PASSWORD)])
            .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains("That is not your current password."));
    let weak =
        post_as(&app, &client, "/account/password", &[("current_password", PASSWORD), ("new_password", "password")])
            .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("Use at least 15 characters."));
    assert_eq!(app.login_with(&browser(), "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

async fn confirmation_link(app: &TestApp, new_email: &str) -> String {
    let subject = "Confirm your new email address";
    let mail =
        app.mail.nth_with_subject(new_email, subject, app.mail.count_with_subject(new_email, subject).max(1)).await;
    app.reachable(&mail.link(&format!("{}/confirm-email?token=", app.base_url)))
}

#[tokio::test]
async fn a_new_email_address_takes_effect_only_when_confirmed_from_it() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;

    let response =
        post_as(&app, &client, "/account/email", &[("new_email", "Ada@New.example"), ("password", PASSWORD)]).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let notice = app.mail.latest_with_subject("ada@example.com", "Your email address is about to change").await;
    assert!(notice.text.contains("ada@new.example"));
    let link = confirmation_link(&app, "ada@new.example").await;
    // Nothing changed yet, and following the link changes nothing either.
    let page = app.get_with(&client, &link[app.url("").len()..]).await.text().await.unwrap();
    assert!(page.contains("ada@new.example") && page.contains(">Confirm</button>"));
    let me: serde_json::Value = app.get_with(&client, "/api/me").await.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");

    let token = link.split("token=").nth(1).unwrap();
    let confirmed = app.post_form_with(&browser(), "/confirm-email", &[("token", token)]).await;

    assert_eq!(confirmed.status(), StatusCode::OK);
    let me: serde_json::Value = app.get_with(&client, "/api/me").await.json().await.unwrap();
    assert_eq!(me["email"], "ada@new.example");
    assert_eq!(me["email_verified"], true);
    assert_eq!(app.login_with(&browser(), "ada@new.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.login_with(&browser(), "ada@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_the_newest_email_change_can_be_confirmed() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    post_as(&app, &client, "/account/email", &[("new_email", "first@example.com"), ("password", PASSWORD)]).await;
    let first = confirmation_link(&app, "first@example.com").await;
    post_as(&app, &client, "/account/email", &[("new_email", "second@example.com"), ("password", PASSWORD)]).await;
    let second = confirmation_link(&app, "second@example.com").await;

    let stale = app.post_form("/confirm-email", &[("token", first.split("token=").nth(1).unwrap())]).await;
    assert_eq!(stale.status(), StatusCode::BAD_REQUEST);
    let fresh = app.post_form("/confirm-email", &[("token", second.split("token=").nth(1).unwrap())]).await;
    assert_eq!(fresh.status(), StatusCode::OK);
    let me: serde_json::Value = app.get_with(&client, "/api/me").await.json().await.unwrap();
    assert_eq!(me["email"], "second@example.com", "the confirmed address is exactly the one the link was sent to");
}

#[tokio::test]
async fn moving_to_a_taken_address_reveals_nothing_and_changes_nothing() {
    let app = spawn_app().await;
    app.verified_user("bob@example.com").await;
    let client = app.signed_in("ada@example.com").await;

    let response =
        post_as(&app, &client, "/account/email", &[("new_email", "bob@example.com"), ("password", PASSWORD)]).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/account/settings?notice=email-change-sent");
    let notice = app.mail.latest_with_subject("bob@example.com", "Someone tried to use your email address").await;
    assert!(!notice.text.contains("confirm-email"));
    let me: serde_json::Value = app.get_with(&client, "/api/me").await.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");
}

#[tokio::test]
async fn an_address_taken_before_confirmation_is_refused() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    post_as(&app, &client, "/account/email", &[("new_email", "late@example.com"), ("password", PASSWORD)]).await;
    let link = confirmation_link(&app, "late@example.com").await;
    app.verified_user("late@example.com").await;

    let refused = app.post_form("/confirm-email", &[("token", link.split("token=").nth(1).unwrap())]).await;

    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("belongs to another account"));
    let me: serde_json::Value = app.get_with(&client, "/api/me").await.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");
}

#[tokio::test]
async fn changing_the_email_needs_the_password_and_a_new_valid_address() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    for (email, password, message) in [
        ("new@example.com", "wrong", "That is not your password."),
        ("not-an-address", PASSWORD, "Enter an email address like name@example.com."),
        ("ADA@example.com", PASSWORD, "That is already your address."),
    ] {
        let response = post_as(&app, &client, "/account/email", &[("new_email", email), ("password", password)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        assert!(response.text().await.unwrap().contains(message), "{message}");
    }
    assert!(app.mail.messages_to("new@example.com").is_empty());
}

#[tokio::test]
async fn sessions_are_listed_and_can_be_signed_out_one_by_one_or_all_others() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.com").await;
    let phone = browser();
    let tablet = browser();
    for client in [&phone, &tablet] {
        assert_eq!(app.login_with(client, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    }
    let page = app.get_with(&laptop, "/account/sessions").await.text().await.unwrap();
    assert_eq!(page.matches("name=\"session_id\"").count(), 3);
    assert_eq!(page.matches("this device").count(), 1);
    assert!(page.contains("Sign out everywhere else"));

    // Sign out the phone from the laptop, by the id the page shows.
    let sessions: Vec<serde_json::Value> = app.get_with(&phone, "/api/sessions").await.json().await.unwrap();
    let phone_id = sessions.iter().find(|s| s["current"] == true).unwrap()["id"].as_str().unwrap().to_owned();
    let response = post_as(&app, &laptop, "/account/sessions/revoke", &[("session_id", &phone_id)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&phone, "/api/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get_with(&tablet, "/api/me").await.status(), StatusCode::OK);

    let response = post_as(&app, &laptop, "/account/sessions/revoke-others", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&tablet, "/api/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get_with(&laptop, "/api/me").await.status(), StatusCode::OK);
    let page = app.get_with(&laptop, "/account/activity").await.text().await.unwrap();
    assert!(page.contains("A session was signed out") && page.contains("All other sessions were signed out"));
    let alone = app.get_with(&laptop, "/account/sessions?notice=others-revoked").await.text().await.unwrap();
    assert!(alone.contains("Every other session was signed out."));
    assert!(!alone.contains("Sign out everywhere else"), "offered only when there is somewhere else");
}

#[tokio::test]
async fn api_sessions_lists_and_ends_sessions_as_json() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.com").await;
    let phone = browser();
    assert_eq!(app.login_with(&phone, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&phone, "/account").await.status(), StatusCode::OK, "the phone is signed in, before");

    let sessions: Vec<serde_json::Value> = app.get_with(&laptop, "/api/sessions").await.json().await.unwrap();
    assert_eq!(sessions.len(), 2);
    for session in &sessions {
        for field in ["id", "current", "created_at", "last_seen_at", "ip", "user_agent"] {
            assert!(session.get(field).is_some(), "{field} missing from {session}");
        }
    }
    let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_owned();
    let deleted = laptop.delete(app.url(&format!("/api/sessions/{other}"))).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_with(&phone, "/api/me").await.status(), StatusCode::UNAUTHORIZED);

    let missing = laptop.delete(app.url(&format!("/api/sessions/{other}"))).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn another_users_session_cannot_be_ended() {
    let app = spawn_app().await;
    let ada = app.signed_in("ada@example.com").await;
    let bob = app.signed_in("bob@example.com").await;
    let bobs: Vec<serde_json::Value> = app.get_with(&bob, "/api/sessions").await.json().await.unwrap();
    let id = bobs[0]["id"].as_str().unwrap();
    assert_eq!(
        ada.delete(app.url(&format!("/api/sessions/{id}"))).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    post_as(&app, &ada, "/account/sessions/revoke", &[("session_id", id)]).await;
    assert_eq!(app.get_with(&bob, "/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn deleting_the_account_removes_everything_and_says_goodbye() {
    let app = spawn_app().await;
    app.verified_user("bob@example.com").await;
    let laptop = app.signed_in("ada@example.com").await;
    let phone = browser();
    assert_eq!(app.login_with(&phone, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&phone, "/account").await.status(), StatusCode::OK, "the phone is signed in, before");
    post_as(&app, &laptop, "/forgot-password", &[("email", "ada@example.com")]).await;

    let wrong = post_as(&app, &laptop, "/account/delete", &[("password", "not it")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = post_as(&app, &laptop, "/account/delete", &[("password", PASSWORD)]).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    for client in [&laptop, &phone] {
        assert_eq!(app.get_with(client, "/api/me").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1, "only bob is left");
    for table in ["sessions", "email_tokens", "account_events"] {
        let left = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id)"
            ))
            .await;
        assert_eq!(left, 0, "orphans in {table}");
    }
    app.mail.latest_with_subject("ada@example.com", "Your account was deleted").await;
    assert_eq!(app.login_with(&browser(), "ada@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    // The address is free again.
    assert_eq!(app.register("ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_account_page_shows_logins_failures_and_activity() {
    let app = spawn_app().await;
    // A wrong password before the first sign-in counts too.
    app.verified_user("ada@example.com").await;
    app.login_with(&browser(), "ada@example.com", "wrong password").await;
    let client = browser();
    assert_eq!(app.login_with(&client, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let page = app.get_with(&client, "/account").await.text().await.unwrap();
    assert!(page.contains("1 since your last sign-in"), "{page}");
    app.login_with(&browser(), "ada@example.com", "wrong password").await;
    let page = app.get_with(&client, "/account").await.text().await.unwrap();
    assert!(page.contains("Previous sign-in") && page.contains("None before this one"), "{page}");
    assert!(page.contains("2 since your last sign-in"));
    assert!(hidden_field(&page, "csrf_token").is_some());
    let activity = app.get_with(&client, "/account/activity").await.text().await.unwrap();
    assert!(
        activity.contains("Failed login attempt")
            && activity.contains("Logged in with password")
            && activity.contains("Email address confirmed"),
        "{activity}"
    );

    // Signed in again elsewhere: the overview names the sign-in before this one.
    let phone = browser();
    assert_eq!(app.login_with(&phone, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&phone, "/account").await.status(), StatusCode::OK, "the phone is signed in, before");
    let page = app.get_with(&phone, "/account").await.text().await.unwrap();
    assert!(page.contains("Previous sign-in") && page.contains("127.0.0.1") && !page.contains("None before"));
    assert!(page.contains("1 since your last sign-in"), "the one after the previous sign-in: {page}");
}

#[tokio::test]
async fn a_person_sets_a_name_and_a_username_no_one_else_has() {
    let app = spawn_app().await;
    let ada = app.signed_in("ada@example.com").await;
    let grace = app.signed_in("grace@example.com").await;
    let profile = |fields: &'static [(&'static str, &'static str)], who: &reqwest::Client| {
        let (app, who) = (&app, who.clone());
        async move { app.post_form_with(&who, "/account/profile", fields).await }
    };

    let saved = profile(&[("display_name", "  Ada Lovelace "), ("username", "Ada.L")], &ada).await;
    assert_eq!(saved.headers()["location"], "/account/profile?notice=profile-saved");
    let page = app.get_with(&ada, "/account/profile?notice=profile-saved").await.text().await.unwrap();
    assert!(page.contains("Your profile was saved.") && page.contains(r#"value="Ada Lovelace""#), "{page}");
    assert!(page.contains(r#"value="ada.l""#), "kept in lower case: {page}");

    let taken = profile(&[("display_name", "Grace"), ("username", "ADA.L")], &grace).await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = taken.text().await.unwrap();
    assert!(
        page.contains("That username is taken.") && page.contains(r#"value="Grace""#),
        "what was typed stays: {page}"
    );
    let bad = profile(&[("display_name", "Grace"), ("username", "-grace")], &grace).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("starting with a letter or digit"));

    let cleared = profile(&[("display_name", ""), ("username", "")], &ada).await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    let freed = profile(&[("display_name", "Grace"), ("username", "ada.l")], &grace).await;
    assert_eq!(freed.status(), StatusCode::SEE_OTHER, "a cleared username is free again");
}

/// Every credential made or removed is in the account's activity (and so the admin's log).
#[tokio::test]
async fn making_and_revoking_an_api_token_or_an_apps_access_is_in_the_activity_log() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let made: serde_json::Value = client
        .post(app.url("/api/tokens"))
        .json(&serde_json::json!({"name": "deploy", "scope": "read"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = made["id"].as_i64().unwrap();
    let revoked = client.delete(app.url(&format!("/api/tokens/{id}"))).send().await.unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

    let wiki = crate::oidc::add_client(&app, &[]);
    let pkce = crate::oidc::pkce();
    crate::oidc::code_for(&app, &client, &wiki, &pkce).await;
    let taken = app.post_form_with(&client, "/account/apps/revoke", &[("client_id", &wiki.id)]).await;
    assert_eq!(taken.status(), StatusCode::SEE_OTHER);

    let activity = app.get_with(&client, "/account/activity").await.text().await.unwrap();
    for said in [
        "API token created",
        "API token revoked",
        "An app was allowed to sign you in",
        "An app&#x27;s access was taken away",
    ] {
        assert!(activity.contains(said) || activity.contains(&said.replace("&#x27;", "&#39;")), "{said}: {activity}");
    }
}

/// Signing out everywhere else asks first (a page, no script); its form posts to the same
/// route as before, which programs may still post to directly.
#[tokio::test]
async fn signing_out_everywhere_else_asks_first() {
    let app = spawn_app().await;
    let laptop = app.signed_in("ada@example.com").await;
    let phone = browser();
    assert_eq!(app.login_with(&phone, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let list = app.get_with(&laptop, "/account/sessions").await.text().await.unwrap();
    assert!(list.contains(r#"href="/account/sessions/revoke-others""#), "a link to the question, not the deed");
    let asked = app.get_with(&laptop, "/account/sessions/revoke-others").await;
    assert_eq!(asked.status(), StatusCode::OK);
    let page = asked.text().await.unwrap();
    assert!(page.contains("Sign out everywhere else?") && page.contains(r#"action="/account/sessions/revoke-others""#));
    assert_eq!(app.get_with(&phone, "/account").await.status(), StatusCode::OK, "asking changed nothing");

    let done = app.post_form_with(&laptop, "/account/sessions/revoke-others", &[]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_ne!(app.get_with(&phone, "/account").await.status(), StatusCode::OK, "the phone is signed out");
}
