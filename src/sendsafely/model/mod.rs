//! What SendSafely's answers are read into, one file per object.

mod activity;
mod directory;
mod downloaded;
mod key;
mod progress;
mod received;
mod role;
mod stored_file;
mod user;

pub use activity::{ActivityPage, ActivityRecord, ACTIVITY_PAGE_SIZE};
pub use directory::{Directory, Subdirectory};
pub use downloaded::DownloadedPackage;
pub use key::TrustedDeviceKey;
pub use progress::{DownloadProgress, DownloadProgressFn};
pub use received::ReceivedPackage;
pub use role::Role;
pub use stored_file::StoredFile;
pub use user::UserInfo;
