//! A package opened for reading (S6 resolved by packageId or packageCode, with the keycode of
//! its link): what downloading its files and reading its message need.

use crate::sendsafely::model::StoredFile;
use crate::transport::error::Result;
use crate::transport::json_fields::{flag, object, optional_list, required_text, text};
use serde_json::Value;
use zeroize::Zeroizing;

/// A package and the secrets that decrypt it. The server secret and keycode are wiped when
/// dropped and never shown by `Debug`.
#[derive(Clone)]
pub struct ReceivedPackage {
    /// The package id.
    pub package_id: String,
    /// The package code.
    pub package_code: String,
    /// The server's half of the passphrase.
    pub server_secret: Zeroizing<String>,
    /// The link's half of the passphrase.
    pub keycode: Zeroizing<String>,
    /// Its files, as the package information lists them.
    pub files: Vec<StoredFile>,
    /// Whether it has a secure message.
    pub contains_message: bool,
    /// Whether it is a workspace.
    pub is_workspace: bool,
    /// A workspace's root directory (empty for other packages).
    pub root_directory_id: String,
}

impl std::fmt::Debug for ReceivedPackage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceivedPackage")
            .field("package_id", &self.package_id)
            .field("package_code", &self.package_code)
            .field("server_secret", &"<redacted>")
            .field("keycode", &"<redacted>")
            .field("files", &self.files)
            .field("contains_message", &self.contains_message)
            .field("is_workspace", &self.is_workspace)
            .field("root_directory_id", &self.root_directory_id)
            .finish()
    }
}

impl ReceivedPackage {
    pub(crate) fn from_json(v: &Value, keycode: Zeroizing<String>) -> Result<ReceivedPackage> {
        let what = "the package information";
        let o = object(v, what)?;
        let files = optional_list(o, "files", what, "file")?
            .into_iter()
            .map(|(place, file)| StoredFile::from_json(file, &place))
            .collect::<Result<Vec<_>>>()?;
        Ok(ReceivedPackage {
            package_id: required_text(o, "packageId", what)?,
            package_code: required_text(o, "packageCode", what)?,
            server_secret: Zeroizing::new(required_text(o, "serverSecret", what)?),
            keycode,
            files,
            contains_message: flag(o, "packageContainsMessage"),
            is_workspace: flag(o, "isVDR"),
            root_directory_id: text(o, "rootDirectoryId"),
        })
    }

    /// The proof of link possession the server asks for (§3.3).
    pub fn checksum(&self) -> String {
        sendsafely_crypto::secrets::checksum(&self.keycode, &self.package_code)
    }

    /// The passphrase of the package's segments and message (§4.1).
    pub(crate) fn passphrase(&self) -> Zeroizing<String> {
        sendsafely_crypto::secrets::passphrase(&self.server_secret, &self.keycode)
    }
}
