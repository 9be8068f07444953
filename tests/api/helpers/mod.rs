//! Spawns the real application on a random loopback port, with its own database and a
//! real SMTP server, and drives it over HTTP like a browser would.

pub mod authenticator;
pub mod process;
pub mod smtp;
pub mod totp;

use std::net::SocketAddr;
use std::sync::LazyLock;

use gatehouse::{AppState, Application, Config};
use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use sqlx::Connection;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub use smtp::MailServer;

pub const PASSWORD: &str = "correct horse battery staple";

/// Logs stay quiet unless `TEST_LOG` is set.
static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var_os("TEST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter("info,gatehouse=debug").with_test_writer().init();
    }
});

pub struct TestApp {
    pub addr: SocketAddr,
    /// The public origin, as it appears in links.
    pub base_url: String,
    pub mail: MailServer,
    pub state: AppState,
    pub client: Client,
    stop: Option<oneshot::Sender<()>>,
    pub database: TestDatabase,
    _dir: TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app with the test defaults, changed by `configure`.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_unless_port_taken(configure).await.expect("the application starts: its listen address is taken")
}

/// Like `spawn_app_with`, but `None` when another process holds the listen address that
/// `configure` chose (only a drawn port can be: port 0 never is).
pub async fn spawn_app_unless_port_taken(configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
    LazyLock::force(&TRACING);
    let dir = tempfile::tempdir().unwrap();
    let mail = MailServer::start().await;
    let database = TestDatabase::create(&dir).await;
    let mut config = Config::with_database(database.url.clone());
    config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    config.smtp_url = Some(mail.url().into());
    configure(&mut config);
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(error) if is_address_in_use(&error) => return None,
        Err(error) => panic!("the application starts: {error:?}"),
    };
    let addr = app.local_addr();
    let state = app.state().clone();
    let base_url = state.links().page("/").trim_end_matches('/').to_owned();
    let (stop, stopped) = oneshot::channel();
    tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    Some(TestApp { addr, base_url, mail, state, client: browser(), stop: Some(stop), database, _dir: dir })
}

fn is_address_in_use(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse)
    })
}

/// The app at `http://localhost:PORT`, as passkeys need: a domain name (`localhost`) for
/// their relying party, where an IP address cannot be one. Requests still go to loopback.
pub async fn spawn_app_on_localhost_with(configure: impl Fn(&mut Config)) -> TestApp {
    let configure = &configure;
    on_a_drawn_port(|port| async move {
        spawn_app_unless_port_taken(|config| {
            config.addr = SocketAddr::from(([127, 0, 0, 1], port));
            config.base_url = Some(format!("http://localhost:{port}").parse().unwrap());
            configure(config);
        })
        .await
    })
    .await
}

/// What `start` gives on a port drawn by `unclaimed_port`, for a server whose address must
/// be known before it starts. Another process may bind the port between the draw and
/// `start`; then `start` answers `None` and a new port is drawn.
pub async fn on_a_drawn_port<T, F>(mut start: impl FnMut(u16) -> F) -> T
where
    F: std::future::Future<Output = Option<T>>,
{
    for _ in 0..5 {
        if let Some(started) = start(unclaimed_port()).await {
            return started;
        }
    }
    panic!("five drawn ports in a row were taken, or the server exits at start (TEST_LOG=1 may show why)");
}

/// A port free now, drawn from below Linux's ephemeral range (32768 and up) where every
/// `bind(127.0.0.1:0)` of the other tests lands. Another test may still draw the same one,
/// or another process bind it: see `on_a_drawn_port`.
pub fn unclaimed_port() -> u16 {
    loop {
        let port = rand::random_range(20_000..32_768);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Polls `done` until it holds, for at most 20 s: a wait for work to be done, never a
/// fixed sleep standing in for it.
pub async fn eventually<F: std::future::Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    for _ in 0..400 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("not within 20 s: {what}");
}

/// What `ask` answers, asked again (for a bounded moment) until it answers `expected`, on
/// PostgreSQL only: there a write by another instance or process reaches this instance's
/// read cache by NOTIFY, a little after its commit. On SQLite the first answer counts:
/// the cache hears of a commit before the commit returns.
pub async fn settled<T, F>(postgres: bool, expected: &T, mut ask: impl FnMut() -> F) -> T
where
    T: PartialEq,
    F: std::future::Future<Output = T>,
{
    let mut answer = ask().await;
    for _ in 0..if postgres { 200 } else { 0 } {
        if answer == *expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        answer = ask().await;
    }
    answer
}

/// Each test gets its own database: a SQLite file in a temporary directory, or, with
/// `GATEHOUSE_TEST_BACKEND=postgres`, a fresh database on the `TEST_POSTGRES_URL` server.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    async fn create(dir: &TempDir) -> Self {
        if std::env::var("GATEHOUSE_TEST_BACKEND").as_deref() != Ok("postgres") {
            let url = format!("sqlite://{}", dir.path().join("gatehouse.db").display());
            return Self { url, postgres: None };
        }
        Self::postgres().await
    }

    /// A fresh database on the `TEST_POSTGRES_URL` server, whatever the backend of the run.
    pub async fn postgres() -> Self {
        let server = std::env::var("TEST_POSTGRES_URL").expect("TEST_POSTGRES_URL for the PostgreSQL tests");
        let name = format!("gatehouse_test_{}", uuid_like());
        let mut admin = sqlx::PgConnection::connect(&server).await.expect("connect to TEST_POSTGRES_URL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
        let mut url = url::Url::parse(&server).unwrap();
        url.set_path(&name);
        Self { url: url.to_string(), postgres: Some((server, name)) }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Drop runs outside any runtime we may block; a short-lived one does the clean-up.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server).await {
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
                }
            });
        })
        .join()
        .ok();
    }
}

fn uuid_like() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    hex::encode(bytes)
}

/// A client that keeps cookies and, like a test should, does not follow redirects.
pub fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Turns a link from an email into one this test can reach, checking its origin.
    pub fn reachable(&self, link: &str) -> String {
        let rest = link.strip_prefix(&self.base_url).unwrap_or_else(|| panic!("{link} is not under {}", self.base_url));
        self.url(rest)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_with(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    /// Posts a form the way a browser does: with the CSRF token of a page it just loaded.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post_form_with(&self.client, path, fields).await
    }

    pub async fn post_form_with(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token_with(client).await;
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        form.extend_from_slice(fields);
        client.post(self.url(path)).form(&form).send().await.unwrap()
    }

    pub async fn csrf_token_with(&self, client: &Client) -> String {
        let page = client.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        hidden_field(&page, "csrf_token").expect("the login page has a CSRF token")
    }

    pub async fn register(&self, email: &str, password: &str) -> Response {
        self.post_form("/register", &[("email", email), ("password", password)]).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.login_with(&self.client, email, password).await
    }

    pub async fn login_with(&self, client: &Client, email: &str, password: &str) -> Response {
        self.post_form_with(client, "/login", &[("email", email), ("password", password)]).await
    }

    /// The verification link from the latest mail to `email` that holds one.
    pub async fn verification_link(&self, email: &str) -> String {
        let prefix = format!("{}/verify-email?token=", self.base_url);
        let mails = self.mail.wait_for_matching(email, 1, |mail| mail.text.contains(&prefix)).await;
        self.reachable(&mails.last().unwrap().link(&prefix))
    }

    /// Signs up and confirms the address through the mailed link, as a person would.
    pub async fn verified_user(&self, email: &str) {
        assert_eq!(self.register(email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let link = self.verification_link(email).await;
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let confirmed = self.post_form("/verify-email", &[("token", &token)]).await;
        assert_eq!(confirmed.status(), StatusCode::OK);
    }

    /// A verified account with [`PASSWORD`], made as `gatehouse user create --verified`
    /// makes it: whatever the sign-up rules.
    pub async fn verified_user_made_by_operator(&self, email: &str) -> i64 {
        let email = gatehouse::domain::Email::parse(email).unwrap();
        let hash = self.state.hasher().hash(PASSWORD).await.unwrap();
        let now = gatehouse::store::now();
        gatehouse::store::users::insert_verified(self.state.store().pool(), &email, &hash, Some(now), now)
            .await
            .unwrap()
            .expect("a new address")
    }

    /// A client signed in as a new verified user.
    pub async fn signed_in(&self, email: &str) -> Client {
        self.verified_user(email).await;
        let client = browser();
        assert_eq!(self.login_with(&client, email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
        client
    }

    /// Waits (up to 20 s) until every mail asked for has gone out: no request for mail
    /// waiting, nothing unsent in the outbox. After it a test may say what was not sent:
    /// nothing more can come.
    pub async fn all_mail_sent(&self) {
        let unsent =
            "SELECT (SELECT COUNT(*) FROM mail_requests) + (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL)";
        eventually("every mail sent", || async { self.scalar(unsent).await == 0 }).await;
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(self.state.store().pool()).await.unwrap()
    }

    /// A connection that holds the database's write lock until it is dropped or committed.
    pub async fn lock_writes(&self) -> sqlx::AnyConnection {
        let mut connection = sqlx::AnyConnection::connect(&self.database.url).await.unwrap();
        if self.database.is_postgres() {
            sqlx::query("BEGIN").execute(&mut connection).await.unwrap();
            sqlx::query("LOCK TABLE signing_keys IN ACCESS EXCLUSIVE MODE").execute(&mut connection).await.unwrap();
        } else {
            sqlx::query("BEGIN EXCLUSIVE").execute(&mut connection).await.unwrap();
        }
        connection
    }

    /// Makes every session look as if its password was entered long ago (the session
    /// itself stays valid), for the changes that ask for a recent sign-in.
    pub async fn age_sign_ins(&self) {
        self.execute(
            r#"UPDATE sessions SET data = replace(data, '"authenticated_at":', '"authenticated_at":1000000000,"was":')"#,
        )
        .await;
    }

    /// Runs `sql` as this instance would: its next request reads what was written. (On
    /// PostgreSQL a write from elsewhere reaches the read cache only once notified: see
    /// `settled`.)
    pub async fn execute(&self, sql: &str) {
        sqlx::query(sql).execute(self.state.store().pool()).await.unwrap();
        self.state.store().forget_cached_reads();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Fails unless every address has exactly one account in the SQLite database at `url`:
/// for sign-ups that were answered `303` before something went wrong.
pub async fn assert_each_signed_up(url: &str, emails: &[String]) {
    use sqlx::Connection;
    let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
    for email in emails {
        let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = ?")
            .bind(email)
            .fetch_one(&mut db)
            .await
            .unwrap();
        assert_eq!(found, 1, "{email} got a 303 but was lost");
    }
}

/// The value of a hidden input in a page.
/// The token of an emailed link.
pub fn token_of(link: &str) -> String {
    link.split("token=").nth(1).expect("the link carries a token").to_owned()
}

pub fn hidden_field(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}

/// The `Set-Cookie` header for cookie `name`.
pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

pub const SESSION_COOKIE: &str = "gatehouse-session";
