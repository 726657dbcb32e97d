//! What an existing SafeBox is made of, read from C: participants and their contact methods,
//! messages and their documents, events; the lists of them (`ss_get_safebox_participants`,
//! `ss_get_safebox_messages`, `ss_get_safebox_event_history`).
//!
//! Every item is immutable once made: its strings are stored in it as C strings, so accessors
//! hand out borrowed pointers that live as long as the item (or the list or SafeBox info that
//! owns it).

use super::client::ss_client;
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::ss_result;
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, out, text};
use crate::ffi::ownership::{free_owned, Owned, Ownership};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, JsonText};
use crate::sendsecure::model::{Document, Event, Message, Participant, SavedContactMethod};
use std::ffi::{c_char, CString};

/// A stored phone number of a participant or a favorite. Borrowed from its owner: never free
/// it. Immutable: may be read from any thread.
pub struct ss_contact_method {
    id: i64,
    destination: CString,
    kind: CString,
}

impl From<&SavedContactMethod> for ss_contact_method {
    fn from(c: &SavedContactMethod) -> Self {
        ss_contact_method {
            id: c.id,
            destination: c_string(&c.destination),
            kind: c_string(&c.destination_type),
        }
    }
}

/// A contact method's id (for `ss_contact_edit_remove_contact_method` and the
/// `ss_delete_*_contact_methods` calls). NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_contact_method_id(method: *const ss_contact_method) -> i64 {
    value(method, 0, |m| m.id)
}

/// A contact method's phone number, as stored. Borrowed: valid as long as the participant or
/// favorite that owns the contact method; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_contact_method_destination(method: *const ss_contact_method) -> *const c_char {
    borrowed(method, |m| Some(&m.destination))
}

/// A contact method's kind, as the server names it: "home_phone", "cell_phone",
/// "office_phone" or "other_phone". Borrowed: valid as long as the participant or favorite that
/// owns the contact method; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_contact_method_type(method: *const ss_contact_method) -> *const c_char {
    borrowed(method, |m| Some(&m.kind))
}

/// A participant of a SafeBox: a guest, or the owner. Immutable: may be read from any thread.
///
/// Ownership, one rule for every function: a participant is caller-owned only when
/// `ss_create_participant`, `ss_update_participant` or `ss_delete_participant_contact_methods`
/// returns it; the caller frees it with `ss_participant_free`. Every other one
/// (`ss_participant_list_at`, `ss_safebox_info_participant_at`) is borrowed: valid as long as the
/// list or SafeBox info it came from, readable with every `ss_participant_*` getter, never freed
/// alone; `ss_participant_free` refuses it (frees nothing, records `SS_ERR_INVALID_ARGUMENT` as
/// the last error).
pub struct ss_participant {
    ownership: Ownership,
    id: CString,
    email: CString,
    first_name: CString,
    last_name: CString,
    kind: CString,
    role: CString,
    company_name: CString,
    locked: bool,
    privileged: bool,
    message_read_count: i64,
    message_total_count: i64,
    contact_methods: Vec<ss_contact_method>,
    json: JsonText,
}

impl ss_participant {
    /// A participant returned alone, which the caller frees.
    pub(super) fn caller_owned(p: Participant) -> Self {
        ss_participant {
            ownership: Ownership::CallerOwned,
            ..p.into()
        }
    }
}

impl Owned for ss_participant {
    fn ownership(&self) -> Ownership {
        self.ownership
    }
}

/// An item of a list or a SafeBox info: borrowed from it.
impl From<Participant> for ss_participant {
    fn from(p: Participant) -> Self {
        ss_participant {
            ownership: Ownership::Borrowed,
            id: c_string(&p.id),
            email: c_string(&p.email),
            first_name: c_string(&p.first_name),
            last_name: c_string(&p.last_name),
            kind: c_string(&p.kind),
            role: c_string(&p.role),
            company_name: c_string(&p.company_name),
            locked: p.locked,
            privileged: p.privileged,
            message_read_count: p.message_read_count,
            message_total_count: p.message_total_count,
            contact_methods: p.contact_methods.iter().map(Into::into).collect(),
            json: JsonText::new(p.raw),
        }
    }
}

/// A participant's id: 32 hexadecimal digits for a guest, the user's id (in decimal) for the
/// owner. This is the `participant_id` of `ss_update_participant`. Borrowed: valid as long as
/// the participant; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_id(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(&p.id))
}

/// A participant's e-mail address. Borrowed: valid as long as the participant; never free it.
/// NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_email(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(&p.email))
}

/// A participant's first name ("" when none). Borrowed: valid as long as the participant;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_first_name(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(&p.first_name))
}

/// A participant's last name ("" when none). Borrowed: valid as long as the participant; never
/// free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_last_name(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(&p.last_name))
}

/// What a participant is: "guest" or "user". Borrowed: valid as long as the participant; never
/// free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_type(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(&p.kind))
}

/// A participant's role in the SafeBox: "guest" or "owner". Borrowed: valid as long as the
/// participant; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_role(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(&p.role))
}

/// A guest's company name ("" when none, and for the owner). Borrowed: valid as long as the
/// participant; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_company_name(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(&p.company_name))
}

/// Whether a guest is locked out of the SafeBox. NULL gives false. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_locked(participant: *const ss_participant) -> bool {
    value(participant, false, |p| p.locked)
}

/// Whether a participant is privileged. NULL gives false. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_privileged(participant: *const ss_participant) -> bool {
    value(participant, false, |p| p.privileged)
}

/// How many of the SafeBox's messages the participant has read. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_message_read_count(participant: *const ss_participant) -> i64 {
    value(participant, 0, |p| p.message_read_count)
}

/// How many messages the participant can read. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_message_total_count(participant: *const ss_participant) -> i64 {
    value(participant, 0, |p| p.message_total_count)
}

/// The number of a guest's contact methods (phone numbers; 0 for the owner). NULL gives 0.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_contact_method_count(participant: *const ss_participant) -> usize {
    value(participant, 0, |p| p.contact_methods.len())
}

/// The contact method at `index`, or NULL when out of range (or `participant` is NULL).
/// Borrowed: valid as long as the participant; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_contact_method_at(
    participant: *const ss_participant,
    index: usize,
) -> *const ss_contact_method {
    item_at(participant, index, |p| &p.contact_methods)
}

/// A participant as the server sent it (JSON). Borrowed: valid as long as the participant;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_to_json(participant: *const ss_participant) -> *const c_char {
    borrowed(participant, |p| Some(p.json.get()))
}

/// Frees a participant returned alone by `ss_create_participant`, `ss_update_participant` or
/// `ss_delete_participant_contact_methods`.
///
/// One borrowed from a list or a SafeBox info (`ss_participant_list_at`,
/// `ss_safebox_info_participant_at`) is refused: nothing is freed and the last error is
/// `SS_ERR_INVALID_ARGUMENT`. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_participant_free(participant: *mut ss_participant) {
    guard(|| free_owned(participant, "participant"))
}

/// A document of a message. Borrowed from its message: never free it. Immutable: may be read
/// from any thread.
pub struct ss_document {
    id: CString,
    name: CString,
    sha: CString,
    size: u64,
    url: CString,
}

impl From<&Document> for ss_document {
    fn from(d: &Document) -> Self {
        ss_document {
            id: c_string(&d.id),
            name: c_string(&d.name),
            sha: c_string(&d.sha),
            size: d.size,
            url: c_string(&d.url),
        }
    }
}

/// A document's id (for `ss_get_document_url` and `ss_download_document`). Borrowed: valid as
/// long as the message that owns the document; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_document_id(document: *const ss_document) -> *const c_char {
    borrowed(document, |d| Some(&d.id))
}

/// A document's file name. Borrowed: valid as long as the message that owns the document;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_document_name(document: *const ss_document) -> *const c_char {
    borrowed(document, |d| Some(&d.name))
}

/// A document's SHA-256, in hexadecimal. Borrowed: valid as long as the message that owns the
/// document; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_document_sha(document: *const ss_document) -> *const c_char {
    borrowed(document, |d| Some(&d.sha))
}

/// A document's size in bytes. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_document_size(document: *const ss_document) -> u64 {
    value(document, 0, |d| d.size)
}

/// A document's URL in the web application ("" when the server gave none). Borrowed: valid as
/// long as the message that owns the document; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_document_url(document: *const ss_document) -> *const c_char {
    borrowed(document, |d| Some(&d.url))
}

/// A message of a SafeBox. Borrowed from the list or SafeBox info it came from: never free it.
/// Immutable: may be read from any thread.
pub struct ss_message {
    id: i64,
    note: CString,
    read: bool,
    author_id: CString,
    author_type: CString,
    created_at: CString,
    documents: Vec<ss_document>,
    json: JsonText,
}

impl From<Message> for ss_message {
    fn from(m: Message) -> Self {
        ss_message {
            id: m.id,
            note: c_string(&m.note),
            read: m.read,
            author_id: c_string(&m.author_id),
            author_type: c_string(&m.author_type),
            created_at: c_string(&m.created_at),
            documents: m.documents.iter().map(Into::into).collect(),
            json: JsonText::new(m.raw),
        }
    }
}

/// A message's id (for `ss_mark_message_read`). NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_id(message: *const ss_message) -> i64 {
    value(message, 0, |m| m.id)
}

/// A message's text ("" when it has none). Borrowed: valid as long as the message; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_note(message: *const ss_message) -> *const c_char {
    borrowed(message, |m| Some(&m.note))
}

/// Whether the caller has read the message. NULL gives false. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_read(message: *const ss_message) -> bool {
    value(message, false, |m| m.read)
}

/// The id of the message's author (a participant id: see `ss_participant_id`). Borrowed: valid
/// as long as the message; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_author_id(message: *const ss_message) -> *const c_char {
    borrowed(message, |m| Some(&m.author_id))
}

/// What the message's author is: "guest" or "user". Borrowed: valid as long as the message;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_author_type(message: *const ss_message) -> *const c_char {
    borrowed(message, |m| Some(&m.author_type))
}

/// When the message was sent (ISO 8601). Borrowed: valid as long as the message; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_created_at(message: *const ss_message) -> *const c_char {
    borrowed(message, |m| Some(&m.created_at))
}

/// The number of documents attached to the message. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_document_count(message: *const ss_message) -> usize {
    value(message, 0, |m| m.documents.len())
}

/// The document at `index`, or NULL when out of range (or `message` is NULL). Borrowed: valid
/// as long as the message; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_document_at(
    message: *const ss_message,
    index: usize,
) -> *const ss_document {
    item_at(message, index, |m| &m.documents)
}

/// A message as the server sent it (JSON). Borrowed: valid as long as the message; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_to_json(message: *const ss_message) -> *const c_char {
    borrowed(message, |m| Some(m.json.get()))
}

/// An entry of a SafeBox's event history. Borrowed from the list or SafeBox info it came from:
/// never free it. Immutable: may be read from any thread.
pub struct ss_event {
    kind: CString,
    date: CString,
    message: CString,
    metadata: JsonText,
}

impl From<Event> for ss_event {
    fn from(e: Event) -> Self {
        ss_event {
            kind: c_string(&e.kind),
            date: c_string(&e.date),
            message: c_string(&e.message),
            metadata: JsonText::new(e.metadata),
        }
    }
}

/// What happened, e.g. "safebox_created_owner". Borrowed: valid as long as the event; never
/// free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_event_type(event: *const ss_event) -> *const c_char {
    borrowed(event, |e| Some(&e.kind))
}

/// When it happened (ISO 8601). Borrowed: valid as long as the event; never free it. NULL
/// gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_event_date(event: *const ss_event) -> *const c_char {
    borrowed(event, |e| Some(&e.date))
}

/// The event as a sentence, in the client's locale. Borrowed: valid as long as the event;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_event_message(event: *const ss_event) -> *const c_char {
    borrowed(event, |e| Some(&e.message))
}

/// The event's details as the server sent them (JSON; "null" when it sent none). Borrowed:
/// valid as long as the event; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_event_metadata_json(event: *const ss_event) -> *const c_char {
    borrowed(event, |e| Some(e.metadata.get()))
}

/// The participants of a SafeBox. Caller-owned (`ss_participant_list_free`); immutable, readable
/// from any thread.
pub struct ss_participant_list {
    items: Vec<ss_participant>,
}

/// Reads the participants of a SafeBox: its guests and its owner.
///
/// `client` is borrowed; `guid` is borrowed for the call. `out_list` receives the list (caller
/// owns; `ss_participant_list_free`), written only on success. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (403 for a SafeBox of someone else, 404 for an unknown one);
/// `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe (one `ss_client`
/// may be shared).
#[no_mangle]
pub extern "C" fn ss_get_safebox_participants(
    client: *const ss_client,
    guid: *const c_char,
    out_list: *mut *mut ss_participant_list,
) -> ss_result {
    call(|| {
        let out_list = out(out_list, "out_list")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let participants = ss.run(&Callbacks::default(), |_| {
            client.get_safebox_participants(guid)
        })?;
        give(
            out_list,
            ss_participant_list {
                items: participants.into_iter().map(Into::into).collect(),
            },
        );
        Ok(())
    })
}

/// The number of participants in a list. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_list_count(list: *const ss_participant_list) -> usize {
    value(list, 0, |l| l.items.len())
}

/// The participant at `index`, or NULL when out of range (or `list` is NULL). Borrowed: valid
/// until the list is freed; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_participant_list_at(
    list: *const ss_participant_list,
    index: usize,
) -> *const ss_participant {
    item_at(list, index, |l| &l.items)
}

/// Frees a participant list and the participants in it. NULL is a no-op; must not be called
/// twice.
#[no_mangle]
pub extern "C" fn ss_participant_list_free(list: *mut ss_participant_list) {
    guard(|| free(list))
}

/// The messages of a SafeBox. Caller-owned (`ss_message_list_free`); immutable, readable from
/// any thread.
pub struct ss_message_list {
    items: Vec<ss_message>,
}

/// Reads the messages of a SafeBox, oldest first, with their documents.
///
/// `client` is borrowed; `guid` is borrowed for the call. `out_list` receives the list (caller
/// owns; `ss_message_list_free`), written only on success. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (403, 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`.
/// Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_safebox_messages(
    client: *const ss_client,
    guid: *const c_char,
    out_list: *mut *mut ss_message_list,
) -> ss_result {
    call(|| {
        let out_list = out(out_list, "out_list")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let messages = ss.run(&Callbacks::default(), |_| client.get_safebox_messages(guid))?;
        give(
            out_list,
            ss_message_list {
                items: messages.into_iter().map(Into::into).collect(),
            },
        );
        Ok(())
    })
}

/// The number of messages in a list. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_list_count(list: *const ss_message_list) -> usize {
    value(list, 0, |l| l.items.len())
}

/// The message at `index`, or NULL when out of range (or `list` is NULL). Borrowed: valid until
/// the list is freed; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_message_list_at(
    list: *const ss_message_list,
    index: usize,
) -> *const ss_message {
    item_at(list, index, |l| &l.items)
}

/// Frees a message list and the messages in it. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_message_list_free(list: *mut ss_message_list) {
    guard(|| free(list))
}

/// The event history of a SafeBox. Caller-owned (`ss_event_list_free`); immutable, readable from
/// any thread.
pub struct ss_event_list {
    items: Vec<ss_event>,
}

/// Reads the event history of a SafeBox, oldest first.
///
/// `client` is borrowed; `guid` is borrowed for the call. `out_list` receives the list (caller
/// owns; `ss_event_list_free`), written only on success. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (403, 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`.
/// Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_safebox_event_history(
    client: *const ss_client,
    guid: *const c_char,
    out_list: *mut *mut ss_event_list,
) -> ss_result {
    call(|| {
        let out_list = out(out_list, "out_list")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let events = ss.run(&Callbacks::default(), |_| {
            client.get_safebox_event_history(guid)
        })?;
        give(
            out_list,
            ss_event_list {
                items: events.into_iter().map(Into::into).collect(),
            },
        );
        Ok(())
    })
}

/// The number of events in a list. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_event_list_count(list: *const ss_event_list) -> usize {
    value(list, 0, |l| l.items.len())
}

/// The event at `index`, or NULL when out of range (or `list` is NULL). Borrowed: valid until
/// the list is freed; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_event_list_at(list: *const ss_event_list, index: usize) -> *const ss_event {
    item_at(list, index, |l| &l.items)
}

/// Frees an event list and the events in it. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_event_list_free(list: *mut ss_event_list) {
    guard(|| free(list))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::last_error::ss_last_error_code;
    use serde_json::json;

    fn participant() -> Participant {
        Participant::from_json(json!({"id": "a1", "email": "g@example.com"})).unwrap()
    }

    #[test]
    fn a_borrowed_participant_is_not_freed_alone() {
        let list = Box::into_raw(Box::new(ss_participant_list {
            items: vec![participant().into()],
        }));
        let item = ss_participant_list_at(list, 0) as *mut ss_participant;
        ss_participant_free(item);
        assert_eq!(ss_last_error_code(), ss_result::SS_ERR_INVALID_ARGUMENT);
        // Still readable: its list holds it.
        assert!(!ss_participant_email(item).is_null());
        ss_participant_list_free(list);
    }

    #[test]
    fn a_caller_owned_participant_is_freed() {
        let mut p = std::ptr::null_mut();
        crate::ffi::input::give(&mut p, ss_participant::caller_owned(participant()));
        crate::ffi::error::clear_last_error();
        ss_participant_free(p);
        assert_eq!(ss_last_error_code(), ss_result::SS_OK);
    }
}
