//! A file of a package (S24, and the `files` of package information).

use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{
    flag, object, opt_text, optional_int, required_id_text, required_object, text,
};
use serde_json::Value;

/// A file of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// The file's id.
    pub file_id: String,
    /// The file's name.
    pub file_name: String,
    /// The plaintext size in bytes.
    pub file_size: u64,
    /// How many encrypted segments the file was registered with (`fileParts`, else `parts`).
    pub parts: u64,
    /// Who added the file, empty when the server does not say.
    pub created_by_email: String,
    /// Whether every segment is stored, as far as the server says.
    pub uploaded: bool,
    /// When the file was added, as the server writes it; empty when it does not say.
    pub uploaded_at: String,
    /// The Workspace directory holding the file, if any.
    pub directory_id: Option<String>,
}

impl FileInfo {
    pub(crate) fn from_json(v: &Value, what: &str) -> Result<FileInfo> {
        let o = object(v, what)?;
        let count = |key: &str| -> Result<Option<u64>> {
            optional_int(o, key, what)?
                .map(|n| {
                    u64::try_from(n)
                        .map_err(|_| Error::Decode(format!("`{key}` of {what} is negative")))
                })
                .transpose()
        };
        Ok(FileInfo {
            file_id: required_id_text(o, "fileId", what)?,
            file_name: text(o, "fileName"),
            file_size: count("fileSize")?.unwrap_or(0),
            parts: match count("fileParts")? {
                Some(n) => n,
                None => count("parts")?.unwrap_or(0),
            },
            created_by_email: text(o, "createdByEmail"),
            uploaded: flag(o, "fileUploaded"),
            uploaded_at: text(o, "fileUploadedStr"),
            directory_id: opt_text(o, "directoryId").filter(|d| !d.is_empty()),
        })
    }

    /// S24's answer: `{"file": {...}}`.
    pub(crate) fn from_answer(v: &Value) -> Result<FileInfo> {
        let what = "the file information";
        let file = required_object(object(v, what)?, "file", what)?;
        FileInfo::from_json(&Value::Object(file.clone()), what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn file_information_reads_size_and_parts() {
        let v = json!({"response": "SUCCESS", "file": {"fileId": "f-1", "fileName": "a.bin",
            "fileSize": 6000000, "fileParts": 4, "parts": 9, "fileUploaded": true,
            "directoryId": null}});
        let f = FileInfo::from_answer(&v).unwrap();
        assert_eq!(
            (f.file_id.as_str(), f.file_size, f.parts),
            ("f-1", 6_000_000, 4)
        );
        assert!(f.uploaded);
        assert_eq!(f.directory_id, None);
        let v = json!({"fileId": "f-2", "parts": "3", "fileSize": "12"});
        let f = FileInfo::from_json(&v, "file 1").unwrap();
        assert_eq!((f.parts, f.file_size), (3, 12));
        assert!(FileInfo::from_json(&json!({"fileId": "f", "fileSize": -1}), "f").is_err());
        assert!(FileInfo::from_answer(&json!({"response": "SUCCESS"})).is_err());
    }
}
