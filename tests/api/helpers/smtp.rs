//! A real SMTP server inside the test process: the `mailin` protocol engine on a tokio
//! socket. The application talks to it through lettre exactly as it would to a relay.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin::response::Action;
use mailin::{Handler, Response, SessionBuilder};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
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

impl MailServer {
    pub async fn start() -> Self {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    pub async fn start_on(addr: SocketAddr) -> Self {
        let listener = TcpListener::bind(addr).await.expect("bind SMTP server");
        let addr = listener.local_addr().unwrap();
        let inbox = Arc::new(Inbox::default());
        let task = tokio::spawn(serve(listener, Arc::clone(&inbox)));
        Self { addr, inbox, task }
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

async fn serve(listener: TcpListener, inbox: Arc<Inbox>) {
    while let Ok((stream, peer)) = listener.accept().await {
        tokio::spawn(session(stream, peer.ip(), Arc::clone(&inbox)));
    }
}

async fn session(stream: TcpStream, peer: IpAddr, inbox: Arc<Inbox>) -> io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut smtp = SessionBuilder::new("gatehouse-test").build(peer, Collector { inbox, ..Default::default() });
    writer.write_all(&smtp.greeting().buffer()?).await?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let response = smtp.process(&line);
        match response.action {
            Action::NoReply => {}
            Action::Close => {
                writer.write_all(&response.buffer()?).await?;
                return Ok(());
            }
            _ => writer.write_all(&response.buffer()?).await?,
        }
    }
}

#[derive(Default)]
struct Collector {
    inbox: Arc<Inbox>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
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
            subject: parsed.subject().unwrap_or_default().to_owned(),
            text: parsed.body_text(0).map(|text| text.into_owned()).unwrap_or_default(),
            raw: String::from_utf8_lossy(&self.data).into_owned(),
        };
        self.inbox.messages.lock().unwrap().push(mail);
        self.inbox.arrived.notify_waiters();
        mailin::response::OK
    }
}
