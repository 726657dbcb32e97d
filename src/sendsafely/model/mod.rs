//! What SendSafely's answers are read into, one file per object.

mod file;
mod finalize;
mod package;
mod recipient;
mod secret;
mod upload;
mod user;

pub use file::FileInfo;
pub use finalize::{Finalized, SkippedKey};
pub use package::{
    Package, PackageDirectory, PackageInfo, PackageList, PackagePage, PackageSummary,
};
pub use recipient::{PhoneNumber, Recipient, RecipientOutcome};
pub use secret::Secret;
pub use upload::{FileUpload, UploadProgress, UploadProgressFn, UploadSource, UploadedFile};
pub use user::UserInfo;
