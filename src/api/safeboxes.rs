//! Creating a SafeBox: initialize (E1), upload attachments (E2), commit (E3), or all at once.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{Safebox, SafeboxResponse};
use crate::transfer::{upload_attachment, Progress, ProgressFn};
use serde_json::Value;
use std::sync::Arc;

impl Client {
    /// Reserves a GUID, public encryption key and upload URL for `safebox` (E1).
    pub async fn initialize_safebox(&self, safebox: &mut Safebox) -> Result<()> {
        if safebox.user_email.is_empty() {
            return Err(Error::InvalidArgument(
                "SafeBox user email cannot be null".into(),
            ));
        }
        if safebox.guid.is_some() {
            return Err(Error::InvalidState(
                "SafeBox was already initialized".into(),
            ));
        }
        let raw = self
            .get(
                "api/v2/safeboxes/new.json",
                &[("user_email", &safebox.user_email)],
            )
            .await?;
        let text = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(guid), Some(upload_url)) = (text("guid"), text("upload_url")) else {
            return Err(Error::Decode(
                "initialize answer without `guid` or `upload_url`".into(),
            ));
        };
        safebox.guid = Some(guid);
        safebox.upload_url = Some(upload_url);
        safebox.public_encryption_key = text("public_encryption_key");
        Ok(())
    }

    /// Uploads every attachment of an initialized SafeBox not uploaded yet (E2), one after the
    /// other, reporting progress over all of them.
    pub async fn upload_attachments(
        &self,
        safebox: &mut Safebox,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        let upload_url = safebox.upload_url.clone().ok_or_else(|| {
            Error::InvalidState("SafeBox is not initialized: call initialize_safebox first".into())
        })?;
        let pending: Vec<usize> = (0..safebox.attachments.len())
            .filter(|&i| safebox.attachments[i].guid.is_none())
            .collect();
        let bytes_total: u64 = pending.iter().map(|&i| safebox.attachments[i].size).sum();
        let mut done_before = 0u64;
        for (n, &index) in pending.iter().enumerate() {
            let attachment = &mut safebox.attachments[index];
            let size = attachment.size;
            let report = progress.clone();
            let base = Progress {
                attachment_index: n,
                attachment_count: pending.len(),
                attachment_bytes_total: size,
                bytes_total,
                ..Progress::default()
            };
            if let Some(report) = &report {
                report(Progress {
                    bytes_sent: done_before,
                    ..base
                });
            }
            let on_bytes: Arc<dyn Fn(u64) + Send + Sync> = Arc::new(move |sent| {
                if let Some(report) = &report {
                    report(Progress {
                        attachment_bytes_sent: sent,
                        bytes_sent: done_before + sent,
                        ..base
                    });
                }
            });
            let guid = upload_attachment(self.http(), &upload_url, attachment, on_bytes).await?;
            attachment.guid = Some(guid);
            done_before += size;
        }
        Ok(())
    }

    /// Creates the SafeBox on the server (E3) from an initialized SafeBox whose attachments are
    /// uploaded.
    pub async fn commit_safebox(&self, safebox: &Safebox) -> Result<SafeboxResponse> {
        safebox.validate_for_commit()?;
        let raw = self
            .post("api/v2/safeboxes.json", &safebox.commit_json())
            .await?;
        SafeboxResponse::from_json(raw)
    }

    /// Initializes (when needed), uploads the attachments, picks the enterprise's default
    /// security profile when none is set, and commits: the vendor SDKs' `submit_safebox`.
    pub async fn submit_safebox(
        &self,
        safebox: &mut Safebox,
        progress: Option<ProgressFn>,
    ) -> Result<SafeboxResponse> {
        if safebox.recipients.is_empty() {
            return Err(Error::InvalidArgument(
                "Participants cannot be empty".into(),
            ));
        }
        if safebox.guid.is_none() {
            self.initialize_safebox(safebox).await?;
        }
        self.upload_attachments(safebox, progress).await?;
        if safebox.security_profile_id.is_none() {
            let profile = self
                .get_default_security_profile(&safebox.user_email)
                .await?
                .ok_or_else(|| Error::InvalidArgument("No Security Profile configured".into()))?;
            safebox.security_profile_id = Some(profile.id);
        }
        self.commit_safebox(safebox).await
    }
}
