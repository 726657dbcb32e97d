//! Creating a SafeBox: initialize (E1), upload attachments (E2), commit (E3), or all at once.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{Safebox, SafeboxResponse};
use crate::transfer::{upload_all, ProgressFn};
use serde_json::Value;

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

    /// Uploads every attachment of an initialized SafeBox not uploaded yet (E2), reporting
    /// progress over all of them.
    pub async fn upload_attachments(
        &self,
        safebox: &mut Safebox,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        let upload_url = safebox.upload_url.clone().ok_or_else(|| {
            Error::InvalidState("SafeBox is not initialized: call initialize_safebox first".into())
        })?;
        upload_all(
            self.http(),
            &mut safebox.attachments,
            progress,
            self.upload_concurrency(),
            |_| {
                let url = upload_url.clone();
                async move { Ok(url) }
            },
        )
        .await
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
