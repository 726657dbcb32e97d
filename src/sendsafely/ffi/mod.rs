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

// RECEIVE: opening a package, downloading it, its message, the package lists.
pub mod download;
pub mod lists;
pub mod message;
pub mod received;
