//! The SendSecure part of the C ABI: `ss_client` and the SafeBox, participant, reply, download
//! and enterprise functions, over [`crate::ffi`]'s common conventions.

#![allow(non_camel_case_types)]
// As in crate::ffi: exported functions take raw pointers from C, checked and documented.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

pub mod actions;
mod attachments;
pub mod client;
pub mod consent_groups;
pub mod contact_edit;
pub mod download;
pub mod enterprise;
pub mod favorites;
pub mod participant_edits;
pub mod recipient_search;
pub mod reply;
pub mod safebox;
pub mod safebox_info;
pub mod safebox_items;
