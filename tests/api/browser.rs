//! One real browser: headless Chromium driven over WebDriver signs up, confirms the
//! address from the mailed link and logs in, with the CSRF cookie, the Origin check and
//! the session cookie all as a person's browser meets them.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{
    PASSWORD, on_a_drawn_port, process, spawn_app, spawn_app_on_localhost_with, spawn_app_with, totp,
};

/// ChromeDriver and, should a failed test leave it behind, the Chromium it started.
struct Driver {
    process: Child,
    profile: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        // Chromium outlives a killed ChromeDriver; its unique profile directory finds it.
        let _ = Command::new("pkill").arg("-f").arg(format!("user-data-dir={}", self.profile)).status();
    }
}

async fn start_browser(profile: &std::path::Path) -> (Driver, Client) {
    start_browser_speaking(profile, "en-US").await
}

/// A browser whose user prefers `language` (its `Accept-Language`).
async fn start_browser_speaking(profile: &std::path::Path, language: &str) -> (Driver, Client) {
    on_a_drawn_port(|port| start_browser_on(port, profile, language)).await
}

/// `None` if ChromeDriver exits at start, as it does when `port` is taken.
async fn start_browser_on(port: u16, profile: &std::path::Path, language: &str) -> Option<(Driver, Client)> {
    let process = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (apt-get install chromium chromium-driver; tests/run does it)");
    let mut driver = Driver { process, profile: profile.display().to_string() };
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                format!("--user-data-dir={}", profile.display()),
                format!("--lang={language}"),
            ],
            "prefs": { "intl.accept_languages": language },
        }),
    );
    let address = format!("http://127.0.0.1:{port}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut failed = None;
    loop {
        if matches!(driver.process.try_wait(), Ok(Some(_))) {
            return None;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("cannot start chromium: {failed:?}");
        }
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(capabilities.clone());
        // Bounded, but long enough for a slow Chromium start (cut short, it would leave a
        // Chromium on the profile): whatever else holds the port may never answer.
        match tokio::time::timeout(Duration::from_secs(30), builder.connect(&address)).await {
            Ok(Ok(client)) => return Some((driver, client)),
            attempt => failed = Some(attempt.map(|connected| connected.err())),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Sizes the window so that the page's viewport is `width` x `height` CSS pixels. The
/// browser chrome's size is learnt from the first resize; headless Chromium sometimes
/// reports the viewport before a resize has settled, so it is measured again a few times.
async fn set_viewport(browser: &Client, width: u32, height: u32) {
    let viewport = || async {
        let inner = browser.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.unwrap();
        (inner[0].as_u64().unwrap() as u32, inner[1].as_u64().unwrap() as u32)
    };
    let (mut window_width, mut window_height) = (width, height);
    for _ in 0..5 {
        browser.set_window_size(window_width, window_height).await.unwrap();
        let (inner_width, inner_height) = viewport().await;
        if (inner_width, inner_height) == (width, height) {
            return;
        }
        window_width = window_width + width - inner_width;
        window_height = window_height + height - inner_height;
    }
    assert_eq!(viewport().await, (width, height), "the viewport is the size asked for");
}

/// Types `value` into the field, in place of what it held (a suggested name, say).
async fn fill(browser: &Client, field: &str, value: &str) {
    let element = browser.find(Locator::Id(field)).await.unwrap();
    element.clear().await.unwrap();
    element.send_keys(value).await.unwrap();
}

async fn press(browser: &Client, label: &str) {
    browser
        .find(Locator::XPath(&format!("//button[normalize-space()='{label}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn wait_for_path(browser: &Client, path: &str) {
    for _ in 0..100 {
        if browser.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("browser did not reach {path}, it is at {}", browser.current_url().await.unwrap());
}

async fn wait_for_query(browser: &Client, query: &str) {
    for _ in 0..100 {
        if browser.current_url().await.unwrap().query() == Some(query) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("browser never reached ?{query}, it is at {}", browser.current_url().await.unwrap());
}

/// Waits for the page (after a form submission, perhaps still loading) to show `text`.
async fn wait_for_text(browser: &Client, text: &str) {
    for _ in 0..100 {
        if browser.source().await.is_ok_and(|page| page.contains(text)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page never showed {text:?}: {}", browser.source().await.unwrap_or_default());
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver: tests/run installs them and runs it"]
async fn a_person_signs_up_confirms_and_logs_in_with_a_real_browser() {
    let app = spawn_app().await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;

    browser.goto(&app.url("/")).await.unwrap();
    browser.find(Locator::LinkText("Sign up")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, "/register").await;
    fill(&browser, "email", "grace@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Sign up").await;
    wait_for_path(&browser, "/check-email").await;

    let link = app.verification_link("grace@example.com").await;
    browser.goto(&link).await.unwrap();
    assert!(browser.source().await.unwrap().contains("grace@example.com"));
    press(&browser, "Confirm").await;
    wait_for_text(&browser, "Your email address is confirmed").await;

    browser.goto(&app.url("/account")).await.unwrap();
    wait_for_path(&browser, "/login").await;
    fill(&browser, "email", "grace@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_path(&browser, "/account").await;
    let page = browser.source().await.unwrap();
    assert!(page.contains("grace@example.com") && page.contains("verified"));

    // A new API token is in view when the page comes back, on a laptop and on a phone.
    for (width, height) in [(1280, 800), (390, 844)] {
        set_viewport(&browser, width, height).await;
        browser.goto(&app.url("/account/tokens")).await.unwrap();
        fill(&browser, "token_name", &format!("script {width}")).await;
        fill(&browser, "token_password", PASSWORD).await;
        press(&browser, "Create token").await;
        wait_for_text(&browser, "Your new token").await;
        let token = browser.find(Locator::Css("code.token")).await.unwrap();
        assert_eq!(in_view(&browser, &token).await, json!(true), "the new token is visible at {width}x{height}");
        let secret = token.text().await.unwrap();
        let download = browser.find(Locator::LinkText("Download")).await.unwrap();
        assert!(download.attr("href").await.unwrap().unwrap().contains(&secret), "the download holds the token");
        let copy = browser.find(Locator::XPath("//button[normalize-space()='Copy']")).await.unwrap();
        assert!(copy.is_displayed().await.unwrap(), "Copy is shown once the script runs");
    }
    browser.goto(&app.url("/account")).await.unwrap();

    press(&browser, "Log out").await;
    wait_for_path(&browser, "/").await;
    assert!(browser.source().await.unwrap().contains("href=\"/register\""));

    // Back after logout asks the server again (nothing was stored), which sends it to log in.
    browser.back().await.unwrap();
    wait_for_path(&browser, "/login").await;
    assert!(!browser.source().await.unwrap().contains("grace@example.com"), "no account data from the cache");
    browser.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver: tests/run installs them and runs it"]
async fn a_person_turns_on_two_step_login_and_signs_in_with_a_code_in_a_real_browser() {
    let app = spawn_app().await;
    app.verified_user("hopper@example.com").await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;
    browser.goto(&app.url("/login")).await.unwrap();
    fill(&browser, "email", "hopper@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_path(&browser, "/account").await;

    // Enrolment on a phone-sized screen: the QR code and then the codes must be in view.
    set_viewport(&browser, 390, 844).await;
    browser.goto(&app.url("/account/2fa")).await.unwrap();
    fill(&browser, "setup_password", PASSWORD).await;
    press(&browser, "Set up an authenticator app").await;
    wait_for_text(&browser, "Scan this with your authenticator app").await;
    let qr = browser.find(Locator::Css(".qr svg")).await.unwrap();
    assert_eq!(in_view(&browser, &qr).await, json!(true), "the QR code shows where the user is looking");
    let secret = browser.find(Locator::Css("#setup code.token")).await.unwrap().text().await.unwrap();
    fill(&browser, "confirm_code", &totp::code(&secret, 0)).await;
    press(&browser, "Turn on two-step login").await;
    wait_for_text(&browser, "Your recovery codes").await;
    let codes = browser.find_all(Locator::Css("ol.codes code")).await.unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(in_view(&browser, &codes[0]).await, json!(true), "the codes are at the top of the page");
    // Download works without script: the codes are in the link itself.
    let first = codes[0].text().await.unwrap();
    let download = browser.find(Locator::LinkText("Download")).await.unwrap();
    assert_eq!(download.attr("download").await.unwrap().as_deref(), Some("gatehouse-recovery-codes.txt"));
    let href = download.attr("href").await.unwrap().unwrap();
    assert!(href.starts_with("data:text/plain") && href.contains(&first), "{href}");
    // Copy and Print are there once the page's script runs (the page's policy lets it).
    for label in ["Copy", "Print"] {
        let button = browser.find(Locator::XPath(&format!("//button[normalize-space()='{label}']"))).await.unwrap();
        assert!(button.is_displayed().await.unwrap(), "{label} is shown");
    }
    press(&browser, "Copy").await;
    wait_for_text(&browser, "Cop").await;
    let copy_said = browser.find(Locator::Css("[data-copy]")).await.unwrap().text().await.unwrap();
    assert_ne!(copy_said, "Copy", "the click did something");
    let page = browser.source().await.unwrap();
    assert!(page.contains(r#"<span class="badge ok">On</span>"#), "the page says it is on: {page}");
    assert!(!page.contains("Off</span>") && !page.contains("Set up an authenticator app"), "and nothing else: {page}");

    // Every signed-in page has "Log out" in its header.
    set_viewport(&browser, 1280, 800).await;
    press(&browser, "Log out").await;
    wait_for_path(&browser, "/").await;
    browser.goto(&app.url("/login")).await.unwrap();
    fill(&browser, "email", "hopper@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_path(&browser, "/login/2fa").await;
    let field = browser.find(Locator::Id("code")).await.unwrap();
    assert_eq!(field.attr("inputmode").await.unwrap().as_deref(), Some("numeric"), "a phone shows digits");
    assert_eq!(field.attr("autocomplete").await.unwrap().as_deref(), Some("one-time-code"));
    fill(&browser, "code", &totp::code(&secret, 1)).await;
    press(&browser, "Continue").await;
    wait_for_path(&browser, "/account").await;
    assert!(browser.source().await.unwrap().contains("hopper@example.com"));
    browser.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver: tests/run installs them and runs it"]
async fn an_admin_finds_a_user_and_acts_on_the_account_in_a_real_browser() {
    let app = spawn_app().await;
    app.verified_user("root@example.com").await;
    app.verified_user("grace.hopper@navy.example").await;
    assert!(
        process::stdout(&process::run(&app, &["user", "grant", "root@example.com", "admin"], "")).contains("granted")
    );
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;
    set_viewport(&browser, 390, 844).await;

    // The admin area sends a visitor to log in, and back to it afterwards.
    browser.goto(&app.url("/admin")).await.unwrap();
    wait_for_path(&browser, "/login").await;
    fill(&browser, "email", "root@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_path(&browser, "/admin").await;

    // The list before the search already shows every account: wait for the search's own page.
    fill(&browser, "q", "HOPPER").await;
    press(&browser, "Search").await;
    wait_for_query(&browser, "q=HOPPER").await;
    wait_for_text(&browser, "grace.hopper@navy.example").await;
    browser.find(Locator::LinkText("grace.hopper@navy.example")).await.unwrap().click().await.unwrap();
    wait_for_text(&browser, "Grant a role").await;

    // A refused role name: the message is beside the field, in view on a phone.
    fill(&browser, "role", "Not A Role").await;
    press(&browser, "Grant").await;
    wait_for_text(&browser, "A role name is 1 to 32 characters").await;
    let error = browser.find(Locator::Id("role-error")).await.unwrap();
    assert_eq!(in_view(&browser, &error).await, json!(true), "the message shows where the admin is looking");

    let role = browser.find(Locator::Id("role")).await.unwrap();
    role.clear().await.unwrap();
    role.send_keys("editors").await.unwrap();
    press(&browser, "Grant").await;
    wait_for_text(&browser, "The role was granted.").await;
    let notice = browser.find(Locator::Css(".notice")).await.unwrap();
    assert_eq!(in_view(&browser, &notice).await, json!(true), "the result is at the top");

    // One click does not disable: a page asks first, and Cancel goes back unchanged.
    browser.find(Locator::LinkText("Disable the account")).await.unwrap().click().await.unwrap();
    wait_for_text(&browser, "The account is signed out everywhere at once and cannot sign in").await;
    browser.find(Locator::LinkText("Cancel")).await.unwrap().click().await.unwrap();
    wait_for_text(&browser, "Disable the account").await;
    assert!(!browser.source().await.unwrap().contains("badge warn\">disabled"), "still enabled");
    browser.find(Locator::LinkText("Disable the account")).await.unwrap().click().await.unwrap();
    press(&browser, "Disable the account").await;
    wait_for_text(&browser, "The account is disabled and signed out everywhere.").await;
    browser.find(Locator::LinkText("Security log")).await.unwrap().click().await.unwrap();
    wait_for_path(&browser, "/admin/events").await;
    let log = browser.source().await.unwrap();
    assert!(log.contains("Account disabled by an administrator") && log.contains("by root@example.com"));
    assert!(log.contains("Role granted: <strong>editors</strong>"));
    browser.close().await.unwrap();
}

/// Whether `element` is on screen, top to bottom.
async fn in_view(browser: &Client, element: &fantoccini::elements::Element) -> serde_json::Value {
    browser
        .execute(
            "const box = arguments[0].getBoundingClientRect(); \
             return box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0;",
            vec![serde_json::to_value(element).unwrap()],
        )
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Chromium, ChromeDriver and Caddy: tests/run installs them and runs it"]
async fn a_browser_sent_to_log_in_by_the_proxy_comes_back_to_the_app_page() {
    use crate::proxies::{Kind, Site};
    let site = Site::start(Kind::Caddy, true).await;
    site.gatehouse.verified_user("ada@example.com").await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;

    // Chromium finds *.localhost on loopback by itself.
    let page = site.app("/notes?a=1&b=2");
    browser.goto(&page).await.unwrap();
    wait_for_path(&browser, "/login").await;
    wait_for_text(&browser, "Log in to continue to app.gatehouse.localhost").await;
    fill(&browser, "email", "ada@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    // The form's answer sends the browser to another origin: a `form-action` that did not
    // allow it would leave the browser on the login page.
    wait_for_path(&browser, "/notes").await;
    assert_eq!(browser.current_url().await.unwrap().as_str(), page);
    wait_for_text(&browser, "ada@example.com").await;
    browser.close().await.unwrap();
}

/// WebDriver's virtual authenticator (WebAuthn §11.3): a CTAP2 authenticator built into
/// Chromium, holding resident keys and verifying its user, who always consents.
#[derive(Debug)]
struct AddVirtualAuthenticator;

impl fantoccini::wd::WebDriverCompatibleCommand for AddVirtualAuthenticator {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/webauthn/authenticator", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let options = json!({
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
            "hasUserVerification": true, "isUserConsenting": true, "isUserVerified": true,
        });
        (axum::http::Method::POST, Some(options.to_string()))
    }
}

/// The credentials a virtual authenticator holds.
#[derive(Debug)]
struct Credentials(String);

impl fantoccini::wd::WebDriverCompatibleCommand for Credentials {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/webauthn/authenticator/{}/credentials", session.unwrap_or_default(), self.0))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (axum::http::Method::GET, None)
    }
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver: tests/run installs them and runs it"]
async fn a_person_adds_a_passkey_and_logs_in_with_it_from_the_autofill_or_the_button_in_a_real_browser() {
    let app = spawn_app_on_localhost_with(|_| {}).await;
    app.verified_user("lovelace@example.com").await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;
    let authenticator = browser.issue_cmd(AddVirtualAuthenticator).await.unwrap();
    let authenticator = authenticator.as_str().expect("the authenticator's id").to_owned();
    let page = |path: &str| format!("{}{path}", app.base_url);

    browser.goto(&page("/login")).await.unwrap();
    fill(&browser, "email", "lovelace@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_path(&browser, "/account").await;

    set_viewport(&browser, 390, 844).await;
    browser.goto(&page("/account/passkeys")).await.unwrap();
    fill(&browser, "passkey_name", "This browser").await;
    press(&browser, "Add a passkey").await;
    wait_for_text(&browser, "The passkey was added").await;
    let notice = browser.find(Locator::Css("p.notice")).await.unwrap();
    assert_eq!(in_view(&browser, &notice).await, json!(true), "the result shows where the user is looking");
    assert!(browser.source().await.unwrap().contains("<strong>This browser</strong>"));
    let held = browser.issue_cmd(Credentials(authenticator)).await.unwrap();
    let held = held.as_array().unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["isResidentCredential"], json!(true), "a discoverable credential: {held:?}");
    assert_eq!(held[0]["rpId"], "localhost");

    set_viewport(&browser, 1280, 800).await;
    browser.goto(&page("/account")).await.unwrap();
    press(&browser, "Log out").await;
    wait_for_path(&browser, "/").await;

    // The login page offers the passkey in the email field's autofill (conditional
    // mediation): the virtual authenticator picks it as a person would, no button pressed.
    browser.goto(&page("/login?next=/account/sessions")).await.unwrap();
    wait_for_path(&browser, "/account/sessions").await;
    assert!(browser.source().await.unwrap().contains("lovelace@example.com"), "signed in, no email typed");
    press(&browser, "Log out").await;
    wait_for_path(&browser, "/").await;

    // A browser without conditional mediation keeps the button, which works as before.
    browser.issue_cmd(WithoutConditionalMediation).await.unwrap();
    browser.goto(&page("/login?next=/account/sessions")).await.unwrap();
    let email = browser.find(Locator::Id("email")).await.unwrap();
    assert_eq!(email.attr("autocomplete").await.unwrap().as_deref(), Some("username webauthn"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(browser.current_url().await.unwrap().path(), "/login", "nothing offered, nothing signed in");
    press(&browser, "Log in with a passkey").await;
    wait_for_path(&browser, "/account/sessions").await;
    assert!(browser.source().await.unwrap().contains("lovelace@example.com"), "signed in, no email typed");
    browser.close().await.unwrap();
}

/// Makes every page of the browser say it has no conditional mediation, as browsers
/// before it did (Chromium's DevTools protocol, through ChromeDriver).
#[derive(Debug)]
struct WithoutConditionalMediation;

impl fantoccini::wd::WebDriverCompatibleCommand for WithoutConditionalMediation {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let script = "PublicKeyCredential.isConditionalMediationAvailable = async () => false;";
        let command = json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": script } });
        (axum::http::Method::POST, Some(command.to_string()))
    }
}

/// A web app that signs its users in through Gatehouse: `/start` sends the browser to
/// authorize (PKCE S256), `/callback` trades the code for tokens on the server side and
/// greets the user the ID token names.
async fn app_that_signs_in_with(gatehouse: &crate::helpers::TestApp) -> String {
    use axum::extract::Query;
    use axum::response::{Html, Redirect};
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use sha2::Digest;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let callback = format!("{origin}/callback");
    let new = gatehouse::oidc::clients::NewClient {
        name: "Notes",
        redirect_uris: std::slice::from_ref(&callback),
        post_logout_redirect_uris: &[],
        public: false,
        skip_consent: false,
        id_token_alg: Default::default(),
        grants: &[],
        scopes: &[],
    };
    let registered = gatehouse::oidc::clients::register(gatehouse.state.store(), new).await.unwrap();
    let verifier = URL_SAFE_NO_PAD.encode([7u8; 32]);
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", registered.client_id.as_str()),
            ("redirect_uri", &callback),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("state", "xyz"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let authorize = gatehouse.url(&format!("/oauth2/authorize?{query}"));
    let token_endpoint = gatehouse.url("/oauth2/token");
    let secret = registered.client_secret.unwrap();
    let client_id = registered.client_id;
    let app =
        axum::Router::new().route("/start", axum::routing::get(move || async move { Redirect::to(&authorize) })).route(
            "/callback",
            axum::routing::get(move |Query(params): Query<std::collections::HashMap<String, String>>| async move {
                let form = [
                    ("grant_type", "authorization_code"),
                    ("code", params.get("code").map(String::as_str).unwrap_or_default()),
                    ("redirect_uri", &callback),
                    ("code_verifier", &verifier),
                ];
                let tokens: serde_json::Value = reqwest::Client::new()
                    .post(&token_endpoint)
                    .basic_auth(&client_id, Some(&secret))
                    .form(&form)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let id_token = tokens["id_token"].as_str().unwrap_or_default();
                let payload = id_token.split('.').nth(1).unwrap_or_default();
                let claims: serde_json::Value =
                    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap_or_default()).unwrap_or_default();
                Html(format!("<h1>Notes: signed in as {}</h1>", claims["email"].as_str().unwrap_or("nobody")))
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    origin
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver: tests/run installs them and runs it"]
async fn a_person_signs_in_to_another_app_through_gatehouse_in_a_real_browser() {
    let app = spawn_app().await;
    app.verified_user("noether@example.com").await;
    let notes = app_that_signs_in_with(&app).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;

    browser.goto(&format!("{notes}/start")).await.unwrap();
    wait_for_path(&browser, "/login").await;
    fill(&browser, "email", "noether@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_text(&browser, "Allow Notes to use your Gatehouse account?").await;
    press(&browser, "Allow").await;
    wait_for_text(&browser, "Notes: signed in as noether@example.com").await;
    assert!(browser.current_url().await.unwrap().as_str().starts_with(&notes), "the consent form's answer left");

    // Allowed before: the login form itself now leads straight back to the app.
    browser.goto(&app.url("/account")).await.unwrap();
    press(&browser, "Log out").await;
    wait_for_path(&browser, "/").await;
    browser.goto(&format!("{notes}/start")).await.unwrap();
    wait_for_path(&browser, "/login").await;
    fill(&browser, "email", "noether@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_text(&browser, "Notes: signed in as noether@example.com").await;
    browser.close().await.unwrap();
}

/// A single-page app with no server side, built on oidc-client-ts (a library we did not
/// write): its page is served from its own origin, so every call it makes to Gatehouse
/// (discovery, JWKS, token, userinfo, revoke) crosses origins. Registered as a public
/// client, with a post-logout page.
async fn single_page_app(gatehouse: &crate::helpers::TestApp) -> String {
    use axum::response::Html;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let (callback, bye) = (format!("{origin}/callback"), format!("{origin}/bye"));
    let new = gatehouse::oidc::clients::NewClient {
        name: "Sketches",
        redirect_uris: std::slice::from_ref(&callback),
        post_logout_redirect_uris: std::slice::from_ref(&bye),
        public: true,
        skip_consent: false,
        id_token_alg: Default::default(),
        grants: &[],
        scopes: &[],
    };
    let registered = gatehouse::oidc::clients::register(gatehouse.state.store(), new).await.unwrap();
    let library = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/oidc/node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js"
    ))
    .expect("oidc-client-ts is installed (tests/run: npm ci --prefix tests/oidc)");
    let settings = json!({
        "authority": gatehouse.base_url,
        "client_id": registered.client_id,
        "redirect_uri": callback,
        "post_logout_redirect_uri": bye,
        "scope": "openid email profile",
        "loadUserInfo": true,
    });
    let page = format!(
        r#"<!doctype html><meta charset="utf-8"><title>Sketches</title>
<p id="out">starting</p><button id="logout" hidden>Log out of Sketches</button>
<script src="/oidc-client-ts.js"></script>
<script>
const settings = {settings};
const manager = new oidc.UserManager({{...settings, userStore: new oidc.WebStorageStateStore({{store: localStorage}})}});
const out = document.getElementById("out");
(async () => {{
  try {{
    if (location.pathname === "/callback") {{
      const user = await manager.signinRedirectCallback();
      out.textContent = "signed in as " + user.profile.email + " (userinfo: " + user.profile.preferred_username + ")";
      await manager.revokeTokens(["access_token"]);
      const after = await fetch(settings.authority + "/oauth2/userinfo", {{headers: {{Authorization: "Bearer " + user.access_token}}}});
      out.textContent += "; after revoking, userinfo says " + after.status;
      const button = document.getElementById("logout");
      button.onclick = () => manager.signoutRedirect();
      button.hidden = false;
    }} else if (location.pathname === "/bye") {{
      out.textContent = "signed out of Sketches";
    }} else {{
      await manager.signinRedirect();
    }}
  }} catch (error) {{
    out.textContent = "failed: " + error;
  }}
}})();
</script>"#
    );
    let app = axum::Router::new()
        .route(
            "/oidc-client-ts.js",
            axum::routing::get(move || async move { ([("content-type", "text/javascript")], library) }),
        )
        .fallback(move || async move { Html(page) });
    tokio::spawn(async move { axum::serve(listener, app).await });
    origin
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver (and oidc-client-ts): tests/run installs them and runs it"]
async fn a_single_page_app_signs_in_with_oidc_client_ts_in_a_real_browser() {
    let app = spawn_app().await;
    app.verified_user("noether@example.com").await;
    let sketches = single_page_app(&app).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;

    browser.goto(&sketches).await.unwrap();
    wait_for_path(&browser, "/login").await;
    wait_for_text(&browser, "Log in to continue to Sketches.").await;
    fill(&browser, "email", "noether@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Log in").await;
    wait_for_text(&browser, "Allow Sketches to use your Gatehouse account?").await;
    press(&browser, "Allow").await;
    wait_for_text(&browser, "signed in as noether@example.com (userinfo: noether@example.com)").await;
    wait_for_text(&browser, "after revoking, userinfo says 401").await;

    press(&browser, "Log out of Sketches").await;
    wait_for_text(&browser, "signed out of Sketches").await;
    assert_eq!(browser.current_url().await.unwrap().path(), "/bye");
    browser.goto(&app.url("/account")).await.unwrap();
    wait_for_path(&browser, "/login").await;
    browser.close().await.unwrap();
}

/// Sign-up, the mail, the account pages in the browser's language; the account's choice
/// over it; and an operator's brand on the login page.
#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver: tests/run installs them and runs it"]
async fn a_german_browser_meets_german_pages_and_mail_until_the_account_chooses_french() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("logo.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'><circle cx='4' cy='4' r='4'/></svg>",
    )
    .unwrap();
    let tables: toml::Table =
        "[branding]\nname = \"Acme Konten\"\nlogo = \"logo.svg\"\naccent_color = \"#7a1fa2\"".parse().unwrap();
    let brand = std::sync::Arc::new(gatehouse::branding::Branding::from_toml(&tables, dir.path(), |_| None).unwrap());
    let app = crate::helpers::spawn_app_with(|config| config.branding = brand).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser_speaking(profile.path(), "de").await;

    browser.goto(&app.url("/login")).await.unwrap();
    wait_for_text(&browser, "Anmelden").await;
    let login = browser.source().await.unwrap();
    assert!(login.contains(r#"<html lang="de">"#) && login.contains("Acme Konten"), "{login}");
    assert!(login.contains(r#"src="/assets/brand/logo""#), "the brand's logo");
    let button = browser.find(Locator::Css("main button[type=submit]")).await.unwrap();
    let colour = browser
        .execute("return getComputedStyle(arguments[0]).backgroundColor;", vec![serde_json::to_value(&button).unwrap()])
        .await
        .unwrap();
    assert_eq!(colour, json!("rgb(122, 31, 162)"), "the brand's colour");

    browser.goto(&app.url("/register")).await.unwrap();
    fill(&browser, "email", "grete@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Registrieren").await;
    wait_for_path(&browser, "/check-email").await;
    wait_for_text(&browser, "Prüfen Sie Ihre E-Mails").await;
    let mail = app.mail.wait_for("grete@example.com", 1).await.remove(0);
    assert_eq!(mail.subject, "Acme Konten: Bestätigen Sie Ihre E-Mail-Adresse");
    assert!(mail.html.as_deref().is_some_and(|html| html.contains("#7a1fa2") && html.contains("Hallo,")));
    browser.goto(&mail.link(&format!("{}/verify-email?token=", app.base_url))).await.unwrap();
    press(&browser, "Bestätigen").await;
    wait_for_text(&browser, "Ihre E-Mail-Adresse ist bestätigt").await;

    browser.goto(&app.url("/login")).await.unwrap();
    fill(&browser, "email", "grete@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Anmelden").await;
    wait_for_path(&browser, "/account").await;
    wait_for_text(&browser, "Mitglied seit").await;

    browser.goto(&app.url("/account/profile")).await.unwrap();
    browser.find(Locator::Css("#language option[value=fr]")).await.unwrap().click().await.unwrap();
    press(&browser, "Sprache speichern").await;
    wait_for_text(&browser, "Votre langue est enregistrée.").await;
    browser.goto(&app.url("/account")).await.unwrap();
    wait_for_text(&browser, "Membre depuis le").await;
}

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver: tests/run installs them and runs it"]
async fn an_invited_person_accepts_the_invitation_in_a_real_browser() {
    let app = spawn_app_with(|config| config.signup = gatehouse::domain::SignupMode::Invite).await;
    let base_url = format!("--base-url={}", app.base_url);
    let said = process::run(&app, &["user", "invite", "hopper@example.com", &base_url], "");
    assert!(process::stdout(&said).contains("invited hopper@example.com"));
    let prefix = format!("{}/invitation?token=", app.base_url);
    let mail = app.mail.wait_for_matching("hopper@example.com", 1, |mail| mail.text.contains(&prefix)).await;
    let link = app.reachable(&mail[0].link(&prefix));
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(profile.path()).await;

    set_viewport(&browser, 390, 844).await;
    browser.goto(&link).await.unwrap();
    wait_for_text(&browser, "You are invited to make an account for hopper@example.com").await;
    fill(&browser, "password", PASSWORD).await;
    press(&browser, "Set password and sign in").await;
    wait_for_path(&browser, "/account").await;
    wait_for_text(&browser, "Welcome! Your account is ready").await;
    let notice = browser.find(Locator::Css("p.notice")).await.unwrap();
    assert_eq!(in_view(&browser, &notice).await, json!(true), "the welcome shows where the person is looking");

    browser.goto(&link).await.unwrap();
    wait_for_text(&browser, "This invitation was used already").await;
    browser.close().await.unwrap();
}
