//! Two-step login: enrolment from the account page, the second step at login for pages
//! and programs, recovery codes, the throttle and the notices. Codes are computed by
//! `helpers::totp`, not by the server's implementation.

use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::process::{fails_with, run, stdout};
use crate::helpers::totp::code;
use crate::helpers::{PASSWORD, SESSION_COOKIE, TestApp, browser, set_cookie, spawn_app};

/// What enrolment handed the user: the secret for their app and the recovery codes.
pub(crate) struct Enrolled {
    pub(crate) secret: String,
    recovery_codes: Vec<String>,
}

/// Starts enrolment: the setup page for the signed-in `client`.
pub(crate) async fn setup_page(app: &TestApp, client: &Client) -> String {
    let response = app.post_form_with(client, "/account/2fa/totp/setup", &[("password", PASSWORD)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

/// The `otpauth://` URI shown on a setup page.
pub(crate) fn otpauth_uri(page: &str) -> String {
    let start = page.find("otpauth://totp/").expect("the setup page shows the otpauth URI");
    let end = start + page[start..].find('<').unwrap();
    // The page escapes `&` in text, as HTML must.
    page[start..end].replace("&#38;", "&").replace("&amp;", "&")
}

pub(crate) fn secret_of(uri: &str) -> String {
    let url = url::Url::parse(uri).unwrap();
    url.query_pairs().find(|(key, _)| key == "secret").map(|(_, value)| value.into_owned()).unwrap()
}

/// Every `xxxxx-xxxxx` recovery code on a page.
fn recovery_codes_on(page: &str) -> Vec<String> {
    page.split("<code>")
        .skip(1)
        .filter_map(|rest| rest.split("</code>").next())
        .filter(|code| {
            code.len() == 11
                && code.as_bytes()[5] == b'-'
                && code.bytes().enumerate().all(|(i, b)| i == 5 || b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect()
}

/// Turns two-step login on for `client`, confirming with the code `steps` from now.
async fn enrol_at(app: &TestApp, client: &Client, steps: i64) -> Enrolled {
    let secret = secret_of(&otpauth_uri(&setup_page(app, client).await));
    let confirmed = app.post_form_with(client, "/account/2fa/totp/confirm", &[("code", &code(&secret, steps))]).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let recovery_codes = recovery_codes_on(&confirmed.text().await.unwrap());
    assert_eq!(recovery_codes.len(), 10, "ten recovery codes are shown");
    Enrolled { secret, recovery_codes }
}

/// Turns two-step login on with the current step's code, leaving the next step free for
/// a login (a step is accepted once).
async fn enrol(app: &TestApp, client: &Client) -> Enrolled {
    enrol_at(app, client, 0).await
}

/// A verified user with two-step login on; returns the enrolment and the signed-in client.
pub(crate) async fn user_with_two_factor(app: &TestApp, email: &str) -> (Enrolled, Client) {
    let client = app.signed_in(email).await;
    let enrolled = enrol(app, &client).await;
    (enrolled, client)
}

/// Logs in with the password on a new browser: it is now waiting for the second step.
pub(crate) async fn pending(app: &TestApp, email: &str) -> Client {
    let client = browser();
    let response = app.login_with(&client, email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/login/2fa");
    client
}

pub(crate) async fn second_step(app: &TestApp, client: &Client, code: &str) -> reqwest::Response {
    app.post_form_with(client, "/login/2fa", &[("code", code)]).await
}

fn location(response: &reqwest::Response) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

async fn token_grant(app: &TestApp, body: Value) -> reqwest::Response {
    app.client.post(app.url("/api/auth/token")).json(&body).send().await.unwrap()
}

/// The claims of a JWT, read without checking it (the programs tests check signatures).
fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn the_setup_page_shows_the_secret_as_uri_text_and_qr_code_and_changes_nothing_yet() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let page = setup_page(&app, &client).await;

    let uri = otpauth_uri(&page);
    let url = url::Url::parse(&uri).unwrap();
    assert_eq!(url.scheme(), "otpauth");
    assert_eq!(url.host_str(), Some("totp"));
    assert_eq!(url.path(), "/Gatehouse:ada@example.com", "the account email is the label");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["issuer"], "Gatehouse");
    assert_eq!(query["algorithm"], "SHA1");
    assert_eq!(query["digits"], "6");
    assert_eq!(query["period"], "30");
    let secret = &query["secret"];
    assert_eq!(secret.len(), 32, "160 bits in base32");
    assert!(page.contains(&format!("<code class=\"token\">{secret}</code>")), "the secret is shown to type in");
    assert!(page.contains("<svg") && !page.contains("data:image"), "the QR code is inline SVG");

    // Nothing is on until the first code: a login is still one step.
    assert_eq!(app.get_with(&client, "/api/me").await.json::<Value>().await.unwrap()["two_factor"], false);
    let again = browser();
    let login = app.login_with(&again, "ada@example.com", PASSWORD).await;
    assert_eq!(location(&login), "/account");
}

#[tokio::test]
async fn a_wrong_password_at_setup_is_401_and_a_wrong_first_code_is_422_with_the_form_again() {
    let app = spawn_app().await;
    let client = app.signed_in("ben@example.com").await;
    let wrong = app.post_form_with(&client, "/account/2fa/totp/setup", &[("password", "not it")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.text().await.unwrap().contains("That is not your password."));

    let secret = secret_of(&otpauth_uri(&setup_page(&app, &client).await));
    for bad in ["000000", "12345", "abcdef", &code(&secret, 3)] {
        let refused = app.post_form_with(&client, "/account/2fa/totp/confirm", &[("code", bad)]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("That code is not right"));
        assert_eq!(secret_of(&otpauth_uri(&page)), secret, "the same secret is shown again");
    }
    assert_eq!(app.get_with(&client, "/api/me").await.json::<Value>().await.unwrap()["two_factor"], false);
}

#[tokio::test]
async fn the_first_code_may_be_from_the_step_before_or_after_but_not_two_away() {
    let app = spawn_app().await;
    for (email, steps, accepted) in [
        ("prev@example.com", -1, true),
        ("next@example.com", 1, true),
        ("old@example.com", -2, false),
        ("early@example.com", 2, false),
    ] {
        let client = app.signed_in(email).await;
        let secret = secret_of(&otpauth_uri(&setup_page(&app, &client).await));
        let response =
            app.post_form_with(&client, "/account/2fa/totp/confirm", &[("code", &code(&secret, steps))]).await;
        let expected = if accepted { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        assert_eq!(response.status(), expected, "a code {steps} steps away");
    }
}

#[tokio::test]
async fn an_unverified_address_cannot_turn_it_on() {
    let app = spawn_app().await;
    let client = app.signed_in("squatter@example.com").await;
    // As if the address were never confirmed (no page signs such an account in today).
    app.execute("UPDATE users SET email_verified_at = NULL").await;
    let refused = app.post_form_with(&client, "/account/2fa/totp/setup", &[("password", PASSWORD)]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM totp_secrets").await, 0);
}

#[tokio::test]
async fn turning_it_on_ends_other_sessions_and_refresh_tokens_mails_a_notice_and_shows_codes_once() {
    let app = spawn_app().await;
    let client = app.signed_in("cleo@example.com").await;
    let other = browser();
    assert_eq!(app.login_with(&other, "cleo@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&other, "/account").await.status(), StatusCode::OK, "signed in there too, before");
    let tokens: Value =
        token_grant(&app, json!({"email": "cleo@example.com", "password": PASSWORD})).await.json().await.unwrap();

    enrol(&app, &client).await;

    assert_eq!(app.get_with(&client, "/account").await.status(), StatusCode::OK, "this browser stays signed in");
    assert!(location(&app.get_with(&other, "/account").await).starts_with("/login?"), "the other session ended");
    let refreshed = token_grant(&app, json!({"refresh_token": tokens["refresh_token"]})).await;
    assert_eq!(refreshed.status(), StatusCode::UNAUTHORIZED, "refresh tokens were revoked");
    let notice = app.mail.latest_with_subject("cleo@example.com", "Two-step login is on").await;
    assert!(notice.text.contains("turned on"));

    let page = app.get_with(&client, "/account/2fa").await.text().await.unwrap();
    assert!(recovery_codes_on(&page).is_empty(), "the codes are not shown again");
    assert!(page.contains("10 of 10 recovery codes left"));
    let me: Value = app.get_with(&client, "/api/me").await.json().await.unwrap();
    assert_eq!(me["two_factor"], true);
}

#[tokio::test]
async fn a_login_waits_for_the_code_and_is_no_sign_in_until_then() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "dora@example.com").await;
    let client = browser();
    let response = app.login_with(&client, "dora@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login/2fa");
    let pending_cookie = set_cookie(response.headers(), SESSION_COOKIE).expect("the pending state has a session");

    assert!(location(&app.get_with(&client, "/account").await).starts_with("/login?"));
    assert_eq!(app.get_with(&client, "/account/tokens").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::UNAUTHORIZED);
    let tokens = app.post_form_with(&client, "/account/tokens", &[("name", "x"), ("password", PASSWORD)]).await;
    assert_eq!(tokens.status(), StatusCode::SEE_OTHER, "no token for a pending session");

    let form = app.get_with(&client, "/login/2fa").await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form.text().await.unwrap().contains("name=\"code\""));

    let done = second_step(&app, &client, &code(&enrolled.secret, 1)).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/account");
    let signed_in_cookie = set_cookie(done.headers(), SESSION_COOKIE).expect("a new session id");
    assert_ne!(signed_in_cookie.split(';').next(), pending_cookie.split(';').next());
    assert_eq!(app.get_with(&client, "/account").await.status(), StatusCode::OK);
    assert_eq!(app.get_with(&client, "/login/2fa").await.headers()[header::LOCATION], "/account");
}

#[tokio::test]
async fn next_is_kept_through_the_second_step() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "eve@example.com").await;
    let client = browser();
    let response = app
        .post_form_with(
            &client,
            "/login",
            &[("email", "eve@example.com"), ("password", PASSWORD), ("next", "/account/sessions")],
        )
        .await;
    assert_eq!(location(&response), "/login/2fa?next=%2Faccount%2Fsessions");
    let done = second_step(&app, &client, &code(&enrolled.secret, 1)).await;
    assert_eq!(location(&done), "/account/sessions");
}

#[tokio::test]
async fn each_step_is_accepted_once_and_never_an_older_one() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "finn@example.com").await;
    let client = pending(&app, "finn@example.com").await;
    // Enrolment used this step's code: the same code again is a replay.
    assert_eq!(second_step(&app, &client, &code(&enrolled.secret, 0)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(second_step(&app, &client, &code(&enrolled.secret, 1)).await.status(), StatusCode::SEE_OTHER);

    let again = pending(&app, "finn@example.com").await;
    for replayed in [code(&enrolled.secret, 1), code(&enrolled.secret, 0), code(&enrolled.secret, -1)] {
        let response = second_step(&app, &again, &replayed).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "a used or older step");
    }
    assert!(location(&app.get_with(&again, "/account").await).starts_with("/login?"));
}

#[tokio::test]
async fn codes_two_steps_away_bad_shapes_and_other_accounts_codes_are_wrong_codes() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "gus@example.com").await;
    let (other, _) = user_with_two_factor(&app, "hal@example.com").await;
    let client = pending(&app, "gus@example.com").await;
    let two_away = code(&enrolled.secret, 2);
    let others = code(&other.secret, 1);
    for wrong in [two_away.as_str(), "12345", "1234567", "abcdef", others.as_str()] {
        let response = second_step(&app, &client, wrong).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{wrong:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains("That code is not right") && page.contains("name=\"code\""), "the form again");
    }
    // Spaces inside a right code are how apps show it: accepted.
    let spaced = code(&enrolled.secret, 1);
    let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
    // Five wrong codes made the account wait: the throttle is tested on its own below.
    app.execute("DELETE FROM login_throttle").await;
    assert_eq!(second_step(&app, &client, &spaced).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_sixth_wrong_code_in_a_row_is_429_with_retry_after_even_if_right() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "ivy@example.com").await;
    let client = pending(&app, "ivy@example.com").await;
    for attempt in 1..=5 {
        let response = second_step(&app, &client, "000000").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "wrong code {attempt}");
    }
    let throttled = second_step(&app, &client, &code(&enrolled.secret, 1)).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = throttled.headers()[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!(wait > 0);
    // The account waits, not the browser: a new login does not start the count afresh.
    let fresh = pending(&app, "ivy@example.com").await;
    assert_eq!(second_step(&app, &fresh, &code(&enrolled.secret, 1)).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // The programs' way in shares the account's count.
    let grant = json!({"email": "ivy@example.com", "password": PASSWORD, "otp": code(&enrolled.secret, 1)});
    assert_eq!(token_grant(&app, grant).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// The limit is one atomic step: a hundred wrong codes at once get five checked (each
/// checked wrong code is a `second_step_failed` event), the rest `429`.
#[tokio::test]
async fn a_hundred_codes_at_once_get_five_checked() {
    let app = spawn_app().await;
    user_with_two_factor(&app, "kim@example.com").await;
    let client = pending(&app, "kim@example.com").await;
    let token = app.csrf_token_with(&client).await;
    let guesses = (0..100).map(|n| {
        let form = [("csrf_token", token.clone()), ("code", format!("{:06}", n * 7919 % 1_000_000))];
        client.post(app.url("/login/2fa")).form(&form).send()
    });
    let answers = futures_join_all(guesses).await;
    let statuses: Vec<StatusCode> = answers.into_iter().map(|answer| answer.unwrap().status()).collect();
    let wrong = statuses.iter().filter(|status| **status == StatusCode::UNAUTHORIZED).count();
    let throttled = statuses.iter().filter(|status| **status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((wrong, throttled), (5, 95), "{statuses:?}");
    let checked = app.scalar("SELECT COUNT(*) FROM account_events WHERE kind = 'second_step_failed'").await;
    assert_eq!(checked, 5);
}

/// Awaits every future, all at once (the tests have no `futures` crate).
async fn futures_join_all<F: std::future::Future + Send + 'static>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F::Output: Send,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

#[tokio::test]
async fn a_recovery_code_works_once_in_any_case_with_or_without_its_dash_and_mails_a_notice() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "jon@example.com").await;
    let first = &enrolled.recovery_codes[0];
    let client = pending(&app, "jon@example.com").await;
    let typed = first.replace('-', "").to_uppercase();
    let response = second_step(&app, &client, &typed).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let notice = app.mail.latest_with_subject("jon@example.com", "A recovery code was used").await;
    assert!(notice.text.contains("9 of your recovery codes are left"));

    let again = pending(&app, "jon@example.com").await;
    assert_eq!(second_step(&app, &again, first).await.status(), StatusCode::UNAUTHORIZED, "used up");
    assert_eq!(second_step(&app, &again, &enrolled.recovery_codes[1]).await.status(), StatusCode::SEE_OTHER);
    let page = app.get_with(&again, "/account/2fa").await.text().await.unwrap();
    assert!(page.contains("8 of 10 recovery codes left"));
    let activity = app.get_with(&again, "/account/activity").await.text().await.unwrap();
    assert!(activity.contains("Logged in with password and recovery code"), "how it was done: {activity}");
}

#[tokio::test]
async fn two_simultaneous_uses_of_one_recovery_code_let_exactly_one_in() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "kai@example.com").await;
    for round in 0..3 {
        let code = &enrolled.recovery_codes[round];
        let (a, b) = (pending(&app, "kai@example.com").await, pending(&app, "kai@example.com").await);
        let (first, second) = tokio::join!(second_step(&app, &a, code), second_step(&app, &b, code));
        let mut statuses = [first.status(), second.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::UNAUTHORIZED], "round {round}");
    }
}

#[tokio::test]
async fn new_recovery_codes_replace_the_old_set() {
    let app = spawn_app().await;
    let (enrolled, client) = user_with_two_factor(&app, "lea@example.com").await;
    let wrong = app.post_form_with(&client, "/account/2fa/recovery-codes", &[("password", "nope")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let renewed = app.post_form_with(&client, "/account/2fa/recovery-codes", &[("password", PASSWORD)]).await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let new_codes = recovery_codes_on(&renewed.text().await.unwrap());
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|code| !enrolled.recovery_codes.contains(code)));

    let old = pending(&app, "lea@example.com").await;
    assert_eq!(second_step(&app, &old, &enrolled.recovery_codes[0]).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(second_step(&app, &old, &new_codes[0]).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn turning_it_off_takes_the_password_and_a_code_and_mails_a_notice() {
    let app = spawn_app().await;
    let (enrolled, client) = user_with_two_factor(&app, "max@example.com").await;
    let no_password = app
        .post_form_with(&client, "/account/2fa/disable", &[("password", "nope"), ("code", &enrolled.recovery_codes[0])])
        .await;
    assert_eq!(no_password.status(), StatusCode::UNAUTHORIZED);
    let no_code =
        app.post_form_with(&client, "/account/2fa/disable", &[("password", PASSWORD), ("code", "000000")]).await;
    assert_eq!(no_code.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get_with(&client, "/api/me").await.json::<Value>().await.unwrap()["two_factor"], true);

    let off = app
        .post_form_with(
            &client,
            "/account/2fa/disable",
            &[("password", PASSWORD), ("code", &code(&enrolled.secret, 1))],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    app.mail.latest_with_subject("max@example.com", "Two-step login is off").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM recovery_codes").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM totp_secrets").await, 0);
    let login = app.login_with(&browser(), "max@example.com", PASSWORD).await;
    assert_eq!(location(&login), "/account", "one step again");
}

#[tokio::test]
async fn programs_get_mfa_required_then_succeed_with_otp_and_tokens_say_which_factors() {
    let app = spawn_app().await;
    let plain = app.signed_in("nia@example.com").await;
    drop(plain);
    let one_step: Value =
        token_grant(&app, json!({"email": "nia@example.com", "password": PASSWORD})).await.json().await.unwrap();
    assert_eq!(claims(one_step["access_token"].as_str().unwrap())["amr"], json!(["pwd"]));

    let (enrolled, client) = user_with_two_factor(&app, "oz@example.com").await;
    let needs = token_grant(&app, json!({"email": "oz@example.com", "password": PASSWORD})).await;
    assert_eq!(needs.status(), StatusCode::UNAUTHORIZED);
    assert!(needs.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/problem+json"));
    let problem: Value = needs.json().await.unwrap();
    assert!(problem["type"].as_str().unwrap().ends_with("mfa-required"), "{problem}");

    let wrong = token_grant(&app, json!({"email": "oz@example.com", "password": PASSWORD, "otp": "000000"})).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong_password =
        token_grant(&app, json!({"email": "oz@example.com", "password": "nope", "otp": code(&enrolled.secret, 1)}))
            .await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);

    let granted =
        token_grant(&app, json!({"email": "oz@example.com", "password": PASSWORD, "otp": code(&enrolled.secret, 1)}))
            .await;
    assert_eq!(granted.status(), StatusCode::OK);
    let tokens: Value = granted.json().await.unwrap();
    assert_eq!(claims(tokens["access_token"].as_str().unwrap())["amr"], json!(["pwd", "otp"]));
    let refreshed: Value =
        token_grant(&app, json!({"refresh_token": tokens["refresh_token"]})).await.json().await.unwrap();
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["amr"],
        json!(["pwd", "otp"]),
        "refreshing keeps them"
    );
    let bearer = format!("Bearer {}", refreshed["access_token"].as_str().unwrap());
    let me = app.client.get(app.url("/api/me")).header(header::AUTHORIZATION, bearer).send().await.unwrap();
    assert_eq!(me.json::<Value>().await.unwrap()["two_factor"], true);

    // HTTP Basic has no place for a code: refused. An API token made before keeps working.
    let created = app
        .post_form_with(
            &client,
            "/account/tokens",
            &[("name", "ci"), ("scope", "read"), ("expires_in_days", "30"), ("password", PASSWORD)],
        )
        .await;
    let page = created.text().await.unwrap();
    let api_token = page.split("<code class=\"token\"").nth(1).unwrap().split('>').nth(1).unwrap();
    let api_token = api_token.split('<').next().unwrap().to_owned();
    let basic = app.client.get(app.url("/api/me")).basic_auth("oz@example.com", Some(PASSWORD)).send().await.unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    let with_token = app
        .client
        .get(app.url("/api/me"))
        .header(header::AUTHORIZATION, format!("Bearer {api_token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_password_reset_by_email_leaves_the_second_step_in_place() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "pia@example.com").await;
    app.post_form("/forgot-password", &[("email", "pia@example.com")]).await;
    let prefix = format!("{}/reset-password?token=", app.base_url);
    let mails = app.mail.wait_for_matching("pia@example.com", 1, |mail| mail.text.contains(&prefix)).await;
    let token = crate::helpers::token_of(&mails.last().unwrap().link(&prefix));
    let new_password = "a brand new passphrase here";
    let reset = app.post_form("/reset-password", &[("token", &token), ("password", new_password)]).await;
    assert!(reset.status().is_success() || reset.status().is_redirection(), "{}", reset.status());

    let client = browser();
    let login = app.login_with(&client, "pia@example.com", new_password).await;
    assert_eq!(location(&login), "/login/2fa", "the reset did not turn the second step off");
    assert_eq!(second_step(&app, &client, &code(&enrolled.secret, 1)).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_expired_pending_step_and_a_finished_one_go_back_to_login() {
    let app = spawn_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "quin@example.com").await;
    let client = pending(&app, "quin@example.com").await;
    // Five minutes pass (the pending state's start, moved back in the stored session).
    let moved_back = if app.database.is_postgres() {
        "UPDATE sessions SET data = jsonb_set(data::jsonb, '{second_step,started_at}', '0')::text WHERE data LIKE '%second_step%'"
    } else {
        "UPDATE sessions SET data = json_set(data, '$.second_step.started_at', 0) WHERE data LIKE '%second_step%'"
    };
    app.execute(moved_back).await;
    let expired = second_step(&app, &client, &code(&enrolled.secret, 1)).await;
    assert_eq!(expired.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&expired), "/login");
    assert_eq!(location(&app.get_with(&client, "/login/2fa").await), "/login");

    // A second tab that finishes a pending step the first tab finished: already signed in.
    let tabs = pending(&app, "quin@example.com").await;
    assert_eq!(second_step(&app, &tabs, &code(&enrolled.secret, 1)).await.status(), StatusCode::SEE_OTHER);
    let second_tab = second_step(&app, &tabs, &code(&enrolled.secret, 1)).await;
    assert_eq!(location(&second_tab), "/account");
    // With no session at all, there is nothing to finish.
    let stranger = second_step(&app, &browser(), "123456").await;
    assert_eq!(location(&stranger), "/login");
}

#[tokio::test]
async fn visitors_are_sent_to_log_in_from_the_two_factor_pages() {
    let app = spawn_app().await;
    assert_eq!(location(&app.get("/account/2fa").await), "/login?next=/account/2fa");
    assert_eq!(location(&app.get("/login/2fa").await), "/login");
}

#[tokio::test]
async fn an_operator_resets_it_for_a_locked_out_user_who_is_told_by_mail() {
    let app = spawn_app().await;
    user_with_two_factor(&app, "sam@example.com").await;
    let base_url = format!("--base-url={}", app.base_url);
    let reset = run(&app, &["user", "reset-2fa", "sam@example.com", &base_url], "");
    assert!(stdout(&reset).contains("turned two-step login off for sam@example.com"));
    let notice = app.mail.latest_with_subject("sam@example.com", "Two-step login was reset").await;
    assert!(notice.text.contains(&format!("{}/forgot-password", app.base_url)), "the link names the site");
    let login = app.login_with(&browser(), "sam@example.com", PASSWORD).await;
    assert_eq!(location(&login), "/account", "one step again");

    fails_with(&run(&app, &["user", "reset-2fa", "sam@example.com"], ""), "two-step login is not on");
    fails_with(&run(&app, &["user", "reset-2fa", "nobody@example.com"], ""), "no user with email");
}

/// `oathtool` (liboath, not ours) makes the codes the server accepts.
#[tokio::test]
#[ignore = "needs oathtool (tests/run installs it)"]
async fn codes_from_oathtool_sign_in() {
    let app = spawn_app().await;
    let client = app.signed_in("ray@example.com").await;
    let secret = secret_of(&otpauth_uri(&setup_page(&app, &client).await));
    let oathtool = |offset: &str| {
        let output = std::process::Command::new("oathtool")
            .args(["--totp", "--base32", "--window=0", &format!("--now={offset}"), &secret])
            .output()
            .expect("oathtool is installed");
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    let confirmed = app.post_form_with(&client, "/account/2fa/totp/confirm", &[("code", &oathtool("now"))]).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let login = pending(&app, "ray@example.com").await;
    assert_eq!(second_step(&app, &login, &oathtool("30 seconds")).await.status(), StatusCode::SEE_OTHER);
}
