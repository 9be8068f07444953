//! The `gatehouse` binary as a separate process, as operators and load balancers see it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::TestApp;

const SETTINGS: &[&str] = &[
    "GATEHOUSE_ADDR",
    "DATABASE_URL",
    "BASE_URL",
    "SMTP_URL",
    "SMTP_CA_FILE",
    "MAIL_FROM",
    "LOGIN_RATE_BURST",
    "LOGIN_RATE_PER_MINUTE",
    "TRUSTED_PROXIES",
    "PASSWORD_MIN_LENGTH",
    "DATABASE_MAX_CONNECTIONS",
    "DATABASE_ACQUIRE_TIMEOUT",
    "METRICS_ADDR",
    "LOG_FORMAT",
    "JWT_AUDIENCE",
    "CORS_ALLOWED_ORIGINS",
    "MAX_CONNECTIONS",
    "MAX_CONNECTIONS_PER_IP",
    "SECRET_KEY_FILE",
    "SESSION_COOKIE_DOMAIN",
    "GATEHOUSE_CONFIG",
    "BRAND_NAME",
    "BRAND_ACCENT_COLOR",
    "BRAND_SUPPORT_EMAIL",
    "SIGNUP",
    "SIGNUP_ALLOWED_DOMAINS",
    "INVITATION_VALID_DAYS",
    "EMAIL_CODE_LOGIN",
];

pub fn gatehouse(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    command.current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for name in SETTINGS {
        command.env_remove(name);
    }
    command.env_remove("RUST_LOG");
    command
}

/// Lines of a child's stream, read on a thread so the test can wait with a timeout.
pub fn lines(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

pub fn wait_for_line(rx: &mpsc::Receiver<String>, contains: &str) -> String {
    first_line_with(rx, contains).unwrap_or_else(|| panic!("the stream ended with no line with {contains:?}"))
}

/// The first line with `contains`, or `None` if the stream ends (its process exited) first.
pub fn first_line_with(rx: &mpsc::Receiver<String>, contains: &str) -> Option<String> {
    loop {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) if line.contains(contains) => return Some(line),
            Ok(_) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("no line with {contains:?} within 20 s"),
        }
    }
}

pub struct Running {
    pub child: Child,
    pub base: String,
    pub stdout: mpsc::Receiver<String>,
    pub stderr: mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(mut command: Command) -> Running {
    let mut child = command.spawn().expect("the binary runs");
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    // Owned before the wait, so that a panic there still stops it.
    let mut running = Running { child, base: String::new(), stdout, stderr };
    let listening = wait_for_line(&running.stdout, "listening on ");
    assert!(listening.starts_with("listening on http://127.0.0.1:"), "{listening}");
    running.base = listening.trim_start_matches("listening on ").to_owned();
    running
}

/// Runs `gatehouse ARGS` on the app's database, with `stdin` as standard input. It blocks
/// the thread, and so an in-process app on the same runtime: see [`run_beside`].
pub fn run(app: &TestApp, args: &[&str], stdin: &str) -> Output {
    run_on(&app.database.url, args, stdin)
}

/// Like [`run`], on a thread of its own, so that the in-process app keeps answering (and
/// can finish, and unlock, what it is in the middle of).
pub async fn run_beside(app: &TestApp, args: &[&'static str]) -> Output {
    let (url, args) = (app.database.url.clone(), args.to_vec());
    tokio::task::spawn_blocking(move || run_on(&url, &args, "")).await.unwrap()
}

fn run_on(database_url: &str, args: &[&str], stdin: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut command = gatehouse(dir.path());
    command.args(args).env("DATABASE_URL", database_url).stdin(Stdio::piped());
    let mut child = command.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

pub fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn fails_with(output: &Output, message: &str) {
    assert!(!output.status.success(), "should have failed: {}", String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(message), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}
