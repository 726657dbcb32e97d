//! The secure message of a package from C (S28).

use super::client::ss_sendsafely_client;
use super::package::ss_sendsafely_package;
use crate::ffi::boundary::call;
use crate::ffi::error::ss_result;
use crate::ffi::input::{handle, text};
use crate::ffi::runtime::Callbacks;
use std::ffi::c_char;

/// Puts the package's secure message (S28), encrypted here under the package's keycode and
/// server secret; a second call replaces it.
///
/// `client` and `package` are borrowed; `message` (UTF-8 text, may be empty) is borrowed for
/// the call (the library's copy is wiped once encrypted). Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_CRYPTO`, `SS_ERR_AUTH`, `SS_ERR_API`
/// (e.g. `UNKNOWN_PACKAGE`), `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`,
/// `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a
/// callback, or a forked client). Sent again after a failure (an overwrite). Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_put_message(
    client: *const ss_sendsafely_client,
    package: *const ss_sendsafely_package,
    message: *const c_char,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let p = &handle(package, "package")?.package;
        let message = text(message, "message")?;
        let client = &ss.client;
        ss.run(&Callbacks::default(), |_| {
            client.put_message(&p.package_id, &p.server_secret, &p.keycode, message)
        })
    })
}
