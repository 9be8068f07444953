use std::net::SocketAddr;

use reqwest::StatusCode;

use crate::helpers::{MailServer, PASSWORD, eventually, spawn_app_with, unclaimed_port};

#[tokio::test]
async fn mail_written_while_smtp_is_down_arrives_once_it_is_back() {
    // A port nothing listens on (drawn below the range other tests' servers bind in): the
    // relay is down.
    let relay = SocketAddr::from(([127, 0, 0, 1], unclaimed_port()));
    let app = spawn_app_with(|config| config.smtp_url = Some(format!("smtp://{relay}").into())).await;

    for n in 0..3 {
        assert_eq!(app.register(&format!("user{n}@example.com"), PASSWORD).await.status(), StatusCode::SEE_OTHER);
    }
    let tried = "SELECT COUNT(*) FROM outbox WHERE attempts > 0 AND sent_at IS NULL";
    eventually("a send was tried and failed", || async { app.scalar(tried).await >= 1 }).await;

    let relay = MailServer::start_on(relay).await;
    for n in 0..3 {
        let mails = relay.wait_for(&format!("user{n}@example.com"), 1).await;
        assert_eq!(mails.len(), 1);
    }
    // Exactly once: with everything marked sent, nothing more can go out.
    app.all_mail_sent().await;
    assert_eq!(relay.messages().len(), 3);
}

#[tokio::test]
async fn sent_mail_keeps_no_copy_of_its_link() {
    let app = spawn_app_with(|_| {}).await;
    app.register("ada@example.com", PASSWORD).await;
    app.mail.wait_for("ada@example.com", 1).await;
    app.all_mail_sent().await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM outbox").await, 1, "the mail's row is kept");
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
