//! The services the emulator knows, by the name `--service` takes, and how to start the one
//! that is served. The only module that names both the core and the services.

use crate::core::server::{self, CoreOptions, RunningServer};
use crate::sendsafely::config::Config as SendSafelyConfig;
use crate::sendsafely::SendSafely;
use crate::sendsecure::config::Config;
use crate::sendsecure::SendSecure;
use std::net::SocketAddr;
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
        matches!(self, ServiceName::SendSecure | ServiceName::SendSafely)
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
    /// Where and how to listen (address, TLS, mutual TLS, control API, latency, data directory).
    pub core: CoreOptions,
    /// Accounts, users and profiles.
    pub config: Config,
}

impl ServerOptions {
    /// Options for the demo account on a free loopback port, control API on.
    pub fn local_demo() -> ServerOptions {
        ServerOptions {
            core: CoreOptions {
                listen: SocketAddr::from(([127, 0, 0, 1], 0)),
                data_dir: None,
                tls: None,
                tls_client_ca: None,
                tls12_only: false,
                control: true,
                admin_listen: None,
                latency: Duration::ZERO,
            },
            config: Config::demo(),
        }
    }
}

/// Binds the socket and starts serving SendSecure in the background.
pub async fn start(options: ServerOptions) -> Result<RunningServer, String> {
    server::start(options.core, Arc::new(SendSecure::new(options.config))).await
}

/// How to run the SendSafely emulator: the core's options and the organisation it serves.
#[derive(Debug, Clone)]
pub struct SendSafelyOptions {
    /// Where and how to listen (address, TLS, mutual TLS, control API, latency, data directory).
    pub core: CoreOptions,
    /// Users, contact groups and settings.
    pub config: SendSafelyConfig,
}

impl SendSafelyOptions {
    /// Options for the demo organisation on a free loopback port, control API on.
    pub fn local_demo() -> SendSafelyOptions {
        SendSafelyOptions {
            core: ServerOptions::local_demo().core,
            config: SendSafelyConfig::demo(),
        }
    }
}

/// Binds the socket and starts serving SendSafely in the background.
pub async fn start_sendsafely(options: SendSafelyOptions) -> Result<RunningServer, String> {
    server::start(options.core, Arc::new(SendSafely::new(options.config))).await
}
