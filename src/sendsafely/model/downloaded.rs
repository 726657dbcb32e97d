//! What downloading a whole package gave.

use zeroize::Zeroizing;

/// The files of a package written to a directory, and its secure message.
#[derive(Clone)]
pub struct DownloadedPackage {
    /// The file written for each file of the package, in the package's order.
    pub files: Vec<std::path::PathBuf>,
    /// The decrypted secure message, empty when the package has none.
    pub message: Zeroizing<String>,
}

impl std::fmt::Debug for DownloadedPackage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadedPackage")
            .field("files", &self.files)
            .field("message", &format_args!("<{} bytes>", self.message.len()))
            .finish()
    }
}
