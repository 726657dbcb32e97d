//! Finalizing a package from C (S16, S17, S30): `ss_sendsafely_finalized`, its secure link and
//! the keys its keycode was wrapped to.

use super::client::ss_sendsafely_client;
use super::package::ss_sendsafely_package;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, value};
use crate::ffi::input::{free, give, handle, out};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, SecretText};
use crate::sendsafely::model::Finalized;
use std::ffi::{c_char, CString};

/// A key the keycode could not be wrapped to.
struct Skipped {
    id: CString,
    reason: CString,
}

/// A finalized package: its secure link and what finalize did. Caller-owned
/// (`ss_sendsafely_finalized_free`, which wipes the link); immutable, readable from any
/// thread; its strings are borrowed from it.
pub struct ss_sendsafely_finalized {
    secure_link: SecretText,
    needs_approval: bool,
    wrapped: Vec<CString>,
    skipped: Vec<Skipped>,
}

impl From<Finalized> for ss_sendsafely_finalized {
    fn from(f: Finalized) -> Self {
        ss_sendsafely_finalized {
            secure_link: SecretText::new(&f.secure_link),
            needs_approval: f.needs_approval,
            wrapped: f.wrapped_keys.iter().map(|k| c_string(k)).collect(),
            skipped: f
                .skipped_keys
                .iter()
                .map(|k| Skipped {
                    id: c_string(&k.key_id),
                    reason: c_string(&k.reason),
                })
                .collect(),
        }
    }
}

/// Finalizes a package: its keycode wrapped to every public key the server lists (S16, S17;
/// keys it cannot be wrapped to are skipped and reported), the keycode's checksum sent (S30),
/// and the secure link made.
///
/// `client` and `package` are borrowed; `out_finalized` receives the result (caller owns;
/// `ss_sendsafely_finalized_free`). Finalize itself is not sent again after a failure whose
/// outcome is unknown: read the package's state (`ss_sendsafely_get_package_info`) before
/// calling again. Returns `SS_OK` (also when the package waits for an approver:
/// `ss_sendsafely_finalized_needs_approval`), `SS_ERR_NULL_ARGUMENT`, `SS_ERR_CRYPTO`,
/// `SS_ERR_AUTH`, `SS_ERR_API` (e.g. `UNKNOWN_PACKAGE`, or a refused checksum or an incomplete
/// file), `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`,
/// `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked
/// client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalize_package(
    client: *const ss_sendsafely_client,
    package: *const ss_sendsafely_package,
    out_finalized: *mut *mut ss_sendsafely_finalized,
) -> ss_result {
    call(|| {
        let out_finalized = out(out_finalized, "out_finalized")?;
        let ss = handle(client, "client")?;
        let package = &handle(package, "package")?.package;
        let client = &ss.client;
        let finalized = ss.run(&Callbacks::default(), |_| client.finalize_package(package))?;
        give(out_finalized, ss_sendsafely_finalized::from(finalized));
        Ok(())
    })
}

/// The secure link: the server's link with `#keyCode=` and the keycode. Whoever has it reads
/// the package: keep it secret. Borrowed from `finalized` (wiped when it is freed); NULL gives
/// NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_secure_link(
    finalized: *const ss_sendsafely_finalized,
) -> *const c_char {
    borrowed(finalized, |f| Some(&f.secure_link))
}

/// Whether the package waits for an approver before it reaches its recipients. NULL gives
/// false.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_needs_approval(
    finalized: *const ss_sendsafely_finalized,
) -> bool {
    value(finalized, false, |f| f.needs_approval)
}

/// How many public keys the keycode was wrapped to. NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_wrapped_key_count(
    finalized: *const ss_sendsafely_finalized,
) -> usize {
    value(finalized, 0, |f| f.wrapped.len())
}

/// The id of wrapped key `index` (0 first). Borrowed from `finalized`; NULL or out of range
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_wrapped_key_id(
    finalized: *const ss_sendsafely_finalized,
    index: usize,
) -> *const c_char {
    borrowed(finalized, |f| f.wrapped.get(index))
}

/// How many public keys were skipped (the keycode could not be wrapped to them). NULL gives 0.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_skipped_key_count(
    finalized: *const ss_sendsafely_finalized,
) -> usize {
    value(finalized, 0, |f| f.skipped.len())
}

/// The id of skipped key `index` (0 first). Borrowed from `finalized`; NULL or out of range
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_skipped_key_id(
    finalized: *const ss_sendsafely_finalized,
    index: usize,
) -> *const c_char {
    borrowed(finalized, |f| f.skipped.get(index).map(|k| &k.id))
}

/// Why skipped key `index` was skipped (e.g. it has no encryption subkey). Borrowed from
/// `finalized`; NULL or out of range gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_skipped_key_reason(
    finalized: *const ss_sendsafely_finalized,
    index: usize,
) -> *const c_char {
    borrowed(finalized, |f| f.skipped.get(index).map(|k| &k.reason))
}

/// Frees a finalize result, wiping its link. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_finalized_free(finalized: *mut ss_sendsafely_finalized) {
    guard(|| free(finalized))
}
