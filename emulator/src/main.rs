//! The `sendsecure-emulator` command: a local server of one secure-exchange service (today
//! SendSecure) for offline development.

use clap::Parser;
use sendsecure_emulator::{start, Config, CoreOptions, ServerOptions, ServiceName};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// A faithful, stateful local SendSecure server.
///
/// When ready it prints exactly one line, `listening on http://HOST:PORT`, on standard output;
/// everything else goes to standard error. SIGINT or SIGTERM stops it cleanly.
#[derive(Debug, Parser)]
#[command(name = "sendsecure-emulator", version)]
struct Cli {
    /// The service to serve: sendsecure (sendsafely and passbyme are not served yet).
    #[arg(long, value_name = "NAME", default_value = "sendsecure")]
    service: String,
    /// Address and port to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Configuration file (TOML) with accounts, users and security profiles; without it the
    /// built-in demo account is served.
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
    /// Serve the control API under /_emulator/ (fault injection, clock, stats, state).
    #[arg(long)]
    control: bool,
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

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Refused like any other bad flag (exit status 2), in one line.
    match ServiceName::from_name(&cli.service) {
        Some(service) if service.is_served() => {}
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
    }
    if cli.print_demo_config {
        print!("{}", sendsecure_emulator::config::DEMO_CONFIG);
        return ExitCode::SUCCESS;
    }
    let config = match &cli.config {
        Some(path) => match Config::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("sendsecure-emulator: {e}");
                return ExitCode::from(2);
            }
        },
        None => Config::demo(),
    };
    if cli.config.is_none() {
        eprintln!("sendsecure-emulator: serving the built-in demo account");
    }
    describe_accounts(&config);
    let options = ServerOptions {
        core: CoreOptions {
            listen: cli.listen,
            data_dir: cli.data_dir,
            tls: cli.tls_cert.zip(cli.tls_key),
            tls_client_ca: cli.tls_client_ca,
            tls12_only: cli.tls12_only,
            control: cli.control,
            latency: Duration::from_millis(cli.latency_ms),
        },
        config,
    };
    let server = match start(options).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sendsecure-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stop = shutdown_signal();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on {}", server.url());
    let _ = stdout.flush();
    drop(stdout);
    server.wait(stop).await;
    eprintln!("sendsecure-emulator: stopped");
    ExitCode::SUCCESS
}
