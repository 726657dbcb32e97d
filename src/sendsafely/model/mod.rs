//! What SendSafely's answers are read into, one file per object.

mod activity;
mod directory;
mod downloaded;
mod file;
mod finalize;
mod key;
mod package;
mod progress;
mod received;
mod recipient;
mod secret;
mod upload;
mod user;

pub use activity::{ActivityPage, ActivityRecord, ACTIVITY_PAGE_SIZE};
pub use directory::{Directory, Subdirectory};
pub use downloaded::DownloadedPackage;
pub use file::FileInfo;
pub use finalize::{Finalized, SkippedKey};
pub use key::TrustedDeviceKey;
pub use package::{
    Package, PackageDirectory, PackageInfo, PackageList, PackagePage, PackageSummary,
};
pub use progress::{DownloadProgress, DownloadProgressFn};
pub use received::ReceivedPackage;
pub use recipient::{PhoneNumber, Recipient, RecipientOutcome};
pub use secret::Secret;
pub use upload::{
    FileState, FileUpload, UploadProgress, UploadProgressFn, UploadSource, UploadState,
    UploadedFile,
};
pub use user::UserInfo;
