//! Models of an existing SafeBox and its surroundings (spec §7): SafeBox summaries and details,
//! participants, messages, documents, events, favorites, user settings, recipient search
//! results, consent groups. Each keeps the server's JSON in `raw` for fields not typed here.
//! Field names are the wire names of spec §7, documented there.
#![allow(missing_docs)]

use super::safebox::{ContactMethod, DestinationType};
use serde_json::{json, Map, Value};

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Ids are integers for users and strings for guests; both are kept as text.
fn id_text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn int(v: &Value, key: &str) -> i64 {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

fn flag(v: &Value, key: &str) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

fn list<T>(v: &Value, key: &str, f: impl Fn(&Value) -> T) -> Vec<T> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().map(f).collect())
        .unwrap_or_default()
}

/// A stored contact method (with its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedContactMethod {
    pub id: i64,
    pub destination: String,
    pub destination_type: String,
}

impl SavedContactMethod {
    fn from_json(v: &Value) -> SavedContactMethod {
        SavedContactMethod {
            id: int(v, "id"),
            destination: text(v, "destination"),
            destination_type: text(v, "destination_type"),
        }
    }
}

/// A participant of a SafeBox (spec §7.4).
#[derive(Debug, Clone)]
pub struct Participant {
    /// 32-hex id for guests, the user id (as text) for the owner.
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// `guest` or `user`.
    pub kind: String,
    /// `guest` or `owner`.
    pub role: String,
    pub company_name: String,
    pub locked: bool,
    pub privileged: bool,
    pub contact_methods: Vec<SavedContactMethod>,
    pub message_read_count: i64,
    pub message_total_count: i64,
    pub raw: Value,
}

impl Participant {
    /// Reads a participant object.
    pub fn from_json(raw: Value) -> Participant {
        let guest = raw.get("guest_options").cloned().unwrap_or(Value::Null);
        Participant {
            id: id_text(&raw, "id"),
            email: text(&raw, "email"),
            first_name: text(&raw, "first_name"),
            last_name: text(&raw, "last_name"),
            kind: text(&raw, "type"),
            role: text(&raw, "role"),
            company_name: text(&guest, "company_name"),
            locked: flag(&guest, "locked"),
            privileged: flag(&raw, "privileged"),
            contact_methods: list(&guest, "contact_methods", SavedContactMethod::from_json),
            message_read_count: int(&raw, "message_read_count"),
            message_total_count: int(&raw, "message_total_count"),
            raw,
        }
    }
}

/// A document attached to a message (spec §7.7).
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub name: String,
    /// SHA-256, hex.
    pub sha: String,
    pub size: u64,
    pub url: String,
}

/// A message of a SafeBox (spec §7.7).
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub note: String,
    pub read: bool,
    pub author_id: String,
    pub author_type: String,
    pub created_at: String,
    pub documents: Vec<Document>,
    pub raw: Value,
}

impl Message {
    /// Reads a message object.
    pub fn from_json(raw: Value) -> Message {
        Message {
            id: int(&raw, "id"),
            note: text(&raw, "note"),
            read: flag(&raw, "read"),
            author_id: id_text(&raw, "author_id"),
            author_type: text(&raw, "author_type"),
            created_at: text(&raw, "created_at"),
            documents: list(&raw, "documents", |d| Document {
                id: id_text(d, "id"),
                name: text(d, "name"),
                sha: text(d, "sha"),
                size: d.get("size").and_then(Value::as_u64).unwrap_or(0),
                url: text(d, "url"),
            }),
            raw,
        }
    }
}

/// An entry of the event history (spec §7.9).
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: String,
    pub date: String,
    pub message: String,
    pub metadata: Value,
}

impl Event {
    /// Reads an event object.
    pub fn from_json(v: &Value) -> Event {
        Event {
            kind: text(v, "type"),
            date: v
                .get("date")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            message: text(v, "message"),
            metadata: v.get("metadata").cloned().unwrap_or(Value::Null),
        }
    }
}

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
    /// Reads a SafeBox object (unwrapped from `{"safebox": …}`).
    pub fn from_json(raw: Value) -> SafeboxInfo {
        SafeboxInfo {
            guid: text(&raw, "guid"),
            status: text(&raw, "status"),
            subject: opt_text(&raw, "subject"),
            user_id: int(&raw, "user_id"),
            security_profile_name: text(&raw, "security_profile_name"),
            unread_count: int(&raw, "unread_count"),
            expiration: text(&raw, "expiration"),
            created_at: text(&raw, "created_at"),
            updated_at: text(&raw, "updated_at"),
            latest_activity: text(&raw, "latest_activity"),
            closed_at: opt_text(&raw, "closed_at"),
            content_deleted_at: opt_text(&raw, "content_deleted_at"),
            participants: list(&raw, "participants", |p| Participant::from_json(p.clone())),
            messages: list(&raw, "messages", |m| Message::from_json(m.clone())),
            event_history: list(&raw, "event_history", Event::from_json),
            security_options: raw.get("security_options").cloned(),
            download_activity: raw.get("download_activity").cloned(),
            raw,
        }
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
    /// Reads a list answer; items come wrapped as `{"safebox": …}`.
    pub fn from_json(raw: &Value) -> SafeboxPage {
        SafeboxPage {
            count: int(raw, "count"),
            next_page_url: opt_text(raw, "next_page_url").filter(|u| !u.is_empty()),
            previous_page_url: opt_text(raw, "previous_page_url").filter(|u| !u.is_empty()),
            safeboxes: list(raw, "safeboxes", |item| {
                SafeboxInfo::from_json(item.get("safebox").cloned().unwrap_or_else(|| item.clone()))
            }),
        }
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

/// A user's favorite contact (spec §7.6).
#[derive(Debug, Clone)]
pub struct Favorite {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub order_number: i64,
    pub contact_methods: Vec<SavedContactMethod>,
    pub raw: Value,
}

impl Favorite {
    /// Reads a favorite object.
    pub fn from_json(raw: Value) -> Favorite {
        Favorite {
            id: int(&raw, "id"),
            email: text(&raw, "email"),
            first_name: text(&raw, "first_name"),
            last_name: text(&raw, "last_name"),
            company_name: text(&raw, "company_name"),
            order_number: int(&raw, "order_number"),
            contact_methods: list(&raw, "contact_methods", SavedContactMethod::from_json),
            raw,
        }
    }
}

/// What to set on a favorite or a participant: absent fields are left as they are on update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactEdit {
    /// Required on creation.
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    /// Participants only.
    pub locked: Option<bool>,
    /// Favorites only.
    pub order_number: Option<i64>,
    /// Phone numbers to add.
    pub add_contact_methods: Vec<ContactMethod>,
    /// Ids of stored phone numbers to remove.
    pub remove_contact_methods: Vec<i64>,
}

impl ContactEdit {
    /// The request object (`favorite` or `participant` body), `_destroy` as the Python SDK
    /// sends it.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut obj = Map::new();
        for (k, v) in [
            ("email", &self.email),
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("company_name", &self.company_name),
        ] {
            if let Some(v) = v {
                obj.insert(k.into(), json!(v));
            }
        }
        if let Some(l) = self.locked {
            obj.insert("locked".into(), json!(l));
        }
        if let Some(n) = self.order_number {
            obj.insert("order_number".into(), json!(n));
        }
        let mut methods: Vec<Value> = self
            .add_contact_methods
            .iter()
            .map(|c| json!({"destination": c.destination, "destination_type": c.destination_type.as_str()}))
            .collect();
        methods.extend(
            self.remove_contact_methods
                .iter()
                .map(|id| json!({"id": id, "_destroy": true})),
        );
        if !methods.is_empty() {
            obj.insert("contact_methods".into(), Value::Array(methods));
        }
        obj
    }

    /// A phone number to add.
    pub fn add_phone(&mut self, destination: &str, destination_type: DestinationType) {
        self.add_contact_methods.push(ContactMethod {
            destination: destination.to_string(),
            destination_type,
        });
    }
}

/// A result of the recipient search (spec §7.13).
#[derive(Debug, Clone)]
pub struct RecipientMatch {
    pub id: i64,
    /// `favorite` or `user`.
    pub kind: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
}

impl RecipientMatch {
    /// Reads a search result.
    pub fn from_json(v: &Value) -> RecipientMatch {
        RecipientMatch {
            id: int(v, "id"),
            kind: text(v, "type"),
            email: text(v, "email"),
            first_name: text(v, "first_name"),
            last_name: text(v, "last_name"),
            company_name: text(v, "company_name"),
        }
    }
}

/// A consent message group (spec §7.12): the consent text per locale.
#[derive(Debug, Clone)]
pub struct ConsentGroup {
    pub id: i64,
    pub name: String,
    /// `(locale, text)` pairs.
    pub messages: Vec<(String, String)>,
    pub raw: Value,
}

impl ConsentGroup {
    /// Reads the `consent_message_group` object.
    pub fn from_json(raw: Value) -> ConsentGroup {
        ConsentGroup {
            id: int(&raw, "id"),
            name: text(&raw, "name"),
            messages: list(&raw, "consent_messages", |m| {
                (text(m, "locale"), text(m, "value"))
            }),
            raw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_add_and_destroy_contact_methods() {
        let mut edit = ContactEdit {
            email: Some("a@b.c".into()),
            ..ContactEdit::default()
        };
        edit.add_phone("+1555", DestinationType::Home);
        edit.remove_contact_methods.push(7);
        let v = Value::Object(edit.to_json());
        assert_eq!(v["contact_methods"][0]["destination_type"], "home_phone");
        assert_eq!(v["contact_methods"][1], json!({"id": 7, "_destroy": true}));
        assert!(v.get("first_name").is_none());
    }

    #[test]
    fn list_items_are_unwrapped_and_ids_kept_as_text() {
        let page = SafeboxPage::from_json(&json!({"count": 1, "next_page_url": null,
            "safeboxes": [{"safebox": {"guid": "g", "status": "closed", "unread_count": 2,
            "participants": [{"id": 34208, "type": "user"}, {"id": "7a3c", "guest_options": {"locked": true}}]}}]}));
        let sb = &page.safeboxes[0];
        assert_eq!(
            (sb.guid.as_str(), sb.status.as_str(), sb.unread_count),
            ("g", "closed", 2)
        );
        assert_eq!(sb.participants[0].id, "34208");
        assert!(sb.participants[1].locked);
        assert!(page.next_page_url.is_none());
    }
}
