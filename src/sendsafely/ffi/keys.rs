//! `ss_sendsafely_trusted_key`: trusted-device keys from C (S3, S4, S18): a key pair generated
//! here and registered, read back from storage, a package's keycode wrapped to it and
//! unwrapped, revocation.

use super::client::ss_sendsafely_client;
use super::package_call::on_package;
use super::secret::ss_sendsafely_secret;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::borrowed;
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, SecretText};
use crate::sendsafely::model::TrustedDeviceKey;
use std::ffi::{c_char, CString};

/// A trusted-device key of the client's user: its id, its public half (what the server keeps)
/// and its private half (the secret that unwraps the keycodes senders wrapped to the key).
/// Caller-owned (`ss_sendsafely_trusted_key_free`, which wipes the private key); immutable,
/// readable from any thread; its strings are borrowed from it.
///
/// Storing it: the private key is ASCII-armored OpenPGP with no password. A program that reads
/// keycodes in later runs stores the key id and the private key where only its user can read
/// them (a file of mode 0600, the system's keychain), never in a log, and rebuilds the key with
/// `ss_sendsafely_trusted_key_new`.
pub struct ss_sendsafely_trusted_key {
    key: TrustedDeviceKey,
    id: CString,
    public_key: CString,
    private_key: SecretText,
}

impl From<TrustedDeviceKey> for ss_sendsafely_trusted_key {
    fn from(key: TrustedDeviceKey) -> Self {
        ss_sendsafely_trusted_key {
            id: c_string(&key.id),
            public_key: c_string(&key.public_armored),
            private_key: SecretText::new(&key.secret_armored),
            key,
        }
    }
}

/// Generates a trusted-device key pair on this machine (RSA-2048, user ID `Trusted Browser
/// <email>`) and registers its public half for the client's user (S1, then S3): from then on
/// a sender's finalize wraps each package's keycode to it.
///
/// `client` and `description` (shown to the user among their keys; may be "") are borrowed;
/// `out_key` receives the key (caller owns; `ss_sendsafely_trusted_key_free`), written only on
/// success. The registration is not sent again when its answer is lost (it could register the
/// key twice). Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_API`
/// (`ss_last_error_api_code_name`, e.g. `INVALID_INPUT`), `SS_ERR_CRYPTO` (the key could not
/// be made), `SS_ERR_AUTH`, `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`,
/// `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a
/// callback, or a forked client). Blocks (the key generation takes a fraction of a second);
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_add_trusted_key(
    client: *const ss_sendsafely_client,
    description: *const c_char,
    out_key: *mut *mut ss_sendsafely_trusted_key,
) -> ss_result {
    call(|| {
        let out_key = out(out_key, "out_key")?;
        let ss = handle(client, "client")?;
        let description = text(description, "description")?;
        let client = &ss.client;
        let key = ss.run(&Callbacks::default(), |_| {
            client.add_trusted_device_key(description)
        })?;
        give(out_key, ss_sendsafely_trusted_key::from(key));
        Ok(())
    })
}

/// Rebuilds a registered trusted-device key from what the program stored: its id and its
/// private key (as `ss_sendsafely_trusted_key_id` and `ss_sendsafely_trusted_key_private_key`
/// gave them). Nothing is sent; the public key is derived from the private one.
///
/// `key_id` and `private_key` are borrowed (the library keeps a copy of the private key, wiped
/// when the key is freed); `out_key` receives the key (caller owns;
/// `ss_sendsafely_trusted_key_free`), written only on success. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty id, a
/// text that is not an OpenPGP private key with an encryption subkey). Thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_trusted_key_new(
    key_id: *const c_char,
    private_key: *const c_char,
    out_key: *mut *mut ss_sendsafely_trusted_key,
) -> ss_result {
    call(|| {
        let out_key = out(out_key, "out_key")?;
        let key_id = text(key_id, "key_id")?;
        let private_key = text(private_key, "private_key")?;
        let key = TrustedDeviceKey::from_secret(key_id, private_key)?;
        give(out_key, ss_sendsafely_trusted_key::from(key));
        Ok(())
    })
}

/// The id the server gave the key. Borrowed from `key`; NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_trusted_key_id(
    key: *const ss_sendsafely_trusted_key,
) -> *const c_char {
    borrowed(key, |k| Some(&k.id))
}

/// The key's public half, ASCII-armored OpenPGP, as registered. Borrowed from `key`; NULL
/// gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_trusted_key_public_key(
    key: *const ss_sendsafely_trusted_key,
) -> *const c_char {
    borrowed(key, |k| Some(&k.public_key))
}

/// The key's private half, ASCII-armored OpenPGP without a password: a secret (see
/// `ss_sendsafely_trusted_key` for how to store it). Borrowed from `key` (wiped when it is
/// freed); NULL gives NULL.
#[no_mangle]
pub extern "C" fn ss_sendsafely_trusted_key_private_key(
    key: *const ss_sendsafely_trusted_key,
) -> *const c_char {
    borrowed(key, |k| Some(&k.private_key))
}

/// Frees a trusted-device key, wiping its private half (the key stays registered: revoke it
/// with `ss_sendsafely_revoke_trusted_key`). NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_sendsafely_trusted_key_free(key: *mut ss_sendsafely_trusted_key) {
    guard(|| free(key))
}

/// Reads the keycode of the package `package_id` that its sender wrapped to `key` when
/// finalizing it (S18), and unwraps it with the key's private half: the keycode that, with the
/// package, decrypts its files.
///
/// `client`, `package_id` and `key` are borrowed; `out_keycode` receives the keycode (caller
/// owns; `ss_sendsafely_secret_free`, which wipes it), written only on success. Returns
/// `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty
/// id), `SS_ERR_API` (`ss_last_error_api_code_name`: `FAIL` when no keycode is wrapped to that
/// key id, e.g. a package finalized before the key was registered or a revoked key;
/// `UNKNOWN_PACKAGE`), `SS_ERR_CRYPTO` (the wrapped keycode does not open with this private
/// key), `SS_ERR_AUTH`, `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`,
/// `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`, `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a
/// callback, or a forked client). Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_get_package_keycode(
    client: *const ss_sendsafely_client,
    package_id: *const c_char,
    key: *const ss_sendsafely_trusted_key,
    out_keycode: *mut *mut ss_sendsafely_secret,
) -> ss_result {
    call(|| {
        let out_keycode = out(out_keycode, "out_keycode")?;
        let key = &handle(key, "key")?.key;
        let keycode = on_package(client, package_id, |c, pid| c.package_keycode(pid, key))?;
        give(out_keycode, ss_sendsafely_secret(SecretText::new(&keycode)));
        Ok(())
    })
}

/// Revokes one of the client's user's trusted-device keys (S4): keycodes are no longer
/// wrapped to it, nor read with it.
///
/// `client` and `key_id` (from `ss_sendsafely_trusted_key_id`) are borrowed. Returns `SS_OK`,
/// `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`, `SS_ERR_INVALID_ARGUMENT` (an empty id),
/// `SS_ERR_API` (`FAIL` for a key that is unknown or already revoked), `SS_ERR_AUTH`,
/// `SS_ERR_CONNECT`, `SS_ERR_TLS`, `SS_ERR_TIMEOUT`, `SS_ERR_HTTP_STATUS`, `SS_ERR_DECODE`,
/// `SS_ERR_CANCELLED`, `SS_ERR_INVALID_STATE` (from a callback, or a forked client). Blocks;
/// thread-safe.
#[no_mangle]
pub extern "C" fn ss_sendsafely_revoke_trusted_key(
    client: *const ss_sendsafely_client,
    key_id: *const c_char,
) -> ss_result {
    call(|| {
        let ss = handle(client, "client")?;
        let key_id = text(key_id, "key_id")?;
        let client = &ss.client;
        ss.run(&Callbacks::default(), |_| {
            client.revoke_trusted_device_key(key_id)
        })
    })
}
