//! The common part of the C ABI, shared by every service: opaque handles, `ss_result` codes, a
//! per-thread last error, and callbacks run on the calling thread. No HTTP and no JSON here:
//! every call goes through a service's client. It imports no service.
//!
//! Conventions (see `include/sendsecure.h` and `docs/c-api.md`):
//! - every function checks its pointers (NULL gives `SS_ERR_NULL_ARGUMENT`) and its strings
//!   (invalid UTF-8 gives `SS_ERR_INVALID_UTF8`), and catches panics (`SS_ERR_PANIC`);
//! - results go to out-parameters, written only on success;
//! - strings passed in are borrowed for the call; strings handed out are either borrowed from
//!   their handle (documented per function) or owned and released with `ss_string_free`;
//! - `ss_client` is thread-safe; every other handle is used by one thread at a time.

#![allow(non_camel_case_types)]
// Exported functions take raw pointers from C, which cannot mark calls `unsafe`; every
// dereference is checked for NULL and documented with the caller's contract instead.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

pub(crate) mod boundary;
pub mod cancel;
pub(crate) mod client_handle;
pub(crate) mod download_target;
pub mod error;
pub(crate) mod getters;
pub(crate) mod input;
pub mod last_error;
pub mod log;
pub mod options;
pub(crate) mod ownership;
pub mod runtime;
pub(crate) mod sigpipe;
pub mod strings;
