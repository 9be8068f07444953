use std::net::SocketAddr;

use reqwest::StatusCode;

use crate::helpers::smtp::TlsMode;
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
    let tried = "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL AND sent_at IS NULL";
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

/// Mail to a relay that speaks TLS (STARTTLS on `smtp://…?tls=required`, or `smtps://`)
/// with a certificate from a private CA, which `SMTP_CA_FILE` names, and that takes mail
/// only after AUTH with the credentials in `SMTP_URL`: each arrives encrypted, sent as
/// that user; with a wrong password nothing is delivered and the mail waits in the outbox.
#[tokio::test]
async fn mail_goes_over_tls_with_credentials_to_a_relay_with_a_private_ca() {
    for mode in [TlsMode::StartTls, TlsMode::Wrapped] {
        let (relay, ca_pem) = MailServer::start_tls(mode, "gatehouse", "relay secret").await;
        let dir = tempfile::tempdir().unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_pem).unwrap();
        let port = relay.addr.port();
        let url = |password: &str| match mode {
            TlsMode::StartTls => format!("smtp://gatehouse:{password}@localhost:{port}?tls=required"),
            TlsMode::Wrapped => format!("smtps://gatehouse:{password}@localhost:{port}"),
        };

        let app = spawn_app_with(|config| {
            config.smtp_url = Some(url("relay%20secret").into());
            config.smtp_ca_file = Some(ca_file.clone());
        })
        .await;
        assert_eq!(app.register("ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let mail = relay.wait_for("ada@example.com", 1).await.remove(0);
        assert!(mail.encrypted, "{mode:?}: over TLS");
        assert_eq!(mail.user.as_deref(), Some("gatehouse"), "{mode:?}: sent after AUTH");

        let wrong = spawn_app_with(|config| {
            config.smtp_url = Some(url("wrong").into());
            config.smtp_ca_file = Some(ca_file.clone());
        })
        .await;
        assert_eq!(wrong.register("bob@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let tried = "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL AND sent_at IS NULL";
        eventually("a refused send", || async { wrong.scalar(tried).await >= 1 }).await;
        assert!(relay.messages_to("bob@example.com").is_empty(), "{mode:?}: nothing without the right password");
    }
}

/// Without `SMTP_CA_FILE` the private CA's certificate is not trusted: nothing is sent in
/// the clear instead, the mail waits.
#[tokio::test]
async fn a_relay_whose_certificate_is_not_trusted_gets_no_mail() {
    let (relay, _ca_pem) = MailServer::start_tls(TlsMode::Wrapped, "gatehouse", "relay secret").await;
    let url = format!("smtps://gatehouse:relay%20secret@localhost:{}", relay.addr.port());
    let app = spawn_app_with(|config| config.smtp_url = Some(url.into())).await;
    assert_eq!(app.register("ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let tried = "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL AND sent_at IS NULL";
    eventually("a refused send", || async { app.scalar(tried).await >= 1 }).await;
    assert!(relay.messages().is_empty());
}
