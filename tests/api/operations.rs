//! What the people who run Gatehouse rely on: metrics, machine-readable logs that hold no
//! secret, request ids, and a clean stop.

use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::process::{gatehouse, start, wait_for_line};
use crate::helpers::{MailServer, PASSWORD, browser, hidden_field};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// `name{labels} value` lines of a Prometheus text page.
fn samples(page: &str) -> HashMap<String, f64> {
    page.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| line.rsplit_once(' '))
        .map(|(name, value)| (name.to_owned(), value.parse().unwrap()))
        .collect()
}

fn sample(samples: &HashMap<String, f64>, name: &str, labels: &[&str]) -> f64 {
    samples
        .iter()
        .filter(|(key, _)| key.split('{').next() == Some(name) && labels.iter().all(|label| key.contains(label)))
        .map(|(_, value)| value)
        .sum()
}

#[tokio::test]
async fn a_full_flow_shows_in_the_metrics_and_leaves_no_secret_in_the_json_log() {
    let mail = MailServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut command = gatehouse(dir.path());
    command
        .env("GATEHOUSE_ADDR", "127.0.0.1:0")
        .env("METRICS_ADDR", "127.0.0.1:0")
        .env("LOG_FORMAT", "json")
        .env("SMTP_URL", mail.url())
        .env("BASE_URL", "http://localhost:8080");
    let mut server = start(command);
    let metrics = wait_for_line(&server.stdout, "metrics on ").trim_start_matches("metrics on ").to_owned();
    let url = |path: &str| format!("{}{path}", server.base);
    let client = browser();
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = url(path);
        let login = server.base.clone() + "/login";
        async move {
            let page = client.get(login).send().await.unwrap().text().await.unwrap();
            let mut form = vec![("csrf_token", hidden_field(&page, "csrf_token").unwrap())];
            form.extend(fields);
            client.post(url).form(&form).send().await.unwrap()
        }
    };

    let email = "secret.person@example.com";
    let signup = post("/register", vec![("email", email.into()), ("password", PASSWORD.into())]).await;
    assert_eq!(signup.status(), StatusCode::SEE_OTHER);
    let request_id = signup.headers()["x-request-id"].to_str().unwrap().to_owned();
    let verify_link =
        mail.latest_with_subject(email, "Confirm your email address").await.link("http://localhost:8080/verify-email");
    let verify_token = verify_link.split("token=").nth(1).unwrap().to_owned();
    assert_eq!(post("/verify-email", vec![("token", verify_token.clone())]).await.status(), StatusCode::OK);
    assert_eq!(
        post("/login", vec![("email", email.into()), ("password", "wrong password".into())]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post("/login", vec![("email", email.into()), ("password", PASSWORD.into())]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(client.get(url("/api/me")).send().await.unwrap().status(), StatusCode::OK);
    post("/forgot-password", vec![("email", email.into())]).await;
    let reset_link =
        mail.latest_with_subject(email, "Reset your password").await.link("http://localhost:8080/reset-password");
    let reset_token = reset_link.split("token=").nth(1).unwrap().to_owned();
    assert_eq!(
        client.get(url(&format!("/reset-password?token={reset_token}"))).send().await.unwrap().status(),
        StatusCode::OK
    );
    let reset = post("/reset-password", vec![("token", reset_token.clone()), ("password", NEW_PASSWORD.into())]).await;
    assert_eq!(reset.status(), StatusCode::OK);
    mail.latest_with_subject(email, "Your password was reset").await;

    let page = client.get(&metrics).send().await.unwrap().text().await.unwrap();
    let samples = samples(&page);
    assert_eq!(sample(&samples, "gatehouse_signups_total", &[]), 1.0);
    assert_eq!(sample(&samples, "gatehouse_email_verifications_total", &[]), 1.0);
    assert_eq!(sample(&samples, "gatehouse_logins_total", &["result=\"ok\""]), 1.0);
    assert_eq!(sample(&samples, "gatehouse_logins_total", &["result=\"failed\""]), 1.0);
    assert_eq!(sample(&samples, "gatehouse_http_requests_total", &["route=\"/register\"", "status=\"303\""]), 1.0);
    assert!(sample(&samples, "gatehouse_http_request_duration_seconds_count", &["route=\"/login\""]) >= 2.0);
    assert!(sample(&samples, "gatehouse_argon2_queue_wait_seconds_count", &[]) >= 4.0);
    // The third mail may have arrived a moment before its sender counted it.
    assert!(sample(&samples, "gatehouse_mail_total", &["result=\"sent\""]) >= 2.0);
    assert!(samples.contains_key("gatehouse_outbox_depth") && samples.contains_key("gatehouse_db_pool_connections"));

    Command::new("kill").arg("-TERM").arg(server.child.id().to_string()).status().unwrap();
    assert!(server.child.wait().unwrap().success());
    let mut lines = Vec::new();
    while let Ok(line) = server.stderr.recv_timeout(Duration::from_secs(5)) {
        lines.push(line);
    }
    assert!(lines.len() > 10);
    for line in &lines {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        assert!(entry.is_object());
        for secret in [PASSWORD, NEW_PASSWORD, "wrong password", email, &verify_token, &reset_token] {
            assert!(!line.contains(secret), "the log holds a secret ({secret}): {line}");
        }
    }
    let signup_line = lines.iter().find(|line| line.contains(&request_id) && line.contains("user_registered"));
    assert!(signup_line.is_some(), "security events carry the request id");
    let request_line = lines.iter().find(|line| line.contains(&request_id) && line.contains("latency")).unwrap();
    for field in ["\"method\":\"POST\"", "\"route\":\"/register\"", "\"status\":303", "\"client_ip\":\"127.0.0.1\""] {
        assert!(request_line.contains(field), "{field} missing: {request_line}");
    }
}
