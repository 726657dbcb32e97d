//! SendSafely's C functions (`ss_sendsafely_*`): the client and what it reads and sends, over
//! [`crate::ffi`]'s common conventions.

#![allow(non_camel_case_types)]
// As in crate::ffi: exported functions take raw pointers from C, checked and documented.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

pub mod client;
pub mod file;
pub mod package;
pub mod package_info;
pub(crate) mod progress;
pub mod recipient;
pub mod user;

// SEND: package settings, recipients, uploads, the message and finalize.
pub mod finalize;
pub mod message;
pub mod package_edit;
pub mod recipients;
pub mod upload;
pub mod upload_files;
mod upload_sources;
// Workspaces and trusted-device keys.
pub mod activity;
pub mod directories;
pub mod directory;
pub mod keys;
mod package_call;
pub mod role;
pub mod secret;
// RECEIVE: opening a package, downloading it, its message, the package lists.
pub mod download;
pub mod lists;
pub mod received;
