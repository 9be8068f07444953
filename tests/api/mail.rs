use std::net::SocketAddr;
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::{MailServer, PASSWORD, spawn_app_with};

#[tokio::test]
async fn mail_written_while_smtp_is_down_arrives_once_it_is_back() {
    // Reserve a port, then leave it closed: the relay is down.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let relay = SocketAddr::from(([127, 0, 0, 1], port));
    let app = spawn_app_with(|config| config.smtp_url = Some(format!("smtp://{relay}").into())).await;

    for n in 0..3 {
        assert_eq!(app.register(&format!("user{n}@example.com"), PASSWORD).await.status(), StatusCode::SEE_OTHER);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(app.scalar("SELECT COUNT(*) FROM outbox WHERE attempts > 0 AND sent_at IS NULL").await >= 1);

    let relay = MailServer::start_on(relay).await;
    for n in 0..3 {
        let mails = relay.wait_for(&format!("user{n}@example.com"), 1).await;
        assert_eq!(mails.len(), 1);
    }
    // Exactly once: nothing more arrives on later polls.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(relay.messages().len(), 3);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 0);
}

#[tokio::test]
async fn sent_mail_keeps_no_copy_of_its_link() {
    let app = spawn_app_with(|_| {}).await;
    app.register("ada@example.com", PASSWORD).await;
    app.mail.wait_for("ada@example.com", 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox WHERE body_text LIKE '%token=%'").await, 0);
}

#[tokio::test]
async fn each_mail_has_a_plain_text_part_with_the_link_on_its_own_line() {
    let app = spawn_app_with(|_| {}).await;
    app.register("ada@example.com", PASSWORD).await;
    let mail = app.mail.wait_for("ada@example.com", 1).await.remove(0);
    assert!(mail.raw.to_ascii_lowercase().contains("content-type: text/plain"));
    assert!(mail.raw.contains("From: Gatehouse <no-reply@localhost>"));
    let link = mail.link(&format!("{}/verify-email?token=", app.base_url));
    assert!(!link.contains(' '));
}
