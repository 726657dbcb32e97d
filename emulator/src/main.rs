//! The `sendsecure-emulator` command: a local server of one secure-exchange service
//! (SendSecure or SendSafely) for offline development.

use clap::Parser;
use sendsecure_emulator::core::config::ConfigFile;
use sendsecure_emulator::sendsafely::config::Config as SendSafelyConfig;
use sendsecure_emulator::{
    start, start_sendsafely, Config, CoreOptions, RunningServer, SendSafelyOptions, ServerOptions,
    ServiceName,
};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// A faithful, stateful local SendSecure (or SendSafely) server.
///
/// When ready it prints `listening on http://HOST:PORT` on standard output, followed by
/// `admin on http://HOST:PORT` with --admin-listen; everything else goes to standard error. SIGINT or SIGTERM stops it cleanly.
#[derive(Debug, Parser)]
#[command(name = "sendsecure-emulator", version)]
struct Cli {
    /// The service to serve: sendsecure or sendsafely (passbyme is not served yet).
    #[arg(long, value_name = "NAME", default_value = "sendsecure")]
    service: String,
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Configuration file (TOML) of the service: for sendsecure accounts, users and security
    /// profiles, for sendsafely users, contact groups and settings; without it the built-in demo
    /// account is served.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Directory for uploaded files; a temporary directory removed at exit by default.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PEM certificate chain, to serve HTTPS (needs --tls-key).
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key matching --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// PEM file of certificate authorities: every client must present a certificate signed by
    /// one of them (mutual TLS). Needs --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
    /// Offer TLS 1.2 only (by default TLS 1.3 and 1.2). Needs --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls12_only: bool,
    /// Serve the control API under /_emulator/ (fault injection, clock, stats, state) on the
    /// main listener.
    #[arg(long)]
    control: bool,
    /// Serve the control API on its own listener at this loopback address (port 0 picks a
    /// free port) instead of the main one, which then has no /_emulator/ route.
    #[arg(long, value_name = "ADDR")]
    admin_listen: Option<SocketAddr>,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Print the built-in demo configuration (a starting point for --config) and exit.
    #[arg(long)]
    print_demo_config: bool,
}

/// Registers for SIGINT and SIGTERM at once, and answers a future that ends at the first of
/// them. Registered before the server says it is listening: a signal sent as soon as it is
/// ready (by a test, a script) must stop it cleanly, not kill it with the default action.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            match (term, interrupt) {
                (Ok(mut term), Ok(mut interrupt)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn describe_accounts(config: &Config) {
    for account in &config.accounts {
        eprintln!("account `{}`:", account.permalink);
        for user in &account.users {
            let otp = user
                .otp
                .as_deref()
                .map(|o| format!(", one-time password {o}"))
                .unwrap_or_default();
            eprintln!(
                "  user `{}` password `{}` e-mail {} (id {}){otp}",
                user.username, user.password, user.email, user.id
            );
        }
    }
}

fn core_options(cli: &Cli) -> CoreOptions {
    CoreOptions {
        listen: cli.listen,
        data_dir: cli.data_dir.clone(),
        tls: cli.tls_cert.clone().zip(cli.tls_key.clone()),
        tls_client_ca: cli.tls_client_ca.clone(),
        tls12_only: cli.tls12_only,
        control: cli.control,
        admin_listen: cli.admin_listen,
        latency: Duration::from_millis(cli.latency_ms),
    }
}

/// SendSecure from the command line: `Ok(None)` when there is nothing to serve
/// (`--print-demo-config`), `Err` with the exit code on failure.
async fn start_sendsecure_from(cli: Cli) -> Result<Option<RunningServer>, ExitCode> {
    if cli.print_demo_config {
        print!("{}", sendsecure_emulator::config::DEMO_CONFIG);
        return Ok(None);
    }
    let config = match &cli.config {
        Some(path) => match Config::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("sendsecure-emulator: {e}");
                return Err(ExitCode::from(2));
            }
        },
        None => Config::demo(),
    };
    if cli.config.is_none() {
        eprintln!("sendsecure-emulator: serving the built-in demo account");
    }
    describe_accounts(&config);
    let options = ServerOptions {
        core: core_options(&cli),
        config,
    };
    match start(options).await {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            eprintln!("sendsecure-emulator: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

/// SendSafely from the command line, as [`start_sendsecure_from`].
async fn start_sendsafely_from(cli: Cli) -> Result<Option<RunningServer>, ExitCode> {
    if cli.print_demo_config {
        print!("{}", sendsecure_emulator::sendsafely::config::DEMO_CONFIG);
        return Ok(None);
    }
    let config = match &cli.config {
        Some(path) => match SendSafelyConfig::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("sendsecure-emulator: {e}");
                return Err(ExitCode::from(2));
            }
        },
        None => SendSafelyConfig::demo(),
    };
    if cli.config.is_none() {
        eprintln!("sendsecure-emulator: serving the built-in SendSafely demo organisation");
    }
    for user in &config.users {
        eprintln!(
            "  user {} API key `{}` secret `{}`",
            user.email, user.api_key, user.api_secret
        );
    }
    let options = SendSafelyOptions {
        core: core_options(&cli),
        config,
    };
    match start_sendsafely(options).await {
        Ok(s) => Ok(Some(s)),
        Err(e) => {
            eprintln!("sendsecure-emulator: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(addr) = cli.admin_listen.filter(|a| !a.ip().is_loopback()) {
        eprintln!(
            "sendsecure-emulator: --admin-listen {addr}: the admin listener must be on a loopback \
             address (127.0.0.1 or ::1), its control API has no authentication"
        );
        return ExitCode::from(2);
    }
    // Refused like any other bad flag (exit status 2), in one line.
    let service = match ServiceName::from_name(&cli.service) {
        Some(service) if service.is_served() => service,
        Some(service) => {
            eprintln!(
                "sendsecure-emulator: service {} is not served yet",
                service.as_str()
            );
            return ExitCode::from(2);
        }
        None => {
            eprintln!(
                "sendsecure-emulator: unknown service `{}` (known: {})",
                cli.service,
                ServiceName::known_names()
            );
            return ExitCode::from(2);
        }
    };
    let started = match service {
        ServiceName::SendSafely => start_sendsafely_from(cli).await,
        _ => start_sendsecure_from(cli).await,
    };
    let server = match started {
        Ok(Some(s)) => s,
        Ok(None) => return ExitCode::SUCCESS,
        Err(code) => return code,
    };
    let stop = shutdown_signal();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on {}", server.url());
    if let Some(admin) = server.admin_url() {
        let _ = writeln!(stdout, "admin on {admin}");
    }
    let _ = stdout.flush();
    drop(stdout);
    server.wait(stop).await;
    eprintln!("sendsecure-emulator: stopped");
    ExitCode::SUCCESS
}
