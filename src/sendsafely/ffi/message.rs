//! The secure message of a package from C: put by its sender (S28), read from an opened package
//! (S29) into `ss_sendsafely_message`, a handle that wipes it when freed (a plain `char *` freed
//! with `ss_string_free` would leave the text in freed memory).

use super::client::ss_sendsafely_client;
use super::package::ss_sendsafely_package;
use super::received::ss_sendsafely_received;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::borrowed;
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::SecretText;
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

/// A decrypted secure message. Caller-owned (`ss_sendsafely_message_free`, which wipes it);
/// immutable, readable from any thread.
pub struct ss_sendsafely_message(SecretText);

/// Reads and decrypts the secure message of an opened package (S29, asked with the keycode's
/// checksum).
///
/// `client` and `received` are borrowed. `out_message` receives the message (caller owns;
/// `ss_sendsafely_message_free`); its text is "" when the package has none. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_CRYPTO` (the keycode does not decrypt it; the message's
/// text is never put in an error), `SS_ERR_API` (`FAIL`: the server refused the keycode's
/// checksum), `SS_ERR_AUTH`, `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`,
/// `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a
/// callback, or a forked client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_read_message(
    client: *const ss_sendsafely_client,
    received: *const ss_sendsafely_received,
    out_message: *mut *mut ss_sendsafely_message,
) -> ss_result {
    call(|| {
        let out_message = out(out_message, "out_message")?;
        let ss = handle(client, "client")?;
        let received = handle(received, "received")?;
        let client = &ss.client;
        let text = ss.run(&Callbacks::default(), |_| {
            client.read_message(&received.package)
        })?;
        give(out_message, ss_sendsafely_message(SecretText::new(&text)));
        Ok(())
    })
}

/// The message's text (UTF-8; cut at a NUL character, which a C string cannot hold). Borrowed
/// from `message` and wiped when it is freed; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_message_text(
    message: *const ss_sendsafely_message,
) -> *const c_char {
    borrowed(message, |m| Some(&m.0))
}

/// Frees a message, wiping its text. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_message_free(message: *mut ss_sendsafely_message) {
    guard(|| free(message))
}
