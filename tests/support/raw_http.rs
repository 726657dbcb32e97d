//! A hand-made HTTP/1.1 server on loopback for answers no real server would give: bodies
//! shorter than their `Content-Length` that then go silent, bodies longer than announced,
//! endless chunked bodies. Each request's head goes to a handler that writes whatever it wants
//! to the connection (blocking I/O, one thread per connection). Requests are read as heads
//! only: it serves GETs.
//!
//! Include it with `#[path = "support/raw_http.rs"] mod raw_http;`.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What a handler does with the connection once it has answered.
pub enum Then {
    /// Reads the next request of the connection (keep-alive).
    KeepAlive,
    /// Closes the connection.
    Close,
    /// Holds the connection open without sending anything more until the client closes it: a
    /// server gone silent.
    GoSilent,
}

/// A request as the server saw it.
pub struct Request {
    /// The request target (`/path?query`).
    pub target: String,
    /// The whole head, request line and headers, as text.
    pub head: String,
}

impl Request {
    /// The value of a header (names compared without case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

type Handler = dyn Fn(&Request, &mut TcpStream, &str) -> Then + Send + Sync;

/// A running raw server, stopped when dropped (connections still open end when their client
/// closes them).
pub struct RawServer {
    /// `http://127.0.0.1:PORT`, without trailing slash.
    pub url: String,
    stop: Arc<AtomicBool>,
}

impl RawServer {
    /// Serves every request with `handler(request, connection, own_url)`.
    pub fn start(
        handler: impl Fn(&Request, &mut TcpStream, &str) -> Then + Send + Sync + 'static,
    ) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (stopped, own) = (stop.clone(), url.clone());
        std::thread::spawn(move || {
            for tcp in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(tcp) = tcp else { continue };
                let (handler, own) = (handler.clone(), own.clone());
                std::thread::spawn(move || serve(tcp, &*handler, &own));
            }
        });
        RawServer { url, stop }
    }

    /// A server of the SendSecure API's discovery (its own URL) and of these JSON answers by
    /// path (the query ignored), which hands every other request to `other`. `{url}` in an
    /// answer becomes the server's URL.
    pub fn api(
        answers: &[(&str, &str)],
        other: impl Fn(&Request, &mut TcpStream, &str) -> Then + Send + Sync + 'static,
    ) -> RawServer {
        let answers: Vec<(String, String)> = answers
            .iter()
            .map(|(p, a)| (p.to_string(), a.to_string()))
            .collect();
        RawServer::start(move |request, tcp, own| {
            let path = request.target.split('?').next().unwrap_or_default();
            if path.ends_with("/sendsecure/server/url") {
                respond(tcp, 200, "text/plain", own.as_bytes());
                return Then::KeepAlive;
            }
            match answers.iter().find(|(p, _)| p == path) {
                Some((_, answer)) => {
                    let body = answer.replace("{url}", own);
                    respond(tcp, 200, "application/json", body.as_bytes());
                    Then::KeepAlive
                }
                None => other(request, tcp, own),
            }
        })
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

/// Writes a whole answer with its `Content-Length`.
pub fn respond(tcp: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = tcp.write_all(head.as_bytes());
    let _ = tcp.write_all(body);
}

/// Writes one chunk of a chunked body (`Transfer-Encoding: chunked`); false once the client has
/// gone.
pub fn write_chunk(tcp: &mut TcpStream, data: &[u8]) -> bool {
    tcp.write_all(format!("{:x}\r\n", data.len()).as_bytes())
        .and_then(|()| tcp.write_all(data))
        .and_then(|()| tcp.write_all(b"\r\n"))
        .is_ok()
}

/// Ends a chunked body.
pub fn end_chunks(tcp: &mut TcpStream) {
    let _ = tcp.write_all(b"0\r\n\r\n");
}

fn serve(mut tcp: TcpStream, handler: &Handler, own: &str) {
    let mut pending = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let end = loop {
            if let Some(at) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match tcp.read(&mut buf) {
                Ok(n) if n > 0 => pending.extend_from_slice(&buf[..n]),
                _ => return,
            }
        };
        let head = String::from_utf8_lossy(&pending[..end]).into_owned();
        pending.drain(..end);
        let target = head
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        match handler(&Request { target, head }, &mut tcp, own) {
            Then::KeepAlive => continue,
            Then::Close => return,
            Then::GoSilent => {
                // Until the client closes its end (or resets it).
                while matches!(tcp.read(&mut buf), Ok(n) if n > 0) {}
                return;
            }
        }
    }
}
