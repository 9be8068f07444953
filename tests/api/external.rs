//! Signing in with another OpenID Connect provider, against a real one on loopback:
//! `tests/oidc/provider.mjs` runs npm's oidc-provider (installed by tests/run), whose
//! development login accepts any name and makes it the account's email. The browser here
//! walks the provider's own forms.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use gatehouse::external::providers::{Protocol, ProviderSettings, TokenAuth};
use reqwest::{Client, StatusCode, header};

use crate::helpers::process::{first_line_with, lines};
use crate::helpers::{PASSWORD, TestApp, browser, on_a_drawn_port, spawn_app_unless_port_taken, unclaimed_port};
use crate::two_factor::{second_step, user_with_two_factor};

const CLIENT_ID: &str = "gatehouse";
const CLIENT_SECRET: &str = "a secret the provider and Gatehouse share";

/// The provider's process, stopped when dropped.
struct ExternalProvider {
    child: Child,
    issuer: String,
    /// Kept read: the provider logs as it goes, and dies of a closed pipe.
    stdout: std::sync::mpsc::Receiver<String>,
    port: u16,
    gatehouse_port: u16,
    mode: String,
}

impl ExternalProvider {
    /// oidc-provider on a port of its own, knowing Gatehouse's callback on `gatehouse_port`.
    async fn start(gatehouse_port: u16, mode: &str) -> Self {
        on_a_drawn_port(|port| async move { Self::start_on(port, gatehouse_port, mode) }).await
    }

    /// `None` if it exits at start, as it does when `port` is taken.
    fn start_on(port: u16, gatehouse_port: u16, mode: &str) -> Option<Self> {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc/provider.mjs");
        let callback = format!("http://127.0.0.1:{gatehouse_port}/login/oidc/corp/callback");
        let mut child = Command::new("node")
            .arg(script)
            .args([&port.to_string(), CLIENT_ID, CLIENT_SECRET, &callback, mode])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .expect("node runs (tests/run installs oidc-provider)");
        let stdout = lines(child.stdout.take().unwrap());
        let issuer = format!("http://127.0.0.1:{port}");
        let provider = Self { child, issuer, stdout, port, gatehouse_port, mode: mode.to_owned() };
        first_line_with(&provider.stdout, "listening")?;
        Some(provider)
    }

    /// The same provider at the same address, restarted: with a new signing key and kid.
    fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        *self = Self::start_on(self.port, self.gatehouse_port, &self.mode.clone()).expect("its port is free again");
    }
}

impl Drop for ExternalProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Gatehouse on `port` with the provider "corp" at `issuer`, once its login page offers it
/// (or, with `reachable` false, says it is unavailable); `None` if the port is taken.
async fn gatehouse_with(port: u16, issuer: &str, reachable: bool) -> Option<TestApp> {
    gatehouse_authenticating(port, issuer, reachable, None).await
}

/// [`gatehouse_with`], authenticating at the token endpoint as `token_auth` says.
async fn gatehouse_authenticating(
    port: u16,
    issuer: &str,
    reachable: bool,
    token_auth: Option<TokenAuth>,
) -> Option<TestApp> {
    gatehouse_configured(port, issuer, reachable, token_auth, |_| {}).await
}

/// [`gatehouse_authenticating`], with other settings changed by `configure`.
async fn gatehouse_configured(
    port: u16,
    issuer: &str,
    reachable: bool,
    token_auth: Option<TokenAuth>,
    configure: impl FnOnce(&mut gatehouse::Config),
) -> Option<TestApp> {
    let settings = ProviderSettings {
        id: "corp".into(),
        name: "Corp SSO".into(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.to_owned().into(),
        protocol: Protocol::OpenIdConnect { issuer: issuer.to_owned(), token_auth },
    };
    let app = spawn_app_unless_port_taken(|config| {
        config.addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        config.sign_in_providers = Arc::new(vec![settings]);
        configure(config);
    })
    .await?;
    let expected = if reachable { "Continue with Corp SSO" } else { "Corp SSO is unavailable right now" };
    for _ in 0..100 {
        if app.get("/login").await.text().await.unwrap().contains(expected) {
            return Some(app);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the login page never said {expected:?}");
}

/// Gatehouse and a provider that knows it.
async fn site(mode: &str) -> (TestApp, ExternalProvider) {
    on_a_drawn_port(|port| async move {
        let provider = ExternalProvider::start(port, mode).await;
        Some((gatehouse_with(port, &provider.issuer, true).await?, provider))
    })
    .await
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

/// `action="…"` of the page's form.
fn form_action(page: &str) -> String {
    let start = page.find("action=\"").expect("a form") + "action=\"".len();
    page[start..start + page[start..].find('"').unwrap()].replace("&#x2F;", "/").replace("&#47;", "/")
}

/// How the person answers the provider.
#[derive(Clone, Copy, PartialEq)]
enum Answer {
    SignInAs(&'static str),
    Abort,
}

/// Walks the provider's pages from `url` (its authorization endpoint) until it sends the
/// browser back to Gatehouse; that callback address.
async fn at_provider(provider: &ExternalProvider, browser: &Client, url: String, answer: Answer) -> String {
    let absolute = |to: &str| if to.starts_with('/') { format!("{}{to}", provider.issuer) } else { to.to_owned() };
    let mut url = url;
    for _ in 0..12 {
        if url.contains("/login/oidc/corp/callback") {
            return url;
        }
        let response = browser.get(&url).send().await.unwrap();
        if response.status().is_redirection() {
            url = absolute(&location(&response));
            continue;
        }
        let page = response.text().await.unwrap();
        let action = absolute(&form_action(&page));
        let sent = match answer {
            // The development login's "cancel": /interaction/{uid}/abort, beside the form's address.
            Answer::Abort => {
                let uid_page = action.trim_end_matches("/login").trim_end_matches('/');
                browser.get(format!("{uid_page}/abort")).send().await.unwrap()
            }
            Answer::SignInAs(name) if page.contains("name=\"login\"") => {
                let fields = [("prompt", "login"), ("login", name), ("password", "anything")];
                browser.post(&action).form(&fields).send().await.unwrap()
            }
            Answer::SignInAs(_) => browser.post(&action).form(&[("prompt", "consent")]).send().await.unwrap(),
        };
        url = absolute(&location(&sent));
    }
    panic!("the provider never sent the browser back");
}

/// From Gatehouse's "Continue with Corp SSO" (or the account page's "Link") to the callback.
async fn callback_from(
    app: &TestApp,
    provider: &ExternalProvider,
    browser: &Client,
    start: &str,
    answer: Answer,
) -> String {
    let started = app.post_form_with(browser, start, &[]).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER, "{start}");
    let to_provider = location(&started);
    assert!(to_provider.starts_with(&provider.issuer), "{to_provider}");
    for param in ["state=", "nonce=", "code_challenge=", "code_challenge_method=S256"] {
        assert!(to_provider.contains(param), "{param} in {to_provider}");
    }
    at_provider(provider, browser, to_provider, answer).await
}

async fn sign_in_with_provider(
    app: &TestApp,
    provider: &ExternalProvider,
    name: &'static str,
) -> (reqwest::Response, Client) {
    let browser = browser();
    let callback = callback_from(app, provider, &browser, "/login/oidc/corp", Answer::SignInAs(name)).await;
    (app.get_with(&browser, &callback.replace(&app.base_url, "")).await, browser)
}

async fn is_signed_in(app: &TestApp, browser: &Client) -> bool {
    app.get_with(browser, "/account").await.status() == StatusCode::OK
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_new_person_gets_a_verified_account_with_no_password_and_comes_back_to_it() {
    let (app, provider) = site("").await;
    let (back, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&back), "/account");
    let page = app.get_with(&browser, "/account").await.text().await.unwrap();
    assert!(page.contains("ada@example.com") && page.contains("verified") && page.contains("has no password"));
    assert!(page.contains("linked as ada@example.com"), "{page}");
    assert_eq!(app.login("ada@example.com", "").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED, "no password yet");

    let (again, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert!(is_signed_in(&app, &browser).await);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1, "the same account");

    // The last way in stays.
    let removed = app.post_form_with(&browser, "/account/links/corp/remove", &[]).await;
    assert_eq!(removed.status(), StatusCode::CONFLICT);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM external_links").await, 1);

    // "Forgot your password?" sets one.
    assert_eq!(app.post_form("/forgot-password", &[("email", "ada@example.com")]).await.status(), StatusCode::OK);
    let mail = app.mail.latest_with_subject("ada@example.com", "Reset your password").await;
    let link = app.reachable(&mail.link(&format!("{}/reset-password?token=", app.base_url)));
    let token = crate::helpers::token_of(&link);
    let set = app.post_form("/reset-password", &[("token", &token), ("password", PASSWORD)]).await;
    assert_eq!(set.status(), StatusCode::OK);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn an_address_with_an_account_here_is_never_linked_by_itself_only_by_its_owner() {
    let (app, provider) = site("").await;
    let owner = app.signed_in("bob@example.com").await;
    let (refused, stranger) = sign_in_with_provider(&app, &provider, "bob@example.com").await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("Log in to it with your password, then link the provider"));
    assert!(!is_signed_in(&app, &stranger).await);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM external_links").await, 0);

    let callback =
        callback_from(&app, &provider, &owner, "/account/links/corp", Answer::SignInAs("bob@example.com")).await;
    let linked = app.get_with(&owner, &callback.replace(&app.base_url, "")).await;
    assert_eq!(location(&linked), "/account?notice=provider-linked");
    app.mail.latest_with_subject("bob@example.com", "Your account was linked to Corp SSO").await;
    let (back, browser) = sign_in_with_provider(&app, &provider, "bob@example.com").await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert!(app.get_with(&browser, "/account").await.text().await.unwrap().contains("bob@example.com"));

    let removed = app.post_form_with(&owner, "/account/links/corp/remove", &[]).await;
    assert_eq!(location(&removed), "/account?notice=provider-unlinked", "bob still has his password");
    app.mail.latest_with_subject("bob@example.com", "Your account was unlinked from Corp SSO").await;
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_wrong_state_a_replayed_callback_a_refusal_and_an_unverified_address_end_on_a_page() {
    let (app, provider) = site("").await;
    let browser = browser();
    let callback =
        callback_from(&app, &provider, &browser, "/login/oidc/corp", Answer::SignInAs("ada@example.com")).await;
    let path = callback.replace(&app.base_url, "");
    let forged = app.get_with(&browser, &path.replace("state=", "state=x")).await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST, "a wrong state");
    let used = app.get_with(&browser, &path).await;
    assert_eq!(used.status(), StatusCode::BAD_REQUEST, "the wrong state used the sign-in up");

    let callback =
        callback_from(&app, &provider, &browser, "/login/oidc/corp", Answer::SignInAs("ada@example.com")).await;
    let path = callback.replace(&app.base_url, "");
    assert_eq!(app.get_with(&browser, &path).await.status(), StatusCode::SEE_OTHER);
    let replayed = app.get_with(&browser, &path).await;
    assert_eq!(replayed.status(), StatusCode::BAD_REQUEST, "a callback works once");

    let visitor = crate::helpers::browser();
    let callback = callback_from(&app, &provider, &visitor, "/login/oidc/corp", Answer::Abort).await;
    let aborted = app.get_with(&visitor, &callback.replace(&app.base_url, "")).await;
    assert_eq!(aborted.status(), StatusCode::BAD_REQUEST);
    assert!(aborted.text().await.unwrap().contains("The provider did not sign you in."));

    let (unverified, _) = sign_in_with_provider(&app, &provider, "unverified@example.com").await;
    assert_eq!(unverified.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 1, "only ada");
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_tampered_id_token_is_refused() {
    let (app, provider) = site("tamper").await;
    let (refused, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(!is_signed_in(&app, &browser).await);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);
}

/// ID tokens the provider signed properly, with a claim that must still be refused: a
/// nonce not sent, another issuer, another audience, an expired one.
#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_validly_signed_id_token_with_a_wrong_nonce_issuer_audience_or_expiry_is_refused() {
    // The provider signing a token again, unchanged, is accepted: the refusals below are
    // for the claim each changes.
    let (app, provider) = site("resigned").await;
    let (accepted, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert!(is_signed_in(&app, &browser).await);

    for mode in ["nonce", "issuer", "audience", "expired"] {
        let (app, provider) = site(mode).await;
        let (refused, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{mode}");
        assert!(!is_signed_in(&app, &browser).await, "{mode}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0, "{mode}");
    }
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_provider_that_cannot_be_reached_is_shown_unavailable_and_start_up_goes_on() {
    let closed = format!("http://127.0.0.1:{}", unclaimed_port());
    let app = on_a_drawn_port(|port| gatehouse_with(port, &closed, false)).await;
    let tried = app.post_form("/login/oidc/corp", &[]).await;
    assert_eq!(tried.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.login("nobody@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED, "the rest works");
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn two_step_login_still_applies_after_the_provider() {
    let (app, provider) = site("").await;
    let (enrolled, owner) = user_with_two_factor(&app, "bob@example.com").await;
    let callback =
        callback_from(&app, &provider, &owner, "/account/links/corp", Answer::SignInAs("bob@example.com")).await;
    assert_eq!(
        location(&app.get_with(&owner, &callback.replace(&app.base_url, "")).await),
        "/account?notice=provider-linked"
    );

    let (back, browser) = sign_in_with_provider(&app, &provider, "bob@example.com").await;
    assert_eq!(location(&back), "/login/2fa");
    assert!(!is_signed_in(&app, &browser).await, "not before the code");
    let code = crate::helpers::totp::code(&enrolled.secret, 1);
    assert_eq!(second_step(&app, &browser, &code).await.status(), StatusCode::SEE_OTHER);
    assert!(is_signed_in(&app, &browser).await);
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn an_address_given_only_in_userinfo_is_read_from_there() {
    let (app, provider) = site("userinfo").await;
    let (back, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(location(&back), "/account");
    assert!(app.get_with(&browser, "/account").await.text().await.unwrap().contains("linked as ada@example.com"));
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_provider_that_rotates_its_key_signs_people_in_again_without_a_restart() {
    let (app, mut provider) = site("").await;
    let (back, _) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(location(&back), "/account");

    provider.restart();
    let (back, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(location(&back), "/account", "the new key was read when an ID token named it");
    assert!(is_signed_in(&app, &browser).await);

    // Within the minute, another unknown kid does not make Gatehouse read the keys again
    // (a forger's made-up ones would have it hammer the provider).
    provider.restart();
    let (refused, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(!is_signed_in(&app, &browser).await);
}

/// The provider says it takes the client's secret in the form only: Gatehouse reads that
/// from its metadata, unless `gatehouse.toml` says otherwise.
#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_provider_taking_the_secret_only_in_the_form_signs_people_in() {
    let (app, provider) = site("post-only").await;
    let (back, _) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(location(&back), "/account");

    let forced_basic = on_a_drawn_port(|port| async move {
        let provider = ExternalProvider::start(port, "post-only").await;
        Some((gatehouse_authenticating(port, &provider.issuer, true, Some(TokenAuth::Basic)).await?, provider))
    })
    .await;
    let (app, provider) = forced_basic;
    let (refused, _) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "Basic, as told, which this provider refuses");
}

/// Just after start (or while the provider was down), discovery may not have run yet: a
/// click tries it then, rather than answering that the provider is unavailable.
#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_click_before_discovery_has_run_discovers_the_provider_then() {
    let (app, provider) = on_a_drawn_port(|port| async move {
        let provider_port = unclaimed_port();
        let issuer = format!("http://127.0.0.1:{provider_port}");
        let app = gatehouse_with(port, &issuer, false).await?;
        // The provider comes up after Gatehouse's first discovery failed (the next is 30 s away).
        let provider = ExternalProvider::start_on(provider_port, port, "")?;
        Some((app, provider))
    })
    .await;
    let browser = browser();
    let callback =
        callback_from(&app, &provider, &browser, "/login/oidc/corp", Answer::SignInAs("ada@example.com")).await;
    assert_eq!(location(&app.get_with(&browser, &callback.replace(&app.base_url, "")).await), "/account");
}

#[tokio::test]
#[ignore = "needs Node and oidc-provider: tests/run installs them"]
async fn a_provider_makes_no_account_where_sign_up_is_not_open_to_the_address() {
    let (app, provider) = on_a_drawn_port(|port| async move {
        let provider = ExternalProvider::start(port, "").await;
        let only_example_org =
            |config: &mut gatehouse::Config| config.signup_allowed_domains = vec!["example.org".into()];
        Some((gatehouse_configured(port, &provider.issuer, true, None, only_example_org).await?, provider))
    })
    .await;
    let (refused, browser) = sign_in_with_provider(&app, &provider, "ada@example.com").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("does not make accounts by signing in with another provider"));
    assert!(!is_signed_in(&app, &browser).await);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);

    let (admitted, browser) = sign_in_with_provider(&app, &provider, "bo@example.org").await;
    assert_eq!(admitted.status(), StatusCode::SEE_OTHER, "an address sign-up is open to");
    assert!(is_signed_in(&app, &browser).await);
}
