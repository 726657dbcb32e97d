//! A package opened for reading: its information (S6, resolved by packageId or packageCode)
//! with the keycode of its link, what downloading its files and reading its message need.

use crate::sendsafely::model::{PackageInfo, Secret};
use zeroize::Zeroizing;

/// A package and the keycode that, with its server secret, decrypts it. Both secrets are wiped
/// when dropped and never shown by `Debug`.
#[derive(Debug, Clone)]
pub struct ReceivedPackage {
    /// What the server says of the package: id, code, server secret, files, directories, ….
    pub info: PackageInfo,
    /// The link's half of the passphrase.
    pub keycode: Secret,
}

impl ReceivedPackage {
    /// The proof of link possession the server asks for (§3.3).
    pub fn checksum(&self) -> String {
        sendsafely_crypto::secrets::checksum(&self.keycode, &self.info.package_code)
    }

    /// The passphrase of the package's segments and message (§4.1).
    pub(crate) fn passphrase(&self) -> Zeroizing<String> {
        sendsafely_crypto::secrets::passphrase(&self.info.server_secret, &self.keycode)
    }
}
