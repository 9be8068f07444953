//! Forward auth asked directly, as a proxy on loopback asks it: the rules, the credentials,
//! the headers it believes and from whom, the return after sign-in and the shared cookie.
//! `proxies.rs` asks the same through the real nginx and Caddy.

use std::sync::Arc;

use gatehouse::forward_auth::AccessRules;
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::process::{fails_with, first_line_with, gatehouse, run, start, stdout};
use crate::helpers::{PASSWORD, TestApp, browser, hidden_field, set_cookie, settled, spawn_app_with};
use crate::two_factor::{pending, second_step, user_with_two_factor};

pub const RULES: &str = r#"
    default_policy = "deny"
    [[access_rules]]
    domain = "public.example.com"
    policy = "bypass"
    [[access_rules]]
    domain = "app.example.com"
    path = "^/admin"
    roles = ["admin"]
    policy = "one_factor"
    [[access_rules]]
    domain = "app.example.com"
    path = "^/closed"
    policy = "deny"
    [[access_rules]]
    domain = "app.example.com"
    policy = "one_factor"
    [[access_rules]]
    domain = "*.secure.example.com"
    policy = "two_factor"
    [[access_rules]]
    domain = "app.localhost"
    policy = "one_factor"
"#;

pub fn rules(text: &str) -> Arc<AccessRules> {
    Arc::new(AccessRules::from_toml(&text.parse().unwrap()).unwrap())
}

/// Gatehouse with [`RULES`], believing the proxy on loopback.
pub(crate) async fn guarded_app() -> TestApp {
    spawn_app_with(|config| {
        config.access_rules = rules(RULES);
        config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await
}

/// nginx's question: `/auth/request` about `url`.
async fn ask_nginx(app: &TestApp, client: &Client, url: &str) -> reqwest::Response {
    client.get(app.url("/auth/request")).header("x-original-url", url).send().await.unwrap()
}

/// Caddy's question: `/auth/forward` about `https://{host}{uri}`.
async fn ask_caddy(app: &TestApp, client: &Client, method: &str, host: &str, uri: &str) -> reqwest::Response {
    client
        .get(app.url("/auth/forward"))
        .header("x-forwarded-method", method)
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", host)
        .header("x-forwarded-uri", uri)
        .send()
        .await
        .unwrap()
}

fn header_of<'r>(response: &'r reqwest::Response, name: &str) -> Option<&'r str> {
    response.headers().get(name).map(|value| value.to_str().unwrap())
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM users WHERE email = '{email}'")).await
}

#[tokio::test]
async fn a_signed_in_browser_is_let_through_with_its_identity_for_each_proxy() {
    let app = guarded_app().await;
    let client = app.signed_in("ada@example.com").await;
    let id = user_id(&app, "ada@example.com").await.to_string();

    for response in [
        ask_nginx(&app, &client, "https://app.example.com/notes?page=2").await,
        ask_caddy(&app, &client, "GET", "app.example.com", "/notes?page=2").await,
    ] {
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header_of(&response, "remote-user"), Some(id.as_str()));
        assert_eq!(header_of(&response, "remote-email"), Some("ada@example.com"));
        assert_eq!(header_of(&response, "remote-groups"), Some(""));
        assert!(response.headers().get_all(header::SET_COOKIE).iter().next().is_none(), "a check sets no cookie");
    }
}

#[tokio::test]
async fn without_a_credential_nginx_hears_401_and_caddy_sends_the_browser_to_log_in() {
    let app = guarded_app().await;
    let visitor = browser();
    assert_eq!(ask_nginx(&app, &visitor, "https://app.example.com/notes").await.status(), StatusCode::UNAUTHORIZED);

    let response = ask_caddy(&app, &visitor, "GET", "app.example.com", "/notes?a=1&b=2").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let login = url::Url::parse(header_of(&response, "location").unwrap()).unwrap();
    assert_eq!(format!("{}{}", login.origin().ascii_serialization(), login.path()), app.url("/login"));
    let rd: Vec<_> = login.query_pairs().filter(|(key, _)| key == "rd").map(|(_, value)| value.into_owned()).collect();
    assert_eq!(rd, ["https://app.example.com/notes?a=1&b=2"], "the whole original address, encoded once");
}

#[tokio::test]
async fn the_login_form_returns_to_the_app_and_ignores_any_other_address() {
    let app = guarded_app().await;
    app.verified_user("ada@example.com").await;
    let rd = "https://app.example.com/notes?a=1&b=2";

    let client = browser();
    let page = client.get(app.url("/login")).query(&[("rd", rd)]).send().await.unwrap();
    let policy = header_of(&page, "content-security-policy").unwrap().to_owned();
    assert!(policy.contains("form-action 'self' ") && policy.contains("https://app.example.com:*"), "{policy}");
    let page = page.text().await.unwrap();
    assert!(page.contains("Log in to continue to app.example.com"), "{page}");
    assert_eq!(hidden_field(&page, "rd").unwrap().replace("&#38;", "&"), rd);

    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("rd", rd)];
    let signed_in = app.post_form_with(&client, "/login", &fields).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(header_of(&signed_in, "location"), Some(rd));

    for elsewhere in [
        "https://evil.example.org/",
        "http://app.example.com/",
        "https://example.com/",
        "//app.example.com/",
        "javascript:alert(1)",
    ] {
        let client = browser();
        let page = client.get(app.url("/login")).query(&[("rd", elsewhere)]).send().await.unwrap();
        assert!(hidden_field(&page.text().await.unwrap(), "rd").is_none(), "{elsewhere} is not carried");
        let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("rd", elsewhere)];
        let signed_in = app.post_form_with(&client, "/login", &fields).await;
        assert_eq!(header_of(&signed_in, "location"), Some("/account"), "{elsewhere} is ignored");
    }
    // Plain http is fine on this machine.
    let local = "http://app.localhost:8080/";
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("rd", local)];
    let signed_in = app.post_form_with(&browser(), "/login", &fields).await;
    assert_eq!(header_of(&signed_in, "location"), Some(local));
}

#[tokio::test]
async fn the_second_step_keeps_the_return_address() {
    let app = guarded_app().await;
    let (enrolled, _) = user_with_two_factor(&app, "ada@example.com").await;
    let rd = "https://wiki.secure.example.com/page";
    let client = browser();
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("rd", rd)];
    let first = app.post_form_with(&client, "/login", &fields).await;
    assert_eq!(header_of(&first, "location"), Some("/login/2fa"));
    let code = crate::helpers::totp::code(&enrolled.secret, 1);
    let done = second_step(&app, &client, &code).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(header_of(&done, "location"), Some(rd));
    assert_eq!(ask_caddy(&app, &client, "GET", "wiki.secure.example.com", "/page").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn forwarded_headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored() {
    let app = spawn_app_with(|config| config.access_rules = rules(RULES)).await;
    let client = app.signed_in("ada@example.com").await;
    assert_eq!(ask_nginx(&app, &client, "https://app.example.com/").await.status(), StatusCode::FORBIDDEN);
    let response = ask_caddy(&app, &client, "GET", "public.example.com", "/").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "not even a bypass rule is believed");
    assert!(header_of(&response, "remote-user").is_none());
}

#[tokio::test]
async fn the_first_matching_rule_decides_and_no_rule_means_the_default() {
    let app = guarded_app().await;
    let client = app.signed_in("ada@example.com").await;
    let visitor = browser();
    let bypass = ask_nginx(&app, &visitor, "https://public.example.com/anything").await;
    assert_eq!(bypass.status(), StatusCode::OK);
    assert_eq!(header_of(&bypass, "remote-user"), Some(""), "bypass names nobody");
    assert_eq!(ask_nginx(&app, &client, "https://app.example.com/closed/x").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ask_nginx(&app, &client, "https://other.example.com/").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ask_nginx(&app, &client, "https://secure.example.com/").await.status(), StatusCode::FORBIDDEN);
}

/// Each way a description can be unclear, from a trusted proxy, to both endpoints: a plain
/// `400`, never judged (a bypass host in it never lets anything through), never redirected.
#[tokio::test]
async fn an_unclear_description_is_refused_with_400_by_both_endpoints() {
    let app = guarded_app().await;
    let visitor = browser();
    let forwarded = |host: &'static str, uri: &'static str| {
        vec![("x-forwarded-proto", "https"), ("x-forwarded-host", host), ("x-forwarded-uri", uri)]
    };
    let original = |url: &'static str| vec![("x-original-url", url)];
    let mut cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("nothing at all", vec![]),
        ("both conventions", [original("https://public.example.com/"), forwarded("public.example.com", "/")].concat()),
        (
            "X-Original-URL with X-Forwarded-Uri",
            vec![("x-original-url", "https://public.example.com/"), ("x-forwarded-uri", "/")],
        ),
        ("userinfo", original("http://app.example.com:@public.example.com/")),
        ("userinfo in the host", forwarded("app.example.com:@public.example.com", "/")),
        ("a port above 65535", original("https://public.example.com:99999/")),
        ("a port of letters", forwarded("public.example.com:x", "/")),
        ("an empty host", original("https:///admin")),
        ("a host that is no name", forwarded("public.example.com%2f", "/")),
        ("a scheme that is not http", original("ftp://public.example.com/")),
        ("a list of hosts", forwarded("public.example.com, app.example.com", "/")),
        ("invalid UTF-8", original("https://public.example.com/%c3%28")),
        ("an encoded NUL", original("https://public.example.com/a%00")),
        ("an encoded backslash", original("https://public.example.com/a%5c..%5cadmin")),
        ("no X-Forwarded-Proto", vec![("x-forwarded-host", "public.example.com"), ("x-forwarded-uri", "/")]),
        ("a relative X-Forwarded-Uri", forwarded("public.example.com", "admin")),
    ];
    cases.push((
        "X-Original-URL twice",
        [original("https://app.example.com/"), original("https://public.example.com/")].concat(),
    ));
    cases.push((
        "X-Forwarded-Host twice",
        [forwarded("app.example.com", "/"), vec![("x-forwarded-host", "public.example.com")]].concat(),
    ));
    for endpoint in ["/auth/request", "/auth/forward"] {
        for (case, headers) in &cases {
            let request = headers
                .iter()
                .fold(visitor.get(app.url(endpoint)), |request, (name, value)| request.header(*name, *value));
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{endpoint}: {case}");
            assert!(response.headers().get(header::LOCATION).is_none(), "{endpoint}: {case}");
            assert!(header_of(&response, "remote-user").is_none(), "{endpoint}: {case}");
        }
    }
    // The same descriptions, spelled clearly, are judged (the cases fail for their own reason).
    assert_eq!(ask_nginx(&app, &visitor, "https://public.example.com/").await.status(), StatusCode::OK);
    assert_eq!(ask_caddy(&app, &visitor, "GET", "public.example.com", "/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn rules_match_the_host_and_path_the_app_acts_on() {
    let app = guarded_app().await;
    let client = app.signed_in("ada@example.com").await;
    // Ada has no admin role; each of these is /admin or /closed to the app.
    for url in [
        "https://app.example.com/%61dmin/users",
        "https://app.example.com//admin/users",
        "https://app.example.com/./admin",
        "https://app.example.com/public/..%2fadmin",
        "https://app.example.com/%63losed",
        "https://APP.Example.COM./admin",
    ] {
        assert_eq!(ask_nginx(&app, &client, url).await.status(), StatusCode::FORBIDDEN, "{url}");
    }
    assert_eq!(
        ask_caddy(&app, &client, "GET", "app.example.com:443", "/%61dmin").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(ask_nginx(&app, &client, "https://app.example.com/notes").await.status(), StatusCode::OK);

    // The return address is the canonical one too.
    let visitor = browser();
    let response = ask_caddy(&app, &visitor, "GET", "App.Example.com.", "//notes/./today?x=1").await;
    let login = url::Url::parse(header_of(&response, "location").unwrap()).unwrap();
    let rd: Vec<_> = login.query_pairs().filter(|(key, _)| key == "rd").map(|(_, value)| value.into_owned()).collect();
    assert_eq!(rd, ["https://app.example.com/notes/today?x=1"]);
}

#[tokio::test]
async fn a_rule_with_roles_lets_in_only_accounts_with_one_of_them() {
    let app = guarded_app().await;
    let client = app.signed_in("ada@example.com").await;
    let denied = ask_caddy(&app, &client, "GET", "app.example.com", "/admin/users").await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    // The refusal is a page the browser shows; a "yes" only the proxy reads.
    assert_eq!(header_of(&denied, "x-frame-options"), Some("DENY"));
    assert!(header_of(&denied, "content-security-policy").is_some());
    let page = denied.text().await.unwrap();
    assert!(page.contains("does not have access"));
    let another = format!("{}/login?rd=https%3A%2F%2Fapp.example.com%2Fadmin%2Fusers", app.base_url);
    assert!(page.contains(&format!(r#"<a class="button" href="{another}">Use another account</a>"#)), "{page}");

    stdout(&run(&app, &["user", "grant", "ada@example.com", "admin"], ""));
    let postgres = app.database.is_postgres();
    let ask = || ask_caddy(&app, &client, "GET", "app.example.com", "/admin/users");
    let status = settled(postgres, &StatusCode::OK, || async { ask().await.status() }).await;
    assert_eq!(status, StatusCode::OK, "the new role counts on the next request (PostgreSQL: once notified)");
    let allowed = ask().await;
    assert_eq!(header_of(&allowed, "remote-groups"), Some("admin"));
}

#[tokio::test]
async fn a_two_factor_rule_needs_a_sign_in_that_passed_the_second_step() {
    let app = guarded_app().await;
    let password_only = app.signed_in("bob@example.com").await;
    let denied = ask_caddy(&app, &password_only, "GET", "wiki.secure.example.com", "/").await;
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
    let page = denied.text().await.unwrap();
    assert!(page.contains(&format!("href=\"{}/account/2fa\"", app.base_url)), "{page}");
    assert_eq!(
        ask_nginx(&app, &password_only, "https://wiki.secure.example.com/").await.status(),
        StatusCode::FORBIDDEN
    );

    let (enrolled, _) = user_with_two_factor(&app, "ada@example.com").await;
    let client = pending(&app, "ada@example.com").await;
    let waiting = ask_caddy(&app, &client, "GET", "wiki.secure.example.com", "/").await;
    assert_eq!(waiting.status(), StatusCode::FOUND, "half way through a login is not signed in");
    let code = crate::helpers::totp::code(&enrolled.secret, 1);
    assert_eq!(second_step(&app, &client, &code).await.status(), StatusCode::SEE_OTHER);
    let allowed = ask_caddy(&app, &client, "GET", "a.b.secure.example.com", "/").await;
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(header_of(&allowed, "remote-email"), Some("ada@example.com"));
}

#[tokio::test]
async fn bearer_and_basic_credentials_are_checked_and_never_redirected() {
    let app = guarded_app().await;
    let client = app.signed_in("ada@example.com").await;
    let created = |scope: &'static str| {
        let client = client.clone();
        let url = app.url("/api/tokens");
        async move {
            let body: Value = client
                .post(url)
                .json(&json!({"name": scope, "scope": scope}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["token"].as_str().unwrap().to_owned()
        }
    };
    let (read, write) = (created("read").await, created("read-write").await);
    let program = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let ask = |authorization: String, method: &'static str| {
        program
            .get(app.url("/auth/forward"))
            .header("authorization", authorization)
            .header("x-forwarded-method", method)
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "app.example.com")
            .header("x-forwarded-uri", "/notes")
            .send()
    };

    let allowed = ask(format!("Bearer {write}"), "POST").await.unwrap();
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(header_of(&allowed, "remote-email"), Some("ada@example.com"));
    assert_eq!(ask(format!("Bearer {read}"), "GET").await.unwrap().status(), StatusCode::OK);
    assert_eq!(ask(format!("Bearer {read}"), "POST").await.unwrap().status(), StatusCode::FORBIDDEN, "read only");

    let basic = |user: &str, password: &str| {
        use base64::Engine;
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
    };
    assert_eq!(ask(basic("ada@example.com", PASSWORD), "GET").await.unwrap().status(), StatusCode::OK);

    for wrong in ["Bearer gh_not-a-token".to_owned(), basic("ada@example.com", "wrong password"), "Bearer x.y.z".into()]
    {
        let refused = ask(wrong.clone(), "GET").await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{wrong}");
        assert!(refused.headers().get(header::LOCATION).is_none(), "a program is never redirected");
        assert!(header_of(&refused, "www-authenticate").unwrap().starts_with("Bearer"));
    }
}

#[tokio::test]
async fn a_session_ended_anywhere_is_refused_on_the_next_check() {
    let app = guarded_app().await;
    let client = app.signed_in("ada@example.com").await;
    let other = browser();
    assert_eq!(app.login_with(&other, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(ask_nginx(&app, &client, "https://app.example.com/").await.status(), StatusCode::OK);
    assert_eq!(ask_nginx(&app, &other, "https://app.example.com/").await.status(), StatusCode::OK);

    assert_eq!(app.post_form_with(&client, "/logout", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(ask_nginx(&app, &client, "https://app.example.com/").await.status(), StatusCode::UNAUTHORIZED);

    stdout(&run(&app, &["user", "disable", "ada@example.com"], ""));
    assert_eq!(ask_nginx(&app, &other, "https://app.example.com/").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_session_is_sent_to_the_login_form_which_does_not_send_it_back() {
    let app = guarded_app().await;
    let client = app.signed_in("ada@example.com").await;
    app.execute("UPDATE sessions SET expires_at = 1000000000").await;
    let response = ask_caddy(&app, &client, "GET", "app.example.com", "/").await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let login = header_of(&response, "location").unwrap().to_owned();
    // The login page is an end, not another hop, whatever the browser's cookies say.
    assert_eq!(client.get(&login).send().await.unwrap().status(), StatusCode::OK);
    let signed_in = app.signed_in("bob@example.com").await;
    assert_eq!(signed_in.get(&login).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_cookie_domain_shares_the_session_with_subdomains() {
    let app = spawn_app_with(|config| {
        config.base_url = Some("https://auth.example.com".parse().unwrap());
        config.session_cookie_domain = Some("example.com".into());
    })
    .await;
    app.verified_user("ada@example.com").await;
    // Over https the cookie is `Secure`, which reqwest would not send to this http test
    // server: the login answer is read, not followed.
    let response = app.post_form("/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    let cookie = set_cookie(response.headers(), "__Secure-gatehouse-session").expect("the shared session cookie");
    assert!(cookie.contains("Domain=example.com"), "{cookie}");
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"), "{cookie}");

    let host_only = spawn_app_with(|config| config.base_url = Some("https://auth.example.com".parse().unwrap())).await;
    host_only.verified_user("ada@example.com").await;
    let response = host_only.post_form("/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    let cookie = set_cookie(response.headers(), "__Host-gatehouse-session").expect("the host-only cookie");
    assert!(!cookie.contains("Domain="), "{cookie}");
}

#[tokio::test]
async fn a_cookie_domain_that_does_not_contain_the_base_url_stops_the_server_and_fails_check_config() {
    let dir = tempfile::tempdir().unwrap();
    for command in [vec!["serve", "--addr", "127.0.0.1:0"], vec!["check-config"]] {
        let output = gatehouse(dir.path())
            .args(&command)
            .env("BASE_URL", "https://auth.example.com")
            .env("SESSION_COOKIE_DOMAIN", "example.org")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{command:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("SESSION_COOKIE_DOMAIN \"example.org\" does not contain BASE_URL's host"),
            "{command:?}: {stderr}"
        );
    }
}

#[tokio::test]
async fn a_cookie_domain_browsers_refuse_stops_the_server_with_one_line_that_says_why() {
    let dir = tempfile::tempdir().unwrap();
    for domain in ["localhost", "com", ".localhost"] {
        let serve = gatehouse(dir.path())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("SESSION_COOKIE_DOMAIN", domain)
            .output()
            .unwrap();
        fails_with(&serve, "is refused by browsers as a cookie domain");
        let check = gatehouse(dir.path()).arg("check-config").env("SESSION_COOKIE_DOMAIN", domain).output().unwrap();
        assert!(!check.status.success());
        assert!(String::from_utf8_lossy(&check.stderr).contains("is refused by browsers as a cookie domain"));
    }
    let fine = gatehouse(dir.path())
        .arg("check-config")
        .env("BASE_URL", "http://auth.gatehouse.localhost:3000")
        .env("SESSION_COOKIE_DOMAIN", "gatehouse.localhost")
        .output()
        .unwrap();
    assert!(fine.status.success(), "{}", String::from_utf8_lossy(&fine.stderr));
}

#[tokio::test]
async fn a_refused_return_address_is_logged_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gatehouse.toml"), RULES).unwrap();
    let server = start({
        let mut command = gatehouse(dir.path());
        command.args(["serve", "--addr", "127.0.0.1:0"]).env("RUST_LOG", "warn");
        command
    });
    let client = browser();
    for rd in ["http://app.example.com/notes", "https://evil.example.org/"] {
        let page = client.get(format!("{}/login", server.base)).query(&[("rd", rd)]).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
    }
    let plain_http = first_line_with(&server.stderr, "return_address_refused").unwrap();
    assert!(plain_http.contains("plain http is followed only to this machine"), "{plain_http}");
    assert!(plain_http.contains("WARN"), "{plain_http}");
    let unknown = first_line_with(&server.stderr, "return_address_refused").unwrap();
    assert!(unknown.contains("no access rule's domain"), "{unknown}");
}

#[tokio::test]
async fn check_config_reports_each_mistake_in_the_rules_on_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gatehouse.toml"),
        r#"
        default_policy = "allow"
        [[access_rules]]
        domain = "app.example.com"
        path = "^/(admin"
        policy = "one_factor"
        [[access_rules]]
        domain = "app.example.com"
        policy = "two-factor"
        method = "GET"
        "#,
    )
    .unwrap();
    let output = gatehouse(dir.path()).arg("check-config").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    for expected in [
        "default_policy: \"allow\" is not one of bypass, one_factor, two_factor, deny",
        "access_rules[0].path: \"^/(admin\" is not a valid regular expression",
        "access_rules[1]: unknown key \"method\"",
        "access_rules[1].policy: \"two-factor\" is not one of",
    ] {
        assert!(lines.iter().any(|line| line.starts_with(expected)), "{expected:?} in {stderr}");
    }

    let serve = gatehouse(dir.path()).args(["serve", "--addr", "127.0.0.1:0"]).output().unwrap();
    assert!(!serve.status.success(), "the server does not start on wrong rules");
    assert!(String::from_utf8_lossy(&serve.stderr).contains("access_rules[0].path"));

    std::fs::write(dir.path().join("gatehouse.toml"), RULES).unwrap();
    let output = gatehouse(dir.path()).arg("check-config").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
