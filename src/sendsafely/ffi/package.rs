//! `ss_sendsafely_package`: a package (or Workspace) just created, what adding files,
//! a message and finalizing need.

use super::client::ss_sendsafely_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::borrowed;
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, SecretText};
use crate::sendsafely::model::Package;
use std::ffi::{c_char, CString};

/// A package made by this client: its id, code and keycode (the client's half of the
/// passphrase, made on this machine and never sent). Caller-owned (`ss_sendsafely_package_free`,
/// which wipes the secrets); immutable, readable from any thread; its strings are borrowed from
/// it.
pub struct ss_sendsafely_package {
    pub(crate) package: Package,
    id: CString,
    code: CString,
    keycode: SecretText,
}

impl From<Package> for ss_sendsafely_package {
    fn from(package: Package) -> Self {
        ss_sendsafely_package {
            id: c_string(&package.package_id),
            code: c_string(&package.package_code),
            keycode: SecretText::new(&package.keycode),
            package,
        }
    }
}

/// Creates an empty package (S5) with a new keycode.
///
/// `client` is borrowed; `out_package` receives the package (caller owns;
/// `ss_sendsafely_package_free`). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_AUTH`,
/// `SS_ERR_API` (the server's code from `ss_last_error_api_code_name`), `SS_ERR_CONNECT`,
/// `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`,
/// `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_create_package(
    client: *const ss_sendsafely_client,
    out_package: *mut *mut ss_sendsafely_package,
) -> ss_result {
    create(client, out_package, false)
}

/// Creates an empty Workspace (S5 with `vdr`): a package with directories, file versions and
/// collaborators. As `ss_sendsafely_create_package` otherwise.
#[no_mangle]
pub extern "C" fn ss_sendsafely_create_workspace(
    client: *const ss_sendsafely_client,
    out_package: *mut *mut ss_sendsafely_package,
) -> ss_result {
    create(client, out_package, true)
}

fn create(
    client: *const ss_sendsafely_client,
    out_package: *mut *mut ss_sendsafely_package,
    workspace: bool,
) -> ss_result {
    call(|| {
        let out_package = out(out_package, "out_package")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let package = ss.run(&Callbacks::default(), |_| async move {
            if workspace {
                client.create_workspace().await
            } else {
                client.create_package().await
            }
        })?;
        give(out_package, ss_sendsafely_package::from(package));
        Ok(())
    })
}

/// Opens again a package this user made earlier, maybe in another process, from its id and
/// the keycode kept since (`ss_sendsafely_package_keycode`): its code and server secret are
/// read from its information (S6). What resuming an upload, adding files, a message or
/// finalizing from another process needs.
///
/// `client` is borrowed; `package_id` and `keycode` are borrowed for the call (the library
/// keeps a copy of the keycode, wiped when the package is freed). The keycode cannot be
/// checked before finalize (the server verifies its checksum then): a wrong one encrypts files
/// nobody can read. `out_package` receives the package (caller owns;
/// `ss_sendsafely_package_free`). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`,
/// `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (empty id or keycode),
/// `SS_ERR_INVALID_STATE` (the server gave no server secret: not a package of this user; or
/// from a callback, or a forked client), `SS_ERR_AUTH`, `SS_ERR_API` (e.g. `UNKNOWN_PACKAGE`),
/// `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`,
/// `SS_ERR_CANCELLED`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_reopen_package(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    keycode: *const c_char,
    out_package: *mut *mut ss_sendsafely_package,
) -> ss_result {
    call(|| {
        let out_package = out(out_package, "out_package")?;
        let ss = handle(client, "client")?;
        let package_id = text(package_id, "package_id")?;
        let keycode = text(keycode, "keycode")?;
        let client = &ss.client;
        let package = ss.run(&Callbacks::default(), |_| {
            client.reopen_package(package_id, keycode)
        })?;
        give(out_package, ss_sendsafely_package::from(package));
        Ok(())
    })
}

/// The package's id (e.g. `4B88-CV9G`). Borrowed from `package`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_id(package: *const ss_sendsafely_package) -> *const c_char {
    borrowed(package, |p| Some(&p.id))
}

/// The package's code, part of its secure link. Borrowed from `package`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_code(
    package: *const ss_sendsafely_package,
) -> *const c_char {
    borrowed(package, |p| Some(&p.code))
}

/// The package's keycode: with the server secret it decrypts the files, so keep it secret
/// (it is what resuming an upload in another process needs). Borrowed from `package` (wiped
/// when it is freed); NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_keycode(
    package: *const ss_sendsafely_package,
) -> *const c_char {
    borrowed(package, |p| Some(&p.keycode))
}

/// Frees a package, wiping its secrets. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_package_free(package: *mut ss_sendsafely_package) {
    guard(|| free(package))
}
