//! A real SMTP server inside the test process: the `mailin` protocol engine on a tokio
//! socket. The application talks to it through lettre exactly as it would to a relay:
//! in plain text, or over TLS (STARTTLS or `smtps`) with a certificate from a CA made by
//! the test, taking mail only after AUTH.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin::response::Action;
use mailin::{AuthMechanism, Handler, Response, Session, SessionBuilder};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    /// Whom the sender authenticated as (AUTH), if it did.
    pub user: Option<String>,
    /// Whether it arrived over TLS.
    pub encrypted: bool,
    pub subject: String,
    pub text: String,
    /// The `text/html` alternative, if the message has one.
    pub html: Option<String>,
    pub raw: String,
}

impl ReceivedMail {
    /// The first link in the plain-text part that starts with `prefix`, on a line of its own.
    pub fn link(&self, prefix: &str) -> String {
        self.text
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting with {prefix} in mail:\n{}", self.text))
            .to_owned()
    }
}

#[derive(Default)]
struct Inbox {
    messages: Mutex<Vec<ReceivedMail>>,
    arrived: Notify,
}

pub struct MailServer {
    pub addr: SocketAddr,
    inbox: Arc<Inbox>,
    task: JoinHandle<()>,
}

/// How a TLS server is reached.
#[derive(Clone, Copy, Debug)]
pub enum TlsMode {
    /// Plain text first, then `STARTTLS` (`smtp://…?tls=required`).
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Wrapped,
}

/// What a TLS server needs: its certificate's key, and whom it lets send.
#[derive(Clone)]
struct Secure {
    acceptor: TlsAcceptor,
    mode: TlsMode,
    user: &'static str,
    password: &'static str,
}

impl MailServer {
    pub async fn start() -> Self {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    pub async fn start_on(addr: SocketAddr) -> Self {
        let listener = TcpListener::bind(addr).await.expect("bind SMTP server");
        let addr = listener.local_addr().unwrap();
        let inbox = Arc::new(Inbox::default());
        let task = tokio::spawn(serve(listener, Arc::clone(&inbox), None));
        Self { addr, inbox, task }
    }

    /// A server speaking TLS (`mode`) as `localhost`, with a certificate from a CA made
    /// here, and taking mail only from `user` with `password`; and that CA's PEM.
    pub async fn start_tls(mode: TlsMode, user: &'static str, password: &'static str) -> (Self, String) {
        let (acceptor, ca_pem) = test_ca_and_acceptor();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP server");
        let addr = listener.local_addr().unwrap();
        let inbox = Arc::new(Inbox::default());
        let secure = Secure { acceptor, mode, user, password };
        let task = tokio::spawn(serve(listener, Arc::clone(&inbox), Some(secure)));
        (Self { addr, inbox, task }, ca_pem)
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.inbox.messages.lock().unwrap().clone()
    }

    pub fn messages_to(&self, address: &str) -> Vec<ReceivedMail> {
        self.messages().into_iter().filter(|m| m.to.iter().any(|to| to.eq_ignore_ascii_case(address))).collect()
    }

    /// Waits (up to 15 s) until `count` messages to `address` have arrived.
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<ReceivedMail> {
        self.wait_for_matching(address, count, |_| true).await
    }

    /// Waits (up to 15 s) until `count` messages to `address` match `wanted`; returns those.
    pub async fn wait_for_matching(
        &self,
        address: &str,
        count: usize,
        wanted: impl Fn(&ReceivedMail) -> bool,
    ) -> Vec<ReceivedMail> {
        self.wait_within(Duration::from_secs(15), address, count, wanted).await
    }

    /// Like `wait_for_matching`, with a deadline of the caller's choosing.
    pub async fn wait_within(
        &self,
        limit: Duration,
        address: &str,
        count: usize,
        wanted: impl Fn(&ReceivedMail) -> bool,
    ) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let arrived = self.inbox.arrived.notified();
            let messages: Vec<_> = self.messages_to(address).into_iter().filter(|m| wanted(m)).collect();
            if messages.len() >= count {
                return messages;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!(
                    "expected {count} matching mail(s) to {address}, got {}: {:#?}",
                    messages.len(),
                    self.messages()
                );
            }
        }
    }

    pub fn count_with_subject(&self, address: &str, subject: &str) -> usize {
        self.messages_to(address).iter().filter(|m| m.subject == subject).count()
    }

    /// Waits for the `n`th message to `address` with `subject` (counting from 1).
    pub async fn nth_with_subject(&self, address: &str, subject: &str, n: usize) -> ReceivedMail {
        self.wait_for_matching(address, n, |m| m.subject == subject).await.swap_remove(n - 1)
    }

    /// Waits for a message to `address` with `subject` and returns the latest.
    pub async fn latest_with_subject(&self, address: &str, subject: &str) -> ReceivedMail {
        self.wait_for_matching(address, 1, |m| m.subject == subject).await.pop().unwrap()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A CA and a certificate it signed for `localhost`: the server's TLS, and the CA's PEM.
fn test_ca_and_acceptor() -> (TlsAcceptor, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let certificate = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &Issuer::new(ca_params, ca_key))
        .unwrap();
    let private_key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certificate.der().clone()], private_key)
        .unwrap();
    (TlsAcceptor::from(Arc::new(config)), ca.pem())
}

async fn serve(listener: TcpListener, inbox: Arc<Inbox>, secure: Option<Secure>) {
    while let Ok((stream, peer)) = listener.accept().await {
        tokio::spawn(session(stream, peer.ip(), Arc::clone(&inbox), secure.clone()));
    }
}

async fn session(stream: TcpStream, peer: IpAddr, inbox: Arc<Inbox>, secure: Option<Secure>) -> io::Result<()> {
    let mut builder = SessionBuilder::new("gatehouse-test");
    let credentials = secure.as_ref().map(|secure| (secure.user, secure.password));
    if secure.is_some() {
        builder.enable_start_tls().enable_auth(AuthMechanism::Plain).enable_auth(AuthMechanism::Login);
    }
    let encrypted = Arc::new(AtomicBool::new(false));
    let collector = Collector { inbox, credentials, encrypted: Arc::clone(&encrypted), ..Default::default() };
    let mut smtp = builder.build(peer, collector);
    let Some(secure) = secure else { return converse(stream, &mut smtp, true).await.map(drop) };
    if let TlsMode::Wrapped = secure.mode {
        smtp.tls_active();
        let stream = secure.acceptor.accept(stream).await?;
        encrypted.store(true, Ordering::SeqCst);
        return converse(stream, &mut smtp, true).await.map(drop);
    }
    // STARTTLS: the plain conversation ends where the client asks for TLS.
    if let Some(stream) = converse(stream, &mut smtp, true).await? {
        smtp.tls_active();
        let stream = secure.acceptor.accept(stream).await?;
        encrypted.store(true, Ordering::SeqCst);
        converse(stream, &mut smtp, false).await?;
    }
    Ok(())
}

/// Runs the conversation on `stream` until it ends, or until the client asks for TLS:
/// then the stream is handed back, to be wrapped.
async fn converse<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    smtp: &mut Session<Collector>,
    greet: bool,
) -> io::Result<Option<S>> {
    let mut stream = BufReader::new(stream);
    if greet {
        stream.get_mut().write_all(&smtp.greeting().buffer()?).await?;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        if stream.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        let response = smtp.process(&line);
        match response.action {
            Action::NoReply => {}
            Action::Close => {
                stream.get_mut().write_all(&response.buffer()?).await?;
                return Ok(None);
            }
            Action::UpgradeTls => {
                stream.get_mut().write_all(&response.buffer()?).await?;
                return Ok(Some(stream.into_inner()));
            }
            Action::Reply => stream.get_mut().write_all(&response.buffer()?).await?,
        }
    }
}

#[derive(Default)]
struct Collector {
    inbox: Arc<Inbox>,
    /// Whom a TLS server lets send; a plain one asks for no AUTH.
    credentials: Option<(&'static str, &'static str)>,
    user: Option<String>,
    /// Set once the session's TLS is up.
    encrypted: Arc<AtomicBool>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Collector {
    fn authenticate(&mut self, user: &str, password: &str) -> Response {
        if self.credentials == Some((user, password)) {
            self.user = Some(user.to_owned());
            mailin::response::AUTH_OK
        } else {
            mailin::response::INVALID_CREDENTIALS
        }
    }
}

impl Handler for Collector {
    fn auth_plain(&mut self, _authorization_id: &str, user: &str, password: &str) -> Response {
        self.authenticate(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.authenticate(user, password)
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        if self.credentials.is_some() && self.user.is_none() {
            return mailin::response::AUTHENTICATION_REQUIRED;
        }
        self.to = to.to_vec();
        self.data.clear();
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let parsed = mail_parser::MessageParser::default().parse(&self.data).expect("a parsable message");
        let mail = ReceivedMail {
            to: self.to.clone(),
            user: self.user.clone(),
            encrypted: self.encrypted.load(Ordering::SeqCst),
            subject: parsed.subject().unwrap_or_default().to_owned(),
            text: parsed.body_text(0).map(|text| text.into_owned()).unwrap_or_default(),
            // Only a real part: `body_html` would make one up from the text.
            html: parsed
                .html_body
                .first()
                .and_then(|&part| parsed.part(part))
                .and_then(|part| part.text_contents())
                .filter(|_| parsed.html_body != parsed.text_body)
                .map(str::to_owned),
            raw: String::from_utf8_lossy(&self.data).into_owned(),
        };
        self.inbox.messages.lock().unwrap().push(mail);
        self.inbox.arrived.notify_waiters();
        mailin::response::OK
    }
}
