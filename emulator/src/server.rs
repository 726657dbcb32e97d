//! The listening socket: accepts TCP (optionally TLS) connections, counts them, serves HTTP/1.1
//! and HTTP/2 on each, lets a handler kill its own connection (fault injection), and shuts down
//! gracefully.

use crate::app::{normalize_uri, router, AppState, ConnInfo, RawTarget, Shared};
use crate::clock::Clock;
use crate::config::Config;
use crate::faults::Faults;
use crate::store::Store;
use axum::extract::Request;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Accounts, users and profiles.
    pub config: Config,
    /// Where uploaded files go; a temporary directory (removed at exit) when `None`.
    pub data_dir: Option<PathBuf>,
    /// PEM certificate chain and private key, to serve HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// With `tls`: a PEM file of certificate authorities; every client must then present a
    /// certificate signed by one of them (mutual TLS), else the handshake fails.
    pub tls_client_ca: Option<PathBuf>,
    /// With `tls`: offer TLS 1.2 only (TLS 1.3 otherwise preferred), to test clients against
    /// an older server. Versions before 1.2 are never offered.
    pub tls12_only: bool,
    /// Serve the `/_emulator/*` control API (fault injection, stats, state inspection).
    pub control: bool,
    /// Latency added to every request.
    pub latency: Duration,
}

impl ServerOptions {
    /// Options for the demo account on a free loopback port, control API on.
    pub fn local_demo() -> ServerOptions {
        ServerOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            config: Config::demo(),
            data_dir: None,
            tls: None,
            tls_client_ca: None,
            tls12_only: false,
            control: true,
            latency: Duration::ZERO,
        }
    }
}

/// A started emulator. Dropping it stops the server (like [`RunningServer::shutdown`] without
/// waiting).
#[derive(Debug)]
pub struct RunningServer {
    local_addr: SocketAddr,
    scheme: &'static str,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    state: Shared,
    _temp_dir: Option<tempfile::TempDir>,
}

impl RunningServer {
    /// The bound address (with the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://127.0.0.1:PORT` (or `https://…`), without trailing slash.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.local_addr)
    }

    /// The shared state (for in-process inspection).
    pub fn state(&self) -> &Shared {
        &self.state
    }

    /// Stops accepting, lets open requests finish (up to 5 s), and returns.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Waits until the server stops (after a shutdown signal was sent elsewhere).
    pub async fn wait(mut self, signal: impl std::future::Future<Output = ()>) {
        signal.await;
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The verifier of client certificates signed by the authorities of `ca` (mutual TLS).
fn client_verifier(
    ca: &PathBuf,
    provider: Arc<tokio_rustls::rustls::crypto::CryptoProvider>,
) -> Result<Arc<dyn tokio_rustls::rustls::server::danger::ClientCertVerifier>, String> {
    let pem = std::fs::read(ca).map_err(|e| format!("cannot read {}: {e}", ca.display()))?;
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        let cert = cert.map_err(|e| format!("bad certificate in {}: {e}", ca.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("bad CA certificate in {}: {e}", ca.display()))?;
    }
    if roots.is_empty() {
        return Err(format!("no certificate in {}", ca.display()));
    }
    tokio_rustls::rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider,
    )
    .build()
    .map_err(|e| format!("client CA {}: {e}", ca.display()))
}

fn load_tls(options: &ServerOptions, cert: &PathBuf, key: &PathBuf) -> Result<TlsAcceptor, String> {
    use rustls_pemfile::{certs, private_key};
    let cert_pem =
        std::fs::read(cert).map_err(|e| format!("cannot read {}: {e}", cert.display()))?;
    let key_pem = std::fs::read(key).map_err(|e| format!("cannot read {}: {e}", key.display()))?;
    let chain = certs(&mut cert_pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("bad certificate {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("no certificate in {}", cert.display()));
    }
    let key = private_key(&mut key_pem.as_slice())
        .map_err(|e| format!("bad key {}: {e}", key.display()))?
        .ok_or_else(|| format!("no private key in {}", key.display()))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    use tokio_rustls::rustls::version::{TLS12, TLS13};
    let versions: &[&tokio_rustls::rustls::SupportedProtocolVersion] = if options.tls12_only {
        &[&TLS12]
    } else {
        &[&TLS13, &TLS12]
    };
    let builder = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .map_err(|e| e.to_string())?;
    let builder = match &options.tls_client_ca {
        Some(ca) => builder.with_client_cert_verifier(client_verifier(ca, provider)?),
        None => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|e| format!("certificate and key do not match: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Binds the socket and starts serving in the background.
pub async fn start(options: ServerOptions) -> Result<RunningServer, String> {
    let tls = match &options.tls {
        Some((cert, key)) => Some(load_tls(&options, cert, key)?),
        None if options.tls_client_ca.is_some() || options.tls12_only => {
            return Err(
                "client certificates and TLS versions need TLS (a certificate and key)".into(),
            )
        }
        None => None,
    };
    let (data_dir, temp_dir) = match &options.data_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create data dir {}: {e}", dir.display()))?;
            (dir.clone(), None)
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("sendsecure-emulator-")
                .tempdir()
                .map_err(|e| format!("cannot create a temporary data dir: {e}"))?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let local_addr = listener.local_addr().map_err(|e| e.to_string())?;
    let clock = Clock::default();
    let store = Store::new(&options.config, clock.now());
    let state: Shared = Arc::new(AppState::new(
        store,
        clock,
        Faults::with_latency(options.latency),
        data_dir,
        options.control,
    ));
    let scheme = if tls.is_some() { "https" } else { "http" };
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(accept_loop(listener, tls, state.clone(), scheme, rx));
    Ok(RunningServer {
        local_addr,
        scheme,
        shutdown: Some(tx),
        task: Some(task),
        state,
        _temp_dir: temp_dir,
    })
}

async fn accept_loop(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    state: Shared,
    scheme: &'static str,
    mut shutdown: oneshot::Receiver<()>,
) {
    let app = router(state.clone());
    let graceful = GracefulShutdown::new();
    loop {
        let (tcp, peer_addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => { tokio::time::sleep(Duration::from_millis(50)).await; continue; }
            },
            _ = &mut shutdown => break,
        };
        state.stats.connections.fetch_add(1, Ordering::Relaxed);
        let _ = tcp.set_nodelay(true);
        let local_addr = tcp.local_addr().unwrap_or(peer_addr);
        let info = ConnInfo {
            kill: Arc::new(Notify::new()),
            scheme,
            local_addr,
            peer_addr,
            tls_version: None,
            client_certificate: false,
        };
        let app = app.clone();
        let watcher = graceful.watcher();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(tcp).await {
                        let session = stream.get_ref().1;
                        let info = ConnInfo {
                            tls_version: session
                                .protocol_version()
                                .and_then(|v| v.as_str())
                                .map(str::to_string),
                            client_certificate: session
                                .peer_certificates()
                                .is_some_and(|c| !c.is_empty()),
                            ..info
                        };
                        serve_connection(stream, info, app, watcher).await;
                    }
                }
                None => serve_connection::<TcpStream>(tcp, info, app, watcher).await,
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

async fn serve_connection<IO>(
    io: IO,
    info: ConnInfo,
    app: axum::Router,
    watcher: hyper_util::server::graceful::Watcher,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = info.kill.clone();
    let service = tower::service_fn(move |mut request: Request<hyper::body::Incoming>| {
        let target = RawTarget(
            request
                .uri()
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_else(|| request.uri().path().to_string()),
        );
        request.extensions_mut().insert(target);
        if let Some(uri) = normalize_uri(request.uri()) {
            *request.uri_mut() = uri;
        }
        request.extensions_mut().insert(info.clone());
        app.clone().oneshot(request.map(axum::body::Body::new))
    });
    let builder = Builder::new(TokioExecutor::new());
    let connection =
        builder.serve_connection_with_upgrades(TokioIo::new(io), TowerToHyperService::new(service));
    let connection = watcher.watch(connection.into_owned());
    tokio::select! {
        biased;
        _ = kill.notified() => {}
        _ = connection => {}
    }
}
