//! Models of an existing SafeBox and its surroundings (spec §7): SafeBox summaries and details,
//! participants, messages, documents, events, favorites, user settings, recipient search
//! results, consent groups. Each keeps the server's JSON in `raw` for fields not typed here.
//! Field names are the wire names of spec §7, documented there.
#![allow(missing_docs)]

use super::decode::{
    fail, flag, int, kind, lenient_id_text, object, opt_text, optional_int, optional_list,
    optional_object, required_id_text, required_int, required_list, required_object,
    required_string, required_text, text,
};
use super::safebox::{ContactMethod, DestinationType};
use crate::transport::error::Result;
use serde_json::{json, Map, Value};

/// A stored contact method (with its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedContactMethod {
    pub id: i64,
    pub destination: String,
    pub destination_type: String,
}

impl SavedContactMethod {
    /// Reads a contact method object; `what` names it in errors. It needs an `id` or a
    /// `destination` (spec G-26 answers ids alone, G-78 destinations alone).
    pub(crate) fn decode(v: &Value, what: &str) -> Result<SavedContactMethod> {
        let obj = object(v, what)?;
        let id = optional_int(obj, "id", what)?;
        let destination = opt_text(obj, "destination");
        if id.is_none() && destination.is_none() {
            return Err(fail(format!("{what} has neither `id` nor `destination`")));
        }
        Ok(SavedContactMethod {
            id: id.unwrap_or(0),
            destination: destination.unwrap_or_default(),
            destination_type: text(obj, "destination_type"),
        })
    }

    /// The contact methods of `list` in `obj` (missing or null: none).
    fn decode_list(obj: &Map<String, Value>, what: &str) -> Result<Vec<SavedContactMethod>> {
        optional_list(obj, "contact_methods", what, "contact method")?
            .into_iter()
            .map(|(place, v)| SavedContactMethod::decode(v, &place))
            .collect()
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
    /// Reads a participant object: it must have an `id` (text or an integer); `Error::Decode`
    /// otherwise.
    pub fn from_json(raw: Value) -> Result<Participant> {
        Participant::decode(raw, "the participant", false)
    }

    /// Reads a participant object; `what` names it in errors. `with_email`: the `email` is
    /// required too (E14–E16 answers always have it; E29's participants may not, spec G-65).
    pub(crate) fn decode(raw: Value, what: &str, with_email: bool) -> Result<Participant> {
        let obj = object(&raw, what)?;
        let id = required_id_text(obj, "id", what)?;
        let email = if with_email {
            required_text(obj, "email", what)?
        } else {
            text(obj, "email")
        };
        let guest_what = format!("the `guest_options` of {what}");
        let (company_name, locked, contact_methods) =
            match optional_object(obj, "guest_options", what)? {
                Some(guest) => (
                    text(guest, "company_name"),
                    flag(guest, "locked"),
                    SavedContactMethod::decode_list(guest, &guest_what)?,
                ),
                None => (String::new(), false, vec![]),
            };
        Ok(Participant {
            id,
            email,
            first_name: text(obj, "first_name"),
            last_name: text(obj, "last_name"),
            kind: text(obj, "type"),
            role: text(obj, "role"),
            company_name,
            locked,
            privileged: flag(obj, "privileged"),
            contact_methods,
            message_read_count: int(obj, "message_read_count"),
            message_total_count: int(obj, "message_total_count"),
            raw,
        })
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

impl Document {
    /// Reads a document object; `what` names it in errors. It must have an `id`.
    pub(crate) fn decode(v: &Value, what: &str) -> Result<Document> {
        let obj = object(v, what)?;
        Ok(Document {
            id: required_id_text(obj, "id", what)?,
            name: text(obj, "name"),
            sha: text(obj, "sha"),
            size: u64::try_from(int(obj, "size")).unwrap_or(0),
            url: text(obj, "url"),
        })
    }
}

impl Message {
    /// Reads a message object (its `id` is optional: the spec's list fixtures have none);
    /// `Error::Decode` when it is not an object or its documents are malformed.
    pub fn from_json(raw: Value) -> Result<Message> {
        Message::decode(raw, "the message")
    }

    /// Reads a message object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) -> Result<Message> {
        let obj = object(&raw, what)?;
        let documents = optional_list(obj, "documents", what, "document")?
            .into_iter()
            .map(|(place, d)| Document::decode(d, &place))
            .collect::<Result<Vec<_>>>()?;
        Ok(Message {
            id: optional_int(obj, "id", what)?.unwrap_or(0),
            note: text(obj, "note"),
            read: flag(obj, "read"),
            author_id: lenient_id_text(obj, "author_id"),
            author_type: text(obj, "author_type"),
            created_at: text(obj, "created_at"),
            documents,
            raw,
        })
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
    /// Reads an event object: it must have a `type`; `Error::Decode` otherwise.
    pub fn from_json(v: &Value) -> Result<Event> {
        Event::decode(v, "the event")
    }

    /// Reads an event object; `what` names it in errors. Only `type` is required: a malformed
    /// `date` reads as empty (spec §7.9).
    pub(crate) fn decode(v: &Value, what: &str) -> Result<Event> {
        let obj = object(v, what)?;
        Ok(Event {
            kind: required_text(obj, "type", what)?,
            date: text(obj, "date"),
            message: text(obj, "message"),
            metadata: obj.get("metadata").cloned().unwrap_or(Value::Null),
        })
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

/// A user's favorite contact (spec §7.6).
#[derive(Debug, Clone)]
pub struct Favorite {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
    pub order_number: i64,
    /// Made a privileged participant whenever added to a SafeBox.
    pub always_promote: bool,
    pub contact_methods: Vec<SavedContactMethod>,
    pub raw: Value,
}

impl Favorite {
    /// Reads a favorite object: it must have an `id` or an `email`; `Error::Decode` otherwise.
    pub fn from_json(raw: Value) -> Result<Favorite> {
        Favorite::decode(raw, "the favorite", false)
    }

    /// Reads a favorite object; `what` names it in errors. `with_id`: the `id` is required
    /// (E8–E9 answers always have it); otherwise an `id` or an `email` is (the E7 list fixture,
    /// spec G-20, has e-mails without ids).
    pub(crate) fn decode(raw: Value, what: &str, with_id: bool) -> Result<Favorite> {
        let obj = object(&raw, what)?;
        let id = if with_id {
            Some(required_int(obj, "id", what)?)
        } else {
            optional_int(obj, "id", what)?
        };
        let email = if id.is_none() {
            required_text(obj, "email", what)
                .map_err(|_| fail(format!("{what} has neither `id` nor `email`")))?
        } else {
            text(obj, "email")
        };
        Ok(Favorite {
            id: id.unwrap_or(0),
            email,
            first_name: text(obj, "first_name"),
            last_name: text(obj, "last_name"),
            company_name: text(obj, "company_name"),
            order_number: int(obj, "order_number"),
            always_promote: flag(obj, "always_promote"),
            contact_methods: SavedContactMethod::decode_list(obj, what)?,
            raw,
        })
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
    /// Participants only.
    pub privileged: Option<bool>,
    /// Favorites only.
    pub order_number: Option<i64>,
    /// Favorites only: the favorite is made privileged whenever added to a SafeBox.
    pub always_promote: Option<bool>,
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
        for (k, v) in [
            ("locked", self.locked),
            ("privileged", self.privileged),
            ("always_promote", self.always_promote),
        ] {
            if let Some(v) = v {
                obj.insert(k.into(), json!(v));
            }
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
    /// Reads a search result: it must have an `id` and an `email`; `Error::Decode` otherwise.
    pub fn from_json(v: &Value) -> Result<RecipientMatch> {
        RecipientMatch::decode(v, "the search result")
    }

    /// Reads a search result; `what` names it in errors.
    pub(crate) fn decode(v: &Value, what: &str) -> Result<RecipientMatch> {
        let obj = object(v, what)?;
        Ok(RecipientMatch {
            id: required_int(obj, "id", what)?,
            kind: text(obj, "type"),
            email: required_text(obj, "email", what)?,
            first_name: text(obj, "first_name"),
            last_name: text(obj, "last_name"),
            company_name: text(obj, "company_name"),
        })
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
    /// Reads the `consent_message_group` object: it must have an `id`, and each of its consent
    /// messages a `locale` and a `value`; `Error::Decode` otherwise.
    pub fn from_json(raw: Value) -> Result<ConsentGroup> {
        ConsentGroup::decode(raw, "the consent group")
    }

    /// Reads a consent group object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) -> Result<ConsentGroup> {
        let obj = object(&raw, what)?;
        let id = required_int(obj, "id", what)?;
        let messages = optional_list(obj, "consent_messages", what, "consent message")?
            .into_iter()
            .map(|(place, m)| {
                let m = object(m, &place)?;
                Ok((
                    required_text(m, "locale", &place)?,
                    required_string(m, "value", &place)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ConsentGroup {
            id,
            name: text(obj, "name"),
            messages,
            raw,
        })
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
            "participants": [{"id": 34208, "type": "user"}, {"id": "7a3c", "guest_options": {"locked": true}}]}}]}))
        .unwrap();
        let sb = &page.safeboxes[0];
        assert_eq!(
            (sb.guid.as_str(), sb.status.as_str(), sb.unread_count),
            ("g", "closed", 2)
        );
        assert_eq!(sb.participants[0].id, "34208");
        assert!(sb.participants[1].locked);
        assert!(page.next_page_url.is_none());
    }

    fn decode_error<T: std::fmt::Debug>(r: Result<T>) -> String {
        match r {
            Err(crate::Error::Decode(m)) => m,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn golden_answers_decode() {
        // G-65: E29 participants without e-mail, a message without id.
        let info = SafeboxInfo::from_json(json!({"guid": "1c820789a50747df8746aa5d71922a3f", "user_id": 1, "enterprise_id": 1, "participants": [{"id": "7a3c51e00a004917a8f5db807180fcc5", "guest_options": {}, "message_read_count": 0, "message_total_count": 1}, {"id": "1", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com", "type": "user", "role": "owner", "message_read_count": 0, "message_total_count": 1}], "security_options": {"security_code_length": 4}, "messages": [{"note": "Lorem Ipsum...", "note_size": 123, "documents": []}], "download_activity": {"guests": [{"id": "42220c777c30486e80cd3bbfa7f8e82f", "documents": []}], "owner": {"id": 1, "documents": []}}, "event_history": [{"type": "safebox_created_owner", "date": "2017-03-30T18:09:05.966Z", "metadata": {}, "message": "SafeBox created"}]})).unwrap();
        assert_eq!(info.participants.len(), 2);
        assert_eq!(info.participants[0].email, "");
        assert_eq!(info.messages[0].id, 0);
        assert!(info.security_options.is_some());
        // G-66: only the GUID and empty sections.
        let info = SafeboxInfo::from_json(json!({"guid": "73af62f766ee459e81f46e4f533085a4", "security_options": {}, "participants": [], "messages": [], "download_activity": {}, "event_history": []})).unwrap();
        assert_eq!(info.status, "");
        // G-67: a message with a document; G-78 style contact methods without id.
        let m = Message::from_json(json!({"note": "Lorem Ipsum...","note_size": 148,"read": true,"author_id": "3","author_type": "guest","created_at": "2017-04-05T14:49:35.198Z","documents": [{"id": "5a3df276aaa24e43af5aca9b2204a535","name": "Axient-soapui-project.xml","sha": "724a","size": 129961,"url": "url"}]})).unwrap();
        assert_eq!((m.documents[0].size, m.author_id.as_str()), (129961, "3"));
        let p = Participant::from_json(json!({"id": "7a3c51e00a004917a8f5db807180fcc5", "first_name": "Test", "email": "participant@example.com", "guest_options": {"company_name": "Test Company", "contact_methods": [{"destination": "+15145550000", "destination_type": "office_phone"}]}})).unwrap();
        assert_eq!(p.contact_methods[0].id, 0);
        // G-44: an owner with an integer id; G-38: privileged as text.
        let p = Participant::decode(
            json!({"id": 34208, "email": "jane.doe@example.com", "type": "user", "role": "owner"}),
            "p",
            true,
        )
        .unwrap();
        assert_eq!(p.id, "34208");
        let p = Participant::decode(json!({"id": "23a3c8ec897548dc82f50a9a1550e52c", "email": "j@example.com", "privileged": "true", "guest_options": {"locked": false, "contact_methods": [{"id": 35105, "destination": "514-555-5555", "destination_type": "cell_phone"}]}}), "p", true).unwrap();
        assert!(p.privileged);
        // G-20: favorites without ids; G-26: an update answer without e-mail.
        let f = Favorite::from_json(json!({"email":"favorite1@example.com","contact_methods":[{"destination_type":"cell_phone","destination":"514-555-0001","id":1}]})).unwrap();
        assert_eq!((f.id, f.contact_methods[0].id), (0, 1));
        let f = Favorite::decode(json!({"id": 456, "contact_methods": [{"id": 1, "created_at": "2017-04-28T17:14:55.304Z"}]}), "f", true).unwrap();
        assert_eq!(f.id, 456);
        // Numeric text ids (spec §1.5, §13).
        assert_eq!(
            Favorite::decode(json!({"id": "12"}), "f", true).unwrap().id,
            12
        );
        // G-29, G-46, G-70.
        let g = ConsentGroup::from_json(json!({"id": 1, "name": "Default", "consent_messages": [{"locale": "en", "value": "Lorem ipsum"}]})).unwrap();
        assert_eq!(
            g.messages,
            vec![("en".to_string(), "Lorem ipsum".to_string())]
        );
        let r = RecipientMatch::from_json(&json!({"id": 3, "type": "user", "first_name": "", "last_name": "john", "email": "john.doe@sagemcom.com", "company_name": ""})).unwrap();
        assert_eq!(r.id, 3);
        let e = Event::from_json(&json!({"type": "safebox_created_owner", "date": [], "metadata": {"emails": ["john44@example.com"]}, "message": "message"})).unwrap();
        assert_eq!(e.date, "");
    }

    #[test]
    fn wrong_shapes_are_decode_errors() {
        assert_eq!(
            decode_error(SafeboxPage::from_json(&json!([1, 2, 3]))),
            "the SafeBox list answer is not an object (found an array)"
        );
        assert_eq!(
            decode_error(SafeboxPage::from_json(&json!({"safeboxes": {"a": 1}}))),
            "`safeboxes` of the SafeBox list answer is an object, not an array"
        );
        assert_eq!(
            decode_error(SafeboxPage::from_json(&json!({"count": 1}))),
            "the SafeBox list answer has no `safeboxes` array"
        );
        assert_eq!(
            decode_error(SafeboxPage::from_json(
                &json!({"safeboxes": [{"safebox": {"guid": "g"}}, 7]})
            )),
            "SafeBox 2 of the SafeBox list answer is not an object (found a number)"
        );
        assert_eq!(
            decode_error(SafeboxPage::from_json(
                &json!({"safeboxes": [{"safebox": 42}]})
            )),
            "`safebox` of SafeBox 1 of the SafeBox list answer is a number, not an object"
        );
        assert_eq!(
            decode_error(SafeboxPage::from_json(
                &json!({"safeboxes": [], "next_page_url": 2})
            )),
            "`next_page_url` of the SafeBox list answer is a number, not text"
        );
        assert_eq!(
            decode_error(SafeboxInfo::from_json(
                json!({"guid": "g", "participants": [1, "x"]})
            )),
            "participant 1 of the SafeBox is not an object (found a number)"
        );
        assert_eq!(
            decode_error(SafeboxInfo::from_json(json!({"status": "closed"}))),
            "the SafeBox has no `guid`"
        );
        assert_eq!(
            decode_error(Participant::from_json(json!({}))),
            "the participant has no `id`"
        );
        assert_eq!(
            decode_error(Participant::decode(
                json!({"id": "x"}),
                "the participant answer",
                true
            )),
            "the participant answer has no `email`"
        );
        assert_eq!(
            decode_error(Participant::from_json(json!({"id": "x", "guest_options": {"contact_methods": [{}]}}))),
            "contact method 1 of the `guest_options` of the participant has neither `id` nor `destination`"
        );
        assert_eq!(
            decode_error(Favorite::from_json(json!("text"))),
            "the favorite is not an object (found text)"
        );
        assert_eq!(
            decode_error(Favorite::from_json(json!({"first_name": "A"}))),
            "the favorite has neither `id` nor `email`"
        );
        assert_eq!(
            decode_error(Favorite::decode(json!({"id": "abc"}), "f", true)),
            "`id` of f is text, not an integer"
        );
        assert_eq!(
            decode_error(ConsentGroup::from_json(json!(5))),
            "the consent group is not an object (found a number)"
        );
        assert_eq!(
            decode_error(ConsentGroup::from_json(
                json!({"id": 1, "consent_messages": [{"locale": "en"}]})
            )),
            "consent message 1 of the consent group has no `value`"
        );
        assert_eq!(
            decode_error(Message::from_json(json!({"documents": [{"name": "a"}]}))),
            "document 1 of the message has no `id`"
        );
        assert_eq!(
            decode_error(RecipientMatch::from_json(&json!({"id": 1}))),
            "the search result has no `email`"
        );
        assert_eq!(
            decode_error(Event::from_json(&json!(null))),
            "the event is not an object (found null)"
        );
    }
}
