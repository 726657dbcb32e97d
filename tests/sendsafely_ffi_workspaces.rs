//! The Workspace C functions called from Rust where the C tests cannot go yet (they have no
//! C function that adds a file or a recipient): a file added by a sender, listed in its
//! directory, moved with `ss_sendsafely_move_file` and read back from both directories, the
//! package information and the activity log; a collaborator's role set with
//! `ss_sendsafely_update_recipient_role` and read back; a deleted directory taking its file.

#[path = "support/ffi.rs"]
mod ffi_support;
mod sendsafely_sender;
mod support;

use ffi_support::{c, last_message};
use sendsafely_crypto::secrets::{new_keycode, passphrase};
use sendsafely_sender::{encrypt_segments, Sender};
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::strings::ss_string_free;
use sendsecure::sendsafely::ffi::activity::*;
use sendsecure::sendsafely::ffi::client::*;
use sendsecure::sendsafely::ffi::directories::*;
use sendsecure::sendsafely::ffi::directory::*;
use sendsecure::sendsafely::ffi::file::*;
use sendsecure::sendsafely::ffi::package_info::*;
use sendsecure::sendsafely::ffi::recipient::*;
use sendsecure::sendsafely::ffi::role::*;
use std::ffi::{c_char, CStr};
use std::ptr::{null, null_mut};
use support::Emulator;

/// A borrowed C string as Rust text ("" for NULL).
fn text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

#[track_caller]
fn ok(rc: ss_result) {
    assert_eq!(rc, ss_result::SS_OK, "{}", last_message());
}

/// The ids and directory ids of the files of directory `did`, through the C functions.
fn files_in(client: *const ss_sendsafely_client, pid: &str, did: &str) -> Vec<(String, String)> {
    let (pid, did) = (c(pid), c(did));
    let mut dir = null_mut();
    ok(ss_sendsafely_get_directory(
        client,
        pid.as_ptr(),
        did.as_ptr(),
        &mut dir,
    ));
    let files = (0..ss_sendsafely_directory_info_file_count(dir))
        .map(|i| {
            let f = ss_sendsafely_directory_info_file(dir, i);
            assert!(!f.is_null());
            (
                text(ss_sendsafely_file_id(f)),
                text(ss_sendsafely_file_directory_id(f)),
            )
        })
        .collect();
    ss_sendsafely_directory_info_free(dir);
    files
}

/// A new directory `name` under `parent`, through the C function.
fn create(client: *const ss_sendsafely_client, pid: &str, parent: &str, name: &str) -> String {
    let (pid, parent, name) = (c(pid), c(parent), c(name));
    let mut id = null_mut();
    ok(ss_sendsafely_create_directory(
        client,
        pid.as_ptr(),
        parent.as_ptr(),
        name.as_ptr(),
        &mut id,
    ));
    let owned = text(id);
    ss_string_free(id);
    owned
}

/// The package's information through the C function: (file ids with their directory ids,
/// recipients' emails with their roles).
#[allow(clippy::type_complexity)]
fn package_view(
    client: *const ss_sendsafely_client,
    pid: &str,
) -> (Vec<(String, String)>, Vec<(String, String)>) {
    let pid = c(pid);
    let mut info = null_mut();
    ok(ss_sendsafely_get_package_info(
        client,
        pid.as_ptr(),
        &mut info,
    ));
    let files = (0..ss_sendsafely_package_info_file_count(info))
        .map(|i| {
            let f = ss_sendsafely_package_info_file(info, i);
            (
                text(ss_sendsafely_file_id(f)),
                text(ss_sendsafely_file_directory_id(f)),
            )
        })
        .collect();
    let recipients = (0..ss_sendsafely_package_info_recipient_count(info))
        .map(|i| {
            let r = ss_sendsafely_package_info_recipient(info, i);
            (
                text(ss_sendsafely_recipient_email(r)),
                text(ss_sendsafely_recipient_role(r)),
            )
        })
        .collect();
    ss_sendsafely_package_info_free(info);
    (files, recipients)
}

#[test]
fn files_move_and_collaborators_get_roles_through_the_c_functions() {
    let emu = Emulator::sendsafely();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sender = Sender::new(&emu.url, "demo-api-key", "demo-api-secret");
    let (host, key, secret) = (c(&emu.url), c("demo-api-key"), c("demo-api-secret"));
    let mut client = null_mut();
    ok(ss_sendsafely_client_new(
        host.as_ptr(),
        key.as_ptr(),
        secret.as_ptr(),
        null(),
        &mut client,
    ));

    let ws = rt.block_on(sender.create_package(true));
    let pid = c(&ws.id);
    let mut info = null_mut();
    ok(ss_sendsafely_get_package_info(
        client,
        pid.as_ptr(),
        &mut info,
    ));
    let root = text(ss_sendsafely_package_info_root_directory_id(info));
    ss_sendsafely_package_info_free(info);
    let inbox = create(client, &ws.id, &root, "In");
    let outbox = create(client, &ws.id, &root, "Out");

    // A file added in In: listed there with its name and size, nowhere else.
    let keycode = new_keycode();
    let data = vec![7u8; 3000];
    let segments = encrypt_segments(&passphrase(&ws.server_secret, &keycode), &data, 2000);
    let fid = rt.block_on(sender.add_file(&ws.id, "plan.txt", 3000, &segments, Some(&inbox)));
    let idir = c(&inbox);
    let mut dir = null_mut();
    ok(ss_sendsafely_get_directory(
        client,
        pid.as_ptr(),
        idir.as_ptr(),
        &mut dir,
    ));
    assert_eq!(ss_sendsafely_directory_info_file_count(dir), 1);
    let f = ss_sendsafely_directory_info_file(dir, 0);
    assert_eq!(text(ss_sendsafely_file_name(f)), "plan.txt");
    assert_eq!(ss_sendsafely_file_size(f), 3000);
    assert_eq!(ss_sendsafely_file_parts(f), 2);
    assert!(ss_sendsafely_file_uploaded(f));
    ss_sendsafely_directory_info_free(dir);
    assert!(files_in(client, &ws.id, &outbox).is_empty());
    assert!(files_in(client, &ws.id, &root).is_empty());

    // Moved to Out: there, not in In; the package information and the log agree.
    let (file, target) = (c(&fid), c(&outbox));
    ok(ss_sendsafely_move_file(
        client,
        pid.as_ptr(),
        file.as_ptr(),
        target.as_ptr(),
    ));
    assert_eq!(
        files_in(client, &ws.id, &outbox),
        vec![(fid.clone(), outbox.clone())]
    );
    assert!(files_in(client, &ws.id, &inbox).is_empty());
    assert_eq!(
        package_view(client, &ws.id).0,
        vec![(fid.clone(), outbox.clone())]
    );
    let mut page = null_mut();
    ok(ss_sendsafely_get_activity_log(
        client,
        pid.as_ptr(),
        0,
        &mut page,
    ));
    let newest = ss_sendsafely_activity_page_record(page, 0);
    assert_eq!(
        text(ss_sendsafely_activity_record_action(newest)),
        "FILE_MOVED"
    );
    assert_eq!(
        text(ss_sendsafely_activity_record_details(newest)),
        "plan.txt"
    );
    let older = ss_sendsafely_activity_page_record(page, 1);
    assert_eq!(
        text(ss_sendsafely_activity_record_action(older)),
        "FILE_ADDED"
    );
    ss_sendsafely_activity_page_free(page);
    // Moving it where it is changes nothing.
    ok(ss_sendsafely_move_file(
        client,
        pid.as_ptr(),
        file.as_ptr(),
        target.as_ptr(),
    ));
    assert_eq!(files_in(client, &ws.id, &outbox).len(), 1);

    // A collaborator's role, set and changed, read back from the package information.
    let bob = rt.block_on(sender.add_recipient(&ws.id, "bob@acme.example"));
    let rid = c(&bob);
    for role in ["MANAGER", "VIEWER", "CONTRIBUTOR", "OWNER"] {
        let r = c(role);
        ok(ss_sendsafely_update_recipient_role(
            client,
            pid.as_ptr(),
            rid.as_ptr(),
            r.as_ptr(),
        ));
        assert_eq!(
            package_view(client, &ws.id).1,
            vec![("bob@acme.example".to_string(), role.to_string())]
        );
    }

    // Deleting Out deletes its file.
    ok(ss_sendsafely_delete_directory(
        client,
        pid.as_ptr(),
        target.as_ptr(),
    ));
    assert!(package_view(client, &ws.id).0.is_empty());
    assert_eq!(
        ss_sendsafely_move_file(client, pid.as_ptr(), file.as_ptr(), idir.as_ptr()),
        ss_result::SS_ERR_API
    );

    ss_sendsafely_client_free(client);
}
