//! The send side of SendSafely for the receive tests, spoken as the protocol says (spec §2,
//! §6.2-§6.10) with signed requests made from sendsafely-crypto: packages, files whose
//! segments the test encrypted (or altered) itself, recipients, keycodes wrapped to keys,
//! finalize. Not the library's send API (developed separately): the wire protocol itself.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// A user speaking the protocol with their API key and secret.
pub struct Sender {
    http: reqwest::Client,
    base: String,
    key: String,
    secret: String,
}

/// A package as S5 creates it.
pub struct NewPackage {
    pub id: String,
    pub code: String,
    pub server_secret: String,
}

impl Sender {
    pub fn new(url: &str, key: &str, secret: &str) -> Sender {
        Sender {
            http: reqwest::Client::new(),
            base: url.trim_end_matches('/').to_string(),
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// A signed call; panics unless the answer is SUCCESS.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let answer = self.try_call(method, path, body).await;
        assert_eq!(answer["response"], "SUCCESS", "{method} {path}: {answer}");
        answer
    }

    /// A signed call, answered whatever its `response`.
    pub async fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/api/v2.0/{path}");
        let bytes = body
            .map(|b| serde_json::to_vec(&b).unwrap())
            .unwrap_or_default();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let timestamp = sendsafely_crypto::signature::timestamp(now);
        let signature =
            sendsafely_crypto::signature::sign(&self.secret, &self.key, &path, &timestamp, &bytes);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("ss-api-key", &self.key)
            .header("ss-request-timestamp", timestamp)
            .header("ss-request-signature", signature)
            .header("content-type", "application/json")
            .body(bytes)
            .send()
            .await
            .expect("the emulator answers");
        response.json().await.expect("a JSON answer")
    }

    /// S5.
    pub async fn create_package(&self, vdr: bool) -> NewPackage {
        let answer = self
            .call("PUT", "package/", Some(json!({"vdr": vdr})))
            .await;
        NewPackage {
            id: answer["packageId"].as_str().unwrap().into(),
            code: answer["packageCode"].as_str().unwrap().into(),
            server_secret: answer["serverSecret"].as_str().unwrap().into(),
        }
    }

    /// S19, S20 (batches of 25), S21 for each given segment (already encrypted), S22: the
    /// file's id.
    pub async fn add_file(
        &self,
        pid: &str,
        name: &str,
        size: u64,
        segments: &[Vec<u8>],
        directory: Option<&str>,
    ) -> String {
        let mut register = json!({"filename": name, "parts": segments.len(), "filesize": size});
        if let Some(d) = directory {
            register["directoryId"] = json!(d);
        }
        let answer = self
            .call("PUT", &format!("package/{pid}/file/"), Some(register))
            .await;
        let fid = answer["fileId"].as_str().unwrap().to_string();
        for start in (1..=segments.len()).step_by(25) {
            let answer = self
                .call(
                    "POST",
                    &format!("package/{pid}/file/{fid}/upload-urls/"),
                    Some(json!({"part": start})),
                )
                .await;
            for item in answer["uploadUrls"].as_array().unwrap() {
                let part = item["part"].as_u64().unwrap() as usize;
                let status = self
                    .http
                    .put(item["url"].as_str().unwrap())
                    .body(segments[part - 1].clone())
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert_eq!(status, 200);
            }
        }
        let mut complete = json!({"complete": true});
        if let Some(d) = directory {
            complete["directoryId"] = json!(d);
        }
        let answer = self
            .call(
                "POST",
                &format!("package/{pid}/file/{fid}/upload-complete/"),
                Some(complete),
            )
            .await;
        assert_eq!(answer["message"], "true");
        fid
    }

    /// S11: the recipient's id.
    pub async fn add_recipient(&self, pid: &str, email: &str) -> String {
        let answer = self
            .call(
                "PUT",
                &format!("package/{pid}/recipient/"),
                Some(json!({"email": email})),
            )
            .await;
        answer["recipientId"].as_str().unwrap().into()
    }

    /// S16 then S17: the keycode wrapped to every key the package lists; their ids.
    pub async fn wrap_keycode_to_keys(&self, pid: &str, keycode: &str) -> Vec<String> {
        let answer = self
            .call("GET", &format!("package/{pid}/public-keys/"), None)
            .await;
        let mut ids = vec![];
        for key in answer["publicKeys"].as_array().unwrap() {
            let id = key["id"].as_str().unwrap().to_string();
            let wrapped =
                sendsafely_crypto::keys::wrap_keycode(key["key"].as_str().unwrap(), keycode)
                    .unwrap();
            self.call(
                "PUT",
                &format!("package/{pid}/link/{id}/"),
                Some(json!({"keycode": wrapped})),
            )
            .await;
            ids.push(id);
        }
        ids
    }

    /// S30 with the keycode's checksum: the secure link (§3.4, with its fragment).
    pub async fn finalize(&self, package: &NewPackage, keycode: &str) -> String {
        let checksum = sendsafely_crypto::secrets::checksum(keycode, &package.code);
        let answer = self
            .call(
                "POST",
                &format!("package/{}/finalize/", package.id),
                Some(json!({"checksum": checksum})),
            )
            .await;
        format!("{}#keyCode={keycode}", answer["message"].as_str().unwrap())
    }
}

/// `data` cut into segments of `segment_size` bytes (one empty segment for no data), each
/// encrypted under `passphrase` as the library's senders write them.
pub fn encrypt_segments(passphrase: &str, data: &[u8], segment_size: usize) -> Vec<Vec<u8>> {
    if data.is_empty() {
        return vec![sendsafely_crypto::segment::encrypt_segment(passphrase, b"").unwrap()];
    }
    data.chunks(segment_size)
        .map(|chunk| sendsafely_crypto::segment::encrypt_segment(passphrase, chunk).unwrap())
        .collect()
}

/// A writer whose bytes the test reads afterwards.
#[derive(Clone, Default)]
pub struct SharedBuffer(pub Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap().clone()
    }
}

impl tokio::io::AsyncWrite for SharedBuffer {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.0.lock().unwrap().extend_from_slice(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// The names in a directory.
pub fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
