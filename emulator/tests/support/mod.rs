//! Test support: starts the real `sendsecure-emulator` binary on a free port and talks to it
//! over HTTP.
#![allow(dead_code)]

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running emulator process, killed on drop.
pub struct Emulator {
    child: Child,
    /// `http://127.0.0.1:PORT` without trailing slash.
    pub url: String,
    /// The admin listener's `http://127.0.0.1:PORT`, when started with `--admin-listen`.
    pub admin: Option<String>,
}

impl Emulator {
    /// Starts the emulator with `--listen 127.0.0.1:0 --control` plus `args`, and waits for its
    /// `listening on` line.
    pub fn start(args: &[&str]) -> Emulator {
        Emulator::spawn(true, args)
    }

    /// Starts the emulator with `--listen 127.0.0.1:0` plus `args`, without the control API.
    pub fn start_without_control(args: &[&str]) -> Emulator {
        Emulator::spawn(false, args)
    }

    /// The path of the emulator binary.
    pub fn binary() -> &'static str {
        env!("CARGO_BIN_EXE_sendsecure-emulator")
    }

    fn spawn(control: bool, args: &[&str]) -> Emulator {
        let mut child = Command::new(Emulator::binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(if control { &["--control"][..] } else { &[][..] })
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the emulator binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        // With an admin listener a second line names it.
        let lines = if args.contains(&"--admin-listen") {
            2
        } else {
            1
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            for _ in 0..lines {
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let _ = tx.send(line);
            }
        });
        let next_line = |prefix: &str| {
            let line = rx
                .recv_timeout(Duration::from_secs(20))
                .expect("the emulator prints its listening lines within 20 s");
            line.trim()
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("expected `{prefix}…`, got {line:?}"))
                .to_string()
        };
        let url = next_line("listening on ");
        let admin = (lines == 2).then(|| next_line("admin on "));
        Emulator { child, url, admin }
    }

    /// The demo account's emulator.
    pub fn demo() -> Emulator {
        Emulator::start(&[])
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and waits for the process; returns whether it exited successfully in time.
    pub fn terminate(mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// An unauthenticated client.
    pub fn anonymous(&self) -> Api {
        Api {
            client: reqwest::Client::new(),
            base: format!("{}/", self.url),
            token: None,
        }
    }

    /// A client logged in as a demo user.
    pub async fn login(&self, username: &str, password: &str) -> Api {
        let api = self.anonymous();
        let (status, body) = api
            .send(
                Method::POST,
                "api/user_token",
                Some(json!({
                    "permalink": "acme", "username": username, "password": password,
                    "application_type": "tests", "device_id": "dev-1", "device_name": "tests", "otp": ""
                })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login failed: {body}");
        Api {
            token: Some(body["token"].as_str().expect("token").to_string()),
            ..api
        }
    }

    /// The demo owner, `demo@acme.example`.
    pub async fn demo_user(&self) -> Api {
        self.login("demo", "demo-password").await
    }

    /// A control-API call.
    pub async fn control(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.anonymous()
            .send(method, &format!("_emulator/{path}"), body)
            .await
    }
}

impl Drop for Emulator {
    /// Stops the emulator with SIGTERM (so that it removes its temporary data directory), and
    /// kills it if it is not gone within 3 s.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Status and body of a response: JSON when it parses, `Null` when empty, else a JSON string.
pub async fn read_response(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body read");
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, value)
}

/// A small JSON client for the API.
#[derive(Clone)]
pub struct Api {
    pub client: reqwest::Client,
    /// Base URL with trailing slash.
    pub base: String,
    pub token: Option<String>,
}

impl Api {
    /// Sends a request to `base + path` (or to `path` when absolute) and returns status and JSON
    /// body (`Null` when empty, a JSON string when not JSON).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        };
        let mut request = self.client.request(method, url);
        if let Some(token) = &self.token {
            request = request.header("Authorization-Token", token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        read_response(response).await
    }

    /// The absolute URL of `path` (returned as is when already absolute).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    /// A request builder for `path` carrying the token (if any) in `Authorization-Token`, for
    /// requests `send` cannot express (raw bodies, other headers).
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.client.request(method, self.url(path));
        match &self.token {
            Some(token) => request.header("Authorization-Token", token),
            None => request,
        }
    }

    /// The same identity on a new HTTP client (so: a new connection).
    pub fn with_fresh_client(&self) -> Api {
        Api {
            client: reqwest::Client::new(),
            ..self.clone()
        }
    }

    /// The same base URL and HTTP client without a token.
    pub fn without_token(&self) -> Api {
        Api {
            token: None,
            ..self.clone()
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.send(Method::PATCH, path, body).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None).await
    }

    /// Uploads bytes as multipart part `file` to an upload URL; returns the document GUID.
    pub async fn upload(&self, upload_url: &str, name: &str, bytes: Vec<u8>) -> String {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let response = self
            .client
            .post(upload_url)
            .multipart(form)
            .send()
            .await
            .expect("upload sent");
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.expect("upload answer is JSON");
        body["temporary_document"]["document_guid"]
            .as_str()
            .expect("document_guid")
            .to_string()
    }

    /// Initializes, uploads `files` and commits a SafeBox for the demo owner with one guest;
    /// returns its GUID.
    pub async fn create_safebox(&self, subject: &str, files: &[(&str, Vec<u8>)]) -> String {
        let (status, init) = self
            .get("api/v2/safeboxes/new.json?user_email=demo@acme.example")
            .await;
        assert_eq!(status, StatusCode::OK, "{init}");
        let guid = init["guid"].as_str().unwrap().to_string();
        let upload_url = init["upload_url"].as_str().unwrap().to_string();
        let mut ids = vec![];
        for (name, bytes) in files {
            ids.push(self.upload(&upload_url, name, bytes.clone()).await);
        }
        let (status, body) = self
            .post(
                "api/v2/safeboxes.json",
                json!({"safebox": {
                    "guid": guid, "user_email": "demo@acme.example", "subject": subject,
                    "message": "Initial message", "security_profile_id": 1, "notification_language": "en",
                    "public_encryption_key": init["public_encryption_key"],
                    "recipients": [{"email": "guest@example.com", "first_name": "Guest", "last_name": "One",
                        "contact_methods": [{"destination": "+15145550000", "destination_type": "cell_phone"}]}],
                    "document_ids": ids,
                }}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "commit failed: {body}");
        guid
    }
}

/// The JSON type of a value: `null`, `bool`, `number`, `string`, `array` or `object`.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
