//! `ss_sendsafely_received`: a package opened for reading, from its secure link or from its id
//! (or code) and keycode: what downloading its files and reading its message need.

use super::client::ss_sendsafely_client;
use super::package_info::ss_sendsafely_package_info;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::getters::part;
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::runtime::Callbacks;
use crate::sendsafely::link::SecureLink;
use crate::sendsafely::model::ReceivedPackage;
use std::ffi::c_char;

/// A package opened for reading: its information and the keycode that, with the server
/// secret it holds, decrypts its files and message. Caller-owned
/// (`ss_sendsafely_received_free`, which wipes both secrets); immutable, readable from any
/// thread, and usable by several download calls at once.
pub struct ss_sendsafely_received {
    pub(crate) package: ReceivedPackage,
    info: ss_sendsafely_package_info,
}

impl From<ReceivedPackage> for ss_sendsafely_received {
    fn from(package: ReceivedPackage) -> Self {
        ss_sendsafely_received {
            info: ss_sendsafely_package_info::from(&package.info),
            package,
        }
    }
}

/// Opens a package for reading (S6), then hands it to `out_received`.
fn open(
    client: *const ss_sendsafely_client,
    out_received: *mut *mut ss_sendsafely_received,
    id_or_code: &str,
    keycode: &str,
) -> Result<(), FfiError> {
    let ss = handle(client, "client")?;
    let client = &ss.client;
    let package = ss.run(&Callbacks::default(), |_| {
        client.open_package(id_or_code, keycode)
    })?;
    give(out_received, ss_sendsafely_received::from(package));
    Ok(())
}

/// Opens the package of a secure link (`https://host/receive/?thread=…&packageCode=…#keyCode=…`;
/// `keycode=` is read too): its information is read by the link's package code (S6).
///
/// `client` is borrowed; `link` is borrowed for the call (the library keeps a copy of its
/// keycode, wiped when the package is freed; the link is never logged nor put in an error).
/// `out_received` receives the package (caller owns; `ss_sendsafely_received_free`). Any user
/// holding the link may open it, not only its recipients. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (not a secure
/// link: no `packageCode=`, no keycode, characters they cannot hold), `SS_ERR_AUTH`,
/// `SS_ERR_API` (`UNKNOWN_PACKAGE`, `DENIED`, ... from `ss_last_error_api_code_name`),
/// `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`,
/// `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_open_link(
    client: *const ss_sendsafely_client,
    link: *const c_char,
    out_received: *mut *mut ss_sendsafely_received,
) -> ss_result {
    call(|| {
        let out_received = out(out_received, "out_received")?;
        let link = SecureLink::parse(text(link, "link")?)?;
        open(client, out_received, &link.package_code, &link.keycode)
    })
}

/// Opens a package for reading by its id (e.g. `4B88-CV9G`) or its package code, with its
/// keycode (S6).
///
/// `client` is borrowed; `package_id` and `keycode` are borrowed for the call (the library
/// keeps a copy of the keycode, wiped when the package is freed). The keycode is not checked
/// here: a wrong one makes the downloads fail (`SS_ERR_API` when the server checks its
/// checksum, `SS_ERR_CRYPTO` when the segments do not decrypt), never write garbage.
/// `out_received` receives the package (caller owns; `ss_sendsafely_received_free`). Returns
/// `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty
/// id or keycode), and the errors of `ss_sendsafely_open_link`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_open_package(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    keycode: *const c_char,
    out_received: *mut *mut ss_sendsafely_received,
) -> ss_result {
    call(|| {
        let out_received = out(out_received, "out_received")?;
        let package_id = text(package_id, "package_id")?;
        let keycode = text(keycode, "keycode")?;
        open(client, out_received, package_id, keycode)
    })
}

/// The information of an opened package: its id, files (whose ids the downloads take),
/// recipients, whether it holds a message, .... Borrowed from `received` (valid until it is
/// freed; never free it); NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_received_info(
    received: *const ss_sendsafely_received,
) -> *const ss_sendsafely_package_info {
    part(received, |r| &r.info)
}

/// Frees an opened package, wiping its keycode and server secret. NULL is a no-op; must not be
/// called twice. Called from a callback of a download that uses it, it frees it when that
/// download returns.
#[no_mangle]
pub extern "C" fn ss_sendsafely_received_free(received: *mut ss_sendsafely_received) {
    guard(|| free(received))
}
