//! Existing SafeBoxes from C: the list in pages (`ss_get_safeboxes`, `ss_safebox_iter`), one
//! SafeBox's details with the sections asked for (`ss_get_safebox_info`), and the parts the
//! server sends as free-form JSON (security options, download activity, user settings).

use super::client::ss_client;
use super::safebox_items::{ss_event, ss_message, ss_participant};
use crate::ffi::boundary::{call, guard};
use crate::ffi::error::{ss_result, FfiError};
use crate::ffi::getters::{borrowed, item_at, value};
use crate::ffi::input::{free, give, handle, handle_mut, invalid, opt_text, out, text};
use crate::ffi::runtime::Callbacks;
use crate::ffi::strings::{c_string, give_string, JsonText};
use crate::sendsecure::model::{SafeboxFilter, SafeboxInfo, SafeboxPage, Section};
use crate::{Client, SafeboxPages};
use std::ffi::{c_char, CString};

/// An existing SafeBox: an item of the SafeBox list, or the details from `ss_get_safebox_info`
/// with the sections asked for. Either borrowed from the page or iterator it came from (never
/// free it), or caller-owned from `ss_get_safebox_info` (`ss_safebox_info_free`). Immutable:
/// may be read from any thread.
pub struct ss_safebox_info {
    guid: CString,
    status: CString,
    subject: Option<CString>,
    user_id: i64,
    security_profile_name: CString,
    unread_count: i64,
    expiration: CString,
    created_at: CString,
    updated_at: CString,
    latest_activity: CString,
    closed_at: Option<CString>,
    content_deleted_at: Option<CString>,
    participants: Vec<ss_participant>,
    messages: Vec<ss_message>,
    events: Vec<ss_event>,
    security_options: Option<JsonText>,
    download_activity: Option<JsonText>,
    json: JsonText,
}

impl From<SafeboxInfo> for ss_safebox_info {
    fn from(s: SafeboxInfo) -> Self {
        ss_safebox_info {
            guid: c_string(&s.guid),
            status: c_string(&s.status),
            subject: s.subject.as_deref().map(c_string),
            user_id: s.user_id,
            security_profile_name: c_string(&s.security_profile_name),
            unread_count: s.unread_count,
            expiration: c_string(&s.expiration),
            created_at: c_string(&s.created_at),
            updated_at: c_string(&s.updated_at),
            latest_activity: c_string(&s.latest_activity),
            closed_at: s.closed_at.as_deref().map(c_string),
            content_deleted_at: s.content_deleted_at.as_deref().map(c_string),
            participants: s.participants.into_iter().map(Into::into).collect(),
            messages: s.messages.into_iter().map(Into::into).collect(),
            events: s.event_history.into_iter().map(Into::into).collect(),
            security_options: s.security_options.map(JsonText::new),
            download_activity: s.download_activity.map(JsonText::new),
            json: JsonText::new(s.raw),
        }
    }
}

/// Reads the `sections` argument: NULL is every section.
fn sections(list: Option<&str>) -> Result<Vec<Section>, FfiError> {
    let Some(list) = list else {
        return Ok(vec![]);
    };
    let mut chosen = vec![];
    for name in list.split(',').map(str::trim) {
        let section = Section::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| {
                invalid(format!(
                    "unknown section `{name}`: use participants, messages, security_options, \
                     download_activity or event_history (NULL for all)"
                ))
            })?;
        if !chosen.contains(&section) {
            chosen.push(section);
        }
    }
    Ok(chosen)
}

/// Reads the filter arguments of the SafeBox list.
fn filter(
    status: *const c_char,
    search: *const c_char,
    per_page: u32,
    page: u32,
) -> Result<SafeboxFilter, FfiError> {
    if per_page > 1000 {
        return Err(invalid(format!(
            "per_page must be between 1 and 1000 (0 for the server's default), not {per_page}"
        )));
    }
    Ok(SafeboxFilter {
        status: opt_text(status, "status")?.map(str::to_string),
        search: opt_text(search, "search")?.map(str::to_string),
        per_page: (per_page > 0).then_some(per_page),
        page: (page > 0).then_some(page),
    })
}

/// Reads one SafeBox with the sections asked for.
///
/// - `client`: borrowed. `guid`: the SafeBox's GUID, borrowed for the call.
/// - `sections`: NULL for every section, or a comma-separated list (borrowed for the call) of
///   "participants", "messages", "security_options", "download_activity", "event_history";
///   the sections not asked for read as empty (counts 0, JSON NULL).
/// - `out_info`: receives the SafeBox (caller owns; `ss_safebox_info_free`), written only on
///   success.
///
/// Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT`
/// (empty GUID, unknown or empty section name); `SS_ERR_HTTP_STATUS` (403 for a SafeBox of
/// someone else, 404 for an unknown one); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`.
/// Blocks; thread-safe (one `ss_client` may be shared).
#[no_mangle]
pub extern "C" fn ss_get_safebox_info(
    client: *const ss_client,
    guid: *const c_char,
    sections: *const c_char,
    out_info: *mut *mut ss_safebox_info,
) -> ss_result {
    call(|| {
        let out_info = out(out_info, "out_info")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = text(guid, "guid")?;
        let sections = self::sections(opt_text(sections, "sections")?)?;
        let info = ss.run(&Callbacks::default(), |_| {
            client.get_safebox_info(guid, &sections)
        })?;
        give(out_info, ss_safebox_info::from(info));
        Ok(())
    })
}

/// Frees a SafeBox from `ss_get_safebox_info`, with its participants, messages and events.
/// Never pass one borrowed from a page or an iterator. NULL is a no-op; must not be called
/// twice.
#[no_mangle]
pub extern "C" fn ss_safebox_info_free(info: *mut ss_safebox_info) {
    guard(|| free(info))
}

/// The SafeBox's GUID. Borrowed: valid as long as the SafeBox info; never free it. NULL gives
/// NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_guid(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| Some(&s.guid))
}

/// The SafeBox's status: "in_progress", "closed" or "content_deleted". Borrowed: valid as long
/// as the SafeBox info; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_status(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| Some(&s.status))
}

/// The SafeBox's subject, or NULL when it has none. Borrowed: valid as long as the SafeBox
/// info; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_subject(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| s.subject.as_ref())
}

/// When the SafeBox expires (ISO 8601). Borrowed: valid as long as the SafeBox info; never free
/// it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_expiration(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| Some(&s.expiration))
}

/// When the SafeBox was created (ISO 8601). Borrowed: valid as long as the SafeBox info; never
/// free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_created_at(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| Some(&s.created_at))
}

/// When the SafeBox last changed (ISO 8601). Borrowed: valid as long as the SafeBox info; never
/// free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_updated_at(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| Some(&s.updated_at))
}

/// When the SafeBox's latest activity happened (ISO 8601). Borrowed: valid as long as the
/// SafeBox info; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_latest_activity(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| Some(&s.latest_activity))
}

/// When the SafeBox was closed (ISO 8601), or NULL while it is open. Borrowed: valid as long as
/// the SafeBox info; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_closed_at(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| s.closed_at.as_ref())
}

/// When the SafeBox's content was deleted (ISO 8601), or NULL when it was not. Borrowed: valid
/// as long as the SafeBox info; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_content_deleted_at(
    info: *const ss_safebox_info,
) -> *const c_char {
    borrowed(info, |s| s.content_deleted_at.as_ref())
}

/// The name of the SafeBox's security profile. Borrowed: valid as long as the SafeBox info;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_security_profile_name(
    info: *const ss_safebox_info,
) -> *const c_char {
    borrowed(info, |s| Some(&s.security_profile_name))
}

/// How many of the SafeBox's messages the caller has not read. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_unread_count(info: *const ss_safebox_info) -> i64 {
    value(info, 0, |s| s.unread_count)
}

/// The id of the SafeBox's owner. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_user_id(info: *const ss_safebox_info) -> i64 {
    value(info, 0, |s| s.user_id)
}

/// The number of participants (0 when the "participants" section was not asked for). NULL
/// gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_participant_count(info: *const ss_safebox_info) -> usize {
    value(info, 0, |s| s.participants.len())
}

/// The participant at `index`, or NULL when out of range (or `info` is NULL). Borrowed: valid
/// as long as the SafeBox info; never free it (not with `ss_participant_free` either).
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_participant_at(
    info: *const ss_safebox_info,
    index: usize,
) -> *const ss_participant {
    item_at(info, index, |s| &s.participants)
}

/// The number of messages (0 when the "messages" section was not asked for). NULL gives 0.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_message_count(info: *const ss_safebox_info) -> usize {
    value(info, 0, |s| s.messages.len())
}

/// The message at `index`, or NULL when out of range (or `info` is NULL). Borrowed: valid as
/// long as the SafeBox info; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_message_at(
    info: *const ss_safebox_info,
    index: usize,
) -> *const ss_message {
    item_at(info, index, |s| &s.messages)
}

/// The number of events (0 when the "event_history" section was not asked for). NULL gives 0.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_event_count(info: *const ss_safebox_info) -> usize {
    value(info, 0, |s| s.events.len())
}

/// The event at `index`, or NULL when out of range (or `info` is NULL). Borrowed: valid as long
/// as the SafeBox info; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_event_at(
    info: *const ss_safebox_info,
    index: usize,
) -> *const ss_event {
    item_at(info, index, |s| &s.events)
}

/// The SafeBox's security options as the server sent them (JSON), or NULL when the
/// "security_options" section was not asked for. Borrowed: valid as long as the SafeBox info;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_security_options_json(
    info: *const ss_safebox_info,
) -> *const c_char {
    borrowed(info, |s| s.security_options.as_ref().map(JsonText::get))
}

/// The SafeBox's download activity as the server sent it (JSON), or NULL when the
/// "download_activity" section was not asked for. Borrowed: valid as long as the SafeBox info;
/// never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_download_activity_json(
    info: *const ss_safebox_info,
) -> *const c_char {
    borrowed(info, |s| s.download_activity.as_ref().map(JsonText::get))
}

/// The whole SafeBox as the server sent it (JSON). Borrowed: valid as long as the SafeBox
/// info; never free it. NULL gives NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_info_to_json(info: *const ss_safebox_info) -> *const c_char {
    borrowed(info, |s| Some(s.json.get()))
}

/// One page of the SafeBox list. Caller-owned (`ss_safebox_page_free`); immutable, readable
/// from any thread.
pub struct ss_safebox_page {
    /// The server's page, without its items (kept for `next_page_url`).
    page: SafeboxPage,
    items: Vec<ss_safebox_info>,
}

impl From<SafeboxPage> for ss_safebox_page {
    fn from(mut page: SafeboxPage) -> Self {
        let list = std::mem::take(&mut page.safeboxes);
        ss_safebox_page {
            page,
            items: list.into_iter().map(Into::into).collect(),
        }
    }
}

/// Reads one page of the caller's SafeBoxes, newest first.
///
/// - `client`: borrowed.
/// - `status`: NULL for every SafeBox, or a comma-separated combination (borrowed for the call)
///   of "in_progress", "closed", "content_deleted", "unread" (the server refuses other names
///   with 400).
/// - `search`: NULL, or text (borrowed for the call) searched in subjects, participants and
///   messages.
/// - `per_page`: SafeBoxes per page, 1 to 1000; 0 for the server's default (100).
/// - `page`: which page, 1-based; 0 for the first.
/// - `out_page`: receives the page (caller owns; `ss_safebox_page_free`), written only on
///   success. Follow with `ss_get_next_safebox_page`, or use `ss_safebox_iter_new` instead.
///
/// Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT`
/// (`per_page` over 1000); `SS_ERR_HTTP_STATUS` (400 for an unknown status); `SS_ERR_CONNECT`;
/// `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe (one `ss_client` may be shared).
#[no_mangle]
pub extern "C" fn ss_get_safeboxes(
    client: *const ss_client,
    status: *const c_char,
    search: *const c_char,
    per_page: u32,
    page: u32,
    out_page: *mut *mut ss_safebox_page,
) -> ss_result {
    call(|| {
        let out_page = out(out_page, "out_page")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let filter = filter(status, search, per_page, page)?;
        let page = ss.run(&Callbacks::default(), |_| client.get_safeboxes(&filter))?;
        give(out_page, ss_safebox_page::from(page));
        Ok(())
    })
}

/// Reads the page after `page` (same filters, same page size).
///
/// `client` and `page` are borrowed (`page` stays valid and is not freed). On success
/// `*out_next` receives the next page (caller owns; `ss_safebox_page_free`), or NULL when `page`
/// is the last one (then nothing is sent, and the result is still `SS_OK`). Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_HTTP_STATUS`; `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`;
/// `SS_ERR_DECODE` (a malformed answer, or a link to another host). Blocks; thread-safe.
///
/// This follows the link the server gave with no memory of earlier pages, so a loop calling it
/// until `ss_safebox_page_has_next` is false would not end with a server whose
/// `next_page_url`s go round in circles: `ss_safebox_iter_next` guards against that.
#[no_mangle]
pub extern "C" fn ss_get_next_safebox_page(
    client: *const ss_client,
    page: *const ss_safebox_page,
    out_next: *mut *mut ss_safebox_page,
) -> ss_result {
    call(|| {
        let out_next = out(out_next, "out_next")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let page = handle(page, "page")?;
        let next = ss.run(&Callbacks::default(), |_| {
            client.next_safebox_page(&page.page)
        })?;
        match next {
            Some(next) => give(out_next, ss_safebox_page::from(next)),
            // SAFETY: checked non-NULL by `out`.
            None => unsafe { *out_next = std::ptr::null_mut() },
        }
        Ok(())
    })
}

/// The number of SafeBoxes on this page. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_page_count(page: *const ss_safebox_page) -> usize {
    value(page, 0, |p| p.items.len())
}

/// How many SafeBoxes match the filters, in all pages. NULL gives 0. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_page_total(page: *const ss_safebox_page) -> i64 {
    value(page, 0, |p| p.page.count)
}

/// Whether a page follows this one (`ss_get_next_safebox_page` then gives it). NULL gives
/// false. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_page_has_next(page: *const ss_safebox_page) -> bool {
    value(page, false, |p| p.page.next_page_url.is_some())
}

/// The SafeBox at `index` of the page, or NULL when out of range (or `page` is NULL). It holds
/// the list's summary only (GUID, subject, status, dates, counters): list items carry no
/// participants, messages, events, security options nor download activity (their counts read
/// 0 and their JSON NULL); use `ss_get_safebox_info` for those. Borrowed: valid until the page
/// is freed; never free it. Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_page_at(
    page: *const ss_safebox_page,
    index: usize,
) -> *const ss_safebox_info {
    item_at(page, index, |p| &p.items)
}

/// Frees a page and the SafeBoxes on it. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_safebox_page_free(page: *mut ss_safebox_page) {
    guard(|| free(page))
}

/// Walks through every SafeBox of a filtered list, fetching the pages as needed.
/// Caller-owned (`ss_safebox_iter_free`); used by one thread at a time. It keeps its own
/// reference to the client's connections, so it may outlive the `ss_client` it was made from.
/// Like its client, it belongs to the process that made it: in a forked child its fetches are
/// refused with `SS_ERR_INVALID_STATE` (see `ss_client`).
pub struct ss_safebox_iter {
    /// A share of the client: its connections and its `ss_client_cancel` switch, which also
    /// stops the iterator's fetches; refused in a forked child, like the client.
    client: ss_client,
    /// The walk through the pages (it refuses links that go round in circles).
    walk: SafeboxPages,
    /// The page being walked, and the index of the next item on it.
    page: Option<(ss_safebox_page, usize)>,
    done: bool,
}

/// Creates an iterator over the caller's SafeBoxes that match the filters. Nothing is sent yet:
/// the first page is fetched by the first `ss_safebox_iter_next`.
///
/// `client` is borrowed for the call (the iterator keeps its own reference to the client's
/// connections). `status`, `search` and `per_page` are as for `ss_get_safeboxes`, and are
/// copied. `out_iter` receives the iterator (caller owns; `ss_safebox_iter_free`), written only
/// on success. Returns `SS_OK`, `SS_ERR_NULL_ARGUMENT`, `SS_ERR_INVALID_UTF8`,
/// `SS_ERR_INVALID_ARGUMENT` (`per_page` over 1000). Thread-safe.
#[no_mangle]
pub extern "C" fn ss_safebox_iter_new(
    client: *const ss_client,
    status: *const c_char,
    search: *const c_char,
    per_page: u32,
    out_iter: *mut *mut ss_safebox_iter,
) -> ss_result {
    call(|| {
        let out_iter = out(out_iter, "out_iter")?;
        let ss = handle(client, "client")?;
        let filter = filter(status, search, per_page, 0)?;
        give(
            out_iter,
            ss_safebox_iter {
                client: ss.share(),
                walk: SafeboxPages::new(filter),
                page: None,
                done: false,
            },
        );
        Ok(())
    })
}

/// Moves to the next SafeBox, fetching the next page when the current one is used up.
///
/// On `SS_OK`, `*out_info` receives the SafeBox, borrowed from the iterator: valid until the
/// next `ss_safebox_iter_next` or `ss_safebox_iter_free`; never free it. It holds the list's
/// summary only, like `ss_safebox_page_at` (no participants, messages nor sections). At the end
/// of the list `*out_info` receives NULL (still `SS_OK`), and so does every later call. On
/// failure `*out_info` is left as it was and the iterator stays where it was: calling again
/// retries the same page. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`; `SS_ERR_HTTP_STATUS` (400 for
/// an unknown status); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE` (a malformed page, a
/// link to another host, or a walk going round in circles, below). Blocks when it fetches a
/// page. One thread at a time per iterator.
///
/// The walk always ends. An empty page ends it, even if it names a next one. A `next_page_url`
/// that repeats a page already read ("the server's next_page_url repeats a page already read:
/// …"), or that leads past the pages the first page's total announced (plus a tenth and two
/// more, for SafeBoxes created meanwhile; 10000 pages at most), gives `SS_ERR_DECODE` without
/// sending anything; calling again gives the same error.
#[no_mangle]
pub extern "C" fn ss_safebox_iter_next(
    iter: *mut ss_safebox_iter,
    out_info: *mut *const ss_safebox_info,
) -> ss_result {
    call(|| {
        let out_info = out(out_info, "out_info")?;
        let it = handle_mut(iter, "iter")?;
        loop {
            if it.done {
                it.page = None;
                // SAFETY: checked non-NULL by `out`.
                unsafe { *out_info = std::ptr::null() };
                return Ok(());
            }
            if let Some((page, index)) = &mut it.page {
                if *index < page.items.len() {
                    let item: *const ss_safebox_info = &page.items[*index];
                    *index += 1;
                    // SAFETY: checked non-NULL by `out`; the item lives in the iterator until
                    // the page is replaced by a later call.
                    unsafe { *out_info = item };
                    return Ok(());
                }
            }
            // The walk ends after an empty page (even if it names a next one) and refuses
            // links that go round in circles or past the pages announced, so that a server
            // cannot keep the caller in an endless loop; a failure leaves everything as it was.
            let (ss, walk) = (&it.client, &mut it.walk);
            let next = ss.run(&Callbacks::default(), |_| walk.next_page(&ss.client))?;
            match next {
                Some(next) => it.page = Some((next.into(), 0)),
                None => it.done = true,
            }
        }
    })
}

/// Frees an iterator and the SafeBoxes it holds. NULL is a no-op; must not be called twice.
#[no_mangle]
pub extern "C" fn ss_safebox_iter_free(iter: *mut ss_safebox_iter) {
    guard(|| free(iter))
}

/// Runs a core call that returns JSON and hands the text to a `char **`.
fn json_call<'a, F>(
    client: *const ss_client,
    guid: Option<*const c_char>,
    out_json: *mut *mut c_char,
    make: impl FnOnce(&'a Client, &'a str) -> F,
) -> ss_result
where
    F: std::future::Future<Output = crate::Result<serde_json::Value>>,
{
    call(|| {
        let out_json = out(out_json, "out_json")?;
        let ss = handle(client, "client")?;
        let client = &ss.client;
        let guid = match guid {
            Some(g) => text(g, "guid")?,
            None => "",
        };
        let json = ss.run(&Callbacks::default(), |_| make(client, guid))?;
        give_string(out_json, &json.to_string());
        Ok(())
    })
}

/// Reads a SafeBox's security options (JSON, as the server sends them: `reply_enabled`,
/// `expiration_date`, `consent_group_id`, …).
///
/// `client` is borrowed; `guid` is borrowed for the call. `out_json` receives a string the
/// caller owns and frees with `ss_string_free`, written only on success. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (403, 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`.
/// Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_safebox_security_options(
    client: *const ss_client,
    guid: *const c_char,
    out_json: *mut *mut c_char,
) -> ss_result {
    json_call(client, Some(guid), out_json, |c, guid| {
        c.get_safebox_security_options(guid)
    })
}

/// Reads who downloaded which document of a SafeBox, how much and when (JSON, as the server
/// sends it: `{"guests":[…],"owner":{…}}`).
///
/// `client` is borrowed; `guid` is borrowed for the call. `out_json` receives a string the
/// caller owns and frees with `ss_string_free`, written only on success. Returns `SS_OK`;
/// `SS_ERR_NULL_ARGUMENT`; `SS_ERR_INVALID_UTF8`; `SS_ERR_INVALID_ARGUMENT` (empty GUID);
/// `SS_ERR_HTTP_STATUS` (403, 404); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`.
/// Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_safebox_download_activity(
    client: *const ss_client,
    guid: *const c_char,
    out_json: *mut *mut c_char,
) -> ss_result {
    json_call(client, Some(guid), out_json, |c, guid| {
        c.get_safebox_download_activity(guid)
    })
}

/// Reads the user's settings (JSON, as the server sends them: `default_filter`,
/// `secure_link`, …). Needs `ss_client_options.user_id`.
///
/// `client` is borrowed. `out_json` receives a string the caller owns and frees with
/// `ss_string_free`, written only on success. Returns `SS_OK`; `SS_ERR_NULL_ARGUMENT`;
/// `SS_ERR_INVALID_ARGUMENT` (the client has no user id); `SS_ERR_HTTP_STATUS` (403 for
/// another user); `SS_ERR_CONNECT`; `SS_ERR_TIMEOUT`; `SS_ERR_DECODE`. Blocks; thread-safe.
#[no_mangle]
pub extern "C" fn ss_get_user_settings(
    client: *const ss_client,
    out_json: *mut *mut c_char,
) -> ss_result {
    json_call(client, None, out_json, |c, _| c.get_user_settings())
}
