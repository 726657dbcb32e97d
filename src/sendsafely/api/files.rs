//! A package's files once registered: information (S24) and deletion (S25). Adding them is
//! `upload.rs`.

use crate::sendsafely::client::Client;
use crate::sendsafely::model::FileInfo;
use crate::transport::error::Result;

/// `package/{pid}/file/{fid}/`.
pub(crate) fn file_path(package_id: &str, file_id: &str) -> Result<String> {
    Ok(format!(
        "package/{}/file/{}/",
        Client::id("package id", package_id)?,
        Client::id("file id", file_id)?
    ))
}

impl Client {
    /// What the server says of one file (S24).
    pub async fn file_information(&self, package_id: &str, file_id: &str) -> Result<FileInfo> {
        FileInfo::from_answer(&self.get(&file_path(package_id, file_id)?, &[]).await?)
    }

    /// Deletes a file and its segments (S25).
    pub async fn delete_file(&self, package_id: &str, file_id: &str) -> Result<()> {
        self.delete(&file_path(package_id, file_id)?).await
    }
}
