//! Accepting connections so that no client can starve the others. Plain `axum::serve`
//! waits for a request head for ever and accepts until the process runs out of file
//! descriptors; here:
//!
//! - a client that has not sent a whole request head within [`HEADER_TIMEOUT`] is
//!   disconnected, and so is a keep-alive connection idle that long (hyper's header
//!   timeout also covers the wait for the next request);
//! - a request body must arrive whole within [`BODY_TIMEOUT`]; until it has, its
//!   connection counts as waiting on the client, not as busy answering;
//! - at most `max_connections` are open. At the cap, a new connection makes room by
//!   closing the oldest one that waits on its client (a stalled head or body, an idle
//!   keep-alive): holding many sockets cannot keep others, or the health check, out.
//!   Only when every connection is busy answering does accepting wait;
//! - one client (an IPv4 address, an IPv6 /64) holds at most `per_client` of them: its
//!   next one closes its own oldest waiting connection, or is refused when all are busy.
//!   Trusted proxies, which speak for many clients, have only the overall cap.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use ipnet::IpNet;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::{Service, ServiceExt};

/// How long a client may take to send a request head, or stay idle between requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a client may take to send a request body (at most `BODY_LIMIT`, 256 KiB: a
/// rate of 13 KiB/s at the largest).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(20);
/// The connections one client may hold at once, unless `MAX_CONNECTIONS_PER_IP` says.
pub const DEFAULT_MAX_CONNECTIONS_PER_IP: usize = 128;
/// File descriptors kept back from connections: the database pool, mail, logs.
const DESCRIPTOR_RESERVE: u64 = 64;
/// The cap when the descriptor limit allows more.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;

/// `MAX_CONNECTIONS` if set, else 4096 or what the descriptor limit allows less a
/// reserve, whichever is lower.
pub fn max_connections(configured: Option<usize>) -> usize {
    configured.unwrap_or_else(|| {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit writes into the struct we own and reads nothing else.
        let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
        let allowed = if known { limit.rlim_cur.saturating_sub(DESCRIPTOR_RESERVE) } else { u64::MAX };
        usize::try_from(allowed).unwrap_or(usize::MAX).clamp(1, DEFAULT_MAX_CONNECTIONS)
    })
}

/// How many connections may be open, overall and per client.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_connections: usize,
    pub per_client: usize,
    /// Peers exempt from `per_client`: the proxies in `TRUSTED_PROXIES`.
    pub trusted: Vec<IpNet>,
}

/// Whose connection it is, for the per-client cap: an IPv4 address, or an IPv6 /64 (what
/// one host is usually given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ClientKey(IpAddr);

impl ClientKey {
    fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let prefix = u128::from(v6) & (u128::MAX << 64);
                Self(IpAddr::V6(prefix.into()))
            }
            v4 => Self(v4),
        }
    }
}

/// One open connection: how many of its requests are being answered (and how many of
/// those still wait for their body), and how to end it.
struct Open {
    client: ClientKey,
    in_progress: AtomicUsize,
    receiving: AtomicUsize,
    /// Asked to close to make room (and so no longer a candidate).
    closing: AtomicBool,
    close: Notify,
}

impl Open {
    /// Waits on its client rather than on this server: it may be closed to make room. (A
    /// request whose handler never reads its body counts as receiving until answered.)
    fn waits_on_client(&self) -> bool {
        let in_progress = self.in_progress.load(Ordering::Relaxed);
        !self.closing.load(Ordering::Relaxed) && in_progress <= self.receiving.load(Ordering::Relaxed)
    }
}

/// The open connections, oldest first by their number.
#[derive(Default)]
struct Registry {
    open: Mutex<HashMap<u64, Arc<Open>>>,
    next: AtomicU64,
    one_closed: Notify,
}

impl Registry {
    fn count(&self) -> usize {
        self.open.lock().expect("registry").len()
    }

    fn count_of(&self, client: ClientKey) -> usize {
        self.open.lock().expect("registry").values().filter(|open| open.client == client).count()
    }

    fn add(&self, client: ClientKey) -> (u64, Arc<Open>) {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let open = Arc::new(Open {
            client,
            in_progress: AtomicUsize::new(0),
            receiving: AtomicUsize::new(0),
            closing: AtomicBool::new(false),
            close: Notify::new(),
        });
        self.open.lock().expect("registry").insert(number, Arc::clone(&open));
        (number, open)
    }

    fn remove(&self, number: u64) {
        self.open.lock().expect("registry").remove(&number);
        self.one_closed.notify_waiters();
    }

    /// Asks the oldest connection (of `client`, if given) that waits on its client to
    /// close; whether there was one.
    fn close_oldest_waiting(&self, client: Option<ClientKey>) -> bool {
        let open = self.open.lock().expect("registry");
        let candidates =
            open.iter().filter(|(_, open)| client.is_none_or(|client| open.client == client) && open.waits_on_client());
        let Some((_, oldest)) = candidates.min_by_key(|(number, _)| **number) else { return false };
        oldest.closing.store(true, Ordering::Relaxed);
        oldest.close.notify_one();
        true
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets every connection
/// finish the request it is answering (for at most `drain`).
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let registry = Arc::new(Registry::default());
    let (stopping, stop) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        if registry.count() >= limits.max_connections {
            // Make room: close the oldest connection that waits on its client, or, when
            // every one is answering, wait for one to end. Accept only once one has closed.
            let closed = registry.one_closed.notified();
            registry.close_oldest_waiting(None);
            tokio::select! {
                _ = closed => continue,
                _ = &mut shutdown => break,
            }
        }
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before accept: wait a moment.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let client = ClientKey::of(peer.ip());
        let trusted = limits.trusted.iter().any(|proxy| proxy.contains(&peer.ip().to_canonical()));
        if !trusted && registry.count_of(client) >= limits.per_client && !registry.close_oldest_waiting(Some(client)) {
            tracing::debug!(%peer, "refused: this client holds as many connections as it may, all busy");
            continue;
        }
        let (number, open) = registry.add(client);
        let connection = connection(stream, peer, app.clone(), Arc::clone(&open), stop.clone());
        let registry = Arc::clone(&registry);
        tokio::spawn(async move {
            connection.await;
            registry.remove(number);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    let drained = async {
        while registry.count() > 0 {
            let closed = registry.one_closed.notified();
            if registry.count() == 0 {
                break;
            }
            closed.await;
        }
    };
    if tokio::time::timeout(drain, drained).await.is_err() {
        tracing::warn!("requests still running after {drain:?}; stopping anyway");
    }
}

/// Serves one connection until it ends, is closed to make room, or the server stops.
async fn connection<S>(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    app: S,
    open: Arc<Open>,
    mut stop: watch::Receiver<bool>,
) where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let counted = Arc::clone(&open);
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let in_progress = InProgress::start(Arc::clone(&counted));
        let mut request = request.map(|body| axum::body::Body::new(TimedBody::new(body, &counted)));
        request.extensions_mut().insert(ConnectInfo(peer));
        let answer = app.clone().oneshot(request);
        async move {
            let response = answer.await;
            drop(in_progress);
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let connection = builder.serve_connection(TokioIo::new(stream), service).with_upgrades();
    tokio::pin!(connection);
    let mut closing = false;
    loop {
        tokio::select! {
            _ = connection.as_mut() => break,
            // Made room for a newer connection: this one had no request in progress.
            _ = open.close.notified(), if !closing => break,
            _ = stop.changed(), if !closing => {
                closing = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Counts a request as in progress on its connection until dropped.
struct InProgress(Arc<Open>);

impl InProgress {
    fn start(open: Arc<Open>) -> Self {
        open.in_progress.fetch_add(1, Ordering::Relaxed);
        Self(open)
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.in_progress.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A request body that must arrive whole within [`BODY_TIMEOUT`]; until it has, its
/// connection counts as waiting on the client (see [`Open::waits_on_client`]).
struct TimedBody {
    inner: Incoming,
    /// Present while the body is still arriving.
    arriving: Option<(Pin<Box<tokio::time::Sleep>>, Receiving)>,
}

impl TimedBody {
    fn new(inner: Incoming, open: &Arc<Open>) -> Self {
        let arriving = (!inner.is_end_stream())
            .then(|| (Box::pin(tokio::time::sleep(BODY_TIMEOUT)), Receiving::start(Arc::clone(open))));
        Self { inner, arriving }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {} seconds", BODY_TIMEOUT.as_secs())]
struct BodyTimedOut;

impl Body for TimedBody {
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        // The deadline first: a body trickling in a byte at a time is always ready.
        if let Some((deadline, _)) = &mut this.arriving
            && deadline.as_mut().poll(cx).is_ready()
        {
            this.arriving = None;
            return Poll::Ready(Some(Err(BodyTimedOut.into())));
        }
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        if this.arriving.is_none() {
            return polled.map_err(Into::into);
        }
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(frame))) => {
                if this.inner.is_end_stream() {
                    this.arriving = None;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            done => {
                this.arriving = None;
                done.map_err(Into::into)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Counts a request as still receiving its body until dropped.
struct Receiving(Arc<Open>);

impl Receiving {
    fn start(open: Arc<Open>) -> Self {
        open.receiving.fetch_add(1, Ordering::Relaxed);
        Self(open)
    }
}

impl Drop for Receiving {
    fn drop(&mut self) {
        self.0.receiving.fetch_sub(1, Ordering::Relaxed);
    }
}
