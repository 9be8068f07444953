//! Accepting connections so that no client can starve the others. Plain `axum::serve`
//! waits for a request head for ever and accepts until the process runs out of file
//! descriptors; here:
//!
//! - a client that has not sent a whole request head within [`HEADER_TIMEOUT`] is
//!   disconnected, and so is a keep-alive connection idle that long (hyper's header
//!   timeout also covers the wait for the next request);
//! - at most `max_connections` are open. At the cap, a new connection makes room by
//!   closing the oldest one that has no request in progress (a stalled head, an idle
//!   keep-alive): holding many sockets cannot keep others, or the health check, out.
//!   Only when every connection is busy answering does accepting wait.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::{Service, ServiceExt};

/// How long a client may take to send a request head, or stay idle between requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// File descriptors kept back from connections: the database pool, mail, logs, inotify.
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

/// One open connection: how many of its requests are being answered, and how to end it.
struct Open {
    in_progress: AtomicUsize,
    /// Asked to close to make room (and so no longer a candidate).
    closing: std::sync::atomic::AtomicBool,
    close: Notify,
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

    fn add(&self) -> (u64, Arc<Open>) {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let open = Arc::new(Open {
            in_progress: AtomicUsize::new(0),
            closing: std::sync::atomic::AtomicBool::new(false),
            close: Notify::new(),
        });
        self.open.lock().expect("registry").insert(number, Arc::clone(&open));
        (number, open)
    }

    fn remove(&self, number: u64) {
        self.open.lock().expect("registry").remove(&number);
        self.one_closed.notify_waiters();
    }

    /// Asks the oldest connection with no request in progress to close, if there is one.
    fn close_oldest_idle(&self) {
        let open = self.open.lock().expect("registry");
        let idle =
            |open: &&Arc<Open>| open.in_progress.load(Ordering::Relaxed) == 0 && !open.closing.load(Ordering::Relaxed);
        if let Some((_, open)) = open.iter().filter(|(_, open)| idle(open)).min_by_key(|(number, _)| **number) {
            open.closing.store(true, Ordering::Relaxed);
            open.close.notify_one();
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets every connection
/// finish the request it is answering (for at most `drain`).
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    max_connections: usize,
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
        if registry.count() >= max_connections {
            // Make room: close the oldest idle connection, or, when every one is answering
            // a request, wait for one to end. Either way, accept only once one has closed.
            let closed = registry.one_closed.notified();
            registry.close_oldest_idle();
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
        let (number, open) = registry.add();
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
        let mut request = request.map(axum::body::Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        let in_progress = InProgress::start(Arc::clone(&counted));
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
