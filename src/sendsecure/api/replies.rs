//! Replying to a SafeBox (E12 per attachment, upload, then E13).

use super::participants::check_guid;
use crate::sendsecure::client::Client;
use crate::sendsecure::model::{Attachment, Section};
use crate::sendsecure::uploads::{not_uploaded, note_uploaded};
use crate::transport::error::{Error, Result};
use crate::transport::retry::{Idempotency, LookedUp};
use crate::transport::transfer::{upload_all, ProgressFn};
use reqwest::Method;
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
    /// Sends a reply, uploading its attachments first (streamed, with progress). Before the
    /// first upload the SafeBox's details are read for its `public_encryption_key`, sent with
    /// each file when it has one (double encryption), as the vendor SDKs do.
    ///
    /// A reply is posted at most once: it is not sent again after its request went out. When
    /// its answer is lost (or a 5xx or 429 comes) and it has attachments, the SafeBox's
    /// messages are read: a message holding its documents means it was posted, and the call
    /// succeeds. Otherwise the call fails; a reply without attachments cannot be told apart
    /// from another with the same text, so then the error stands, and the reply may have
    /// been posted.
    pub async fn reply(
        &self,
        guid: &str,
        reply: &mut Reply,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        let encoded = check_guid(guid)?;
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
        let path = format!("api/v2/safeboxes/{encoded}/uploads.json");
        let key = if reply.attachments.iter().any(|a| a.guid.is_none()) {
            self.public_encryption_key(guid).await?
        } else {
            None
        };
        upload_all(&self.http().transfer(), not_uploaded(&mut reply.attachments), progress, self.upload_concurrency(), |attachment| {
            let mut body = json!({"temporary_document": {"document_file_size": attachment.size}, "multipart": false});
            if let Some(key) = &key {
                body["public_encryption_key"] = json!(key);
            }
            let path = path.clone();
            async move {
                // E12 only reserves an upload URL (the document exists once uploaded and
                // posted): asking again has no visible effect, so it is retried like a GET.
                // Each upload attempt asks for a URL of its own (one URL takes one file).
                let url = upload_url_answer(&self.post_idempotent(&path, &body).await?)?;
                self.http().check_transfer_url(&url)?;
                Ok(url)
            }
        }, &note_uploaded)
        .await
        .map_err(|e| self.http().redact(e))?;
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
        body.insert("document_ids".into(), Value::Array(ids.clone()));
        let url = self
            .api_url(&format!("api/v2/safeboxes/{encoded}/messages.json"), &[])
            .await?;
        let body = json!({"safebox": body});
        let ids = &ids;
        let posted = self
            .http()
            .call_with_lookup(
                Method::POST,
                url,
                Some(&body),
                Idempotency::NotIdempotent,
                |failure| async move {
                    if self.reply_posted(guid, ids).await {
                        LookedUp::Found(())
                    } else {
                        LookedUp::NotFound(failure)
                    }
                },
            )
            .await
            .map_err(|failure| self.http().redact(failure.error))?;
        match posted {
            Some(raw) => {
                super::safebox_actions::action_result(raw)?;
            }
            None => log::info!(
                target: "sendsecure::retry",
                "the answer to a reply was lost; the reply was found posted by its documents"
            ),
        }
        reply.sent = true;
        Ok(())
    }

    /// The SafeBox's `public_encryption_key`, if it has one: the vendor SDKs send it with each
    /// new file of a reply (spec E12), which a double-encrypted SafeBox needs. Read from its
    /// details with their smallest section, since a SafeBox followed from its GUID alone has
    /// no local copy of the key (only E1 gives it, to the SafeBox's creator).
    async fn public_encryption_key(&self, guid: &str) -> Result<Option<String>> {
        Ok(self
            .get_safebox_info(guid, &[Section::SecurityOptions])
            .await?
            .public_encryption_key)
    }

    /// Whether a message of the SafeBox holds one of the documents `ids` (uploaded for one
    /// reply, they belong to the message that posted it): the reply was posted. `false` when
    /// it has none, or when the messages cannot be read.
    async fn reply_posted(&self, guid: &str, ids: &[Value]) -> bool {
        if ids.is_empty() {
            return false;
        }
        let Ok(messages) = self.get_safebox_messages(guid).await else {
            return false;
        };
        messages
            .iter()
            .flat_map(|m| &m.documents)
            .any(|d| ids.iter().any(|id| id.as_str() == Some(d.id.as_str())))
    }
}
