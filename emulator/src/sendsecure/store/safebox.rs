//! A committed SafeBox: participants, messages, documents, events, and the status machine of
//! spec §13.11 (`in_progress` -> `closed` -> `content_deleted`).

use super::contact::{ContactMethod, Person};
use crate::core::clock;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The life-cycle state of a SafeBox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Closed,
    ContentDeleted,
}

impl Status {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "in_progress",
            Status::Closed => "closed",
            Status::ContentDeleted => "content_deleted",
        }
    }
}

/// A participant's id: guests have 32-hex ids, the owner has the user's integer id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipantId {
    Guest(String),
    Owner(i64),
}

impl ParticipantId {
    /// The id as text, as used in download activity and links.
    pub fn key(&self) -> String {
        match self {
            ParticipantId::Guest(g) => g.clone(),
            ParticipantId::Owner(i) => i.to_string(),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            ParticipantId::Guest(g) => json!(g),
            ParticipantId::Owner(i) => json!(i),
        }
    }
}

/// Options only guests have.
#[derive(Debug, Clone)]
pub struct GuestOptions {
    pub locked: bool,
    pub created_at: String,
    pub updated_at: String,
    pub contact_methods: Vec<ContactMethod>,
}

/// The owner or a guest of a SafeBox.
#[derive(Debug, Clone)]
pub struct Participant {
    pub id: ParticipantId,
    pub person: Person,
    pub privileged: bool,
    /// `None` for the owner.
    pub guest: Option<GuestOptions>,
}

/// An attached file.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// `None` once the content has been deleted.
    pub path: Option<PathBuf>,
    /// How its upload's multipart body was made (see `StoredFile`).
    pub parts: usize,
    pub part_headers: Vec<String>,
    /// The key its upload's E12 request carried (see `StoredFile`).
    pub public_encryption_key: Option<String>,
}

/// A message (the initial one, or a reply).
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub note: String,
    pub author_id: String,
    pub author_type: String,
    pub created_at: String,
    pub read: bool,
    pub documents: Vec<Document>,
}

/// An entry of the event history.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: String,
    pub date: String,
    pub metadata: Value,
    pub message: String,
}

/// A completed download of a document by a participant.
#[derive(Debug, Clone)]
pub struct DownloadRecord {
    pub participant_id: String,
    pub document_id: String,
    pub downloaded_bytes: u64,
    pub date: String,
}

/// A committed SafeBox.
#[derive(Debug, Clone)]
pub struct Safebox {
    pub guid: String,
    pub account: usize,
    pub enterprise_id: i64,
    pub owner_id: i64,
    pub owner_email: String,
    pub subject: Option<String>,
    pub notification_language: String,
    pub status: Status,
    pub security_profile_id: i64,
    pub security_profile_name: String,
    /// The security options of spec §7.2, flat, as resolved at commit.
    pub options: Map<String, Value>,
    pub email_notification_enabled: bool,
    pub public_encryption_key: Option<String>,
    pub encryption_key: Option<String>,
    pub participants: Vec<Participant>,
    pub messages: Vec<Message>,
    pub events: Vec<Event>,
    pub downloads: Vec<DownloadRecord>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub latest_activity: DateTime<Utc>,
    pub expiration: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub content_deleted_at: Option<DateTime<Utc>>,
    pub delete_content_on: Option<DateTime<Utc>>,
    pub followed: bool,
    pub tags: BTreeSet<String>,
}

/// The option keys that the E3 response carries flat at its top level (spec E3, G-10).
const CREATION_OPTION_KEYS: [&str; 19] = [
    "security_code_length",
    "allowed_login_attempts",
    "allow_remember_me",
    "allow_sms",
    "allow_voice",
    "allow_email",
    "reply_enabled",
    "group_replies",
    "code_time_limit",
    "encrypt_message",
    "two_factor_required",
    "auto_extend_value",
    "auto_extend_unit",
    "retention_period_type",
    "retention_period_value",
    "retention_period_unit",
    "delete_content_on",
    "allow_manual_delete",
    "allow_manual_close",
];

/// The sections of E29.
pub const SECTIONS: [&str; 5] = [
    "download_activity",
    "event_history",
    "messages",
    "participants",
    "security_options",
];

impl Safebox {
    /// A boolean security option.
    pub fn option_bool(&self, key: &str) -> bool {
        self.options
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// Advances the status machine to `now`: expiration closes, retention deletes content.
    pub fn refresh(&mut self, now: DateTime<Utc>) {
        if self.status == Status::InProgress && now >= self.expiration {
            let at = self.expiration;
            self.close(at, "safebox_expired", "SafeBox expired");
        }
        if self.status == Status::Closed {
            if let Some(on) = self.delete_content_on {
                if now >= on {
                    self.delete_content(
                        on,
                        "safebox_content_deleted",
                        "SafeBox content deleted by retention policy",
                    );
                }
            }
        }
    }

    /// Closes the SafeBox at `at`, scheduling content deletion per the retention policy.
    pub fn close(&mut self, at: DateTime<Utc>, event: &str, text: &str) {
        self.status = Status::Closed;
        self.closed_at = Some(at);
        self.delete_content_on = match self
            .options
            .get("retention_period_type")
            .and_then(Value::as_str)
        {
            Some("discard_at_expiration") => Some(self.expiration.max(at)),
            Some("retain_at_expiration") => {
                let value = self
                    .options
                    .get("retention_period_value")
                    .and_then(Value::as_i64);
                let unit = self
                    .options
                    .get("retention_period_unit")
                    .and_then(Value::as_str);
                match (value, unit) {
                    (Some(v), Some(u)) => clock::add(at, v, u),
                    _ => None,
                }
            }
            _ => None,
        };
        self.options.insert(
            "delete_content_on".into(),
            self.delete_content_on
                .map(clock::format)
                .map(Value::String)
                .unwrap_or(Value::Null),
        );
        self.touch(at);
        self.event(event, at, json!({}), text.to_string());
    }

    /// Deletes every document's bytes (from disk too) and marks the content deleted.
    pub fn delete_content(&mut self, at: DateTime<Utc>, event: &str, text: &str) {
        for doc in self
            .messages
            .iter_mut()
            .flat_map(|m| m.documents.iter_mut())
        {
            if let Some(path) = doc.path.take() {
                let _ = std::fs::remove_file(path);
            }
        }
        self.status = Status::ContentDeleted;
        self.content_deleted_at = Some(at);
        self.touch(at);
        self.event(event, at, json!({}), text.to_string());
    }

    /// Records activity.
    pub fn touch(&mut self, at: DateTime<Utc>) {
        self.updated_at = at;
        self.latest_activity = at;
    }

    /// Appends an event to the history.
    pub fn event(&mut self, kind: &str, at: DateTime<Utc>, metadata: Value, message: String) {
        self.events.push(Event {
            kind: kind.to_string(),
            date: clock::format(at),
            metadata,
            message,
        });
    }

    /// Number of messages the owner has not read.
    pub fn unread_count(&self) -> usize {
        self.messages.iter().filter(|m| !m.read).count()
    }

    /// The guest participants' e-mails.
    pub fn guest_emails(&self) -> Vec<String> {
        self.participants
            .iter()
            .filter(|p| p.guest.is_some())
            .map(|p| p.person.email.clone())
            .collect()
    }

    /// Finds a document of any message.
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.messages
            .iter()
            .flat_map(|m| m.documents.iter())
            .find(|d| d.id == id)
    }

    /// The list item and the core of E29 (spec §7.1).
    pub fn core_json(&self) -> Map<String, Value> {
        let ts = |t: Option<DateTime<Utc>>| t.map(clock::format);
        let audit = (self.status != Status::InProgress).then(|| format!("s/{}.pdf", self.guid));
        let v = json!({
            "guid": self.guid,
            "user_id": self.owner_id,
            "enterprise_id": self.enterprise_id,
            "subject": self.subject,
            "notification_language": self.notification_language,
            "status": self.status.as_str(),
            "security_profile_name": self.security_profile_name,
            "unread_count": self.unread_count(),
            "double_encryption_status": if self.option_bool("double_encryption") { "key_required" } else { "disabled" },
            "audit_record_pdf": audit,
            "secure_link": Value::Null,
            "secure_link_title": Value::Null,
            "email_notification_enabled": self.email_notification_enabled,
            "created_at": clock::format(self.created_at),
            "updated_at": clock::format(self.updated_at),
            "assigned_at": clock::format(self.created_at),
            "latest_activity": clock::format(self.latest_activity),
            "expiration": clock::format(self.expiration),
            "closed_at": ts(self.closed_at),
            "content_deleted_at": ts(self.content_deleted_at),
        });
        match v {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    /// The E3 response: a flat SafeBox with the security options at top level (G-10).
    pub fn creation_json(&self, base_url: &str) -> Value {
        let mut out = Map::new();
        let core = self.core_json();
        for key in [
            "guid",
            "user_id",
            "enterprise_id",
            "subject",
            "expiration",
            "notification_language",
            "status",
            "security_profile_name",
        ] {
            out.insert(key.into(), core[key].clone());
        }
        out.insert("force_expiry_date".into(), Value::Null);
        for key in CREATION_OPTION_KEYS {
            out.insert(
                key.into(),
                self.options.get(key).cloned().unwrap_or(Value::Null),
            );
        }
        out.insert(
            "email_notification_enabled".into(),
            json!(self.email_notification_enabled),
        );
        let key = self
            .encryption_key
            .clone()
            .or_else(|| self.public_encryption_key.clone())
            .unwrap_or_default();
        out.insert(
            "preview_url".into(),
            json!(format!("{base_url}s/{}/preview?k={key}", self.guid)),
        );
        out.insert("encryption_key".into(), json!(self.encryption_key));
        for key in ["created_at", "updated_at", "latest_activity"] {
            out.insert(key.into(), core[key].clone());
        }
        Value::Object(out)
    }

    /// The security options object (E31, E29 section).
    pub fn security_options_json(&self) -> Value {
        Value::Object(self.options.clone())
    }

    /// One participant; `with_counts` adds the E29 read counters.
    pub fn participant_json(&self, p: &Participant, with_counts: bool) -> Value {
        let mut v = json!({
            "id": p.id.to_json(),
            "first_name": p.person.first_name,
            "last_name": p.person.last_name,
            "email": p.person.email,
        });
        match &p.guest {
            Some(g) => {
                v["type"] = json!("guest");
                v["role"] = json!("guest");
                v["privileged"] = json!(p.privileged);
                v["guest_options"] = json!({
                    "company_name": p.person.company_name,
                    "locked": g.locked,
                    "bounced_email": false,
                    "failed_login_attempts": 0,
                    "verified": false,
                    "created_at": g.created_at,
                    "updated_at": g.updated_at,
                    "contact_methods": g.contact_methods.iter().map(|c| c.to_json(true)).collect::<Vec<_>>(),
                });
            }
            None => {
                v["type"] = json!("user");
                v["role"] = json!("owner");
            }
        }
        if with_counts {
            let read = match p.guest {
                Some(_) => 0,
                None => self.messages.iter().filter(|m| m.read).count(),
            };
            v["message_read_count"] = json!(read);
            v["message_total_count"] = json!(self.messages.len());
        }
        v
    }

    /// Every participant.
    pub fn participants_json(&self, with_counts: bool) -> Vec<Value> {
        self.participants
            .iter()
            .map(|p| self.participant_json(p, with_counts))
            .collect()
    }

    /// Every message with its documents (spec §7.7).
    pub fn messages_json(&self, base_url: &str) -> Vec<Value> {
        self.messages
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "note": m.note,
                    "note_size": m.note.len(),
                    "read": m.read,
                    "author_id": m.author_id,
                    "author_type": m.author_type,
                    "created_at": m.created_at,
                    "documents": m.documents.iter().map(|d| json!({
                        "id": d.id,
                        "name": d.name,
                        "sha": d.sha256,
                        "size": d.size,
                        "url": format!("{base_url}api/v2/safeboxes/{}/documents/{}/url", self.guid, d.id),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect()
    }

    /// Download activity per participant (spec §7.8).
    pub fn download_activity_json(&self) -> Value {
        let documents_of = |pid: &str| -> Vec<Value> {
            self.messages
                .iter()
                .flat_map(|m| m.documents.iter())
                .map(|d| {
                    let last = self
                        .downloads
                        .iter()
                        .rfind(|r| r.participant_id == pid && r.document_id == d.id);
                    json!({
                        "id": d.id,
                        "downloaded_bytes": last.map(|r| r.downloaded_bytes).unwrap_or(0),
                        "download_date": last.map(|r| r.date.clone()),
                    })
                })
                .collect()
        };
        let guests: Vec<Value> = self
            .participants
            .iter()
            .filter(|p| p.guest.is_some())
            .map(|p| json!({"id": p.id.to_json(), "documents": documents_of(&p.id.key())}))
            .collect();
        json!({
            "guests": guests,
            "owner": {"id": self.owner_id, "documents": documents_of(&self.owner_id.to_string())},
        })
    }

    /// The event history (spec §7.9).
    pub fn event_history_json(&self) -> Vec<Value> {
        self.events
            .iter()
            .map(|e| json!({"type": e.kind, "date": e.date, "metadata": e.metadata, "message": e.message}))
            .collect()
    }

    /// E29: the core fields plus the requested sections.
    pub fn info_json(&self, sections: &[&str], base_url: &str) -> Value {
        let mut out = self.core_json();
        out.insert("user_email".into(), json!(self.owner_email));
        // The SafeBox's own message and key, as in the full SafeBox of G-78.
        let message = self.messages.first().map(|m| m.note.clone());
        out.insert("message".into(), json!(message));
        out.insert(
            "public_encryption_key".into(),
            json!(self.public_encryption_key),
        );
        for section in sections {
            let value = match *section {
                "participants" => Value::Array(self.participants_json(true)),
                "security_options" => self.security_options_json(),
                "messages" => Value::Array(self.messages_json(base_url)),
                "download_activity" => self.download_activity_json(),
                "event_history" => Value::Array(self.event_history_json()),
                _ => continue,
            };
            out.insert((*section).into(), value);
        }
        json!({ "safebox": out })
    }

    /// Whether a search term matches (subject, participants, message notes, document names).
    pub fn matches(&self, term: &str) -> bool {
        let term = term.to_lowercase();
        let hit = |s: &str| s.to_lowercase().contains(&term);
        self.subject.as_deref().map(hit).unwrap_or(false)
            || self.participants.iter().any(|p| {
                hit(&p.person.email) || hit(&p.person.first_name) || hit(&p.person.last_name)
            })
            || self
                .messages
                .iter()
                .any(|m| hit(&m.note) || m.documents.iter().any(|d| hit(&d.name)))
    }
}
