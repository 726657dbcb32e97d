//! Getting documents back: document URLs (E25) and streamed downloads, the audit record (E26,
//! E27). Downloads go to capability URLs, so the token is never sent with them.

use super::participants::check_guid;
use crate::sendsecure::client::Client;
use crate::sendsecure::model::check_user_email;
use crate::transport::error::{Error, Result};
use crate::transport::transfer::{download, DownloadSink, ProgressFn};
use crate::transport::url_policy::segment;
use serde_json::Value;

/// Reads a URL answer (E25, E26): `{"url": …}`.
pub(crate) fn url_of(raw: &Value) -> Result<String> {
    raw.get("url")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::Decode("answer without `url`".into()))
}

impl Client {
    /// A download URL for a document, valid for `user_email` (a participant) (E25).
    pub async fn get_document_url(
        &self,
        guid: &str,
        document_id: &str,
        user_email: &str,
    ) -> Result<String> {
        let guid = check_guid(guid)?;
        if document_id.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "Document GUID cannot be null".into(),
            ));
        }
        check_user_email(user_email)?;
        let path = format!(
            "api/v2/safeboxes/{guid}/documents/{}/url.json",
            segment(document_id)
        );
        url_of(&self.get(&path, &[("user_email", user_email)]).await?)
    }

    /// Downloads a document into `sink`, streamed with progress; answers the bytes written.
    pub async fn download_document(
        &self,
        guid: &str,
        document_id: &str,
        user_email: &str,
        sink: DownloadSink,
        progress: Option<ProgressFn>,
    ) -> Result<u64> {
        let url = self.get_document_url(guid, document_id, user_email).await?;
        self.http().check_transfer_url(&url)?;
        download(&self.http().transfer(), &url, sink, progress)
            .await
            .map_err(|e| self.http().redact(e))
    }

    /// The URL of the SafeBox's audit record PDF (E26).
    pub async fn get_audit_record_url(&self, guid: &str) -> Result<String> {
        let guid = check_guid(guid)?;
        url_of(
            &self
                .get(
                    &format!("api/v2/safeboxes/{guid}/audit_record_pdf.json"),
                    &[],
                )
                .await?,
        )
    }

    /// Downloads the SafeBox's audit record PDF into `sink` (E26 then E27); answers the bytes.
    pub async fn download_audit_record(
        &self,
        guid: &str,
        sink: DownloadSink,
        progress: Option<ProgressFn>,
    ) -> Result<u64> {
        let url = self.get_audit_record_url(guid).await?;
        self.http().check_transfer_url(&url)?;
        download(&self.http().transfer(), &url, sink, progress)
            .await
            .map_err(|e| self.http().redact(e))
    }

    /// Downloads any URL the service handed out (document or audit record) into `sink`.
    pub async fn download_url(
        &self,
        url: &str,
        sink: DownloadSink,
        progress: Option<ProgressFn>,
    ) -> Result<u64> {
        self.http().check_transfer_url(url)?;
        download(&self.http().transfer(), url, sink, progress)
            .await
            .map_err(|e| self.http().redact(e))
    }
}
