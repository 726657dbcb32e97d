//! Workspaces (spec §6.11, S32-S36): the directory tree of a `vdr` package, files moved
//! between directories, and the activity log (collaborators' roles, S13 `roleName`, are
//! `recipients.rs`). The spec describes no file versions.

use crate::sendsafely::client::Client;
use crate::sendsafely::model::{ActivityPage, Directory};
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{object, required_id_text};
use crate::transport::retry::Idempotency;
use reqwest::Method;
use serde_json::json;

/// A directory name the server takes: not blank, no `/`.
fn directory_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() || name.contains('/') || name.chars().any(char::is_control) {
        return Err(Error::InvalidArgument(
            "a directory name must not be empty or hold `/` or control characters".into(),
        ));
    }
    Ok(name)
}

impl Client {
    /// `package/{pid}/directory/{did}`.
    fn directory_path(package_id: &str, directory_id: &str) -> Result<String> {
        Ok(format!(
            "package/{}/directory/{}",
            Client::id("package id", package_id)?,
            Client::id("directory id", directory_id)?
        ))
    }

    /// Creates the directory `name` under `parent_id` (S32) and answers its id. Not sent again
    /// once its answer may have been lost (it could create the directory twice).
    pub async fn create_directory(
        &self,
        package_id: &str,
        parent_id: &str,
        name: &str,
    ) -> Result<String> {
        let body = json!({ "directoryName": directory_name(name)? });
        let path = format!(
            "{}/subdirectory/",
            Client::directory_path(package_id, parent_id)?
        );
        let answer = self
            .send_json(Method::PUT, &path, &body, Idempotency::NotIdempotent)
            .await?;
        let what = "the new directory";
        required_id_text(object(&answer, what)?, "directoryId", what)
    }

    /// A directory with its subdirectories and files (S33).
    pub async fn directory(&self, package_id: &str, directory_id: &str) -> Result<Directory> {
        let path = Client::directory_path(package_id, directory_id)?;
        Directory::from_json(&self.get(&path, &[]).await?)
    }

    /// Renames a directory (S33).
    pub async fn rename_directory(
        &self,
        package_id: &str,
        directory_id: &str,
        name: &str,
    ) -> Result<()> {
        let body = json!({ "directoryName": directory_name(name)? });
        let path = Client::directory_path(package_id, directory_id)?;
        self.send_json(Method::POST, &path, &body, Idempotency::Idempotent)
            .await?;
        Ok(())
    }

    /// Deletes a directory with everything in it (S33).
    pub async fn delete_directory(&self, package_id: &str, directory_id: &str) -> Result<()> {
        let path = format!("{}/", Client::directory_path(package_id, directory_id)?);
        self.delete(&path).await
    }

    /// Moves the directory `directory_id` into `target_id` (S35).
    pub async fn move_directory(
        &self,
        package_id: &str,
        directory_id: &str,
        target_id: &str,
    ) -> Result<()> {
        let path = format!(
            "package/{}/move/{}/{}/",
            Client::id("package id", package_id)?,
            Client::id("directory id", directory_id)?,
            Client::id("target directory id", target_id)?
        );
        // Moving to where it already is changes nothing: safe to send again.
        self.call(Method::POST, &path, &[], None, Idempotency::Idempotent)
            .await?;
        Ok(())
    }

    /// Moves the file `file_id` into the directory `target_id` (S34).
    pub async fn move_file(&self, package_id: &str, file_id: &str, target_id: &str) -> Result<()> {
        let path = format!(
            "{}/file/{}",
            Client::directory_path(package_id, target_id)?,
            Client::id("file id", file_id)?
        );
        self.call(Method::POST, &path, &[], None, Idempotency::Idempotent)
            .await?;
        Ok(())
    }

    /// The page of the activity log that starts at `row_index` (S36): ten records, newest
    /// first.
    pub async fn activity_log(&self, package_id: &str, row_index: u64) -> Result<ActivityPage> {
        let path = format!(
            "package/{}/activityLog/",
            Client::id("package id", package_id)?
        );
        let body = json!({ "rowIndex": row_index });
        let answer = self
            .send_json(Method::POST, &path, &body, Idempotency::Idempotent)
            .await?;
        ActivityPage::from_json(&answer, row_index)
    }
}
