//! The listening sockets: the main one accepts TCP (optionally TLS) connections, counts them,
//! serves HTTP/1.1 and HTTP/2 on each, lets a handler kill its own connection (fault
//! injection); the optional admin one (loopback, plain HTTP) serves only the control API. Both
//! shut down gracefully. What is served comes from a [`Service`].

use crate::core::clock::Clock;
use crate::core::conn::{ConnInfo, RawTarget};
use crate::core::control;
use crate::core::fault_layer::inject_faults;
use crate::core::faults::Faults;
use crate::core::request_log::RequestLog;
use crate::core::service::{Service, ServiceRoutes};
use crate::core::state::{CoreShared, CoreState};
use crate::core::stats::Stats;
use crate::core::tls::{self, TlsOptions};
use axum::extract::Request;
use axum::middleware;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::any::Any;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How to run the server, whatever the service.
#[derive(Debug, Clone)]
pub struct CoreOptions {
    /// Address to listen on; port 0 picks a free port.
    pub listen: SocketAddr,
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
    /// Serve the `/_emulator/*` control API (fault injection, stats, state inspection) on the
    /// main listener.
    pub control: bool,
    /// Serve the control API on its own listener at this loopback address instead (port 0
    /// picks a free port); the main listener then serves no `/_emulator/*` route.
    pub admin_listen: Option<SocketAddr>,
    /// Latency added to every request.
    pub latency: Duration,
}

/// A started emulator. Dropping it stops the server (like [`RunningServer::shutdown`] without
/// waiting).
#[derive(Debug)]
pub struct RunningServer {
    local_addr: SocketAddr,
    admin_addr: Option<SocketAddr>,
    scheme: &'static str,
    shutdown: Option<watch::Sender<bool>>,
    tasks: Vec<JoinHandle<()>>,
    state: CoreShared,
    service_state: Arc<dyn Any + Send + Sync>,
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

    /// The admin listener's `http://127.0.0.1:PORT`, when there is one.
    pub fn admin_url(&self) -> Option<String> {
        self.admin_addr.map(|a| format!("http://{a}"))
    }

    /// The core state: clock, faults, counters, request log (for in-process inspection).
    pub fn state(&self) -> &CoreShared {
        &self.state
    }

    /// The service's own state, when it is a `T` (for in-process inspection), e.g.
    /// `server.service_state::<sendsecure::state::SendSecureState>()`.
    pub fn service_state<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.service_state.clone().downcast::<T>().ok()
    }

    /// Stops accepting, lets open requests finish (up to 5 s), and returns.
    pub async fn shutdown(mut self) {
        self.stop();
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }

    /// Waits until the server stops (after a shutdown signal was sent elsewhere).
    pub async fn wait(self, signal: impl std::future::Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds the socket and starts serving `service` in the background.
pub async fn start(
    options: CoreOptions,
    service: Arc<dyn Service>,
) -> Result<RunningServer, String> {
    let tls = match &options.tls {
        Some((cert, key)) => Some(tls::acceptor(&TlsOptions {
            cert: cert.clone(),
            key: key.clone(),
            client_ca: options.tls_client_ca.clone(),
            tls12_only: options.tls12_only,
        })?),
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
    let admin = match options.admin_listen {
        Some(addr) if !addr.ip().is_loopback() => {
            return Err(format!(
                "the admin listener must be on a loopback address (127.0.0.1, ::1), not {addr}: \
                 its control API has no authentication"
            ))
        }
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen (admin) on {addr}: {e}"))?,
        ),
        None => None,
    };
    let admin_addr = match &admin {
        Some(l) => Some(l.local_addr().map_err(|e| e.to_string())?),
        None => None,
    };
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let local_addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state: CoreShared = Arc::new(CoreState {
        clock: Clock::default(),
        faults: Faults::with_latency(options.latency),
        stats: Stats::default(),
        requests: RequestLog::new(service.credential_headers(), service.secret_headers()),
        data_dir,
        control_enabled: options.control && admin.is_none(),
        clock_moved: Default::default(),
    });
    let routes = service.build(&state);
    let service_state = routes.state.clone();
    let (app, control) = app(&state, routes);
    let scheme = if tls.is_some() { "https" } else { "http" };
    let (tx, rx) = watch::channel(false);
    let mut tasks = vec![tokio::spawn(accept_loop(
        Listener {
            tcp: listener,
            tls,
            scheme,
            counted: true,
        },
        state.clone(),
        service.clone(),
        app,
        rx.clone(),
    ))];
    if let Some(admin) = admin {
        let listener = Listener {
            tcp: admin,
            tls: None,
            scheme: "http",
            counted: false,
        };
        tasks.push(tokio::spawn(accept_loop(
            listener,
            state.clone(),
            service,
            control,
            rx,
        )));
    }
    Ok(RunningServer {
        local_addr,
        admin_addr,
        scheme,
        shutdown: Some(tx),
        tasks,
        state,
        service_state,
        _temp_dir: temp_dir,
    })
}

/// The route tables of the main listener and of the admin one: the service's routes behind
/// the fault layer, and the control routes (generic and the service's), which faults never
/// touch, beside them with `--control` (and no admin listener).
fn app(state: &CoreShared, routes: ServiceRoutes) -> (Router, Router) {
    let api = routes
        .api
        .layer(middleware::from_fn_with_state(state.clone(), inject_faults));
    let control = control::router(state.clone()).merge(routes.control);
    if state.control_enabled {
        (api.merge(control.clone()), control)
    } else {
        (api, control)
    }
}

/// A bound socket and how its connections are served.
struct Listener {
    tcp: TcpListener,
    tls: Option<TlsAcceptor>,
    scheme: &'static str,
    /// Whether its connections count in the stats (not the admin listener's).
    counted: bool,
}

async fn accept_loop(
    listener: Listener,
    state: CoreShared,
    service: Arc<dyn Service>,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let Listener {
        tcp: listener,
        tls,
        scheme,
        counted,
    } = listener;
    let graceful = GracefulShutdown::new();
    loop {
        let (tcp, peer_addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => { tokio::time::sleep(Duration::from_millis(50)).await; continue; }
            },
            // A change, or the sender gone: stop either way.
            _ = shutdown.changed() => break,
        };
        if counted {
            state.stats.connections.fetch_add(1, Ordering::Relaxed);
        }
        let _ = tcp.set_nodelay(true);
        let local_addr = tcp.local_addr().unwrap_or(peer_addr);
        let info = ConnInfo {
            kill: Arc::new(Notify::new()),
            scheme,
            local_addr,
            peer_addr,
            tls_version: None,
            client_certificate: false,
            client_certificate_der: None,
        };
        let app = app.clone();
        let service = service.clone();
        let watcher = graceful.watcher();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(tcp).await {
                        let session = stream.get_ref().1;
                        let leaf = session.peer_certificates().and_then(|c| c.first());
                        let info = ConnInfo {
                            tls_version: session
                                .protocol_version()
                                .and_then(|v| v.as_str())
                                .map(str::to_string),
                            client_certificate: leaf.is_some(),
                            client_certificate_der: leaf.map(|c| Arc::from(c.as_ref())),
                            ..info
                        };
                        serve_connection(stream, info, service, app, watcher).await;
                    }
                }
                None => serve_connection::<TcpStream>(tcp, info, service, app, watcher).await,
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

async fn serve_connection<IO>(
    io: IO,
    info: ConnInfo,
    service: Arc<dyn Service>,
    app: Router,
    watcher: hyper_util::server::graceful::Watcher,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = info.kill.clone();
    let http = tower::service_fn(move |mut request: Request<hyper::body::Incoming>| {
        let target = RawTarget(
            request
                .uri()
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_else(|| request.uri().path().to_string()),
        );
        request.extensions_mut().insert(target);
        if let Some(uri) = service.rewrite_uri(request.uri()) {
            *request.uri_mut() = uri;
        }
        let class = service.classify(request.method(), request.uri().path());
        request.extensions_mut().insert(class);
        request.extensions_mut().insert(info.clone());
        app.clone().oneshot(request.map(axum::body::Body::new))
    });
    let builder = Builder::new(TokioExecutor::new());
    let connection =
        builder.serve_connection_with_upgrades(TokioIo::new(io), TowerToHyperService::new(http));
    let connection = watcher.watch(connection.into_owned());
    tokio::select! {
        biased;
        _ = kill.notified() => {}
        _ = connection => {}
    }
}
