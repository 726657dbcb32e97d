//! `sendsafely-bench`: the measuring program of `bench/run-sendsafely.sh` (see bench/README.md).
//!
//! ```text
//! sendsafely-bench upload FILE            one package, FILE uploaded, finalized
//! sendsafely-bench download LINK OUT      the file of the secure link LINK downloaded to OUT
//! sendsafely-bench baseline-url SIZE      a package with a one-part file: its storage URL
//! sendsafely-bench baseline-finish PID CODE SERVER_SECRET KEYCODE FID
//!                                         that file complete, the package finalized: its
//!                                         download URL
//! sendsafely-bench run CMD ARGS...        a baseline command: wall, CPU, peak RSS
//! ```
//!
//! Every command prints `key=value` lines. `upload` and `download` use the library's Rust API
//! (`sendsecure::sendsafely`); `wall_s` and `cpu_s` (user + system of every thread, from
//! `getrusage`) cover the transfer call itself (`upload_files`, or `open_link` +
//! `download_file`), `maxrss_kib` is the process's peak RSS. Settings from the environment:
//! `SS_HOST` (the emulator's URL), `SS_API_KEY`, `SS_API_SECRET` (default: the emulator's
//! demo user), `BENCH_CRYPTO_THREADS` (default 0: one per available core) and
//! `BENCH_CONCURRENCY` (segments moving at once, default the library's).

mod baseline;
mod measure;

use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::sendsafely::link::SecureLink;
use sendsecure::sendsafely::model::{DownloadProgressFn, FileUpload, UploadProgressFn};
use sendsecure::DownloadSink;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn env_number(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Ok(v) => v.parse().map_err(|_| format!("{name}={v} is not a number")),
        Err(_) => Ok(default),
    }
}

struct Settings {
    host: String,
    key: String,
    secret: String,
}

impl Settings {
    fn read() -> Settings {
        Settings {
            host: env("SS_HOST", "http://127.0.0.1:8080"),
            key: env("SS_API_KEY", "demo-api-key"),
            secret: env("SS_API_SECRET", "demo-api-secret"),
        }
    }

    fn client(&self) -> Result<Client, String> {
        let defaults = ClientOptions::default();
        let options = ClientOptions {
            transfer_concurrency: env_number("BENCH_CONCURRENCY", defaults.transfer_concurrency)?,
            crypto_threads: env_number("BENCH_CRYPTO_THREADS", 0)?,
            ..defaults
        };
        Client::new(&self.host, &self.key, &self.secret, options).map_err(|e| e.to_string())
    }
}

async fn upload(settings: &Settings, path: &str) -> Result<(), String> {
    let client = settings.client()?;
    let package = client.create_package().await.map_err(|e| e.to_string())?;
    let reports = Arc::new(AtomicU64::new(0));
    let seen = reports.clone();
    let progress: UploadProgressFn = Arc::new(move |_| {
        seen.fetch_add(1, Ordering::Relaxed);
        true
    });
    let span = measure::Span::start();
    let files = client
        .upload_files(&package, vec![FileUpload::from_path(path)], Some(progress))
        .await
        .map_err(|e| format!("upload: {e}"))?;
    let (wall, cpu) = span.end();
    let finalize = measure::Span::start();
    let finalized = client
        .finalize_package(&package)
        .await
        .map_err(|e| format!("finalize: {e}"))?;
    let (finalize_wall, _) = finalize.end();
    let file = &files[0];
    println!("wall_s={wall:.6}");
    println!("cpu_s={cpu:.6}");
    println!("bytes={}", file.file_size);
    println!("parts={}", file.parts);
    println!("progress_reports={}", reports.load(Ordering::Relaxed));
    println!("crypto_threads={}", client.crypto_threads());
    println!("transfer_concurrency={}", client.transfer_concurrency());
    println!("finalize_s={finalize_wall:.6}");
    println!("maxrss_kib={}", measure::maxrss_kib());
    println!("link={}", finalized.secure_link.as_str());
    Ok(())
}

async fn download(settings: &Settings, link: &str, out: &str) -> Result<(), String> {
    let client = settings.client()?;
    let link = SecureLink::parse(link).map_err(|e| e.to_string())?;
    let reports = Arc::new(AtomicU64::new(0));
    let seen = reports.clone();
    let progress: DownloadProgressFn = Arc::new(move |_| {
        seen.fetch_add(1, Ordering::Relaxed);
        true
    });
    let span = measure::Span::start();
    let package = client.open_link(&link).await.map_err(|e| e.to_string())?;
    let file_id = package
        .info
        .files
        .first()
        .ok_or("the package has no file")?
        .file_id
        .clone();
    let bytes = client
        .download_file(
            &package,
            &file_id,
            DownloadSink::Path(out.into()),
            Some(progress),
        )
        .await
        .map_err(|e| format!("download: {e}"))?;
    let (wall, cpu) = span.end();
    println!("wall_s={wall:.6}");
    println!("cpu_s={cpu:.6}");
    println!("bytes={bytes}");
    println!("progress_reports={}", reports.load(Ordering::Relaxed));
    println!("crypto_threads={}", client.crypto_threads());
    println!("maxrss_kib={}", measure::maxrss_kib());
    Ok(())
}

async fn baseline_url(settings: &Settings, size: &str) -> Result<(), String> {
    let size: u64 = size.parse().map_err(|_| format!("bad size {size}"))?;
    let client = settings.client()?;
    let package = client.create_package().await.map_err(|e| e.to_string())?;
    let api = baseline::Api::new(&settings.host, &settings.key, &settings.secret);
    let (file_id, url) = api.one_part_file(&package.package_id, size).await?;
    let passphrase =
        sendsafely_crypto::secrets::passphrase(&package.server_secret, &package.keycode);
    println!("package_id={}", package.package_id);
    println!("package_code={}", package.package_code);
    println!("server_secret={}", package.server_secret.as_str());
    println!("keycode={}", package.keycode.as_str());
    println!("file_id={file_id}");
    println!("passphrase={}", passphrase.as_str());
    println!("upload_url={url}");
    Ok(())
}

async fn baseline_finish(settings: &Settings, args: &[String]) -> Result<(), String> {
    let [pid, code, server_secret, keycode, file_id] = args else {
        return Err("baseline-finish PID CODE SERVER_SECRET KEYCODE FID".into());
    };
    let client = settings.client()?;
    let package = baseline::package(pid, code, server_secret, keycode);
    let api = baseline::Api::new(&settings.host, &settings.key, &settings.secret);
    let url = api.finish(&client, &package, file_id).await?;
    println!("download_url={url}");
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = Settings::read();
    let command = args.first().map(String::as_str).unwrap_or("");
    if command == "run" {
        if let Err(e) = measure::run(&args[1..]) {
            eprintln!("sendsafely-bench: {e}");
            std::process::exit(1);
        }
        return;
    }
    // Two I/O threads, as the C ABI's runtime has; the cryptography runs on the blocking pool.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let done = runtime.block_on(async {
        match (command, &args[1..]) {
            ("upload", [path]) => upload(&settings, path).await,
            ("download", [link, out]) => download(&settings, link, out).await,
            ("baseline-url", [size]) => baseline_url(&settings, size).await,
            ("baseline-finish", rest) => baseline_finish(&settings, rest).await,
            _ => Err("usage: sendsafely-bench upload FILE | download LINK OUT | baseline-url SIZE | baseline-finish PID CODE SERVER_SECRET KEYCODE FID | run CMD ARGS...".into()),
        }
    });
    if let Err(e) = done {
        eprintln!("sendsafely-bench: {e}");
        std::process::exit(1);
    }
}
