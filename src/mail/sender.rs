//! The background worker that drains the outbox through SMTP (or into the log).

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::watch;

use super::Outbox;
use super::letterhead::Letterhead;
use crate::store::{self, Store, outbox::OutboxMessage};

/// How long a worker may hold a message before another may try it: longer than a batch
/// can take (BATCH × the SMTP timeout), so no two instances send one message, and short
/// enough that mail held by an instance that died goes out within a minute.
const LEASE_SECS: i64 = 60;
const BATCH: i64 = 3;
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);
/// The certificates in `SMTP_CA_FILE`: read at start, and by `check-config`.
pub fn ca_certificates(ca_file: &Path) -> anyhow::Result<Certificate> {
    let pem = std::fs::read(ca_file).with_context(|| format!("SMTP_CA_FILE: cannot read {}", ca_file.display()))?;
    // lettre reads a file without any certificate as an empty list, which would trust nothing.
    let holds_one = pem.windows(27).any(|window| window == b"-----BEGIN CERTIFICATE-----");
    let roots = holds_one.then(|| Certificate::from_pem(&pem).ok()).flatten();
    roots.with_context(|| format!("SMTP_CA_FILE: {} holds no PEM certificate", ca_file.display()))
}

/// The TLS `smtp_url` asks for (as lettre reads it: `smtps://` wraps the connection,
/// `?tls=required` or `?tls=opportunistic` use STARTTLS), trusting the certificates in
/// `ca_file` as well as the public roots; `None` when the URL asks for no TLS.
fn tls_trusting(smtp_url: &str, ca_file: &Path) -> anyhow::Result<Option<Tls>> {
    let url = url::Url::parse(smtp_url).context("SMTP_URL is not a URL")?;
    let host = url.host_str().context("SMTP_URL names no host")?.to_owned();
    let roots = ca_certificates(ca_file)?;
    let parameters = || TlsParameters::builder(host.clone()).add_root_certificate(roots.clone()).build_rustls();
    let tls = url.query_pairs().find(|(key, _)| key == "tls").map(|(_, value)| value.into_owned());
    Ok(match (url.scheme(), tls.as_deref()) {
        ("smtps", _) => Some(Tls::Wrapper(parameters()?)),
        (_, Some("required")) => Some(Tls::Required(parameters()?)),
        (_, Some("opportunistic")) => Some(Tls::Opportunistic(parameters()?)),
        _ => None,
    })
}

/// Poll this often even without a wake-up, for retries and for mail queued by other instances.
const POLL: Duration = Duration::from_secs(2);
const MAX_BACKOFF_SECS: i64 = 15 * 60;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No `SMTP_URL`: mail (with its links) goes to the log, so a newcomer can click through.
    Log,
}

impl Transport {
    /// The transport `SMTP_URL` names; with `ca_file` (`SMTP_CA_FILE`), its TLS also trusts
    /// the certificates in that PEM file, for a relay with a private CA.
    pub fn from_config(smtp_url: Option<&SecretString>, ca_file: Option<&Path>) -> anyhow::Result<Self> {
        let Some(url) = smtp_url else { return Ok(Self::Log) };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .context("SMTP_URL is not a usable SMTP URL")?
            .timeout(Some(SMTP_TIMEOUT));
        if let Some(file) = ca_file
            && let Some(tls) = tls_trusting(url.expose_secret(), file)?
        {
            builder = builder.tls(tls);
        }
        Ok(Self::Smtp(builder.build()))
    }

    /// Says once, at start, where mail goes when it is not sent.
    pub fn announce(&self) {
        if let Self::Log = self {
            tracing::info!("no SMTP_URL is set: mail is not sent, each message is printed below with its link");
        }
    }

    async fn send(&self, from: &Mailbox, letterhead: &Letterhead, message: &OutboxMessage) -> anyhow::Result<Delivery> {
        let subject = letterhead.subject(&message.subject);
        let text = letterhead.text(&message.body_text);
        match self {
            Self::Log => {
                tracing::info!(
                    outbox_id = message.id,
                    "mail, printed instead of sent:\nTo: {}\nSubject: {subject}\n\n{}",
                    message.recipient,
                    text.trim_end()
                );
                Ok(Delivery::Logged)
            }
            Self::Smtp(transport) => {
                let html = letterhead.html(&subject, &message.body_text)?;
                let email = Message::builder()
                    .from(from.clone())
                    .to(message.recipient.parse().context("recipient address")?)
                    .subject(subject)
                    .multipart(MultiPart::alternative_plain_html(text, html))
                    .context("building the message")?;
                transport.send(email).await.context("SMTP delivery")?;
                Ok(Delivery::Sent)
            }
        }
    }
}

/// What became of a message that left the outbox.
enum Delivery {
    Sent,
    /// Printed in the log, for lack of an SMTP server.
    Logged,
}

/// Sends due mail until `shutdown` changes, then finishes the batch in hand.
pub async fn run(
    store: Store,
    outbox: Outbox,
    transport: Transport,
    from: Mailbox,
    letterhead: Letterhead,
    mut shutdown: watch::Receiver<bool>,
) {
    let from = letterhead.sender(&from);
    let wake = outbox.notified();
    loop {
        match send_due(&store, &transport, &from, &letterhead).await {
            Ok(sent) if sent == BATCH as usize => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(error = format!("{error:#}"), "outbox: cannot read due mail"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Sends one batch; returns how many messages it took.
async fn send_due(
    store: &Store,
    transport: &Transport,
    from: &Mailbox,
    letterhead: &Letterhead,
) -> anyhow::Result<usize> {
    let due = store::outbox::claim_due(store.pool(), store::now(), LEASE_SECS, BATCH).await?;
    for message in &due {
        match transport.send(from, letterhead, message).await {
            Ok(delivery) => {
                store::outbox::mark_sent(store.pool(), message.id, store::now()).await?;
                if let Delivery::Sent = delivery {
                    crate::metrics::mail("sent");
                    tracing::info!(outbox_id = message.id, attempts = message.attempts, "mail sent");
                }
            }
            Err(error) => {
                let delay = backoff_secs(message.attempts);
                let error = format!("{error:#}");
                tracing::warn!(
                    outbox_id = message.id,
                    attempts = message.attempts,
                    retry_in_secs = delay,
                    error,
                    "mail not sent; will retry"
                );
                store::outbox::mark_failed(store.pool(), message.id, store::now() + delay, &error).await?;
                crate::metrics::mail("failed");
            }
        }
    }
    Ok(due.len())
}

/// 1 s, 2 s, 4 s … capped at 15 minutes: quick after a blip, gentle on a long outage.
fn backoff_secs(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 20) - 1;
    (1i64 << exponent).min(MAX_BACKOFF_SECS)
}

#[cfg(test)]
mod tests {
    use super::backoff_secs;

    #[test]
    fn retries_back_off_exponentially_up_to_a_cap() {
        assert_eq!(backoff_secs(1), 1);
        assert_eq!(backoff_secs(2), 2);
        assert_eq!(backoff_secs(5), 16);
        assert_eq!(backoff_secs(50), 15 * 60);
    }
}
