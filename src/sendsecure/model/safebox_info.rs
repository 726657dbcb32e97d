//! An existing SafeBox as the server returns it: the list item (E28) or the details (E29) with
//! the sections asked for, the pages of the list and its filters. Field names are the wire names.
#![allow(missing_docs)]

use super::*;
use crate::transport::error::Result;
use crate::transport::json_fields::{
    fail, int, kind, object, opt_text, optional_int, optional_list, optional_object, required_list,
    required_object, required_text, text,
};
use serde_json::Value;

/// The sections of [`crate::Client::get_safebox_info`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Participants,
    Messages,
    SecurityOptions,
    DownloadActivity,
    EventHistory,
}

impl Section {
    /// Every section.
    pub const ALL: [Section; 5] = [
        Section::Participants,
        Section::Messages,
        Section::SecurityOptions,
        Section::DownloadActivity,
        Section::EventHistory,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Participants => "participants",
            Section::Messages => "messages",
            Section::SecurityOptions => "security_options",
            Section::DownloadActivity => "download_activity",
            Section::EventHistory => "event_history",
        }
    }
}

read_model! {
    /// An existing SafeBox: the list item (E28) or the details (E29) with the sections asked for.
    #[derive(Debug, Clone)]
    pub struct SafeboxInfo {
        guid: String = guid,
        status: String = text(obj, "status"),
        subject: Option<String> = opt_text(obj, "subject"),
        user_id: i64 = int(obj, "user_id"),
        security_profile_name: String = text(obj, "security_profile_name"),
        unread_count: i64 = int(obj, "unread_count"),
        expiration: String = text(obj, "expiration"),
        created_at: String = text(obj, "created_at"),
        updated_at: String = text(obj, "updated_at"),
        latest_activity: String = text(obj, "latest_activity"),
        closed_at: Option<String> = opt_text(obj, "closed_at"),
        content_deleted_at: Option<String> = opt_text(obj, "content_deleted_at"),
        /// The key files added to it are encrypted with (E29 details only; double encryption).
        public_encryption_key: Option<String> =
            opt_text(obj, "public_encryption_key").filter(|k| !k.is_empty()),
        participants: Vec<Participant> = participants,
        messages: Vec<Message> = messages,
        event_history: Vec<Event> = event_history,
        /// The `security_options` section, when asked for.
        security_options: Option<Value> = section("security_options")?,
        /// The `download_activity` section, when asked for.
        download_activity: Option<Value> = section("download_activity")?,
        raw: Value = raw,
    }
    /// Reads a SafeBox object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) {
        let obj = object(&raw, what)?;
        let guid = required_text(obj, "guid", what)?;
        let participants = optional_list(obj, "participants", what, "participant")?
            .into_iter()
            .map(|(place, p)| Participant::decode(p.clone(), &place, false))
            .collect::<Result<Vec<_>>>()?;
        let messages = optional_list(obj, "messages", what, "message")?
            .into_iter()
            .map(|(place, m)| Message::decode(m.clone(), &place))
            .collect::<Result<Vec<_>>>()?;
        let event_history = optional_list(obj, "event_history", what, "event")?
            .into_iter()
            .map(|(place, e)| Event::decode(e, &place))
            .collect::<Result<Vec<_>>>()?;
        let section = |key: &str| -> Result<Option<Value>> {
            Ok(optional_object(obj, key, what)?.map(|o| Value::Object(o.clone())))
        };
    }
}

impl SafeboxInfo {
    /// Reads a SafeBox object (unwrapped from `{"safebox": …}`): it must have a `guid`, and its
    /// sections, when present, the right shape; `Error::Decode` otherwise.
    pub fn from_json(raw: Value) -> Result<SafeboxInfo> {
        SafeboxInfo::decode(raw, "the SafeBox")
    }
}

/// One page of the SafeBox list (E28).
#[derive(Debug, Clone)]
pub struct SafeboxPage {
    /// How many SafeBoxes match in all pages.
    pub count: i64,
    pub next_page_url: Option<String>,
    pub previous_page_url: Option<String>,
    pub safeboxes: Vec<SafeboxInfo>,
}

impl SafeboxPage {
    /// Reads a list answer: an object with a `safeboxes` array whose items are SafeBoxes,
    /// wrapped as `{"safebox": …}` (or not); `count` and the page links, when present, an
    /// integer and text. `Error::Decode` otherwise.
    pub fn from_json(raw: &Value) -> Result<SafeboxPage> {
        const WHAT: &str = "the SafeBox list answer";
        let obj = object(raw, WHAT)?;
        let link = |key: &str| -> Result<Option<String>> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(v) => Err(fail(format!("`{key}` of {WHAT} is {}, not text", kind(v)))),
            }
        };
        let safeboxes = required_list(obj, "safeboxes", WHAT, "SafeBox")?
            .into_iter()
            .map(|(place, item)| {
                let wrapper = object(item, &place)?;
                if wrapper.contains_key("safebox") {
                    let inner = required_object(wrapper, "safebox", &place)?;
                    SafeboxInfo::decode(Value::Object(inner.clone()), &place)
                } else {
                    SafeboxInfo::decode(item.clone(), &place)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SafeboxPage {
            count: optional_int(obj, "count", WHAT)?.unwrap_or(0),
            next_page_url: link("next_page_url")?,
            previous_page_url: link("previous_page_url")?,
            safeboxes,
        })
    }
}

/// Filters of the SafeBox list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafeboxFilter {
    /// Comma-combinable: `in_progress`, `closed`, `content_deleted`, `unread`.
    pub status: Option<String>,
    /// Text searched in subjects, participants and messages.
    pub search: Option<String>,
    /// 1 to 1000 (server default 100).
    pub per_page: Option<u32>,
    /// 1-based.
    pub page: Option<u32>,
}
