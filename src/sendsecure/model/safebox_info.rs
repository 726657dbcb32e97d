//! An existing SafeBox as the server returns it: the list item (E28) or the details (E29) with
//! the sections asked for, the pages of the list and its filters. Field names are the wire names.
#![allow(missing_docs)]

use super::decode::{
    fail, int, kind, object, opt_text, optional_int, optional_list, optional_object, required_list,
    required_object, required_text, text,
};
use super::*;
use crate::transport::error::Result;
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

/// An existing SafeBox: the list item (E28) or the details (E29) with the sections asked for.
#[derive(Debug, Clone)]
pub struct SafeboxInfo {
    pub guid: String,
    pub status: String,
    pub subject: Option<String>,
    pub user_id: i64,
    pub security_profile_name: String,
    pub unread_count: i64,
    pub expiration: String,
    pub created_at: String,
    pub updated_at: String,
    pub latest_activity: String,
    pub closed_at: Option<String>,
    pub content_deleted_at: Option<String>,
    /// The key files added to it are encrypted with (E29 details only; double encryption).
    pub public_encryption_key: Option<String>,
    pub participants: Vec<Participant>,
    pub messages: Vec<Message>,
    pub event_history: Vec<Event>,
    /// The `security_options` section, when asked for.
    pub security_options: Option<Value>,
    /// The `download_activity` section, when asked for.
    pub download_activity: Option<Value>,
    pub raw: Value,
}

impl SafeboxInfo {
    /// Reads a SafeBox object (unwrapped from `{"safebox": …}`): it must have a `guid`, and its
    /// sections, when present, the right shape; `Error::Decode` otherwise.
    pub fn from_json(raw: Value) -> Result<SafeboxInfo> {
        SafeboxInfo::decode(raw, "the SafeBox")
    }

    /// Reads a SafeBox object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) -> Result<SafeboxInfo> {
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
        Ok(SafeboxInfo {
            guid,
            status: text(obj, "status"),
            subject: opt_text(obj, "subject"),
            user_id: int(obj, "user_id"),
            security_profile_name: text(obj, "security_profile_name"),
            unread_count: int(obj, "unread_count"),
            expiration: text(obj, "expiration"),
            created_at: text(obj, "created_at"),
            updated_at: text(obj, "updated_at"),
            latest_activity: text(obj, "latest_activity"),
            closed_at: opt_text(obj, "closed_at"),
            content_deleted_at: opt_text(obj, "content_deleted_at"),
            public_encryption_key: opt_text(obj, "public_encryption_key").filter(|k| !k.is_empty()),
            participants,
            messages,
            event_history,
            security_options: section("security_options")?,
            download_activity: section("download_activity")?,
            raw,
        })
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
