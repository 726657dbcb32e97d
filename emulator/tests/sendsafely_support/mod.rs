//! Test support for the SendSafely service: a signing client (spec §2) and the golden
//! fixtures copied from the spec's §12 (`tests/golden/sendsafely.json`).
#![allow(dead_code)]

pub mod openpgp;

use crate::support::{read_response, type_name, Emulator};
use reqwest::{Method, StatusCode};
use sendsafely_crypto::{secrets, signature};
use serde_json::{json, Value};

/// Starts `--service sendsafely` (control API on) with `args`.
pub fn start(args: &[&str]) -> Emulator {
    let mut all = vec!["--service", "sendsafely"];
    all.extend_from_slice(args);
    Emulator::start(&all)
}

/// Starts it with a config file of `users` and `settings` (TOML lines) written to `dir`.
pub fn start_with(dir: &std::path::Path, settings: &str) -> Emulator {
    start_with_args(dir, settings, &[])
}

/// [`start_with`], with more command-line arguments.
pub fn start_with_args(dir: &std::path::Path, settings: &str, args: &[&str]) -> Emulator {
    let config = dir.join("sendsafely.toml");
    std::fs::write(
        &config,
        format!(
            "{settings}\n[[users]]\nid = \"u-ex\"\nemail = \"example@acme.example\"\n\
             api_key = \"EXAMPLE-API-KEY\"\napi_secret = \"EXAMPLE-API-SECRET\"\n\
             [[users]]\nid = \"u-demo\"\nemail = \"demo@acme.example\"\n\
             api_key = \"demo-api-key\"\napi_secret = \"demo-api-secret\"\n"
        ),
    )
    .unwrap();
    let mut all = vec!["--config", config.to_str().unwrap()];
    all.extend_from_slice(args);
    start(&all)
}

/// The `ss-request-signature` of a request, as the client signs it (sendsafely-crypto), with
/// the key first as the tests name them.
pub fn sign(key: &str, secret: &str, path: &str, timestamp: &str, body: &[u8]) -> String {
    signature::sign(secret, key, path, timestamp, body)
}

/// The current UTC time in the header format.
pub fn now_timestamp() -> String {
    signature::timestamp(chrono::Utc::now().timestamp())
}

/// A fixture of the golden corpus by id (`SF-08`).
pub fn fixture(id: &str) -> Value {
    let all: Vec<Value> = serde_json::from_str(include_str!("../golden/sendsafely.json")).unwrap();
    all.into_iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no fixture {id}"))
}

/// Whether `actual` has the shape of `expected`: `"<name>"` strings match anything, objects
/// must have (at least) the expected keys with matching values, other values are equal.
pub fn assert_shape(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::String(s), _) if s.starts_with('<') && s.ends_with('>') => {
            assert!(!actual.is_null(), "{at}: {s} is missing");
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let got = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}.{k} missing in {actual}"));
                assert_shape(v, got, &format!("{at}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{at}: {actual}");
            for (i, (e, a)) in e.iter().zip(a).enumerate() {
                assert_shape(e, a, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(expected, actual, "{at}"),
    }
}

/// A client signing with one API key.
#[derive(Clone)]
pub struct Ss {
    pub client: reqwest::Client,
    /// `http://127.0.0.1:PORT` without trailing slash.
    pub origin: String,
    pub key: String,
    pub secret: String,
}

impl Ss {
    pub fn new(emu: &Emulator, key: &str, secret: &str) -> Ss {
        Ss {
            client: reqwest::Client::new(),
            origin: emu.url.clone(),
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// The demo user.
    pub fn demo(emu: &Emulator) -> Ss {
        Ss::new(emu, "demo-api-key", "demo-api-secret")
    }

    /// Bob.
    pub fn bob(emu: &Emulator) -> Ss {
        Ss::new(emu, "bob-api-key", "bob-api-secret")
    }

    /// A signed call to `/api/v2.0{endpoint}` (the query, if any, is not signed) with `body`
    /// sent and signed byte for byte.
    pub async fn call(
        &self,
        method: Method,
        endpoint: &str,
        body: Option<&str>,
    ) -> (StatusCode, Value) {
        let path = format!("/api/v2.0{endpoint}");
        let signed_path = path.split('?').next().unwrap();
        let headers = self.signed_headers(signed_path, body.unwrap_or("").as_bytes());
        self.raw(method, &path, body.map(|b| b.as_bytes().to_vec()), &headers)
            .await
    }

    /// The three signing headers for `path` (as signed) and `body`, timestamped now.
    pub fn signed_headers(&self, path: &str, body: &[u8]) -> Vec<(&'static str, String)> {
        let ts = now_timestamp();
        let sig = sign(&self.key, &self.secret, path, &ts, body);
        vec![
            ("ss-api-key", self.key.clone()),
            ("ss-request-timestamp", ts),
            ("ss-request-signature", sig),
        ]
    }

    /// S30: `POST /package/{pid}/finalize/` with `checksum`: the answer, success or not.
    pub async fn finalize_with(&self, pid: &str, checksum: &str) -> Value {
        self.json(
            Method::POST,
            &format!("/package/{pid}/finalize/"),
            &json!({"checksum": checksum}),
        )
        .await
        .1
    }

    /// S32: `PUT` a subdirectory of `parent` in workspace `pid` with `body`.
    pub async fn subdirectory(&self, pid: &str, parent: &str, body: &Value) -> (StatusCode, Value) {
        self.json(
            Method::PUT,
            &format!("/package/{pid}/directory/{parent}/subdirectory/"),
            body,
        )
        .await
    }

    /// S32: a new subdirectory `name` of `parent`, which must succeed: its id.
    pub async fn new_directory(&self, pid: &str, parent: &str, name: &str) -> String {
        self.ok(
            Method::PUT,
            &format!("/package/{pid}/directory/{parent}/subdirectory/"),
            Some(&json!({"directoryName": name})),
        )
        .await["directoryId"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// An unbodied signed call that must be refused with `response`: the answer.
    pub async fn refused(&self, method: Method, endpoint: &str, response: &str) -> Value {
        let (_, answer) = self.call(method.clone(), endpoint, None).await;
        assert_eq!(
            answer["response"], response,
            "{method} {endpoint}: {answer}"
        );
        answer
    }

    /// S24: marks file `fid` complete, which must succeed: the answer.
    pub async fn upload_complete(&self, pid: &str, fid: &str) -> Value {
        self.ok(
            Method::POST,
            &format!("/package/{pid}/file/{fid}/upload-complete/"),
            Some(&json!({"complete": true})),
        )
        .await
    }

    /// S5: a new package (`PUT /package/` with `{"vdr": false}`), which must succeed.
    pub async fn create_package(&self) -> Value {
        self.ok(Method::PUT, "/package/", Some(&json!({"vdr": false})))
            .await
    }

    /// Registers a file in package `pid` with `body`, which must succeed.
    pub async fn register_file(&self, pid: &str, body: &Value) -> Value {
        self.ok(Method::PUT, &format!("/package/{pid}/file/"), Some(body))
            .await
    }

    /// The upload URLs of file `fid` from `part` on, which must succeed.
    pub async fn upload_urls(&self, pid: &str, fid: &str, part: u64) -> Value {
        self.ok(
            Method::POST,
            &format!("/package/{pid}/file/{fid}/upload-urls/"),
            Some(&json!({"part": part})),
        )
        .await
    }

    /// `call` with a JSON value serialised compactly.
    pub async fn json(&self, method: Method, endpoint: &str, body: &Value) -> (StatusCode, Value) {
        self.call(method, endpoint, Some(&body.to_string())).await
    }

    /// A signed call that must succeed: the answer.
    pub async fn ok(&self, method: Method, endpoint: &str, body: Option<&Value>) -> Value {
        let text = body.map(|b| b.to_string());
        let (status, answer) = self.call(method.clone(), endpoint, text.as_deref()).await;
        assert_eq!(status, StatusCode::OK, "{method} {endpoint}: {answer}");
        assert_eq!(
            answer["response"], "SUCCESS",
            "{method} {endpoint}: {answer}"
        );
        answer
    }

    /// An unbodied signed GET that must succeed: the answer.
    pub async fn get_ok(&self, endpoint: &str) -> Value {
        self.ok(Method::GET, endpoint, None).await
    }

    /// A request to `path` on the origin with exactly these headers and body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        headers: &[(&str, String)],
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.origin));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body);
        }
        read_response(request.send().await.expect("request sent")).await
    }
}

/// Whether `actual` has the keys of the example `expected` (recursively in objects), each
/// with a value of the same JSON type: for fixtures whose values are examples (SF-08).
pub fn assert_keys_and_types(expected: &Value, actual: &Value, at: &str) {
    if let Value::String(s) = expected {
        if s.starts_with('<') && s.ends_with('>') {
            assert!(!actual.is_null(), "{at}: {s} is missing");
            return;
        }
    }
    assert_eq!(type_name(expected), type_name(actual), "{at}: {actual}");
    if let (Value::Object(e), Value::Object(a)) = (expected, actual) {
        for (k, v) in e {
            let got = a
                .get(k)
                .unwrap_or_else(|| panic!("{at}.{k} missing in {actual}"));
            assert_keys_and_types(v, got, &format!("{at}.{k}"));
        }
    }
}

/// The part numbers of an upload-urls answer, in order.
pub fn part_numbers(answer: &Value) -> Vec<u64> {
    answer["uploadUrls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["part"].as_u64().unwrap())
        .collect()
}

/// The link checksum of a package (spec §3.3), as the client computes it (sendsafely-crypto).
pub fn checksum_for(keycode: &str, code: &str) -> String {
    secrets::checksum(keycode, code)
}

/// Distinct bytes for part `n` (`len` of them).
pub fn segment(n: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31) ^ n).collect()
}

/// An unsigned PUT of `bytes` to `url`: the status and the body text.
pub async fn put_raw(url: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .put(url)
        .body(bytes)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}
