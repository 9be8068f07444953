//! Clients that hold connections open: slow heads, silence, idle keep-alive, and more
//! sockets than the process has file descriptors. All on 127.0.0.1, bounded in count.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::process::{Running, gatehouse, start};
use crate::helpers::spawn_app;

/// Opens a connection that sends half a request head and then nothing.
fn stalled(addr: &str) -> TcpStream {
    let mut socket = TcpStream::connect(addr).unwrap();
    socket.write_all(b"GET /healthz HTTP/1.1\r\nHost: gatehouse\r\n").unwrap();
    socket
}

#[tokio::test]
async fn more_stalled_sockets_than_descriptors_do_not_keep_the_health_check_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = gatehouse(dir.path());
    command.env("GATEHOUSE_ADDR", "127.0.0.1:0");
    // SAFETY: between fork and exec only setrlimit runs, which is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 128, rlim_max: 128 };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let running = start(command);
    let addr = running.base.trim_start_matches("http://").to_owned();

    // 200 sockets, each with half a request head: more than the 128 descriptors.
    let held: Vec<TcpStream> = (0..200).map(|_| stalled(&addr)).collect();
    // Bounded so that only a hang fails (held out, it would wait for the 30 s header timeout).
    let client = reqwest::Client::builder().timeout(Duration::from_secs(15)).build().unwrap();
    let health = client.get(format!("{}/healthz", running.base)).send().await.expect("the health check answers");
    assert_eq!(health.status(), StatusCode::OK);
    drop(held);
    let logged: Vec<String> = running.stderr.try_iter().collect();
    assert!(!logged.iter().any(|line| line.contains("Too many open files")), "{logged:?}");
    assert!(logged.iter().any(|line| line.contains("max_connections=64")), "the cap follows the limit: {logged:?}");
}

#[tokio::test]
#[ignore = "slow: waits out the 30 s header timeout; tests/run runs it"]
async fn silent_trickling_and_idle_connections_are_closed_after_the_header_timeout() {
    // The server runs on this test's runtime: the sockets block on threads of their own.
    let app = spawn_app().await;
    let addr = app.addr.to_string();
    let idle = tokio::task::spawn_blocking({
        let addr = addr.clone();
        move || {
            let mut idle = TcpStream::connect(addr).unwrap();
            idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: gatehouse\r\n\r\n").unwrap();
            let mut answer = [0u8; 512];
            assert!(idle.read(&mut answer).unwrap() > 0, "the keep-alive connection got its answer");
            idle
        }
    })
    .await
    .unwrap();
    let silent = TcpStream::connect(&addr).unwrap();
    let trickle = stalled(&addr);
    let sockets = [silent, trickle, idle];

    // Not closed early: well before the timeout each is still open (a read would block).
    tokio::time::sleep(Duration::from_secs(5)).await;
    for socket in &sockets {
        socket.set_nonblocking(true).unwrap();
        let open = matches!((&*socket).read(&mut [0; 1]), Err(error) if error.kind() == std::io::ErrorKind::WouldBlock);
        assert!(open, "closed before the header timeout");
        socket.set_nonblocking(false).unwrap();
    }
    for mut socket in sockets {
        let closed = tokio::task::spawn_blocking(move || {
            // Bounded so that only a server that never closes it fails.
            socket.set_read_timeout(Some(Duration::from_secs(45))).unwrap();
            let mut rest = Vec::new();
            // The server closes it: the read ends (with or without a 408 first).
            socket.read_to_end(&mut rest).is_ok()
        });
        assert!(closed.await.unwrap(), "the server closed the connection");
    }
}

/// Opens a connection that sends a whole `POST /login` head announcing a 1000-byte body,
/// then 7 bytes of it and nothing more.
fn stalled_upload(addr: &str) -> TcpStream {
    let mut socket = TcpStream::connect(addr).unwrap();
    let head = "POST /login HTTP/1.1\r\nHost: gatehouse\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=a";
    socket.write_all(head.as_bytes()).unwrap();
    socket
}

/// Whether the server has closed `socket`: it reads to its end (or is reset) within a
/// second, where an open one would time out.
fn closed_by_server(socket: &mut TcpStream) -> bool {
    socket.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    match socket.read_to_end(&mut Vec::new()) {
        Ok(_) => true,
        Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

/// The binary with `settings`, and the folder its database is in.
fn server_with(settings: &[(&str, &str)]) -> (Running, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = gatehouse(dir.path());
    command.env("GATEHOUSE_ADDR", "127.0.0.1:0");
    for (name, value) in settings {
        command.env(name, value);
    }
    (start(command), dir)
}

#[tokio::test]
async fn uploads_stalled_in_their_body_do_not_keep_the_health_check_out_at_the_cap() {
    let (running, _dir) = server_with(&[("MAX_CONNECTIONS", "20"), ("MAX_CONNECTIONS_PER_IP", "1000")]);
    let addr = running.base.trim_start_matches("http://").to_owned();
    let held: Vec<TcpStream> = (0..25).map(|_| stalled_upload(&addr)).collect();
    // Bounded so that only a hang fails: before, the stalled uploads counted as busy and
    // kept every new client out until they gave up.
    let client = reqwest::Client::builder().timeout(Duration::from_secs(15)).build().unwrap();
    let health = client.get(format!("{}/healthz", running.base)).send().await.expect("the health check answers");
    assert_eq!(health.status(), StatusCode::OK);
    drop(held);
}

#[tokio::test]
async fn one_client_holds_at_most_its_share_of_connections() {
    let (running, _dir) = server_with(&[("MAX_CONNECTIONS_PER_IP", "10")]);
    let addr = running.base.trim_start_matches("http://").to_owned();
    let mut held: Vec<TcpStream> = (0..30).map(|_| stalled_upload(&addr)).collect();
    let health = reqwest::Client::builder().timeout(Duration::from_secs(15)).build().unwrap();
    let answered = health.get(format!("{}/healthz", running.base)).send().await.expect("the health check answers");
    assert_eq!(answered.status(), StatusCode::OK, "the client's own new request makes room");
    let closed =
        tokio::task::spawn_blocking(move || held.iter_mut().map(closed_by_server).filter(|closed| *closed).count());
    let closed = closed.await.unwrap();
    assert!(closed >= 20, "30 held, 10 allowed: {closed} closed by the server");
}

#[tokio::test]
#[ignore = "slow: waits out the 20 s body timeout; tests/run runs it"]
async fn a_body_that_does_not_arrive_in_time_is_refused_and_its_connection_closed() {
    let app = spawn_app().await;
    let addr = app.addr.to_string();
    let answer = tokio::task::spawn_blocking(move || {
        let mut trickle = stalled_upload(&addr);
        trickle.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
        let mut answer = Vec::new();
        // A byte every 2 s would keep a per-read timeout from ever firing: the body's
        // deadline counts from its start.
        for _ in 0..5 {
            std::thread::sleep(Duration::from_secs(2));
            if trickle.write_all(b"x").is_err() {
                break;
            }
        }
        let _ = trickle.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    });
    let answer = answer.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 4"), "refused, then closed: {answer:?}");
}
