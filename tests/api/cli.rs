//! The binary as a newcomer and an operator meet it: defaults, settings, mail in the log.

use std::process::Command;

use reqwest::StatusCode;

use crate::helpers::process::{gatehouse, start, wait_for_line};
use crate::helpers::{PASSWORD, browser, hidden_field};

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

    // The mail is printed, To and Subject on lines of their own, without colour codes, and
    // its link names the very origin printed at start (one origin, one cookie jar).
    wait_for_line(&running.stderr, "no SMTP_URL is set");
    let to = wait_for_line(&running.stderr, "To: newcomer@example.com");
    assert_eq!(to.trim(), "To: newcomer@example.com");
    let subject = wait_for_line(&running.stderr, "Subject: ");
    assert_eq!(subject.trim(), "Subject: Confirm your email address");
    let link = wait_for_line(&running.stderr, &format!("{}/verify-email?token=", running.base));
    assert!(link.trim().starts_with(&running.base), "the link is alone on its line: {link:?}");
    assert!(!link.contains('\u{1b}'), "no ANSI colour codes in a log that is not a terminal");
    let confirm = client.get(link.trim()).send().await.unwrap();
    assert_eq!(confirm.status(), StatusCode::OK);
    assert!(confirm.text().await.unwrap().contains("newcomer@example.com"));

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

/// SIGTERM with a request in flight: its body is held back across the signal, then sent;
/// the request is answered in full, new connections are no longer taken, and the process
/// exits 0.
#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish_then_exits_cleanly() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    assert!(gatehouse(dir.path()).arg("migrate").output().unwrap().status.success());
    let created = gatehouse(dir.path())
        .args(["user", "create", "--email", "ada@example.com", "--verified"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let mut command = gatehouse(dir.path());
    // The trace layer's debug line says when a request has begun: the signal must come after.
    command.env("GATEHOUSE_ADDR", "127.0.0.1:0").env("RUST_LOG", "info,tower_http::trace=debug");
    let mut running = start(command);
    let addr = running.base.trim_start_matches("http://").to_owned();

    let body = format!(r#"{{"email": "ada@example.com", "password": "{PASSWORD}"}}"#);
    let (first, rest) = body.split_at(10);
    let mut in_flight = std::net::TcpStream::connect(&addr).unwrap();
    let head = format!(
        "POST /api/auth/token HTTP/1.1\r\nHost: gatehouse\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    in_flight.write_all(format!("{head}{first}").as_bytes()).unwrap();
    wait_for_line(&running.stderr, "started processing request");

    Command::new("kill").arg("-TERM").arg(running.child.id().to_string()).status().unwrap();
    wait_for_line(&running.stderr, "shutting down: finishing requests in flight");
    in_flight.write_all(rest.as_bytes()).unwrap();
    in_flight.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let mut answer = String::new();
    let _ = in_flight.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "the request in flight was answered: {answer:?}");
    assert!(answer.contains("\"access_token\""), "{answer}");

    assert!(std::net::TcpStream::connect(&addr).is_err(), "no new connections once stopping");
    let status = running.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

/// What a newcomer sees first: no warning (the advice about SECRET_KEY_FILE is calm INFO),
/// the address to open beside the listen line when BASE_URL differs from it, and a
/// request log without a line per stylesheet or icon.
#[tokio::test]
async fn the_first_lines_say_where_to_open_it_calmly_and_assets_stay_out_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = gatehouse(dir.path());
    command.env("GATEHOUSE_ADDR", "127.0.0.1:0").env("BASE_URL", "http://localhost:8080").env("RUST_LOG", "info");
    let running = start(command);
    let open = wait_for_line(&running.stdout, "open ");
    assert_eq!(open, "open http://localhost:8080 in a browser (BASE_URL: the address mails link to)");

    let client = browser();
    for asset in ["/assets/style.css", "/assets/mark.svg", "/favicon.ico", "/login"] {
        assert_eq!(client.get(format!("{}{asset}", running.base)).send().await.unwrap().status(), StatusCode::OK);
    }
    let mut logged = Vec::new();
    loop {
        let line =
            running.stderr.recv_timeout(std::time::Duration::from_secs(20)).expect("the request to /login is logged");
        let done = line.contains("route=\"/login\"") || line.contains("route=/login");
        logged.push(line);
        if done {
            break;
        }
    }
    let log = logged.join("\n");
    assert!(!log.contains("WARN"), "nothing to worry a newcomer: {log}");
    assert!(log.contains("INFO") && log.contains("set SECRET_KEY_FILE"), "the advice is there: {log}");
    assert!(!log.contains("style.css") && !log.contains("mark.svg") && !log.contains("favicon"), "{log}");
}

/// `serve --help` says what BASE_URL defaults to as the server does: the listen address.
#[test]
fn the_help_gives_base_urls_real_default() {
    let dir = tempfile::tempdir().unwrap();
    let help = gatehouse(dir.path()).args(["serve", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("default: http:// and the listen address"), "{text}");
    assert!(!text.contains("http://localhost:<port>"), "{text}");
}

/// The home page promises what signing up does: confirming the address, then logging in.
#[tokio::test]
async fn the_home_page_says_signing_up_ends_with_logging_in() {
    let app = crate::helpers::spawn_app().await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("confirm the address from the link we send you, then log in."), "{home}");
    assert!(!home.contains("and you are in"));
}
