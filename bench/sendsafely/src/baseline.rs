//! The emulator calls the gpg + curl baseline needs and the library does not expose (they are
//! steps inside its uploads and downloads): a file registered with one part (S19), the storage
//! URL of that part (S20), the file marked complete (S22) and, after finalize, the part's
//! download URL (S26). Each request is signed as spec §2 says, with the crate the library uses.

use sendsecure::sendsafely::client::Client;
use sendsecure::sendsafely::model::{Package, Secret};
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// Signed calls of one API key to `{host}/api/v2.0/`.
pub struct Api {
    http: reqwest::Client,
    host: String,
    key: String,
    secret: String,
}

impl Api {
    pub fn new(host: &str, key: &str, secret: &str) -> Api {
        Api {
            http: reqwest::Client::new(),
            host: host.trim_end_matches('/').to_string(),
            key: key.to_string(),
            secret: secret.to_string(),
        }
    }

    /// `method` of `/api/v2.0/{path}` with the JSON `body`; the answer must be `SUCCESS`.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> Result<Value, String> {
        let path = format!("/api/v2.0/{path}");
        let body = body.to_string();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs() as i64;
        let timestamp = sendsafely_crypto::signature::timestamp(now);
        let signature = sendsafely_crypto::signature::sign(
            &self.secret,
            &self.key,
            &path,
            &timestamp,
            body.as_bytes(),
        );
        let answer = self
            .http
            .request(method, format!("{}{path}", self.host))
            .header("ss-api-key", &self.key)
            .header("ss-request-timestamp", timestamp)
            .header("ss-request-signature", signature)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{path}: {e}"))?
            .text()
            .await
            .map_err(|e| format!("{path}: {e}"))?;
        let value: Value =
            serde_json::from_str(&answer).map_err(|e| format!("{path}: {e}: {answer}"))?;
        if value["response"] != "SUCCESS" {
            return Err(format!("{path}: {answer}"));
        }
        Ok(value)
    }

    /// The `url` of the first entry of the list `field` of an answer.
    fn first_url(answer: &Value, field: &str) -> Result<String, String> {
        answer[field][0]["url"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("no {field} in {answer}"))
    }

    /// S19 (one part of `size` bytes) then S20: the file's id and the URL of its one part.
    pub async fn one_part_file(
        &self,
        package_id: &str,
        size: u64,
    ) -> Result<(String, String), String> {
        let registered = self
            .call(
                reqwest::Method::PUT,
                &format!("package/{package_id}/file/"),
                json!({"filename": "baseline.dat.gpg", "parts": 1, "filesize": size}),
            )
            .await?;
        let file_id = registered["fileId"]
            .as_str()
            .ok_or_else(|| format!("no fileId in {registered}"))?
            .to_string();
        let urls = self
            .call(
                reqwest::Method::POST,
                &format!("package/{package_id}/file/{file_id}/upload-urls/"),
                json!({"part": 1}),
            )
            .await?;
        Ok((file_id, Api::first_url(&urls, "uploadUrls")?))
    }

    /// S22, the package finalized by the library (S16, S30), then S26: the download URL of
    /// the file's one part.
    pub async fn finish(
        &self,
        client: &Client,
        package: &Package,
        file_id: &str,
    ) -> Result<String, String> {
        let pid = &package.package_id;
        let complete = self
            .call(
                reqwest::Method::POST,
                &format!("package/{pid}/file/{file_id}/upload-complete/"),
                json!({"complete": true}),
            )
            .await?;
        if complete["message"] != "true" {
            return Err(format!("the baseline's file is not complete: {complete}"));
        }
        client
            .finalize_package(package)
            .await
            .map_err(|e| format!("finalize: {e}"))?;
        let checksum =
            sendsafely_crypto::secrets::checksum(&package.keycode, &package.package_code);
        let urls = self
            .call(
                reqwest::Method::POST,
                &format!("package/{pid}/file/{file_id}/download-urls/"),
                json!({"checksum": checksum, "startSegment": 1, "endSegment": 1}),
            )
            .await?;
        Api::first_url(&urls, "downloadUrls")
    }
}

/// A package rebuilt from the values `baseline-url` printed.
pub fn package(id: &str, code: &str, server_secret: &str, keycode: &str) -> Package {
    Package {
        package_id: id.to_string(),
        package_code: code.to_string(),
        server_secret: Secret::from(server_secret.to_string()),
        keycode: Secret::from(keycode.to_string()),
    }
}
