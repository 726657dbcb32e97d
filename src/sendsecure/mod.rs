//! SendSecure (spec `sendsecure-api.md`): SafeBoxes, their participants, messages, attachments,
//! replies and downloads. Its login, API areas, models and C ABI.

pub mod api;
pub mod auth;
pub mod ffi;
pub mod model;
