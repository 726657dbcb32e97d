//! A file of a package as the server shows it (in S6's `files`, S24's `file`, S33's `files`).

use crate::transport::error::Result;
use crate::transport::json_fields::{
    int, object, optional_id_text, optional_int, required_id_text, text,
};
use serde_json::Value;

/// A file of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The file's id.
    pub file_id: String,
    /// Its name, as the sender gave it (not checked: see `download_package` for how it is made
    /// a safe local name).
    pub file_name: String,
    /// Its size in bytes (plaintext).
    pub file_size: u64,
    /// The number of segments it was registered with (`fileParts`, else `parts`).
    pub parts: u64,
    /// The workspace directory holding it, when the server says.
    pub directory_id: Option<String>,
    /// Whether every segment is stored (`fileUploaded`).
    pub uploaded: bool,
}

impl StoredFile {
    pub(crate) fn from_json(v: &Value, what: &str) -> Result<StoredFile> {
        let o = object(v, what)?;
        let parts = match optional_int(o, "fileParts", what)? {
            Some(parts) => parts,
            None => int(o, "parts"),
        };
        Ok(StoredFile {
            file_id: required_id_text(o, "fileId", what)?,
            file_name: text(o, "fileName"),
            file_size: optional_int(o, "fileSize", what)?.unwrap_or(0).max(0) as u64,
            parts: parts.max(0) as u64,
            directory_id: optional_id_text(o, "directoryId", what)?,
            uploaded: crate::transport::json_fields::flag(o, "fileUploaded"),
        })
    }
}
