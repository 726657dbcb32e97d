//! SendSecure (spec `sendsecure-api.md`): SafeBoxes, their participants, messages, attachments,
//! replies and downloads. Its client, login, API areas, models and C ABI.

pub(crate) mod answers;
pub mod api;
pub mod auth;
pub mod client;
pub mod ffi;
pub mod model;
pub(crate) mod uploads;
