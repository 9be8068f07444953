//! PostgreSQL as the scale-out engine: several real server processes on one database,
//! and a database that goes away and comes back. These need a PostgreSQL server, so they
//! are ignored (reported as skipped) unless `tests/run` runs them with TEST_POSTGRES_URL.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::{Client, StatusCode};
use sqlx::Connection;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::helpers::process::{Running, gatehouse, start};
use crate::helpers::{MailServer, PASSWORD, TestDatabase, browser, hidden_field, settled, spawn_app_with};

struct Cluster {
    instances: Vec<Running>,
    mail: MailServer,
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

async fn cluster(size: usize) -> Cluster {
    cluster_with(size, &[]).await
}

/// A cluster whose instances also get `settings`, and `gatehouse.toml` holding the forward
/// auth rules of `forward_auth::RULES`, believing a proxy on loopback.
async fn cluster_with(size: usize, settings: &[(&str, &str)]) -> Cluster {
    let database = TestDatabase::postgres().await;
    let mail = MailServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gatehouse.toml"), crate::forward_auth::RULES).unwrap();
    let instances = (0..size)
        .map(|_| {
            let mut command = gatehouse(dir.path());
            command
                .env("GATEHOUSE_ADDR", "127.0.0.1:0")
                .env("DATABASE_URL", &database.url)
                .env("SMTP_URL", mail.url())
                .env("BASE_URL", "http://localhost:8080")
                .env("LOGIN_RATE_BURST", "1000")
                .env("RUST_LOG", "warn")
                .envs(settings.iter().copied());
            start(command)
        })
        .collect();
    Cluster { instances, mail, _database: database, _dir: dir }
}

impl Cluster {
    fn url(&self, instance: usize, path: &str) -> String {
        format!("{}{path}", self.instances[instance % self.instances.len()].base)
    }

    /// Loads a form from one instance and posts it to another.
    async fn post(
        &self,
        client: &Client,
        from: usize,
        to: usize,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let page = client.get(self.url(from, "/login")).send().await.unwrap().text().await.unwrap();
        let token = hidden_field(&page, "csrf_token").unwrap();
        let mut form = vec![("csrf_token", token.as_str())];
        form.extend_from_slice(fields);
        client.post(self.url(to, path)).form(&form).send().await.unwrap()
    }

    async fn verified_user(&self, email: &str) {
        let client = browser();
        assert_eq!(
            self.post(&client, 0, 1, "/register", &[("email", email), ("password", PASSWORD)]).await.status(),
            StatusCode::SEE_OTHER
        );
        let mail = self.mail.latest_with_subject(email, "Confirm your email address").await;
        let link = mail.link("http://localhost:8080/verify-email?token=");
        let token = link.split("token=").nth(1).unwrap();
        assert_eq!(self.post(&client, 1, 2, "/verify-email", &[("token", token)]).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: tests/run runs it when TEST_POSTGRES_URL is set"]
async fn a_session_from_one_instance_works_on_the_others_and_logout_ends_it_everywhere() {
    let cluster = cluster(3).await;
    cluster.verified_user("ada@example.com").await;
    let client = browser();

    let login = cluster.post(&client, 2, 0, "/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    for instance in 0..3 {
        assert_eq!(client.get(cluster.url(instance, "/api/me")).send().await.unwrap().status(), StatusCode::OK);
    }

    let logout = cluster.post(&client, 1, 1, "/logout", &[]).await;
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    for instance in 0..3 {
        assert_eq!(
            client.get(cluster.url(instance, "/api/me")).send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: tests/run runs it when TEST_POSTGRES_URL is set"]
async fn forward_auth_on_every_instance_sees_a_logout_or_a_new_role_on_any_other_at_once() {
    let cluster = cluster_with(3, &[("TRUSTED_PROXIES", "127.0.0.1")]).await;
    cluster.verified_user("ada@example.com").await;
    let ask = |client: &Client, instance: usize, url: &'static str| {
        client.get(cluster.url(instance, "/auth/request")).header("x-original-url", url).send()
    };
    // Rounds, so that a notification that is late now and then would show.
    for round in 0..10 {
        let fields = [("email", "ada@example.com"), ("password", PASSWORD)];
        let (client, other) = (browser(), browser());
        assert_eq!(cluster.post(&client, round, round, "/login", &fields).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(cluster.post(&other, round, round, "/login", &fields).await.status(), StatusCode::SEE_OTHER);
        for instance in 0..3 {
            // Twice each: the second answer comes from the instance's cache.
            for _ in 0..2 {
                let allowed = ask(&client, instance, "https://app.example.com/").await.unwrap();
                assert_eq!(allowed.status(), StatusCode::OK, "round {round}, instance {instance}");
            }
        }
        // The other browser signs this one out, on another instance; this one keeps its cookie.
        let revoked = cluster.post(&other, round + 1, round + 1, "/account/sessions/revoke-others", &[]).await;
        assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
        for instance in 0..3 {
            // Once the instance is notified: a moment after the commit.
            let status = || async { ask(&client, instance, "https://app.example.com/").await.unwrap().status() };
            let refused = settled(true, &StatusCode::UNAUTHORIZED, status).await;
            assert_eq!(refused, StatusCode::UNAUTHORIZED, "round {round}, instance {instance}");
        }
    }

    let client = browser();
    let fields = [("email", "ada@example.com"), ("password", PASSWORD)];
    assert_eq!(cluster.post(&client, 0, 0, "/login", &fields).await.status(), StatusCode::SEE_OTHER);
    for instance in 0..3 {
        let refused = ask(&client, instance, "https://app.example.com/admin").await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "no role yet");
    }
    let granted = gatehouse(cluster._dir.path())
        .args(["user", "grant", "ada@example.com", "admin"])
        .env("DATABASE_URL", &cluster._database.url)
        .output()
        .unwrap();
    assert!(granted.status.success(), "{}", String::from_utf8_lossy(&granted.stderr));
    for instance in 0..3 {
        let status = || async { ask(&client, instance, "https://app.example.com/admin").await.unwrap().status() };
        assert_eq!(settled(true, &StatusCode::OK, status).await, StatusCode::OK, "instance {instance} sees the role");
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: tests/run runs it when TEST_POSTGRES_URL is set"]
async fn each_mail_is_sent_exactly_once_however_many_instances_send() {
    let cluster = cluster(3).await;
    let count = 30;
    let mut signups = JoinSet::new();
    for n in 0..count {
        let client = browser();
        let page = client.get(cluster.url(n, "/register")).send().await.unwrap().text().await.unwrap();
        let token = hidden_field(&page, "csrf_token").unwrap();
        let url = cluster.url(n + 1, "/register");
        signups.spawn(async move {
            let form =
                [("csrf_token", token), ("email", format!("user{n}@example.com")), ("password", PASSWORD.to_owned())];
            client.post(url).form(&form).send().await.unwrap().status()
        });
    }
    while let Some(status) = signups.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::SEE_OTHER);
    }
    for n in 0..count {
        cluster.mail.wait_for(&format!("user{n}@example.com"), 1).await;
    }
    // Once every row is marked sent, no worker can send one again.
    let mut db = sqlx::PgConnection::connect(&cluster._database.url).await.unwrap();
    let unsent = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL";
    for _ in 0..400 {
        if sqlx::query_scalar::<_, i64>(unsent).fetch_one(&mut db).await.unwrap() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sqlx::query_scalar::<_, i64>(unsent).fetch_one(&mut db).await.unwrap(), 0, "all sent within 20 s");
    assert_eq!(cluster.mail.messages().len(), count);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: tests/run runs it when TEST_POSTGRES_URL is set"]
async fn the_account_throttle_counts_failures_on_every_instance() {
    let cluster = cluster(3).await;
    cluster.verified_user("ada@example.com").await;
    for n in 0..10 {
        let response =
            cluster.post(&browser(), n, n, "/login", &[("email", "ada@example.com"), ("password", "guess")]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    for instance in 0..3 {
        let response = cluster
            .post(&browser(), instance, instance, "/login", &[("email", "ada@example.com"), ("password", PASSWORD)])
            .await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "instance {instance}");
    }
}

/// A TCP hop between the app and PostgreSQL that a test can cut and restore.
struct Cable {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    links: Arc<std::sync::Mutex<JoinSet<()>>>,
}

impl Cable {
    async fn to(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let links = Arc::new(std::sync::Mutex::new(JoinSet::new()));
        let (accepting, joined) = (Arc::clone(&up), Arc::clone(&links));
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    continue; // dropped: the database is unreachable
                }
                joined.lock().unwrap().spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Self { addr, up, links }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.links.lock().unwrap().abort_all();
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: tests/run runs it when TEST_POSTGRES_URL is set"]
async fn a_database_that_goes_away_gives_503_and_the_instance_recovers_losing_nothing() {
    let database = TestDatabase::postgres().await;
    let mut url = url::Url::parse(&database.url).unwrap();
    let target = SocketAddr::from(([127, 0, 0, 1], url.port().unwrap_or(5432)));
    let cable = Cable::to(target).await;
    url.set_port(Some(cable.addr.port())).unwrap();
    let app = spawn_app_with(|config| {
        config.database_url = url.to_string();
        config.database_acquire_timeout = 1;
    })
    .await;
    assert_eq!(app.register("before@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let signed_in = app.signed_in("ada@example.com").await;

    cable.cut();
    assert_eq!(app.get("/healthz").await.status(), StatusCode::SERVICE_UNAVAILABLE);
    let refused = app.register("during@example.com", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.text().await.unwrap().contains("Temporarily unavailable"));
    // Signed-in requests fail while reading the session: the same answer, not a 500.
    let page = app.get_with(&signed_in, "/account").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().await.unwrap().contains("Temporarily unavailable"));
    let api = app.get_with(&signed_in, "/api/me").await;
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.headers()["content-type"], "application/problem+json");

    cable.restore();
    let mut healthy = false;
    for _ in 0..50 {
        if app.get("/healthz").await.status() == StatusCode::OK {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(healthy, "the instance did not recover by itself");
    assert_eq!(app.register("after@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&signed_in, "/api/me").await.status(), StatusCode::OK, "the session outlived the outage");
    for email in ["before@example.com", "after@example.com"] {
        app.mail.wait_for(email, 1).await;
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 3, "every accepted sign-up is kept");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: tests/run runs it when TEST_POSTGRES_URL is set"]
async fn connections_the_database_closed_while_idle_are_replaced_before_a_request_uses_them() {
    let database = TestDatabase::postgres().await;
    let app = spawn_app_with(|config| config.database_url = database.url.clone()).await;
    let client = app.signed_in("ada@example.com").await;
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::OK);

    // What a restarted database or a firewall's idle timeout does to pooled connections.
    let server = std::env::var("TEST_POSTGRES_URL").unwrap();
    let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
    let name = url::Url::parse(&database.url).unwrap().path().trim_start_matches('/').to_owned();
    let closed: Vec<bool> =
        sqlx::query_scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            .bind(&name)
            .fetch_all(&mut admin)
            .await
            .unwrap();
    assert!(!closed.is_empty(), "the app held no connection to close");
    tokio::time::sleep(Duration::from_millis(1500)).await;

    for attempt in 0..closed.len() + 2 {
        assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::OK, "request {attempt}");
    }
}

/// An app's access token is refused on every instance as soon as its grant is revoked on
/// any one (each instance checks grants through its read cache).
#[tokio::test]
#[ignore = "needs PostgreSQL: tests/run runs it when TEST_POSTGRES_URL is set"]
async fn a_revoked_grant_is_refused_on_every_instance_at_once() {
    let cluster = cluster(3).await;
    cluster.verified_user("ada@example.com").await;
    let registered = gatehouse(cluster._dir.path())
        .args(["client", "add", "--name", "Wiki", "--redirect-uri", "http://127.0.0.1:9/cb", "--skip-consent"])
        .args(["--json"])
        .env("DATABASE_URL", &cluster._database.url)
        .output()
        .unwrap();
    assert!(registered.status.success(), "{}", String::from_utf8_lossy(&registered.stderr));
    let registered: serde_json::Value = serde_json::from_slice(&registered.stdout).unwrap();
    let (id, secret) = (registered["client_id"].as_str().unwrap(), registered["client_secret"].as_str().unwrap());
    let client = browser();
    let fields = [("email", "ada@example.com"), ("password", PASSWORD)];
    assert_eq!(cluster.post(&client, 0, 0, "/login", &fields).await.status(), StatusCode::SEE_OTHER);

    let verifier = "a-verifier-of-enough-length-for-pkce-0123456789";
    let challenge = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
    };
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", id),
            ("redirect_uri", "http://127.0.0.1:9/cb"),
            ("response_type", "code"),
            ("scope", "openid offline_access"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let sent = client.get(cluster.url(0, &format!("/oauth2/authorize?{query}"))).send().await.unwrap();
    let to = url::Url::parse(sent.headers()["location"].to_str().unwrap()).unwrap();
    let code = to.query_pairs().find(|(name, _)| name == "code").unwrap().1.into_owned();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9/cb"),
        ("code_verifier", verifier),
    ];
    let app = Client::new();
    let tokens: serde_json::Value = app
        .post(cluster.url(1, "/oauth2/token"))
        .basic_auth(id, Some(secret))
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let userinfo = |instance: usize| app.get(cluster.url(instance, "/oauth2/userinfo")).bearer_auth(access).send();
    for instance in 0..3 {
        // Twice each: the second answer comes from the instance's cache.
        for _ in 0..2 {
            assert_eq!(userinfo(instance).await.unwrap().status(), StatusCode::OK, "instance {instance}");
        }
    }

    let revoke = [("token", tokens["refresh_token"].as_str().unwrap())];
    let revoked = app.post(cluster.url(2, "/oauth2/revoke")).basic_auth(id, Some(secret)).form(&revoke).send();
    assert_eq!(revoked.await.unwrap().status(), StatusCode::OK);
    for instance in 0..3 {
        let status = || async { userinfo(instance).await.unwrap().status() };
        let refused = settled(true, &StatusCode::UNAUTHORIZED, status).await;
        assert_eq!(refused, StatusCode::UNAUTHORIZED, "instance {instance}");
    }
}
