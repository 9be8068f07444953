//! Faults: the server killed without warning loses nothing it accepted.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use sqlx::Connection;
use tokio::task::JoinSet;

use crate::helpers::process::{gatehouse, start};
use crate::helpers::{MailServer, PASSWORD, assert_each_signed_up, browser, hidden_field};

#[tokio::test]
#[ignore = "slow: tests/run runs it (cargo nextest run --run-ignored all)"]
async fn a_server_killed_mid_burst_loses_no_accepted_sign_up_and_its_database_stays_whole() {
    let mail = MailServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("killed.db").display());
    let server = |dir: &std::path::Path| {
        let mut command = gatehouse(dir);
        command
            .env("GATEHOUSE_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", &database)
            .env("SMTP_URL", mail.url())
            .env("BASE_URL", "http://localhost:8080");
        start(command)
    };
    let mut running = server(dir.path());

    let done = Arc::new(AtomicUsize::new(0));
    // Sign-ups whose POST was sent and never answered: in flight when the process died.
    let cut_off = Arc::new(AtomicUsize::new(0));
    let mut signups = JoinSet::new();
    for n in 0..40 {
        let base = running.base.clone();
        let (done, cut_off) = (Arc::clone(&done), Arc::clone(&cut_off));
        signups.spawn(async move {
            let client = browser();
            let email = format!("burst{n}@example.com");
            let page = client.get(format!("{base}/register")).send().await.ok()?.text().await.ok()?;
            let token = hidden_field(&page, "csrf_token")?;
            let form = [("csrf_token", token.as_str()), ("email", email.as_str()), ("password", PASSWORD)];
            let Ok(response) = client.post(format!("{base}/register")).form(&form).send().await else {
                cut_off.fetch_add(1, Ordering::SeqCst);
                return None;
            };
            let accepted = response.status() == StatusCode::SEE_OTHER;
            done.fetch_add(usize::from(accepted), Ordering::SeqCst);
            accepted.then_some(email)
        });
    }
    // Kill it in the middle of the burst: once a few sign-ups were answered.
    for _ in 0..200 {
        if done.load(Ordering::SeqCst) >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    running.child.kill().unwrap(); // SIGKILL: no chance to tidy up
    running.child.wait().unwrap();
    let mut accepted = Vec::new();
    while let Some(result) = signups.join_next().await {
        accepted.extend(result.unwrap());
    }
    assert!(!accepted.is_empty(), "some sign-ups finished before the kill");
    assert!(cut_off.load(Ordering::SeqCst) > 0, "some sign-ups were in flight at the kill");

    let _restarted = server(dir.path());
    // Mail the dead instance had leased goes out once its lease (a minute) runs out.
    for email in &accepted {
        mail.wait_within(Duration::from_secs(90), email, 1, |_| true).await;
    }
    assert_each_signed_up(&database, &accepted).await;
    let mut db = sqlx::SqliteConnection::connect(&database).await.unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut db).await.unwrap();
    assert_eq!(integrity, "ok");
}
