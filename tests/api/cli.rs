//! The binary as a newcomer and an operator meet it: defaults, settings, mail in the log.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, hidden_field};

const SETTINGS: &[&str] = &[
    "GATEHOUSE_ADDR",
    "DATABASE_URL",
    "BASE_URL",
    "SMTP_URL",
    "MAIL_FROM",
    "LOGIN_RATE_BURST",
    "LOGIN_RATE_PER_MINUTE",
    "TRUSTED_PROXIES",
    "PASSWORD_MIN_LENGTH",
];

fn gatehouse(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    command.current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for name in SETTINGS {
        command.env_remove(name);
    }
    command.env("RUST_LOG", "info");
    command
}

/// Lines of a child's stream, read on a thread so the test can wait with a timeout.
fn lines(stream: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
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

fn wait_for_line(rx: &mpsc::Receiver<String>, contains: &str) -> String {
    loop {
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| panic!("no line with {contains:?}"));
        if line.contains(contains) {
            return line;
        }
    }
}

struct Running {
    child: Child,
    base: String,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(mut command: Command) -> Running {
    let mut child = command.spawn().expect("the binary runs");
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    let listening = wait_for_line(&stdout, "listening on ");
    assert!(listening.starts_with("listening on http://127.0.0.1:"), "{listening}");
    let base = listening.trim_start_matches("listening on ").to_owned();
    Running { child, base, stderr }
}

#[tokio::test]
async fn with_no_settings_it_serves_from_a_fresh_directory_and_logs_mail_with_its_link() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = gatehouse(dir.path());
    command.env("GATEHOUSE_ADDR", "127.0.0.1:0");
    let mut running = start(command);
    assert!(dir.path().join("gatehouse.db").exists(), "the SQLite file is created in the working directory");

    let client = browser();
    let page = client.get(format!("{}/register", running.base)).send().await.unwrap().text().await.unwrap();
    let token = hidden_field(&page, "csrf_token").unwrap();
    let form = [("csrf_token", token.as_str()), ("email", "newcomer@example.com"), ("password", PASSWORD)];
    let response = client.post(format!("{}/register", running.base)).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let port = running.base.rsplit(':').next().unwrap().to_owned();
    let link = wait_for_line(&running.stderr, &format!("http://localhost:{port}/verify-email?token="));
    let path = &link.trim()[format!("http://localhost:{port}").len()..];
    let confirm = client.get(format!("{}{path}", running.base)).send().await.unwrap();
    assert_eq!(confirm.status(), StatusCode::OK);

    // SIGTERM: a clean stop.
    Command::new("kill").arg("-TERM").arg(running.child.id().to_string()).status().unwrap();
    let status = running.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn a_bad_setting_stops_start_up_with_a_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("BASE_URL", "not a url"),
        ("GATEHOUSE_ADDR", "localhost"),
        ("PASSWORD_MIN_LENGTH", "6"),
        ("SMTP_URL", "mail.example.com"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"),
    ];
    for (name, value) in cases {
        // A free port, unless the case is about the address itself.
        let output = gatehouse(dir.path()).env("GATEHOUSE_ADDR", "127.0.0.1:0").env(name, value).output().unwrap();
        assert!(!output.status.success(), "{name}={value} should not start");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(name), "{name}={value}: {stderr}");
        assert!(!String::from_utf8_lossy(&output.stdout).contains("listening on"));
    }
}

#[test]
fn migrate_applies_the_schema_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let output = gatehouse(dir.path()).arg("migrate").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(dir.path().join("gatehouse.db").exists());
}
