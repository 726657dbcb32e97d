//! Test support: the emulator, started in this process on a free loopback port (real HTTP),
//! on its own runtime thread so tests can use any runtime (or none) themselves.
#![allow(dead_code)]

use sendsecure_emulator::{
    start, start_sendsafely, RunningServer, SendSafelyOptions, ServerOptions,
};
use std::future::Future;
use std::sync::mpsc;
use std::thread::JoinHandle;

/// A running emulator, stopped when dropped.
pub struct Emulator {
    /// `http://127.0.0.1:PORT`, without trailing slash.
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// The demo account (`acme`, user `demo` / `demo-password`), control API on.
    pub fn demo() -> Emulator {
        Emulator::with_options(ServerOptions::local_demo())
    }

    /// An emulator with these options.
    pub fn with_options(options: ServerOptions) -> Emulator {
        Emulator::spawn(move || start(options))
    }

    /// The SendSafely emulator's demo organisation (`demo@acme.example`, key `demo-api-key`,
    /// secret `demo-api-secret`; `bob@acme.example`), control API on.
    pub fn sendsafely() -> Emulator {
        Emulator::sendsafely_with(SendSafelyOptions::local_demo())
    }

    /// A SendSafely emulator with these options.
    pub fn sendsafely_with(options: SendSafelyOptions) -> Emulator {
        Emulator::spawn(move || start_sendsafely(options))
    }

    /// An emulator that `start` starts, on its own runtime thread.
    fn spawn<S, F>(start: S) -> Emulator
    where
        S: FnOnce() -> F + Send + 'static,
        F: Future<Output = Result<RunningServer, String>>,
    {
        let (url_tx, url_rx) = mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("emulator runtime");
            runtime.block_on(async move {
                let server = start().await.expect("emulator starts");
                url_tx.send(server.url()).expect("test is waiting");
                let _ = stopped.await;
                server.shutdown().await;
            });
        });
        let url = url_rx.recv().expect("emulator reports its URL");
        Emulator {
            url,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// A JSON call to the control API (`/_emulator/...`).
    pub async fn control(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let url = format!("{}/_emulator/{path}", self.url);
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("HTTP method");
        let mut request = reqwest::Client::new().request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("control call");
        response.json().await.unwrap_or(serde_json::Value::Null)
    }

    /// [`Emulator::control`] for code outside any runtime.
    pub fn control_blocking(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(self.control(method, path, body))
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Demo credentials.
pub const ACCOUNT: &str = "acme";
pub const USER: &str = "demo";
pub const PASSWORD: &str = "demo-password";
pub const EMAIL: &str = "demo@acme.example";
