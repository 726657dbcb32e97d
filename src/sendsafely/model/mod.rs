//! What SendSafely's answers are read into, one file per object.

mod user;

pub use user::UserInfo;
