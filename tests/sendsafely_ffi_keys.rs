//! The trusted-device key C functions called from Rust where the C tests cannot go yet (they
//! have no C function that finalizes a package): a key generated and registered with
//! `ss_sendsafely_add_trusted_key`, stored and rebuilt with `ss_sendsafely_trusted_key_new`,
//! a package that another user finalized afterwards has its keycode wrapped to it and
//! unwrapped by `ss_sendsafely_get_package_keycode`; another private key under the same id
//! does not unwrap it; after `ss_sendsafely_revoke_trusted_key` it is refused.

#[path = "support/ffi.rs"]
mod ffi_support;
mod support;

use ffi_support::{c, last_message};
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::last_error::ss_last_error_api_code_name;
use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::sendsafely::ffi::client::*;
use sendsecure::sendsafely::ffi::keys::*;
use sendsecure::sendsafely::ffi::secret::*;
use std::ffi::{c_char, CStr};
use std::ptr::{null, null_mut};
use support::Emulator;

fn text(p: *const c_char) -> String {
    assert!(!p.is_null());
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

#[track_caller]
fn ok(rc: ss_result) {
    assert_eq!(rc, ss_result::SS_OK, "{}", last_message());
}

fn api_code() -> String {
    let mut buf = [0u8; 64];
    ss_last_error_api_code_name(buf.as_mut_ptr().cast(), buf.len());
    CStr::from_bytes_until_nul(&buf)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// `ss_sendsafely_get_package_keycode`: the keycode, or the result and the service's code.
fn keycode(
    client: *const ss_sendsafely_client,
    pid: &str,
    key: *const ss_sendsafely_trusted_key,
) -> Result<String, (ss_result, String)> {
    let pid = c(pid);
    let mut secret = null_mut();
    let rc = ss_sendsafely_get_package_keycode(client, pid.as_ptr(), key, &mut secret);
    if rc != ss_result::SS_OK {
        assert!(secret.is_null());
        return Err((rc, api_code()));
    }
    let keycode = text(ss_sendsafely_secret_text(secret));
    ss_sendsafely_secret_free(secret);
    Ok(keycode)
}

/// `ss_sendsafely_trusted_key_new`.
fn rebuild(id: &str, private_key: &str) -> *mut ss_sendsafely_trusted_key {
    let (id, private_key) = (c(id), c(private_key));
    let mut key = null_mut();
    ok(ss_sendsafely_trusted_key_new(
        id.as_ptr(),
        private_key.as_ptr(),
        &mut key,
    ));
    key
}

#[test]
fn a_stored_key_unwraps_the_keycode_of_a_later_package_until_revoked() {
    let emu = Emulator::sendsafely();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (host, key, secret) = (c(&emu.url), c("demo-api-key"), c("demo-api-secret"));
    let mut demo = null_mut();
    ok(ss_sendsafely_client_new(
        host.as_ptr(),
        key.as_ptr(),
        secret.as_ptr(),
        null(),
        &mut demo,
    ));

    // Generated and registered; the program keeps the id and the private key, frees the key.
    let description = c("laptop");
    let mut registered = null_mut();
    ok(ss_sendsafely_add_trusted_key(
        demo,
        description.as_ptr(),
        &mut registered,
    ));
    let id = text(ss_sendsafely_trusted_key_id(registered));
    let private_key = text(ss_sendsafely_trusted_key_private_key(registered));
    let public_key = text(ss_sendsafely_trusted_key_public_key(registered));
    sendsafely_crypto::keys::check_public_key(&public_key).unwrap();
    ss_sendsafely_trusted_key_free(registered);

    // Bob sends demo a package: finalize wraps its keycode to demo's key.
    let bob = Client::new(
        &emu.url,
        "bob-api-key",
        "bob-api-secret",
        ClientOptions::default(),
    )
    .unwrap();
    let package = rt.block_on(bob.create_package()).unwrap();
    rt.block_on(bob.add_recipient(&package.package_id, "demo@acme.example"))
        .unwrap();
    let finalized = rt.block_on(bob.finalize_package(&package)).unwrap();
    assert_eq!(finalized.wrapped_keys, vec![id.clone()]);

    // The key rebuilt from storage unwraps it.
    let stored = rebuild(&id, &private_key);
    assert_eq!(
        text(ss_sendsafely_trusted_key_public_key(stored)),
        public_key
    );
    assert_eq!(
        keycode(demo, &package.package_id, stored).as_deref(),
        Ok(package.keycode.as_str())
    );

    // Another private key under the same id does not.
    let other = sendsafely_crypto::keys::generate("Trusted Browser <demo@acme.example>").unwrap();
    let impostor = rebuild(&id, &other.secret_armored);
    assert_eq!(
        keycode(demo, &package.package_id, impostor),
        Err((ss_result::SS_ERR_CRYPTO, String::new()))
    );
    ss_sendsafely_trusted_key_free(impostor);

    // Revoked: refused.
    let key_id = c(&id);
    ok(ss_sendsafely_revoke_trusted_key(demo, key_id.as_ptr()));
    assert_eq!(
        keycode(demo, &package.package_id, stored),
        Err((ss_result::SS_ERR_API, "FAIL".to_string()))
    );
    ss_sendsafely_trusted_key_free(stored);
    ss_sendsafely_client_free(demo);
}
