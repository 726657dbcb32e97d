//! Replying to a SafeBox (E12 per attachment, upload, then E13).

use super::participants::check_guid;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::Attachment;
use crate::transfer::{upload_all, ProgressFn};
use serde_json::{json, Map, Value};

/// A reply: a message, attachments, and consent when the SafeBox's profile asks for it.
#[derive(Debug, Default)]
pub struct Reply {
    /// The text (required when there is no attachment).
    pub message: Option<String>,
    /// Acceptance of the consent text (see `get_consent_group_messages`).
    pub consent: Option<bool>,
    /// Files; each gets its GUID once uploaded, so a failed reply can be retried without
    /// sending them again.
    pub attachments: Vec<Attachment>,
    /// Set once the reply was posted: its uploaded documents now belong to that message (the
    /// server refuses them in another one), so the same reply cannot be sent twice.
    pub sent: bool,
}

/// Reads the answer of a new file (E12): the URL to upload it to.
pub(crate) fn upload_url_answer(raw: &Value) -> Result<String> {
    raw.get("upload_url")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::Decode("uploads answer without `upload_url`".into()))
}

impl Client {
    /// Sends a reply, uploading its attachments first (streamed, with progress).
    pub async fn reply(
        &self,
        guid: &str,
        reply: &mut Reply,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        let guid = check_guid(guid)?;
        if reply.sent {
            return Err(Error::InvalidState(
                "this reply was sent already: build a new one to send another message".into(),
            ));
        }
        if reply
            .message
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
            && reply.attachments.is_empty()
        {
            return Err(Error::InvalidArgument(
                "Reply message cannot be empty without attachments".into(),
            ));
        }
        let path = format!("api/v2/safeboxes/{guid}/uploads.json");
        upload_all(&self.transfer(), &mut reply.attachments, progress, self.upload_concurrency(), |attachment| {
            let body = json!({"temporary_document": {"document_file_size": attachment.size}, "multipart": false});
            let path = path.clone();
            async move {
                // E12 only reserves an upload URL (the document exists once uploaded and
                // posted): asking again has no visible effect, so it is retried like a GET.
                // Each upload attempt asks for a URL of its own (one URL takes one file).
                let url = upload_url_answer(&self.post_idempotent(&path, &body).await?)?;
                self.check_transfer_url(&url)?;
                Ok(url)
            }
        })
        .await
        .map_err(|e| self.redact(e))?;
        let mut body = Map::new();
        if let Some(m) = &reply.message {
            body.insert("message".into(), json!(m));
        }
        if let Some(c) = reply.consent {
            body.insert("consent".into(), json!(c));
        }
        let ids: Vec<Value> = reply
            .attachments
            .iter()
            .filter_map(|a| a.guid.clone())
            .map(Value::from)
            .collect();
        body.insert("document_ids".into(), Value::Array(ids));
        let raw = self
            .post(
                &format!("api/v2/safeboxes/{guid}/messages.json"),
                &json!({"safebox": body}),
            )
            .await?;
        super::safebox_actions::action_result(raw)?;
        reply.sent = true;
        Ok(())
    }
}
