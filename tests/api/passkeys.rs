//! Passkeys, black-box: registered from the account page and used to sign in without a
//! password or as the second step, with a software authenticator (helpers/authenticator.rs)
//! that answers the options the server sent, and can be made to answer wrongly.

use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::forward_auth::rules;
use crate::helpers::authenticator::{Authenticator, b64};
use crate::helpers::{PASSWORD, TestApp, browser, spawn_app, spawn_app_on_localhost_with};
use crate::two_factor::{pending, user_with_two_factor};

async fn passkey_app() -> TestApp {
    spawn_app_on_localhost_with(|_| {}).await
}

async fn call(app: &TestApp, client: &Client, path: &str, body: &Value) -> reqwest::Response {
    client.post(app.url(path)).json(body).send().await.unwrap()
}

async fn options(app: &TestApp, client: &Client, path: &str) -> Value {
    let response = call(app, client, path, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

/// Registers a new passkey on the signed-in `client`; the authenticator holds it.
pub(crate) async fn register(app: &TestApp, client: &Client, name: &str) -> Authenticator {
    let mut authenticator = Authenticator::new(&app.base_url);
    let answer = authenticator.register(&options(app, client, "/account/passkeys/register/start").await);
    let finished = call(app, client, "/account/passkeys/register/finish", &with(answer, json!({"name": name}))).await;
    assert_eq!(finished.status(), StatusCode::CREATED);
    authenticator
}

/// `answer` with `extra`'s fields added, as the page's script sends it.
fn with(mut answer: Value, extra: Value) -> Value {
    answer.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    answer
}

/// Signs in with `authenticator` on a new browser; the answer and the browser.
pub(crate) async fn passkey_sign_in(app: &TestApp, authenticator: &mut Authenticator) -> (reqwest::Response, Client) {
    let client = browser();
    let answer = authenticator.sign_in(&options(app, &client, "/login/passkey/start").await);
    (call(app, &client, "/login/passkey/finish", &answer).await, client)
}

async fn is_signed_in(app: &TestApp, client: &Client) -> bool {
    app.get_with(client, "/account").await.status() == StatusCode::OK
}

async fn problem_type(response: reqwest::Response) -> String {
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/problem+json");
    response.json::<Value>().await.unwrap()["type"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_passkey_added_on_the_account_page_signs_in_with_no_email_and_no_password() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;

    let created = options(&app, &client, "/account/passkeys/register/start").await;
    let selection = &created["publicKey"]["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "required");
    assert_eq!(selection["userVerification"], "required");
    assert_eq!(created["publicKey"]["rp"]["id"], "localhost");
    let mut authenticator = Authenticator::new(&app.base_url);
    let answer = authenticator.register(&created);
    let body = with(answer, json!({"name": "Laptop"}));
    let finished = call(&app, &client, "/account/passkeys/register/finish", &body).await;
    assert_eq!(finished.status(), StatusCode::CREATED);
    let page = app.get_with(&client, "/account/passkeys").await.text().await.unwrap();
    assert!(page.contains("<strong>Laptop</strong>") && page.contains("never used"), "{page}");
    let notice = app.mail.latest_with_subject("ada@example.com", "A passkey was added to your account").await;
    assert!(notice.text.contains("\"Laptop\""), "{}", notice.text);

    let visitor = browser();
    let asked = options(&app, &visitor, "/login/passkey/start").await;
    assert_eq!(asked["publicKey"]["allowCredentials"], json!([]), "the authenticator offers what it holds");
    assert_eq!(asked["publicKey"]["userVerification"], "required");
    let answer = authenticator.sign_in(&asked);
    let body = with(answer, json!({"next": "/account/sessions"}));
    let signed_in = call(&app, &visitor, "/login/passkey/finish", &body).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert!(signed_in.headers().get(header::SET_COOKIE).is_some(), "a new session cookie");
    assert_eq!(signed_in.json::<Value>().await.unwrap()["redirect"], "/account/sessions");
    assert!(is_signed_in(&app, &visitor).await);
    let page = app.get_with(&client, "/account/passkeys").await.text().await.unwrap();
    assert!(page.contains("last used"), "{page}");
}

#[tokio::test]
async fn a_passkey_sign_in_counts_as_two_factors() {
    let app = spawn_app_on_localhost_with(|config| {
        config.access_rules = rules(crate::forward_auth::RULES);
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let client = app.signed_in("ada@example.com").await;
    let mut authenticator = register(&app, &client, "Phone").await;
    let ask = |client: &Client| {
        client.get(app.url("/auth/request")).header("x-original-url", "https://wiki.secure.example.com/").send()
    };
    assert_eq!(ask(&client).await.unwrap().status(), StatusCode::FORBIDDEN, "a password alone is one factor");

    let (signed_in, passkey_browser) = passkey_sign_in(&app, &mut authenticator).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(ask(&passkey_browser).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_passkey_can_be_the_second_step_instead_of_a_code() {
    let app = passkey_app().await;
    let (_, client) = user_with_two_factor(&app, "ada@example.com").await;
    let mut authenticator = register(&app, &client, "Key").await;

    let waiting = pending(&app, "ada@example.com").await;
    let page = app.get_with(&waiting, "/login/2fa").await.text().await.unwrap();
    assert!(page.contains("Use a passkey instead"), "{page}");
    let asked = options(&app, &waiting, "/login/2fa/passkey/start").await;
    let allowed = asked["publicKey"]["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1);
    assert_eq!(allowed[0]["id"], b64(&authenticator.credential_id));
    let finished = call(&app, &waiting, "/login/2fa/passkey/finish", &authenticator.sign_in(&asked)).await;
    assert_eq!(finished.status(), StatusCode::OK);
    assert_eq!(finished.json::<Value>().await.unwrap()["redirect"], "/account");
    assert!(is_signed_in(&app, &waiting).await);

    // Without a password first there is no second step to take.
    let stranger = browser();
    let refused = call(&app, &stranger, "/login/2fa/passkey/start", &json!({})).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_answer_to_another_challenge_is_refused() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let mut authenticator = register(&app, &client, "Laptop").await;

    let visitor = browser();
    let asked = options(&app, &visitor, "/login/passkey/start").await;
    let answer = authenticator.answer(&b64(b"a challenge this server never sent"), &asked);
    let refused = call(&app, &visitor, "/login/passkey/finish", &answer).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(problem_type(refused).await, "/problems/invalid-credentials");
    assert!(!is_signed_in(&app, &visitor).await);
}

/// What a phishing site or a forger can make an authenticator send: another origin in the
/// client data, a signature for another relying party, the other ceremony's type, or a
/// signature by another key. Each is refused, at sign-in and at registration.
#[tokio::test]
async fn a_phished_or_forged_answer_is_refused() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let honest = register(&app, &client, "Laptop").await;
    type Tamper = fn(&mut Authenticator);
    let tampering: [(&str, Tamper); 4] = [
        ("another origin", |a| a.origin = "https://gatehouse.example.evil".into()),
        ("another relying party", |a| a.rp_id = Some("example.evil".into())),
        ("the other ceremony", |a| a.ceremony = Some("webauthn.create")),
        ("another key", |a| a.forger = Some(Authenticator::other_key())),
    ];
    for (what, tamper) in tampering {
        let mut authenticator = honest.clone();
        tamper(&mut authenticator);
        let (refused, visitor) = passkey_sign_in(&app, &mut authenticator).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "sign-in with {what}");
        assert!(!is_signed_in(&app, &visitor).await, "{what}");
    }
    // The honest one still signs in: each refusal was for its own reason.
    let (signed_in, _) = passkey_sign_in(&app, &mut honest.clone()).await;
    assert_eq!(signed_in.status(), StatusCode::OK);

    let tampering: [(&str, Tamper); 3] =
        [tampering[0], tampering[1], ("the other ceremony", |a| a.ceremony = Some("webauthn.get"))];
    for (what, tamper) in tampering {
        let mut phished = Authenticator::new(&app.base_url);
        tamper(&mut phished);
        let answer = phished.register(&options(&app, &client, "/account/passkeys/register/start").await);
        let refused =
            call(&app, &client, "/account/passkeys/register/finish", &with(answer, json!({"name": "x"}))).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "registration with {what}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 1, "only the honest passkey");
}

#[tokio::test]
async fn an_authenticator_that_skips_user_verification_is_refused() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;

    let mut careless = Authenticator::new(&app.base_url);
    careless.verifies_user = false;
    let answer = careless.register(&options(&app, &client, "/account/passkeys/register/start").await);
    let refused = call(&app, &client, "/account/passkeys/register/finish", &answer).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "registration needs user verification too");

    let mut authenticator = register(&app, &client, "Laptop").await;
    authenticator.verifies_user = false;
    let (refused, visitor) = passkey_sign_in(&app, &mut authenticator).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(!is_signed_in(&app, &visitor).await);
}

#[tokio::test]
async fn a_replayed_answer_is_refused() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let mut authenticator = register(&app, &client, "Laptop").await;

    let visitor = browser();
    let answer = authenticator.sign_in(&options(&app, &visitor, "/login/passkey/start").await);
    assert_eq!(call(&app, &visitor, "/login/passkey/finish", &answer).await.status(), StatusCode::OK);

    let attacker = browser();
    let _ = options(&app, &attacker, "/login/passkey/start").await;
    let replayed = call(&app, &attacker, "/login/passkey/finish", &answer).await;
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED, "its challenge was answered already");
    let again = call(&app, &visitor, "/login/passkey/finish", &answer).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "each challenge is answered at most once");
    assert!(!is_signed_in(&app, &attacker).await);
}

#[tokio::test]
async fn a_counter_that_goes_backwards_is_refused() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let mut authenticator = register(&app, &client, "Laptop").await;
    authenticator.counter = 10;
    assert_eq!(passkey_sign_in(&app, &mut authenticator).await.0.status(), StatusCode::OK);

    // A clone of the key, behind the original's count.
    authenticator.counter = 5;
    let (refused, visitor) = passkey_sign_in(&app, &mut authenticator).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(!is_signed_in(&app, &visitor).await);
}

#[tokio::test]
async fn deleting_a_passkey_asks_for_a_recent_sign_in_and_it_no_longer_signs_in() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let mut authenticator = register(&app, &client, "Old phone").await;
    let id = app.scalar("SELECT id FROM passkeys").await.to_string();

    app.age_sign_ins().await;
    let asked = app.post_form_with(&client, "/account/passkeys/delete", &[("id", &id)]).await;
    assert_eq!(asked.status(), StatusCode::UNAUTHORIZED);
    assert!(asked.text().await.unwrap().contains("confirm_password"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 1, "nothing deleted yet");
    let fields = [("id", id.as_str()), ("confirm_password", PASSWORD)];
    let deleted = app.post_form_with(&client, "/account/passkeys/delete", &fields).await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 0);
    app.mail.latest_with_subject("ada@example.com", "A passkey was deleted from your account").await;

    let (refused, visitor) = passkey_sign_in(&app, &mut authenticator).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(!is_signed_in(&app, &visitor).await);
}

#[tokio::test]
async fn the_only_passkey_of_an_account_without_a_password_cannot_be_deleted() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let _phone = register(&app, &client, "Phone").await;
    let id = app.scalar("SELECT id FROM passkeys").await.to_string();
    // As an account made by a sign-in provider, then unlinked: no password, no link.
    app.execute("UPDATE users SET password_hash = ''").await;

    let refused = app.post_form_with(&client, "/account/passkeys/delete", &[("id", &id)]).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("the only way into your account"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 1, "the last way in stays");

    let _laptop = register(&app, &client, "Laptop").await;
    let deleted = app.post_form_with(&client, "/account/passkeys/delete", &[("id", &id)]).await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER, "with another passkey it may go");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 1);
}

#[tokio::test]
async fn two_racing_deletes_cannot_remove_both_passkeys_of_an_account_without_a_password() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let _phone = register(&app, &client, "Phone").await;
    let _laptop = register(&app, &client, "Laptop").await;
    app.execute("UPDATE users SET password_hash = ''").await;
    let (phone, laptop) = (
        app.scalar("SELECT MIN(id) FROM passkeys").await.to_string(),
        app.scalar("SELECT MAX(id) FROM passkeys").await.to_string(),
    );

    let (delete_phone, delete_laptop) = ([("id", phone.as_str())], [("id", laptop.as_str())]);
    let (first, second) = tokio::join!(
        app.post_form_with(&client, "/account/passkeys/delete", &delete_phone),
        app.post_form_with(&client, "/account/passkeys/delete", &delete_laptop),
    );
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "exactly one goes");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 1, "the last way in stays");
}

#[tokio::test]
async fn a_passkey_of_another_account_is_refused() {
    let app = passkey_app().await;
    let (_, ada) = user_with_two_factor(&app, "ada@example.com").await;
    let _ada_key = register(&app, &ada, "Ada's key").await;
    let bob = app.signed_in("bob@example.com").await;
    let mut bob_key = register(&app, &bob, "Bob's key").await;

    // Bob's key as the second step of Ada's login.
    let waiting = pending(&app, "ada@example.com").await;
    let asked = options(&app, &waiting, "/login/2fa/passkey/start").await;
    let refused = call(&app, &waiting, "/login/2fa/passkey/finish", &bob_key.sign_in(&asked)).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(!is_signed_in(&app, &waiting).await);

    // Bob's key claiming to be Ada's account.
    let ada_handle = options(&app, &ada, "/account/passkeys/register/start").await["publicKey"]["user"]["id"].clone();
    let visitor = browser();
    let mut answer = bob_key.sign_in(&options(&app, &visitor, "/login/passkey/start").await);
    answer["response"]["userHandle"] = ada_handle;
    assert_eq!(call(&app, &visitor, "/login/passkey/finish", &answer).await.status(), StatusCode::UNAUTHORIZED);

    // And a credential cannot be registered to a second account.
    let mut copy = Authenticator::new(&app.base_url);
    copy.credential_id = bob_key.credential_id.clone();
    let answer = copy.register(&options(&app, &ada, "/account/passkeys/register/start").await);
    let refused = call(&app, &ada, "/account/passkeys/register/finish", &answer).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn adding_a_passkey_needs_a_recent_sign_in_and_a_call_from_this_site() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    let cross_site = client
        .post(app.url("/account/passkeys/register/start"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);

    app.age_sign_ins().await;
    let stale = call(&app, &client, "/account/passkeys/register/start", &json!({})).await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    let page = app.get_with(&client, "/account/passkeys").await.text().await.unwrap();
    assert!(page.contains("Confirm your password"), "{page}");
    let confirmed = app.post_form_with(&client, "/account/passkeys/confirm", &[("confirm_password", PASSWORD)]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(call(&app, &client, "/account/passkeys/register/start", &json!({})).await.status(), StatusCode::OK);

    let visitor = browser();
    let signed_out = call(&app, &visitor, "/account/passkeys/register/start", &json!({})).await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_the_pages_with_passkeys_may_run_a_script_and_only_the_one_file() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    for path in ["/login", "/account/passkeys"] {
        let response = app.get_with(&client, path).await;
        let policy = response.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "{path}: {policy}");
        let page = response.text().await.unwrap();
        assert!(page.contains(r#"<script src="/assets/passkeys.js" defer></script>"#), "{path}");
        assert_eq!(page.matches("<script").count(), 1, "{path}: no inline script");
    }
    let elsewhere = app.get_with(&client, "/account").await;
    let policy = elsewhere.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(!policy.contains("script-src"), "{policy}");
    let script = app.get("/assets/passkeys.js").await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
}

#[tokio::test]
async fn a_site_reached_by_an_ip_address_offers_no_passkeys() {
    let app = spawn_app().await;
    let page = app.get("/login").await.text().await.unwrap();
    assert!(!page.contains("passkey"), "{page}");
    let refused = call(&app, &app.client, "/login/passkey/start", &json!({})).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(problem_type(refused).await, "/problems/not-found");
}

/// A passkey added with no name typed is named after the browser that added it, which the
/// form also offers as its value (no placeholder that looks like one).
#[tokio::test]
async fn a_passkey_with_no_name_is_named_after_the_browser() {
    let app = passkey_app().await;
    app.verified_user("ada@example.com").await;
    let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(chrome)
        .build()
        .unwrap();
    assert_eq!(
        app.login_with(&client, "ada@example.com", crate::helpers::PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let form = app.get_with(&client, "/account/passkeys").await.text().await.unwrap();
    assert!(form.contains(r#"value="Chrome on Linux""#) && !form.contains("placeholder"), "{form}");

    register(&app, &client, "  ").await;
    let page = app.get_with(&client, "/account/passkeys").await.text().await.unwrap();
    assert!(page.contains("<strong>Chrome on Linux</strong>"), "{page}");
}

#[tokio::test]
async fn deleting_a_passkey_asks_first_and_names_it() {
    let app = passkey_app().await;
    let client = app.signed_in("ada@example.com").await;
    register(&app, &client, "Laptop").await;
    let id = app.scalar("SELECT id FROM passkeys").await;
    let list = app.get_with(&client, "/account/passkeys").await.text().await.unwrap();
    assert!(list.contains(&format!(r#"href="/account/passkeys/delete?id={id}""#)), "{list}");
    let asked = app.get_with(&client, &format!("/account/passkeys/delete?id={id}")).await.text().await.unwrap();
    assert!(asked.contains("Delete the passkey “Laptop”?") && asked.contains(r#"action="/account/passkeys/delete""#));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 1, "asking deletes nothing");
    let other = app.get_with(&client, &format!("/account/passkeys/delete?id={}", id + 1)).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let deleted = app.post_form_with(&client, "/account/passkeys/delete", &[("id", &id.to_string())]).await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM passkeys").await, 0);
}
