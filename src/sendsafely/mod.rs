//! SendSafely (spec `sendsafely-api.md`): packages whose files and messages are encrypted on
//! the client with OpenPGP, HMAC-signed requests, segmented uploads, secure links, Workspaces
//! and trusted-device keys. Its client, API areas, models and C ABI.
//!
//! The cryptography (keycodes, checksums, signatures, OpenPGP) is the `sendsafely-crypto`
//! crate, shared with the emulator so that both sides compute every value one way.

pub(crate) mod answers;
pub mod api;
pub mod client;
mod crypto_task;
pub mod ffi;
pub mod link;
pub mod model;
