//! The C ABI on existing SafeBoxes against the emulator: the list in pages and the iterator,
//! details and their sections, participants, messages, events, the JSON parts, participant
//! management with `ss_contact_edit`, favorites, the recipient search and consent groups. Each
//! change is read back; refusals (404, 403, bad arguments, missing user id) and NULL or
//! invalid UTF-8 arguments are checked for every function.

#[path = "support/ffi.rs"]
mod ffi_support;
mod support;

use ffi_support::{c, last_message};
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::last_error::{
    ss_last_error_body, ss_last_error_code, ss_last_error_http_status,
};
use sendsecure::ffi::strings::ss_string_free;
use sendsecure::sendsecure::ffi::client::*;
use sendsecure::sendsecure::ffi::enterprise::*;
use sendsecure::sendsecure::ffi::people::*;
use sendsecure::sendsecure::ffi::safebox::*;
use sendsecure::sendsecure::ffi::safebox_info::*;
use sendsecure::sendsecure::ffi::safebox_items::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::ffi::{c_char, CStr, CString};
use std::ptr::{null, null_mut};
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};

use ss_result::*;

/// Not UTF-8.
const BAD: &[u8] = b"\xff\xfe\0";
const UNKNOWN_GUID: &str = "0123456789abcdef0123456789abcdef";

fn bad() -> *const c_char {
    BAD.as_ptr().cast()
}

/// A borrowed string from the library, which must not be NULL.
fn s(p: *const c_char) -> String {
    assert!(!p.is_null(), "unexpected NULL string");
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
}

/// An owned string from the library, freed here.
fn owned(p: *mut c_char) -> String {
    let text = s(p);
    ss_string_free(p);
    text
}

fn last_body() -> String {
    let mut buf = vec![0u8; 4096];
    ss_last_error_body(buf.as_mut_ptr().cast(), buf.len());
    CStr::from_bytes_until_nul(&buf)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[track_caller]
fn ok(rc: ss_result) {
    assert_eq!(rc, SS_OK, "{}", last_message());
    assert_eq!(ss_last_error_code(), SS_OK);
}

/// A failure with its code, and the HTTP status of the last error (0 when not an HTTP answer).
#[track_caller]
fn fails(rc: ss_result, code: ss_result, status: i32) {
    assert_eq!(rc, code, "{}", last_message());
    assert_eq!(ss_last_error_code(), code);
    assert_eq!(ss_last_error_http_status(), status, "{}", last_message());
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A client for `user`; with `user_id` set in the options when `with_user_id`.
fn login(emu: &Emulator, user: &str, password: &str, with_user_id: bool) -> (*mut ss_client, i64) {
    ffi_support::login(emu, user, password, |options, user_id| {
        if with_user_id {
            options.user_id = user_id;
        }
    })
}

/// Creates a SafeBox of the demo user with one guest (with a cell phone) and the files.
fn create(client: *const ss_client, subject: &str, files: &[(&str, &[u8])]) -> String {
    let mut sb = null_mut();
    ok(ss_safebox_new(c(EMAIL).as_ptr(), &mut sb));
    ok(ss_safebox_set_subject(sb, c(subject).as_ptr()));
    ok(ss_safebox_set_message(
        sb,
        c(&format!("about {subject}")).as_ptr(),
    ));
    let mut guest = null_mut();
    ok(ss_safebox_add_recipient(
        sb,
        c("guest@example.com").as_ptr(),
        &mut guest,
    ));
    ok(ss_recipient_add_contact_method(
        guest,
        c("+15145550000").as_ptr(),
        1,
    ));
    for (name, bytes) in files {
        ok(ss_safebox_add_attachment_bytes(
            sb,
            bytes.as_ptr(),
            bytes.len(),
            c(name).as_ptr(),
            null(),
        ));
    }
    let mut response = null_mut();
    ok(ss_submit_safebox(
        client,
        sb,
        None,
        null_mut(),
        &mut response,
    ));
    let guid = s(ss_safebox_response_guid(response));
    ss_safebox_response_free(response);
    ss_safebox_free(sb);
    guid
}

fn page_guids(page: *const ss_safebox_page) -> Vec<String> {
    (0..ss_safebox_page_count(page))
        .map(|i| s(ss_safebox_info_guid(ss_safebox_page_at(page, i))))
        .collect()
}

#[test]
fn list_pages_and_iterator() {
    let emu = Emulator::demo();
    let (client, user_id) = login(&emu, USER, PASSWORD, true);
    let mut guids: Vec<String> = (0..5)
        .map(|i| create(client, &format!("box {i}"), &[]))
        .collect();

    // Pages of two: 2 + 2 + 1, then the end.
    let mut first = null_mut();
    ok(ss_get_safeboxes(client, null(), null(), 2, 0, &mut first));
    assert_eq!(ss_safebox_page_count(first), 2);
    assert_eq!(ss_safebox_page_total(first), 5);
    assert!(ss_safebox_page_has_next(first));
    assert!(ss_safebox_page_at(first, 2).is_null());
    let item = ss_safebox_page_at(first, 0);
    assert_eq!(s(ss_safebox_info_status(item)), "in_progress");
    assert!(s(ss_safebox_info_subject(item)).starts_with("box "));
    assert_eq!(ss_safebox_info_user_id(item), user_id);
    let mut second = null_mut();
    ok(ss_get_next_safebox_page(client, first, &mut second));
    assert_eq!(ss_safebox_page_count(second), 2);
    assert!(ss_safebox_page_has_next(second));
    let mut third = null_mut();
    ok(ss_get_next_safebox_page(client, second, &mut third));
    assert_eq!(ss_safebox_page_count(third), 1);
    assert!(!ss_safebox_page_has_next(third));
    // After the last page: SS_OK and NULL, even over a non-NULL value.
    let mut after: *mut ss_safebox_page = std::ptr::NonNull::dangling().as_ptr();
    ok(ss_get_next_safebox_page(client, third, &mut after));
    assert!(after.is_null());
    let mut paged: Vec<String> = [first, second, third]
        .iter()
        .flat_map(|p| page_guids(*p))
        .collect();
    assert_eq!(paged.len(), 5);

    // Asking for page 2 directly gives the same SafeBoxes as following the link.
    let mut direct = null_mut();
    ok(ss_get_safeboxes(client, null(), null(), 2, 2, &mut direct));
    assert_eq!(page_guids(direct), page_guids(second));
    ss_safebox_page_free(direct);
    for p in [first, second, third] {
        ss_safebox_page_free(p);
    }
    paged.sort();
    guids.sort();
    assert_eq!(paged, guids, "every SafeBox exactly once across the pages");

    // Filters.
    let mut found = null_mut();
    ok(ss_get_safeboxes(
        client,
        c("in_progress").as_ptr(),
        c("box 3").as_ptr(),
        0,
        0,
        &mut found,
    ));
    assert_eq!(ss_safebox_page_count(found), 1);
    assert_eq!(ss_safebox_page_total(found), 1);
    assert_eq!(
        s(ss_safebox_info_subject(ss_safebox_page_at(found, 0))),
        "box 3"
    );
    ss_safebox_page_free(found);
    let mut closed = null_mut();
    ok(ss_get_safeboxes(
        client,
        c("closed").as_ptr(),
        null(),
        0,
        0,
        &mut closed,
    ));
    assert_eq!(ss_safebox_page_count(closed), 0);
    assert!(!ss_safebox_page_has_next(closed));
    ss_safebox_page_free(closed);

    // The iterator visits every SafeBox exactly once, then keeps answering NULL.
    let mut iter = null_mut();
    ok(ss_safebox_iter_new(client, null(), null(), 2, &mut iter));
    let mut seen = vec![];
    loop {
        let mut info = null();
        ok(ss_safebox_iter_next(iter, &mut info));
        if info.is_null() {
            break;
        }
        seen.push(s(ss_safebox_info_guid(info)));
        assert!(seen.len() <= 5, "the iterator does not stop");
    }
    let mut info: *const ss_safebox_info = std::ptr::NonNull::dangling().as_ptr();
    ok(ss_safebox_iter_next(iter, &mut info));
    assert!(info.is_null());
    ss_safebox_iter_free(iter);
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 5);
    seen.sort();
    assert_eq!(seen, guids);

    // An iterator outlives the client it was made from, and follows the filters.
    let (other, _) = login(&emu, USER, PASSWORD, false);
    let mut iter = null_mut();
    ok(ss_safebox_iter_new(
        other,
        c("in_progress").as_ptr(),
        c("box 4").as_ptr(),
        0,
        &mut iter,
    ));
    ss_client_free(other);
    let mut info = null();
    ok(ss_safebox_iter_next(iter, &mut info));
    assert_eq!(s(ss_safebox_info_subject(info)), "box 4");
    ok(ss_safebox_iter_next(iter, &mut info));
    assert!(info.is_null());
    ss_safebox_iter_free(iter);
    // An empty list ends at once.
    let mut iter = null_mut();
    ok(ss_safebox_iter_new(
        client,
        c("closed").as_ptr(),
        null(),
        0,
        &mut iter,
    ));
    let mut info: *const ss_safebox_info = std::ptr::NonNull::dangling().as_ptr();
    ok(ss_safebox_iter_next(iter, &mut info));
    assert!(info.is_null());
    ss_safebox_iter_free(iter);

    // Refusals: an unknown status is the server's 400 (out left alone); per_page over 1000.
    let mut page: *mut ss_safebox_page = null_mut();
    fails(
        ss_get_safeboxes(client, c("sleeping").as_ptr(), null(), 0, 0, &mut page),
        SS_ERR_HTTP_STATUS,
        400,
    );
    assert!(page.is_null());
    fails(
        ss_get_safeboxes(client, null(), null(), 1001, 0, &mut page),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    let mut iter = null_mut();
    fails(
        ss_safebox_iter_new(client, null(), null(), 1001, &mut iter),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    assert!(iter.is_null());
    ok(ss_safebox_iter_new(
        client,
        c("sleeping").as_ptr(),
        null(),
        0,
        &mut iter,
    ));
    let mut info = null();
    fails(
        ss_safebox_iter_next(iter, &mut info),
        SS_ERR_HTTP_STATUS,
        400,
    );
    assert!(info.is_null());
    // Retrying is allowed and fails the same way.
    fails(
        ss_safebox_iter_next(iter, &mut info),
        SS_ERR_HTTP_STATUS,
        400,
    );
    ss_safebox_iter_free(iter);

    // NULL and invalid UTF-8 arguments.
    fails(
        ss_get_safeboxes(null(), null(), null(), 0, 0, &mut page),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safeboxes(client, null(), null(), 0, 0, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safeboxes(client, bad(), null(), 0, 0, &mut page),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_get_safeboxes(client, null(), bad(), 0, 0, &mut page),
        SS_ERR_INVALID_UTF8,
        0,
    );
    assert!(page.is_null());
    let mut first = null_mut();
    ok(ss_get_safeboxes(client, null(), null(), 2, 0, &mut first));
    let mut next = null_mut();
    fails(
        ss_get_next_safebox_page(null(), first, &mut next),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_next_safebox_page(client, null(), &mut next),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_next_safebox_page(client, first, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    assert!(next.is_null());
    ss_safebox_page_free(first);
    fails(
        ss_safebox_iter_new(null(), null(), null(), 0, &mut iter),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_safebox_iter_new(client, null(), null(), 0, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_safebox_iter_new(client, bad(), null(), 0, &mut iter),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_safebox_iter_new(client, null(), bad(), 0, &mut iter),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_safebox_iter_next(null_mut(), &mut info),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    ok(ss_safebox_iter_new(client, null(), null(), 0, &mut iter));
    fails(
        ss_safebox_iter_next(iter, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    ss_safebox_iter_free(iter);
    assert_eq!(ss_safebox_page_count(null()), 0);
    assert_eq!(ss_safebox_page_total(null()), 0);
    assert!(!ss_safebox_page_has_next(null()));
    assert!(ss_safebox_page_at(null(), 0).is_null());
    ss_safebox_page_free(null_mut());
    ss_safebox_iter_free(null_mut());
    ss_client_free(client);
}

#[test]
fn info_sections_items_and_json_parts() {
    let emu = Emulator::demo();
    let (client, user_id) = login(&emu, USER, PASSWORD, true);
    let guid = create(client, "sections", &[("a.txt", b"alpha")]);
    let g = c(&guid);

    // Every section.
    let mut info = null_mut();
    ok(ss_get_safebox_info(client, g.as_ptr(), null(), &mut info));
    assert_eq!(s(ss_safebox_info_guid(info)), guid);
    assert_eq!(s(ss_safebox_info_status(info)), "in_progress");
    assert_eq!(s(ss_safebox_info_subject(info)), "sections");
    for date in [
        ss_safebox_info_expiration(info),
        ss_safebox_info_created_at(info),
        ss_safebox_info_updated_at(info),
        ss_safebox_info_latest_activity(info),
    ] {
        assert!(s(date).starts_with("20"), "an ISO date: {}", s(date));
    }
    assert!(ss_safebox_info_closed_at(info).is_null());
    assert!(ss_safebox_info_content_deleted_at(info).is_null());
    assert!(!s(ss_safebox_info_security_profile_name(info)).is_empty());
    assert_eq!(ss_safebox_info_user_id(info), user_id);
    assert_eq!(ss_safebox_info_unread_count(info), 0);
    let whole = json(&s(ss_safebox_info_to_json(info)));
    assert_eq!(whole["guid"], guid.as_str());

    assert_eq!(ss_safebox_info_participant_count(info), 2);
    assert!(ss_safebox_info_participant_at(info, 2).is_null());
    let people: Vec<*const ss_participant> = (0..2)
        .map(|i| ss_safebox_info_participant_at(info, i))
        .collect();
    let guest = *people
        .iter()
        .find(|p| s(ss_participant_type(**p)) == "guest")
        .unwrap();
    let owner = *people
        .iter()
        .find(|p| s(ss_participant_type(**p)) == "user")
        .unwrap();
    assert_eq!(s(ss_participant_email(guest)), "guest@example.com");
    assert_eq!(s(ss_participant_role(guest)), "guest");
    assert_eq!(s(ss_participant_id(guest)).len(), 32);
    assert_eq!(s(ss_participant_first_name(guest)), "");
    assert_eq!(s(ss_participant_last_name(guest)), "");
    assert_eq!(s(ss_participant_company_name(guest)), "");
    assert!(!ss_participant_locked(guest));
    assert_eq!(ss_participant_message_read_count(guest), 0);
    assert_eq!(ss_participant_message_total_count(guest), 1);
    assert_eq!(ss_participant_contact_method_count(guest), 1);
    let phone = ss_participant_contact_method_at(guest, 0);
    assert!(ss_contact_method_id(phone) > 0);
    assert_eq!(s(ss_contact_method_destination(phone)), "+15145550000");
    assert_eq!(s(ss_contact_method_type(phone)), "cell_phone");
    assert!(ss_participant_contact_method_at(guest, 1).is_null());
    let guest_json = json(&s(ss_participant_to_json(guest)));
    assert_eq!(guest_json["email"], "guest@example.com");
    assert_eq!(s(ss_participant_email(owner)), EMAIL);
    assert_eq!(s(ss_participant_role(owner)), "owner");
    assert_eq!(s(ss_participant_id(owner)), user_id.to_string());
    assert_eq!(ss_participant_contact_method_count(owner), 0);
    assert!(!ss_participant_privileged(owner));
    let _ = ss_participant_privileged(guest);

    assert_eq!(ss_safebox_info_message_count(info), 1);
    assert!(ss_safebox_info_message_at(info, 1).is_null());
    let message = ss_safebox_info_message_at(info, 0);
    assert!(ss_message_id(message) > 0);
    assert_eq!(s(ss_message_note(message)), "about sections");
    assert_eq!(s(ss_message_author_id(message)), user_id.to_string());
    assert_eq!(s(ss_message_author_type(message)), "user");
    assert!(s(ss_message_created_at(message)).starts_with("20"));
    let _ = ss_message_read(message);
    assert_eq!(
        json(&s(ss_message_to_json(message)))["id"],
        ss_message_id(message)
    );
    assert_eq!(ss_message_document_count(message), 1);
    assert!(ss_message_document_at(message, 1).is_null());
    let document = ss_message_document_at(message, 0);
    assert!(!s(ss_document_id(document)).is_empty());
    assert_eq!(s(ss_document_name(document)), "a.txt");
    assert_eq!(
        s(ss_document_sha(document)),
        hex::encode(Sha256::digest(b"alpha"))
    );
    assert_eq!(ss_document_size(document), 5);
    let _ = s(ss_document_url(document));

    assert!(ss_safebox_info_event_count(info) >= 1);
    assert!(ss_safebox_info_event_at(info, ss_safebox_info_event_count(info)).is_null());
    let event = ss_safebox_info_event_at(info, 0);
    assert_eq!(s(ss_event_type(event)), "safebox_created_owner");
    assert!(s(ss_event_date(event)).starts_with("20"));
    assert!(s(ss_event_message(event)).contains(EMAIL));
    let _ = json(&s(ss_event_metadata_json(event)));

    let options = json(&s(ss_safebox_info_security_options_json(info)));
    assert_eq!(options["allow_manual_close"], true);
    let activity = json(&s(ss_safebox_info_download_activity_json(info)));
    assert!(activity.is_object());
    ss_safebox_info_free(info);

    // Some sections only (names trimmed, repeats ignored); the others read as empty.
    let mut some = null_mut();
    ok(ss_get_safebox_info(
        client,
        g.as_ptr(),
        c(" messages , event_history,messages").as_ptr(),
        &mut some,
    ));
    assert_eq!(ss_safebox_info_message_count(some), 1);
    assert!(ss_safebox_info_event_count(some) >= 1);
    assert_eq!(ss_safebox_info_participant_count(some), 0);
    assert!(ss_safebox_info_security_options_json(some).is_null());
    assert!(ss_safebox_info_download_activity_json(some).is_null());
    ss_safebox_info_free(some);
    let mut some = null_mut();
    ok(ss_get_safebox_info(
        client,
        g.as_ptr(),
        c("participants,security_options,download_activity").as_ptr(),
        &mut some,
    ));
    assert_eq!(ss_safebox_info_participant_count(some), 2);
    assert_eq!(ss_safebox_info_message_count(some), 0);
    assert_eq!(ss_safebox_info_event_count(some), 0);
    assert!(!ss_safebox_info_security_options_json(some).is_null());
    assert!(!ss_safebox_info_download_activity_json(some).is_null());
    ss_safebox_info_free(some);

    // The separate reads.
    let mut participants = null_mut();
    ok(ss_get_safebox_participants(
        client,
        g.as_ptr(),
        &mut participants,
    ));
    assert_eq!(ss_participant_list_count(participants), 2);
    assert!(ss_participant_list_at(participants, 2).is_null());
    let emails: HashSet<String> = (0..2)
        .map(|i| {
            s(ss_participant_email(ss_participant_list_at(
                participants,
                i,
            )))
        })
        .collect();
    assert!(emails.contains("guest@example.com") && emails.contains(EMAIL));
    ss_participant_list_free(participants);

    let mut messages = null_mut();
    ok(ss_get_safebox_messages(client, g.as_ptr(), &mut messages));
    assert_eq!(ss_message_list_count(messages), 1);
    assert!(ss_message_list_at(messages, 1).is_null());
    let message = ss_message_list_at(messages, 0);
    assert_eq!(s(ss_message_note(message)), "about sections");
    assert_eq!(
        s(ss_document_name(ss_message_document_at(message, 0))),
        "a.txt"
    );
    ss_message_list_free(messages);

    let mut events = null_mut();
    ok(ss_get_safebox_event_history(
        client,
        g.as_ptr(),
        &mut events,
    ));
    assert!(ss_event_list_count(events) >= 1);
    assert!(ss_event_list_at(events, ss_event_list_count(events)).is_null());
    assert_eq!(
        s(ss_event_type(ss_event_list_at(events, 0))),
        "safebox_created_owner"
    );
    ss_event_list_free(events);

    let mut text = null_mut();
    ok(ss_get_safebox_security_options(
        client,
        g.as_ptr(),
        &mut text,
    ));
    assert_eq!(json(&owned(text))["allow_manual_close"], true);
    let mut text = null_mut();
    ok(ss_get_safebox_download_activity(
        client,
        g.as_ptr(),
        &mut text,
    ));
    assert!(json(&owned(text)).is_object());
    let mut text = null_mut();
    ok(ss_get_user_settings(client, &mut text));
    assert_eq!(json(&owned(text))["default_filter"], "everything");

    // Refusals: unknown SafeBox (404), someone else's (403), empty GUID, bad sections.
    let (bob, _) = login(&emu, "bob", "bob-password", true);
    let unknown = c(UNKNOWN_GUID);
    let empty = c("");
    for (who, guid, code, status) in [
        (client, &unknown, SS_ERR_HTTP_STATUS, 404),
        (bob, &g, SS_ERR_HTTP_STATUS, 403),
        (client, &empty, SS_ERR_INVALID_ARGUMENT, 0),
    ] {
        let mut info = null_mut();
        fails(
            ss_get_safebox_info(who, guid.as_ptr(), null(), &mut info),
            code,
            status,
        );
        assert!(info.is_null());
        let mut participants = null_mut();
        fails(
            ss_get_safebox_participants(who, guid.as_ptr(), &mut participants),
            code,
            status,
        );
        assert!(participants.is_null());
        let mut messages = null_mut();
        fails(
            ss_get_safebox_messages(who, guid.as_ptr(), &mut messages),
            code,
            status,
        );
        assert!(messages.is_null());
        let mut events = null_mut();
        fails(
            ss_get_safebox_event_history(who, guid.as_ptr(), &mut events),
            code,
            status,
        );
        assert!(events.is_null());
        let mut text = null_mut();
        fails(
            ss_get_safebox_security_options(who, guid.as_ptr(), &mut text),
            code,
            status,
        );
        fails(
            ss_get_safebox_download_activity(who, guid.as_ptr(), &mut text),
            code,
            status,
        );
        assert!(text.is_null());
    }
    for sections in ["messages,bogus", "", "messages,", "MESSAGES"] {
        let mut info = null_mut();
        fails(
            ss_get_safebox_info(client, g.as_ptr(), c(sections).as_ptr(), &mut info),
            SS_ERR_INVALID_ARGUMENT,
            0,
        );
        assert!(info.is_null(), "{sections:?}");
    }
    assert!(last_message().contains("unknown section"));
    let (anonymous, _) = login(&emu, USER, PASSWORD, false);
    let mut text = null_mut();
    fails(
        ss_get_user_settings(anonymous, &mut text),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    assert!(text.is_null());

    // NULL and invalid UTF-8 arguments.
    let mut info = null_mut();
    fails(
        ss_get_safebox_info(null(), g.as_ptr(), null(), &mut info),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_info(client, null(), null(), &mut info),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_info(client, g.as_ptr(), null(), null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_info(client, bad(), null(), &mut info),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_get_safebox_info(client, g.as_ptr(), bad(), &mut info),
        SS_ERR_INVALID_UTF8,
        0,
    );
    assert!(info.is_null());
    let mut participants = null_mut();
    fails(
        ss_get_safebox_participants(null(), g.as_ptr(), &mut participants),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_participants(client, null(), &mut participants),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_participants(client, g.as_ptr(), null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_participants(client, bad(), &mut participants),
        SS_ERR_INVALID_UTF8,
        0,
    );
    let mut messages = null_mut();
    fails(
        ss_get_safebox_messages(null(), g.as_ptr(), &mut messages),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_messages(client, null(), &mut messages),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_messages(client, g.as_ptr(), null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_messages(client, bad(), &mut messages),
        SS_ERR_INVALID_UTF8,
        0,
    );
    let mut events = null_mut();
    fails(
        ss_get_safebox_event_history(null(), g.as_ptr(), &mut events),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_event_history(client, null(), &mut events),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_event_history(client, g.as_ptr(), null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_safebox_event_history(client, bad(), &mut events),
        SS_ERR_INVALID_UTF8,
        0,
    );
    type JsonRead = extern "C" fn(*const ss_client, *const c_char, *mut *mut c_char) -> ss_result;
    let reads: [JsonRead; 2] = [
        ss_get_safebox_security_options,
        ss_get_safebox_download_activity,
    ];
    for read in reads {
        let mut text = null_mut();
        fails(read(null(), g.as_ptr(), &mut text), SS_ERR_NULL_ARGUMENT, 0);
        fails(read(client, null(), &mut text), SS_ERR_NULL_ARGUMENT, 0);
        fails(
            read(client, g.as_ptr(), null_mut()),
            SS_ERR_NULL_ARGUMENT,
            0,
        );
        fails(read(client, bad(), &mut text), SS_ERR_INVALID_UTF8, 0);
        assert!(text.is_null());
    }
    fails(
        ss_get_user_settings(null(), &mut text),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_user_settings(client, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );

    // Accessors on NULL.
    let info: *const ss_safebox_info = null();
    for p in [
        ss_safebox_info_guid(info),
        ss_safebox_info_status(info),
        ss_safebox_info_subject(info),
        ss_safebox_info_expiration(info),
        ss_safebox_info_created_at(info),
        ss_safebox_info_updated_at(info),
        ss_safebox_info_latest_activity(info),
        ss_safebox_info_closed_at(info),
        ss_safebox_info_content_deleted_at(info),
        ss_safebox_info_security_profile_name(info),
        ss_safebox_info_security_options_json(info),
        ss_safebox_info_download_activity_json(info),
        ss_safebox_info_to_json(info),
        ss_participant_id(null()),
        ss_participant_email(null()),
        ss_participant_first_name(null()),
        ss_participant_last_name(null()),
        ss_participant_type(null()),
        ss_participant_role(null()),
        ss_participant_company_name(null()),
        ss_participant_to_json(null()),
        ss_contact_method_destination(null()),
        ss_contact_method_type(null()),
        ss_message_note(null()),
        ss_message_author_id(null()),
        ss_message_author_type(null()),
        ss_message_created_at(null()),
        ss_message_to_json(null()),
        ss_document_id(null()),
        ss_document_name(null()),
        ss_document_sha(null()),
        ss_document_url(null()),
        ss_event_type(null()),
        ss_event_date(null()),
        ss_event_message(null()),
        ss_event_metadata_json(null()),
    ] {
        assert!(p.is_null());
    }
    assert_eq!(ss_safebox_info_unread_count(info), 0);
    assert_eq!(ss_safebox_info_user_id(info), 0);
    assert_eq!(ss_safebox_info_participant_count(info), 0);
    assert_eq!(ss_safebox_info_message_count(info), 0);
    assert_eq!(ss_safebox_info_event_count(info), 0);
    assert!(ss_safebox_info_participant_at(info, 0).is_null());
    assert!(ss_safebox_info_message_at(info, 0).is_null());
    assert!(ss_safebox_info_event_at(info, 0).is_null());
    assert!(!ss_participant_locked(null()));
    assert!(!ss_participant_privileged(null()));
    assert_eq!(ss_participant_message_read_count(null()), 0);
    assert_eq!(ss_participant_message_total_count(null()), 0);
    assert_eq!(ss_participant_contact_method_count(null()), 0);
    assert!(ss_participant_contact_method_at(null(), 0).is_null());
    assert_eq!(ss_contact_method_id(null()), 0);
    assert_eq!(ss_message_id(null()), 0);
    assert!(!ss_message_read(null()));
    assert_eq!(ss_message_document_count(null()), 0);
    assert!(ss_message_document_at(null(), 0).is_null());
    assert_eq!(ss_document_size(null()), 0);
    assert_eq!(ss_participant_list_count(null()), 0);
    assert!(ss_participant_list_at(null(), 0).is_null());
    assert_eq!(ss_message_list_count(null()), 0);
    assert!(ss_message_list_at(null(), 0).is_null());
    assert_eq!(ss_event_list_count(null()), 0);
    assert!(ss_event_list_at(null(), 0).is_null());
    ss_safebox_info_free(null_mut());
    ss_participant_list_free(null_mut());
    ss_message_list_free(null_mut());
    ss_event_list_free(null_mut());
    ss_participant_free(null_mut());
    ss_client_free(anonymous);
    ss_client_free(bob);
    ss_client_free(client);
}

/// A contact edit with these fields set.
fn edit(email: Option<&str>, first: Option<&str>, last: Option<&str>) -> *mut ss_contact_edit {
    let mut e = null_mut();
    ok(ss_contact_edit_new(&mut e));
    if let Some(v) = email {
        ok(ss_contact_edit_set_email(e, c(v).as_ptr()));
    }
    if let Some(v) = first {
        ok(ss_contact_edit_set_first_name(e, c(v).as_ptr()));
    }
    if let Some(v) = last {
        ok(ss_contact_edit_set_last_name(e, c(v).as_ptr()));
    }
    e
}

/// Contact methods as (id, destination, type).
type Phones = Vec<(i64, String, String)>;

fn phones(count: usize, at: impl Fn(usize) -> *const ss_contact_method) -> Phones {
    (0..count)
        .map(|i| {
            let m = at(i);
            (
                ss_contact_method_id(m),
                s(ss_contact_method_destination(m)),
                s(ss_contact_method_type(m)),
            )
        })
        .collect()
}

fn participant_phones(p: *const ss_participant) -> Phones {
    phones(ss_participant_contact_method_count(p), |i| {
        ss_participant_contact_method_at(p, i)
    })
}

/// The participant of SafeBox `guid` with this id, read back from the server.
fn listed(
    client: *const ss_client,
    guid: &CString,
    id: &str,
) -> Option<(String, String, Phones, bool)> {
    let mut list = null_mut();
    ok(ss_get_safebox_participants(
        client,
        guid.as_ptr(),
        &mut list,
    ));
    let found = (0..ss_participant_list_count(list))
        .map(|i| ss_participant_list_at(list, i))
        .find(|p| s(ss_participant_id(*p)) == id)
        .map(|p| {
            (
                s(ss_participant_email(p)),
                s(ss_participant_last_name(p)),
                participant_phones(p),
                ss_participant_locked(p),
            )
        });
    ss_participant_list_free(list);
    found
}

#[test]
fn contact_edits_and_participants() {
    let emu = Emulator::demo();
    let (client, _) = login(&emu, USER, PASSWORD, false);
    let guid = create(client, "people", &[]);
    let g = c(&guid);

    // The builder: setters, NULL unsets, phone numbers checked.
    let e = edit(Some("new.guest@example.com"), Some("New"), Some("Guest"));
    ok(ss_contact_edit_set_company_name(e, c("Acme").as_ptr()));
    ok(ss_contact_edit_set_last_name(e, null()));
    ok(ss_contact_edit_add_contact_method(
        e,
        c("+15145550001").as_ptr(),
        2,
    ));
    ok(ss_contact_edit_add_contact_method(
        e,
        c("+15145550002").as_ptr(),
        0,
    ));
    fails(
        ss_contact_edit_add_contact_method(e, c("+15145550003").as_ptr(), 4),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    fails(
        ss_contact_edit_add_contact_method(e, c(" ").as_ptr(), 1),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    fails(
        ss_contact_edit_remove_contact_method(e, 0),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );

    let mut created = null_mut();
    ok(ss_create_participant(client, g.as_ptr(), e, &mut created));
    assert_eq!(s(ss_participant_type(created)), "guest");
    assert_eq!(s(ss_participant_email(created)), "new.guest@example.com");
    assert_eq!(s(ss_participant_first_name(created)), "New");
    assert_eq!(s(ss_participant_last_name(created)), "", "NULL unset it");
    assert_eq!(s(ss_participant_company_name(created)), "Acme");
    let created_phones = participant_phones(created);
    assert_eq!(
        created_phones
            .iter()
            .map(|(_, d, t)| (d.as_str(), t.as_str()))
            .collect::<Vec<_>>(),
        [
            ("+15145550001", "office_phone"),
            ("+15145550002", "home_phone")
        ]
    );
    let id = s(ss_participant_id(created));
    let pid = c(&id);
    ss_participant_free(created);
    let (email, _, listed_phones, locked) =
        listed(client, &g, &id).expect("the new guest is listed");
    assert_eq!(email, "new.guest@example.com");
    assert_eq!(listed_phones, created_phones);
    assert!(!locked);

    // The same e-mail again: the server's validation error.
    let mut again = null_mut();
    fails(
        ss_create_participant(client, g.as_ptr(), e, &mut again),
        SS_ERR_HTTP_STATUS,
        400,
    );
    assert!(
        last_body().contains("has already been taken"),
        "{}",
        last_body()
    );
    assert!(again.is_null());
    ss_contact_edit_free(e);

    // Update: only what is set changes.
    let change = edit(None, None, Some("Changed"));
    ok(ss_contact_edit_set_locked(change, true));
    let mut changed = null_mut();
    ok(ss_update_participant(
        client,
        g.as_ptr(),
        pid.as_ptr(),
        change,
        &mut changed,
    ));
    assert_eq!(s(ss_participant_last_name(changed)), "Changed");
    assert_eq!(s(ss_participant_first_name(changed)), "New");
    assert_eq!(s(ss_participant_company_name(changed)), "Acme");
    assert!(ss_participant_locked(changed));
    assert_eq!(participant_phones(changed).len(), 2);
    ss_participant_free(changed);
    let (_, last, _, locked) = listed(client, &g, &id).unwrap();
    assert_eq!((last.as_str(), locked), ("Changed", true));
    ok(ss_contact_edit_set_locked(change, false));
    ok(ss_update_participant(
        client,
        g.as_ptr(),
        pid.as_ptr(),
        change,
        &mut changed,
    ));
    assert!(!ss_participant_locked(changed));
    ss_participant_free(changed);

    // Removing phone numbers: by the delete call, then through an edit.
    let first_phone = created_phones[0].0;
    let mut trimmed = null_mut();
    ok(ss_delete_participant_contact_methods(
        client,
        g.as_ptr(),
        pid.as_ptr(),
        &first_phone,
        1,
        &mut trimmed,
    ));
    assert_eq!(participant_phones(trimmed), created_phones[1..]);
    ss_participant_free(trimmed);
    let (_, _, listed_phones, _) = listed(client, &g, &id).unwrap();
    assert_eq!(listed_phones, created_phones[1..]);
    let mut same = null_mut();
    ok(ss_delete_participant_contact_methods(
        client,
        g.as_ptr(),
        pid.as_ptr(),
        null(),
        0,
        &mut same,
    ));
    assert_eq!(participant_phones(same), created_phones[1..]);
    ss_participant_free(same);
    let remove = edit(None, None, None);
    ok(ss_contact_edit_remove_contact_method(
        remove,
        created_phones[1].0,
    ));
    ok(ss_contact_edit_add_contact_method(
        remove,
        c("+15145550009").as_ptr(),
        3,
    ));
    let mut swapped = null_mut();
    ok(ss_update_participant(
        client,
        g.as_ptr(),
        pid.as_ptr(),
        remove,
        &mut swapped,
    ));
    let now = participant_phones(swapped);
    assert_eq!(now.len(), 1);
    assert_eq!(
        (now[0].1.as_str(), now[0].2.as_str()),
        ("+15145550009", "other_phone")
    );
    ss_participant_free(swapped);
    ss_contact_edit_free(remove);

    // Refusals.
    let no_email = edit(None, Some("Nobody"), None);
    let mut p = null_mut();
    fails(
        ss_create_participant(client, g.as_ptr(), no_email, &mut p),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    assert_eq!(last_message(), "Participant email cannot be null");
    ss_contact_edit_free(no_email);
    let other = edit(Some("other.guest@example.com"), None, None);
    let unknown = c(UNKNOWN_GUID);
    let missing_participant = c("ffffffffffffffffffffffffffffffff");
    fails(
        ss_create_participant(client, unknown.as_ptr(), other, &mut p),
        SS_ERR_HTTP_STATUS,
        404,
    );
    fails(
        ss_update_participant(client, unknown.as_ptr(), pid.as_ptr(), change, &mut p),
        SS_ERR_HTTP_STATUS,
        404,
    );
    fails(
        ss_update_participant(
            client,
            g.as_ptr(),
            missing_participant.as_ptr(),
            change,
            &mut p,
        ),
        SS_ERR_HTTP_STATUS,
        404,
    );
    fails(
        ss_delete_participant_contact_methods(
            client,
            g.as_ptr(),
            missing_participant.as_ptr(),
            null(),
            0,
            &mut p,
        ),
        SS_ERR_HTTP_STATUS,
        404,
    );
    fails(
        ss_update_participant(client, g.as_ptr(), c(" ").as_ptr(), change, &mut p),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    let (bob, _) = login(&emu, "bob", "bob-password", true);
    fails(
        ss_create_participant(bob, g.as_ptr(), other, &mut p),
        SS_ERR_HTTP_STATUS,
        403,
    );
    fails(
        ss_update_participant(bob, g.as_ptr(), pid.as_ptr(), change, &mut p),
        SS_ERR_HTTP_STATUS,
        403,
    );
    fails(
        ss_delete_participant_contact_methods(bob, g.as_ptr(), pid.as_ptr(), null(), 0, &mut p),
        SS_ERR_HTTP_STATUS,
        403,
    );
    assert!(p.is_null());
    let mut list = null_mut();
    ok(ss_get_safebox_participants(client, g.as_ptr(), &mut list));
    assert_eq!(
        ss_participant_list_count(list),
        3,
        "owner, first guest, new guest: no other"
    );
    ss_participant_list_free(list);

    // NULL and invalid UTF-8 arguments.
    fails(ss_contact_edit_new(null_mut()), SS_ERR_NULL_ARGUMENT, 0);
    type Setter = extern "C" fn(*mut ss_contact_edit, *const c_char) -> ss_result;
    let setters: [Setter; 4] = [
        ss_contact_edit_set_email,
        ss_contact_edit_set_first_name,
        ss_contact_edit_set_last_name,
        ss_contact_edit_set_company_name,
    ];
    for set in setters {
        fails(set(null_mut(), c("x").as_ptr()), SS_ERR_NULL_ARGUMENT, 0);
        fails(set(other, bad()), SS_ERR_INVALID_UTF8, 0);
        ok(set(other, null()));
    }
    fails(
        ss_contact_edit_set_locked(null_mut(), true),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_contact_edit_set_order_number(null_mut(), 1),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_contact_edit_add_contact_method(null_mut(), c("+1").as_ptr(), 0),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_contact_edit_add_contact_method(other, null(), 0),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_contact_edit_add_contact_method(other, bad(), 0),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_contact_edit_remove_contact_method(null_mut(), 1),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_participant(null(), g.as_ptr(), change, &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_participant(client, null(), change, &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_participant(client, g.as_ptr(), null(), &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_participant(client, g.as_ptr(), change, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_participant(client, bad(), change, &mut p),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_update_participant(null(), g.as_ptr(), pid.as_ptr(), change, &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_participant(client, null(), pid.as_ptr(), change, &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_participant(client, g.as_ptr(), null(), change, &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_participant(client, g.as_ptr(), pid.as_ptr(), null(), &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_participant(client, g.as_ptr(), pid.as_ptr(), change, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_participant(client, bad(), pid.as_ptr(), change, &mut p),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_update_participant(client, g.as_ptr(), bad(), change, &mut p),
        SS_ERR_INVALID_UTF8,
        0,
    );
    let ids = [1i64];
    fails(
        ss_delete_participant_contact_methods(
            null(),
            g.as_ptr(),
            pid.as_ptr(),
            ids.as_ptr(),
            1,
            &mut p,
        ),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_delete_participant_contact_methods(
            client,
            null(),
            pid.as_ptr(),
            ids.as_ptr(),
            1,
            &mut p,
        ),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_delete_participant_contact_methods(client, g.as_ptr(), null(), ids.as_ptr(), 1, &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_delete_participant_contact_methods(client, g.as_ptr(), pid.as_ptr(), null(), 1, &mut p),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_delete_participant_contact_methods(
            client,
            g.as_ptr(),
            pid.as_ptr(),
            ids.as_ptr(),
            1,
            null_mut(),
        ),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_delete_participant_contact_methods(client, bad(), pid.as_ptr(), ids.as_ptr(), 1, &mut p),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_delete_participant_contact_methods(client, g.as_ptr(), bad(), ids.as_ptr(), 1, &mut p),
        SS_ERR_INVALID_UTF8,
        0,
    );
    assert!(p.is_null());
    assert_eq!(ss_contact_method_id(null()), 0);
    ss_contact_edit_free(null_mut());
    ss_contact_edit_free(other);
    ss_contact_edit_free(change);
    ss_client_free(bob);
    ss_client_free(client);
}

fn favorite_emails(client: *const ss_client) -> Vec<String> {
    let mut list = null_mut();
    ok(ss_get_favorites(client, &mut list));
    let emails = (0..ss_favorite_list_count(list))
        .map(|i| s(ss_favorite_email(ss_favorite_list_at(list, i))))
        .collect();
    assert!(ss_favorite_list_at(list, ss_favorite_list_count(list)).is_null());
    ss_favorite_list_free(list);
    emails
}

fn favorite_phones(f: *const ss_favorite) -> Phones {
    phones(ss_favorite_contact_method_count(f), |i| {
        ss_favorite_contact_method_at(f, i)
    })
}

#[test]
fn favorites_search_and_consent() {
    let emu = Emulator::demo();
    let (client, _) = login(&emu, USER, PASSWORD, true);
    let before = favorite_emails(client);
    assert_eq!(before.len(), 1, "the demo user starts with one favorite");

    // Create, read back, update, remove a phone, delete.
    let e = edit(Some("zed.zulu@example.com"), Some("Zed"), None);
    ok(ss_contact_edit_set_company_name(e, c("Zulu").as_ptr()));
    ok(ss_contact_edit_set_order_number(e, 7));
    ok(ss_contact_edit_add_contact_method(
        e,
        c("514-555-0001").as_ptr(),
        1,
    ));
    let mut favorite = null_mut();
    ok(ss_create_favorite(client, e, &mut favorite));
    let id = ss_favorite_id(favorite);
    assert!(id > 0);
    assert_eq!(s(ss_favorite_email(favorite)), "zed.zulu@example.com");
    assert_eq!(s(ss_favorite_first_name(favorite)), "Zed");
    assert_eq!(s(ss_favorite_last_name(favorite)), "");
    assert_eq!(s(ss_favorite_company_name(favorite)), "Zulu");
    assert_eq!(ss_favorite_order_number(favorite), 7);
    let created_phones = favorite_phones(favorite);
    assert_eq!(created_phones.len(), 1);
    assert_eq!(
        (created_phones[0].1.as_str(), created_phones[0].2.as_str()),
        ("514-555-0001", "cell_phone")
    );
    assert!(ss_favorite_contact_method_at(favorite, 1).is_null());
    assert_eq!(json(&s(ss_favorite_to_json(favorite)))["id"], id);
    ss_favorite_free(favorite);

    let mut list = null_mut();
    ok(ss_get_favorites(client, &mut list));
    assert_eq!(ss_favorite_list_count(list), 2);
    let listed = (0..2)
        .map(|i| ss_favorite_list_at(list, i))
        .find(|f| ss_favorite_id(*f) == id)
        .expect("the new favorite is listed");
    assert_eq!(s(ss_favorite_company_name(listed)), "Zulu");
    assert_eq!(favorite_phones(listed), created_phones);
    ss_favorite_list_free(list);

    let rename = edit(None, None, Some("Zulu"));
    ok(ss_contact_edit_set_order_number(rename, 3));
    let mut renamed = null_mut();
    ok(ss_update_favorite(client, id, rename, &mut renamed));
    assert_eq!(s(ss_favorite_last_name(renamed)), "Zulu");
    assert_eq!(s(ss_favorite_first_name(renamed)), "Zed");
    assert_eq!(ss_favorite_order_number(renamed), 3);
    assert_eq!(favorite_phones(renamed), created_phones);
    ss_favorite_free(renamed);

    let mut phoneless = null_mut();
    ok(ss_delete_favorite_contact_methods(
        client,
        id,
        &created_phones[0].0,
        1,
        &mut phoneless,
    ));
    assert_eq!(ss_favorite_contact_method_count(phoneless), 0);
    ss_favorite_free(phoneless);
    let mut same = null_mut();
    ok(ss_delete_favorite_contact_methods(
        client,
        id,
        null(),
        0,
        &mut same,
    ));
    assert_eq!(ss_favorite_id(same), id);
    ss_favorite_free(same);

    // Search: the favorite, and a user of the enterprise.
    let mut matches = null_mut();
    ok(ss_search_recipient(
        client,
        c("zulu").as_ptr(),
        &mut matches,
    ));
    let found = (0..ss_recipient_match_list_count(matches))
        .map(|i| ss_recipient_match_list_at(matches, i))
        .find(|m| s(ss_recipient_match_type(*m)) == "favorite")
        .expect("the favorite is found");
    assert_eq!(ss_recipient_match_id(found), id);
    assert_eq!(s(ss_recipient_match_email(found)), "zed.zulu@example.com");
    assert_eq!(s(ss_recipient_match_first_name(found)), "Zed");
    assert_eq!(s(ss_recipient_match_last_name(found)), "Zulu");
    assert_eq!(s(ss_recipient_match_company_name(found)), "Zulu");
    assert!(ss_recipient_match_list_at(matches, ss_recipient_match_list_count(matches)).is_null());
    ss_recipient_match_list_free(matches);
    let mut users = null_mut();
    ok(ss_search_recipient(client, c("bob").as_ptr(), &mut users));
    assert!((0..ss_recipient_match_list_count(users))
        .map(|i| ss_recipient_match_list_at(users, i))
        .any(|m| s(ss_recipient_match_type(m)) == "user"
            && s(ss_recipient_match_email(m)) == "bob@acme.example"
            && ss_recipient_match_id(m) > 0));
    ss_recipient_match_list_free(users);

    ok(ss_delete_favorite(client, id));
    assert_eq!(favorite_emails(client), before);
    fails(ss_delete_favorite(client, id), SS_ERR_HTTP_STATUS, 404);
    let mut f = null_mut();
    fails(
        ss_update_favorite(client, id, rename, &mut f),
        SS_ERR_HTTP_STATUS,
        404,
    );
    fails(
        ss_delete_favorite_contact_methods(client, id, null(), 0, &mut f),
        SS_ERR_HTTP_STATUS,
        404,
    );

    // Consent groups.
    let mut group = null_mut();
    ok(ss_get_consent_group_messages(client, 1, &mut group));
    assert_eq!(ss_consent_group_id(group), 1);
    assert_eq!(s(ss_consent_group_name(group)), "Default");
    let count = ss_consent_group_message_count(group);
    let locales: Vec<String> = (0..count)
        .map(|i| s(ss_consent_group_message_locale_at(group, i)))
        .collect();
    assert!(locales.iter().any(|l| l == "fr"), "{locales:?}");
    for i in 0..count {
        assert!(!s(ss_consent_group_message_text_at(group, i)).is_empty());
    }
    assert!(ss_consent_group_message_locale_at(group, count).is_null());
    assert!(ss_consent_group_message_text_at(group, count).is_null());
    ss_consent_group_free(group);
    let mut missing = null_mut();
    fails(
        ss_get_consent_group_messages(client, 99, &mut missing),
        SS_ERR_HTTP_STATUS,
        404,
    );
    assert!(missing.is_null());

    // Refusals before sending: no e-mail, bad ids, blank term, no user id.
    let no_email = edit(None, Some("Nobody"), None);
    fails(
        ss_create_favorite(client, no_email, &mut f),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    assert_eq!(last_message(), "Favorite email cannot be null");
    fails(
        ss_update_favorite(client, 0, rename, &mut f),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    fails(
        ss_delete_favorite_contact_methods(client, -1, null(), 0, &mut f),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    fails(ss_delete_favorite(client, 0), SS_ERR_INVALID_ARGUMENT, 0);
    let mut matches = null_mut();
    fails(
        ss_search_recipient(client, c(" ").as_ptr(), &mut matches),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    assert!(matches.is_null());
    let (anonymous, _) = login(&emu, USER, PASSWORD, false);
    let mut list = null_mut();
    fails(
        ss_get_favorites(anonymous, &mut list),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    assert!(list.is_null());
    fails(
        ss_create_favorite(anonymous, e, &mut f),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    fails(
        ss_update_favorite(anonymous, 1, rename, &mut f),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    fails(
        ss_delete_favorite_contact_methods(anonymous, 1, null(), 0, &mut f),
        SS_ERR_INVALID_ARGUMENT,
        0,
    );
    fails(ss_delete_favorite(anonymous, 1), SS_ERR_INVALID_ARGUMENT, 0);
    assert!(f.is_null());
    assert_eq!(favorite_emails(client), before, "nothing was changed");

    // NULL and invalid UTF-8 arguments.
    fails(ss_get_favorites(null(), &mut list), SS_ERR_NULL_ARGUMENT, 0);
    fails(
        ss_get_favorites(client, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_favorite(null(), e, &mut f),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_favorite(client, null(), &mut f),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_create_favorite(client, e, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_favorite(null(), 1, rename, &mut f),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_favorite(client, 1, null(), &mut f),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_update_favorite(client, 1, rename, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    let ids = [1i64];
    fails(
        ss_delete_favorite_contact_methods(null(), 1, ids.as_ptr(), 1, &mut f),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_delete_favorite_contact_methods(client, 1, null(), 1, &mut f),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_delete_favorite_contact_methods(client, 1, ids.as_ptr(), 1, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(ss_delete_favorite(null(), 1), SS_ERR_NULL_ARGUMENT, 0);
    fails(
        ss_search_recipient(null(), c("bob").as_ptr(), &mut matches),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_search_recipient(client, null(), &mut matches),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_search_recipient(client, c("bob").as_ptr(), null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_search_recipient(client, bad(), &mut matches),
        SS_ERR_INVALID_UTF8,
        0,
    );
    fails(
        ss_get_consent_group_messages(null(), 1, &mut group),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    fails(
        ss_get_consent_group_messages(client, 1, null_mut()),
        SS_ERR_NULL_ARGUMENT,
        0,
    );
    assert!(f.is_null() && list.is_null() && matches.is_null());

    // Accessors on NULL.
    for p in [
        ss_favorite_email(null()),
        ss_favorite_first_name(null()),
        ss_favorite_last_name(null()),
        ss_favorite_company_name(null()),
        ss_favorite_to_json(null()),
        ss_recipient_match_type(null()),
        ss_recipient_match_email(null()),
        ss_recipient_match_first_name(null()),
        ss_recipient_match_last_name(null()),
        ss_recipient_match_company_name(null()),
        ss_consent_group_name(null()),
        ss_consent_group_message_locale_at(null(), 0),
        ss_consent_group_message_text_at(null(), 0),
    ] {
        assert!(p.is_null());
    }
    assert_eq!(ss_favorite_id(null()), 0);
    assert_eq!(ss_favorite_order_number(null()), 0);
    assert_eq!(ss_favorite_contact_method_count(null()), 0);
    assert!(ss_favorite_contact_method_at(null(), 0).is_null());
    assert_eq!(ss_favorite_list_count(null()), 0);
    assert!(ss_favorite_list_at(null(), 0).is_null());
    assert_eq!(ss_recipient_match_id(null()), 0);
    assert_eq!(ss_recipient_match_list_count(null()), 0);
    assert!(ss_recipient_match_list_at(null(), 0).is_null());
    assert_eq!(ss_consent_group_id(null()), 0);
    assert_eq!(ss_consent_group_message_count(null()), 0);
    ss_favorite_free(null_mut());
    ss_favorite_list_free(null_mut());
    ss_recipient_match_list_free(null_mut());
    ss_consent_group_free(null_mut());
    for e in [e, rename, no_email] {
        ss_contact_edit_free(e);
    }
    ss_client_free(anonymous);
    ss_client_free(client);
}

/// A server text with a NUL would reach C cut at the NUL (`forbid\u0000allow` read as
/// `forbid`): the call fails with `SS_ERR_DECODE` naming the field, and gives no settings.
#[test]
fn a_nul_in_a_server_text_is_refused_not_cut() {
    let emu = Emulator::demo();
    let (client, _) = login(&emu, USER, PASSWORD, false);
    let answer = emu.control_blocking(
        "POST",
        "faults",
        Some(serde_json::json!({"kind": "respond", "method": "GET",
            "path": format!("/api/v2/enterprises/{ACCOUNT}/settings"), "status": 200,
            "body": {"extension_filter": {"mode": "forbid\u{0}allow", "list": ["exe"]}}})),
    );
    assert_eq!(answer["result"], true, "{answer}");
    let mut settings = null_mut();
    let rc = ss_get_enterprise_settings(client, &mut settings);
    let mode =
        (!settings.is_null()).then(|| s(ss_enterprise_settings_extension_filter_mode(settings)));
    assert_eq!(
        rc,
        SS_ERR_DECODE,
        "{} (mode read as {mode:?})",
        last_message()
    );
    assert!(settings.is_null());
    let message = last_message();
    assert!(
        message.contains("`extension_filter.mode` of the answer contains a NUL character"),
        "{message}"
    );
    ok(ss_get_enterprise_settings(client, &mut settings));
    assert_eq!(
        s(ss_enterprise_settings_extension_filter_mode(settings)),
        "forbid"
    );
    ss_enterprise_settings_free(settings);
    ss_client_free(client);
}
