//! The services the emulator knows, by the name `--service` takes, and how to start the one
//! that is served. The only module that names both the core and the services.

use crate::core::server::{self, CoreOptions, RunningServer};
use crate::sendsecure::config::Config;
use crate::sendsecure::SendSecure;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A protocol the emulator serves or will serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceName {
    SendSecure,
    SendSafely,
    PassByMe,
}

impl ServiceName {
    /// Every known service, in the order they are listed.
    pub const ALL: [ServiceName; 3] = [
        ServiceName::SendSecure,
        ServiceName::SendSafely,
        ServiceName::PassByMe,
    ];

    /// The name `--service` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceName::SendSecure => "sendsecure",
            ServiceName::SendSafely => "sendsafely",
            ServiceName::PassByMe => "passbyme",
        }
    }

    /// The service of that name, if known.
    pub fn from_name(name: &str) -> Option<ServiceName> {
        ServiceName::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether it can be started yet.
    pub fn is_served(self) -> bool {
        self == ServiceName::SendSecure
    }

    /// The known names, comma-separated, for messages.
    pub fn known_names() -> String {
        let names: Vec<&str> = ServiceName::ALL.iter().map(|s| s.as_str()).collect();
        names.join(", ")
    }
}

/// How to run the SendSecure emulator: the core's options and the accounts it serves.
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

    /// The options of the core (all but the accounts).
    pub fn core(&self) -> CoreOptions {
        CoreOptions {
            listen: self.listen,
            data_dir: self.data_dir.clone(),
            tls: self.tls.clone(),
            tls_client_ca: self.tls_client_ca.clone(),
            tls12_only: self.tls12_only,
            control: self.control,
            latency: self.latency,
        }
    }
}

/// Binds the socket and starts serving SendSecure in the background.
pub async fn start(options: ServerOptions) -> Result<RunningServer, String> {
    let core = options.core();
    server::start(core, Arc::new(SendSecure::new(options.config))).await
}
